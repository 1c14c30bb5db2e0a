// One isochrone run: walking-distance isochrones along a network from points, layers or nodes.
// Reads the sources, attaches them (at the nearest street point, or with StartAt::node at the
// nearest junction), runs the multi-source search, makes the service areas, and writes the
// output layers (sources, reach, service_area and their dissolved versions) and the distances CSV.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "analysis/inputs.hpp"
#include "analysis/network_mode.hpp"
#include "network/source.hpp"

namespace planmap::analysis {

struct IsochroneOptions {
    NetworkOptions network;               // the network, attachment, width, speed, start_at
    std::vector<std::string> from;        // sources: "LON,LAT" (WGS84) or a point/polygon layer SRC[:layer]
    std::vector<std::string> from_nodes;  // source node ids as in 'network export'
    std::string from_nodes_file;          // a file of node ids (one per line or comma-separated)
    std::string id_field;                 // names the sources of a layer ("": 'id' when present, else the feature id)
    std::optional<double> distance_m;     // walking distance, metres (>= 0) …
    std::optional<double> minutes;        // … or walking time (>= 0), at network.speed_m_per_min
    bool dissolved_only = false;          // write only the dissolved outputs, not one per source
    bool whole_edge_area = true;          // also the area around the streets reached at both ends
    std::string output;                   // output layers ("": none), in the network's metric CRS
    std::string distances;                // CSV node,dist_m of every reached node ("": none)

    // usage_error for missing or inconsistent options.
    void check() const;
    // The walking distance in metres.
    double limit_m() const;
};

struct IsochroneResult {
    network::OpenedNetwork opened;
    double distance_m = 0;
    std::size_t sources = 0, blocked_edges = 0, reached_nodes = 0;
    std::vector<std::string> unattached;  // ids of the sources not attached
    double reach_length_m = 0, whole_edge_length_m = 0;
    std::optional<double> area_m2;        // with an output
    double load_s = 0, snap_s = 0, search_s = 0, polygons_s = 0, write_s = 0;
    nlohmann::json summary;               // figures, per source and timings_s
    ImportLog imports;                    // what the import of the layers read repaired or left out
};

IsochroneResult run_isochrone(const IsochroneOptions& options, const Progress& progress = {});

}  // namespace planmap::analysis
