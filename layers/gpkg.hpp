// GeoPackage rows in bulk. GDAL creates the file and its schema (tables, SRS, styles, metadata);
// the features go in through SQLite directly: one transaction per file, journal off, geometries
// encoded as GeoPackage blobs on all cores while one thread inserts. GDAL's per-feature path
// (OGRFeature, OGRGeometry, one statement per row with its own checks) was most of the time of
// writing a big coverage output.
#pragma once

#include <string>
#include <vector>

#include "layers/feature.hpp"

namespace planmap::layers::gpkg {

// Where one layer's features go: the table GDAL created for it (names as GDAL wrote them).
struct TableTarget {
    const Layer* layer = nullptr;
    std::string table;
    std::string geometry_column;        // empty: an attributes table
    std::vector<std::string> columns;   // one per field of layer->fields(), in order
};

// Inserts every feature of each target into the GeoPackage `file` (created by GDAL, tables
// empty), keeps GDAL's feature-count table and triggers right, and records each table's extent in
// gpkg_contents. `shown_path` names the output in messages. Geometries of a multi-type table that
// are single parts are written as one-part multis (as OGR's forceTo does).
void insert_features(const std::string& file, const std::vector<TableTarget>& targets, const std::string& shown_path);

// The GeoPackage blob of g: the standard header (little-endian, envelope [minx,maxx,miny,maxy]
// except for points, empty flag) with srs_id, then ISO WKB. multi_type: the table's multi type code
// (4, 5, 6) or 0; a geometry of the matching single type is wrapped in a one-part multi.
std::string encode_geometry(const GEOSGeometry* g, int srs_id, int multi_type);

}  // namespace planmap::layers::gpkg
