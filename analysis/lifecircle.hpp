// Life-circle audit, straight-line mode (GB 50180-2018): for each residential parcel, the
// distance to the nearest facility of every type a level requires, and which levels are met.
// Levels are not nested: a level is met only when the parcel also has every lower level's
// facilities within their radii.
#pragma once

#include <vector>

#include "analysis/profile.hpp"
#include "analysis/service_areas.hpp"

namespace planmap::analysis {

struct LifeCircleAudit {
    // distance_m[t][p]: straight-line distance from parcel p's point on surface to the nearest
    // facility of profile.facilities[t]; negative when none lies within that type's radius.
    std::vector<std::vector<double>> distance_m;
    // level_met[l][p]: parcel p meets level l and every lower level.
    std::vector<std::vector<char>> level_met;
    std::vector<std::size_t> facilities_per_type;  // usable facilities of each type
    std::vector<IgnoredFacility> ignored;          // unusable geometry, or a type not in the profile
    std::size_t facilities_invalid = 0;
    // Network mode only: what could not be attached to the network.
    std::vector<std::size_t> unattached_parcels;       // indices into the parcels
    std::vector<std::int64_t> unattached_facilities;   // facility ids
    double snap_s = 0, search_s = 0;
};

// The usable facilities of each profile facility type (indices into `facilities`); the others
// are added to audit.ignored. Throws usage_error when the profile has no levels or facility types.
std::vector<std::vector<std::size_t>> facilities_by_type(const std::vector<FacilityRef>& facilities, const Profile& profile,
                                                         LifeCircleAudit& audit);

// Fills audit.level_met from audit.distance_m (non-nesting: a level needs every lower level).
void apply_levels(LifeCircleAudit& audit, const Profile& profile, const std::vector<const GEOSGeometry*>& parcels);

// Parcels and facilities in one metric CRS. Runs on all cores.
LifeCircleAudit audit_life_circles(const std::vector<const GEOSGeometry*>& parcels,
                                   const std::vector<FacilityRef>& facilities, const Profile& profile);

}  // namespace planmap::analysis
