// Geometric constructions for plan structures: Voronoi partitions clipped to a boundary, annuli
// between closed rings, corridors along lines, clipping and differences that keep the input's
// dimension, chaining of line segments into routes and rings, Chaikin smoothing of schematic
// lines, and closed-ring checks. All distances are in the geometry's own (metric) units.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "geo/geos.hpp"

namespace planmap::geo {

// 0 = points, 1 = lines, 2 = polygons; -1 for an empty geometry.
int dimension(const GEOSGeometry* g);

// The parts of g of dimension `dim` (from any collection), as one geometry: Multi* when several,
// a single part when one, an empty geometry of that dimension when none.
GeomPtr extract_dimension(const GEOSGeometry* g, int dim);

// One Voronoi cell per seed, in seed order, each clipped to `boundary` (polygonal). Together the
// cells partition the boundary. Throws geometry_error when two seeds coincide.
std::vector<GeomPtr> voronoi_partition(const std::vector<std::pair<double, double>>& seeds,
                                       const GEOSGeometry* boundary);

// Whether g is one closed, simple LineString (first point equal to the last within `tolerance`).
// When not, `why` (if given) says what is wrong.
bool is_closed_ring(const GEOSGeometry* g, double tolerance = 0.0, std::string* why = nullptr);

// The polygon a closed ring encloses (a polygon is returned as is). Throws geometry_error when the
// ring is not closed or not simple.
GeomPtr polygon_of_ring(const GEOSGeometry* ring);

// The area between two closed rings (LineStrings or polygons): polygon(outer) − polygon(inner).
// Throws geometry_error when the inner ring is not inside the outer one.
GeomPtr annulus(const GEOSGeometry* outer, const GEOSGeometry* inner);

// A corridor of the given half width along a line: both sides (side = 0), the left (side > 0) or
// the right (side < 0) of the line's direction only. Flat ends, mitred joins on one side.
GeomPtr corridor(const GEOSGeometry* line, double half_width, int side = 0);

// a ∩ b and a − b keeping a's dimension (slivers of lower dimension are dropped).
GeomPtr clip(const GEOSGeometry* a, const GEOSGeometry* b);
GeomPtr difference_keep(const GEOSGeometry* a, const GEOSGeometry* b);

// The polygon with the largest area of a (multi)polygon.
GeomPtr largest_part(const GEOSGeometry* g);

// Joins line segments end to end (in any order and direction; ends within `snap` are joined) into
// one LineString; a chain whose ends meet is closed exactly. Throws geometry_error when the
// segments do not form a single chain.
GeomPtr chain_lines(const std::vector<const GEOSGeometry*>& lines, double snap = 0.0);

// The closed ring bounding the largest face the lines enclose where they cross (roads forming a
// ring road with overhanging ends). Throws geometry_error when the lines enclose no area.
GeomPtr enclosed_ring(const std::vector<const GEOSGeometry*>& lines);

// The exterior ring of a polygon (of its largest part for a multipolygon), as a closed LineString.
GeomPtr outline(const GEOSGeometry* polygonal);

GeomPtr convex_hull(const GEOSGeometry* g);

// Chaikin corner cutting, `iterations` times, of a LineString or MultiLineString. Open lines keep
// their end points; closed rings stay closed.
GeomPtr chaikin_smooth(const GEOSGeometry* g, int iterations);

// The coordinates of a LineString / LinearRing / Point.
std::vector<std::pair<double, double>> coords(const GEOSGeometry* g);

}  // namespace planmap::geo
