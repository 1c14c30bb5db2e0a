// Options shared by the commands that read data: --layer, --s-crs, --encoding, --no-repair; and
// --base for the commands that read a plan.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

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

// --base ID=SOURCE (repeatable): a plan's base read from another source (plan::replace_bases).
void add_base_option(CLI::App& cmd, std::vector<std::string>& bases);

}  // namespace planmap::cli
