// Coverage and life circles along a walking network. Coverage: the sized service units (from
// size_service_units: the same facilities, dissolved parks and radii as the straight-line mode)
// are grown along the network to their radius from where they enter it (a point's nearest street,
// a polygon's streets within the entry distance), and the reachable streets buffered into the
// service-area polygons the coverage engine takes. Life circles: a parcel's distance to a facility
// type is the walking distance from its nearest entrance (the streets within the entry distance of
// its boundary, else the nearest street) to the nearest facility of that type. Units, facilities
// and parcels that cannot be attached to the network are reported by id, never dropped.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/lifecircle.hpp"
#include "network/graph.hpp"
#include "network/search.hpp"
#include "network/service.hpp"
#include "analysis/service_areas.hpp"

namespace planmap::analysis {

struct NetworkGrowOptions {
    network::AttachOptions attach;            // snapping and entry distances
    double width_m = 25;             // the service area reaches this far either side of the reachable streets
    int quad_segs = 8;               // buffer quality of the service areas
    const network::EdgeMask* blocked = nullptr;  // edges removed by barriers
};

struct NetworkGrowth {
    std::vector<std::int64_t> unattached_facilities;  // ids of facilities whose unit could not be attached
    double reach_length_m = 0;                        // total reachable street length, summed over units
    double snap_s = 0, search_s = 0, polygons_s = 0;
};

// Grows the units of `service` (as made by size_service_units) along the network: fills
// service.areas (one per unit), leaves service.cores empty, and moves units that cannot be
// attached out of units/sources into `ignored` (reason "not attached …"), their ids listed in the
// result. Geometries must be in the network's CRS. Runs on all cores.
NetworkGrowth grow_along_network(const network::Network& net, ServiceAreas& service, const NetworkGrowOptions& options);

struct NetworkAuditOptions {
    network::AttachOptions attach;
    const network::EdgeMask* blocked = nullptr;
};

// The life-circle audit with walking distances: distance_m[t][p] is the network distance from
// parcel p to the nearest facility of type t (negative when none within the type's radius or the
// parcel is unattached); the non-nesting rule is the straight-line mode's. Unattached parcels
// (indices) and facilities (ids) are listed in the audit.
LifeCircleAudit audit_life_circles_network(const network::Network& net, const std::vector<const GEOSGeometry*>& parcels,
                                           const std::vector<FacilityRef>& facilities, const Profile& profile,
                                           const NetworkAuditOptions& options);

}  // namespace planmap::analysis
