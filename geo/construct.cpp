#include "geo/construct.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/i18n.hpp"

namespace planmap::geo {

namespace {

int type_id(const GEOSGeometry* g) { return GEOSGeomTypeId_r(geos_context(), g); }

void collect_dimension(const GEOSGeometry* g, int dim, std::vector<GeomPtr>& out) {
    auto ctx = geos_context();
    int t = type_id(g);
    if (t == GEOS_MULTIPOINT || t == GEOS_MULTILINESTRING || t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; ++i) collect_dimension(GEOSGetGeometryN_r(ctx, g, i), dim, out);
        return;
    }
    if (is_empty(g)) return;
    int d = t == GEOS_POINT ? 0 : (t == GEOS_POLYGON ? 2 : 1);
    if (d != dim) return;
    if (t == GEOS_LINEARRING) {
        out.push_back(make_linestring(coords(g)));
        return;
    }
    out.push_back(clone(g));
}

GeomPtr empty_of(int dim) {
    auto ctx = geos_context();
    switch (dim) {
        case 0: return take(GEOSGeom_createEmptyPoint_r(ctx), N_("creating a point"));
        case 1: return take(GEOSGeom_createEmptyLineString_r(ctx), N_("creating a line"));
        default: return make_empty_polygon();
    }
}

double dist(std::pair<double, double> a, std::pair<double, double> b) {
    return std::hypot(a.first - b.first, a.second - b.second);
}

}  // namespace

int dimension(const GEOSGeometry* g) {
    if (!g || is_empty(g)) return -1;
    return GEOSGeom_getDimensions_r(geos_context(), g);
}

std::vector<std::pair<double, double>> coords(const GEOSGeometry* g) {
    auto ctx = geos_context();
    std::vector<std::pair<double, double>> out;
    if (is_empty(g)) return out;
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, g);
    if (!seq) throw geometry_error(trf("coordinates of a {} requested", geometry_type(g)));
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(ctx, seq, &n);
    out.resize(n);
    for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(ctx, seq, i, &out[i].first, &out[i].second);
    return out;
}

GeomPtr extract_dimension(const GEOSGeometry* g, int dim) {
    std::vector<GeomPtr> parts;
    collect_dimension(g, dim, parts);
    if (parts.empty()) return empty_of(dim);
    if (parts.size() == 1) return std::move(parts.front());
    int type = dim == 0 ? GEOS_MULTIPOINT : (dim == 1 ? GEOS_MULTILINESTRING : GEOS_MULTIPOLYGON);
    return make_collection(type, std::move(parts));
}

std::vector<GeomPtr> voronoi_partition(const std::vector<std::pair<double, double>>& seeds,
                                       const GEOSGeometry* boundary) {
    std::vector<GeomPtr> cells(seeds.size());
    if (seeds.empty()) return cells;
    for (std::size_t i = 0; i < seeds.size(); ++i)
        for (std::size_t j = i + 1; j < seeds.size(); ++j)
            if (seeds[i] == seeds[j])
                throw geometry_error(trf("Voronoi partition: seeds {} and {} coincide", i + 1, j + 1));
    auto region = extract_dimension(boundary, 2);
    if (seeds.size() == 1) {
        cells[0] = clone(region.get());
        return cells;
    }
    std::vector<GeomPtr> pts;
    for (const auto& [x, y] : seeds) pts.push_back(make_point(x, y));
    auto multi = make_collection(GEOS_MULTIPOINT, std::move(pts));
    // The diagram's frame must cover the boundary and every seed with room to spare.
    Envelope env = envelope(region.get());
    env.expand(envelope(multi.get()));
    double pad = std::max(env.maxx - env.minx, env.maxy - env.miny) + 1.0;
    auto frame = make_polygon({{env.minx - pad, env.miny - pad},
                               {env.maxx + pad, env.miny - pad},
                               {env.maxx + pad, env.maxy + pad},
                               {env.minx - pad, env.maxy + pad}});
    auto ctx = geos_context();
    auto diagram = take(GEOSVoronoiDiagram_r(ctx, multi.get(), frame.get(), 0.0, 0), N_("Voronoi diagram"));
    int n = GEOSGetNumGeometries_r(ctx, diagram.get());
    // The diagram's cells come in no particular order: give each seed the cell that contains it.
    for (int k = 0; k < n; ++k) {
        const GEOSGeometry* cell = GEOSGetGeometryN_r(ctx, diagram.get(), k);
        auto prepared = prepare(cell);
        for (std::size_t i = 0; i < seeds.size(); ++i) {
            if (cells[i]) continue;
            auto p = make_point(seeds[i].first, seeds[i].second);
            if (GEOSPreparedIntersects_r(ctx, prepared.get(), p.get()) == 1) {
                cells[i] = clip(cell, region.get());
                break;
            }
        }
    }
    for (std::size_t i = 0; i < seeds.size(); ++i)
        if (!cells[i]) throw geometry_error(trf("Voronoi partition: no cell found for seed {}", i + 1));
    return cells;
}

bool is_closed_ring(const GEOSGeometry* g, double tolerance, std::string* why) {
    auto fail = [&](const std::string& m) {
        if (why) *why = m;
        return false;
    };
    int t = type_id(g);
    if (t == GEOS_MULTILINESTRING && GEOSGetNumGeometries_r(geos_context(), g) == 1)
        return is_closed_ring(GEOSGetGeometryN_r(geos_context(), g, 0), tolerance, why);
    if (t != GEOS_LINESTRING && t != GEOS_LINEARRING) return fail(trf("a {}, not one line", geometry_type(g)));
    auto c = coords(g);
    if (c.size() < 4) return fail(tr("fewer than 4 points"));
    double gap = dist(c.front(), c.back());
    if (gap > tolerance) return fail(trf("its ends are {} apart", static_cast<long long>(std::lround(gap))));
    auto closed = c;
    closed.back() = closed.front();
    auto line = make_linestring(closed);
    if (GEOSisSimple_r(geos_context(), line.get()) != 1) return fail(tr("it crosses itself"));
    return true;
}

GeomPtr polygon_of_ring(const GEOSGeometry* ring) {
    int t = type_id(ring);
    if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON) return clone(ring);
    std::string why;
    if (!is_closed_ring(ring, 0.0, &why)) throw geometry_error(trf("not a closed ring: {}", why));
    auto c = coords(t == GEOS_MULTILINESTRING ? GEOSGetGeometryN_r(geos_context(), ring, 0) : ring);
    return make_polygon(c);
}

GeomPtr annulus(const GEOSGeometry* outer, const GEOSGeometry* inner) {
    auto o = polygon_of_ring(outer);
    auto i = polygon_of_ring(inner);
    if (GEOSCovers_r(geos_context(), o.get(), i.get()) != 1)
        throw geometry_error(tr("annulus: the inner ring is not inside the outer ring"));
    return difference_keep(o.get(), i.get());
}

GeomPtr corridor(const GEOSGeometry* line, double half_width, int side) {
    if (half_width <= 0) throw geometry_error(tr("corridor: the half width must be positive"));
    if (side == 0) {
        auto ctx = geos_context();
        return take(GEOSBufferWithStyle_r(ctx, line, half_width, 16, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_ROUND, 5.0),
                    N_("corridor"));
    }
    auto ctx = geos_context();
    GEOSBufferParams* p = GEOSBufferParams_create_r(ctx);
    GEOSBufferParams_setEndCapStyle_r(ctx, p, GEOSBUF_CAP_FLAT);
    GEOSBufferParams_setJoinStyle_r(ctx, p, GEOSBUF_JOIN_MITRE);
    GEOSBufferParams_setSingleSided_r(ctx, p, 1);
    GEOSGeometry* out = GEOSBufferWithParams_r(ctx, line, p, side > 0 ? half_width : -half_width);
    GEOSBufferParams_destroy_r(ctx, p);
    return take(out, N_("one-sided corridor"));
}

GeomPtr clip(const GEOSGeometry* a, const GEOSGeometry* b) {
    int dim = dimension(a);
    auto r = intersection(a, b);
    return extract_dimension(r.get(), dim < 0 ? 2 : dim);
}

GeomPtr difference_keep(const GEOSGeometry* a, const GEOSGeometry* b) {
    int dim = dimension(a);
    auto r = difference(a, b);
    return extract_dimension(r.get(), dim < 0 ? 2 : dim);
}

GeomPtr largest_part(const GEOSGeometry* g) {
    std::vector<GeomPtr> parts;
    collect_dimension(g, 2, parts);
    if (parts.empty()) throw geometry_error(trf("largest part: no polygon in a {}", geometry_type(g)));
    std::size_t best = 0;
    for (std::size_t i = 1; i < parts.size(); ++i)
        if (area(parts[i].get()) > area(parts[best].get())) best = i;
    return std::move(parts[best]);
}

GeomPtr chain_lines(const std::vector<const GEOSGeometry*>& lines, double snap) {
    std::vector<std::vector<std::pair<double, double>>> segs;
    for (const auto* l : lines) {
        std::vector<GeomPtr> parts;
        collect_dimension(l, 1, parts);
        for (auto& p : parts) segs.push_back(coords(p.get()));
    }
    if (segs.empty()) throw geometry_error(tr("chain: no lines"));
    std::vector<bool> used(segs.size(), false);
    auto chain = segs[0];
    used[0] = true;
    for (std::size_t added = 1; added < segs.size(); ++added) {
        bool found = false;
        for (std::size_t i = 0; i < segs.size() && !found; ++i) {
            if (used[i]) continue;
            auto s = segs[i];
            auto rev = std::vector<std::pair<double, double>>(s.rbegin(), s.rend());
            if (dist(chain.back(), s.front()) <= snap) {
                chain.insert(chain.end(), s.begin() + 1, s.end());
            } else if (dist(chain.back(), s.back()) <= snap) {
                chain.insert(chain.end(), rev.begin() + 1, rev.end());
            } else if (dist(chain.front(), s.back()) <= snap) {
                chain.insert(chain.begin(), s.begin(), s.end() - 1);
            } else if (dist(chain.front(), s.front()) <= snap) {
                chain.insert(chain.begin(), rev.begin(), rev.end() - 1);
            } else {
                continue;
            }
            used[i] = found = true;
        }
        if (!found)
            throw geometry_error(trf("chain: segment ends do not meet ({} of {} lines left over)", segs.size() - added,
                                     segs.size()));
    }
    if (chain.size() > 2 && dist(chain.front(), chain.back()) <= snap) chain.back() = chain.front();
    return make_linestring(chain);
}

GeomPtr enclosed_ring(const std::vector<const GEOSGeometry*>& lines) {
    std::vector<GeomPtr> parts;
    for (const auto* l : lines) collect_dimension(l, 1, parts);
    if (parts.empty()) throw geometry_error(tr("enclosed ring: no lines"));
    auto noded = unary_union(make_collection(GEOS_MULTILINESTRING, std::move(parts)).get());
    const GEOSGeometry* in[] = {noded.get()};
    auto faces = take(GEOSPolygonize_r(geos_context(), in, 1), N_("polygonize"));
    auto polys = extract_dimension(faces.get(), 2);
    if (is_empty(polys.get())) throw geometry_error(tr("enclosed ring: the lines enclose no area"));
    return outline(polys.get());
}

GeomPtr outline(const GEOSGeometry* polygonal) {
    auto part = largest_part(polygonal);
    return make_linestring(coords(GEOSGetExteriorRing_r(geos_context(), part.get())));
}

GeomPtr convex_hull(const GEOSGeometry* g) { return take(GEOSConvexHull_r(geos_context(), g), N_("convex hull")); }

GeomPtr chaikin_smooth(const GEOSGeometry* g, int iterations) {
    int t = type_id(g);
    if (t == GEOS_MULTILINESTRING) {
        std::vector<GeomPtr> parts;
        int n = GEOSGetNumGeometries_r(geos_context(), g);
        for (int i = 0; i < n; ++i) parts.push_back(chaikin_smooth(GEOSGetGeometryN_r(geos_context(), g, i), iterations));
        return make_collection(GEOS_MULTILINESTRING, std::move(parts));
    }
    if (t != GEOS_LINESTRING) throw geometry_error(trf("smoothing applies to lines, not a {}", geometry_type(g)));
    auto c = coords(g);
    bool closed = c.size() > 3 && c.front() == c.back();
    for (int it = 0; it < iterations && c.size() > 2; ++it) {
        std::vector<std::pair<double, double>> next;
        std::size_t n = closed ? c.size() - 1 : c.size();  // closed: the repeated last point is skipped
        if (!closed) next.push_back(c.front());
        std::size_t segs = closed ? n : n - 1;
        for (std::size_t i = 0; i < segs; ++i) {
            auto a = c[i], b = c[(i + 1) % n];
            next.push_back({0.75 * a.first + 0.25 * b.first, 0.75 * a.second + 0.25 * b.second});
            next.push_back({0.25 * a.first + 0.75 * b.first, 0.25 * a.second + 0.75 * b.second});
        }
        if (closed) next.push_back(next.front());
        else next.push_back(c.back());
        c = std::move(next);
    }
    return make_linestring(c);
}

}  // namespace planmap::geo
