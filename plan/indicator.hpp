// A plan's quantitative targets as data: the [[indicator]] rows (baseline, target, clause) and how
// each is evaluated — a count of elements, an area or length of an element, a coverage figure
// over data the user gives (planmap assess), or reported (kept, not computable from the plan).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "geo/geos.hpp"

namespace planmap::plan {

struct Plan;
struct PlanElement;

// Which elements a check or a count indicator is about: all given keys must hold.
struct PlanSelector {
    std::vector<std::string> ids;
    std::string kind, parent;
    std::vector<std::pair<std::string, std::string>> where;
    bool empty() const { return ids.empty() && kind.empty() && parent.empty() && where.empty(); }
};

struct PlanFigure {
    double value = 0;
    std::optional<int> year;
};

struct PlanIndicator {
    std::string id, name_zh, name_en, unit, source_ref, note;
    std::optional<PlanFigure> baseline, target;
    std::string compare = ">=";    // how the value meets the target: ">=", "<=" or "="
    std::string evaluate;          // reported, count, area, length, coverage
    std::string severity = "error";  // count: a miss fails the build (error) or is reported (warning)
    PlanSelector select;           // count
    std::string element;           // area, length
    // coverage: a coverage profile and the names of the --data inputs it reads; the figure is the
    // run's `metric` (coverage_ratio: residential area share, or population_coverage_ratio) in %.
    std::string profile, residential, facilities, population_field, metric = "coverage_ratio";
    int line = 0;
};

// The evaluate values and, for area and length, the units with their size in m² or m.
const std::vector<std::string>& indicator_methods();
const std::map<std::string, double>& area_units();
const std::map<std::string, double>& length_units();

struct IndicatorResult {
    const PlanIndicator* indicator = nullptr;
    std::optional<double> value;  // in the indicator's unit; none when not computable
    std::string status;           // met, not met, no target, not computable
    std::string why;              // what the value is, or why there is none
};

// "met" / "not met" for a value against the indicator's target ("no target" without one);
// "=" allows 1e-9 relative difference for counts and 0.5 % for areas, lengths and coverage.
std::string indicator_status(const PlanIndicator& indicator, double value);
IndicatorResult not_computable(const PlanIndicator& indicator, std::string why);

// The indicator with its result as the build report and `assess` write it: id, names, unit,
// baseline, target (with compare), evaluate, value (null when not computable), status, why,
// source_ref, note.
nlohmann::json indicator_json(const IndicatorResult& result);
// One line for a terminal: "[met] id name_zh: value unit (target >= x unit by year; baseline …)".
std::string indicator_line(const IndicatorResult& result);

// The elements a selector picks, in plan order.
std::vector<const PlanElement*> select_elements(const Plan& plan, const PlanSelector& s);

// Evaluates what the plan itself can: count, area and length (geometries in the metric analysis
// CRS, by element id). Coverage indicators are not computable here (they need the data
// `planmap assess` is given); reported ones never are.
IndicatorResult evaluate_indicator(const Plan& plan, const PlanIndicator& indicator,
                                   const std::map<std::string, geo::GeomPtr>& metric_geoms);

}  // namespace planmap::plan
