// Reading and writing layers through GDAL/OGR.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "geo/crs.hpp"
#include "layers/feature.hpp"

namespace planmap::layers {

// "path", "path:layer", or a GDAL connection string ("PG:dbname=x", optionally "PG:…:layer" is
// not split). The layer part is split off only when the whole text is not an existing path.
struct SourceSpec {
    std::string path;
    std::optional<std::string> layer;
    static SourceSpec parse(const std::string& text);
};

struct ReadOptions {
    std::optional<std::string> layer;      // read only this layer
    std::optional<std::string> encoding;   // force the attribute encoding (shapefiles)
    std::optional<geo::Crs> source_crs;    // override or supply the source CRS (e.g. GCJ02)
    bool repair = true;                    // make invalid geometries valid (geo::make_valid), with a note each
    // With repair: a polygon that collapses entirely (a flat ring, a sliver of zero width) keeps the
    // lines or points it collapsed to instead of becoming empty (residential parcels are then
    // placed by a point).
    bool keep_collapsed = false;
    // A multi-part geometry of one part (MultiPolygon of one polygon, …) is kept as that part: one
    // GEOS object fewer per feature (a 1M-parcel coverage run of MultiPolygons: 849 instead of
    // 883 MB). Writers make multis of it again for layers whose type is multi, so what is written
    // back is unchanged.
    bool single_parts = false;
    // Called now and then while features are read: (features read so far, total or 0 if unknown);
    // a last call with done == total when a layer is complete.
    std::function<void(std::size_t, std::size_t)> progress;
};

Dataset read(const std::string& path, const ReadOptions& options = {});
// One layer: options.layer, or the first one.
Layer read_layer(const std::string& path, const ReadOptions& options = {});
Layer read_layer(const SourceSpec& spec, ReadOptions options = {});

// A QGIS style for one layer, stored in a GeoPackage's `layer_styles` table (QGIS's schema).
struct QgisStyle {
    std::string name;         // styleName
    std::string qml, sld;     // styleQML, styleSLD
    std::string description;
};
// Gives the style of a layer about to be written (nullopt: none).
using StyleProvider = std::function<std::optional<QgisStyle>(const Layer&)>;

struct WriteOptions {
    std::string format;  // GDAL driver short name; empty: from the extension (GPKG by default)
    bool spatial_index = true;  // GeoPackage: build each layer's R-tree (slow for big layers in GDAL 3.6)
    // Items describing the whole dataset (e.g. the plan a GeoPackage was built from), written as
    // the dataset's metadata (GeoPackage: its gpkg_metadata tables, shown by ogrinfo and QGIS).
    std::vector<std::pair<std::string, std::string>> metadata;
    // GeoPackage: the QGIS style of each layer, written to its `layer_styles` table so layers open
    // styled in QGIS (empty: no table; styles::qgis_style gives planmap's styles).
    StyleProvider styles;
};

struct WriteReport {
    std::string format;
    // Shapefile field names that had to be shortened: (short, original).
    std::vector<std::pair<std::string, std::string>> renamed_fields;
    std::string field_map_path;  // the sidecar written beside a shapefile when fields were renamed
};

// Writes all layers to `path` atomically: into a temporary folder beside it, renamed into place
// when complete. An existing output is replaced only on success.
WriteReport write(const std::vector<const Layer*>& layers, const std::string& path, const WriteOptions& options = {});
WriteReport write(const Dataset& ds, const std::string& path, const WriteOptions& options = {});
WriteReport write(const Layer& layer, const std::string& path, const WriteOptions& options = {});

std::string driver_for_path(const std::string& path);

// The dataset metadata items of a file (as written through WriteOptions::metadata); empty when it
// has none. Throws io_error when the file cannot be opened.
std::map<std::string, std::string> read_metadata(const std::string& path);

// Shortens field names to DBF's 10 bytes (UTF-8 character boundaries), without collisions.
std::vector<std::string> shorten_field_names(const std::vector<std::string>& names, std::size_t max_bytes = 10);

}  // namespace planmap::layers
