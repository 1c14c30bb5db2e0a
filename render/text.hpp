// Text with Pango/HarfBuzz in page millimetres: layouts in the Noto CJK families (Pango falls back
// per character to any installed font covering it), Chinese line breaking, halos.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "render/cairo.hpp"
#include "styles/color.hpp"

namespace planmap::render {

struct PangoContextDeleter {
    void operator()(PangoContext* c) const noexcept {
        if (c) g_object_unref(c);
    }
};
using PangoContextPtr = std::unique_ptr<PangoContext, PangoContextDeleter>;

inline constexpr const char* sans_family = "Noto Sans CJK SC";   // 黑体 role: titles, legends, labels
inline constexpr const char* serif_family = "Noto Serif CJK SC"; // 宋体 role: notes, road names

inline double pt_to_mm(double pt) { return pt * 25.4 / 72.0; }

// A Pango context for drawing on cairo_t's whose user units are millimetres. Text is measured at
// one fixed scale (that of PDF: 1 pt per device unit) with hinting off, whatever the target: a
// sheet lays its text out (and so places the same labels) alike in PNG at any dpi, PDF and SVG.
PangoContextPtr make_text_context();

struct TextSpec {
    std::string family = sans_family;
    double size_pt = 9;
    bool bold = false;
    double wrap_mm = 0;  // wrap longer text at this width (0: single line unless it has '\n')
    PangoAlignment align = PANGO_ALIGN_LEFT;
};

// A layout of `text`. Wrapping never starts a line with Chinese closing punctuation (，。、；：？！
// ）》」』】〕 …): a word joiner is put before each, so the break falls before the preceding
// character instead.
LayoutPtr make_layout(PangoContext* ctx, const std::string& text, const TextSpec& spec);
// Inserts U+2060 WORD JOINER before every closing punctuation mark (exposed for tests).
std::string protect_line_starts(const std::string& text);

// Logical size of a layout in mm.
struct Size {
    double w = 0, h = 0;
};
Size layout_size(PangoLayout* layout);

// Draws a layout with its top-left corner at the current point's (x, y), with an optional halo.
void draw_layout(cairo_t* cr, PangoLayout* layout, double x, double y, const styles::Color& color,
                 const styles::Color* halo = nullptr, double halo_mm = 0);

void set_source(cairo_t* cr, const styles::Color& c, double opacity = 1.0);

// Calls fn(font, glyph, x, y) for each glyph of `layout` at its origin as Pango's renderer places
// it (run by run along each line's baseline; the layout's top-left corner at 0, 0).
void for_each_glyph(PangoLayout* layout, const std::function<void(PangoFont*, PangoGlyph, double, double)>& fn);

// Draws the glyphs of `layout` (top-left at the current point) as text that text extraction and
// search skip: in PDF, inside marked content whose /ActualText is empty. For pieces of a label
// whose whole text is written elsewhere (the glyphs of a line label).
void show_layout_glyphs_only(cairo_t* cr, PangoLayout* layout);

}  // namespace planmap::render
