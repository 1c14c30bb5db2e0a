// The command-line options of the walking network: where it comes from (shared by network build,
// network export and isochrone), and how sources attach to it and service areas grow (one
// analysis::NetworkOptions, shared by isochrone and the network mode of coverage and lifecircle).
#pragma once

#include <CLI/CLI.hpp>

#include "analysis/inputs.hpp"
#include "analysis/network_mode.hpp"
#include "network/source.hpp"

namespace planmap::cli {

// --nodes, --snap, --network-crs, --walk-rules.
void add_network_source_options(CLI::App& cmd, network::NetworkSourceOptions& o);

// --network (required), the network source options, --barrier, --speed, --width, --max-snap,
// --entry, --count-snap and --start-at: the options of isochrone.
void add_isochrone_network_options(CLI::App& cmd, analysis::NetworkOptions& o);

// --mode and, for network mode, the options of isochrone but --start-at (and --width unless
// with_width: the run makes service areas).
void add_network_mode_options(CLI::App& cmd, analysis::AnalysisInputs& in, bool with_width);

}  // namespace planmap::cli
