// RAII for Cairo and Pango handles.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>

namespace planmap::render {

struct CairoDeleter {
    void operator()(cairo_t* c) const noexcept { cairo_destroy(c); }
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
    void operator()(cairo_pattern_t* p) const noexcept { cairo_pattern_destroy(p); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;
using PatternPtr = std::unique_ptr<cairo_pattern_t, CairoDeleter>;

struct GObjectDeleter {
    void operator()(void* o) const noexcept {
        if (o) g_object_unref(o);
    }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter>;

struct FontDescriptionDeleter {
    void operator()(PangoFontDescription* d) const noexcept { pango_font_description_free(d); }
};
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, FontDescriptionDeleter>;

}  // namespace planmap::render
