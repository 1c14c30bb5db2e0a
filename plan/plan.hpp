// Plan structures: a declarative plan file (TOML, see docs/plan-format.md) turned into layers.
// A plan names its base data (boundaries with their CRS), its elements (each with a kind, names,
// parent, precision, clause reference and a geometry that is authored, selected from base data or
// derived from other elements) and checks. parse_plan reads and validates the file; build_plan
// evaluates the elements in dependency order in a metric CRS and runs the checks. Every problem in
// the file is a planmap::file_error naming the file, the line and the element.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "geo/crs.hpp"
#include "layers/feature.hpp"
#include "plan/indicator.hpp"

namespace planmap::plan {

// The element kinds a plan may use (the renderer styles features by this field).
const std::vector<std::string>& plan_kinds();
// The kinds that tile the plan's territory (district, units, counties): a sheet draws them first,
// as the ground the structure stands on, in this order.
const std::vector<std::string>& plan_ground_kinds();
// The kinds that are base geography (rivers): a sheet draws them beneath the structure.
const std::vector<std::string>& plan_base_kinds();
// What a `[[base]]` may be drawn as on the plan's sheet (`draw = "water"` …).
const std::vector<std::string>& plan_base_roles();
// The allowed precision values: schematic, indicative, surveyed.
const std::vector<std::string>& plan_precisions();

using LonLat = std::pair<double, double>;

struct PlanBase {
    std::string id;
    std::string path;        // as written in the plan
    std::string resolved;    // relative to the plan file's folder
    std::string crs;         // the layer's CRS, e.g. "GCJ02"; empty: the file's own
    std::string layer;       // a layer of a multi-layer source; empty: the first
    std::string name_field = "name";
    std::string draw;        // drawn beneath the structure on the sheet as this role; empty: not drawn
    int line = 0;
    bool replaced = false;   // `resolved` is a source given instead of the plan's path (replace_base)
};

// How an element gets its geometry: exactly one source, then optional post-processing.
struct PlanGeometry {
    enum class Source { none, point, points, line, lines, polygon, select, op };
    Source source = Source::none;
    // Authored coordinates (point: one part of one point; points/lines: several parts).
    std::vector<std::vector<LonLat>> parts;
    // select: features of a base layer whose `field` equals one of `values`.
    std::string base, field;
    std::vector<std::string> values;
    bool select_all = false;  // select: every feature of the base layer
    // op: union, hull, buffer, corridor, annulus, polygon, boundary, enclosed_ring, chain, clip,
    // difference, largest_part, voronoi.
    std::string op;
    std::vector<std::string> members;  // union, hull, chain, enclosed_ring, difference (subtracted)
    std::string of;                    // buffer, corridor, polygon, boundary, clip, difference, largest_part
    std::string by;                    // clip
    std::string outer, inner;          // annulus
    std::string boundary;              // voronoi: the element whose area is partitioned
    std::optional<LonLat> seed;        // voronoi: authored seed
    std::string seed_ref;              // voronoi: seed taken from a point element
    double distance_m = 0;             // buffer, corridor (half width)
    int side = 0;                      // corridor: +1 left, -1 right, 0 both
    double snap_m = 0;                 // chain
    // Post-processing, in this order.
    double buffer_m = 0;
    std::string clip;
    int smooth = 0;
};

struct PlanElement {
    std::string id, kind, name_zh, name_en, parent, precision, source_ref;
    bool inferred = false;
    bool helper = false;  // a construction other elements use, not written to the output
    std::vector<std::pair<std::string, layers::Value>> attributes;  // in file order
    PlanGeometry geometry;
    std::string within;  // authored geometry must lie inside this element (points: the plan's district by default)
    int line = 0;
    std::vector<std::string> dependencies() const;  // elements whose geometry this one needs
};

// Which elements a check looks at: listed ids, or all of a kind (optionally with a parent and
// attribute values).
struct PlanCheck {
    std::string type;  // count, partition, inside, disjoint, closed_ring
    std::string name;  // a label for the report
    std::string severity = "error";
    std::string message;  // shown when the check fails
    PlanSelector select;
    std::optional<long long> expect;          // count
    std::vector<std::string> names;           // count: the exact set of name_zh
    std::string of;                           // partition: the boundary element
    std::string within;                       // inside
    std::vector<std::pair<std::string, std::string>> pairs;  // inside: (element, container)
    std::vector<std::string> other;           // disjoint: the second group
    double area_tolerance = 0.02;             // partition: relative area difference allowed
    double overlap_tolerance = 0.001;         // partition: overlap area allowed, relative to the boundary
    double tolerance_m = 0;                   // inside: container grown by this; closed_ring: end gap
    double tolerance_m2 = 1.0;                // disjoint: overlap area allowed (polygons)
    int line = 0;
};

struct Plan {
    std::string file;  // the plan file's path as given
    std::string id, name_zh, name_en, period, source, district;
    std::string coordinates_crs = "EPSG:4490";  // CRS of authored coordinates
    int district_line = 0;
    std::vector<PlanBase> bases;
    std::vector<PlanElement> elements;
    std::vector<PlanCheck> checks;
    std::vector<PlanIndicator> indicators;
    const PlanElement* find(const std::string& element_id) const;
};

// Reads and validates a plan file: syntax, required fields, kinds, precisions, references between
// elements, and dependency cycles. Throws file_error (file:line: element 'id': message).
Plan parse_plan(const std::string& path);
Plan parse_plan_text(const std::string& text, const std::string& path);

// Reads bases from other sources than the plan's paths: each assignment is "ID=SOURCE" (a file or
// any source `convert` reads). The plan's CRS, layer and name field for that base still apply.
// Throws usage_error naming the parameter `base` for a malformed assignment or an unknown id.
void replace_bases(Plan& plan, const std::vector<std::string>& assignments);

// The elements in an order where every element comes after its dependencies; throws file_error
// naming the ids of a cycle.
std::vector<const PlanElement*> dependency_order(const Plan& plan);

struct BuildOptions {
    bool analysis_crs_output = false;  // write in the metric analysis CRS instead of CGCS2000 lon/lat
};

struct CheckResult {
    std::string name, type, severity;
    bool passed = false;
    std::string detail;  // the measured figures
    int line = 0;
};

struct PlanBuild {
    std::vector<layers::Layer> layers;           // one per kind, sorted by kind
    std::vector<CheckResult> checks;           // the plan's checks, then its count indicators
    std::vector<IndicatorResult> indicators;   // one per indicator, in plan order
    std::map<std::string, std::size_t> counts;  // features per kind
    // Elements without geometry (named in the text, never placed): kept out of the layers so
    // that every written feature has a valid geometry, listed here and in the report.
    std::vector<const PlanElement*> unplaced;
    std::vector<std::string> files_read;
    std::vector<layers::FeatureNote> notes;      // repairs made while importing base data
    std::vector<std::string> warnings;   // CRS warnings and the like
    std::optional<geo::Crs> analysis_crs, output_crs;
    std::vector<std::pair<std::string, double>> timings_ms;  // read, evaluate, checks
    std::size_t errors() const;          // failed checks of severity error
    std::size_t warnings_failed() const;  // failed checks of severity warning
};

// Evaluates a parsed plan. Geometry errors (an authored point outside its district, a derivation
// that fails or gives an invalid or empty geometry) throw file_error naming the element.
PlanBuild build_plan(const Plan& plan, const BuildOptions& options = {});
// When checks of severity error failed: file_error at the first one's line, "check 'name' failed:
// detail (N failed check(s); nothing written)".
void throw_failed_checks(const Plan& plan, const PlanBuild& built);

// What a plan says of itself (id, names, period, source) as dataset metadata items PLAN_ID,
// PLAN_NAME_ZH, PLAN_NAME_EN, PLAN_PERIOD, PLAN_SOURCE: `build` writes them into the GeoPackage,
// and a sheet rendered from that GeoPackage reads them back. plan_identity returns nothing when
// the items hold no PLAN_ID (not a plan's GeoPackage).
std::vector<std::pair<std::string, std::string>> plan_metadata(const Plan& plan);
std::optional<Plan> plan_identity(const std::map<std::string, std::string>& metadata);

}  // namespace planmap::plan
