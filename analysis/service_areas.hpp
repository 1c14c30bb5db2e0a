// Straight-line service areas for facilities: which facilities count (by a fixed radius or a rule
// profile), how far they reach, and which were left out and why. Parks are dissolved before they
// are sized when the profile says so. The result feeds compute_coverage; a walking-network mode
// supplies its own service areas in the same shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "geo/coverage.hpp"
#include "analysis/profile.hpp"
#include "geo/geos.hpp"

namespace planmap::analysis {

struct FacilityRef {
    std::int64_t id = -1;                 // the feature id, for reports
    const GEOSGeometry* geometry = nullptr;
    std::string type;                     // value of the profile's type field (may be empty)
};

// Why a facility is not counted, as the facilities layer of a run's map marks it.
enum class IgnoredKind {
    invalid,      // no usable geometry (null, empty, not a point or polygon, invalid)
    too_small,    // a polygon (dissolved park) below the smallest size class of the profile
    no_rule,      // no rule of the profile counts it (its type, or a point under area rules)
    unattached,   // network mode: no street within the snap distance
};

struct IgnoredFacility {
    std::int64_t id = -1;
    std::string reason;
    IgnoredKind kind = IgnoredKind::invalid;
    double area_m2 = 0;  // of the (dissolved) facility, when known
};

// One service area: a facility, or a dissolved group of touching park patches.
struct ServiceUnit {
    std::vector<std::int64_t> facility_ids;
    double area_m2 = 0;   // of the (dissolved) facility; 0 for points
    double radius_m = 0;
    std::string rule;     // the profile rule's label, or "fixed radius"
};

struct ServiceAreas {
    std::vector<geo::GeomPtr> areas;        // one per unit, same order
    std::vector<geo::ServiceAreaCore> cores;  // one per unit: what each buffer was made from
    std::vector<geo::GeomPtr> dissolved;      // owns the dissolved parks the cores point to
    std::vector<ServiceUnit> units;
    // One per unit: what the service area grows from (the facility, or the dissolved park).
    std::vector<const GEOSGeometry*> sources;
    std::vector<IgnoredFacility> ignored;
    // Network mode: the units that could not enter the network (their size class and radius kept
    // for the map; their facilities are also in `ignored` as unattached).
    std::vector<ServiceUnit> unattached_units;
    std::size_t facilities_counted = 0;
    std::size_t facilities_invalid = 0;    // null, empty, non-polygonal/point or invalid geometry
    double facility_area_m2 = 0;           // dissolved area of all valid polygonal facilities
};

struct RadiusChoice {
    std::optional<double> radius_m;   // a fixed radius for every facility
    const Profile* profile = nullptr; // or the profile's rules
    int quad_segs = 16;
};

// True when a facility's geometry can be used (a valid, non-empty point or polygon); otherwise
// records why not in `ignored` ("empty geometry", "invalid geometry: Self-intersection[…]", …),
// counts it in `invalid` and returns false.
bool usable_facility(const FacilityRef& f, std::vector<IgnoredFacility>& ignored, std::size_t& invalid);

// Which facilities count and with which radius (parks dissolved first when the profile says so),
// without making the areas: units, sources, ignored and the counts are filled, areas and cores
// are left empty for the mode that grows them (straight lines or a walking network).
ServiceAreas size_service_units(const std::vector<FacilityRef>& facilities, const RadiusChoice& choice);
// Why a facility (or a dissolved group of `members` patches) of this area and type gets no radius
// from the profile, in the words of the facilities report.
std::string unmatched_reason(const Profile& profile, double area_m2, const std::string& type, std::size_t members);
// too_small when a polygon (area > 0) lies below every size class the profile has for its type,
// else no_rule.
IgnoredKind unmatched_kind(const Profile& profile, double area_m2, const std::string& type);
// The name of the rule a unit counts by: the rule's label, else its citation.
std::string rule_name(const RadiusRule& rule);

// Facilities must be in the metric CRS the service areas are wanted in.
ServiceAreas straight_line_service_areas(const std::vector<FacilityRef>& facilities, const RadiusChoice& choice);

}  // namespace planmap::analysis
