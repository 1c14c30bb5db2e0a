// The walking network: an undirected graph in compressed sparse row form (CSR) in a metric CRS.
// Every edge keeps its length in metres and, when the network has geometry, its polyline from its
// `u` node to its `v` node. Nodes carry an external id (the id of an edge-list CSV, or the dense
// index for networks built from OSM or line layers), which is what users see and give.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace planmap::network {

namespace detail {
// An allocator asking the kernel for transparent huge pages (2 MiB) for large arrays: graph
// searches jump around arrays of tens of megabytes, and with 4 KiB pages most of those jumps
// miss the TLB (expensive, especially under virtualisation). Small arrays use the heap. Large
// ones are made present in one call rather than faulted in page by page on first touch.
// huge_pages = false keeps normal pages: making huge pages can stall for memory compaction (tens
// of milliseconds when memory is fragmented), which a search workspace made per search must not.
// populate = false leaves pages to be faulted in on first touch (arrays filled front to back, of
// which a run may use a small part).
void* huge_allocate(std::size_t bytes, bool huge_pages = true, bool populate = true);
void huge_deallocate(void* p, std::size_t bytes) noexcept;
template <class T>
struct HugePageAllocator {
    using value_type = T;
    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(huge_allocate(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { huge_deallocate(p, n * sizeof(T)); }
    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};
template <class T>
using big_vector = std::vector<T, HugePageAllocator<T>>;
// An uninitialised array of plain values (large ones mapped and made present up front, in normal
// pages), for workspaces whose entries are written before they are read: no pass over the whole
// array when it is made.
template <class T>
class WorkArray {
    static_assert(std::is_trivial_v<T>);

public:
    WorkArray() = default;
    // populate: make every page present now (arrays used all over); false for arrays filled from
    // the front, whose pages are best faulted in as the filling reaches them.
    WorkArray(std::size_t n, bool populate) : p_(static_cast<T*>(huge_allocate(n * sizeof(T), false, populate))), n_(n) {}
    ~WorkArray() {
        if (p_) huge_deallocate(p_, n_ * sizeof(T));
    }
    WorkArray(WorkArray&& o) noexcept : p_(std::exchange(o.p_, nullptr)), n_(std::exchange(o.n_, 0)) {}
    WorkArray& operator=(WorkArray&& o) noexcept {
        std::swap(p_, o.p_);
        std::swap(n_, o.n_);
        return *this;
    }
    T& operator[](std::size_t i) noexcept { return p_[i]; }
    const T& operator[](std::size_t i) const noexcept { return p_[i]; }
    T* data() noexcept { return p_; }
    const T* data() const noexcept { return p_; }
    std::size_t size() const noexcept { return n_; }

private:
    T* p_ = nullptr;
    std::size_t n_ = 0;
};
}  // namespace detail

struct XY {
    double x = 0, y = 0;
};

class Network {
public:
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

    struct Edge {
        std::uint32_t u = 0, v = 0;
        double length_m = 0;
    };
    // One direction of an edge as seen from a node.
    struct Arc {
        std::uint32_t to = 0;
        std::uint32_t edge = 0;
        double length_m = 0;
    };
    // What a network is made of. node_xy is empty (no geometry) or one per node; with geometry,
    // geometry_offsets has edges+1 entries into geometry_points (each polyline runs u → v and
    // includes both end points); with node_xy but no polylines, edges are straight.
    struct Parts {
        std::vector<std::int64_t> node_ids;
        std::vector<XY> node_xy;
        std::vector<Edge> edges;
        std::vector<std::uint64_t> geometry_offsets;
        std::vector<XY> geometry_points;
        std::string crs;  // "EPSG:n" or WKT of the metric CRS; empty without geometry
    };

    Network() = default;
    // Checks the parts (throws geometry_error naming the first bad edge) and builds the CSR.
    explicit Network(Parts parts);

    std::size_t node_count() const noexcept { return parts_.node_ids.size(); }
    std::size_t edge_count() const noexcept { return parts_.edges.size(); }
    bool has_geometry() const noexcept { return !parts_.node_xy.empty(); }
    const std::string& crs() const noexcept { return parts_.crs; }
    const Parts& parts() const noexcept { return parts_; }

    std::span<const Arc> arcs(std::uint32_t node) const noexcept {
        return {arcs_.data() + offsets_[node], arcs_.data() + offsets_[node + 1]};
    }
    // Hints for searches that know which nodes come next: fetch the arc range, then the arcs.
    void prefetch_offsets(std::uint32_t node) const noexcept { __builtin_prefetch(offsets_.data() + node); }
    void prefetch_arcs(std::uint32_t node) const noexcept { __builtin_prefetch(arcs_.data() + offsets_[node]); }
    const Edge& edge(std::uint32_t e) const noexcept { return parts_.edges[e]; }
    std::int64_t node_id(std::uint32_t n) const noexcept { return parts_.node_ids[n]; }
    XY node_xy(std::uint32_t n) const noexcept { return parts_.node_xy[n]; }
    // The node with external id `id`, if any.
    std::optional<std::uint32_t> find_node(std::int64_t id) const;

    // The polyline of edge e (u → v); empty without geometry.
    std::span<const XY> edge_points(std::uint32_t e) const noexcept;
    // Geometric length of edge e's polyline (may differ from length_m for edge-list networks).
    double edge_geometry_length(std::uint32_t e) const noexcept;
    // The part of edge e between from_m and to_m metres of its length_m, as polyline points.
    std::vector<XY> edge_substring(std::uint32_t e, double from_m, double to_m) const;
    double total_length_m() const noexcept;

private:
    Parts parts_;
    detail::big_vector<std::uint32_t> offsets_;
    detail::big_vector<Arc> arcs_;
    mutable std::unordered_map<std::int64_t, std::uint32_t> id_index_;
    bool dense_ids_ = true;  // node_ids[i] == i
};

// Renumbers the nodes along a Hilbert curve (over their coordinates, or, for an edge list without
// them, over hop counts from landmarks of each component) so that nodes near each other on the
// ground are near each other in memory: searches then touch far fewer cache lines, whatever order
// the input listed its nodes in. External ids are kept.
void order_for_locality(Network::Parts& parts);

// Network files: a compact binary cache (magic "PLANMAPNET", a format version, then arrays),
// written atomically. load_network throws file_error naming the file and what is wrong.
void save_network(const Network& net, const std::string& path);
Network load_network(const std::string& path);
bool is_network_file(const std::string& path);

// Edge-list CSV: `u,v,length_m` (integer node ids, undirected; a header line is optional) and an
// optional node table `node,lon,lat` (WGS84) giving geometry; nodes are projected to the metric
// analysis CRS of their centre. Errors are file_error with the line number.
Network read_edge_list(const std::string& edges_csv, const std::string& nodes_csv = {});
// Writes `u,v,length_m` and, when the network has geometry, `node,lon,lat` (both atomically).
void write_edge_list(const Network& net, const std::string& edges_csv, const std::string& nodes_csv);
// The node table that goes with an edge list: E.csv → E.nodes.csv.
std::string node_table_path(const std::string& edges_csv);

}  // namespace planmap::network
