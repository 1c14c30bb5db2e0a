// Opening a walking network from whatever the user gives: a network file written by
// `planmap network build`, an edge-list CSV (u,v,length_m, with its node table beside it), an OSM
// file (.osm.pbf, .pbf, .osm), or any line layer (SRC[:layer]).
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>

#include "geo/network.hpp"
#include "geo/network_build.hpp"

namespace planmap::cli {

struct NetworkSourceOptions {
    std::string nodes;  // node table of an edge-list CSV; default E.nodes.csv when present
    double snap_m = 0;  // line layers: end points closer than this are joined
    std::string s_crs;  // line layers: source CRS overriding the file's
    std::string walk_rules = "osmnx";  // OSM files: which ways are walkable (geo::WalkRules)

    void add_to(CLI::App& cmd);
};

struct OpenedNetwork {
    geo::Network net;
    std::string kind;  // "network file", "edge list", "edge list + node table", "OSM", "line layer"
    geo::NetworkBuildReport report;
};

OpenedNetwork open_network(const std::string& src, const NetworkSourceOptions& options);

// "12,345 nodes, 23,456 edges, 123.4 km, EPSG:32632" and the build report lines.
void print_network_summary(std::ostream& out, const OpenedNetwork& n);

}  // namespace planmap::cli
