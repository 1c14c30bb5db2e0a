// The command-line options of the walking network: where it comes from (shared by network build,
// network export and isochrone) and the network mode of the analysis commands.
#pragma once

#include <CLI/CLI.hpp>

#include "analysis/network_mode.hpp"
#include "network/source.hpp"

namespace planmap::cli {

// --nodes, --snap, --network-crs, --walk-rules.
void add_network_source_options(CLI::App& cmd, network::NetworkSourceOptions& o);

// --mode, --network, the network source options, --barrier, --speed, --max-snap, --entry,
// --count-snap and (with_width) --width.
void add_network_mode_options(CLI::App& cmd, analysis::NetworkModeOptions& o, bool with_width);

}  // namespace planmap::cli
