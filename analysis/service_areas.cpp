#include "analysis/service_areas.hpp"

#include <cmath>
#include <cstdio>

#include "geo/coverage.hpp"
#include "core/i18n.hpp"

namespace planmap::analysis {

namespace {

std::string format_area(double a) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f m²", a);
    return buf;
}

std::string facility_geometry_problem(const GEOSGeometry* g) {
    if (!g) return "no geometry";
    if (geo::is_empty(g)) return "empty geometry";
    int t = GEOSGeomTypeId_r(geo::geos_context(), g);
    bool point = t == GEOS_POINT || t == GEOS_MULTIPOINT;
    bool polygon = t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON;
    if (!point && !polygon) return "geometry type " + geo::geometry_type(g) + " (points or polygons expected)";
    auto e = geo::envelope(g);
    if (!std::isfinite(e.minx) || !std::isfinite(e.miny) || !std::isfinite(e.maxx) || !std::isfinite(e.maxy))
        return "non-finite coordinate";
    if (auto why = geo::invalid_reason(g); !why.empty()) return "invalid geometry: " + why;
    return {};
}

}  // namespace

bool usable_facility(const FacilityRef& f, std::vector<IgnoredFacility>& ignored, std::size_t& invalid) {
    auto why = facility_geometry_problem(f.geometry);
    if (why.empty()) return true;
    ignored.push_back({f.id, why});
    ++invalid;
    return false;
}

std::string unmatched_reason(const Profile& profile, double area_m2, const std::string& type, std::size_t members) {
    if (profile.uses_types() && !type.empty() && !profile.radius_for(1e300, type) && !profile.radius_for(0, type))
        return "type '" + type + "' has no rule in profile " + profile.name;
    if (profile.uses_types() && type.empty()) return "no facility type (field " + profile.type_field + ")";
    return (area_m2 > 0 ? "area " + format_area(area_m2) : std::string("a point (no area)")) +
           (members > 1 ? " after dissolving " + std::to_string(members) + " patches" : "") + " matches no size class of profile " +
           profile.name;
}

IgnoredKind unmatched_kind(const Profile& profile, double area_m2, const std::string& type) {
    if (!(area_m2 > 0)) return IgnoredKind::no_rule;
    bool any = false;
    for (const auto& r : profile.radius_rules) {
        if (r.type && *r.type != type) continue;
        any = true;
        if (area_m2 >= r.min_area_m2) return IgnoredKind::no_rule;  // above a class's minimum: not "too small"
    }
    return any ? IgnoredKind::too_small : IgnoredKind::no_rule;
}

std::string rule_name(const RadiusRule& rule) { return rule.label.empty() ? rule.cite.text() : rule.label; }

ServiceAreas size_service_units(const std::vector<FacilityRef>& facilities, const RadiusChoice& choice) {
    if (!choice.radius_m && !choice.profile) throw usage_error(tr("give a radius or a profile"));
    if (choice.radius_m && !(*choice.radius_m > 0)) throw usage_error(tr("the radius must be positive"));
    ServiceAreas out;

    // Valid facilities; polygonal ones are dissolved into parks when the profile asks for it.
    std::vector<std::size_t> points, polygons;
    for (std::size_t i = 0; i < facilities.size(); ++i) {
        const auto& f = facilities[i];
        if (!usable_facility(f, out.ignored, out.facilities_invalid)) continue;
        int t = GEOSGeomTypeId_r(geo::geos_context(), f.geometry);
        (t == GEOS_POINT || t == GEOS_MULTIPOINT ? points : polygons).push_back(i);
    }

    struct Candidate {
        std::vector<std::size_t> members;
        const GEOSGeometry* geometry;
        geo::GeomPtr owned;
        double area_m2;
    };
    std::vector<Candidate> cands;
    bool dissolve = choice.profile && choice.profile->dissolve;
    if (dissolve && !choice.profile->uses_types()) {
        std::vector<const GEOSGeometry*> geoms;
        for (auto i : polygons) geoms.push_back(facilities[i].geometry);
        for (auto& g : geo::dissolve_adjacent(geoms)) {
            Candidate c{{}, g.geometry.get(), std::move(g.geometry), g.area_m2};
            for (auto m : g.members) c.members.push_back(polygons[m]);
            out.facility_area_m2 += c.area_m2;
            cands.push_back(std::move(c));
        }
    } else {
        for (auto i : polygons) {
            double a = geo::area(facilities[i].geometry);
            out.facility_area_m2 += a;
            cands.push_back({{i}, facilities[i].geometry, nullptr, a});
        }
    }
    for (auto i : points) cands.push_back({{i}, facilities[i].geometry, nullptr, 0.0});

    for (auto& c : cands) {
        const auto& first = facilities[c.members.front()];
        double radius = 0;
        std::string rule = "fixed radius";
        if (choice.radius_m) {
            radius = *choice.radius_m;
        } else {
            const RadiusRule* r = nullptr;
            auto got = choice.profile->radius_for(c.area_m2, first.type, &r);
            if (!got) {
                std::string why = unmatched_reason(*choice.profile, c.area_m2, first.type, c.members.size());
                auto kind = unmatched_kind(*choice.profile, c.area_m2, first.type);
                for (auto m : c.members) out.ignored.push_back({facilities[m].id, why, kind, c.area_m2});
                continue;
            }
            radius = *got;
            if (r) rule = rule_name(*r);
            else rule = "type " + first.type;
        }
        ServiceUnit u;
        for (auto m : c.members) u.facility_ids.push_back(facilities[m].id);
        u.area_m2 = c.area_m2;
        u.radius_m = radius;
        u.rule = rule;
        out.facilities_counted += c.members.size();
        out.units.push_back(std::move(u));
        out.sources.push_back(c.geometry);
    }
    for (auto& c : cands)
        if (c.owned) out.dissolved.push_back(std::move(c.owned));  // moving keeps the pointers in sources
    return out;
}

ServiceAreas straight_line_service_areas(const std::vector<FacilityRef>& facilities, const RadiusChoice& choice) {
    ServiceAreas out = size_service_units(facilities, choice);
    std::vector<double> radii;
    for (const auto& u : out.units) radii.push_back(u.radius_m);
    out.areas = geo::buffer_service_areas(out.sources, radii, choice.quad_segs);
    out.cores = geo::buffer_cores(out.sources, radii, choice.quad_segs);
    return out;
}

}  // namespace planmap::analysis
