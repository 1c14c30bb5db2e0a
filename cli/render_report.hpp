// Printing what a rendered sheet holds, shared by render and atlas.
#pragma once

#include <iosfwd>

#include "render/sheet.hpp"

namespace planmap::cli {

void print_render_report(std::ostream& out, std::ostream& err, const render::RenderReport& rep, bool verbose);

}  // namespace planmap::cli
