#include "render/halo.hpp"

#include <algorithm>
#include <cmath>

#include "render/text.hpp"

namespace planmap::render {

namespace {

// Appends the outline of one glyph, its origin at (0, 0), to the current path.
void glyph_path(cairo_t* cr, PangoFont* font, PangoGlyph glyph) {
    PangoGlyphString* gs = pango_glyph_string_new();
    pango_glyph_string_set_size(gs, 1);
    gs->glyphs[0].glyph = glyph;
    gs->glyphs[0].geometry = {0, 0, 0};
    gs->glyphs[0].attr.is_cluster_start = 1;
    cairo_move_to(cr, 0, 0);
    pango_cairo_glyph_string_path(cr, font, gs);
    pango_glyph_string_free(gs);
}

void halo_stroke(cairo_t* cr, double halo_mm) {
    cairo_set_line_width(cr, halo_mm * 2);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke(cr);
}

std::uint32_t pack(const styles::Color& c) {
    auto b = [](double v) { return static_cast<std::uint32_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255)); };
    return b(c.r) << 24 | b(c.g) << 16 | b(c.b) << 8 | b(c.a);
}

}  // namespace

HaloStamps::HaloStamps(cairo_t* cr, PdfContent* beneath) : cr_(cr), beneath_(beneath) {
    cairo_get_matrix(cr, &page_);
    cairo_surface_t* target = cairo_get_target(cr);
    if (!beneath_ && wants_page_tiles(target)) tiles_.emplace(cr);
    auto type = cairo_surface_get_type(target);
    raster_ = type == CAIRO_SURFACE_TYPE_IMAGE || type == CAIRO_SURFACE_TYPE_RECORDING;
}

HaloStamps::~HaloStamps() {
    for (auto& entry : stamps_) g_object_unref(std::get<0>(entry.first));
    for (auto& entry : forms_) g_object_unref(entry.first.first);
}

int HaloStamps::outline_form(PangoFont* font, PangoGlyph glyph) {
    auto [it, fresh] = forms_.try_emplace({font, glyph}, -1);
    if (!fresh) return it->second;
    g_object_ref(font);
    SurfacePtr scratch(cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1));
    CairoPtr c(cairo_create(scratch.get()));
    glyph_path(c.get(), font, glyph);
    cairo_path_t* path = cairo_copy_path(c.get());
    PdfContent& pdf = *beneath_;
    pdf.new_path();
    for (int i = 0; i < path->num_data; i += path->data[i].header.length) {
        const cairo_path_data_t* d = &path->data[i];
        switch (d->header.type) {
            case CAIRO_PATH_MOVE_TO: {
                // A move followed by no segment (the origin, before the glyph's first contour) is
                // left out: a PDF stroke with round caps would draw it as a dot.
                int next = i + d->header.length;
                if (next < path->num_data && path->data[next].header.type != CAIRO_PATH_MOVE_TO) pdf.move_to(d[1].point.x, d[1].point.y);
                break;
            }
            case CAIRO_PATH_LINE_TO: pdf.line_to(d[1].point.x, d[1].point.y); break;
            case CAIRO_PATH_CURVE_TO: pdf.curve_to(d[1].point.x, d[1].point.y, d[2].point.x, d[2].point.y, d[3].point.x, d[3].point.y); break;
            case CAIRO_PATH_CLOSE_PATH: pdf.close_path(); break;
        }
    }
    cairo_path_destroy(path);
    it->second = pdf.define_path_form();
    return it->second;
}

const HaloStamps::Stamp& HaloStamps::stamp(PangoFont* font, PangoGlyph glyph, const styles::Color& color, double halo_mm, double scale) {
    Key key{font, glyph, halo_mm, tiles_ ? pack(color) : 0u, scale};
    auto it = stamps_.find(key);
    if (it != stamps_.end()) return it->second;
    g_object_ref(font);
    Stamp& s = stamps_[key];
    // The stroked outline's extents, in mm (forms) or device pixels (masks).
    SurfacePtr scratch(cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1));
    CairoPtr c(cairo_create(scratch.get()));
    cairo_scale(c.get(), scale, scale);
    glyph_path(c.get(), font, glyph);
    cairo_path_t* path = cairo_copy_path(c.get());
    cairo_set_line_width(c.get(), halo_mm * 2);
    cairo_set_line_join(c.get(), CAIRO_LINE_JOIN_ROUND);
    double x0, y0, x1, y1;
    cairo_stroke_extents(c.get(), &x0, &y0, &x1, &y1);
    if (x1 > x0 && y1 > y0) {
        CairoPtr r;
        if (tiles_) {
            cairo_rectangle_t ext{x0, y0, x1 - x0, y1 - y0};
            s.surface.reset(cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext));
            r.reset(cairo_create(s.surface.get()));
            set_source(r.get(), {color.r, color.g, color.b, 1});
        } else {
            // Whole pixels around the ink, one spare on each side for anti-aliasing.
            s.x = std::floor(x0 * scale) - 1, s.y = std::floor(y0 * scale) - 1;
            int w = static_cast<int>(std::ceil(x1 * scale) + 1 - s.x), h = static_cast<int>(std::ceil(y1 * scale) + 1 - s.y);
            s.surface.reset(cairo_image_surface_create(CAIRO_FORMAT_A8, w, h));
            r.reset(cairo_create(s.surface.get()));
            cairo_translate(r.get(), -s.x, -s.y);
            cairo_scale(r.get(), scale, scale);
        }
        cairo_append_path(r.get(), path);
        halo_stroke(r.get(), halo_mm);
        r.reset();
        if (!tiles_) cairo_surface_flush(s.surface.get());
    }
    cairo_path_destroy(path);
    return s;
}

void HaloStamps::glyph(PangoFont* font, PangoGlyph glyph, double x, double y, const styles::Color& color, double halo_mm) {
    styles::Color opaque{color.r, color.g, color.b, 1};
    if (beneath_) {
        // Glyph space → page mm: the glyph's origin at (x, y) of cr_'s user space.
        cairo_matrix_t m, user, to_page = page_;
        cairo_get_matrix(cr_, &user);
        cairo_matrix_invert(&to_page);
        cairo_matrix_multiply(&user, &user, &to_page);
        cairo_matrix_init_translate(&m, x, y);
        cairo_matrix_multiply(&m, &m, &user);
        int form = outline_form(font, glyph);
        PdfContent& pdf = *beneath_;
        pdf.set_source(opaque);
        pdf.set_line_width(halo_mm * 2);
        pdf.set_line_join(CAIRO_LINE_JOIN_ROUND);
        pdf.set_line_cap(CAIRO_LINE_CAP_ROUND);
        pdf.set_dash(nullptr, 0);
        pdf.stroke_form(form, m);
        return;
    }
    if (tiles_) {
        const Stamp& s = stamp(font, glyph, color, halo_mm, 1);
        if (!s.surface) return;
        // Form space: the glyph origin at (x, y) in user space.
        cairo_matrix_t m, to_page = tiles_->to_page();
        cairo_matrix_init_translate(&m, x, y);
        cairo_matrix_multiply(&m, &m, &to_page);
        cairo_rectangle_t ext;
        cairo_recording_surface_get_extents(s.surface.get(), &ext);
        double box[4];
        transform_box(m, ext.x, ext.y, ext.width, ext.height, box);
        cairo_surface_t* form = s.surface.get();
        tiles_->add(box[0], box[1], box[2], box[3], [form, m](cairo_t* c) {
            cairo_transform(c, &m);
            cairo_set_source_surface(c, form, 0, 0);
            cairo_paint(c);
        });
        return;
    }
    cairo_matrix_t m;
    cairo_get_matrix(cr_, &m);
    if (!raster_ || m.xy != 0 || m.yx != 0 || m.xx != m.yy || m.xx <= 0) {
        // Other vector output, or rotated (line labels): stroked in place.
        cairo_save(cr_);
        cairo_translate(cr_, x, y);
        cairo_new_path(cr_);
        glyph_path(cr_, font, glyph);
        set_source(cr_, opaque);
        halo_stroke(cr_, halo_mm);
        cairo_restore(cr_);
        return;
    }
    const Stamp& s = stamp(font, glyph, color, halo_mm, m.xx);
    if (!s.surface) return;
    double dx = x, dy = y;
    cairo_user_to_device(cr_, &dx, &dy);
    cairo_save(cr_);
    cairo_identity_matrix(cr_);
    set_source(cr_, opaque);
    cairo_mask_surface(cr_, s.surface.get(), static_cast<double>(std::lround(dx)) + s.x, static_cast<double>(std::lround(dy)) + s.y);
    cairo_restore(cr_);
}

void HaloStamps::flush() {
    if (tiles_) tiles_->flush();
}

void HaloStamps::draw(PangoLayout* layout, const styles::Color& color, double halo_mm) {
    for_each_glyph(layout, [&](PangoFont* font, PangoGlyph g, double x, double y) { glyph(font, g, x, y, color, halo_mm); });
}

}  // namespace planmap::render
