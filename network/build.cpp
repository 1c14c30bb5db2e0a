#include "network/build.hpp"

#include <osmium/io/any_input.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/way.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <span>
#include <unordered_map>

#include "core/i18n.hpp"
#include "geo/crs.hpp"
#include "core/error.hpp"
#include "network/service.hpp"

namespace planmap::network {

namespace {

// Projects lon/lat arrays in place to the metric analysis CRS of their centre; returns its label.
std::string project_to_metric(std::vector<double>& x, std::vector<double>& y) {
    if (x.empty()) return geo::Crs::from_epsg(4326).label();
    auto [minx, maxx] = std::minmax_element(x.begin(), x.end());
    auto [miny, maxy] = std::minmax_element(y.begin(), y.end());
    geo::Crs metric = geo::analysis_crs_for((*minx + *maxx) / 2, (*miny + *maxy) / 2);
    geo::Transformer(geo::Crs::wgs84(), metric).transform(x.data(), y.data(), x.size());
    return metric.label();
}

double polyline_length(const std::vector<XY>& pts, std::size_t from, std::size_t to) {
    double len = 0;
    for (std::size_t i = from + 1; i < to; ++i) len += std::hypot(pts[i].x - pts[i - 1].x, pts[i].y - pts[i - 1].y);
    return len;
}

// A dead end within snap_m of another street's side (an undershoot at a T-junction) is joined to
// it: that street is split at the nearest point and a short connector added.
void join_dangles(Network::Parts& p, double snap_m, NetworkBuildReport& rep) {
    std::vector<std::uint32_t> degree(p.node_ids.size(), 0);
    for (const auto& e : p.edges) {
        ++degree[e.u];
        ++degree[e.v];
    }
    const Network before{Network::Parts(p)};
    EdgeLocator locator(before);
    struct Split {
        std::uint32_t edge;
        double offset_m;
        std::uint32_t dangle;
        XY at;
        double distance;
    };
    std::vector<Split> splits;
    for (std::uint32_t n = 0; n < degree.size(); ++n) {
        if (degree[n] != 1) continue;
        auto hit = locator.nearest(p.node_xy[n], snap_m, n);
        if (hit && hit->distance > 0) splits.push_back({hit->edge, hit->offset_m, n, hit->point, hit->distance});
    }
    if (splits.empty()) return;
    std::sort(splits.begin(), splits.end(), [](const Split& a, const Split& b) {
        return a.edge != b.edge ? a.edge < b.edge : a.offset_m < b.offset_m;
    });
    Network::Parts out;
    out.node_ids = p.node_ids;
    out.node_xy = p.node_xy;
    out.crs = p.crs;
    out.geometry_offsets.push_back(0);
    auto add_edge = [&](std::uint32_t u, std::uint32_t v, std::vector<XY> pts) {
        pts.front() = out.node_xy[u];  // exactly on the nodes, whatever the interpolation gave
        pts.back() = out.node_xy[v];
        out.edges.push_back({u, v, polyline_length(pts, 0, pts.size())});
        out.geometry_points.insert(out.geometry_points.end(), pts.begin(), pts.end());
        out.geometry_offsets.push_back(out.geometry_points.size());
    };
    auto new_node = [&](XY at) {
        auto id = static_cast<std::uint32_t>(out.node_ids.size());
        out.node_ids.push_back(id);
        out.node_xy.push_back(at);
        return id;
    };
    std::size_t k = 0;
    for (std::uint32_t e = 0; e < before.edge_count(); ++e) {
        const auto& ed = before.edge(e);
        std::uint32_t from = ed.u;
        double from_m = 0;
        for (; k < splits.size() && splits[k].edge == e; ++k) {
            const Split& sp = splits[k];
            std::uint32_t at;
            if (sp.offset_m <= 0) at = ed.u;
            else if (sp.offset_m >= ed.length_m) at = ed.v;
            else {
                at = new_node(sp.at);
                add_edge(from, at, before.edge_substring(e, from_m, sp.offset_m));
                from = at;
                from_m = sp.offset_m;
            }
            add_edge(sp.dangle, at, {p.node_xy[sp.dangle], out.node_xy[at]});
            ++rep.snapped_lines;
        }
        auto pts = before.edge_substring(e, from_m, ed.length_m);
        if (from_m == 0) {
            auto all = before.edge_points(e);
            pts.assign(all.begin(), all.end());
        }
        add_edge(from, ed.v, pts);
    }
    for (std::uint32_t i = 0; i < out.node_ids.size(); ++i) out.node_ids[i] = i;
    p = std::move(out);
}

// Two ways drawn over the same nodes (an overlap mapped twice) give the same edge twice: the street
// would count twice in every length. Keeps the first of edges with the same end nodes and the same
// polyline (either way round); parallel edges with other geometry stay.
void drop_duplicate_edges(Network::Parts& p, NetworkBuildReport& rep) {
    auto points = [&](std::size_t e) {
        return std::span<const XY>(p.geometry_points.data() + p.geometry_offsets[e], p.geometry_offsets[e + 1] - p.geometry_offsets[e]);
    };
    auto same = [&](std::size_t a, std::size_t b) {
        auto pa = points(a), pb = points(b);
        if (pa.size() != pb.size()) return false;
        const bool forward = p.edges[a].u == p.edges[b].u;
        for (std::size_t i = 0; i < pa.size(); ++i) {
            const XY q = forward ? pb[i] : pb[pb.size() - 1 - i];
            if (pa[i].x != q.x || pa[i].y != q.y) return false;
        }
        return true;
    };
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> seen;  // end nodes → edges kept
    std::vector<std::uint8_t> drop(p.edges.size(), 0);
    std::size_t dropped = 0;
    for (std::uint32_t e = 0; e < p.edges.size(); ++e) {
        const auto [lo, hi] = std::minmax(p.edges[e].u, p.edges[e].v);
        auto& kept = seen[(std::uint64_t(lo) << 32) | hi];
        if (std::any_of(kept.begin(), kept.end(), [&](std::uint32_t k) { return same(k, e); })) {
            drop[e] = 1;
            ++dropped;
            ++rep.duplicate_edges;
            rep.duplicate_length_m += p.edges[e].length_m;
        } else {
            kept.push_back(e);
        }
    }
    if (!dropped) return;
    std::vector<Network::Edge> edges;
    std::vector<std::uint64_t> offsets{0};
    std::vector<XY> pts;
    for (std::uint32_t e = 0; e < p.edges.size(); ++e) {
        if (drop[e]) continue;
        edges.push_back(p.edges[e]);
        auto pe = points(e);
        pts.insert(pts.end(), pe.begin(), pe.end());
        offsets.push_back(pts.size());
    }
    p.edges = std::move(edges);
    p.geometry_offsets = std::move(offsets);
    p.geometry_points = std::move(pts);
}

}  // namespace

WalkRules parse_walk_rules(const std::string& name) {
    if (name == "osmnx") return WalkRules::osmnx;
    if (name == "access") return WalkRules::access;
    throw usage_error(trf("walk rules '{}': expected osmnx or access", name));
}

Network build_network_from_osm(const std::string& path, NetworkBuildReport* report, WalkRules rules) {
    NetworkBuildReport local;
    NetworkBuildReport& rep = report ? *report : local;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw io_error(trf("cannot read '{}': {}", path, tr("no such file or directory")));

    // Pass 1: walkable ways and their node references.
    std::vector<std::int64_t> way_refs;         // all ways' refs, concatenated
    std::vector<std::size_t> way_offsets{0};
    try {
        osmium::io::Reader reader(path, osmium::osm_entity_bits::way);
        while (osmium::memory::Buffer buffer = reader.read()) {
            for (const auto& way : buffer.select<osmium::Way>()) {
                const auto& tags = way.tags();
                if (!tags.has_key("highway")) continue;
                ++rep.ways_read;
                if (const char* why = walk_exclusion([&](const char* k) { return tags.get_value_by_key(k); }, rules)) {
                    ++rep.skipped[why];
                    continue;
                }
                if (way.nodes().size() < 2) {
                    ++rep.skipped[N_("fewer than two nodes")];
                    continue;
                }
                ++rep.ways_used;
                for (const auto& nr : way.nodes()) way_refs.push_back(nr.ref());
                way_offsets.push_back(way_refs.size());
            }
        }
        reader.close();
    } catch (const std::exception& e) {
        throw io_error(trf("cannot read OSM file '{}': {}", path, e.what()));
    }

    // Distinct referenced nodes, how often each is used, and which end a way.
    std::vector<std::int64_t> ids(way_refs);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto index_of = [&](std::int64_t id) {
        return static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), id) - ids.begin());
    };
    std::vector<std::uint32_t> uses(ids.size(), 0);
    std::vector<std::uint8_t> is_node(ids.size(), 0);
    std::vector<std::size_t> ref_index(way_refs.size());
    for (std::size_t i = 0; i < way_refs.size(); ++i) {
        ref_index[i] = index_of(way_refs[i]);
        ++uses[ref_index[i]];
    }
    for (std::size_t w = 0; w + 1 < way_offsets.size(); ++w) {
        is_node[ref_index[way_offsets[w]]] = 1;
        is_node[ref_index[way_offsets[w + 1] - 1]] = 1;
    }
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (uses[i] > 1) is_node[i] = 1;

    // Pass 2: locations of the referenced nodes.
    std::vector<double> lon(ids.size(), NAN), lat(ids.size(), NAN);
    try {
        osmium::io::Reader reader(path, osmium::osm_entity_bits::node);
        while (osmium::memory::Buffer buffer = reader.read()) {
            for (const auto& node : buffer.select<osmium::Node>()) {
                auto it = std::lower_bound(ids.begin(), ids.end(), node.id());
                if (it == ids.end() || *it != node.id() || !node.location().valid()) continue;
                std::size_t i = static_cast<std::size_t>(it - ids.begin());
                lon[i] = node.location().lon();
                lat[i] = node.location().lat();
            }
        }
        reader.close();
    } catch (const std::exception& e) {
        throw io_error(trf("cannot read OSM file '{}': {}", path, e.what()));
    }
    std::vector<double> px, py;
    std::vector<std::size_t> located;  // ids index → position in px/py
    located.assign(ids.size(), static_cast<std::size_t>(-1));
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (!std::isnan(lon[i])) {
            located[i] = px.size();
            px.push_back(lon[i]);
            py.push_back(lat[i]);
        }
    Network::Parts p;
    p.crs = project_to_metric(px, py);

    // Split every way at graph nodes; a missing location ends the current piece (clipped extracts).
    std::vector<std::uint32_t> graph_node(ids.size(), Network::none);
    auto node_for = [&](std::size_t i) {
        if (graph_node[i] == Network::none) {
            graph_node[i] = static_cast<std::uint32_t>(p.node_ids.size());
            p.node_ids.push_back(ids[i]);
            p.node_xy.push_back({px[located[i]], py[located[i]]});
        }
        return graph_node[i];
    };
    p.geometry_offsets.push_back(0);
    std::vector<XY> piece;
    for (std::size_t w = 0; w + 1 < way_offsets.size(); ++w) {
        piece.clear();
        std::size_t start_ref = 0;
        for (std::size_t r = way_offsets[w]; r < way_offsets[w + 1]; ++r) {
            std::size_t i = ref_index[r];
            if (located[i] == static_cast<std::size_t>(-1)) {
                ++rep.missing_nodes;
                piece.clear();
                continue;
            }
            XY xy{px[located[i]], py[located[i]]};
            if (piece.empty()) {
                piece.push_back(xy);
                start_ref = i;
                continue;
            }
            piece.push_back(xy);
            const bool end = is_node[i] || r + 1 == way_offsets[w + 1] ||
                             located[ref_index[r + 1]] == static_cast<std::size_t>(-1);
            if (!end) continue;
            std::uint32_t u = node_for(start_ref), v = node_for(i);
            p.edges.push_back({u, v, polyline_length(piece, 0, piece.size())});
            p.geometry_points.insert(p.geometry_points.end(), piece.begin(), piece.end());
            p.geometry_offsets.push_back(p.geometry_points.size());
            piece.assign(1, xy);
            start_ref = i;
        }
    }
    drop_duplicate_edges(p, rep);
    order_for_locality(p);
    return Network(std::move(p));
}

Network build_network_from_lines(const std::vector<const GEOSGeometry*>& lines, const std::string& crs, double snap_m,
                                 NetworkBuildReport* report) {
    NetworkBuildReport local;
    NetworkBuildReport& rep = report ? *report : local;
    auto ctx = geo::geos_context();
    std::vector<geo::GeomPtr> parts;
    for (const GEOSGeometry* g : lines) {
        ++rep.ways_read;
        if (!g || geo::is_empty(g)) {
            ++rep.skipped[N_("empty geometry")];
            continue;
        }
        int type = GEOSGeomTypeId_r(ctx, g);
        if (type != GEOS_LINESTRING && type != GEOS_MULTILINESTRING) {
            ++rep.skipped[N_("not a line")];
            continue;
        }
        ++rep.ways_used;
        parts.push_back(geo::clone(g));
    }
    Network::Parts p;
    p.crs = crs;
    if (parts.empty()) return Network(std::move(p));
    // Noding: the union of all lines splits them at every intersection.
    geo::GeomPtr all = geo::make_collection(GEOS_MULTILINESTRING, [&] {
        std::vector<geo::GeomPtr> flat;
        for (auto& g : parts) {
            int n = GEOSGetNumGeometries_r(ctx, g.get());
            for (int i = 0; i < n; ++i) flat.push_back(geo::clone(GEOSGetGeometryN_r(ctx, g.get(), i)));
        }
        return flat;
    }());
    geo::GeomPtr noded = geo::unary_union(all.get());

    // End points become nodes; with a tolerance, end points closer than snap_m are merged
    // (a grid of snap_m cells, union-find over neighbouring cells).
    struct Piece {
        std::vector<XY> pts;
    };
    std::vector<Piece> pieces;
    int n = GEOSGetNumGeometries_r(ctx, noded.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* l = GEOSGetGeometryN_r(ctx, noded.get(), i);
        if (GEOSGeomTypeId_r(ctx, l) != GEOS_LINESTRING) continue;
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, l);
        unsigned int size = 0;
        GEOSCoordSeq_getSize_r(ctx, seq, &size);
        if (size < 2) continue;
        Piece pc;
        pc.pts.resize(size);
        for (unsigned int k = 0; k < size; ++k) GEOSCoordSeq_getXY_r(ctx, seq, k, &pc.pts[k].x, &pc.pts[k].y);
        pieces.push_back(std::move(pc));
    }
    auto key = [](XY a) {
        std::uint64_t kx, ky;
        std::memcpy(&kx, &a.x, 8);
        std::memcpy(&ky, &a.y, 8);
        return kx * 0x9E3779B97F4A7C15ull ^ ky;
    };
    std::vector<XY> ends;
    std::unordered_multimap<std::uint64_t, std::uint32_t> exact;
    auto end_index = [&](XY a) {
        auto range = exact.equal_range(key(a));
        for (auto it = range.first; it != range.second; ++it)
            if (ends[it->second].x == a.x && ends[it->second].y == a.y) return it->second;
        auto id = static_cast<std::uint32_t>(ends.size());
        ends.push_back(a);
        exact.emplace(key(a), id);
        return id;
    };
    std::vector<std::pair<std::uint32_t, std::uint32_t>> piece_ends;
    for (auto& pc : pieces) piece_ends.emplace_back(end_index(pc.pts.front()), end_index(pc.pts.back()));

    std::vector<std::uint32_t> parent(ends.size());
    for (std::uint32_t i = 0; i < parent.size(); ++i) parent[i] = i;
    auto find = [&](std::uint32_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    if (snap_m > 0) {
        std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> grid;
        auto cell = [&](double c) { return static_cast<std::int64_t>(std::floor(c / snap_m)); };
        auto cell_key = [](std::int64_t cx, std::int64_t cy) { return static_cast<std::uint64_t>(cx) * 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(cy); };
        for (std::uint32_t i = 0; i < ends.size(); ++i) grid[cell_key(cell(ends[i].x), cell(ends[i].y))].push_back(i);
        for (std::uint32_t i = 0; i < ends.size(); ++i) {
            std::int64_t cx = cell(ends[i].x), cy = cell(ends[i].y);
            for (std::int64_t dx = -1; dx <= 1; ++dx)
                for (std::int64_t dy = -1; dy <= 1; ++dy) {
                    auto it = grid.find(cell_key(cx + dx, cy + dy));
                    if (it == grid.end()) continue;
                    for (auto j : it->second)
                        if (j > i && std::hypot(ends[i].x - ends[j].x, ends[i].y - ends[j].y) <= snap_m) {
                            auto a = find(i), b = find(j);
                            if (a != b) parent[std::max(a, b)] = std::min(a, b);
                        }
                }
        }
    }
    std::vector<std::uint32_t> node_of(ends.size(), Network::none);
    auto node_for = [&](std::uint32_t end) {
        auto root = find(end);
        if (node_of[root] == Network::none) {
            node_of[root] = static_cast<std::uint32_t>(p.node_ids.size());
            p.node_ids.push_back(static_cast<std::int64_t>(p.node_ids.size()));
            p.node_xy.push_back(ends[root]);
        }
        return node_of[root];
    };
    p.geometry_offsets.push_back(0);
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        auto& pts = pieces[k].pts;
        std::uint32_t u = node_for(piece_ends[k].first), v = node_for(piece_ends[k].second);
        if (pts.front().x != p.node_xy[u].x || pts.front().y != p.node_xy[u].y || pts.back().x != p.node_xy[v].x ||
            pts.back().y != p.node_xy[v].y)
            ++rep.snapped_lines;
        pts.front() = p.node_xy[u];
        pts.back() = p.node_xy[v];
        double len = polyline_length(pts, 0, pts.size());
        if (u == v && len == 0) continue;  // a piece shorter than the tolerance collapsed to a point
        p.edges.push_back({u, v, len});
        p.geometry_points.insert(p.geometry_points.end(), pts.begin(), pts.end());
        p.geometry_offsets.push_back(p.geometry_points.size());
    }
    if (snap_m > 0) join_dangles(p, snap_m, rep);
    order_for_locality(p);
    return Network(std::move(p));
}

}  // namespace planmap::network
