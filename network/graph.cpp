#include "network/graph.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/mman.h>
#include <unistd.h>

#include "core/i18n.hpp"
#include "geo/crs.hpp"
#include "core/error.hpp"
#include "core/files.hpp"

namespace planmap::network {

namespace fs = std::filesystem;

namespace detail {

namespace {
constexpr std::size_t kHugePage = std::size_t(2) << 20;
constexpr std::size_t kHugeFrom = std::size_t(1) << 20;  // arrays from 1 MiB on
std::size_t whole_huge_pages(std::size_t bytes) { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }
}  // namespace

void* huge_allocate(std::size_t bytes, bool huge_pages, bool populate) {
    if (bytes < kHugeFrom) return ::operator new(bytes);
    // Map 2 MiB more than needed and keep the 2 MiB-aligned stretch (huge pages need it).
    const std::size_t size = whole_huge_pages(bytes);
    void* raw = ::mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const auto aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
    if (aligned > start) ::munmap(raw, aligned - start);
    if (start + kHugePage > aligned) ::munmap(reinterpret_cast<void*>(aligned + size), start + kHugePage - aligned);
    void* p = reinterpret_cast<void*>(aligned);
    // Hints (without them it still works): huge pages, and every page made present now in one call
    // rather than at one page fault each on first touch (a fault costs microseconds, more under
    // virtualisation, and a search's first touches are scattered over the whole array).
    if (huge_pages) ::madvise(p, size, MADV_HUGEPAGE);
#ifdef MADV_POPULATE_WRITE
    if (populate) ::madvise(p, size, MADV_POPULATE_WRITE);
#endif
    return p;
}

void huge_deallocate(void* p, std::size_t bytes) noexcept {
    if (bytes < kHugeFrom) ::operator delete(p);
    else ::munmap(p, whole_huge_pages(bytes));
}

}  // namespace detail

namespace {

double seg_len(const XY& a, const XY& b) { return std::hypot(b.x - a.x, b.y - a.y); }

}  // namespace

Network::Network(Parts parts) : parts_(std::move(parts)) {
    const std::size_t n = parts_.node_ids.size();
    if (n >= none || parts_.edges.size() >= none / 2) throw geometry_error(trf("network too large ({} nodes)", n));
    if (!parts_.node_xy.empty() && parts_.node_xy.size() != n)
        throw geometry_error(trf("network has {} nodes but {} node positions", n, parts_.node_xy.size()));
    for (std::size_t e = 0; e < parts_.edges.size(); ++e) {
        const auto& ed = parts_.edges[e];
        if (ed.u >= n || ed.v >= n)
            throw geometry_error(trf("network edge {} refers to a node that does not exist", e));
        if (!std::isfinite(ed.length_m) || ed.length_m < 0)
            throw geometry_error(trf("network edge {} has a negative or non-finite length", e));
    }
    if (!parts_.node_xy.empty() && parts_.geometry_offsets.empty()) {
        // Straight edges between their nodes.
        parts_.geometry_offsets.reserve(parts_.edges.size() + 1);
        parts_.geometry_points.reserve(parts_.edges.size() * 2);
        parts_.geometry_offsets.push_back(0);
        for (const auto& ed : parts_.edges) {
            parts_.geometry_points.push_back(parts_.node_xy[ed.u]);
            parts_.geometry_points.push_back(parts_.node_xy[ed.v]);
            parts_.geometry_offsets.push_back(parts_.geometry_points.size());
        }
    }
    if (!parts_.geometry_offsets.empty()) {
        if (parts_.geometry_offsets.size() != parts_.edges.size() + 1 || parts_.geometry_offsets.front() != 0 ||
            parts_.geometry_offsets.back() != parts_.geometry_points.size())
            throw geometry_error(tr("network edge geometry does not match its edges"));
        for (std::size_t e = 0; e < parts_.edges.size(); ++e)
            if (parts_.geometry_offsets[e + 1] < parts_.geometry_offsets[e] + 2)
                throw geometry_error(trf("network edge {} has fewer than two points", e));
    }
    for (std::size_t i = 0; i < n; ++i)
        if (parts_.node_ids[i] != static_cast<std::int64_t>(i)) {
            dense_ids_ = false;
            break;
        }
    // CSR: count, prefix sums, fill (both directions of every edge).
    offsets_.assign(n + 1, 0);
    for (const auto& ed : parts_.edges) {
        ++offsets_[ed.u + 1];
        ++offsets_[ed.v + 1];
    }
    for (std::size_t i = 0; i < n; ++i) offsets_[i + 1] += offsets_[i];
    arcs_.resize(offsets_[n]);
    std::vector<std::uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
    for (std::uint32_t e = 0; e < parts_.edges.size(); ++e) {
        const auto& ed = parts_.edges[e];
        arcs_[fill[ed.u]++] = {ed.v, e, ed.length_m};
        arcs_[fill[ed.v]++] = {ed.u, e, ed.length_m};
    }
}

std::optional<std::uint32_t> Network::find_node(std::int64_t id) const {
    if (dense_ids_) {
        if (id >= 0 && static_cast<std::uint64_t>(id) < node_count()) return static_cast<std::uint32_t>(id);
        return std::nullopt;
    }
    if (id_index_.empty() && node_count()) {
        id_index_.reserve(node_count());
        for (std::uint32_t i = 0; i < node_count(); ++i) id_index_.emplace(parts_.node_ids[i], i);
    }
    auto it = id_index_.find(id);
    if (it == id_index_.end()) return std::nullopt;
    return it->second;
}

std::span<const XY> Network::edge_points(std::uint32_t e) const noexcept {
    if (parts_.geometry_offsets.empty()) return {};
    return {parts_.geometry_points.data() + parts_.geometry_offsets[e],
            parts_.geometry_points.data() + parts_.geometry_offsets[e + 1]};
}

double Network::edge_geometry_length(std::uint32_t e) const noexcept {
    auto pts = edge_points(e);
    double len = 0;
    for (std::size_t i = 1; i < pts.size(); ++i) len += seg_len(pts[i - 1], pts[i]);
    return len;
}

std::vector<XY> Network::edge_substring(std::uint32_t e, double from_m, double to_m) const {
    auto pts = edge_points(e);
    std::vector<XY> out;
    if (pts.empty()) return out;
    const double len = parts_.edges[e].length_m;
    const double glen = edge_geometry_length(e);
    // Offsets are in the edge's length_m; the polyline may be longer or shorter (edge lists).
    const double scale = len > 0 ? glen / len : 0;
    double a = std::clamp(from_m, 0.0, len) * scale, b = std::clamp(to_m, 0.0, len) * scale;
    if (b < a) std::swap(a, b);
    auto at = [&](std::size_t i, double t) {
        return XY{pts[i].x + (pts[i + 1].x - pts[i].x) * t, pts[i].y + (pts[i + 1].y - pts[i].y) * t};
    };
    double walked = 0;
    for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
        double sl = seg_len(pts[i], pts[i + 1]);
        double s0 = walked, s1 = walked + sl;
        if (s1 >= a && s0 <= b) {
            if (out.empty()) out.push_back(sl > 0 ? at(i, std::max(0.0, (a - s0) / sl)) : pts[i]);
            if (s1 <= b) {
                out.push_back(pts[i + 1]);
            } else {
                out.push_back(sl > 0 ? at(i, (b - s0) / sl) : pts[i + 1]);
                break;
            }
        }
        walked = s1;
    }
    if (out.size() == 1) out.push_back(out.front());
    return out;
}

double Network::total_length_m() const noexcept {
    double s = 0;
    for (const auto& e : parts_.edges) s += e.length_m;
    return s;
}

namespace {

// Position of (x, y) on a Hilbert curve filling the 2^16 x 2^16 square: points close on the curve
// are close in the plane, and most points close in the plane are close on the curve.
std::uint64_t hilbert_index(std::uint32_t x, std::uint32_t y) {
    std::uint64_t d = 0;
    for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
        const std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
        d += std::uint64_t(s) * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

// Hilbert keys of points, scaled to their bounding box.
void hilbert_keys(const std::vector<std::uint32_t>& nodes, const std::vector<double>& x, const std::vector<double>& y,
                  std::vector<std::uint64_t>& key) {
    if (nodes.empty()) return;
    double x0 = x[nodes[0]], x1 = x0, y0 = y[nodes[0]], y1 = y0;
    for (auto v : nodes) {
        x0 = std::min(x0, x[v]), x1 = std::max(x1, x[v]);
        y0 = std::min(y0, y[v]), y1 = std::max(y1, y[v]);
    }
    const double scale = 65535.0 / std::max({x1 - x0, y1 - y0, 1e-9});
    for (auto v : nodes)
        key[v] = hilbert_index(static_cast<std::uint32_t>((x[v] - x0) * scale), static_cast<std::uint32_t>((y[v] - y0) * scale));
}

}  // namespace

void order_for_locality(Network::Parts& p) {
    const auto n = static_cast<std::uint32_t>(p.node_ids.size());
    std::vector<std::uint32_t> offsets(n + 1, 0), targets(p.edges.size() * 2);
    for (const auto& e : p.edges) {
        if (e.u >= n || e.v >= n) return;  // the Network constructor reports it
        ++offsets[e.u + 1];
        ++offsets[e.v + 1];
    }
    for (std::uint32_t i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
    {
        std::vector<std::uint32_t> fill(offsets.begin(), offsets.end() - 1);
        for (const auto& e : p.edges) {
            targets[fill[e.u]++] = e.v;
            targets[fill[e.v]++] = e.u;
        }
    }
    // Breadth-first search over one component from `root`: hop counts into `hops` (the component's
    // nodes listed in `seen`, in visiting order); returns the last node reached (a farthest one).
    std::vector<std::uint32_t> hops(n, Network::none);
    auto bfs = [&](std::uint32_t root, std::vector<std::uint32_t>& seen) {
        for (auto v : seen) hops[v] = Network::none;
        seen.clear();
        hops[root] = 0;
        seen.push_back(root);
        for (std::size_t head = 0; head < seen.size(); ++head) {
            const std::uint32_t u = seen[head];
            for (std::uint32_t k = offsets[u]; k < offsets[u + 1]; ++k) {
                const std::uint32_t v = targets[k];
                if (hops[v] != Network::none) continue;
                hops[v] = hops[u] + 1;
                seen.push_back(v);
            }
        }
        return seen.back();
    };
    // The order: nodes sorted along a Hilbert curve, so that nodes near each other on the ground
    // are near each other in memory (a search's front then touches few cache lines and pages).
    // With coordinates, the curve runs over the plane. Without (an edge list alone), each
    // component gets coordinates from the graph: hop counts from two far-apart landmarks on it,
    // which on a street grid are its two diagonal coordinates; components follow one another.
    std::vector<std::uint64_t> key(n, 0);
    std::vector<std::uint32_t> component(n, 0);
    if (!p.node_xy.empty()) {
        std::vector<std::uint32_t> all(n);
        std::vector<double> x(n), y(n);
        for (std::uint32_t i = 0; i < n; ++i) all[i] = i, x[i] = p.node_xy[i].x, y[i] = p.node_xy[i].y;
        hilbert_keys(all, x, y, key);
    } else {
        std::vector<std::uint8_t> done(n, 0);
        std::vector<std::uint32_t> seen, members;
        std::vector<double> x(n), y(n), from_a(n);
        std::uint32_t count = 0;
        for (std::uint32_t root = 0; root < n; ++root) {
            if (done[root]) continue;
            const std::uint32_t a = bfs(root, seen);  // a far end of the component
            members = seen;
            for (auto v : members) done[v] = 1, component[v] = count;
            ++count;
            const std::uint32_t b = bfs(a, seen);  // the other far end
            for (auto v : seen) from_a[v] = hops[v];
            bfs(b, seen);
            // The landmark away from both ends: the node farthest from its nearer end.
            std::uint32_t c = a, best = 0;
            for (auto v : seen) {
                const auto m = std::min<std::uint32_t>(static_cast<std::uint32_t>(from_a[v]), hops[v]);
                if (m > best) best = m, c = v;
            }
            bfs(c, seen);
            for (auto v : seen) x[v] = from_a[v] - hops[v], y[v] = from_a[v] + hops[v];
            hilbert_keys(members, x, y, key);
        }
    }
    // Sorted as (component, curve position, old index) triples held side by side: a comparison
    // then reads nothing but the two entries.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted(n);
    for (std::uint32_t i = 0; i < n; ++i) sorted[i] = {(std::uint64_t(component[i]) << 32) | key[i], i};
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::uint32_t> order(n);  // new → old
    for (std::uint32_t i = 0; i < n; ++i) order[i] = sorted[i].second;
    std::vector<std::uint32_t> new_index(n);
    for (std::uint32_t i = 0; i < n; ++i) new_index[order[i]] = i;
    std::vector<std::int64_t> ids(n);
    for (std::uint32_t i = 0; i < n; ++i) ids[i] = p.node_ids[order[i]];
    p.node_ids = std::move(ids);
    if (!p.node_xy.empty()) {
        std::vector<XY> xy(n);
        for (std::uint32_t i = 0; i < n; ++i) xy[i] = p.node_xy[order[i]];
        p.node_xy = std::move(xy);
    }
    for (auto& e : p.edges) {
        e.u = new_index[e.u];
        e.v = new_index[e.v];
    }
}

// ---------------------------------------------------------------------------------------------
// Binary cache.

namespace {

constexpr char kMagic[10] = {'P', 'L', 'A', 'N', 'M', 'A', 'P', 'N', 'E', 'T'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kEndianMark = 0x01020304;

template <class T>
void put(std::string& buf, const T& v) {
    buf.append(reinterpret_cast<const char*>(&v), sizeof(T));
}
template <class T>
void put_array(std::string& buf, const std::vector<T>& v) {
    buf.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

}  // namespace


namespace {

std::string read_all(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw io_error(trf("cannot read '{}': {}", path, tr("no such file or directory")));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw io_error(trf("cannot read '{}': {}", path, tr("permission denied")));
    std::string bytes;
    in.seekg(0, std::ios::end);
    bytes.resize(static_cast<std::size_t>(in.tellg()));
    in.seekg(0);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!in) throw io_error(trf("cannot read '{}': {}", path, tr("read failed")));
    return bytes;
}

class Reader {
public:
    Reader(const std::string& path, const std::string& bytes) : path_(path), bytes_(bytes) {}
    template <class T>
    T get(const char* what) {
        need(sizeof(T), what);
        T v;
        std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }
    template <class T>
    void get_array(std::vector<T>& v, std::uint64_t count, const char* what) {
        if (count > bytes_.size() / sizeof(T) + 1) fail(trf("truncated ({})", what));
        need(count * sizeof(T), what);
        v.resize(count);
        std::memcpy(v.data(), bytes_.data() + pos_, count * sizeof(T));
        pos_ += count * sizeof(T);
    }
    std::string get_string(std::uint64_t n, const char* what) {
        need(n, what);
        std::string s = bytes_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    bool at_end() const { return pos_ == bytes_.size(); }
    [[noreturn]] void fail(const std::string& msg) const {
        throw file_error(path_, 0, trf("not a valid planmap network file: {}", msg));
    }

private:
    void need(std::uint64_t n, const char* what) {
        if (n > bytes_.size() - pos_) fail(trf("truncated ({})", what));
    }
    const std::string& path_;
    const std::string& bytes_;
    std::size_t pos_ = 0;
};

}  // namespace

void save_network(const Network& net, const std::string& path) {
    const auto& p = net.parts();
    std::string buf;
    buf.reserve(64 + p.crs.size() + p.node_ids.size() * 24 + p.edges.size() * 24 + p.geometry_points.size() * 16);
    buf.append(kMagic, sizeof(kMagic));
    put(buf, kVersion);
    put(buf, kEndianMark);
    std::uint32_t flags = net.has_geometry() ? 1u : 0u;
    put(buf, flags);
    put(buf, static_cast<std::uint64_t>(p.node_ids.size()));
    put(buf, static_cast<std::uint64_t>(p.edges.size()));
    put(buf, static_cast<std::uint64_t>(net.has_geometry() ? p.geometry_points.size() : 0));
    put(buf, static_cast<std::uint64_t>(p.crs.size()));
    buf += p.crs;
    put_array(buf, p.node_ids);
    std::vector<std::uint32_t> u(p.edges.size()), v(p.edges.size());
    std::vector<double> len(p.edges.size());
    for (std::size_t e = 0; e < p.edges.size(); ++e) {
        u[e] = p.edges[e].u;
        v[e] = p.edges[e].v;
        len[e] = p.edges[e].length_m;
    }
    put_array(buf, u);
    put_array(buf, v);
    put_array(buf, len);
    if (net.has_geometry()) {
        put_array(buf, p.node_xy);
        put_array(buf, p.geometry_offsets);
        put_array(buf, p.geometry_points);
    }
    core::write_file_atomically(path, buf);
}

bool is_network_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char head[sizeof(kMagic)] = {};
    in.read(head, sizeof(head));
    return in && std::memcmp(head, kMagic, sizeof(kMagic)) == 0;
}

Network load_network(const std::string& path) {
    std::string bytes = read_all(path);
    Reader r(path, bytes);
    std::string magic = r.get_string(sizeof(kMagic), "header");
    if (std::memcmp(magic.data(), kMagic, sizeof(kMagic)) != 0) r.fail(tr("it does not start with PLANMAPNET"));
    auto version = r.get<std::uint32_t>("header");
    if (version != kVersion)
        r.fail(trf("format version {}, this planmap reads version {} (rebuild it with 'planmap network build')", version, kVersion));
    if (r.get<std::uint32_t>("header") != kEndianMark) r.fail(tr("written on a machine with another byte order"));
    auto flags = r.get<std::uint32_t>("header");
    auto n = r.get<std::uint64_t>("header");
    auto m = r.get<std::uint64_t>("header");
    auto npts = r.get<std::uint64_t>("header");
    auto crs_len = r.get<std::uint64_t>("header");
    Network::Parts p;
    p.crs = r.get_string(crs_len, "CRS");
    r.get_array(p.node_ids, n, "node ids");
    std::vector<std::uint32_t> u, v;
    std::vector<double> len;
    r.get_array(u, m, "edges");
    r.get_array(v, m, "edges");
    r.get_array(len, m, "edge lengths");
    p.edges.resize(m);
    for (std::size_t e = 0; e < m; ++e) p.edges[e] = {u[e], v[e], len[e]};
    if (flags & 1u) {
        r.get_array(p.node_xy, n, "node positions");
        r.get_array(p.geometry_offsets, m + 1, "edge geometry");
        r.get_array(p.geometry_points, npts, "edge geometry");
    }
    if (!r.at_end()) r.fail(tr("unexpected bytes after the data"));
    try {
        return Network(std::move(p));
    } catch (const geometry_error& e) {
        r.fail(e.what());
    }
}

// ---------------------------------------------------------------------------------------------
// Edge-list CSV.

namespace {

struct CsvLines {
    std::string text;
    std::size_t pos = 0;
    int line = 0;
    // Next non-empty line split on commas (no quoting: the tables are numeric).
    bool next(std::vector<std::string_view>& cells) {
        while (pos < text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string::npos) end = text.size();
            std::string_view l(text.data() + pos, end - pos);
            pos = end + 1;
            ++line;
            if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
            if (line == 1 && l.size() >= 3 && l.substr(0, 3) == "\xEF\xBB\xBF") l.remove_prefix(3);
            if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
            cells.clear();
            std::size_t s = 0;
            while (true) {
                std::size_t c = l.find(',', s);
                std::string_view cell = l.substr(s, c == std::string_view::npos ? std::string_view::npos : c - s);
                while (!cell.empty() && (cell.front() == ' ' || cell.front() == '"')) cell.remove_prefix(1);
                while (!cell.empty() && (cell.back() == ' ' || cell.back() == '"')) cell.remove_suffix(1);
                cells.push_back(cell);
                if (c == std::string_view::npos) break;
                s = c + 1;
            }
            return true;
        }
        return false;
    }
};

template <class T>
bool parse_num(std::string_view s, T& v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size();
}

std::string lower(std::string_view s) {
    std::string o(s);
    std::transform(o.begin(), o.end(), o.begin(), [](unsigned char c) { return std::tolower(c); });
    return o;
}

// Column positions from a header line (names in `names`, first match wins), or none when the
// line is data.
std::optional<std::vector<int>> header_columns(const std::vector<std::string_view>& cells,
                                               const std::vector<std::vector<std::string>>& names) {
    double probe;
    if (parse_num(cells[0], probe)) return std::nullopt;
    std::vector<int> cols;
    for (const auto& alts : names) {
        int found = -1;
        for (std::size_t i = 0; i < cells.size() && found < 0; ++i)
            for (const auto& a : alts)
                if (lower(cells[i]) == a) found = static_cast<int>(i);
        cols.push_back(found);
    }
    return cols;
}

std::string format_double(double v) {
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    return std::string(buf, p);
}

}  // namespace

std::string node_table_path(const std::string& edges_csv) {
    fs::path p(edges_csv);
    return (p.parent_path() / (p.stem().string() + ".nodes.csv")).string();
}

Network read_edge_list(const std::string& edges_csv, const std::string& nodes_csv) {
    CsvLines in{read_all(edges_csv)};
    std::vector<std::string_view> cells;
    std::vector<int> cols = {0, 1, 2};
    Network::Parts p;
    std::vector<std::int64_t> us, vs;
    std::vector<double> lens;
    bool first = true;
    while (in.next(cells)) {
        if (first) {
            first = false;
            auto h = header_columns(cells, {{"u", "source", "from"}, {"v", "target", "to"}, {"length_m", "length", "cost", "weight"}});
            if (h) {
                for (std::size_t i = 0; i < 3; ++i)
                    if ((*h)[i] < 0)
                        throw file_error(edges_csv, in.line, trf("the header has no '{}' column", i == 0 ? "u" : i == 1 ? "v" : "length_m"));
                cols = *h;
                continue;
            }
        }
        int need = std::max({cols[0], cols[1], cols[2]});
        if (static_cast<int>(cells.size()) <= need)
            throw file_error(edges_csv, in.line, trf("expected u,v,length_m, found {} column(s)", cells.size()));
        std::int64_t u, v;
        double len;
        if (!parse_num(cells[cols[0]], u) || !parse_num(cells[cols[1]], v))
            throw file_error(edges_csv, in.line, tr("node ids must be integers"));
        if (!parse_num(cells[cols[2]], len) || !std::isfinite(len) || len < 0)
            throw file_error(edges_csv, in.line, trf("length_m must be a non-negative number, found '{}'", std::string(cells[cols[2]])));
        us.push_back(u);
        vs.push_back(v);
        lens.push_back(len);
    }
    // Node ids: dense indices in order of first appearance.
    std::unordered_map<std::int64_t, std::uint32_t> index;
    index.reserve(us.size());
    auto node = [&](std::int64_t id) {
        auto [it, inserted] = index.try_emplace(id, static_cast<std::uint32_t>(p.node_ids.size()));
        if (inserted) p.node_ids.push_back(id);
        return it->second;
    };
    p.edges.resize(us.size());
    for (std::size_t e = 0; e < us.size(); ++e) p.edges[e] = {node(us[e]), node(vs[e]), lens[e]};

    if (!nodes_csv.empty()) {
        CsvLines nin{read_all(nodes_csv)};
        std::vector<int> ncols = {0, 1, 2};
        std::vector<double> lon(p.node_ids.size(), NAN), lat(p.node_ids.size(), NAN);
        bool nfirst = true;
        while (nin.next(cells)) {
            if (nfirst) {
                nfirst = false;
                auto h = header_columns(cells, {{"node", "id", "osmid"}, {"lon", "x", "lng", "longitude"}, {"lat", "y", "latitude"}});
                if (h) {
                    for (int c : *h)
                        if (c < 0) throw file_error(nodes_csv, nin.line, tr("the header must name node,lon,lat"));
                    ncols = *h;
                    continue;
                }
            }
            int need = std::max({ncols[0], ncols[1], ncols[2]});
            if (static_cast<int>(cells.size()) <= need) throw file_error(nodes_csv, nin.line, tr("expected node,lon,lat"));
            std::int64_t id;
            double x, y;
            if (!parse_num(cells[ncols[0]], id)) throw file_error(nodes_csv, nin.line, tr("node id must be an integer"));
            if (!parse_num(cells[ncols[1]], x) || !parse_num(cells[ncols[2]], y) || std::abs(x) > 180 || std::abs(y) > 90)
                throw file_error(nodes_csv, nin.line, tr("lon,lat must be WGS84 degrees"));
            auto it = index.find(id);
            if (it == index.end()) continue;  // a node no edge uses
            lon[it->second] = x;
            lat[it->second] = y;
        }
        for (std::size_t i = 0; i < p.node_ids.size(); ++i)
            if (std::isnan(lon[i]))
                throw file_error(nodes_csv, 0, trf("node {} of the edge list has no lon,lat", p.node_ids[i]));
        if (!p.node_ids.empty()) {
            double minx = *std::min_element(lon.begin(), lon.end()), maxx = *std::max_element(lon.begin(), lon.end());
            double miny = *std::min_element(lat.begin(), lat.end()), maxy = *std::max_element(lat.begin(), lat.end());
            geo::Crs metric = geo::analysis_crs_for((minx + maxx) / 2, (miny + maxy) / 2);
            geo::Transformer(geo::Crs::wgs84(), metric).transform(lon.data(), lat.data(), lon.size());
            p.node_xy.resize(lon.size());
            for (std::size_t i = 0; i < lon.size(); ++i) p.node_xy[i] = {lon[i], lat[i]};
            p.crs = metric.label();
        }
    }
    order_for_locality(p);
    try {
        return Network(std::move(p));
    } catch (const geometry_error& e) {
        throw file_error(edges_csv, 0, e.what());
    }
}

void write_edge_list(const Network& net, const std::string& edges_csv, const std::string& nodes_csv) {
    std::string out = "u,v,length_m\n";
    out.reserve(net.edge_count() * 28);
    for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
        const auto& ed = net.edge(e);
        out += std::to_string(net.node_id(ed.u));
        out += ',';
        out += std::to_string(net.node_id(ed.v));
        out += ',';
        out += format_double(ed.length_m);
        out += '\n';
    }
    std::string nodes;
    if (net.has_geometry() && !nodes_csv.empty()) {
        std::vector<double> x(net.node_count()), y(net.node_count());
        for (std::uint32_t i = 0; i < net.node_count(); ++i) {
            x[i] = net.node_xy(i).x;
            y[i] = net.node_xy(i).y;
        }
        geo::Transformer(geo::Crs::parse(net.crs()), geo::Crs::wgs84()).transform(x.data(), y.data(), x.size());
        nodes = "node,lon,lat\n";
        char buf[96];
        for (std::uint32_t i = 0; i < net.node_count(); ++i) {
            int k = std::snprintf(buf, sizeof(buf), ",%.9f,%.9f\n", x[i], y[i]);
            nodes += std::to_string(net.node_id(i));
            nodes.append(buf, static_cast<std::size_t>(k));
        }
    }
    core::write_file_atomically(edges_csv, out);
    if (!nodes.empty()) core::write_file_atomically(nodes_csv, nodes);
}

}  // namespace planmap::network
