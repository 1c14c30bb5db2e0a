// An atlas: one map sheet per feature of an index layer (e.g. per district), each framed on its
// feature and titled with its name, all written into one output folder as a whole.
#pragma once

#include <functional>
#include <string>

#include "core/files.hpp"
#include "layers/feature.hpp"
#include "render/sheet.hpp"

namespace planmap::render {

struct AtlasOptions {
    std::string field;            // index field naming the sheets (title suffix and file name)
    std::string index_source;     // where the index came from, for messages
    std::string format = "pdf";   // pdf, png or svg
    SheetOptions sheet;           // for every sheet; focus and title_suffix are set per feature
};

// Called after each sheet, with its report (output: where the sheet lands in the folder).
using SheetDone = std::function<void(const RenderReport&)>;

// Renders one sheet per index feature with a geometry into `folder`, named by `field` (path
// separators and control characters replaced; a repeated name gets "_<fid>"), and commits it: the
// folder appears (or replaces the old one) only when every sheet is written. The caller makes the
// folder first, so that a refused one is refused before any work. The index is reprojected to
// the map's CRS. Returns the number of sheets.
std::size_t render_atlas(const LoadedMap& map, layers::Layer index, core::OutputFolder& folder, const AtlasOptions& options,
                         const SheetDone& done = {});

}  // namespace planmap::render
