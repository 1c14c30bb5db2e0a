// Maximal covering: choose candidate sites so that the demand they cover (weights of pieces of
// land, each covered by a known set of candidates) is largest, or a target is reached with the
// fewest sites. Two solvers: a greedy with lazy gain updates (CELF) and an integer programme
// solved by CBC. No geometry here: the instance is built by the siting run (site_run).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace planmap::analysis {

struct SiteInstance {
    std::size_t candidates = 0;
    std::vector<double> weight;                      // per demand element (> 0)
    std::vector<std::vector<std::uint32_t>> covers;  // per element: the candidates covering it, ascending, non-empty
    std::vector<double> cost;                        // per candidate (empty: 1 each)

    // Merges elements covered by the same set of candidates (their weights summed); the
    // objective of every selection is unchanged.
    void merge_equal_sets();
    double cost_of(std::uint32_t c) const { return cost.empty() ? 1.0 : cost[c]; }
};

// What to solve: at most `add` sites (and at most `budget` total cost) covering the most, or
// (with `target`) the fewest sites covering at least `target` (the need beyond what is covered).
struct SiteGoal {
    std::optional<std::size_t> add;
    std::optional<double> budget;
    std::optional<double> target;
};

struct SiteSolution {
    std::vector<std::uint32_t> chosen;  // in greedy order (largest marginal gain first)
    std::vector<double> marginal;       // one per chosen: the gain it adds to those before it
    double gain = 0;                    // covered weight of the chosen set
    bool reached = true;                // target goals: the target is met
    double greedy_gain = 0;             // solve_greedy: the gain before the interchange
    std::size_t swaps = 0;              // solve_greedy: swaps the interchange made
    // The exact solver's report (greedy: unset).
    std::string status;                 // "optimal", "time limit", "infeasible"
    bool optimal = false;
    std::optional<double> bound;        // proven bound on the objective (gain; target: number of sites)
    std::optional<double> gap;          // relative gap between the solution and the bound
    double seconds = 0;
};

// Covered weight of a selection.
double covered_weight(const SiteInstance& instance, const std::vector<std::uint32_t>& chosen);

// Orders a selection greedily (each next site the one adding most) and fills chosen, marginal
// and gain.
SiteSolution order_greedily(const SiteInstance& instance, const std::vector<std::uint32_t>& selection);

// The greedy with lazy gain updates. For `add` K (no budget) its gain is at least (1 − 1/e) ≈
// 63.2 % of the optimum (Nemhauser, Wolsey & Fisher 1978), and in practice within a few per cent;
// with a budget it picks by gain per cost and keeps the better of that and the best single
// affordable site, at least (1 − 1/e)/2 of the optimum (Khuller, Moss & Naor 1999). For a target
// it uses at most H(n) ≈ 1 + ln n times the fewest sites (n the demand elements; Slavík 1997).
// With `swaps` (for `add` without a budget), an interchange follows (Teitz & Bart 1968): a chosen
// site is replaced by another while that covers more, which keeps the guarantee and usually
// closes most of the gap to the optimum. `curve_sites` > chosen: the plain greedy continues
// (without changing the solution) to give the coverage-versus-sites curve in `curve`.
SiteSolution solve_greedy(const SiteInstance& instance, const SiteGoal& goal, std::size_t curve_sites = 0,
                          std::vector<double>* curve = nullptr, bool swaps = true);

// The integer programme: binary x_c per candidate, y_e ≤ Σ x_c over the candidates covering e
// (elements one candidate covers fold into its x_c), Σ x_c ≤ add, Σ cost·x_c ≤ budget, maximise
// Σ w_e y_e; for a target minimise Σ x_c with Σ w_e y_e ≥ target. Solved by CBC within
// `time_limit_s` seconds on `threads` threads; when CBC stops at the time limit with a worse
// solution than `start` (e.g. the greedy's), `start` is kept (with CBC's bound and status).
SiteSolution solve_exact(const SiteInstance& instance, const SiteGoal& goal, double time_limit_s, int threads = 1,
                         const SiteSolution* start = nullptr);

}  // namespace planmap::analysis
