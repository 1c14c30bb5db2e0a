// Label halos stamped glyph by glyph: raster masks sit where the stroked outline would be, PDF
// output reuses one form per glyph and keeps the labels as text, translucent halos do not darken
// where neighbouring glyphs' halos overlap, SVG output keeps every label.
#include <gtest/gtest.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "render/halo.hpp"
#include "render/labels.hpp"
#include "render/text.hpp"
#include "tests/support.hpp"

using namespace planmap;
using render::CairoPtr;
using render::SurfacePtr;

namespace {

constexpr double px_per_mm = 300 / 25.4;

// The red channel of an ARGB32 pixel.
int red(cairo_surface_t* img, int x, int y) {
    const unsigned char* row = cairo_image_surface_get_data(img) + static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(img);
    return static_cast<int>((reinterpret_cast<const std::uint32_t*>(row)[x] >> 16) & 0xff);
}

SurfacePtr black_image(int w, int h) {
    SurfacePtr img(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h));
    CairoPtr cr(cairo_create(img.get()));
    cairo_set_source_rgb(cr.get(), 0, 0, 0);
    cairo_paint(cr.get());
    return img;
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
    return n;
}

// Draws n labels 椒江 (6 pt, 0.3 mm white halo) in rows of 20 on a vector surface in mm, then
// finishes it.
void draw_repeated_labels(cairo_surface_t* surface, int n) {
    styles::LabelSymbolizer sym;
    sym.size_pt = 6;
    sym.halo_mm = 0.3;
    std::vector<render::LabelRequest> requests(static_cast<std::size_t>(n));
    {
        CairoPtr cr(cairo_create(surface));
        cairo_scale(cr.get(), 72 / 25.4, 72 / 25.4);
        auto ctx = render::make_text_context();
        render::TextSpec spec;
        spec.size_pt = sym.size_pt;
        render::LabelResult result;
        for (int i = 0; i < n; ++i) {
            auto& req = requests[static_cast<std::size_t>(i)];
            req.text = "椒江";
            req.sym = &sym;
            render::PlacedLabel pl;
            pl.request = &req;
            pl.layout = render::make_layout(ctx.get(), req.text, spec);
            pl.x = 10 + (i % 20) * 9.5, pl.y = 10 + (i / 20) * 13.5;
            result.placed.push_back(std::move(pl));
        }
        render::draw_labels(cr.get(), ctx.get(), result);
    }
    cairo_surface_finish(surface);
    ASSERT_EQ(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
}

}  // namespace

TEST(Halo, RasterMasksCoverTheStrokedOutline) {
    const int w = 700, h = 160;
    render::TextSpec spec;
    spec.size_pt = 9;
    const styles::Color white{1, 1, 1, 1};
    // Stamped at a fractional position, and the reference stroke of the whole layout outline.
    SurfacePtr stamped = black_image(w, h), stroked = black_image(w, h);
    {
        CairoPtr cr(cairo_create(stamped.get()));
        cairo_scale(cr.get(), px_per_mm, px_per_mm);
        auto ctx = render::make_text_context();
        auto layout = render::make_layout(ctx.get(), "规划路网 Ab12", spec);
        cairo_translate(cr.get(), 3.33, 2.71);
        render::HaloStamps stamps(cr.get());
        stamps.draw(layout.get(), white, 0.3);
        stamps.flush();
    }
    {
        CairoPtr cr(cairo_create(stroked.get()));
        cairo_scale(cr.get(), px_per_mm, px_per_mm);
        auto ctx = render::make_text_context();
        auto layout = render::make_layout(ctx.get(), "规划路网 Ab12", spec);
        cairo_translate(cr.get(), 3.33, 2.71);
        cairo_move_to(cr.get(), 0, 0);
        pango_cairo_layout_path(cr.get(), layout.get());
        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_set_line_width(cr.get(), 0.6);
        cairo_set_line_join(cr.get(), CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr.get());
    }
    cairo_surface_flush(stamped.get());
    cairo_surface_flush(stroked.get());
    std::size_t halo = 0, far = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            int a = red(stamped.get(), x, y), b = red(stroked.get(), x, y);
            if (b > 200) ++halo;
            if (std::abs(a - b) > 160) ++far;  // more than anti-aliasing at a half-pixel shift
        }
    ASSERT_GT(halo, 5000u) << "the reference halo is drawn";
    EXPECT_LT(static_cast<double>(far) / static_cast<double>(halo), 0.02) << far << " of " << halo << " halo pixels disagree";
}

TEST(Halo, TranslucentHalosDoNotDarkenWhereGlyphsMeet) {
    // Black text with a half-transparent white halo on black: where the halos of neighbouring
    // glyphs overlap the halo must stay at half white, not blend twice.
    SurfacePtr img = black_image(400, 120);
    styles::LabelSymbolizer sym;
    sym.size_pt = 10;
    sym.color = {0, 0, 0, 1};
    sym.halo_color = {1, 1, 1, 0.5};
    sym.halo_mm = 0.5;
    render::LabelRequest req;
    req.text = "口口口口";
    req.sym = &sym;
    render::LabelResult result;
    {
        CairoPtr cr(cairo_create(img.get()));
        cairo_scale(cr.get(), px_per_mm, px_per_mm);
        auto ctx = render::make_text_context();
        render::PlacedLabel pl;
        pl.request = &req;
        render::TextSpec spec;
        spec.size_pt = sym.size_pt;
        pl.layout = render::make_layout(ctx.get(), req.text, spec);
        pl.x = 2, pl.y = 2;
        result.placed.push_back(std::move(pl));
        render::draw_labels(cr.get(), ctx.get(), result);
    }
    cairo_surface_flush(img.get());
    int brightest = 0;
    std::size_t lit = 0;
    for (int y = 0; y < 120; ++y)
        for (int x = 0; x < 400; ++x) {
            int r = red(img.get(), x, y);
            brightest = std::max(brightest, r);
            if (r > 100) ++lit;
        }
    EXPECT_GT(lit, 2000u) << "the halo is drawn";
    EXPECT_LE(brightest, 130) << "overlapping glyph halos blended twice";
}

TEST(Halo, PdfReusesOneFormPerGlyphAndKeepsLabelsAsText) {
    test::TempDir tmp;
    const auto path = tmp / "labels.pdf";
    const int n = 400;
    {
        SurfacePtr pdf(cairo_pdf_surface_create(path.c_str(), 595, 842));
        draw_repeated_labels(pdf.get(), n);
    }
    std::string bytes = test::read_file(path);
    // Two glyph forms plus a few dozen tiles (halos and texts), not one per glyph drawn (800).
    std::size_t forms = count(bytes, "/Subtype /Form");
    EXPECT_GE(forms, 2u);
    EXPECT_LT(forms, 100u);
    auto [status, text] = test::shell("pdftotext '" + path.string() + "' - 2>/dev/null");
    if (status != 0) GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
    EXPECT_EQ(count(text, "椒江"), static_cast<std::size_t>(n)) << "every label stays text, once";
}

TEST(Halo, SvgKeepsLabelsAndHalos) {
    // SVG output draws halos and texts in place (no page tiles): every glyph is used once.
    test::TempDir tmp;
    const auto path = tmp / "labels.svg";
    const int n = 10;
    {
        SurfacePtr svg(cairo_svg_surface_create(path.c_str(), 595, 842));
        draw_repeated_labels(svg.get(), n);
    }
    std::string svg = test::read_file(path);
    EXPECT_EQ(count(svg, "xlink:href=\"#glyph"), static_cast<std::size_t>(2 * n)) << "each glyph of each label drawn once";
    EXPECT_GE(count(svg, "stroke-width:0.6"), 1u) << "halos stroked";
}

// A line label reads left to right on the stretch it sits on, even where a winding line runs
// right to left (its overall direction is left to right): no glyph upside down.
TEST(LineLabels, StayUprightWhereTheLineRunsBackwards) {
    styles::LabelSymbolizer sym;
    sym.size_pt = 8;
    sym.placement = styles::Placement::line;
    auto ctx = render::make_text_context();
    // Overall from x = 0 to x = 140, but its long middle stretch runs from x = 130 back to x = 10.
    std::vector<render::LabelRequest> requests(1);
    requests[0].text = "中央大道发展轴";
    requests[0].sym = &sym;
    requests[0].pts = {{0, 20}, {130, 20}, {130, 40}, {10, 40}, {10, 60}, {140, 60}};
    for (bool reversed : {false, true}) {  // the same line drawn from its other end
        if (reversed) std::reverse(requests[0].pts.begin(), requests[0].pts.end());
        render::CollisionIndex obstacles;
        auto result = render::place_labels(ctx.get(), requests, render::Box{-10, -10, 200, 200}, obstacles);
        ASSERT_EQ(result.placed.size(), 1u);
        const auto& glyphs = result.placed[0].glyphs;
        ASSERT_EQ(glyphs.size(), 7u);
        for (const auto& g : glyphs) EXPECT_GE(std::cos(g.angle), 0.0) << g.text << " at angle " << g.angle;
        EXPECT_LT(glyphs.front().cx, glyphs.back().cx);  // the first character on the left
    }
}
