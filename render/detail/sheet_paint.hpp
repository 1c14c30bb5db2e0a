// The sheet painter's entry point, shared by the outputs of render (sheet files, web maps).
#pragma once

#include "render/pdf_content.hpp"
#include "render/sheet.hpp"

namespace planmap::render::detail {

enum class Layout {
    sheet,  // the planning sheet: title, map frame, side panel (legend, inset, title block)
    web,    // a map for a web page: the frame fills the page beside a legend column; no title,
            // border, grid labels, inset or title block; the frame's scale fits the data exactly
};

// Web layout: blank edge around the frame and the legend column (mm).
inline constexpr double web_edge_mm = 0.5;

struct Page {
    double width_mm = 0, height_mm = 0;
    Layout layout = Layout::sheet;
    double legend_w_mm = 0;  // web: width of the legend column right of the frame
    double gap_mm = 0;       // web: space between the frame and the legend column
    double furniture = 0;    // web: size factor of text and furniture (1: as on A3); 0: from the page
};

// Draws the map on `cr` (user units: mm on the page), filling `report` (scale, legend, classes,
// features and labels). Paths snap to `snap_mm` (0: off). With `layers`, the page's background,
// the map's layers (fills, lines, arrows, markers), the grid lines and the labels' leaders and
// opaque halos go there instead, to be put beneath what is drawn on `cr` (PDF content written
// directly, render/pdf_content.hpp).
void paint_map(cairo_t* cr, const LoadedMap& map, const SheetOptions& options, const Page& page, RenderReport& report,
               double snap_mm, PdfContent* layers = nullptr);

}  // namespace planmap::render::detail
