// The map spec for a plan-structure sheet: every layer of a plan GeoPackage (one layer per kind)
// drawn with the shipped plan-structure style: the ground (the territory's own layers), areas, then
// base geography (the plan's own
// base kinds such as rivers, and base layers from the user's data), then lines, then points. A
// plan file evaluator can produce the same GeoPackage and reuse this entry point.
#pragma once

#include <string>
#include <vector>

#include "render/map_spec.hpp"

namespace planmap::render {

// A base layer drawn beneath the structure (water, roads … from any source the user has), with the
// shipped style `plan_base_<role>`; it does not widen the frame.
struct PlanSheetBase {
    std::string name, source, s_crs, layer, role;
};

struct PlanSheetOptions {
    std::string style = "plan_structure";
    std::vector<PlanSheetBase> bases;
    std::vector<std::string> ground;   // plan layers drawn first, in this order (the territory)
    std::vector<std::string> beneath;  // plan layers drawn with the base layers
    std::string fit;                   // the frame fits this plan layer when there is one (else all)
};

// `title` empty: the plan's file name followed by "规划结构图".
MapSpec plan_map_spec(const std::string& gpkg_path, const std::string& title, const PlanSheetOptions& options = {});

}  // namespace planmap::render
