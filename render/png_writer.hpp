// Fast PNG output for large sheets: the sheet is recorded once (a Cairo recording surface), then
// rasterised band by band while other threads deflate-compress the finished bands; the bands' deflate
// streams are joined with sync flushes into one zlib stream (as pigz does) and written as RGB PNG
// with the resolution stored in pHYs.
#pragma once

#include <cairo.h>

#include <string>

namespace planmap::render {

// Rasterises `recording` (device units = pixels) at width × height px and writes a PNG to `path`.
// Throws io_error when the file cannot be written.
void write_png_bands(cairo_surface_t* recording, int width, int height, double dpi, const std::string& path);

}  // namespace planmap::render
