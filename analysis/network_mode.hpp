// The walking network of an analysis run (isochrone, and coverage and lifecircle in network
// mode): where it comes from, how sources attach to it and how far service areas reach, with the
// defaults and validation in one place; loading it with its barriers; describing it in summaries.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "analysis/import.hpp"
#include "network/source.hpp"
#include "geo/crs.hpp"
#include "network/search.hpp"
#include "network/service.hpp"

namespace planmap::analysis {

// Where a point source starts: the nearest point of the nearest street, or the nearest junction
// or dead end (as tools on a simplified graph do; isochrone only).
enum class StartAt { edge, node };

struct NetworkOptions {
    std::string network;                  // a network file, an OSM file, a line layer or an edge-list CSV
    network::NetworkSourceOptions source; // how it is read
    std::vector<std::string> barriers;    // line/polygon layers SRC[:layer] whose crossings are removed
    double speed_m_per_min = 80;          // walking speed, to state distances as minutes; > 0
    double width_m = 25;                  // service areas reach this far either side of the reachable streets; >= 0 (0: no area)
    double max_snap_m = 500;              // what lies farther from every street is unattached; >= 0
    double entry_m = 10;                  // polygons are entered from every street this close; >= 0
    bool count_snap = false;              // count the straight walk to the street in the distance
    StartAt start_at = StartAt::edge;

    // usage_error for out-of-range values (network_mode: `network` must be given).
    void check() const;
    network::AttachOptions attach() const;
};

struct LoadedNetwork {
    network::OpenedNetwork opened;
    geo::Crs crs;
    network::EdgeMask blocked;
    std::size_t blocked_edges = 0;
    double load_s = 0;
};

// Opens the network (which must have geometry) and marks the edges the barriers cross; a line
// layer and the barrier layers go through the one import (repairs into `log`).
LoadedNetwork load_analysis_network(const NetworkOptions& options, ImportLog& log);

// The edges of `net` crossed by the lines/polygons of the barrier layers (SRC[:layer]), read
// through the one import.
network::EdgeMask barrier_mask(const std::vector<std::string>& barriers, const network::Network& net, const geo::Crs& crs,
                               ImportLog& log);

// The "network" object of a JSON summary.
nlohmann::json describe_network(const NetworkOptions& options, const LoadedNetwork& n);

}  // namespace planmap::analysis
