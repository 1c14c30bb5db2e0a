// The in-memory data model: typed attribute values, features, layers with a schema, a CRS and a
// spatial index, and datasets holding several layers.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "geo/crs.hpp"
#include "geo/geos.hpp"
#include "geo/spatial_index.hpp"

namespace planmap::layers {

enum class FieldType { integer, real, string };
std::string to_string(FieldType t);

struct Field {
    std::string name;
    FieldType type = FieldType::string;
    std::string alias;  // a display name (e.g. the Chinese name behind a shortened DBF field)
};

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
std::string value_to_string(const Value& v);
std::optional<double> value_to_double(const Value& v);

struct Feature {
    std::int64_t fid = -1;
    geo::GeomPtr geometry;      // may be null (a feature without geometry)
    std::vector<Value> values;  // one per field of the layer's schema
};

// One row of a layer whose rows are made when it is written (Layer::set_rows); the geometry stays
// owned where it is.
struct RowView {
    std::int64_t fid = -1;
    const GEOSGeometry* geometry = nullptr;
    std::vector<Value> values;  // one per field of the layer's schema
    // A geometry the row source made for this row alone (`geometry` then points at it); freed
    // once the row is encoded, on the thread that made it.
    geo::GeomPtr owned;
};
// Fills row i; called from several threads at once, so it only reads what it shows.
using RowSource = std::function<void(std::size_t i, RowView& row)>;

// A problem met while importing a feature: what was wrong and what was done.
struct FeatureNote {
    std::string layer;
    std::int64_t fid = -1;
    std::string reason;
    std::string action;  // "repaired", "geometry removed", …
};

class Layer {
public:
    Layer() = default;
    Layer(std::string name, std::vector<Field> fields, std::optional<geo::Crs> crs, std::string geometry_type);
    Layer(Layer&&) noexcept = default;
    Layer& operator=(Layer&&) noexcept = default;

    const std::string& name() const noexcept { return name_; }
    void set_name(std::string n) { name_ = std::move(n); }
    const std::vector<Field>& fields() const noexcept { return fields_; }
    std::vector<Field>& fields() noexcept { return fields_; }
    int field_index(const std::string& name) const;  // -1 when absent
    // Adds a field (existing features get a null value) and returns its index.
    int add_field(Field f);
    const std::optional<geo::Crs>& crs() const noexcept { return crs_; }
    void set_crs(std::optional<geo::Crs> c) { crs_ = std::move(c); }
    const std::string& geometry_type() const noexcept { return geometry_type_; }
    void set_geometry_type(std::string t) { geometry_type_ = std::move(t); }

    std::vector<Feature>& features() noexcept {
        index_.reset();
        return features_;
    }
    const std::vector<Feature>& features() const noexcept { return features_; }
    std::size_t size() const noexcept { return features_.size(); }
    Feature& add(Feature f);

    // Rows made as the layer is written instead of stored: an output that shows other layers'
    // geometries and values with a few computed columns, without copying them. Only the writers
    // read them (size() and features() know none); `source` and what it reads must outlive the
    // writing. row_count() is the number of rows a writer writes, stored or made.
    void set_rows(std::size_t count, RowSource source);
    const RowSource& row_source() const noexcept { return row_source_; }
    std::size_t row_count() const noexcept { return row_source_ ? row_count_ : features_.size(); }

    // Value of field `name` in feature i; monostate when the field is absent.
    const Value& value(std::size_t i, const std::string& name) const;

    geo::Envelope extent() const;
    // The R-tree over feature envelopes, built on first use after the features change.
    const geo::SpatialIndex& index() const;

    // Reprojects every geometry; throws crs_error naming the layer and feature on failure.
    // Returns the transformation's warnings (e.g. a legacy datum without a real shift).
    std::vector<std::string> reproject(const geo::Crs& to);

    // Import bookkeeping: the attribute encoding chosen and how, and per-feature notes.
    std::string encoding = "UTF-8";
    std::string encoding_source;  // "cpg", "ldid", "detected", "option", "format"
    std::vector<FeatureNote> notes;
    std::vector<std::string> warnings;  // layer-level problems (e.g. mixed attribute encodings)
    std::size_t invalid_geometries = 0;  // counted on import (repaired or removed)
    std::size_t escaped_texts = 0;  // field names and values not valid in `encoding`: bytes kept as "\xNN"

private:
    std::string name_;
    std::vector<Field> fields_;
    std::optional<geo::Crs> crs_;
    std::string geometry_type_ = "Unknown";
    std::vector<Feature> features_;
    RowSource row_source_;
    std::size_t row_count_ = 0;
    mutable std::optional<geo::SpatialIndex> index_;
};

struct Dataset {
    std::string source;
    std::vector<Layer> layers;
    Layer& layer(const std::string& name);
    const Layer* find(const std::string& name) const;
};

}  // namespace planmap::layers
