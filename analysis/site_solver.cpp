#include "analysis/site_solver.hpp"

#include <Cbc_C_Interface.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <queue>
#include <tuple>

#include "core/i18n.hpp"
#include "core/error.hpp"
#include "core/stopwatch.hpp"

namespace planmap::analysis {

namespace {

// Per candidate, the elements it covers (compressed rows).
struct Inverted {
    std::vector<std::size_t> start;
    std::vector<std::uint32_t> elements;
    std::size_t size(std::uint32_t c) const { return start[c + 1] - start[c]; }
};

Inverted invert(const SiteInstance& in) {
    Inverted inv;
    inv.start.assign(in.candidates + 1, 0);
    for (const auto& cs : in.covers)
        for (auto c : cs) ++inv.start[c + 1];
    for (std::size_t c = 0; c < in.candidates; ++c) inv.start[c + 1] += inv.start[c];
    inv.elements.resize(inv.start.back());
    std::vector<std::size_t> at(inv.start.begin(), inv.start.end() - 1);
    for (std::size_t e = 0; e < in.covers.size(); ++e)
        for (auto c : in.covers[e]) inv.elements[at[c]++] = static_cast<std::uint32_t>(e);
    return inv;
}

void check_instance(const SiteInstance& in) {
    if (in.weight.size() != in.covers.size()) throw usage_error("site instance: one candidate set per element");
    if (!in.cost.empty() && in.cost.size() != in.candidates) throw usage_error("site instance: one cost per candidate");
    for (const auto& cs : in.covers)
        for (auto c : cs)
            if (c >= in.candidates) throw usage_error("site instance: candidate index out of range");
}

// Which elements are covered so far, and the gains of candidates against them.
class Coverage {
public:
    Coverage(const SiteInstance& in, const Inverted& inv) : in_(in), inv_(inv), covered_(in.weight.size(), 0) {}
    double gain_of(std::uint32_t c) const {
        double g = 0;
        for (std::size_t k = inv_.start[c]; k < inv_.start[c + 1]; ++k)
            if (!covered_[inv_.elements[k]]) g += in_.weight[inv_.elements[k]];
        return g;
    }
    void take(std::uint32_t c) {
        for (std::size_t k = inv_.start[c]; k < inv_.start[c + 1]; ++k) covered_[inv_.elements[k]] = 1;
    }

private:
    const SiteInstance& in_;
    const Inverted& inv_;
    std::vector<char> covered_;
};

// The lazy greedy (CELF): a candidate's gain only shrinks as sites are added (submodularity), so
// a stale gain is an upper bound and only the top of the queue needs recomputing. `by_cost`:
// pick by gain per cost. `allowed`: the candidates that may be picked (empty: all). Stops after
// `max_sites`, when nothing gains, when `stop(gain)` says so, or when no affordable one is left.
struct GreedyRun {
    std::vector<std::uint32_t> chosen;
    std::vector<double> marginal;
    double gain = 0;
};

template <class Stop>
GreedyRun lazy_greedy(const SiteInstance& in, const Inverted& inv, std::size_t max_sites, bool by_cost, std::optional<double> budget,
                      const std::vector<char>& allowed, Stop&& stop) {
    GreedyRun out;
    Coverage cov(in, inv);
    using Entry = std::tuple<double, double, std::int64_t, std::size_t>;  // key, gain, -index, round
    std::priority_queue<Entry> heap;
    auto key_of = [&](double g, std::uint32_t c) { return by_cost ? g / std::max(in.cost_of(c), 1e-300) : g; };
    for (std::uint32_t c = 0; c < in.candidates; ++c) {
        if (!allowed.empty() && !allowed[c]) continue;
        double g = cov.gain_of(c);
        if (g > 0) heap.emplace(key_of(g, c), g, -static_cast<std::int64_t>(c), 0);
    }
    double spent = 0;
    std::size_t round = 0;
    while (out.chosen.size() < max_sites && !heap.empty() && !stop(out.gain)) {
        auto [key, g, neg, r] = heap.top();
        heap.pop();
        auto c = static_cast<std::uint32_t>(-neg);
        if (budget && spent + in.cost_of(c) > *budget * (1 + 1e-12)) continue;  // never affordable again
        if (r != round) {
            double fresh = cov.gain_of(c);
            if (fresh > 0) heap.emplace(key_of(fresh, c), fresh, neg, round);
            continue;
        }
        cov.take(c);
        out.chosen.push_back(c);
        out.marginal.push_back(g);
        out.gain += g;
        spent += in.cost_of(c);
        ++round;
    }
    return out;
}

// Local search after the greedy (Teitz & Bart's interchange): replace a chosen site by another
// while that covers more; the best swap each pass. Returns the swaps made.
std::size_t improve_by_swaps(const SiteInstance& in, const Inverted& inv, std::vector<std::uint32_t>& chosen, std::size_t max_passes) {
    std::vector<std::uint32_t> count(in.weight.size(), 0);
    std::vector<char> on(in.candidates, 0);
    for (auto c : chosen) {
        on[c] = 1;
        for (std::size_t k = inv.start[c]; k < inv.start[c + 1]; ++k) ++count[inv.elements[k]];
    }
    auto sum_if = [&](std::uint32_t c, auto&& pred) {
        double g = 0;
        for (std::size_t k = inv.start[c]; k < inv.start[c + 1]; ++k)
            if (pred(inv.elements[k])) g += in.weight[inv.elements[k]];
        return g;
    };
    double total = 0;
    for (double w : in.weight) total += w;
    std::size_t swaps = 0;
    for (std::size_t pass = 0; pass < max_passes; ++pass) {
        double best = 1e-9 * std::max(1.0, total);
        std::size_t best_pos = 0;
        std::uint32_t best_in = 0;
        bool found = false;
        for (std::size_t p = 0; p < chosen.size(); ++p) {
            const auto out = chosen[p];
            const double loss = sum_if(out, [&](std::uint32_t e) { return count[e] == 1; });
            for (std::size_t k = inv.start[out]; k < inv.start[out + 1]; ++k) --count[inv.elements[k]];
            for (std::uint32_t c = 0; c < in.candidates; ++c) {
                if (on[c] || inv.size(c) == 0) continue;
                const double delta = sum_if(c, [&](std::uint32_t e) { return count[e] == 0; }) - loss;
                if (delta > best) best = delta, best_pos = p, best_in = c, found = true;
            }
            for (std::size_t k = inv.start[out]; k < inv.start[out + 1]; ++k) ++count[inv.elements[k]];
        }
        if (!found) break;
        const auto out = chosen[best_pos];
        for (std::size_t k = inv.start[out]; k < inv.start[out + 1]; ++k) --count[inv.elements[k]];
        for (std::size_t k = inv.start[best_in]; k < inv.start[best_in + 1]; ++k) ++count[inv.elements[k]];
        on[out] = 0;
        on[best_in] = 1;
        chosen[best_pos] = best_in;
        ++swaps;
    }
    return swaps;
}

SiteSolution to_solution(GreedyRun run) {
    SiteSolution s;
    s.chosen = std::move(run.chosen);
    s.marginal = std::move(run.marginal);
    s.gain = run.gain;
    return s;
}

bool target_met(double gain, double target) { return gain >= target - 1e-9 * std::max(1.0, std::abs(target)); }

struct CbcDeleter {
    void operator()(Cbc_Model* m) const noexcept {
        if (m) Cbc_deleteModel(m);
    }
};

}  // namespace

void SiteInstance::merge_equal_sets() {
    std::map<std::vector<std::uint32_t>, std::size_t> slot;
    std::vector<double> w;
    std::vector<std::vector<std::uint32_t>> cs;
    for (std::size_t e = 0; e < covers.size(); ++e) {
        auto [it, fresh] = slot.try_emplace(covers[e], cs.size());
        if (fresh) {
            cs.push_back(covers[e]);
            w.push_back(0);
        }
        w[it->second] += weight[e];
    }
    weight = std::move(w);
    covers = std::move(cs);
}

double covered_weight(const SiteInstance& in, const std::vector<std::uint32_t>& chosen) {
    std::vector<char> on(in.candidates, 0);
    for (auto c : chosen) on[c] = 1;
    double g = 0;
    for (std::size_t e = 0; e < in.covers.size(); ++e)
        if (std::any_of(in.covers[e].begin(), in.covers[e].end(), [&](std::uint32_t c) { return on[c] != 0; })) g += in.weight[e];
    return g;
}

SiteSolution order_greedily(const SiteInstance& in, const std::vector<std::uint32_t>& selection) {
    check_instance(in);
    Inverted inv = invert(in);
    std::vector<char> allowed(in.candidates, 0);
    for (auto c : selection) allowed[c] = 1;
    auto run = lazy_greedy(in, inv, selection.size(), false, std::nullopt, allowed, [](double) { return false; });
    // Sites of the selection that add nothing still belong to it.
    std::vector<char> placed(in.candidates, 0);
    for (auto c : run.chosen) placed[c] = 1;
    for (auto c : selection)
        if (!placed[c]) {
            placed[c] = 1;
            run.chosen.push_back(c);
            run.marginal.push_back(0);
        }
    return to_solution(std::move(run));
}

SiteSolution solve_greedy(const SiteInstance& in, const SiteGoal& goal, std::size_t curve_sites, std::vector<double>* curve, bool swaps) {
    check_instance(in);
    core::Stopwatch sw;
    Inverted inv = invert(in);
    const std::size_t max_sites = goal.add ? *goal.add : in.candidates;
    SiteSolution s;
    if (goal.target) {
        auto run = lazy_greedy(in, inv, max_sites, false, std::nullopt, {}, [&](double g) { return target_met(g, *goal.target); });
        s = to_solution(std::move(run));
        s.reached = target_met(s.gain, *goal.target);
    } else {
        auto run = lazy_greedy(in, inv, max_sites, goal.budget.has_value(), goal.budget, {}, [](double) { return false; });
        s = to_solution(std::move(run));
        const double greedy_gain = s.gain;
        std::size_t made = 0;
        if (!goal.budget && swaps) {
            auto chosen = s.chosen;
            made = improve_by_swaps(in, inv, chosen, 1000);
            if (made > 0) s = order_greedily(in, chosen);
        }
        s.greedy_gain = greedy_gain;
        s.swaps = made;
        if (goal.budget) {
            // The best single affordable site, when it beats the gain-per-cost choice.
            Coverage cov(in, inv);
            std::optional<std::uint32_t> best;
            double best_gain = 0;
            for (std::uint32_t c = 0; c < in.candidates; ++c)
                if (in.cost_of(c) <= *goal.budget * (1 + 1e-12)) {
                    double g = cov.gain_of(c);
                    if (g > best_gain) best_gain = g, best = c;
                }
            if (best && best_gain > s.gain) s = order_greedily(in, {*best});
        }
    }
    if (curve) {
        // The coverage-versus-sites curve: the plain greedy, as far as asked or as long as it gains.
        // With a budget, the chosen sites' own order.
        const std::size_t n = std::max(curve_sites, s.chosen.size());
        std::vector<double> marginal = s.marginal;
        if (!goal.budget) marginal = lazy_greedy(in, inv, n, false, std::nullopt, {}, [](double) { return false; }).marginal;
        curve->clear();
        double cum = 0;
        for (double m : marginal) curve->push_back(cum += m);
    }
    s.seconds = sw.seconds();
    return s;
}

SiteSolution solve_exact(const SiteInstance& in, const SiteGoal& goal, double time_limit_s, int threads, const SiteSolution* start) {
    check_instance(in);
    if (!(time_limit_s > 0)) throw usage_error(param{"time_limit_s"}, tr(" must be positive (seconds)"));
    core::Stopwatch sw;
    const std::size_t nc = in.candidates;
    // Elements one candidate covers fold into that candidate's column.
    std::vector<double> folded(nc, 0.0);
    std::vector<std::size_t> multi;
    for (std::size_t e = 0; e < in.covers.size(); ++e) {
        if (in.covers[e].size() == 1) folded[in.covers[e][0]] += in.weight[e];
        else multi.push_back(e);
    }
    const int rows_multi = static_cast<int>(multi.size());
    int next_row = rows_multi;
    const int row_card = goal.add ? next_row++ : -1;
    const int row_budget = goal.budget ? next_row++ : -1;
    const int row_target = goal.target ? next_row++ : -1;
    const int nrows = next_row;
    const std::size_t ncols = nc + multi.size();

    // Per candidate, the rows of the multi elements it appears in.
    std::vector<std::vector<int>> rows_of(nc);
    for (std::size_t m = 0; m < multi.size(); ++m)
        for (auto c : in.covers[multi[m]]) rows_of[c].push_back(static_cast<int>(m));

    std::vector<int> start_idx{0}, index;
    std::vector<double> value, collb(ncols, 0.0), colub(ncols, 1.0), obj(ncols, 0.0);
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> rowlb(static_cast<std::size_t>(nrows), -inf), rowub(static_cast<std::size_t>(nrows), 0.0);
    for (std::size_t c = 0; c < nc; ++c) {
        for (int r : rows_of[c]) index.push_back(r), value.push_back(-1.0);
        if (row_card >= 0) index.push_back(row_card), value.push_back(1.0);
        if (row_budget >= 0) index.push_back(row_budget), value.push_back(in.cost_of(static_cast<std::uint32_t>(c)));
        if (row_target >= 0 && folded[c] != 0) index.push_back(row_target), value.push_back(folded[c]);
        obj[c] = goal.target ? 1.0 : folded[c];
        start_idx.push_back(static_cast<int>(index.size()));
    }
    for (std::size_t m = 0; m < multi.size(); ++m) {
        index.push_back(static_cast<int>(m)), value.push_back(1.0);
        if (row_target >= 0) index.push_back(row_target), value.push_back(in.weight[multi[m]]);
        obj[nc + m] = goal.target ? 0.0 : in.weight[multi[m]];
        start_idx.push_back(static_cast<int>(index.size()));
    }
    if (row_card >= 0) rowub[static_cast<std::size_t>(row_card)] = static_cast<double>(*goal.add);
    if (row_budget >= 0) rowub[static_cast<std::size_t>(row_budget)] = *goal.budget;
    if (row_target >= 0) {
        rowlb[static_cast<std::size_t>(row_target)] = *goal.target;
        rowub[static_cast<std::size_t>(row_target)] = inf;
    }

    std::unique_ptr<Cbc_Model, CbcDeleter> model(Cbc_newModel());
    if (!model) throw error(tr("the integer programme solver (CBC) could not be started"));
    Cbc_loadProblem(model.get(), static_cast<int>(ncols), nrows, start_idx.data(), index.data(), value.data(), collb.data(),
                    colub.data(), obj.data(), rowlb.data(), rowub.data());
    Cbc_setObjSense(model.get(), goal.target ? 1.0 : -1.0);
    for (std::size_t c = 0; c < nc; ++c) Cbc_setInteger(model.get(), static_cast<int>(c));
    Cbc_setLogLevel(model.get(), 0);
    Cbc_setMaximumSeconds(model.get(), time_limit_s);
    Cbc_setParameter(model.get(), "timeMode", "elapsed");  // wall-clock seconds, not CPU seconds
    Cbc_setAllowableGap(model.get(), 0.0);
    Cbc_setAllowableFractionGap(model.get(), 0.0);
    if (threads > 1) Cbc_setParameter(model.get(), "threads", std::to_string(threads).c_str());
    Cbc_solve(model.get());

    SiteSolution s;
    const double* x = Cbc_getColSolution(model.get());
    const bool proven_infeasible = Cbc_isProvenInfeasible(model.get()) != 0;
    std::vector<std::uint32_t> selection;
    if (x && !proven_infeasible)
        for (std::size_t c = 0; c < nc; ++c)
            if (x[c] > 0.5) selection.push_back(static_cast<std::uint32_t>(c));
    s = order_greedily(in, selection);
    s.optimal = Cbc_isProvenOptimal(model.get()) != 0;
    if (goal.target) s.reached = !proven_infeasible && x && target_met(s.gain, *goal.target);
    // Stopped by the time limit with less than the start solution (the greedy): keep the start.
    // (CBC 2.10's own MIP start fails once preprocessing drops columns, so it is not used.)
    if (start && !s.optimal && !proven_infeasible) {
        const bool better = goal.target ? (start->reached && (!s.reached || start->chosen.size() < s.chosen.size()))
                                        : start->gain > s.gain;
        if (better) {
            const bool optimal = s.optimal, reached = start->reached;
            s = order_greedily(in, start->chosen);
            s.optimal = optimal;
            if (goal.target) s.reached = reached;
        }
    }
    s.status = s.optimal ? "optimal" : proven_infeasible ? "infeasible" : "time limit";
    if (!proven_infeasible) {
        double bound = Cbc_getBestPossibleObjValue(model.get());
        double value_found = goal.target ? static_cast<double>(s.chosen.size()) : s.gain;
        if (s.optimal) bound = goal.target ? value_found : std::max(bound, value_found);
        if (goal.target) bound = std::ceil(bound - 1e-6);  // a number of sites
        s.bound = bound;
        s.gap = std::abs(bound - value_found) / std::max(std::abs(value_found), 1e-12);
        if (s.optimal) s.gap = 0.0;
    }
    s.seconds = sw.seconds();
    return s;
}

}  // namespace planmap::analysis
