// Fast PNG output for large sheets: the sheet is recorded (Cairo recording surfaces, one per
// worker thread), then horizontal bands are rasterised and deflate-compressed in parallel; the
// bands' deflate streams are joined with sync flushes into one zlib stream (as pigz does) and
// written as an RGB PNG with the resolution stored in pHYs.
#pragma once

#include <cairo.h>

#include <string>
#include <vector>

namespace planmap::render {

// Rasterises the recorded sheet (device units = pixels; every recording holds the same drawing,
// one per worker) at width × height px and writes a PNG to `path`. Throws io_error on failure.
void write_png_bands(const std::vector<cairo_surface_t*>& recordings, int width, int height, double dpi, const std::string& path);

}  // namespace planmap::render
