#include "geo/geos.hpp"

#include <cstdarg>
#include <cstdio>

#include "core/i18n.hpp"

namespace planmap::geo {

namespace {

struct ThreadContext {
    GEOSContextHandle_t handle = nullptr;
    GEOSWKBWriter* wkb_writer = nullptr;  // made on first use: ISO flavour, 2D
    std::string last_error;
    ThreadContext() {
        handle = GEOS_init_r();
        GEOSContext_setErrorMessageHandler_r(
            handle,
            [](const char* message, void* user) {
                // Never throw from a C callback: record, let the caller check the result.
                static_cast<ThreadContext*>(user)->last_error = message ? message : "";
            },
            this);
        GEOSContext_setNoticeMessageHandler_r(handle, [](const char*, void*) {}, nullptr);
    }
    ~ThreadContext() {
        if (wkb_writer) GEOSWKBWriter_destroy_r(handle, wkb_writer);
        GEOS_finish_r(handle);
    }
    ThreadContext(const ThreadContext&) = delete;
    ThreadContext& operator=(const ThreadContext&) = delete;
};

ThreadContext& thread_context() {
    thread_local ThreadContext ctx;
    return ctx;
}

}  // namespace

GEOSContextHandle_t geos_context() { return thread_context().handle; }
std::string geos_last_error() { return thread_context().last_error; }

GeomPtr take(GEOSGeometry* g, std::string_view what) {
    if (!g) throw geometry_error(trf("{} failed: {}", tr(std::string(what).c_str()), geos_last_error()));
    return GeomPtr(g, GeomDeleter{geos_context()});
}

GeomPtr clone(const GEOSGeometry* g) { return take(GEOSGeom_clone_r(geos_context(), g), N_("clone")); }

PreparedPtr prepare(const GEOSGeometry* g) {
    auto* p = GEOSPrepare_r(geos_context(), g);
    if (!p) throw geometry_error(trf("prepare failed: {}", geos_last_error()));
    return PreparedPtr(p, PreparedDeleter{geos_context()});
}

GeomPtr from_wkb(const unsigned char* data, std::size_t size) {
    return take(GEOSGeomFromWKB_buf_r(geos_context(), data, size), N_("reading WKB"));
}

void append_wkb(const GEOSGeometry* g, std::string& out) {
    auto& tc = thread_context();
    if (!tc.wkb_writer) {
        tc.wkb_writer = GEOSWKBWriter_create_r(tc.handle);
        GEOSWKBWriter_setFlavor_r(tc.handle, tc.wkb_writer, GEOS_WKB_ISO);
        GEOSWKBWriter_setOutputDimension_r(tc.handle, tc.wkb_writer, 2);
        GEOSWKBWriter_setByteOrder_r(tc.handle, tc.wkb_writer, GEOS_WKB_NDR);
    }
    std::size_t n = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(tc.handle, tc.wkb_writer, g, &n);
    if (!buf) throw geometry_error(trf("writing WKB failed: {}", geos_last_error()));
    out.append(reinterpret_cast<const char*>(buf), n);
    GEOSFree_r(tc.handle, buf);
}

std::vector<unsigned char> to_wkb(const GEOSGeometry* g) {
    std::string s;
    append_wkb(g, s);
    return {s.begin(), s.end()};
}

GeomPtr from_wkt(std::string_view wkt) {
    std::string s(wkt);
    return take(GEOSGeomFromWKT_r(geos_context(), s.c_str()), N_("reading WKT"));
}

std::string to_wkt(const GEOSGeometry* g, int precision) {
    auto ctx = geos_context();
    GEOSWKTWriter* w = GEOSWKTWriter_create_r(ctx);
    GEOSWKTWriter_setTrim_r(ctx, w, 1);
    if (precision >= 0) GEOSWKTWriter_setRoundingPrecision_r(ctx, w, precision);
    char* s = GEOSWKTWriter_write_r(ctx, w, g);
    GEOSWKTWriter_destroy_r(ctx, w);
    if (!s) throw geometry_error(trf("writing WKT failed: {}", geos_last_error()));
    std::string out(s);
    GEOSFree_r(ctx, s);
    return out;
}

GeomPtr make_point(double x, double y) {
    return take(GEOSGeom_createPointFromXY_r(geos_context(), x, y), N_("creating a point"));
}

namespace {
GEOSCoordSequence* make_seq(const std::vector<std::pair<double, double>>& pts) {
    auto ctx = geos_context();
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, static_cast<unsigned>(pts.size()), 2);
    for (unsigned i = 0; i < pts.size(); ++i) GEOSCoordSeq_setXY_r(ctx, seq, i, pts[i].first, pts[i].second);
    return seq;
}
}  // namespace

GeomPtr make_linestring(const std::vector<std::pair<double, double>>& pts) {
    return take(GEOSGeom_createLineString_r(geos_context(), make_seq(pts)), N_("creating a line"));
}

GeomPtr make_polygon(const std::vector<std::pair<double, double>>& ring) {
    auto pts = ring;
    if (!pts.empty() && pts.front() != pts.back()) pts.push_back(pts.front());
    auto ctx = geos_context();
    GEOSGeometry* shell = GEOSGeom_createLinearRing_r(ctx, make_seq(pts));
    if (!shell) throw geometry_error(trf("creating a ring failed: {}", geos_last_error()));
    return take(GEOSGeom_createPolygon_r(ctx, shell, nullptr, 0), N_("creating a polygon"));
}

GeomPtr make_empty_polygon() { return take(GEOSGeom_createEmptyPolygon_r(geos_context()), N_("creating a polygon")); }

GeomPtr make_collection(int type, std::vector<GeomPtr> parts) {
    std::vector<GEOSGeometry*> raw;
    raw.reserve(parts.size());
    for (auto& p : parts) raw.push_back(p.release());
    return take(GEOSGeom_createCollection_r(geos_context(), type, raw.data(), static_cast<unsigned>(raw.size())),
                N_("creating a collection"));
}

double area(const GEOSGeometry* g) {
    double a = 0;
    if (!GEOSArea_r(geos_context(), g, &a)) throw geometry_error(trf("area failed: {}", geos_last_error()));
    return a;
}

double length(const GEOSGeometry* g) {
    double l = 0;
    if (!GEOSLength_r(geos_context(), g, &l)) throw geometry_error(trf("length failed: {}", geos_last_error()));
    return l;
}

bool is_empty(const GEOSGeometry* g) { return GEOSisEmpty_r(geos_context(), g) == 1; }
bool is_valid(const GEOSGeometry* g) { return GEOSisValid_r(geos_context(), g) == 1; }

std::string invalid_reason(const GEOSGeometry* g) {
    if (is_valid(g)) return {};
    auto ctx = geos_context();
    char* r = GEOSisValidReason_r(ctx, g);
    std::string out = r ? r : "invalid";
    if (r) GEOSFree_r(ctx, r);
    return out;
}

void Envelope::expand(const Envelope& o) {
    if (o.empty) return;
    if (empty) {
        *this = o;
        return;
    }
    minx = std::min(minx, o.minx);
    miny = std::min(miny, o.miny);
    maxx = std::max(maxx, o.maxx);
    maxy = std::max(maxy, o.maxy);
}

Envelope envelope(const GEOSGeometry* g) {
    Envelope e;
    if (!g || is_empty(g)) return e;
    auto ctx = geos_context();
    GEOSGeom_getXMin_r(ctx, g, &e.minx);
    GEOSGeom_getYMin_r(ctx, g, &e.miny);
    GEOSGeom_getXMax_r(ctx, g, &e.maxx);
    GEOSGeom_getYMax_r(ctx, g, &e.maxy);
    e.empty = false;
    return e;
}

std::string geometry_type(const GEOSGeometry* g) {
    auto ctx = geos_context();
    char* t = GEOSGeomType_r(ctx, g);
    std::string out = t ? t : "Unknown";
    if (t) GEOSFree_r(ctx, t);
    return out;
}

GeomPtr unary_union(const GEOSGeometry* g) { return take(GEOSUnaryUnion_r(geos_context(), g), N_("union")); }

GeomPtr union_all(std::vector<GeomPtr> parts) {
    if (parts.empty()) return make_empty_polygon();
    if (parts.size() == 1) return unary_union(parts.front().get());
    auto coll = make_collection(GEOS_GEOMETRYCOLLECTION, std::move(parts));
    return unary_union(coll.get());
}

GeomPtr intersection(const GEOSGeometry* a, const GEOSGeometry* b) {
    return take(GEOSIntersection_r(geos_context(), a, b), N_("intersection"));
}

GeomPtr difference(const GEOSGeometry* a, const GEOSGeometry* b) {
    return take(GEOSDifference_r(geos_context(), a, b), N_("difference"));
}

GeomPtr buffer(const GEOSGeometry* g, double distance, int quad_segs) {
    return take(GEOSBuffer_r(geos_context(), g, distance, quad_segs), N_("buffer"));
}

GeomPtr make_valid(const GEOSGeometry* g, bool keep_collapsed) {
    auto ctx = geos_context();
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(ctx);
    GEOSMakeValidParams_setMethod_r(ctx, params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(ctx, params, keep_collapsed ? 1 : 0);
    GEOSGeometry* out = GEOSMakeValidWithParams_r(ctx, g, params);
    GEOSMakeValidParams_destroy_r(ctx, params);
    return take(out, N_("make-valid"));
}

GeomPtr centroid(const GEOSGeometry* g) { return take(GEOSGetCentroid_r(geos_context(), g), N_("centroid")); }
GeomPtr point_on_surface(const GEOSGeometry* g) {
    return take(GEOSPointOnSurface_r(geos_context(), g), N_("point on surface"));
}

namespace detail {

namespace {
GEOSCoordSequence* transform_seq(GEOSContextHandle_t ctx, const GEOSCoordSequence* in, CoordFn fn, void* user) {
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(ctx, in, &n);
    std::vector<double> xs(n), ys(n);
    if (n) GEOSCoordSeq_copyToArrays_r(ctx, in, xs.data(), ys.data(), nullptr, nullptr);
    if (n) fn(user, xs.data(), ys.data(), n);
    return GEOSCoordSeq_copyFromArrays_r(ctx, xs.data(), ys.data(), nullptr, nullptr, n);
}

GEOSGeometry* transform_rec(GEOSContextHandle_t ctx, const GEOSGeometry* g, CoordFn fn, void* user) {
    int type = GEOSGeomTypeId_r(ctx, g);
    if (GEOSisEmpty_r(ctx, g)) return GEOSGeom_clone_r(ctx, g);
    switch (type) {
        case GEOS_POINT:
            return GEOSGeom_createPoint_r(ctx, transform_seq(ctx, GEOSGeom_getCoordSeq_r(ctx, g), fn, user));
        case GEOS_LINESTRING:
            return GEOSGeom_createLineString_r(ctx, transform_seq(ctx, GEOSGeom_getCoordSeq_r(ctx, g), fn, user));
        case GEOS_LINEARRING:
            return GEOSGeom_createLinearRing_r(ctx, transform_seq(ctx, GEOSGeom_getCoordSeq_r(ctx, g), fn, user));
        case GEOS_POLYGON: {
            GEOSGeometry* shell = transform_rec(ctx, GEOSGetExteriorRing_r(ctx, g), fn, user);
            int nh = GEOSGetNumInteriorRings_r(ctx, g);
            std::vector<GEOSGeometry*> holes;
            for (int i = 0; i < nh; ++i) holes.push_back(transform_rec(ctx, GEOSGetInteriorRingN_r(ctx, g, i), fn, user));
            return GEOSGeom_createPolygon_r(ctx, shell, holes.data(), static_cast<unsigned>(holes.size()));
        }
        default: {
            int n = GEOSGetNumGeometries_r(ctx, g);
            std::vector<GEOSGeometry*> parts;
            for (int i = 0; i < n; ++i) parts.push_back(transform_rec(ctx, GEOSGetGeometryN_r(ctx, g, i), fn, user));
            return GEOSGeom_createCollection_r(ctx, type, parts.data(), static_cast<unsigned>(parts.size()));
        }
    }
}
}  // namespace

GeomPtr transform_coords_impl(const GEOSGeometry* g, CoordFn fn, void* user) {
    return take(transform_rec(geos_context(), g, fn, user), N_("coordinate transform"));
}

}  // namespace detail

}  // namespace planmap::geo
