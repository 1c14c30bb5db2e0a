// Hand-made networks whose answers are worked out by hand, shared by the network tests and the
// isochrone command's tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "network/graph.hpp"

namespace planmap::test {

// A path a-b-c-d along the x axis (100 m edges) plus a spur b-e going north 50 m.
// Shifted by (ox, oy) in UTM 32N, e.g. to Monaco's (370000, 4845000).
inline network::Network small_network(double ox = 0, double oy = 0) {
    network::Network::Parts p;
    p.node_ids = {0, 1, 2, 3, 4};
    p.node_xy = {{ox, oy}, {ox + 100, oy}, {ox + 200, oy}, {ox + 300, oy}, {ox + 100, oy + 50}};
    p.edges = {{0, 1, 100}, {1, 2, 100}, {2, 3, 100}, {1, 4, 50}};
    p.crs = "EPSG:32632";
    return network::Network(std::move(p));
}

// a(0) -100- b(1) -100- c(2) -100- d(3), and b -50- e(4) going north; c has two neighbours, so
// b-c-d is one 200 m street. d has a 30 m dead end d-h(7) south and a 40 m edge d-f(5) on to
// g(6) by two different 60 m paths (parallel edges: g has two edges but one neighbour, a junction).
// (Without d-h, d would have two neighbours and b-c-d-f would be one street.)
inline network::Network hand_network(double ox = 0, double oy = 0) {
    network::Network::Parts p;
    p.node_ids = {0, 1, 2, 3, 4, 5, 6, 7};
    p.node_xy = {{ox, oy}, {ox + 100, oy}, {ox + 200, oy}, {ox + 300, oy}, {ox + 100, oy + 50}, {ox + 340, oy}, {ox + 400, oy},
                 {ox + 300, oy - 30}};
    p.edges = {{0, 1, 100}, {1, 2, 100}, {2, 3, 100}, {1, 4, 50}, {3, 5, 40}, {5, 6, 60}, {6, 5, 60}, {3, 7, 30}};
    p.crs = "EPSG:32632";
    return network::Network(std::move(p));
}

inline void write_text(const std::filesystem::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

}  // namespace planmap::test
