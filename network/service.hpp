// Service areas along a Network: facilities (points or polygons, in the network's CRS) are
// attached to the nearest usable edge through a spatial index (virtual nodes at the projection
// point; polygons enter at every edge within entry_m of them), searched to a distance, and turned
// into the reachable edge parts (lines, cut at the exact point) and a polygon (union of buffers
// around them), per facility and dissolved. Facilities farther than max_snap_m from the network
// are reported as unattached, never dropped.
#pragma once

#include <optional>
#include <vector>

#include "geo/geos.hpp"
#include "network/graph.hpp"
#include "network/search.hpp"
#include "geo/spatial_index.hpp"

namespace planmap::network {

struct AttachOptions {
    double max_snap_m = 500;    // facilities farther from every usable edge are unattached
    double entry_m = 10;        // a polygon is entered from every edge within this distance of it
    bool count_snap = false;    // start the walk with the straight snap distance already walked
};

// How a facility enters the network.
struct Attachment {
    bool attached = false;
    std::vector<Seed> seeds;
    double snap_m = 0;  // straight distance from the facility to the network (0 when touching)
    XY point;           // the attachment point on the network (the first one for polygons)
};

// A spatial index over the edges of a network, skipping blocked ones.
class EdgeLocator {
public:
    explicit EdgeLocator(const Network& net, const EdgeMask* blocked = nullptr);

    struct Hit {
        std::uint32_t edge = 0;
        double offset_m = 0;  // along the edge from u, in the edge's length_m
        double distance = 0;  // straight distance from the query
        XY point;
    };
    // The nearest point on a usable edge within max_m of p (leaving out the edges of skip_node).
    std::optional<Hit> nearest(XY p, double max_m, std::uint32_t skip_node = Network::none) const;
    // Where a geometry (Point, MultiPoint, Polygon, MultiPolygon, lines) enters the network.
    Attachment attach(const GEOSGeometry* g, const AttachOptions& options) const;
    // The edges that cross or touch any of the barrier geometries (lines or polygons).
    EdgeMask crossing(const std::vector<const GEOSGeometry*>& barriers) const;

    // The closest point of edge e to p.
    Hit project(std::uint32_t e, XY p) const;

private:
    geo::GeomPtr edge_line(std::uint32_t e) const;
    const Network& net_;
    const EdgeMask* blocked_;
    std::vector<geo::Envelope> envelopes_;
    geo::SpatialIndex index_;
    double extent_diag_ = 0;
};

// Attaches every facility; unattached ones have attached == false.
std::vector<Attachment> attach_all(const Network& net, const std::vector<const GEOSGeometry*>& facilities,
                                   const AttachOptions& options, const EdgeMask* blocked = nullptr);

struct ServiceAreaOptions {
    double distance_m = 1200;
    double buffer_m = 25;        // the polygon reaches this far either side of the reachable network
    int quad_segs = 8;           // buffer quality (segments per quarter circle)
    bool per_facility = true;    // also compute one area per facility
    bool whole_edge_area = true; // also the polygon around the streets reached at both ends
    const EdgeMask* blocked = nullptr;
};

struct FacilityArea {
    bool attached = false;
    double snap_m = 0;
    std::vector<EdgePart> parts;
    double reach_length_m = 0;
    double area_m2 = 0;
    // The ego-graph convention (geo/network_whole.hpp): streets reached at both ends, whole.
    double whole_edge_length_m = 0;
    double whole_edge_area_m2 = 0;  // its buffered polygon's area (0 without whole_edge_area)
    geo::GeomPtr lines;  // MultiLineString of the reachable parts (null when unattached)
    geo::GeomPtr area;   // Polygon/MultiPolygon (null when unattached)
};

struct NetworkServiceAreas {
    std::vector<FacilityArea> facilities;  // one per attachment (empty without per_facility)
    std::vector<std::size_t> unattached;   // indices of facilities not attached
    std::vector<EdgePart> parts;           // dissolved: reachable from any facility
    double reach_length_m = 0;
    double area_m2 = 0;
    double whole_edge_length_m = 0, whole_edge_area_m2 = 0;  // as in FacilityArea
    geo::GeomPtr lines, area;
    double search_s = 0, polygons_s = 0;
};

// Searches from the attachments (together, and one by one when per_facility) and builds the
// geometries. Per-facility work runs in parallel.
NetworkServiceAreas service_areas(const Network& net, const std::vector<Attachment>& attachments, const ServiceAreaOptions& options);

// The reachable parts as a MultiLineString, and the buffered polygon around them.
geo::GeomPtr parts_to_lines(const Network& net, const std::vector<EdgePart>& parts);
geo::GeomPtr lines_to_area(const GEOSGeometry* lines, double buffer_m, int quad_segs);

// All seeds of the attached facilities.
std::vector<Seed> all_seeds(const std::vector<Attachment>& attachments);

}  // namespace planmap::network
