// Fast PNG output for large sheets: the sheet is recorded (Cairo recording surfaces, one per
// worker thread, drawn on that thread), then horizontal bands are rasterised and deflate-compressed in parallel; the
// bands' deflate streams are joined with sync flushes into one zlib stream (as pigz does) and
// written as an RGB PNG with the resolution stored in pHYs.
#pragma once

#include <functional>
#include <string>

#include "render/cairo.hpp"

namespace planmap::render {

// Rasterises the recorded sheet (device units = pixels) at width × height px and writes a PNG to
// `path`, with up to `workers` threads; each worker beyond the first calls `another_recording`
// (on its own thread) for its own copy of the same drawing. Throws io_error on failure.
void write_png_bands(cairo_surface_t* recording, const std::function<SurfacePtr()>& another_recording, int workers, int width, int height,
                     double dpi, const std::string& path);

}  // namespace planmap::render
