// The "whole edge" (ego graph) convention of reachable street length, as OSMnx's ego graph and
// pgRouting's driving distance count it: a street counts, whole, when both of its ends are within
// the distance, and not at all otherwise. A street here runs between junctions: a chain of edges
// through nodes with exactly two distinct neighbours (where two OSM ways meet end to end, or the
// vertices of a line layer) counts as one street, as in a simplified graph (OSMnx merges such
// nodes). The exact figure (reachable_parts: partly reachable streets up to the cut point) stays
// the main one; this one is there to compare with tools that use the ego-graph convention.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "network/graph.hpp"
#include "network/search.hpp"
#include "geo/spatial_index.hpp"

namespace planmap::network {

// The streets of a network (edges blocked by barriers left out): chain c runs from junction
// ends[c].first to ends[c].second through edges [offsets[c], offsets[c + 1]) of `edges`, in order.
class NetworkChains {
public:
    NetworkChains() = default;
    NetworkChains(const Network& net, const EdgeMask* blocked = nullptr);

    struct ChainEdge {
        std::uint32_t edge = 0;
        bool forward = true;  // the chain runs along the edge from u to v
        double at_m = 0;      // where the edge starts along the chain
        double length_m = 0;
    };
    std::size_t size() const noexcept { return start_.size() ? start_.size() - 1 : 0; }
    std::uint32_t chain_of(std::uint32_t edge) const noexcept { return chain_of_[edge]; }  // Network::none if blocked
    std::uint32_t first_node(std::uint32_t c) const noexcept { return ends_[c].first; }
    std::uint32_t last_node(std::uint32_t c) const noexcept { return ends_[c].second; }
    double length_m(std::uint32_t c) const noexcept { return length_[c]; }
    std::span<const ChainEdge> edges(std::uint32_t c) const noexcept {
        return {edges_.data() + start_[c], edges_.data() + start_[c + 1]};
    }
    // The entry of a (not blocked) edge in its chain.
    const ChainEdge& entry(std::uint32_t edge) const noexcept { return edges_[slot_[edge]]; }
    // Whether node n lies inside a street (two distinct neighbours) rather than at a junction or end.
    bool interior(std::uint32_t n) const noexcept { return interior_[n] != 0; }

private:
    std::vector<std::uint32_t> chain_of_;
    std::vector<std::size_t> slot_;
    std::vector<std::uint8_t> interior_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ends_;
    std::vector<double> length_;
    std::vector<std::size_t> start_;
    std::vector<ChainEdge> edges_;
};

// The streets reached at both ends by the last run of `search` from `seeds` (on `net`, with the
// barriers `chains` was built with), as edge parts. A source inside a street (a point on an edge,
// or a node with two neighbours) splits it there: the piece from the source to a junction counts
// when that junction is within the distance; the stretch a polygon source covers and the pieces
// between two sources on the same street count whole. Sources farther than the distance (their
// start_m) are left out.
std::vector<EdgePart> whole_edge_parts(const Network& net, const NetworkChains& chains, const NetworkSearch& search,
                                       std::span<const Seed> seeds);

// The nearest junction (a node with usable edges that is not inside a street) to a point: where
// tools working on a simplified graph start (OSMnx's nearest_nodes), for sources that should start
// there too.
class JunctionLocator {
public:
    JunctionLocator(const Network& net, const NetworkChains& chains, const EdgeMask* blocked = nullptr);
    struct Hit {
        std::uint32_t node = 0;
        double distance = 0;
    };
    std::optional<Hit> nearest(XY p, double max_m) const;

private:
    const Network& net_;
    std::vector<std::uint32_t> nodes_;
    geo::SpatialIndex index_;
    double extent_diag_ = 0;
};

}  // namespace planmap::network
