// One life-circle run (GB 50180): read the inputs, audit every residential parcel (straight-line
// or along the network), tally levels and facility types, write the parcels layer, the compliance
// table (CSV), the HTML report when asked for, and the JSON summary.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <vector>

#include "analysis/inputs.hpp"
#include "analysis/lifecircle.hpp"
#include "analysis/profile.hpp"

namespace planmap::analysis {

struct LifecircleOptions {
    AnalysisInputs inputs;                      // zones are not used
    std::string profile = "gb50180-life-circle";  // a shipped name or a .toml file

    // usage_error for missing or inconsistent options.
    void check() const;
};

struct LifecircleResult {
    Profile profile;
    LifeCircleAudit audit;
    bool network = false;     // walking distances along a network
    nlohmann::json summary;   // the compliance table and figures (with warnings and timings_s)
    std::vector<std::string> warnings;
};

// Writes lifecircle.gpkg (layer "parcels": a distance per type, a flag per level, the highest
// level met, the missing types) and lifecircle_compliance.csv into the output folder.
LifecircleResult run_lifecircle(const LifecircleOptions& options, const Progress& progress = {});
// The summary as printed by `planmap lifecircle`.
void print_lifecircle(std::ostream& out, const LifecircleResult& result);

}  // namespace planmap::analysis
