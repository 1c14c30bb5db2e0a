// RAII for the GEOS C API (the reentrant `_r` functions).
// One context per thread; geometry handles carry the context that made them in their deleter.
#pragma once

#include <geos_c.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace planmap::geo {

// The calling thread's GEOS context. Errors GEOS reports are recorded (never thrown from the
// callback) and read back with last_error() after a failed call.
GEOSContextHandle_t geos_context();
std::string geos_last_error();

struct GeomDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const noexcept {
        if (g) GEOSGeom_destroy_r(ctx, g);
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* g) const noexcept {
        if (g) GEOSPreparedGeom_destroy_r(ctx, g);
    }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

struct CoordSeqDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSCoordSequence* s) const noexcept {
        if (s) GEOSCoordSeq_destroy_r(ctx, s);
    }
};
using CoordSeqPtr = std::unique_ptr<GEOSCoordSequence, CoordSeqDeleter>;

// Takes ownership of a GEOS result; throws geometry_error with `what` and GEOS's message if null.
GeomPtr take(GEOSGeometry* g, std::string_view what);
inline GeomPtr take_nullable(GEOSGeometry* g) { return GeomPtr(g, GeomDeleter{geos_context()}); }
GeomPtr clone(const GEOSGeometry* g);
PreparedPtr prepare(const GEOSGeometry* g);

// WKB / WKT conversion (ISO WKB, 2D).
GeomPtr from_wkb(const unsigned char* data, std::size_t size);
std::vector<unsigned char> to_wkb(const GEOSGeometry* g);
// Appends g's WKB (ISO, 2D, little-endian) to out; one writer per thread.
void append_wkb(const GEOSGeometry* g, std::string& out);
GeomPtr from_wkt(std::string_view wkt);
std::string to_wkt(const GEOSGeometry* g, int precision = -1);

// Small constructors.
GeomPtr make_point(double x, double y);
GeomPtr make_linestring(const std::vector<std::pair<double, double>>& pts);
GeomPtr make_polygon(const std::vector<std::pair<double, double>>& ring);
GeomPtr make_empty_polygon();
GeomPtr make_collection(int type, std::vector<GeomPtr> parts);

// Measures and predicates, in the geometry's own units.
double area(const GEOSGeometry* g);
double length(const GEOSGeometry* g);
bool is_empty(const GEOSGeometry* g);
bool is_valid(const GEOSGeometry* g);
std::string invalid_reason(const GEOSGeometry* g);  // empty when valid
struct Envelope {
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    bool empty = true;
    void expand(const Envelope& o);
};
Envelope envelope(const GEOSGeometry* g);
std::string geometry_type(const GEOSGeometry* g);  // "Point", "MultiPolygon", …

// Overlay operations (throw geometry_error on GEOS failure).
GeomPtr unary_union(const GEOSGeometry* g);
GeomPtr union_all(std::vector<GeomPtr> parts);  // dissolve; empty polygon for no parts
GeomPtr intersection(const GEOSGeometry* a, const GEOSGeometry* b);
GeomPtr difference(const GEOSGeometry* a, const GEOSGeometry* b);
GeomPtr buffer(const GEOSGeometry* g, double distance, int quad_segs = 16);
// The one repair of invalid geometries: GEOS make-valid, structure method (as PostGIS
// ST_MakeValid(g, 'method=structure')). It keeps the input's dimension (polygons stay polygons);
// a polygon that collapses entirely (a flat ring) becomes empty, or, with `keep_collapsed`, the
// lines or points it collapsed to (ST_MakeValid(g, 'method=structure keepcollapsed=true')).
GeomPtr make_valid(const GEOSGeometry* g, bool keep_collapsed = false);
GeomPtr centroid(const GEOSGeometry* g);
GeomPtr point_on_surface(const GEOSGeometry* g);

// Applies fn(x, y) -> (x, y) to every coordinate of a copy of g.
template <class Fn>
GeomPtr transform_coords(const GEOSGeometry* g, Fn&& fn);

namespace detail {
using CoordFn = void (*)(void* user, double* x, double* y, std::size_t n);
GeomPtr transform_coords_impl(const GEOSGeometry* g, CoordFn fn, void* user);
}  // namespace detail

template <class Fn>
GeomPtr transform_coords(const GEOSGeometry* g, Fn&& fn) {
    auto tramp = [](void* user, double* x, double* y, std::size_t n) {
        (*static_cast<std::remove_reference_t<Fn>*>(user))(x, y, n);
    };
    return detail::transform_coords_impl(g, tramp, &fn);
}

}  // namespace planmap::geo
