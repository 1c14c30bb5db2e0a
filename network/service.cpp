#include "network/service.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <span>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "network/whole.hpp"

namespace planmap::network {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

geo::Envelope box_around(XY p, double r) { return {p.x - r, p.y - r, p.x + r, p.y + r, false}; }

// The exact parts and the whole-edge parts mostly coincide: their shared stretches are buffered and
// dissolved once, then each polygon adds the buffers of its own remaining stretches.
struct SharedParts {
    std::vector<EdgePart> common, only_exact, only_whole;
};
SharedParts share_parts(std::vector<EdgePart> exact, std::vector<EdgePart> whole) {
    auto by_edge = [](const EdgePart& a, const EdgePart& b) { return a.edge != b.edge ? a.edge < b.edge : a.from_m < b.from_m; };
    std::sort(exact.begin(), exact.end(), by_edge);
    std::sort(whole.begin(), whole.end(), by_edge);
    SharedParts out;
    std::vector<double> cuts;
    auto inside = [](std::span<const EdgePart> parts, double x) {
        for (const auto& p : parts)
            if (p.from_m <= x && x <= p.to_m) return true;
        return false;
    };
    auto add = [](std::vector<EdgePart>& to, std::uint32_t e, double a, double b) {
        if (!to.empty() && to.back().edge == e && to.back().to_m == a) to.back().to_m = b;
        else to.push_back({e, a, b});
    };
    std::size_t i = 0, j = 0;
    while (i < exact.size() || j < whole.size()) {
        const std::uint32_t e = j == whole.size() || (i < exact.size() && exact[i].edge < whole[j].edge) ? exact[i].edge : whole[j].edge;
        std::size_t i2 = i, j2 = j;
        while (i2 < exact.size() && exact[i2].edge == e) ++i2;
        while (j2 < whole.size() && whole[j2].edge == e) ++j2;
        std::span<const EdgePart> a(exact.data() + i, i2 - i), b(whole.data() + j, j2 - j);
        cuts.clear();
        for (const auto& p : a) cuts.insert(cuts.end(), {p.from_m, p.to_m});
        for (const auto& p : b) cuts.insert(cuts.end(), {p.from_m, p.to_m});
        std::sort(cuts.begin(), cuts.end());
        for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
            const double x = cuts[k], y = cuts[k + 1];
            if (!(y > x)) continue;
            const bool in_a = inside(a, (x + y) / 2), in_b = inside(b, (x + y) / 2);
            if (in_a && in_b) add(out.common, e, x, y);
            else if (in_a) add(out.only_exact, e, x, y);
            else if (in_b) add(out.only_whole, e, x, y);
        }
        i = i2;
        j = j2;
    }
    return out;
}

// The buffered polygon around the exact parts, and the area of the one around the whole-edge parts.
geo::GeomPtr exact_and_whole_area(const Network& net, const std::vector<EdgePart>& exact, const std::vector<EdgePart>& whole,
                             const ServiceAreaOptions& opt, double& whole_area_m2) {
    if (!opt.whole_edge_area) {
        whole_area_m2 = 0;
        return lines_to_area(parts_to_lines(net, exact).get(), opt.buffer_m, opt.quad_segs);
    }
    auto shared = share_parts(exact, whole);
    geo::GeomPtr base = lines_to_area(parts_to_lines(net, shared.common).get(), opt.buffer_m, opt.quad_segs);
    auto with = [&](const std::vector<EdgePart>& extra) {
        if (extra.empty()) return geo::clone(base.get());
        std::vector<geo::GeomPtr> pieces;
        pieces.push_back(geo::clone(base.get()));
        pieces.push_back(lines_to_area(parts_to_lines(net, extra).get(), opt.buffer_m, opt.quad_segs));
        return geo::union_all(std::move(pieces));
    };
    whole_area_m2 = geo::area(with(shared.only_whole).get());
    return with(shared.only_exact);
}

}  // namespace

EdgeLocator::EdgeLocator(const Network& net, const EdgeMask* blocked)
    : net_(net), blocked_(blocked && !blocked->empty() ? blocked : nullptr) {
    if (!net.has_geometry()) throw geometry_error(tr("the network has no geometry (an edge list without a node table)"));
    envelopes_.resize(net.edge_count());
    geo::Envelope all;
    for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
        geo::Envelope env;
        for (const auto& p : net.edge_points(e)) env.expand({p.x, p.y, p.x, p.y, false});
        all.expand(env);
        if (blocked_ && (*blocked_)[e]) env.empty = true;  // left out of the index
        envelopes_[e] = env;
    }
    index_ = geo::SpatialIndex(envelopes_);
    if (!all.empty) extent_diag_ = std::hypot(all.maxx - all.minx, all.maxy - all.miny);
}

EdgeLocator::Hit EdgeLocator::project(std::uint32_t e, XY p) const {
    auto pts = net_.edge_points(e);
    Hit best{e, 0, std::numeric_limits<double>::infinity(), pts.front()};
    double walked = 0, best_walked = 0;
    for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
        const XY a = pts[i], b = pts[i + 1];
        double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
        double t = l2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / l2, 0.0, 1.0) : 0.0;
        XY q{a.x + t * dx, a.y + t * dy};
        double d = std::hypot(p.x - q.x, p.y - q.y);
        double sl = std::sqrt(l2);
        if (d < best.distance) {
            best.distance = d;
            best.point = q;
            best_walked = walked + t * sl;
        }
        walked += sl;
    }
    // Offsets are in the edge's length_m (edge lists may give lengths other than the drawing's).
    best.offset_m = walked > 0 ? best_walked / walked * net_.edge(e).length_m : 0.0;
    return best;
}

std::optional<EdgeLocator::Hit> EdgeLocator::nearest(XY p, double max_m, std::uint32_t skip_node) const {
    if (index_.size() == 0) return std::nullopt;
    double limit = std::isfinite(max_m) ? max_m : extent_diag_ + std::hypot(p.x, p.y);
    double r = std::min(limit, 50.0);
    while (true) {
        std::optional<Hit> best;
        index_.for_each(box_around(p, r), [&](std::size_t e) {
            const auto& ed = net_.edge(static_cast<std::uint32_t>(e));
            if (skip_node != Network::none && (ed.u == skip_node || ed.v == skip_node)) return;
            Hit h = project(static_cast<std::uint32_t>(e), p);
            if (!best || h.distance < best->distance || (h.distance == best->distance && h.edge < best->edge)) best = h;
        });
        // A hit farther than r may hide a nearer edge outside the box: widen until it cannot.
        if (best && best->distance <= r) return best->distance <= max_m ? best : std::nullopt;
        if (r >= limit) return std::nullopt;
        r = std::min(limit, r * 2);
    }
}

geo::GeomPtr EdgeLocator::edge_line(std::uint32_t e) const {
    std::vector<std::pair<double, double>> pts;
    for (const auto& p : net_.edge_points(e)) pts.emplace_back(p.x, p.y);
    return geo::make_linestring(pts);
}

Attachment EdgeLocator::attach(const GEOSGeometry* g, const AttachOptions& opt) const {
    Attachment out;
    auto ctx = geo::geos_context();
    if (!g || geo::is_empty(g)) return out;
    int type = GEOSGeomTypeId_r(ctx, g);
    if (type == GEOS_POINT || type == GEOS_MULTIPOINT) {
        int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* pt = GEOSGetGeometryN_r(ctx, g, i);
            double x, y;
            if (!GEOSGeomGetX_r(ctx, pt, &x) || !GEOSGeomGetY_r(ctx, pt, &y)) continue;
            auto hit = nearest({x, y}, opt.max_snap_m);
            if (!hit) continue;
            if (!out.attached || hit->distance < out.snap_m) {
                out.snap_m = hit->distance;
                out.point = hit->point;
            }
            out.attached = true;
            out.seeds.push_back(Seed::on_edge(hit->edge, hit->offset_m, hit->offset_m, opt.count_snap ? hit->distance : 0.0));
        }
        return out;
    }
    // Polygons and lines: every edge within entry_m enters it along the stretch that is inside.
    geo::GeomPtr zone = opt.entry_m > 0 ? geo::buffer(g, opt.entry_m, 4) : geo::clone(g);
    auto prepared = geo::prepare(zone.get());
    geo::Envelope env = geo::envelope(zone.get());
    index_.for_each(env, [&](std::size_t ei) {
        auto e = static_cast<std::uint32_t>(ei);
        geo::GeomPtr line = edge_line(e);
        if (!GEOSPreparedIntersects_r(ctx, prepared.get(), line.get())) return;
        geo::GeomPtr inside = geo::intersection(line.get(), zone.get());
        int n = GEOSGetNumGeometries_r(ctx, inside.get());
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* piece = GEOSGetGeometryN_r(ctx, inside.get(), i);
            const GEOSCoordSequence* seq = nullptr;
            unsigned int size = 0;
            int pt = GEOSGeomTypeId_r(ctx, piece);
            if (pt != GEOS_LINESTRING && pt != GEOS_POINT) continue;
            seq = GEOSGeom_getCoordSeq_r(ctx, piece);
            if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &size) || size == 0) continue;
            double x0, y0, x1, y1;
            GEOSCoordSeq_getXY_r(ctx, seq, 0, &x0, &y0);
            GEOSCoordSeq_getXY_r(ctx, seq, size - 1, &x1, &y1);
            Hit a = project(e, {x0, y0}), b = project(e, {x1, y1});
            if (!out.attached) out.point = a.point;
            out.attached = true;
            out.seeds.push_back(Seed::on_edge(e, std::min(a.offset_m, b.offset_m), std::max(a.offset_m, b.offset_m)));
        }
    });
    if (out.attached) return out;
    // Not touching the network: the nearest point of the geometry's boundary.
    geo::GeomPtr bnd = geo::take(type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON ? GEOSBoundary_r(ctx, g) : GEOSGeom_clone_r(ctx, g), N_("boundary"));
    double limit = std::isfinite(opt.max_snap_m) ? opt.max_snap_m : extent_diag_;
    for (double r = std::min(limit, 50.0);; r = std::min(limit, r * 2)) {
        geo::Envelope q = env;
        q.minx -= r, q.miny -= r, q.maxx += r, q.maxy += r;
        double best_d = std::numeric_limits<double>::infinity();
        std::optional<Hit> best;
        index_.for_each(q, [&](std::size_t ei) {
            auto e = static_cast<std::uint32_t>(ei);
            geo::GeomPtr line = edge_line(e);
            double d;
            if (!GEOSDistance_r(ctx, line.get(), bnd.get(), &d) || d >= best_d) return;
            geo::CoordSeqPtr near(GEOSNearestPoints_r(ctx, line.get(), bnd.get()), geo::CoordSeqDeleter{ctx});
            if (!near) return;
            double x, y;
            GEOSCoordSeq_getXY_r(ctx, near.get(), 0, &x, &y);
            best_d = d;
            best = project(e, {x, y});
            best->distance = d;
        });
        if (best && best->distance <= r) {
            if (best->distance > opt.max_snap_m) break;
            out.attached = true;
            out.snap_m = best->distance;
            out.point = best->point;
            out.seeds.push_back(Seed::on_edge(best->edge, best->offset_m, best->offset_m, opt.count_snap ? best->distance : 0.0));
            break;
        }
        if (r >= limit) break;
    }
    return out;
}

EdgeMask EdgeLocator::crossing(const std::vector<const GEOSGeometry*>& barriers) const {
    EdgeMask mask(net_.edge_count(), 0);
    auto ctx = geo::geos_context();
    for (const GEOSGeometry* b : barriers) {
        if (!b || geo::is_empty(b)) continue;
        auto prepared = geo::prepare(b);
        index_.for_each(geo::envelope(b), [&](std::size_t e) {
            if (mask[e]) return;
            geo::GeomPtr line = edge_line(static_cast<std::uint32_t>(e));
            if (GEOSPreparedIntersects_r(ctx, prepared.get(), line.get()) == 1) mask[e] = 1;
        });
    }
    return mask;
}

std::vector<Attachment> attach_all(const Network& net, const std::vector<const GEOSGeometry*>& facilities,
                                   const AttachOptions& options, const EdgeMask* blocked) {
    EdgeLocator locator(net, blocked);
    std::vector<Attachment> out(facilities.size());
    tbb::parallel_for(std::size_t(0), facilities.size(), [&](std::size_t i) { out[i] = locator.attach(facilities[i], options); });
    return out;
}

std::vector<Seed> all_seeds(const std::vector<Attachment>& attachments) {
    std::vector<Seed> seeds;
    for (const auto& a : attachments)
        if (a.attached) seeds.insert(seeds.end(), a.seeds.begin(), a.seeds.end());
    return seeds;
}

geo::GeomPtr parts_to_lines(const Network& net, const std::vector<EdgePart>& parts) {
    std::vector<geo::GeomPtr> lines;
    lines.reserve(parts.size());
    std::vector<std::pair<double, double>> pts;
    for (const auto& p : parts) {
        pts.clear();
        for (const auto& q : net.edge_substring(p.edge, p.from_m, p.to_m)) pts.emplace_back(q.x, q.y);
        if (pts.size() >= 2) lines.push_back(geo::make_linestring(pts));
    }
    return geo::make_collection(GEOS_MULTILINESTRING, std::move(lines));
}

geo::GeomPtr lines_to_area(const GEOSGeometry* lines, double buffer_m, int quad_segs) {
    if (geo::is_empty(lines) || buffer_m <= 0) return geo::make_empty_polygon();
    // Buffering each part and dissolving the pieces is much faster than buffering the whole
    // multi-line at once (GEOS would node every segment against every other first).
    auto ctx = geo::geos_context();
    int n = GEOSGetNumGeometries_r(ctx, lines);
    std::vector<geo::GeomPtr> pieces;
    pieces.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) pieces.push_back(geo::buffer(GEOSGetGeometryN_r(ctx, lines, i), buffer_m, quad_segs));
    return geo::union_all(std::move(pieces));
}

NetworkServiceAreas service_areas(const Network& net, const std::vector<Attachment>& attachments, const ServiceAreaOptions& opt) {
    NetworkServiceAreas out;
    if (!net.has_geometry()) throw geometry_error(tr("service areas need a network with geometry"));
    for (std::size_t i = 0; i < attachments.size(); ++i)
        if (!attachments[i].attached) out.unattached.push_back(i);

    auto t0 = std::chrono::steady_clock::now();
    const NetworkChains chains(net, opt.blocked);
    std::vector<EdgePart> whole_all;
    std::vector<std::vector<EdgePart>> whole_each;
    {
        NetworkSearch search(net, /*parallel=*/true);
        auto seeds = all_seeds(attachments);
        search.run(seeds, opt.distance_m, opt.blocked);
        out.parts = search.reachable_parts();
        out.reach_length_m = NetworkSearch::total_length(out.parts);
        whole_all = whole_edge_parts(net, chains, search, seeds);
        out.whole_edge_length_m = NetworkSearch::total_length(whole_all);
    }
    if (opt.per_facility) {
        out.facilities.resize(attachments.size());
        whole_each.resize(attachments.size());
        tbb::enumerable_thread_specific<NetworkSearch> searches([&net] { return NetworkSearch(net); });
        tbb::parallel_for(std::size_t(0), attachments.size(), [&](std::size_t i) {
            const auto& a = attachments[i];
            auto& f = out.facilities[i];
            f.attached = a.attached;
            f.snap_m = a.snap_m;
            if (!a.attached) return;
            auto& search = searches.local();
            search.run(a.seeds, opt.distance_m, opt.blocked);
            f.parts = search.reachable_parts();
            f.reach_length_m = NetworkSearch::total_length(f.parts);
            whole_each[i] = whole_edge_parts(net, chains, search, a.seeds);
            f.whole_edge_length_m = NetworkSearch::total_length(whole_each[i]);
        });
    }
    out.search_s = seconds_since(t0);

    t0 = std::chrono::steady_clock::now();
    out.lines = parts_to_lines(net, out.parts);
    out.area = exact_and_whole_area(net, out.parts, whole_all, opt, out.whole_edge_area_m2);
    out.area_m2 = geo::area(out.area.get());
    if (opt.per_facility) {
        tbb::parallel_for(std::size_t(0), out.facilities.size(), [&](std::size_t i) {
            auto& f = out.facilities[i];
            if (!f.attached) return;
            f.lines = parts_to_lines(net, f.parts);
            f.area = exact_and_whole_area(net, f.parts, whole_each[i], opt, f.whole_edge_area_m2);
            f.area_m2 = geo::area(f.area.get());
        });
    }
    out.polygons_s = seconds_since(t0);
    return out;
}

}  // namespace planmap::network
