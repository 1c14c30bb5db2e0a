// Coordinate reference systems: anything PROJ understands (EPSG codes, WKT, PROJJSON, PROJ
// strings, `.prj` files) plus the Chinese pseudo-CRS GCJ-02 and BD-09. Coordinates are always in
// GIS order (x = lon / easting), whatever axis order the CRS declares.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo/geos.hpp"

namespace planmap::geo {

class Crs {
public:
    enum class Kind { proj, gcj02, bd09 };

    // Parses "EPSG:4490", "4490", "GCJ02"/"GCJ-02", "BD09"/"BD-09", WKT, PROJJSON, a PROJ string,
    // or the path of a `.prj` file. Throws crs_error naming the text when PROJ cannot use it.
    static Crs parse(const std::string& text);
    static Crs from_epsg(int code);
    static Crs wgs84() { return from_epsg(4326); }
    static Crs cgcs2000() { return from_epsg(4490); }

    Kind kind() const noexcept { return kind_; }
    bool is_pseudo() const noexcept { return kind_ != Kind::proj; }
    // For GCJ-02 / BD-09 the CRS whose numbers they obfuscate (WGS84).
    const std::string& definition() const noexcept { return definition_; }  // WKT2 of the (base) CRS
    std::optional<int> epsg() const noexcept { return epsg_; }
    // "EPSG:4549", "GCJ02", "BD09", or the CRS name.
    std::string label() const;
    bool is_geographic() const noexcept { return geographic_; }
    // The datum code (EPSG) of the geodetic datum when known, e.g. 1043 for CGCS2000.
    std::optional<int> datum_epsg() const noexcept { return datum_epsg_; }
    // WKT1 for formats that want it (GDAL's OGRSpatialReference takes both).
    std::string wkt() const { return definition_; }
    bool same_as(const Crs& other) const;

private:
    Kind kind_ = Kind::proj;
    std::string definition_;
    std::string name_;
    std::optional<int> epsg_;
    std::optional<int> datum_epsg_;
    bool geographic_ = false;
};

// A transformation between two CRSs, GIS axis order on both ends. Not thread-safe: one per thread.
class Transformer {
public:
    Transformer(const Crs& from, const Crs& to);
    ~Transformer();
    Transformer(Transformer&&) noexcept;
    Transformer& operator=(Transformer&&) noexcept;

    bool is_identity() const noexcept;
    // Transforms in place. Points PROJ cannot transform become infinity; returns their count.
    std::size_t transform(double* x, double* y, std::size_t n) const;
    void transform_point(double& x, double& y) const;
    // Transforms a copy of g; throws crs_error if any coordinate fails.
    GeomPtr transform(const GEOSGeometry* g) const;
    // Warnings raised while building (e.g. a legacy datum without a real shift).
    const std::vector<std::string>& warnings() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The metric CRS planmap uses for areas and distances around a lon/lat point: the CGCS2000
// 3-degree Gauss-Krüger zone (EPSG:4534-4554, central meridian only) inside China, UTM outside.
Crs analysis_crs_for(double lon, double lat);

}  // namespace planmap::geo
