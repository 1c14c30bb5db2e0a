// Drawing geometries and symbolizers on a canvas (Cairo or direct PDF content) in page millimetres.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "geo/geos.hpp"
#include "render/canvas.hpp"
#include "styles/style.hpp"

namespace planmap::render {

// World (drawing CRS, metres) → page millimetres for a map frame.
struct View {
    double fx = 0, fy = 0, fw = 0, fh = 0;  // frame on the page (mm)
    double wx0 = 0, wy1 = 0;                // world coordinates of the frame's top-left corner
    double mm_per_unit = 1;                 // 1000 / scale for metre CRSs
    double snap_mm = 0;                     // paths: round to this grid, drop repeated points (0: off)
    double px(double x) const { return fx + (x - wx0) * mm_per_unit; }
    double py(double y) const { return fy + (wy1 - y) * mm_per_unit; }
};

using Path = std::vector<std::pair<double, double>>;

// Calls fn(part) for each non-collection part of g (points, lines, polygons).
void for_each_part(const GEOSGeometry* g, const std::function<void(const GEOSGeometry*)>& fn);
// Coordinates of a point, line or ring in page mm.
Path page_coords(const GEOSCoordSequence* seq, const View& v);
// Adds g's outline to the current path (rings closed, lines open unless polygons_only;
// points ignored).
// With `oriented`, polygon shells run one way and holes the other, so that many polygons in one
// path fill correctly with the nonzero winding rule.
void add_path(Canvas& cv, const GEOSGeometry* g, const View& v, bool polygons_only = false, bool oriented = false);
// g transformed to page mm.
geo::GeomPtr to_page(const GEOSGeometry* g, const View& v);

void apply_line_style(Canvas& cv, const styles::LineSymbolizer& l);
// Fills the current path (kept) with a fill symbolizer's colour and hatch.
void fill_current_path(Canvas& cv, const styles::FillSymbolizer& f, cairo_fill_rule_t rule = CAIRO_FILL_RULE_EVEN_ODD);
// The tapered arrow along a polyline in page mm.
void draw_arrow(Canvas& cv, const Path& line, const styles::ArrowSymbolizer& a);
// A marker centred at (x, y) with diameter d (mm).
void draw_marker(Canvas& cv, double x, double y, double d, const styles::MarkerSymbolizer& m);

}  // namespace planmap::render
