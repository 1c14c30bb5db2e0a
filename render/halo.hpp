// Label halos stamped glyph by glyph. A glyph's halo (its outline stroked at twice the halo width,
// round joins) is made once per font, glyph, width and colour, then placed at every use of the
// glyph: in PDF output as one reusable form (an XObject drawn by reference, the placed forms
// gathered in page tiles, see page_tiles.hpp), in raster output as a coverage mask put at whole
// device pixels, where Cairo puts the glyphs themselves. Rotated glyphs in raster output, and every
// glyph in other vector output (SVG, PostScript), are stroked in place. A PDF sheet whose map is
// written directly beneath Cairo's drawing (pdf_content.hpp) gets its halos there: each glyph's
// outline, taken once, stroked where it is placed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

#include "render/cairo.hpp"
#include "render/pdf_content.hpp"
#include "render/page_tiles.hpp"
#include "styles/color.hpp"

namespace planmap::render {

class HaloStamps {
public:
    // Stamps for drawing on `cr`: forms for a PDF target, masks for image and recording surfaces;
    // with `beneath`, outline forms stroked there, placed by the current transformation of `cr`.
    explicit HaloStamps(cairo_t* cr, PdfContent* beneath = nullptr);
    ~HaloStamps();
    HaloStamps(const HaloStamps&) = delete;
    HaloStamps& operator=(const HaloStamps&) = delete;

    // Draws the halo of `layout` laid out with its top-left corner at the user-space origin. The
    // colour is drawn opaque: overlapping stamps of a translucent colour are to be grouped by the
    // caller and painted with the colour's alpha.
    void draw(PangoLayout* layout, const styles::Color& color, double halo_mm);
    // Paints the tiles gathered so far (PDF; other stamps are drawn at once).
    void flush();

private:
    using Key = std::tuple<PangoFont*, PangoGlyph, double, std::uint32_t, double>;  // font, glyph, width, colour, scale
    struct Stamp {
        SurfacePtr surface;
        double x = 0, y = 0;  // where the stamp's origin goes relative to the glyph origin (masks: device px)
    };
    const Stamp& stamp(PangoFont* font, PangoGlyph glyph, const styles::Color& color, double halo_mm, double scale);
    int outline_form(PangoFont* font, PangoGlyph glyph);
    void glyph(PangoFont* font, PangoGlyph glyph, double x, double y, const styles::Color& color, double halo_mm);

    cairo_t* cr_;
    PdfContent* beneath_;
    cairo_matrix_t page_;                                  // page mm → device of cr_ (beneath_)
    std::map<std::pair<PangoFont*, PangoGlyph>, int> forms_;  // beneath_: outline forms
    std::optional<PageTiles> tiles_;  // PDF
    bool raster_;                     // image or recording target: masks
    std::map<Key, Stamp> stamps_;
};

}  // namespace planmap::render
