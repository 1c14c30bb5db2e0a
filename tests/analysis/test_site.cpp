// Maximal coverage siting: the solvers on hand-made and random instances (greedy, the integer
// programme and brute force agree where they must), the exact split of land by service areas, and
// whole runs on small cities whose optimum is known by hand.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <random>

#include "analysis/site_run.hpp"
#include "analysis/site_solver.hpp"
#include "geo/coverage.hpp"
#include "layers/io.hpp"
#include "tests/support.hpp"

using namespace planmap;
using analysis::SiteGoal;
using analysis::SiteInstance;

namespace {

SiteInstance instance(std::size_t candidates, std::vector<double> w, std::vector<std::vector<std::uint32_t>> covers) {
    SiteInstance in;
    in.candidates = candidates;
    in.weight = std::move(w);
    in.covers = std::move(covers);
    return in;
}

// The best covered weight over all selections of at most k candidates (and within the budget).
double brute_force(const SiteInstance& in, std::size_t k, std::optional<double> budget = std::nullopt) {
    double best = 0;
    for (std::uint32_t mask = 0; mask < (1u << in.candidates); ++mask) {
        std::vector<std::uint32_t> sel;
        double cost = 0;
        for (std::uint32_t c = 0; c < in.candidates; ++c)
            if (mask & (1u << c)) sel.push_back(c), cost += in.cost_of(c);
        if (sel.size() > k || (budget && cost > *budget)) continue;
        best = std::max(best, analysis::covered_weight(in, sel));
    }
    return best;
}

// Fewest candidates covering at least `need`; -1 when none does.
int brute_force_target(const SiteInstance& in, double need) {
    int best = -1;
    for (std::uint32_t mask = 0; mask < (1u << in.candidates); ++mask) {
        int n = __builtin_popcount(mask);
        if (best >= 0 && n >= best) continue;
        std::vector<std::uint32_t> sel;
        for (std::uint32_t c = 0; c < in.candidates; ++c)
            if (mask & (1u << c)) sel.push_back(c);
        if (analysis::covered_weight(in, sel) >= need - 1e-9) best = n;
    }
    return best;
}

SiteInstance random_instance(std::mt19937& rng, std::size_t candidates, std::size_t elements) {
    SiteInstance in;
    in.candidates = candidates;
    std::uniform_real_distribution<double> w(0.5, 100.0);
    std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(candidates - 1));
    std::uniform_int_distribution<int> count(1, 3);
    for (std::size_t e = 0; e < elements; ++e) {
        std::vector<std::uint32_t> cs;
        for (int k = count(rng); k > 0; --k) cs.push_back(pick(rng));
        std::sort(cs.begin(), cs.end());
        cs.erase(std::unique(cs.begin(), cs.end()), cs.end());
        in.weight.push_back(w(rng));
        in.covers.push_back(cs);
    }
    return in;
}

}  // namespace

// Three sets: {a,b,c} (weight 3), {c,d} and {e} — the greedy takes the big one first and is
// optimal for K = 1, 2; overlapping coverage is counted once.
TEST(SiteSolver, HandInstance) {
    // elements a b c d e with weight 1 each; candidate 0 = {a,b,c}, 1 = {c,d}, 2 = {e}
    auto in = instance(3, {1, 1, 1, 1, 1}, {{0}, {0}, {0, 1}, {1}, {2}});
    auto g1 = analysis::solve_greedy(in, SiteGoal{1, std::nullopt, std::nullopt});
    ASSERT_EQ(g1.chosen.size(), 1u);
    EXPECT_EQ(g1.chosen[0], 0u);
    EXPECT_DOUBLE_EQ(g1.gain, 3);
    auto g2 = analysis::solve_greedy(in, SiteGoal{2, std::nullopt, std::nullopt});
    EXPECT_DOUBLE_EQ(g2.gain, 4);  // {0,1} and {0,2} both give 4
    ASSERT_EQ(g2.marginal.size(), 2u);
    EXPECT_DOUBLE_EQ(g2.marginal[0], 3);
    EXPECT_DOUBLE_EQ(g2.marginal[1], 1);
    auto e2 = analysis::solve_exact(in, SiteGoal{2, std::nullopt, std::nullopt}, 10);
    EXPECT_TRUE(e2.optimal);
    EXPECT_DOUBLE_EQ(e2.gain, 4);
    EXPECT_NEAR(*e2.bound, 4, 1e-9);
    // Target 5: all three are needed.
    auto t = analysis::solve_greedy(in, SiteGoal{std::nullopt, std::nullopt, 5.0});
    EXPECT_TRUE(t.reached);
    EXPECT_EQ(t.chosen.size(), 3u);
    auto te = analysis::solve_exact(in, SiteGoal{std::nullopt, std::nullopt, 5.0}, 10);
    EXPECT_EQ(te.chosen.size(), 3u);
    EXPECT_TRUE(te.reached);
    // Target 6 is beyond everything.
    auto u = analysis::solve_greedy(in, SiteGoal{std::nullopt, std::nullopt, 6.0});
    EXPECT_FALSE(u.reached);
    EXPECT_DOUBLE_EQ(u.gain, 5);
    auto ue = analysis::solve_exact(in, SiteGoal{std::nullopt, std::nullopt, 6.0}, 10);
    EXPECT_FALSE(ue.reached);
    EXPECT_EQ(ue.status, "infeasible");
}

// The classic case where the greedy is not optimal: the big middle set first, then only halves.
TEST(SiteSolver, GreedyBelowOptimumExactFindsIt) {
    // candidate 0 covers x1..x4 (weight 1 each) + y1 (0.5): 4.5; candidate 1 = x1,x2 + z1 (1.5): 3.5;
    // candidate 2 = x3,x4 + z2 (1.5): 3.5. K=2: greedy 0 then 1 (gain 1.5) = 6; optimum {1,2} = 7.
    auto in = instance(3, {1, 1, 1, 1, 0.5, 1.5, 1.5}, {{0, 1}, {0, 1}, {0, 2}, {0, 2}, {0}, {1}, {2}});
    auto g = analysis::solve_greedy(in, SiteGoal{2, std::nullopt, std::nullopt}, 0, nullptr, false);
    EXPECT_DOUBLE_EQ(g.gain, 6);
    // The interchange swaps the big set for the other half.
    auto gs = analysis::solve_greedy(in, SiteGoal{2, std::nullopt, std::nullopt});
    EXPECT_DOUBLE_EQ(gs.greedy_gain, 6);
    EXPECT_DOUBLE_EQ(gs.gain, 7);
    EXPECT_EQ(gs.swaps, 1u);
    auto e = analysis::solve_exact(in, SiteGoal{2, std::nullopt, std::nullopt}, 10, 1, &g);
    EXPECT_TRUE(e.optimal);
    EXPECT_DOUBLE_EQ(e.gain, 7);
    EXPECT_DOUBLE_EQ(brute_force(in, 2), 7);
    EXPECT_GE(g.gain, (1 - 1 / std::exp(1.0)) * e.gain);
}

TEST(SiteSolver, BudgetPicksByGainPerCost) {
    // candidate 0: weight 10 at cost 10; candidates 1 and 2: weight 6 each at cost 5.
    auto in = instance(3, {10, 6, 6}, {{0}, {1}, {2}});
    in.cost = {10, 5, 5};
    SiteGoal goal{std::nullopt, 10.0, std::nullopt};
    auto g = analysis::solve_greedy(in, goal);
    EXPECT_DOUBLE_EQ(g.gain, 12);
    auto e = analysis::solve_exact(in, goal, 10);
    EXPECT_DOUBLE_EQ(e.gain, 12);
    EXPECT_DOUBLE_EQ(brute_force(in, 3, 10.0), 12);
}

TEST(SiteSolver, RandomInstancesGreedyExactBruteForce) {
    std::mt19937 rng(7);
    double worst = 1;
    for (int round = 0; round < 40; ++round) {
        auto in = random_instance(rng, 10, 30);
        in.merge_equal_sets();
        for (std::size_t k : {1u, 2u, 3u, 5u}) {
            double brute = brute_force(in, k);
            auto g = analysis::solve_greedy(in, SiteGoal{k, std::nullopt, std::nullopt});
            auto e = analysis::solve_exact(in, SiteGoal{k, std::nullopt, std::nullopt}, 30, 1, &g);
            ASSERT_TRUE(e.optimal);
            EXPECT_NEAR(e.gain, brute, 1e-6 * brute) << "round " << round << " k " << k;
            EXPECT_LE(g.gain, brute + 1e-9);
            EXPECT_GE(g.gain, (1 - 1 / std::exp(1.0)) * brute - 1e-9);
            EXPECT_GE(g.gain, g.greedy_gain - 1e-9);
            EXPECT_NEAR(g.gain, analysis::covered_weight(in, g.chosen), 1e-9);
            worst = std::min(worst, g.gain / brute);
        }
        double all = analysis::covered_weight(in, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        double need = 0.8 * all;
        auto te = analysis::solve_exact(in, SiteGoal{std::nullopt, std::nullopt, need}, 30);
        EXPECT_EQ(static_cast<int>(te.chosen.size()), brute_force_target(in, need)) << "round " << round;
        auto tg = analysis::solve_greedy(in, SiteGoal{std::nullopt, std::nullopt, need});
        EXPECT_GE(tg.chosen.size(), te.chosen.size());
    }
    EXPECT_GT(worst, 0.85);
}

TEST(SiteSolver, MergeKeepsObjective) {
    auto in = instance(2, {1, 2, 3}, {{0}, {0, 1}, {0}});
    in.merge_equal_sets();
    EXPECT_EQ(in.weight.size(), 2u);
    EXPECT_DOUBLE_EQ(analysis::covered_weight(in, {0}), 6);
    EXPECT_DOUBLE_EQ(analysis::covered_weight(in, {1}), 2);
}

// Two overlapping squares over one parcel: three pieces (only A, A and B, only B) plus the part
// neither covers, left out; areas exact.
TEST(SiteSplit, PiecesOfOverlappingAreas) {
    auto parcel = test::box(0, 0, 100, 100);
    auto a = test::box(-10, -10, 60, 110);   // covers x 0..60
    auto b = test::box(40, -10, 80, 110);    // covers x 40..80
    auto pieces = geo::split_by_service_areas({parcel.get()}, {a.get(), b.get()}, true);
    ASSERT_EQ(pieces.size(), 3u);
    std::map<std::vector<std::uint32_t>, double> by_set;
    for (const auto& p : pieces) by_set[p.areas] += p.area_m2;
    EXPECT_NEAR((by_set[{0}]), 4000, 1e-6);
    EXPECT_NEAR((by_set[{0, 1}]), 2000, 1e-6);
    EXPECT_NEAR((by_set[{1}]), 2000, 1e-6);
    // A point region is one piece covered by the areas holding it.
    auto pt = geo::make_point(620050, 3160050);
    auto pp = geo::split_by_service_areas({pt.get()}, {a.get(), b.get()}, false);
    ASSERT_EQ(pp.size(), 1u);
    EXPECT_EQ(pp[0].areas, (std::vector<std::uint32_t>{0, 1}));
}

namespace {

constexpr double X0 = 620000, Y0 = 3160000;

// Five 10 × 10 parcels 300 m apart (population 100 … 500), an existing facility at the first;
// with a 200 m radius candidate A at parcel 2 covers it alone, B between parcels 3 and 4 both,
// D between 4 and 5 both, E at parcel 5 alone.
std::string row_city(const test::TempDir& tmp, bool far_parcel = false) {
    using layers::FieldType;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer res("residential", {{"population", FieldType::real, ""}}, crs, "Polygon");
    for (int k = 0; k < 5; ++k) res.add({-1, test::box(300.0 * k, 0, 300.0 * k + 10, 10), {100.0 * (k + 1)}});
    if (far_parcel) res.add({-1, test::box(5000, 0, 5010, 10), {100.0}});
    layers::Layer fac("facilities", {{"name", FieldType::string, ""}}, crs, "Point");
    fac.add({-1, geo::make_point(X0 + 5, Y0 + 5), {std::string("existing")}});
    layers::Layer cand("candidates", {{"name", FieldType::string, ""}, {"cost", FieldType::real, ""}}, crs, "Point");
    cand.add({-1, geo::make_point(X0 + 305, Y0 + 5), {std::string("A"), 1.0}});
    cand.add({-1, geo::make_point(X0 + 755, Y0 + 5), {std::string("B"), 1.0}});
    cand.add({-1, geo::make_point(X0 + 1055, Y0 + 5), {std::string("D"), 1.0}});
    cand.add({-1, geo::make_point(X0 + 1205, Y0 + 5), {std::string("E"), 1.0}});
    auto path = (tmp / "city.gpkg").string();
    layers::write(std::vector<const layers::Layer*>{&res, &fac, &cand}, path);
    return path;
}

analysis::SiteOptions row_options(const std::string& city, const test::TempDir& tmp, const std::string& out) {
    analysis::SiteOptions o;
    o.inputs.facilities = city + ":facilities";
    o.inputs.residential = city + ":residential";
    o.inputs.output = (tmp / out).string();
    o.candidates = city + ":candidates";
    o.radius_m = 200;
    return o;
}

std::vector<std::int64_t> chosen_fids(const nlohmann::json& j) {
    std::vector<std::int64_t> out;
    for (const auto& s : j["sites"]) out.push_back(s["candidate_fid"].get<std::int64_t>());
    return out;
}

}  // namespace

TEST(SiteRun, RowCityByHand) {
    test::TempDir tmp;
    auto city = row_city(tmp);
    auto o = row_options(city, tmp, "k1");
    o.add = 1;
    auto r1 = analysis::run_site(o);
    EXPECT_EQ(chosen_fids(r1.summary), (std::vector<std::int64_t>{3}));  // D: parcels 4 and 5
    EXPECT_NEAR(r1.summary["before"]["population_coverage_ratio"].get<double>(), 100.0 / 1500, 1e-12);
    EXPECT_NEAR(r1.summary["after"]["population_coverage_ratio"].get<double>(), 1000.0 / 1500, 1e-12);
    EXPECT_NEAR(r1.summary["after"]["model_covered"].get<double>(), 1000, 1e-9);

    o = row_options(city, tmp, "k2");
    o.add = 2;
    o.exact = true;
    auto r2 = analysis::run_site(o);
    EXPECT_NEAR(r2.summary["exact"]["gain"].get<double>(), 1200, 1e-6);  // B + E or B + D
    EXPECT_TRUE(r2.summary["exact"]["optimal"].get<bool>());
    EXPECT_NEAR(r2.summary["after"]["covered_population"].get<double>(), 1300, 1e-6);

    o = row_options(city, tmp, "t90");
    o.target = 0.9;  // need 1250 more: two sites give at most 1200
    o.exact = true;
    auto t = analysis::run_site(o);
    EXPECT_EQ(t.summary["sites"].size(), 3u);
    EXPECT_TRUE(t.summary["target"]["reached"].get<bool>());
    EXPECT_TRUE(std::filesystem::exists(tmp / "t90" / "site.gpkg"));
    EXPECT_TRUE(std::filesystem::exists(tmp / "t90" / "site_curve.csv"));
}

TEST(SiteRun, UnreachableTargetSaysHowFar) {
    test::TempDir tmp;
    auto city = row_city(tmp, true);
    auto o = row_options(city, tmp, "out");
    o.target = 1.0;
    auto r = analysis::run_site(o);
    EXPECT_FALSE(r.summary["target"]["reached"].get<bool>());
    EXPECT_NEAR(r.summary["target"]["best_ratio_with_all_candidates"].get<double>(), 1500.0 / 1600, 1e-12);
    EXPECT_NEAR(r.summary["after"]["population_coverage_ratio"].get<double>(), 1500.0 / 1600, 1e-12);
}

TEST(SiteRun, BudgetWithCostField) {
    test::TempDir tmp;
    auto city = row_city(tmp);
    auto o = row_options(city, tmp, "out");
    o.budget = 2;
    o.cost_field = "cost";
    o.exact = true;
    auto r = analysis::run_site(o);
    EXPECT_NEAR(r.summary["exact"]["gain"].get<double>(), 1200, 1e-6);
    EXPECT_EQ(r.summary["sites"].size(), 2u);
}

// Partly covered parcels, overlapping parcels and overlapping candidates, both objectives: the model's after equals
// the coverage engine's, and the exact optimum is no better than brute force over the candidates.
TEST(SiteRun, PartlyCoveredParcelsCountedOnce) {
    test::TempDir tmp;
    using layers::FieldType;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer res("residential", {{"population", FieldType::real, ""}}, crs, "Polygon");
    for (int i = 0; i < 4; ++i)
        for (int k = 0; k < 4; ++k) res.add({-1, test::box(150.0 * i, 150.0 * k, 150.0 * i + 120, 150.0 * k + 120), {10.0 * (i + k + 1)}});
    res.add({-1, test::box(300, 300, 420, 500), {25.0}});  // overlaps two earlier parcels: their land counts once
    layers::Layer fac("facilities", {}, crs, "Point");
    fac.add({-1, geo::make_point(X0, Y0), {}});
    layers::Layer cand("candidates", {}, crs, "Point");
    for (int i = 0; i < 3; ++i)
        for (int k = 0; k < 3; ++k) cand.add({-1, geo::make_point(X0 + 100 + 170.0 * i, Y0 + 120 + 160.0 * k), {}});
    auto path = (tmp / "c.gpkg").string();
    layers::write(std::vector<const layers::Layer*>{&res, &fac, &cand}, path);
    for (auto objective : {analysis::SiteObjective::area, analysis::SiteObjective::population}) {
        analysis::SiteOptions o;
        o.inputs.facilities = path + ":facilities";
        o.inputs.residential = path + ":residential";
        o.inputs.output = (tmp / (objective == analysis::SiteObjective::area ? "a" : "p")).string();
        o.candidates = path + ":candidates";
        o.radius_m = 180;
        o.add = 3;
        o.exact = true;
        o.objective = objective;
        auto r = analysis::run_site(o);
        const auto& j = r.summary;
        const char* key = objective == analysis::SiteObjective::area ? "covered_area_m2" : "covered_population";
        EXPECT_NEAR(j["after"]["model_covered"].get<double>(), j["after"][key].get<double>(), 1e-6 * j["total"].get<double>());
        EXPECT_TRUE(j["exact"]["optimal"].get<bool>());
        EXPECT_GE(j["exact"]["gain"].get<double>(), j["greedy"]["gain"].get<double>() - 1e-9);
        EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
    }
}
