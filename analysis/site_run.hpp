// One siting run (maximal coverage): which candidate sites to add to the existing facilities so
// that the most residential population (or land) not yet covered becomes covered, or so that a
// coverage target is reached with the fewest sites. Service areas, sizes and radii are those of
// `coverage` (same profile rules, both modes); the demand is the uncovered part of every parcel,
// split exactly into the pieces each combination of candidate service areas covers, so partly
// covered parcels and overlapping candidates count once. The "after" figures are those of the
// coverage engine run on the existing facilities plus the chosen sites.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "analysis/inputs.hpp"

namespace planmap::analysis {

enum class SiteObjective { population, area };

struct SiteOptions {
    AnalysisInputs inputs;               // existing facilities, residential, output, html, mode, network
    std::string candidates;              // candidate sites SRC[:layer], points or polygons …
    double grid_m = 0;                   // … or a grid of candidate points this far apart (metres, > 0) …
    std::string within;                  // … inside these polygons SRC[:layer]
    std::optional<double> site_area_m2;  // grid candidates as squares of this area (a park size; default: points)
    std::string cost_field;              // candidate attribute with the cost (needed by budget; default: 1 each)
    std::optional<double> radius_m;      // one service radius for every facility and site, metres …
    std::string profile;                 // … or a rule profile (as coverage)
    std::string type;                    // life-circle profiles: site facilities of this type
    int quad_segs = 16;                  // buffer segments per quarter circle (1 to 1000)
    std::optional<long long> add;        // goal: the best `add` sites (≥ 1) …
    std::optional<double> target;        // … or the fewest reaching this coverage ratio (0 < target ≤ 1)
    std::optional<double> budget;        // at most this total cost (with add, or alone)
    SiteObjective objective = SiteObjective::population;
    bool exact = false;                  // also solve the integer programme (CBC)
    double time_limit_s = 60;            // for the exact solver, seconds (> 0)
    int solver_threads = 1;              // for the exact solver (1 to 64)
    long long curve_sites = 0;           // sites on the coverage curve (0: twice the chosen, at least 10)
    bool write_pieces = false;           // also write the demand pieces (site_pieces.csv), e.g. for a peer solver

    // usage_error for missing or inconsistent options.
    void check() const;
};

struct SiteResult {
    nlohmann::json summary;  // the JSON summary (with warnings and timings_s)
    std::vector<std::string> warnings;
};

// Reads the inputs, computes the coverage before, the demand pieces and the candidates' service
// areas, solves (greedy, and the integer programme with `exact`), recomputes the coverage with
// the chosen sites, and writes site.gpkg, site_sites.csv, site_curve.csv and site.json (and site_pieces.csv
// with write_pieces) into the output folder (whole or not at all), and the HTML report when asked for.
SiteResult run_site(const SiteOptions& options, const Progress& progress = {});
// The summary as printed by `planmap site`.
void print_site(std::ostream& out, const SiteResult& result, bool verbose);

}  // namespace planmap::analysis
