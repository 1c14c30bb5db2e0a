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
    // The same, with a progress bar on err while features are read (when err is a terminal).
    layers::ReadOptions read_options(std::ostream& err, bool quiet, const std::string& label) const;
    // Reads the source named on the command line ("path" or "path:layer").
    layers::Dataset read(const std::string& src, std::ostream& err, bool quiet) const;
};

}  // namespace planmap::cli
