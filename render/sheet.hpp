// A planning map sheet: loads a map's layers (reprojected to the drawing CRS) and styles, lays out
// the sheet (title, map frame, legend, scales, north arrow / wind rose, inset, grid, title block)
// and draws it to PDF, SVG or PNG through Cairo. Outputs are written to a temporary file beside
// the target and renamed when complete.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "geo/crs.hpp"
#include "layers/feature.hpp"
#include "render/map_spec.hpp"
#include "styles/style.hpp"

namespace planmap::render {

struct LoadedLayer {
    LayerSpec spec;
    layers::Layer data;  // in the drawing CRS
    styles::Style style;
};

struct LoadedMap {
    MapSpec spec;
    geo::Crs crs;  // drawing CRS (metric)
    std::vector<LoadedLayer> layers;
    std::optional<layers::Layer> inset;  // in the drawing CRS
    std::vector<std::string> warnings;
};

// Reads every layer and style of the map; throws (file_error, io_error, crs_error) before anything
// is drawn.
LoadedMap load_map_data(const MapSpec& spec);

struct SheetOptions {
    double dpi = 150;                          // PNG only
    std::optional<geo::Envelope> focus;        // fit the frame to this extent (drawing CRS) instead
    std::string title_suffix;                  // appended to the title (atlas sheets)
    bool collect_details = false;              // fill RenderReport::labels (for tests)
};

struct LabelInfo {
    std::string text, layer;
    std::int64_t fid = -1;
    bool interior = false;
    bool leader = false;           // moved off its feature, with a leader line
    std::vector<double> box;       // x0, y0, x1, y1 of each box, concatenated (page mm)
    std::string polygon_wkt;       // interior labels: the polygon in page mm
};

struct RenderReport {
    std::string output, format;
    double page_w_mm = 0, page_h_mm = 0;
    int width_px = 0, height_px = 0;  // PNG
    double scale = 0;                 // 1:scale
    std::string sheet_number;         // GB/T 13989 at the series scale nearest the map's
    long sheet_series = 0;
    std::vector<std::string> legend;  // entries drawn in the legend, in order
    std::vector<std::string> stats;   // rows of the statistics box drawn, as "label: value"
    std::vector<std::string> classes_drawn;  // titles of the rules that drew a feature in the frame
    std::size_t features_drawn = 0, features_unstyled = 0;
    std::size_t labels_placed = 0, labels_skipped = 0;
    std::size_t labels_leader = 0;               // placed away from their feature with a leader line
    std::vector<std::string> labels_unplaced;    // "text (layer)" of labels with a leader that found no place
    std::vector<LabelInfo> labels;    // with collect_details
    std::vector<std::string> warnings;
    double draw_s = 0, output_s = 0;  // seconds spent drawing (layers, labels, furniture) and writing
};

RenderReport render_sheet(const LoadedMap& map, const std::string& output, const SheetOptions& options = {});

}  // namespace planmap::render
