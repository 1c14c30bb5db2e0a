// PDF output: many small drawings gathered into square tiles of the page, each tile
// one form (a recording surface, a PDF XObject) painted once. Cairo's PDF writer keeps the page's
// drawn area as a region and, once forms have been painted, merges every later operation into it
// at a cost that grows with the number of earlier operations: thousands of label glyphs and texts
// painted one by one on the page take time quadratic in their number, while tiles of a few dozen
// each stay linear.
#pragma once

#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "render/cairo.hpp"

namespace planmap::render {

// Whether drawing on `s` goes through page tiles: PDF only (Cairo 1.16's SVG writer leaves forms
// whose extents do not start at the origin empty).
bool wants_page_tiles(cairo_surface_t* s);

class PageTiles {
public:
    // Page space: the user space of `cr` now (millimetres on the sheet).
    explicit PageTiles(cairo_t* cr);

    // The matrix from the current user space of the page's cairo_t to page space.
    cairo_matrix_t to_page() const;
    // Queues `draw` (called with a context whose user space is page space) for the tile holding
    // the centre of the page-space box [x0, x1] × [y0, y1], which must bound what it draws.
    void add(double x0, double y0, double x1, double y1, std::function<void(cairo_t*)> draw);
    // Paints the queued tiles, row by row, and clears them.
    void flush();

private:
    struct Tile {
        std::vector<std::function<void(cairo_t*)>> draws;
        double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    };
    cairo_t* cr_;
    cairo_matrix_t page_;  // page space → device
    std::map<std::pair<long, long>, Tile> tiles_;
};

// The page-space bounding box of the rectangle (x, y, w, h) under `m`: x0, y0, x1, y1.
void transform_box(const cairo_matrix_t& m, double x, double y, double w, double h, double out[4]);

}  // namespace planmap::render
