#include "analysis/lifecircle.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <map>

#include "core/i18n.hpp"
#include "core/error.hpp"
#include "geo/spatial_index.hpp"

namespace planmap::analysis {

std::vector<std::vector<std::size_t>> facilities_by_type(const std::vector<FacilityRef>& facilities, const Profile& profile,
                                                         LifeCircleAudit& out) {
    if (profile.levels.empty() || profile.facilities.empty())
        throw usage_error(trf("profile {} has no life-circle [[level]] and [[facility]] rows", profile.name));
    const std::size_t nt = profile.facilities.size();
    std::map<std::string, std::size_t> type_index;
    for (std::size_t t = 0; t < nt; ++t) type_index.emplace(profile.facilities[t].type, t);
    std::vector<std::vector<std::size_t>> by_type(nt);
    for (std::size_t i = 0; i < facilities.size(); ++i) {
        const auto& f = facilities[i];
        if (!usable_facility(f, out.ignored, out.facilities_invalid)) continue;
        auto it = type_index.find(f.type);
        if (it == type_index.end()) {
            out.ignored.push_back({f.id, "type '" + f.type + "' is not a facility type of profile " + profile.name, IgnoredKind::no_rule});
            continue;
        }
        by_type[it->second].push_back(i);
    }
    return by_type;
}

void apply_levels(LifeCircleAudit& out, const Profile& profile, const std::vector<const GEOSGeometry*>& parcels) {
    const std::size_t nt = profile.facilities.size(), np = parcels.size();
    out.level_met.assign(profile.levels.size(), std::vector<char>(np, 0));
    for (std::size_t p = 0; p < np; ++p) {
        if (!parcels[p] || geo::is_empty(parcels[p])) continue;
        bool ok = true;
        for (std::size_t l = 0; l < profile.levels.size(); ++l) {
            for (std::size_t t = 0; t < nt; ++t)
                if (profile.facilities[t].level == profile.levels[l].name && out.distance_m[t][p] < 0) ok = false;
            out.level_met[l][p] = ok;
        }
    }
}

LifeCircleAudit audit_life_circles(const std::vector<const GEOSGeometry*>& parcels,
                                   const std::vector<FacilityRef>& facilities, const Profile& profile) {
    LifeCircleAudit out;
    auto by_type_index = facilities_by_type(facilities, profile, out);
    const std::size_t nt = profile.facilities.size(), np = parcels.size();
    std::vector<std::vector<const GEOSGeometry*>> by_type(nt);
    for (std::size_t t = 0; t < nt; ++t)
        for (auto i : by_type_index[t]) by_type[t].push_back(facilities[i].geometry);
    std::vector<geo::SpatialIndex> index;
    for (std::size_t t = 0; t < nt; ++t) {
        std::vector<geo::Envelope> env;
        for (const auto* g : by_type[t]) env.push_back(geo::envelope(g));
        index.emplace_back(env);
        out.facilities_per_type.push_back(by_type[t].size());
    }

    out.distance_m.assign(nt, std::vector<double>(np, -1.0));
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, np, 128), [&](const auto& r) {
        auto ctx = geo::geos_context();
        for (std::size_t p = r.begin(); p != r.end(); ++p) {
            if (!parcels[p] || geo::is_empty(parcels[p])) continue;
            auto pos = geo::point_on_surface(parcels[p]);
            auto pe = geo::envelope(pos.get());
            for (std::size_t t = 0; t < nt; ++t) {
                double radius = profile.facilities[t].radius_m;
                geo::Envelope q{pe.minx - radius, pe.miny - radius, pe.maxx + radius, pe.maxy + radius, false};
                double best = -1;
                index[t].for_each(q, [&](std::size_t k) {
                    double d = 0;
                    if (!GEOSDistance_r(ctx, pos.get(), by_type[t][k], &d))
                        throw geometry_error(trf("distance to a facility failed: {}", geo::geos_last_error()));
                    if (d <= radius && (best < 0 || d < best)) best = d;
                });
                out.distance_m[t][p] = best;
            }
        }
    });

    apply_levels(out, profile, parcels);
    return out;
}

}  // namespace planmap::analysis
