// Service-area coverage of residential parcels: exact polygon overlay in a metric CRS.
//
// The engine takes one service-area polygon per facility, however it was made: the straight-line
// mode builds them as buffers (`buffer_service_areas`), a walking-network mode can supply the
// reachable areas instead. Figures are computed parcel by parcel against the service areas found
// through a spatial index (local unions only, never one global union), on all cores.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "geo/geos.hpp"

namespace planmap::geo {

// How one parcel is covered. `covered`/`uncovered` hold geometry only for partly covered parcels
// (when geometries were asked for); a fully covered parcel's covered part is the parcel itself.
struct ParcelCoverage {
    enum class State : std::uint8_t { none, partial, full };
    State state = State::none;
    double area_m2 = 0;           // the parcel's area
    double covered_m2 = 0;        // area of parcel ∩ service areas
    double unique_area_m2 = 0;    // the part not overlapped by an earlier parcel (sums to the union)
    double unique_covered_m2 = 0; // covered area of that part
    GeomPtr covered;              // partial only (with keep_geometries)
    double covered_share() const { return area_m2 > 0 ? covered_m2 / area_m2 : 0.0; }
};

// Optional knowledge of how a service area was made, letting the engine settle most parcels
// without any overlay: every point within inner_m of `core` lies inside the service area, and no
// point farther than outer_m from it does. `core` is a point or a convex polygon (else ignored).
struct ServiceAreaCore {
    const GEOSGeometry* core = nullptr;
    double inner_m = 0;
    double outer_m = 0;
};

struct CoverageOptions {
    bool keep_geometries = true;  // keep the covered pieces of partly covered parcels
    // Empty, or one per service area (entries with a null core give no shortcut).
    std::vector<ServiceAreaCore> cores;
};

struct CoverageResult {
    std::vector<ParcelCoverage> parcels;  // one per input parcel, same order
    double residential_area_m2 = 0;       // area of the union of the parcels (overlaps once)
    double covered_area_m2 = 0;           // area of (union of parcels) ∩ (union of service areas)
    std::size_t overlapping_parcels = 0;  // parcels overlapping an earlier parcel
};

// Parcels and service areas are polygonal geometries in one metric CRS; null or empty entries
// are allowed (they count for nothing). The geometries are only read, from several threads.
CoverageResult compute_coverage(const std::vector<const GEOSGeometry*>& parcels,
                                const std::vector<const GEOSGeometry*>& service_areas,
                                const CoverageOptions& options = {});

// For each parcel, the part no earlier parcel overlaps (with positive area): null when none does
// (the whole parcel counts), as compute_coverage counts overlapping parcels once. On all cores.
std::vector<GeomPtr> overlap_free_parts(const std::vector<const GEOSGeometry*>& parcels);

// One piece of the arrangement of a region by service areas: the part of region `region` that
// exactly the service areas `areas` (ascending indices) cover.
struct CoverPiece {
    std::uint32_t region = 0;
    double area_m2 = 0;               // 0 for a region without area (a point placed parcel)
    std::vector<std::uint32_t> areas;
    GeomPtr geometry;                 // with keep_geometries
};

// Splits every region (null or empty: skipped) into the pieces each combination of service
// areas covers; pieces no service area covers are left out. A region without area (a point)
// is one piece covered by the areas it meets. Pieces of a region sum to its covered area up to
// overlay rounding. Runs on all cores.
std::vector<CoverPiece> split_by_service_areas(const std::vector<const GEOSGeometry*>& regions,
                                               const std::vector<const GEOSGeometry*>& service_areas, bool keep_geometries);

// The uncovered part (parcel − covered part) of a partly covered parcel, for output layers; null
// for the others and where nothing is left. Needs the covered parts (keep_geometries).
GeomPtr uncovered_part(const GEOSGeometry* parcel, const ParcelCoverage& pc);
// uncovered_part of every parcel, on all cores.
std::vector<GeomPtr> uncovered_parts(const std::vector<const GEOSGeometry*>& parcels, const CoverageResult& result);

// Straight-line service areas: facility i buffered by radius_m[i] (≤ 0: no service area, a null
// entry) with `quad_segs` segments per quarter circle, measured from the polygon edge for
// polygonal facilities and from the point for points. Runs on all cores.
std::vector<GeomPtr> buffer_service_areas(const std::vector<const GEOSGeometry*>& facilities,
                                          const std::vector<double>& radius_m, int quad_segs = 16);

// The cores of buffers made by buffer_service_areas: a buffer of radius r with q segments per
// quarter circle holds every point within r·cos(π/4q) of a convex facility, none beyond r.
std::vector<ServiceAreaCore> buffer_cores(const std::vector<const GEOSGeometry*>& facilities,
                                          const std::vector<double>& radius_m, int quad_segs = 16);

// Groups polygons that touch or overlap (adjacent patches of one park) and dissolves each group.
struct DissolvedGroup {
    GeomPtr geometry;                  // the union of the members
    std::vector<std::size_t> members;  // indices into the input, ascending
    double area_m2 = 0;
};
std::vector<DissolvedGroup> dissolve_adjacent(const std::vector<const GEOSGeometry*>& polygons);

// Geometries made on worker threads carry the worker's GEOS context in their deleter; this hands
// them to the calling thread's context so they can outlive the workers.
void adopt(GeomPtr& g);

}  // namespace planmap::geo
