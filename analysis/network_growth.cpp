#include "analysis/network_growth.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <unordered_map>

#include "geo/coverage.hpp"
#include "core/i18n.hpp"
#include "core/error.hpp"

namespace planmap::analysis {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string unattached_reason(const network::AttachOptions& o) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "not attached to the network (no usable street within %g m)", o.max_snap_m);
    return buf;
}

// Walking distance from a search's sources to the nearest point of the stretch [from_m, to_m] of
// edge e: through either end node, or along the edge itself from a source seeded on it.
double stretch_distance(const network::Network& net, const network::NetworkSearch& search, const network::Seed& at,
                        const std::vector<const network::Seed*>& same_edge) {
    const auto& ed = net.edge(at.edge);
    double d = std::min(search.distance(ed.u) + at.from_m, search.distance(ed.v) + (ed.length_m - at.to_m));
    for (const network::Seed* s : same_edge) {
        double gap = std::max({0.0, s->from_m - at.to_m, at.from_m - s->to_m});
        d = std::min(d, s->start_m + gap);
    }
    return d;
}

}  // namespace

NetworkGrowth grow_along_network(const network::Network& net, ServiceAreas& service, const NetworkGrowOptions& opt) {
    if (!net.has_geometry()) throw usage_error(tr("network coverage needs a network with geometry (an edge list needs its node table)"));
    NetworkGrowth out;
    auto t0 = Clock::now();
    auto attachments = network::attach_all(net, service.sources, opt.attach, opt.blocked);
    out.snap_s = since(t0);

    // Units that cannot enter the network are reported with their facilities, and leave the run.
    {
        std::vector<ServiceUnit> units;
        std::vector<const GEOSGeometry*> sources;
        std::vector<network::Attachment> kept;
        const std::string why = unattached_reason(opt.attach);
        for (std::size_t u = 0; u < service.units.size(); ++u) {
            if (attachments[u].attached) {
                units.push_back(std::move(service.units[u]));
                sources.push_back(service.sources[u]);
                kept.push_back(std::move(attachments[u]));
                continue;
            }
            for (auto id : service.units[u].facility_ids) {
                service.ignored.push_back({id, why, IgnoredKind::unattached, service.units[u].area_m2});
                out.unattached_facilities.push_back(id);
                --service.facilities_counted;
            }
            service.unattached_units.push_back(std::move(service.units[u]));
        }
        service.units = std::move(units);
        service.sources = std::move(sources);
        attachments = std::move(kept);
    }

    // One bounded search per unit, to its own radius.
    t0 = Clock::now();
    const std::size_t n = service.units.size();
    std::vector<std::vector<network::EdgePart>> parts(n);
    {
        tbb::enumerable_thread_specific<network::NetworkSearch> searches([&net] { return network::NetworkSearch(net); });
        tbb::parallel_for(std::size_t(0), n, [&](std::size_t u) {
            auto& search = searches.local();
            search.run(attachments[u].seeds, service.units[u].radius_m, opt.blocked);
            parts[u] = search.reachable_parts();
        });
    }
    for (const auto& p : parts) out.reach_length_m += network::NetworkSearch::total_length(p);
    out.search_s = since(t0);

    t0 = Clock::now();
    service.areas.clear();
    service.areas.resize(n);
    service.cores.clear();
    tbb::parallel_for(std::size_t(0), n, [&](std::size_t u) {
        auto lines = network::parts_to_lines(net, parts[u]);
        service.areas[u] = network::lines_to_area(lines.get(), opt.width_m, opt.quad_segs);
    });
    for (auto& a : service.areas) geo::adopt(a);
    out.polygons_s = since(t0);
    return out;
}

LifeCircleAudit audit_life_circles_network(const network::Network& net, const std::vector<const GEOSGeometry*>& parcels,
                                           const std::vector<FacilityRef>& facilities, const Profile& profile,
                                           const NetworkAuditOptions& opt) {
    if (!net.has_geometry()) throw usage_error(tr("a network life-circle audit needs a network with geometry (an edge list needs its node table)"));
    LifeCircleAudit out;
    auto by_type = facilities_by_type(facilities, profile, out);
    const std::size_t nt = profile.facilities.size(), np = parcels.size();

    // Facilities and parcels enter the network.
    auto t0 = Clock::now();
    std::vector<std::size_t> usable;
    for (const auto& idx : by_type) usable.insert(usable.end(), idx.begin(), idx.end());
    std::sort(usable.begin(), usable.end());
    std::vector<const GEOSGeometry*> fac_geoms;
    for (auto i : usable) fac_geoms.push_back(facilities[i].geometry);
    auto fac_att = network::attach_all(net, fac_geoms, opt.attach, opt.blocked);
    std::unordered_map<std::size_t, const network::Attachment*> attachment_of;
    for (std::size_t k = 0; k < usable.size(); ++k) {
        if (fac_att[k].attached) attachment_of.emplace(usable[k], &fac_att[k]);
        else out.unattached_facilities.push_back(facilities[usable[k]].id);
    }
    std::vector<const GEOSGeometry*> parcel_geoms(np, nullptr);
    for (std::size_t p = 0; p < np; ++p)
        if (parcels[p] && !geo::is_empty(parcels[p])) parcel_geoms[p] = parcels[p];
    auto par_att = network::attach_all(net, parcel_geoms, opt.attach, opt.blocked);
    for (std::size_t p = 0; p < np; ++p)
        if (parcel_geoms[p] && !par_att[p].attached) out.unattached_parcels.push_back(p);
    out.snap_s = since(t0);

    // One multi-source search per facility type, to the type's radius; each parcel then reads its
    // entrances' distances.
    t0 = Clock::now();
    out.distance_m.assign(nt, std::vector<double>(np, -1.0));
    network::NetworkSearch search(net, /*parallel=*/true);
    for (std::size_t t = 0; t < nt; ++t) {
        std::vector<network::Seed> seeds;
        std::size_t attached = 0;
        for (auto i : by_type[t]) {
            auto it = attachment_of.find(i);
            if (it == attachment_of.end()) continue;
            ++attached;
            seeds.insert(seeds.end(), it->second->seeds.begin(), it->second->seeds.end());
        }
        out.facilities_per_type.push_back(attached);
        if (seeds.empty()) continue;
        const double radius = profile.facilities[t].radius_m;
        search.run(seeds, radius, opt.blocked);
        std::unordered_map<std::uint32_t, std::vector<const network::Seed*>> on_edge;
        for (const auto& s : seeds)
            if (s.edge != network::Network::none) on_edge[s.edge].push_back(&s);
        static const std::vector<const network::Seed*> no_seeds;
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, np, 256), [&](const auto& r) {
            for (std::size_t p = r.begin(); p != r.end(); ++p) {
                if (!par_att[p].attached) continue;
                double best = std::numeric_limits<double>::infinity();
                for (const auto& entrance : par_att[p].seeds) {
                    if (entrance.edge == network::Network::none) {
                        best = std::min(best, entrance.start_m + search.distance(entrance.node));
                        continue;
                    }
                    auto it = on_edge.find(entrance.edge);
                    best = std::min(best, entrance.start_m + stretch_distance(net, search, entrance,
                                                                              it == on_edge.end() ? no_seeds : it->second));
                }
                out.distance_m[t][p] = best <= radius ? best : -1.0;
            }
        });
    }
    out.search_s = since(t0);
    apply_levels(out, profile, parcels);
    return out;
}

}  // namespace planmap::analysis
