// The options render and atlas share: the map file and the PNG resolution.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "render/sheet.hpp"

namespace planmap::cli {

struct SheetFlags {
    std::string map;                          // MAP: the map file (TOML)
    render::SheetOptions sheet;               // --dpi

    // MAP (required or not) and --dpi.
    void add_to(CLI::App& cmd, bool map_required);
};

}  // namespace planmap::cli
