// GeoPackage rows in bulk. GDAL creates the file and its schema (tables, SRS, styles, metadata);
// the features go in through SQLite directly: one transaction per file, journal off, geometries
// encoded as GeoPackage blobs on all cores while one thread inserts. GDAL's per-feature path
// (OGRFeature, OGRGeometry, one statement per row with its own checks) was most of the time of
// writing a big coverage output.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
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

// The WKB inside a GeoPackage geometry blob (after its header and envelope); nullopt when the
// blob is not one (no "GP" magic, the extended-type flag, too short).
std::optional<std::pair<const unsigned char*, std::size_t>> blob_wkb(const unsigned char* blob, std::size_t size);

// Reads a table's rows straight through SQLite (the schema comes from GDAL): for each row in fid
// order, its fid, its geometry blob (null when NULL) and its values, converted to `types` as
// OGR's GetFieldAs… would. Throws io_error naming `shown_path` and the table on a SQLite error.
struct RowReader {
    std::string table, fid_column, geometry_column;  // geometry_column empty: none
    std::vector<std::string> columns;
    std::vector<FieldType> types;
};
using RowSink = std::function<void(std::int64_t fid, const unsigned char* blob, std::size_t blob_size, std::vector<Value>&& values)>;
void read_rows(const std::string& file, const RowReader& what, const std::string& shown_path, const RowSink& row);

}  // namespace planmap::layers::gpkg
