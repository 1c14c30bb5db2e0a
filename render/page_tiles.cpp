#include "render/page_tiles.hpp"

#include <algorithm>
#include <cmath>

namespace planmap::render {

namespace {
// Side of the tiles (page mm): a few dozen labels each on a busy sheet.
constexpr double tile_mm = 40;
}  // namespace

bool wants_page_tiles(cairo_surface_t* s) { return cairo_surface_get_type(s) == CAIRO_SURFACE_TYPE_PDF; }

void transform_box(const cairo_matrix_t& m, double x, double y, double w, double h, double out[4]) {
    out[0] = out[1] = 1e300, out[2] = out[3] = -1e300;
    for (auto [cx, cy] : {std::pair{x, y}, {x + w, y}, {x, y + h}, {x + w, y + h}}) {
        cairo_matrix_transform_point(&m, &cx, &cy);
        out[0] = std::min(out[0], cx), out[1] = std::min(out[1], cy), out[2] = std::max(out[2], cx), out[3] = std::max(out[3], cy);
    }
}

PageTiles::PageTiles(cairo_t* cr) : cr_(cr) { cairo_get_matrix(cr, &page_); }

cairo_matrix_t PageTiles::to_page() const {
    cairo_matrix_t user, device_to_page = page_;
    cairo_get_matrix(cr_, &user);
    cairo_matrix_invert(&device_to_page);
    cairo_matrix_multiply(&user, &user, &device_to_page);
    return user;
}

void PageTiles::add(double x0, double y0, double x1, double y1, std::function<void(cairo_t*)> draw) {
    Tile& t = tiles_[{std::lround(std::floor((x0 + x1) / 2 / tile_mm)), std::lround(std::floor((y0 + y1) / 2 / tile_mm))}];
    t.draws.push_back(std::move(draw));
    t.x0 = std::min(t.x0, x0), t.y0 = std::min(t.y0, y0), t.x1 = std::max(t.x1, x1), t.y1 = std::max(t.y1, y1);
}

void PageTiles::flush() {
    if (tiles_.empty()) return;
    cairo_save(cr_);
    cairo_set_matrix(cr_, &page_);
    for (const auto& entry : tiles_) {
        const Tile& t = entry.second;
        const double pad = 0.05;
        cairo_rectangle_t ext{t.x0 - pad, t.y0 - pad, t.x1 - t.x0 + 2 * pad, t.y1 - t.y0 + 2 * pad};
        SurfacePtr tile(cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext));
        {
            CairoPtr c(cairo_create(tile.get()));
            for (const auto& draw : t.draws) {
                cairo_save(c.get());
                draw(c.get());
                cairo_restore(c.get());
            }
        }
        cairo_set_source_surface(cr_, tile.get(), 0, 0);
        cairo_paint(cr_);
    }
    cairo_restore(cr_);
    tiles_.clear();
}

}  // namespace planmap::render
