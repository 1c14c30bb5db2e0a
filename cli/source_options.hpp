// Options shared by the commands that read data: --layer, --s-crs, --encoding, --no-repair.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "layers/io.hpp"

namespace planmap::cli {

struct SourceOptions {
    std::string layer;
    std::string s_crs;
    std::string encoding;
    bool no_repair = false;

    void add_to(CLI::App& cmd);
    layers::ReadOptions read_options() const;
};

}  // namespace planmap::cli
