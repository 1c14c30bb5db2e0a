// `--mode network` for the analysis commands (coverage, lifecircle): the network options, loading
// the network with its barriers, and describing it in summaries.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/paths.hpp"
#include "network/source.hpp"
#include "geo/crs.hpp"
#include "network/search.hpp"
#include "network/service.hpp"

namespace planmap::analysis {

struct NetworkModeOptions {
    std::string mode = "straight-line";  // or "network"
    std::string network;
    network::NetworkSourceOptions source;
    std::vector<std::string> barriers;
    double speed = 80, width = 25, max_snap = 500, entry = 10;
    bool count_snap = false;

    bool network_mode() const { return mode == "network"; }
    // Usage errors for inconsistent options (--network without --mode network and the reverse).
    void check() const;
    network::AttachOptions attach() const;
    // The files these options read (--network, --nodes, each --barrier), for core::check_outputs.
    std::vector<core::NamedPath> input_paths() const;
};

struct LoadedNetwork {
    network::OpenedNetwork opened;
    geo::Crs crs;
    network::EdgeMask blocked;
    std::size_t blocked_edges = 0;
    double load_s = 0;
};

// Opens the network (which must have geometry) and marks the edges the barriers cross.
LoadedNetwork load_analysis_network(const NetworkModeOptions& options);

// The edges of `net` crossed by the lines/polygons of the barrier layers (SRC[:layer]).
network::EdgeMask barrier_mask(const std::vector<std::string>& barriers, const network::Network& net, const geo::Crs& crs);

// The "network" object of a JSON summary.
nlohmann::json describe_network(const NetworkModeOptions& options, const LoadedNetwork& n);

}  // namespace planmap::analysis
