// The map spec for a plan-structure sheet: every layer of a plan GeoPackage (one layer per kind)
// drawn with the shipped plan-structure style, areas first, then lines, then points. A plan file
// evaluator can produce the same GeoPackage and reuse this entry point.
#pragma once

#include <string>

#include "render/map_spec.hpp"

namespace planmap::render {

// `title` empty: the plan's file name followed by "规划结构图".
MapSpec plan_map_spec(const std::string& gpkg_path, const std::string& title, const std::string& style = "plan_structure");

}  // namespace planmap::render
