// A map for a web page: the sheet painter's map frame (same styles, symbols, labels, legend,
// scale bar and north arrow as a sheet) fitted to the data, with the legend in a column beside
// it, drawn into an SVG string for inline use in HTML. Text is drawn as glyph outlines, so the
// SVG needs no fonts and no external files.
#pragma once

#include <string>
#include <vector>

#include "render/sheet.hpp"

namespace planmap::render {

struct WebMapOptions {
    double width_px = 1100;        // the whole picture, legend column included (CSS px, 96 per inch)
    double max_height_px = 900;    // a map taller than this at width_px is drawn narrower
    double min_height_px = 240;    // a wide map gets blank space above and below instead
    double legend_width_px = 220;  // the legend column
    double furniture = 1.3;        // size of text, legend, scale bar and north arrow (1: as on an A3 sheet)
    std::string id = "map";        // the <svg> element's id; the ids inside it start with "<id>-"
    std::string title;             // the SVG's <title> (its accessible name); default: the map's title
};

struct WebMap {
    std::string svg;  // one <svg> element (no XML declaration), sized in CSS px with a viewBox
    double width_px = 0, height_px = 0;
    RenderReport report;  // legend entries drawn, classes drawn, features and labels
};

// Draws `map` (from load_map_data or load_file_map). Throws io_error when its layers have no
// features to draw.
WebMap render_web_map(const LoadedMap& map, const WebMapOptions& options = {});

// The map of one file's layers (such as a run's GeoPackage): the named layers the file has, in
// that order (bottom first; names it lacks are skipped), all styled with `style` (a shipped style
// name or a path), drawn in the CRS of the first layer. The file is read once.
LoadedMap load_file_map(const std::string& path, const std::vector<std::string>& layer_names, const std::string& style);

}  // namespace planmap::render
