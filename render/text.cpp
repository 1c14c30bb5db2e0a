#include "render/text.hpp"

#include <string_view>

namespace planmap::render {

PangoContextPtr make_text_context() {
    SurfacePtr reference(cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1));
    CairoPtr cr(cairo_create(reference.get()));
    cairo_scale(cr.get(), 72 / 25.4, 72 / 25.4);
    PangoContextPtr ctx(pango_cairo_create_context(cr.get()));
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx.get(), fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx.get(), FALSE);
    return ctx;
}

std::string protect_line_starts(const std::string& text) {
    // Closing punctuation that must not begin a line (GB/T 15834 and the JIS X 4051 rules).
    static const std::string_view closers[] = {"，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "』", "】",
                                               "〕", "〉", "”", "’", "…", "—", "·", "%", "％", ",", ".", ";", ":", "?", "!", ")"};
    static const std::string joiner = "\u2060";
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t i = 0;
    while (i < text.size()) {
        bool hit = false;
        if (i > 0) {
            for (auto c : closers) {
                if (text.compare(i, c.size(), c) == 0) {
                    // Only needed after a character (not after a space or newline).
                    char prev = text[i - 1];
                    if (prev != ' ' && prev != '\n') out += joiner;
                    out.append(c);
                    i += c.size();
                    hit = true;
                    break;
                }
            }
        }
        if (!hit) out += text[i++];
    }
    return out;
}

LayoutPtr make_layout(PangoContext* ctx, const std::string& text, const TextSpec& spec) {
    LayoutPtr layout(pango_layout_new(ctx));
    FontDescriptionPtr fd(pango_font_description_new());
    pango_font_description_set_family(fd.get(), spec.family.c_str());
    pango_font_description_set_weight(fd.get(), spec.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd.get(), pt_to_mm(spec.size_pt) * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), fd.get());
    if (spec.wrap_mm > 0) {
        pango_layout_set_width(layout.get(), static_cast<int>(spec.wrap_mm * PANGO_SCALE));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        std::string t = protect_line_starts(text);
        pango_layout_set_text(layout.get(), t.c_str(), static_cast<int>(t.size()));
    } else {
        pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    }
    pango_layout_set_alignment(layout.get(), spec.align);
    return layout;
}

Size layout_size(PangoLayout* layout) {
    PangoRectangle logical;
    pango_layout_get_extents(layout, nullptr, &logical);
    return {logical.width / double(PANGO_SCALE), logical.height / double(PANGO_SCALE)};
}

void set_source(cairo_t* cr, const styles::Color& c, double opacity) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity); }

void draw_layout(cairo_t* cr, PangoLayout* layout, double x, double y, const styles::Color& color, const styles::Color* halo,
                 double halo_mm) {
    cairo_save(cr);
    cairo_move_to(cr, x, y);
    if (halo && halo_mm > 0 && halo->a > 0) {
        pango_cairo_layout_path(cr, layout);
        set_source(cr, *halo);
        cairo_set_line_width(cr, halo_mm * 2);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_move_to(cr, x, y);
    }
    set_source(cr, color);
    pango_cairo_show_layout(cr, layout);
    cairo_restore(cr);
}

void for_each_glyph(PangoLayout* layout, const std::function<void(PangoFont*, PangoGlyph, double, double)>& fn) {
    PangoLayoutIter* it = pango_layout_get_iter(layout);
    do {
        PangoLayoutRun* run = pango_layout_iter_get_run_readonly(it);
        if (!run) continue;
        PangoRectangle logical;
        pango_layout_iter_get_run_extents(it, nullptr, &logical);
        double baseline = pango_layout_iter_get_baseline(it) / double(PANGO_SCALE);
        int x = logical.x;
        for (int i = 0; i < run->glyphs->num_glyphs; ++i) {
            const PangoGlyphInfo& gi = run->glyphs->glyphs[i];
            if (gi.glyph != PANGO_GLYPH_EMPTY)
                fn(run->item->analysis.font, gi.glyph, (x + gi.geometry.x_offset) / double(PANGO_SCALE),
                   baseline + gi.geometry.y_offset / double(PANGO_SCALE));
            x += gi.geometry.width;
        }
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
}

void show_layout_glyphs_only(cairo_t* cr, PangoLayout* layout) {
    double x0 = 0, y0 = 0;
    if (cairo_has_current_point(cr)) cairo_get_current_point(cr, &x0, &y0);
    // Glyphs of one font in a row go out together; each batch is one cluster of no text, which
    // Cairo writes as an empty /ActualText around the glyphs.
    std::vector<cairo_glyph_t> glyphs;
    PangoFont* font = nullptr;
    auto flush = [&] {
        if (glyphs.empty()) return;
        cairo_set_scaled_font(cr, pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)));
        cairo_text_cluster_t cluster{0, static_cast<int>(glyphs.size())};
        cairo_show_text_glyphs(cr, "", 0, glyphs.data(), static_cast<int>(glyphs.size()), &cluster, 1, cairo_text_cluster_flags_t(0));
        glyphs.clear();
    };
    for_each_glyph(layout, [&](PangoFont* f, PangoGlyph g, double x, double y) {
        if (f != font) flush(), font = f;
        glyphs.push_back({g, x0 + x, y0 + y});
    });
    flush();
}

}  // namespace planmap::render
