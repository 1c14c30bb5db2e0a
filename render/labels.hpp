// Label placement with collision avoidance, in page millimetres. Requests are placed in priority
// order (then in the order given); a label is drawn only where it overlaps no placed label and no
// obstacle (legend, scale bar, north arrow). Polygon labels stay inside their polygon; line labels
// follow the line character by character (or stand upright, stacked, on near-vertical lines).
// A label whose symbolizer asks for a leader and finds no such place goes, after all others, beside
// its feature or to a free place nearby with a leader line; one that still finds none is listed.
// On vector surfaces the glyphs of line labels are left out of the text (PDF: glyphs in marked
// content with an empty /ActualText; SVG: outlines) and the whole text is drawn once more as an
// invisible run, so that the PDF's text holds the name as one word.
#pragma once

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <string>
#include <vector>

#include "geo/geos.hpp"
#include "render/pdf_content.hpp"
#include "render/text.hpp"
#include "styles/style.hpp"

namespace planmap::render {

struct Box {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool intersects(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
    bool within(const Box& o) const { return x0 >= o.x0 && x1 <= o.x1 && y0 >= o.y0 && y1 <= o.y1; }
};

class CollisionIndex {
public:
    bool free(const Box& b) const;
    void insert(const Box& b);

private:
    using Pt = boost::geometry::model::point<double, 2, boost::geometry::cs::cartesian>;
    using BBox = boost::geometry::model::box<Pt>;
    boost::geometry::index::rtree<BBox, boost::geometry::index::quadratic<16>> tree_;
};

struct LabelRequest {
    std::string text;
    const styles::LabelSymbolizer* sym = nullptr;
    // Page-mm geometry: a point (one vertex), a polyline, or for interior labels the polygon
    // (a GEOS geometry in page mm) with an anchor point.
    std::vector<std::pair<double, double>> pts;
    geo::GeomPtr polygon;
    double marker_radius_mm = 0;  // point labels go beside the marker
    std::string layer;
    std::int64_t fid = -1;
};

struct PlacedGlyph {
    std::string text;
    double cx = 0, cy = 0, angle = 0;  // centre, rotation (radians)
};

struct PlacedLabel {
    const LabelRequest* request = nullptr;
    LayoutPtr layout;          // block labels (point / interior)
    double x = 0, y = 0;       // top-left of the block
    std::vector<PlacedGlyph> glyphs;  // line labels
    std::vector<Box> boxes;    // what it occupies (for the invariants)
    // A label moved off its feature (placed beside it, or away with a leader from the feature to
    // the label box).
    bool moved = false, leader = false;
    std::pair<double, double> leader_from, leader_to;
};

struct LabelResult {
    std::vector<PlacedLabel> placed;
    std::size_t skipped = 0;
    std::size_t leaders = 0;                       // labels placed with a leader line
    std::vector<const LabelRequest*> unplaced;     // labels with `leader` that found no place
};

// Places the requests inside `frame` (page mm), avoiding `obstacles` and each other; placed
// labels are added to `obstacles`.
LabelResult place_labels(PangoContext* ctx, std::vector<LabelRequest>& requests, const Box& frame, CollisionIndex& obstacles);
// Draws the placed labels on `cr`. With `beneath` (PDF content written directly under the page's
// Cairo drawing), leaders and opaque halos go there; a translucent halo stays on `cr`, where its
// glyphs' halos are grouped and painted once with its alpha.
void draw_labels(cairo_t* cr, PangoContext* ctx, const LabelResult& result, PdfContent* beneath = nullptr);

}  // namespace planmap::render
