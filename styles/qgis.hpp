// planmap's styles for the layers it writes, and their QGIS forms: QML (QGIS's own style format,
// with Chinese field aliases) and SLD, stored in a GeoPackage's `layer_styles` table so layers open
// styled in QGIS.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "layers/feature.hpp"
#include "layers/io.hpp"
#include "styles/color.hpp"
#include "styles/style.hpp"

namespace planmap::styles {

struct Symbol {
    Color fill{0, 0, 0, 0};          // a == 0: no fill
    Color stroke{0.2, 0.2, 0.2, 1};
    double stroke_width_mm = 0.26;
    double size_mm = 2.0;            // markers
};

struct Category {
    std::string value;  // the attribute value
    std::string label;  // the legend label
    Symbol symbol;
};

// Single symbol when `field` is empty; otherwise categorized by `field`, with `symbol` for
// values that are not listed.
struct LayerStyle {
    std::string name;    // style name ("planmap coverage")
    std::string title;   // legend title
    std::string field;
    Symbol symbol;
    std::vector<Category> categories;
    std::optional<LabelSymbolizer> label;  // of a rule the layer's features match, else the first one it can show
};

// The style planmap gives a layer it writes (by layer name and fields); nullopt when it has none.
std::optional<LayerStyle> layer_style(const layers::Layer& layer);
// Layer names in drawing order (bottom first) for the maps of an analysis ("coverage", "lifecircle").
std::vector<std::string> map_order(const std::string& kind);

// Chinese display names for the fields planmap writes (the field's own alias first).
std::string field_alias(const layers::Field& field);

// Text escaped for XML and HTML (& < > " ').
std::string xml_escape(const std::string& text);

// "polygon", "line" or "point" for a layer geometry type name.
std::string symbol_kind(const std::string& geometry_type);

std::string to_qml(const LayerStyle& style, const layers::Layer& layer);
std::string to_sld(const LayerStyle& style, const layers::Layer& layer);

// The layer_styles row for a layer (for layers::WriteOptions::styles).
std::optional<layers::QgisStyle> qgis_style(const layers::Layer& layer);
// The same from a given style (one a run made for its layer): categories of one field, or one
// symbol; the shipped style for the layer when `style` cannot express it.
std::optional<layers::QgisStyle> qgis_style_from(const Style& style, const layers::Layer& layer);

}  // namespace planmap::styles
