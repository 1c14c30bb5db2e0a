// The facilities of a coverage or life-circle run as its sheet and report draw them: a layer with
// every input facility and what became of it (its size class and radius, too small, of a type the
// profile does not count, not attached to the network, unusable), the style that draws it (made
// from the rule profile, so the legend states each class's own rule), the rows of the sheet's
// statistics box (headline figures and the profile's thresholds with pass/fail and clause), and
// the run's map file for `planmap render`.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "analysis/lifecircle.hpp"
#include "analysis/profile.hpp"
#include "analysis/service_areas.hpp"
#include "layers/feature.hpp"
#include "render/map_spec.hpp"

namespace planmap::analysis {

// The `status` of a facility in the facilities layer ("counted", "too_small", "not_counted",
// "unattached", "invalid").
std::string facility_status(IgnoredKind kind);

// Coverage: one feature per input facility (same geometry, in the run's CRS) with facility_fid,
// type (when the profile has a type field), unit (the service unit it counts in, 1-based; a
// dissolved park's patches share one), area_m2 (of the dissolved park), size_class (the profile
// rule's name, "fixed radius", or "too small"), radius_m (null when not counted; kept for an
// unattached park), status and map_class (size_class when counted, else the status): the field
// the style draws by.
layers::Layer coverage_facilities_layer(const layers::Layer& facilities, const std::string& type_field, const ServiceAreas& service);
// Life circles: facility_fid, type, name_zh, level, radius_m (from the profile's facility row),
// status and map_class (the type when counted, else the status).
layers::Layer lifecircle_facilities_layer(const layers::Layer& facilities, const std::string& type_field, const Profile& profile,
                                          const LifeCircleAudit& audit);

// Facilities per status, as in the summary's `facilities_by_status`.
nlohmann::json facilities_by_status(const layers::Layer& facilities_layer);

// The style of the facilities layer (TOML text, docs/styles.md), one rule per map_class value:
// each size class of the profile (or the fixed radius) with its radius in the legend title, then
// too small (hatched grey), not counted, unattached (red) and invalid. `points`: the layer has
// points (markers are drawn; polygons alone are drawn as areas). `max_snap_m`: network mode.
std::string coverage_facility_style(const Profile* profile, std::optional<double> radius_m, bool points,
                                    std::optional<double> max_snap_m);
// One marker per facility type of the profile (shape by level, colour by type), unattached and
// other types marked.
std::string lifecircle_facility_style(const Profile& profile, std::optional<double> max_snap_m);

// A figure as the sheet shows it: ratios and shares as percentages, other figures with two decimals.
std::string format_figure(const std::string& metric, double value);
// One statistics row per threshold check of a summary (threshold_checks): the actual figure, the
// requirement, pass/fail/n/a and the clause.
std::vector<render::StatsRow> threshold_rows(const nlohmann::json& checks);
// The statistics box of a coverage or life-circle summary: headline figures, then threshold_rows.
std::vector<render::StatsRow> coverage_stats(const nlohmann::json& summary);
std::vector<render::StatsRow> lifecircle_stats(const nlohmann::json& summary);

struct RunMapLayer {
    std::string name, layer, style;  // the layer of the run's GeoPackage and its style
};

// A map file (TOML) for `planmap render`: A3 landscape, the layers from `gpkg` (a file name beside
// the map file), and the statistics box.
std::string run_map_toml(const std::string& comment, const std::string& title, const std::string& subtitle, const std::string& gpkg,
                         const std::vector<RunMapLayer>& layers, const std::vector<render::StatsRow>& stats);

}  // namespace planmap::analysis
