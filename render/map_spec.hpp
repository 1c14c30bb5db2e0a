// A map file (TOML, see docs/maps.md): the paper, the map frame (fixed scale or fitted to a
// layer), the layers with their styles, and the sheet furniture (title, legend, scale, north arrow
// and wind rose, inset, grid, title block). Errors are file_error with file:line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/paths.hpp"

namespace planmap::render {

struct PaperSpec {
    std::string size = "A3";     // A0…A4
    bool landscape = true;
    int lengthen = 0;            // A0 lengthened by n/8 of its long side (A0 only)
    double margin_mm = 10;
    double width_mm = 0, height_mm = 0;  // resolved
};
// Resolves width/height from size, orientation and lengthening; throws usage_error when unknown.
PaperSpec resolve_paper(PaperSpec p);

struct LayerSpec {
    std::string name;                  // shown in reports; defaults to the source layer name
    std::string source;                // path (relative to the map file) or connection string
    std::optional<std::string> layer;  // source layer (default: the first)
    std::string s_crs;                 // override the source CRS (e.g. GCJ02)
    std::string style;                 // shipped style name or path
    bool legend = true;
    bool fit = true;                   // the fitted frame takes this layer's extent into account
    int line = 0;                      // where it is in the map file
};

struct TitleBlockSpec {
    std::string institute, project, drawing_no, date;
    std::string design, check, review, approve;  // 设计 / 校对 / 审核 / 审定
};

// One row of a statistics box: a figure, and optionally the requirement it is checked against,
// the outcome and the clause the requirement comes from. The run that writes the map file gives
// the rows; the sheet draws them as they are.
struct StatsRow {
    std::string label;        // "服务半径覆盖率 coverage ratio"
    std::string value;        // "76.45 %"
    std::string requirement;  // "> 80 %" ("": a plain figure)
    std::string status;       // "pass", "fail", "n/a" or "" (no check)
    std::string clause;       // "GB 55014-2021 §2.1.4 [V]"
};

struct StatsSpec {
    std::string title = "统计指标 Statistics";
    std::vector<StatsRow> rows;
};

struct MapSpec {
    std::string file;  // the map file ("" when built in memory)
    std::string dir;   // base folder for relative paths
    std::string title, subtitle, period;
    PaperSpec paper;
    std::optional<double> scale;       // 1:N fixed; otherwise fitted
    std::string fit_layer;             // layer name the frame fits (default: all layers)
    double fit_margin = 0.05;          // share of the frame left around a fitted extent
    std::string crs = "auto";          // drawing CRS: "auto" (geo::analysis_crs_for) or any CRS text
    std::vector<LayerSpec> layers;
    bool north_arrow = true;
    std::vector<double> wind;          // 16 frequencies from N clockwise (annual); empty: no rose
    std::vector<double> wind_summer;   // optional summer frequencies (dashed)
    bool inset = false;
    LayerSpec inset_layer;             // locator map content
    bool grid = false;
    double grid_spacing_m = 0;         // 0: chosen from the scale
    std::string legend_title = "图例";
    bool sheet_number = true;          // GB/T 13989 number of the map centre
    TitleBlockSpec title_block;
    std::optional<StatsSpec> stats;    // a statistics box in the side panel, above the title block
};

MapSpec load_map(const std::string& path);
// The map file and the layer sources it reads (relative ones resolved against its folder), for
// core::check_outputs.
std::vector<core::NamedPath> input_paths(const MapSpec& spec);
MapSpec parse_map(const std::string& text, const std::string& file);

}  // namespace planmap::render
