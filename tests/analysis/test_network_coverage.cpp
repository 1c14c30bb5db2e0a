// Coverage and life circles along a walking network, through the analysis library: a river with
// one bridge where every figure is known exactly, barriers, unattached facilities and parcels,
// and the synthetic city where the network never covers more than the straight lines.
// (The coverage and lifecircle commands on the same inputs: tests/cli/test_network_coverage_cli.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "analysis/coverage_run.hpp"
#include "analysis/inputs.hpp"
#include "analysis/lifecircle.hpp"
#include "analysis/network_growth.hpp"
#include "analysis/network_mode.hpp"
#include "analysis/profile.hpp"
#include "analysis/service_areas.hpp"
#include "core/files.hpp"
#include "tests/analysis/cities.hpp"
#include "tests/support.hpp"

using namespace planmap;
using test::river_city;

namespace {

analysis::NetworkOptions network_mode(const std::string& city, const std::string& streets = "streets") {
    analysis::NetworkOptions o;
    o.network = city + ":" + streets;
    o.max_snap_m = 500;
    return o;
}

std::vector<analysis::FacilityRef> facility_refs(const layers::Layer& facilities, const std::string& type_field = "") {
    std::vector<analysis::FacilityRef> refs;
    for (std::size_t i = 0; i < facilities.size(); ++i)
        refs.push_back({facilities.features()[i].fid, facilities.features()[i].geometry.get(),
                        type_field.empty() ? "" : layers::value_to_string(facilities.value(i, type_field))});
    return refs;
}

// A coverage run along the network, as `coverage --mode network` makes it, and its straight-line
// reference figures (covered area, covered population) on the same inputs.
struct NetworkCoverage {
    analysis::LoadedNetwork network;
    analysis::CoverageRun run;
    layers::Layer facilities;
    analysis::NetworkGrowth growth;
    std::pair<double, double> straight;
};

std::unique_ptr<NetworkCoverage> cover(const std::string& city, const analysis::NetworkOptions& o, const std::string& residential,
                                       const std::string& facilities, analysis::RadiusChoice choice) {
    auto c = std::make_unique<NetworkCoverage>();
    o.check();
    analysis::ImportLog imports;
    c->network = analysis::load_analysis_network(o, imports);
    std::vector<std::string> warnings;
    c->run.residential = analysis::read_metric_layer(city + ":" + residential, "residential", imports, c->network.crs, warnings);
    c->run.crs = *c->run.residential.crs();
    c->facilities = analysis::read_metric_layer(city + ":" + facilities, "facilities", imports, c->run.crs, warnings);
    if (c->run.residential.field_index("population") >= 0) c->run.population_field = "population";
    auto refs = facility_refs(c->facilities, choice.profile ? choice.profile->type_field : "");
    c->run.service = analysis::size_service_units(refs, choice);
    analysis::NetworkGrowOptions go;
    go.attach = o.attach();
    go.width_m = o.width_m;
    go.quad_segs = choice.quad_segs;
    go.blocked = &c->network.blocked;
    c->growth = analysis::grow_along_network(c->network.opened.net, c->run.service, go);
    c->run.compute(nullptr, "");
    c->straight = c->run.covered_with(analysis::straight_line_service_areas(refs, choice));
    return c;
}

analysis::RadiusChoice radius(double r) {
    analysis::RadiusChoice choice;
    choice.radius_m = r;
    return choice;
}

// The life-circle audit of a city's residential parcels against its facilities, straight-line and
// along the network (as `lifecircle` and `lifecircle --mode network` make them).
struct LifeCircles {
    analysis::LifeCircleAudit straight, network;
};

LifeCircles audit_both(const std::string& city, const analysis::Profile& prof, const analysis::NetworkOptions& o) {
    analysis::ImportLog imports;
    auto net = analysis::load_analysis_network(o, imports);
    std::vector<std::string> warnings;
    auto res = analysis::read_metric_layer(city + ":residential", "residential", imports, net.crs, warnings);
    auto fac = analysis::read_metric_layer(city + ":facilities", "facilities", imports, net.crs, warnings);
    std::vector<const GEOSGeometry*> parcels;
    for (const auto& f : res.features()) parcels.push_back(f.geometry.get());
    auto refs = facility_refs(fac, prof.type_field);
    analysis::NetworkAuditOptions no;
    no.attach = o.attach();
    no.blocked = &net.blocked;
    return {analysis::audit_life_circles(parcels, refs, prof),
            analysis::audit_life_circles_network(net.opened.net, parcels, refs, prof, no)};
}

std::size_t parcels_meeting(const analysis::LifeCircleAudit& a, std::size_t level) {
    return static_cast<std::size_t>(std::count(a.level_met[level].begin(), a.level_met[level].end(), 1));
}

}  // namespace

TEST(NetworkCoverageRun, RiverWithOneBridgeExactFiguresAndGap) {
    test::TempDir tmp;
    auto city = river_city(tmp);
    auto before = test::fingerprint(tmp / "in");
    auto c = cover(city, network_mode(city), "residential", "facilities", radius(400));
    const auto& run = c->run;
    EXPECT_NEAR(run.residential_area_m2, 22200, 1e-6);
    // A fully, E's 20 m strip by the street, D by the north street the bridge reaches; not B.
    EXPECT_NEAR(run.covered_area_m2, 1200 + 2000 + 1500, 1e-6);
    EXPECT_NEAR(run.covered_population, 100 + 200 + 150, 1e-6);
    // Straight-line buffers cover A, E, B and D whole.
    EXPECT_NEAR(c->straight.first, 12200, 1e-6);
    EXPECT_NEAR(analysis::ratio(c->straight.first, run.residential_area_m2) - analysis::ratio(run.covered_area_m2, run.residential_area_m2),
                7500.0 / 22200, 1e-9);
    EXPECT_NEAR(analysis::ratio(c->straight.second, run.total_population) - analysis::ratio(run.covered_population, run.total_population),
                750.0 / 2000, 1e-9);
    ASSERT_EQ(c->growth.unattached_facilities.size(), 1u);
    EXPECT_EQ(c->growth.unattached_facilities[0], 3);  // F3 (fid 3)
    EXPECT_EQ(run.service.facilities_counted, 2u);
    EXPECT_EQ(c->network.opened.net.edge_count(), 5u);
    EXPECT_EQ(c->network.blocked_edges, 0u);
    EXPECT_EQ(test::fingerprint(tmp / "in"), before);  // inputs untouched
    // Per parcel: B (across the river) not at all, E four sevenths.
    ASSERT_EQ(run.result.parcels.size(), 5u);
    EXPECT_NEAR(run.result.parcels[2].covered_m2, 0, 1e-9);
    EXPECT_NEAR(run.result.parcels[1].covered_m2 / run.result.parcels[1].area_m2, 4.0 / 7, 1e-9);

    // The straight-line run gives the reference figures.
    analysis::CoverageRun s;
    std::vector<std::string> warnings;
    analysis::ImportLog imports;
    s.residential = analysis::read_metric_layer(city + ":residential", "residential", imports, std::nullopt, warnings);
    s.crs = *s.residential.crs();
    auto facilities = analysis::read_metric_layer(city + ":facilities", "facilities", imports, s.crs, warnings);
    s.service = analysis::straight_line_service_areas(facility_refs(facilities), radius(400));
    s.compute(nullptr, "");
    EXPECT_NEAR(s.covered_area_m2, c->straight.first, 1e-6);
}

TEST(NetworkCoverageRun, BarrierOnTheBridgeCutsTheNorthBank) {
    test::TempDir tmp;
    auto city = river_city(tmp);
    auto o = network_mode(city);
    o.barriers = {city + ":barrier"};
    auto c = cover(city, o, "residential", "facilities", radius(400));
    EXPECT_EQ(c->network.blocked_edges, 1u);
    EXPECT_NEAR(c->run.covered_area_m2, 1200 + 2000, 1e-6);
}

TEST(NetworkCoverageRun, OptionsAndSourcesAreChecked) {
    test::TempDir tmp;
    auto city = river_city(tmp);
    // Network mode without a network, and a network without network mode.
    analysis::AnalysisInputs in;
    in.facilities = city + ":facilities";
    in.residential = city + ":residential";
    in.output = (tmp / "out").string();
    in.mode = analysis::Mode::network;
    in.network = network_mode(city);
    EXPECT_NO_THROW(in.check(false));
    in.network.network.clear();
    EXPECT_THROW(in.check(false), usage_error);
    in.network = network_mode(city);
    in.mode = analysis::Mode::straight_line;
    EXPECT_THROW(in.check(false), usage_error);
    auto o = network_mode(city);
    // A missing layer is named.
    o = network_mode(city, "nosuchlayer");
    try {
        analysis::ImportLog imports;
        analysis::load_analysis_network(o, imports);
        ADD_FAILURE() << "no error";
    } catch (const error& e) {
        EXPECT_NE(std::string(e.what()).find("nosuchlayer"), std::string::npos) << e.what();
    }
    // An edge list without its node table has no geometry to grow service areas along.
    std::ofstream(tmp / "edges.csv") << "u,v,length_m\n1,2,100\n";
    o = network_mode(city);
    o.network = (tmp / "edges.csv").string();
    try {
        analysis::ImportLog imports;
        analysis::load_analysis_network(o, imports);
        ADD_FAILURE() << "no error";
    } catch (const usage_error& e) {
        EXPECT_NE(std::string(e.what()).find("no geometry"), std::string::npos) << e.what();
    }
}

TEST(NetworkLifeCircleAudit, WalkingDistancesAcrossTheRiver) {
    test::TempDir tmp;
    auto city = river_city(tmp);
    std::ofstream(tmp / "lc.toml") << test::kOneLevelProfile;
    auto prof = analysis::load_profile((tmp / "lc.toml").string());
    auto o = network_mode(city);
    o.entry_m = 15;
    auto both = audit_both(city, prof, o);
    const auto& s = both.straight;
    const auto& n = both.network;
    // Straight line: A, E and B (201 m across the river) meet the level; the network: A and E only.
    EXPECT_EQ(parcels_meeting(s, 0), 3u);
    EXPECT_EQ(parcels_meeting(n, 0), 2u);
    EXPECT_EQ(n.unattached_parcels, std::vector<std::size_t>{4});      // G (fid 5)
    EXPECT_EQ(n.unattached_facilities, std::vector<std::int64_t>{3});  // F3
    EXPECT_EQ(n.facilities_per_type[0], 1u);                           // attached kindergartens
    EXPECT_NEAR(n.distance_m[0][0], 0, 1e-9);  // A's street frontage passes F1
    EXPECT_GT(n.distance_m[0][1], 80);         // E's frontage starts ~89 m east
    EXPECT_LT(n.distance_m[0][1], 100);
    EXPECT_LT(n.distance_m[0][2], 0);  // B: the bridge is 800 m away, out of reach
    EXPECT_EQ(n.level_met[0][2], 0);
}

TEST(NetworkCoverageRun, SynthCityNetworkNeverExceedsStraightLine) {
    test::TempDir tmp;
    auto path = test::synth_city_gpkg(tmp);
    const auto profiles = (std::filesystem::path(core::data_dir()) / "profiles").string();
    auto park = analysis::find_profile("gb-park-radius", profiles);
    analysis::RadiusChoice choice;
    choice.profile = &park;
    for (double width : {25.0, 80.0}) {
        auto o = network_mode(path);
        o.width_m = width;
        auto c = cover(path, o, "residential", "parks", choice);
        double net = analysis::ratio(c->run.covered_area_m2, c->run.residential_area_m2);
        double straight = analysis::ratio(c->straight.first, c->run.residential_area_m2);
        EXPECT_GT(net, 0) << width;
        EXPECT_LE(net, straight) << width;
        EXPECT_TRUE(c->growth.unattached_facilities.empty()) << width;
    }
    auto life = analysis::find_profile("gb50180-life-circle", profiles);
    auto both = audit_both(path, life, network_mode(path));
    const auto& s = both.straight;
    const auto& n = both.network;
    ASSERT_EQ(n.level_met.size(), s.level_met.size());
    std::size_t reached = 0;
    for (std::size_t l = 0; l < s.level_met.size(); ++l)
        EXPECT_LE(parcels_meeting(n, l), parcels_meeting(s, l)) << l;
    for (std::size_t t = 0; t < s.distance_m.size(); ++t) {
        auto within = [&](const analysis::LifeCircleAudit& a) { return std::count_if(a.distance_m[t].begin(), a.distance_m[t].end(), [](double d) { return d >= 0; }); };
        EXPECT_LE(within(n), within(s)) << life.facilities[t].type;
        reached += static_cast<std::size_t>(within(n));
    }
    EXPECT_GT(reached, 0u);  // the walking network reaches some facilities
}
