// Opening a walking network from whatever the user gives: a network file written by
// `planmap network build`, an edge-list CSV (u,v,length_m, with its node table beside it), an OSM
// file (.osm.pbf, .pbf, .osm), or any line layer (SRC[:layer]).
#pragma once

#include <string>
#include <vector>

#include "layers/feature.hpp"

#include "network/graph.hpp"
#include "network/build.hpp"

namespace planmap::network {

struct NetworkSourceOptions {
    std::string nodes;  // node table of an edge-list CSV; default E.nodes.csv when present
    double snap_m = 0;  // line layers: end points closer than this are joined
    std::string s_crs;  // line layers: source CRS overriding the file's
    std::string walk_rules = "osmnx";  // OSM files: which ways are walkable (network::WalkRules)
    bool repair = true;  // line layers: repair invalid geometries (layers::ReadOptions::repair)

};

struct OpenedNetwork {
    network::Network net;
    std::string kind;  // "network file", "edge list", "edge list + node table", "OSM", "line layer"
    network::NetworkBuildReport report;
    std::vector<layers::FeatureNote> notes;  // line layers: what the import repaired or removed
};

OpenedNetwork open_network(const std::string& src, const NetworkSourceOptions& options);


}  // namespace planmap::network
