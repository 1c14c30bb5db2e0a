// Multi-source bounded Dijkstra on a Network: distances to every node within a limit, and the
// reachable parts of edges cut at the exact point where the limit runs out.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "geo/network.hpp"

namespace planmap::geo {

// Where a search starts: a node (edge == none), or the stretch [from_m, to_m] of an edge
// measured from its u end (a point when from_m == to_m), reached after start_m metres.
struct Seed {
    std::uint32_t node = Network::none;
    std::uint32_t edge = Network::none;
    double from_m = 0, to_m = 0;
    double start_m = 0;
    static Seed at_node(std::uint32_t n, double start_m = 0) { return {n, Network::none, 0, 0, start_m}; }
    static Seed on_edge(std::uint32_t e, double from_m, double to_m, double start_m = 0) {
        return {Network::none, e, from_m, to_m, start_m};
    }
};

// A stretch of an edge, in metres from its u end.
struct EdgePart {
    std::uint32_t edge = 0;
    double from_m = 0, to_m = 0;
};

// Edges a search must not use (barriers); empty means none.
using EdgeMask = std::vector<std::uint8_t>;

// One search workspace per thread: arrays sized to the network are reused between runs, so a
// run costs only what it reaches.
class NetworkSearch {
public:
    explicit NetworkSearch(const Network& net);

    // Runs the search from all seeds at once (each node gets its distance to the nearest seed).
    void run(std::span<const Seed> seeds, double limit_m, const EdgeMask* blocked = nullptr);

    double limit_m() const noexcept { return limit_; }
    // Distance of node n, +infinity when beyond the limit or not reached.
    double distance(std::uint32_t n) const noexcept {
        return stamp_[n] == run_ && dist_[n] <= limit_ ? dist_[n] : std::numeric_limits<double>::infinity();
    }
    // Nodes within the limit, in order of distance.
    const std::vector<std::uint32_t>& reached() const noexcept { return reached_; }
    // The reachable parts of edges (whole or cut at the exact point), one or two per edge.
    std::vector<EdgePart> reachable_parts() const;
    static double total_length(const std::vector<EdgePart>& parts);

private:
    void relax(std::uint32_t n, double d);
    void sift_up(std::uint32_t i);
    void sift_down(std::uint32_t i);

    const Network& net_;
    std::vector<double> dist_;
    std::vector<std::uint32_t> stamp_;
    std::vector<std::uint32_t> heap_pos_;
    std::vector<std::pair<double, std::uint32_t>> heap_;
    std::vector<std::uint32_t> reached_;
    std::vector<Seed> edge_seeds_;
    const EdgeMask* blocked_ = nullptr;
    std::uint32_t run_ = 0;
    mutable std::vector<std::uint32_t> edge_stamp_;  // edges done by reachable_parts()
    mutable std::uint32_t edge_run_ = 0;
    double limit_ = 0;
};

}  // namespace planmap::geo
