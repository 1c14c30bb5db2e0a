// One self-contained HTML report for an analysis run (coverage, lifecircle): inline CSS, the map of
// the run's GeoPackage drawn by render (render_web_map, the run's shipped style) as inline SVG,
// per-zone (or per-level) tables, SVG bar charts, the rule profile with its clauses, pass/fail
// against the profile's thresholds, inputs and parameters.
// No scripts, no external files: it opens anywhere, offline.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "analysis/profile.hpp"

namespace planmap::analysis {

struct ReportInput {
    std::string kind;               // "coverage" or "lifecircle"
    nlohmann::json summary;         // the command's --json summary
    const analysis::Profile* profile = nullptr;
    std::string gpkg;               // the run's GeoPackage, for the map
    std::vector<std::pair<std::string, std::string>> parameters;  // shown as given
    // The style of the run's `facilities` layer (a .toml file the run wrote from its profile);
    // when given, the map draws the facilities with it above the run's other layers.
    std::string facility_style;
};

// The page as text.
std::string html_report(const ReportInput& input);
// Writes it atomically.
void write_html_report(const std::string& path, const ReportInput& input);

// The indicator page of `planmap assess` (its summary): the counts by status, then every indicator
// with baseline, target, value, status (coloured), clause and how it was evaluated.
std::string indicator_report(const nlohmann::json& assess_summary);

// The profile's thresholds checked against the summary's figures: label, metric, op, value,
// citation, actual and pass (null when the metric is not available for this run).
nlohmann::json threshold_checks(const analysis::Profile* profile, const nlohmann::json& summary);

}  // namespace planmap::analysis
