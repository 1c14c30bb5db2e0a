// Multi-source bounded Dijkstra on a Network: distances to every node within a limit, and the
// reachable parts of edges cut at the exact point where the limit runs out.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "network/graph.hpp"

namespace planmap::network {

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
    // parallel: allow the two-thread search below, for one large multi-source search (measured on
    // 1,000 sources over a 1M-edge graph, workspace included: about 10 ms against 12.5 ms on one
    // thread with two free cores). Workspaces of an already parallel loop keep one thread.
    explicit NetworkSearch(const Network& net, bool parallel = false);
    ~NetworkSearch();
    NetworkSearch(NetworkSearch&&) noexcept;

    // Runs the search from all seeds at once (each node gets its distance to the nearest seed).
    // With `parallel`, many seeds on a large network are split in two groups of neighbouring seeds
    // searched on two threads over the same distances (updated atomically, each thread carrying
    // on from the nodes it improved: exact, as one search).
    void run(std::span<const Seed> seeds, double limit_m, const EdgeMask* blocked = nullptr);

    double limit_m() const noexcept { return limit_; }
    // Distance of node n, +infinity when beyond the limit or not reached.
    double distance(std::uint32_t n) const noexcept {
        return d_[n];
    }
    // Nodes within the limit, each once (roughly nearest first: in the order they were first reached).
    std::span<const std::uint32_t> reached() const noexcept { return {reached_.data(), reached_count_}; }
    // The reachable parts of edges (whole or cut at the exact point), one or two per edge.
    std::vector<EdgePart> reachable_parts() const;
    static double total_length(const std::vector<EdgePart>& parts);

private:
    // The second thread's workspace: its own queue, the owner's distances.
    NetworkSearch(const Network& net, NetworkSearch& owner);
    // Shared: the distances are written by two threads (compare-and-swap).
    template <bool Shared>
    void relax(std::uint32_t n, double d);
    template <bool Shared>
    void run_serial(std::span<const Seed> seeds);
    void begin(double limit_m, const EdgeMask* blocked);
    bool two_threads(std::size_t seeds) const;

    void list(std::uint32_t n) { reached_[reached_count_++] = n; }

    // The queue: buckets of width delta_ metres (delta-stepping, Meyer and Sanders 2003). A bucket
    // is emptied repeatedly until no node in it improves, so the distances are exact (label
    // correcting), while nodes are taken in batches instead of one by one from a heap: no
    // comparisons, and the accesses of a batch do not wait on each other (a heap-based search is
    // bound by memory latency: each step waits for the previous one's cache misses). An entry
    // carries the distance it was queued with; entries the node has since improved on are skipped.
    // Entries live in fixed-size chunks from one pool, linked per bucket; a drained chunk goes back
    // to a free list, so the queue only ever holds the search front: its memory stays small and in
    // cache, and a fresh search does not fault in page after page of growing vectors.
    struct QueueItem {
        double dist;
        std::uint32_t node;
    };
    struct Bucket {
        std::uint32_t head = Network::none, tail = Network::none;
        std::uint32_t fill = 0;  // entries in the tail chunk (chunk_, "full", when there is none)
    };
    std::uint32_t new_chunk();
    void push(std::size_t bucket, double d, std::uint32_t n);
    template <bool Shared>
    void drain(std::size_t bucket);

    const Network& net_;
    detail::WorkArray<double> dist_;  // +infinity when not reached; reset through reached_
    double* d_ = nullptr;             // the distances in use: dist_, or the owner's
    std::vector<Bucket> buckets_;
    // Entries per chunk: from 32 on small networks (a search front there is spread thinly over
    // many buckets, each holding a chunk) to 256 on large ones (fewer chunk changes).
    std::uint32_t chunk_ = 256;
    detail::WorkArray<QueueItem> pool_;      // chunk c holds entries [c * chunk_, (c + 1) * chunk_)
    std::vector<std::uint32_t> chunk_next_;  // the next chunk of the same bucket, or of the free list
    std::uint32_t free_chunks_ = Network::none;
    std::uint32_t used_chunks_ = 0;
    double delta_ = 10;
    double inv_delta_ = 0.1;
    detail::WorkArray<std::uint32_t> reached_;  // the first reached_count_ entries are set
    std::size_t reached_count_ = 0;
    std::vector<Seed> edge_seeds_;
    const EdgeMask* blocked_ = nullptr;
    bool parallel_ = false;
    std::unique_ptr<NetworkSearch> helper_;  // the second thread's workspace
    mutable std::vector<std::uint32_t> edge_stamp_;  // edges done by reachable_parts()
    mutable std::uint32_t edge_run_ = 0;
    double limit_ = 0;
};

}  // namespace planmap::network
