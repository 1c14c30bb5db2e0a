#include "geo/coverage.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <numbers>
#include <numeric>
#include <tuple>
#include <utility>

#include "core/i18n.hpp"
#include "geo/spatial_index.hpp"

namespace planmap::geo {

namespace {

// Envelopes that share a positive area (not just an edge or a corner).
bool boxes_overlap(const Envelope& a, const Envelope& b) {
    return !a.empty && !b.empty && a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;
}

// True when g is exactly the rectangle e (what GEOSClipByRect returns when e lies inside the
// clipped polygon).
bool is_whole_rect(GEOSContextHandle_t ctx, const GEOSGeometry* g, const Envelope& e) {
    if (GEOSGeomTypeId_r(ctx, g) != GEOS_POLYGON || GEOSGetNumInteriorRings_r(ctx, g) != 0) return false;
    const GEOSGeometry* ring = GEOSGetExteriorRing_r(ctx, g);
    const GEOSCoordSequence* seq = ring ? GEOSGeom_getCoordSeq_r(ctx, ring) : nullptr;
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &n) || n != 5) return false;
    bool corner[4] = {false, false, false, false};
    for (unsigned int k = 0; k < 4; ++k) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(ctx, seq, k, &x, &y);
        bool left = x == e.minx, right = x == e.maxx, bottom = y == e.miny, top = y == e.maxy;
        if (!(left || right) || !(bottom || top)) return false;
        corner[(right ? 1 : 0) + (top ? 2 : 0)] = true;
    }
    return corner[0] && corner[1] && corner[2] && corner[3];
}

GeomPtr clip_to_rect(GEOSContextHandle_t ctx, const GEOSGeometry* g, const Envelope& e) {
    return take(GEOSClipByRect_r(ctx, g, e.minx, e.miny, e.maxx, e.maxy), N_("clipping a service area"));
}

bool usable(const GEOSGeometry* g) { return g && !GEOSisEmpty_r(geos_context(), g); }

using Pt = std::pair<double, double>;

void ring_points(GEOSContextHandle_t ctx, const GEOSGeometry* ring, std::vector<Pt>& out) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &n)) return;
    for (unsigned int k = 0; k < n; ++k) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(ctx, seq, k, &x, &y);
        out.emplace_back(x, y);
    }
}

// The shell vertices of a polygon (a parcel lies in their convex hull); empty for other types,
// which then take the general path.
void shell_points(GEOSContextHandle_t ctx, const GEOSGeometry* g, std::vector<Pt>& out) {
    out.clear();
    if (GEOSGeomTypeId_r(ctx, g) == GEOS_POLYGON) ring_points(ctx, GEOSGetExteriorRing_r(ctx, g), out);
}

double seg_dist2(const Pt& p, const Pt& a, const Pt& b) {
    double dx = b.first - a.first, dy = b.second - a.second;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.first - a.first) * dx + (p.second - a.second) * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    double ex = a.first + t * dx - p.first, ey = a.second + t * dy - p.second;
    return ex * ex + ey * ey;
}

// A service-area core ready for the shortcut tests: a point, or a convex ring (closed).
struct Core {
    enum class Kind { none, point, convex } kind = Kind::none;
    std::vector<Pt> ring;  // the point, or the closed convex ring
    double inner2 = 0, outer = 0;
    Pt centre{0, 0};
};

bool convex_ring(const std::vector<Pt>& r) {
    if (r.size() < 4) return false;
    int sign = 0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        const Pt& a = r[i];
        const Pt& b = r[i + 1];
        const Pt& c = r[(i + 2) < r.size() ? i + 2 : 1];
        double cross = (b.first - a.first) * (c.second - b.second) - (b.second - a.second) * (c.first - b.first);
        int s = cross > 0 ? 1 : (cross < 0 ? -1 : 0);
        if (s == 0) continue;
        if (sign == 0) sign = s;
        else if (s != sign) return false;
    }
    return sign != 0;
}

// Squared distance from p to the core (0 inside a convex ring).
double core_dist2(const Core& c, const Pt& p) {
    if (c.kind == Core::Kind::point) {
        double dx = p.first - c.ring[0].first, dy = p.second - c.ring[0].second;
        return dx * dx + dy * dy;
    }
    bool inside = true;
    int sign = 0;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < c.ring.size(); ++i) {
        const Pt& a = c.ring[i];
        const Pt& b = c.ring[i + 1];
        double cross = (b.first - a.first) * (p.second - a.second) - (b.second - a.second) * (p.first - a.first);
        int s = cross > 0 ? 1 : (cross < 0 ? -1 : 0);
        if (s != 0) {
            if (sign == 0) sign = s;
            else if (s != sign) inside = false;
        }
        best = std::min(best, seg_dist2(p, a, b));
    }
    return inside ? 0.0 : best;
}

// Segments ab and cd cross or touch.
bool segments_meet(const Pt& a, const Pt& b, const Pt& c, const Pt& d) {
    auto orient = [](const Pt& p, const Pt& q, const Pt& r) {
        double v = (q.first - p.first) * (r.second - p.second) - (q.second - p.second) * (r.first - p.first);
        return v > 0 ? 1 : (v < 0 ? -1 : 0);
    };
    int o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
    if (o1 != o2 && o3 != o4) return true;
    auto on = [](const Pt& p, const Pt& q, const Pt& r) {  // r on pq, given collinear
        return std::min(p.first, q.first) <= r.first && r.first <= std::max(p.first, q.first) &&
               std::min(p.second, q.second) <= r.second && r.second <= std::max(p.second, q.second);
    };
    return (o1 == 0 && on(a, b, c)) || (o2 == 0 && on(a, b, d)) || (o3 == 0 && on(c, d, a)) || (o4 == 0 && on(c, d, b));
}

bool point_in_shell(const Pt& p, const std::vector<Pt>& shell) {
    bool in = false;
    for (std::size_t i = 0, j = shell.size() - 1; i < shell.size(); j = i++) {
        const Pt& a = shell[i];
        const Pt& b = shell[j];
        if ((a.second > p.second) != (b.second > p.second) &&
            p.first < (b.first - a.first) * (p.second - a.second) / (b.second - a.second) + a.first)
            in = !in;
    }
    return in;
}

// A lower bound of the squared distance between a convex core and a parcel (0 when they meet):
// exact when they are apart, as the closest points then lie on vertices and edges.
double convex_to_shell_dist2(const std::vector<Pt>& ring, const std::vector<Pt>& shell) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        for (std::size_t j = 0; j + 1 < shell.size(); ++j) {
            if (segments_meet(ring[i], ring[i + 1], shell[j], shell[j + 1])) return 0;
            best = std::min({best, seg_dist2(ring[i], shell[j], shell[j + 1]), seg_dist2(shell[j], ring[i], ring[i + 1])});
        }
    if (point_in_shell(ring[0], shell)) return 0;
    return best;
}

// Squared distance from a point core to a polygon given by its shell points (0 when inside the
// shells' convex hull is not established: then only the edges count, a lower bound is fine for
// a "too far" test only when the point is outside; callers pass parcels' shells).
double point_to_shell_dist2(const Pt& p, const std::vector<Pt>& shell) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < shell.size(); ++i) best = std::min(best, seg_dist2(p, shell[i], shell[i + 1]));
    return best;
}

// Union of clipped pieces; falls back to exact intersections with the rectangle when the fast
// clip produced something the overlay rejects.
GeomPtr local_union(std::vector<GeomPtr>& clips, const std::vector<const GEOSGeometry*>& sources, const Envelope& e) {
    if (clips.size() == 1) return std::move(clips.front());
    std::vector<GeomPtr> parts;
    parts.reserve(clips.size());
    for (auto& c : clips) parts.push_back(std::move(c));
    try {
        return union_all(std::move(parts));
    } catch (const geometry_error&) {
        auto rect = make_polygon({{e.minx, e.miny}, {e.maxx, e.miny}, {e.maxx, e.maxy}, {e.minx, e.maxy}, {e.minx, e.miny}});
        std::vector<GeomPtr> exact;
        for (const auto* s : sources) exact.push_back(intersection(s, rect.get()));
        return union_all(std::move(exact));
    }
}

// The part of parcel i that no earlier parcel (j < i) overlaps with positive area; null when
// none does (the whole parcel).
// `e`: the parcel's envelope; `pindex`: the parcels' envelopes.
GeomPtr overlap_free_part(const std::vector<const GEOSGeometry*>& parcels, std::size_t i, const Envelope& e, const SpatialIndex& pindex) {
    std::vector<GeomPtr> earlier;
    pindex.for_each_entry(e, [&](std::size_t j, const Envelope& ej) {
        if (j >= i || !boxes_overlap(e, ej)) return;
        auto x = intersection(parcels[i], parcels[j]);
        if (area(x.get()) > 0) earlier.push_back(clone(parcels[j]));
    });
    if (earlier.empty()) return nullptr;
    return difference(parcels[i], union_all(std::move(earlier)).get());
}

std::vector<Envelope> usable_envelopes(const std::vector<const GEOSGeometry*>& geoms) {
    std::vector<Envelope> env(geoms.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, geoms.size(), 1024), [&](const auto& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i)
            if (usable(geoms[i])) env[i] = envelope(geoms[i]);
    });
    return env;
}

}  // namespace

void adopt(GeomPtr& g) {
    if (g) g = GeomPtr(g.release(), GeomDeleter{geos_context()});
}

CoverageResult compute_coverage(const std::vector<const GEOSGeometry*>& parcels,
                                const std::vector<const GEOSGeometry*>& service_areas,
                                const CoverageOptions& options) {
    const std::size_t n = parcels.size();
    // The parcels' envelopes are kept in their index only (with ten million parcels a vector of
    // them is 400 MB); GEOS keeps each geometry's own.
    SpatialIndex pindex(parcels);
    std::vector<Envelope> senv = usable_envelopes(service_areas);
    SpatialIndex sindex(senv);

    if (!options.cores.empty() && options.cores.size() != service_areas.size())
        throw usage_error("compute_coverage: give one core per service area or none");
    std::vector<Core> cores(options.cores.size());
    for (std::size_t k = 0; k < cores.size(); ++k) {
        const auto& sc = options.cores[k];
        if (!sc.core || !usable(sc.core) || !usable(service_areas[k]) || !(sc.inner_m > 0)) continue;
        auto ctx = geos_context();
        int t = GEOSGeomTypeId_r(ctx, sc.core);
        Core c;
        if (t == GEOS_POINT) {
            double x = 0, y = 0;
            GEOSGeomGetX_r(ctx, sc.core, &x);
            GEOSGeomGetY_r(ctx, sc.core, &y);
            c.kind = Core::Kind::point;
            c.ring.emplace_back(x, y);
        } else if (t == GEOS_POLYGON && GEOSGetNumInteriorRings_r(ctx, sc.core) == 0) {
            ring_points(ctx, GEOSGetExteriorRing_r(ctx, sc.core), c.ring);
            if (convex_ring(c.ring)) c.kind = Core::Kind::convex;
        }
        if (c.kind == Core::Kind::none) continue;
        c.inner2 = sc.inner_m * sc.inner_m;
        c.outer = sc.outer_m;
        // The centre, for ordering candidates: the point, or the mean of the ring's vertices.
        const std::size_t nv = c.ring.size() == 1 ? 1 : c.ring.size() - 1;
        for (std::size_t v = 0; v < nv; ++v) {
            c.centre.first += c.ring[v].first / static_cast<double>(nv);
            c.centre.second += c.ring[v].second / static_cast<double>(nv);
        }
        cores[k] = std::move(c);
    }

    CoverageResult result;
    result.parcels.resize(n);
    // Prepared service areas, made lazily by each thread for itself (GEOS builds their indexes on
    // first use, so they must not be shared between threads).
    tbb::enumerable_thread_specific<std::vector<PreparedPtr>> prepared_by_thread(
        [&] { return std::vector<PreparedPtr>(service_areas.size()); });
    // Parcels are processed in tiles of a few parcels' size, so that partly covered neighbours
    // share one local union of the service areas around them.
    // (Memory: with millions of parcels everything per parcel counts; `order` is 4 bytes each and
    // the tile keys are gone before the parcels are processed.)
    if (n > std::numeric_limits<std::uint32_t>::max()) throw usage_error("compute_coverage: more than 4,294,967,295 parcels");
    std::vector<std::uint32_t> order;
    std::vector<std::size_t> group_start;
    {
        double size_sum = 0;
        std::size_t usable_n = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const Envelope e = envelope(parcels[i]);
            if (e.empty) continue;
            size_sum += (e.maxx - e.minx) + (e.maxy - e.miny);
            ++usable_n;
        }
        const double cell = usable_n == 0 ? 1.0 : std::max(1e-6, 2.0 * size_sum / static_cast<double>(usable_n));
        // (tile row, tile column, parcel), sorted: the parcels tile by tile, in input order within one.
        std::vector<std::tuple<std::int64_t, std::int64_t, std::uint32_t>> keyed;
        keyed.reserve(usable_n);
        for (std::size_t i = 0; i < n; ++i) {
            const Envelope e = envelope(parcels[i]);
            if (!e.empty)
                keyed.emplace_back(static_cast<std::int64_t>(std::floor((e.miny + e.maxy) / 2 / cell)),
                                   static_cast<std::int64_t>(std::floor((e.minx + e.maxx) / 2 / cell)), static_cast<std::uint32_t>(i));
        }
        std::sort(keyed.begin(), keyed.end());
        order.reserve(keyed.size());
        for (std::size_t k = 0; k < keyed.size(); ++k) {
            if (k == 0 || std::get<0>(keyed[k]) != std::get<0>(keyed[k - 1]) || std::get<1>(keyed[k]) != std::get<1>(keyed[k - 1]))
                group_start.push_back(k);
            order.push_back(std::get<2>(keyed[k]));
        }
        group_start.push_back(order.size());
    }

    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, group_start.size() - 1, 8), [&](const auto& r) {
        auto ctx = geos_context();
        auto& prepared = prepared_by_thread.local();
        auto prep = [&](std::size_t k) -> const GEOSPreparedGeometry* {
            if (!prepared[k]) prepared[k] = prepare(service_areas[k]);
            return prepared[k].get();
        };
        auto set_full = [](ParcelCoverage& pc) {
            pc.state = ParcelCoverage::State::full;
            pc.covered_m2 = pc.area_m2;
            pc.unique_covered_m2 = pc.unique_area_m2;
        };
        struct Pending {
            std::size_t i;
            Envelope env;
            GeomPtr piece;
        };
        std::vector<std::size_t> cand, group_cand;
        std::vector<Pt> shell;
        std::vector<Pending> pending;
        for (std::size_t g = r.begin(); g != r.end(); ++g) {
          pending.clear();
          group_cand.clear();
          for (std::size_t o = group_start[g]; o != group_start[g + 1]; ++o) {
            const std::size_t i = order[o];
            ParcelCoverage& pc = result.parcels[i];
            const GEOSGeometry* p = parcels[i];
            const Envelope e = envelope(p);
            pc.area_m2 = area(p);
            if (pc.area_m2 <= 0) continue;

            // The part of this parcel no earlier parcel overlaps: the parts tile the union.
            GeomPtr piece = overlap_free_part(parcels, i, e, pindex);  // null: the whole parcel
            pc.unique_area_m2 = piece ? area(piece.get()) : pc.area_m2;

            // Service areas near the parcel.
            cand.clear();
            sindex.for_each(e, [&](std::size_t k) { cand.push_back(k); });
            // Nearest cores first: the first one usually holds the whole parcel.
            if (!cores.empty()) {
                const double cx = (e.minx + e.maxx) / 2, cy = (e.miny + e.maxy) / 2;
                auto key = [&](std::size_t k) {
                    Pt c = cores[k].kind != Core::Kind::none ? cores[k].centre
                                                             : Pt{(senv[k].minx + senv[k].maxx) / 2, (senv[k].miny + senv[k].maxy) / 2};
                    return (c.first - cx) * (c.first - cx) + (c.second - cy) * (c.second - cy);
                };
                std::sort(cand.begin(), cand.end(), [&](std::size_t a, std::size_t b) {
                    double ka = key(a), kb = key(b);
                    return ka < kb || (ka == kb && a < b);
                });
            }
            bool full = false;
            // One service area holding the whole parcel settles it; otherwise keep those that touch.
            std::size_t touching = 0;
            if (!cores.empty()) shell_points(ctx, p, shell);
            for (std::size_t k : cand) {
                bool may_contain = true, known_touching = false;
                if (!cores.empty() && cores[k].kind != Core::Kind::none && !shell.empty()) {
                    // Shortcuts from the core (a point or a convex polygon, whose distance
                    // function is convex): all shell vertices within the inner reach put the
                    // whole parcel inside; a parcel beyond the outer reach is apart; a parcel
                    // reaching within the inner reach touches; one vertex beyond the outer reach
                    // rules containment out.
                    const Core& c = cores[k];
                    double far2 = 0;
                    for (const auto& v : shell) far2 = std::max(far2, core_dist2(c, v));
                    if (far2 <= c.inner2) {
                        full = true;
                        break;
                    }
                    double near2;
                    if (c.kind == Core::Kind::point) {
                        const Pt& q = c.ring[0];
                        bool in_box = q.first >= e.minx && q.first <= e.maxx && q.second >= e.miny && q.second <= e.maxy;
                        near2 = in_box ? 0.0 : point_to_shell_dist2(q, shell);
                    } else {
                        near2 = convex_to_shell_dist2(c.ring, shell);
                    }
                    if (near2 > c.outer * c.outer) continue;
                    may_contain = far2 <= c.outer * c.outer;
                    known_touching = near2 <= c.inner2 && !(c.kind == Core::Kind::point && near2 == 0);
                }
                const Envelope& se = senv[k];
                may_contain = may_contain && se.minx <= e.minx && se.miny <= e.miny && se.maxx >= e.maxx && se.maxy >= e.maxy;
                if (may_contain) {
                    char in = GEOSPreparedContains_r(ctx, prep(k), p);
                    if (in == 2) throw geometry_error(trf("testing a parcel against a service area failed: {}", geos_last_error()));
                    if (in) {
                        full = true;
                        break;
                    }
                }
                if (known_touching) {
                    cand[touching++] = k;
                    continue;
                }
                char hit = GEOSPreparedIntersects_r(ctx, prep(k), p);
                if (hit == 2) throw geometry_error(trf("testing a parcel against a service area failed: {}", geos_last_error()));
                if (hit) cand[touching++] = k;
            }
            if (full) {
                set_full(pc);
                continue;
            }
            if (touching == 0) continue;
            group_cand.insert(group_cand.end(), cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(touching));
            pending.push_back({i, e, std::move(piece)});
          }
          if (pending.empty()) continue;

          // One local union for the partly covered parcels of the tile, clipped to their extent.
          Envelope box;
          for (const auto& pd : pending) box.expand(pd.env);
          std::sort(group_cand.begin(), group_cand.end());
          group_cand.erase(std::unique(group_cand.begin(), group_cand.end()), group_cand.end());
          std::vector<GeomPtr> clips;
          std::vector<const GEOSGeometry*> sources;
          bool all_full = false;
          for (std::size_t k : group_cand) {
              auto c = clip_to_rect(ctx, service_areas[k], box);
              if (GEOSisEmpty_r(ctx, c.get())) continue;
              if (is_whole_rect(ctx, c.get(), box)) {
                  all_full = true;
                  break;
              }
              clips.push_back(std::move(c));
              sources.push_back(service_areas[k]);
          }
          if (all_full) {
              for (auto& pd : pending) set_full(result.parcels[pd.i]);
              continue;
          }
          if (clips.empty()) continue;
          GeomPtr u = local_union(clips, sources, box);
          for (auto& pd : pending) {
            ParcelCoverage& pc = result.parcels[pd.i];
            const GEOSGeometry* p = parcels[pd.i];
            GeomPtr covered = intersection(p, u.get());
            pc.covered_m2 = area(covered.get());
            if (pc.covered_m2 <= 0) {
                pc.covered_m2 = 0;
                continue;
            }
            pc.unique_covered_m2 = pd.piece ? area(intersection(pd.piece.get(), u.get()).get()) : pc.covered_m2;
            if (pc.covered_m2 >= pc.area_m2) {
                set_full(pc);
                continue;
            }
            pc.state = ParcelCoverage::State::partial;
            if (options.keep_geometries) pc.covered = std::move(covered);
          }
        }
    });

    for (auto& per_thread : prepared_by_thread)
        for (auto& pp : per_thread)
            if (pp) pp = PreparedPtr(pp.release(), PreparedDeleter{geos_context()});
    for (auto& pc : result.parcels) {
        adopt(pc.covered);
        result.residential_area_m2 += pc.unique_area_m2;
        result.covered_area_m2 += pc.unique_covered_m2;
        if (pc.unique_area_m2 < pc.area_m2) ++result.overlapping_parcels;
    }
    return result;
}

std::vector<GeomPtr> overlap_free_parts(const std::vector<const GEOSGeometry*>& parcels) {
    SpatialIndex pindex(parcels);
    std::vector<GeomPtr> out(parcels.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, parcels.size(), 256), [&](const auto& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
            const Envelope e = envelope(parcels[i]);
            if (!e.empty && area(parcels[i]) > 0) out[i] = overlap_free_part(parcels, i, e, pindex);
        }
    });
    for (auto& g : out) adopt(g);
    return out;
}

std::vector<CoverPiece> split_by_service_areas(const std::vector<const GEOSGeometry*>& regions,
                                               const std::vector<const GEOSGeometry*>& service_areas, bool keep_geometries) {
    std::vector<Envelope> renv = usable_envelopes(regions), senv = usable_envelopes(service_areas);
    SpatialIndex sindex(senv);
    tbb::enumerable_thread_specific<std::vector<PreparedPtr>> prepared_by_thread(
        [&] { return std::vector<PreparedPtr>(service_areas.size()); });
    std::vector<std::vector<CoverPiece>> per_region(regions.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, regions.size(), 64), [&](const auto& r) {
        auto ctx = geos_context();
        auto& prepared = prepared_by_thread.local();
        auto prep = [&](std::size_t k) -> const GEOSPreparedGeometry* {
            if (!prepared[k]) prepared[k] = prepare(service_areas[k]);
            return prepared[k].get();
        };
        auto check = [](char v) {
            if (v == 2) throw geometry_error(trf("testing a region against a service area failed: {}", geos_last_error()));
            return v == 1;
        };
        std::vector<std::size_t> cand;
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
            if (renv[i].empty) continue;
            cand.clear();
            sindex.for_each(renv[i], [&](std::size_t k) { cand.push_back(k); });
            std::sort(cand.begin(), cand.end());
            // Areas holding the whole region are in every piece; only those cutting it split.
            std::vector<std::uint32_t> whole;
            std::vector<std::size_t> cutting;
            for (std::size_t k : cand) {
                if (check(GEOSPreparedContains_r(ctx, prep(k), regions[i]))) whole.push_back(static_cast<std::uint32_t>(k));
                else if (check(GEOSPreparedIntersects_r(ctx, prep(k), regions[i]))) cutting.push_back(k);
            }
            const double region_area = area(regions[i]);
            if (region_area <= 0) {  // a point or a line: covered where it meets an area
                for (auto k : cutting) whole.push_back(static_cast<std::uint32_t>(k));
                std::sort(whole.begin(), whole.end());
                cutting.clear();
            }
            // Start from the whole region; each area that cuts a piece splits it in two.
            struct Open {
                GeomPtr g;  // null: the region itself
                double a;
                std::vector<std::uint32_t> in;
            };
            std::vector<Open> pieces, next;
            pieces.push_back({nullptr, region_area, {}});
            for (std::size_t k : cutting) {
                next.clear();
                for (auto& pc : pieces) {
                    const GEOSGeometry* g = pc.g ? pc.g.get() : regions[i];
                    if (pc.g && check(GEOSPreparedContains_r(ctx, prep(k), g))) {
                        pc.in.push_back(static_cast<std::uint32_t>(k));
                        next.push_back(std::move(pc));
                    } else if (pc.g && !check(GEOSPreparedIntersects_r(ctx, prep(k), g))) {
                        next.push_back(std::move(pc));
                    } else {
                        auto inside = intersection(g, service_areas[k]);
                        auto outside = difference(g, service_areas[k]);
                        double ai = area(inside.get()), ao = area(outside.get());
                        if (ao > 0) next.push_back({std::move(outside), ao, pc.in});
                        if (ai > 0) {
                            pc.in.push_back(static_cast<std::uint32_t>(k));
                            next.push_back({std::move(inside), ai, std::move(pc.in)});
                        }
                    }
                }
                std::swap(pieces, next);
            }
            for (auto& pc : pieces) {
                if (pc.in.empty() && whole.empty()) continue;
                CoverPiece out{static_cast<std::uint32_t>(i), pc.a, {}, nullptr};
                std::merge(whole.begin(), whole.end(), pc.in.begin(), pc.in.end(), std::back_inserter(out.areas));
                if (keep_geometries) out.geometry = pc.g ? std::move(pc.g) : clone(regions[i]);
                per_region[i].push_back(std::move(out));
            }
        }
    });
    for (auto& per_thread : prepared_by_thread)
        for (auto& pp : per_thread)
            if (pp) pp = PreparedPtr(pp.release(), PreparedDeleter{geos_context()});
    std::vector<CoverPiece> out;
    for (auto& v : per_region)
        for (auto& pc : v) {
            adopt(pc.geometry);
            out.push_back(std::move(pc));
        }
    return out;
}

GeomPtr uncovered_part(const GEOSGeometry* parcel, const ParcelCoverage& pc) {
    if (pc.state != ParcelCoverage::State::partial || !pc.covered) return nullptr;
    auto u = difference(parcel, pc.covered.get());
    return is_empty(u.get()) ? nullptr : std::move(u);
}

std::vector<GeomPtr> uncovered_parts(const std::vector<const GEOSGeometry*>& parcels, const CoverageResult& result) {
    std::vector<GeomPtr> out(parcels.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, parcels.size(), 256), [&](const auto& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) out[i] = uncovered_part(parcels[i], result.parcels[i]);
    });
    for (auto& g : out) adopt(g);
    return out;
}

std::vector<GeomPtr> buffer_service_areas(const std::vector<const GEOSGeometry*>& facilities,
                                          const std::vector<double>& radius_m, int quad_segs) {
    if (radius_m.size() != facilities.size()) throw usage_error("buffer_service_areas: one radius per facility");
    if (quad_segs < 1) throw usage_error("quad_segs must be at least 1");
    std::vector<GeomPtr> out(facilities.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, facilities.size(), 16), [&](const auto& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i)
            if (usable(facilities[i]) && radius_m[i] > 0) out[i] = buffer(facilities[i], radius_m[i], quad_segs);
    });
    for (auto& g : out) adopt(g);
    return out;
}

std::vector<ServiceAreaCore> buffer_cores(const std::vector<const GEOSGeometry*>& facilities,
                                          const std::vector<double>& radius_m, int quad_segs) {
    std::vector<ServiceAreaCore> out(facilities.size());
    const double c = std::cos(std::numbers::pi / (4.0 * quad_segs));
    for (std::size_t i = 0; i < facilities.size(); ++i) {
        double r = radius_m[i];
        if (!usable(facilities[i]) || !(r > 0)) continue;
        // Margins well above rounding, far below anything a figure could show.
        out[i] = {facilities[i], r * c * (1 - 1e-9) - 1e-7, r * (1 + 1e-9) + 1e-7};
    }
    return out;
}

std::vector<DissolvedGroup> dissolve_adjacent(const std::vector<const GEOSGeometry*>& polygons) {
    const std::size_t n = polygons.size();
    std::vector<Envelope> env(n);
    for (std::size_t i = 0; i < n; ++i)
        if (usable(polygons[i])) env[i] = envelope(polygons[i]);
    SpatialIndex index(env);
    // Touching pairs, found in parallel, joined with a union-find.
    std::vector<std::vector<std::size_t>> touching(n);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const auto& r) {
        auto ctx = geos_context();
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
            if (env[i].empty) continue;
            index.for_each(env[i], [&](std::size_t j) {
                if (j <= i) return;
                char hit = GEOSIntersects_r(ctx, polygons[i], polygons[j]);
                if (hit == 2) throw geometry_error(trf("testing park patches for contact failed: {}", geos_last_error()));
                if (hit) touching[i].push_back(j);
            });
        }
    });
    std::vector<std::size_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](std::size_t a) {
        while (parent[a] != a) a = parent[a] = parent[parent[a]];
        return a;
    };
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j : touching[i]) {
            auto a = find(i), b = find(j);
            if (a != b) parent[std::max(a, b)] = std::min(a, b);
        }
    std::vector<DissolvedGroup> groups;
    std::vector<std::size_t> slot(n, static_cast<std::size_t>(-1));
    for (std::size_t i = 0; i < n; ++i) {
        if (env[i].empty) continue;
        auto root = find(i);
        if (slot[root] == static_cast<std::size_t>(-1)) {
            slot[root] = groups.size();
            groups.emplace_back();
        }
        groups[slot[root]].members.push_back(i);
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, groups.size(), 8), [&](const auto& r) {
        for (std::size_t g = r.begin(); g != r.end(); ++g) {
            auto& grp = groups[g];
            if (grp.members.size() == 1) {
                grp.geometry = clone(polygons[grp.members.front()]);
            } else {
                std::vector<GeomPtr> parts;
                for (auto m : grp.members) parts.push_back(clone(polygons[m]));
                grp.geometry = union_all(std::move(parts));
            }
            grp.area_m2 = area(grp.geometry.get());
        }
    });
    for (auto& grp : groups) adopt(grp.geometry);
    return groups;
}

}  // namespace planmap::geo
