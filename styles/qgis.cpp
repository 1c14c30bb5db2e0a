#include "styles/qgis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "styles/style.hpp"

namespace planmap::styles {

namespace {

Color rgb(const char* hex, double alpha = 1.0) {
    Color c = parse_color(hex).value_or(Color{});
    c.a = alpha;
    return c;
}

Symbol fill(const char* fill_hex, double fill_alpha, const char* stroke_hex, double width = 0.26) {
    return {rgb(fill_hex, fill_alpha), rgb(stroke_hex), width, 2.0};
}

std::string qgis_color(const Color& c) {
    auto b = [](double v) { return std::to_string(static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255))); };
    return b(c.r) + "," + b(c.g) + "," + b(c.b) + "," + b(c.a);
}

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

void qml_option(std::ostringstream& o, const std::string& name, const std::string& value) {
    o << "          <Option type=\"QString\" name=\"" << name << "\" value=\"" << xml_escape(value) << "\"/>\n";
}

void qml_symbol(std::ostringstream& o, const Symbol& s, const std::string& kind, const std::string& name) {
    std::string type = kind == "point" ? "marker" : kind == "line" ? "line" : "fill";
    o << "      <symbol type=\"" << type << "\" name=\"" << name
      << "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
    if (kind == "point") {
        o << "        <layer class=\"SimpleMarker\" enabled=\"1\" pass=\"0\" locked=\"0\">\n        <Option type=\"Map\">\n";
        qml_option(o, "color", qgis_color(s.fill.a > 0 ? s.fill : s.stroke));
        qml_option(o, "outline_color", qgis_color(s.stroke));
        qml_option(o, "outline_width", num(s.stroke_width_mm));
        qml_option(o, "outline_width_unit", "MM");
        qml_option(o, "name", "circle");
        qml_option(o, "size", num(s.size_mm));
        qml_option(o, "size_unit", "MM");
    } else if (kind == "line") {
        o << "        <layer class=\"SimpleLine\" enabled=\"1\" pass=\"0\" locked=\"0\">\n        <Option type=\"Map\">\n";
        qml_option(o, "line_color", qgis_color(s.stroke));
        qml_option(o, "line_width", num(s.stroke_width_mm));
        qml_option(o, "line_width_unit", "MM");
        qml_option(o, "line_style", "solid");
    } else {
        o << "        <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">\n        <Option type=\"Map\">\n";
        qml_option(o, "color", qgis_color(s.fill));
        qml_option(o, "style", s.fill.a > 0 ? "solid" : "no");
        qml_option(o, "outline_color", qgis_color(s.stroke));
        qml_option(o, "outline_style", "solid");
        qml_option(o, "outline_width", num(s.stroke_width_mm));
        qml_option(o, "outline_width_unit", "MM");
    }
    o << "        </Option>\n        </layer>\n      </symbol>\n";
}

void sld_symbolizer(std::ostringstream& o, const Symbol& s, const std::string& kind) {
    auto stroke = [&] {
        o << "            <se:Stroke>\n              <se:SvgParameter name=\"stroke\">" << s.stroke.hex().substr(0, 7)
          << "</se:SvgParameter>\n              <se:SvgParameter name=\"stroke-opacity\">" << num(s.stroke.a)
          << "</se:SvgParameter>\n              <se:SvgParameter name=\"stroke-width\">" << num(s.stroke_width_mm * 3.78)
          << "</se:SvgParameter>\n            </se:Stroke>\n";
    };
    auto fill = [&](const Color& c) {
        o << "            <se:Fill>\n              <se:SvgParameter name=\"fill\">" << c.hex().substr(0, 7)
          << "</se:SvgParameter>\n              <se:SvgParameter name=\"fill-opacity\">" << num(c.a)
          << "</se:SvgParameter>\n            </se:Fill>\n";
    };
    if (kind == "point") {
        o << "          <se:PointSymbolizer>\n            <se:Graphic>\n            <se:Mark>\n              "
             "<se:WellKnownName>circle</se:WellKnownName>\n";
        fill(s.fill.a > 0 ? s.fill : s.stroke);
        stroke();
        o << "            </se:Mark>\n            <se:Size>" << num(s.size_mm * 3.78)
          << "</se:Size>\n            </se:Graphic>\n          </se:PointSymbolizer>\n";
    } else if (kind == "line") {
        o << "          <se:LineSymbolizer>\n";
        stroke();
        o << "          </se:LineSymbolizer>\n";
    } else {
        o << "          <se:PolygonSymbolizer>\n";
        if (s.fill.a > 0) fill(s.fill);
        stroke();
        o << "          </se:PolygonSymbolizer>\n";
    }
}

}  // namespace

std::string xml_escape(const std::string& s) {
    std::string o;
    for (char c : s) switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            case '\'': o += "&apos;"; break;
            default: o += c;
        }
    return o;
}

std::string symbol_kind(const std::string& t) {
    if (t.find("Point") != std::string::npos) return "point";
    if (t.find("LineString") != std::string::npos) return "line";
    return "polygon";
}

std::string field_alias(const layers::Field& f) {
    if (!f.alias.empty()) return f.alias;
    static const std::map<std::string, std::string> zh = {
        {"id", "编号"},           {"kind", "类型"},           {"name", "名称"},          {"name_zh", "中文名称"},
        {"name_en", "英文名称"},  {"parent", "上级要素"},     {"precision", "精度"},     {"source_ref", "资料出处"},
        {"inferred", "推断"},     {"area_m2", "面积(平方米)"}, {"parcel_fid", "地块编号"}, {"covered_m2", "覆盖面积"},
        {"uncovered_m2", "未覆盖面积"}, {"covered_share", "覆盖比例"}, {"population", "人口"}, {"zone", "分区"},
        {"type", "设施类型"},     {"land_use", "用地性质"},   {"block", "街区"},         {"adcode", "行政区划代码"},
        {"level_met", "达标生活圈"}, {"missing", "缺少设施"}, {"covered_population", "覆盖人口"}};
    auto it = zh.find(f.name);
    return it == zh.end() ? std::string() : it->second;
}

namespace {

// A style rule as a QGIS symbol: fill (with its opacity), outline or line, marker.
Symbol symbol_of(const Rule& r) {
    Symbol s;
    if (r.fill) {
        s.fill = r.fill->color;
        s.fill.a *= r.fill->opacity;
    }
    if (r.line) {
        s.stroke = r.line->color;
        s.stroke.a *= r.line->opacity;
        s.stroke_width_mm = r.line->width_mm;
    } else if (r.arrow) {
        s.stroke = r.arrow->color;
        s.stroke.a *= r.arrow->opacity;
        s.stroke_width_mm = r.arrow->end_width_mm;
    } else if (r.fill) {
        s.stroke = Color{0, 0, 0, 0};
        s.stroke_width_mm = 0;
    }
    if (r.marker) {
        s.fill = r.marker->fill;
        s.stroke = r.marker->stroke;
        s.stroke_width_mm = r.marker->stroke_width_mm;
        s.size_mm = r.marker->size_mm;
    }
    return s;
}

// The rules of `style` that can apply to `layer` ($layer conditions checked), as a QGIS style:
// one rule without other conditions gives a single symbol; rules on one field with equality or
// membership give categories; an `otherwise` rule gives the symbol for other values.
std::optional<LayerStyle> from_style(const Style& style, const layers::Layer& layer) {
    LayerStyle out;
    out.name = "planmap " + style.name;
    out.title = style.name;
    bool single = false, fallback = false, label_drawn = false;
    // Whether some feature of the layer has a value named by the rule's first field condition (eq/in).
    auto drawn = [&layer](const Rule& r) {
        for (const auto& c : r.filter.conditions) {
            if (c.field == "$layer") continue;
            if ((c.op != Condition::Op::eq && c.op != Condition::Op::in) || layer.field_index(c.field) < 0) return false;
            for (std::size_t i = 0; i < layer.size(); ++i)
                if (std::find(c.values.begin(), c.values.end(), layers::value_to_string(layer.value(i, c.field))) != c.values.end())
                    return true;
            return false;
        }
        return false;
    };
    for (const auto& r : style.rules) {
        std::vector<const Condition*> rest;
        bool applies = true;
        for (const auto& c : r.filter.conditions) {
            if (c.field != "$layer") {
                rest.push_back(&c);
                continue;
            }
            bool named = std::find(c.values.begin(), c.values.end(), layer.name()) != c.values.end();
            if ((c.op != Condition::Op::eq && c.op != Condition::Op::in) || !named) applies = false;
        }
        if (!applies) continue;
        if (r.label && layer.field_index(r.label->field) >= 0 && (!out.label || (!label_drawn && drawn(r)))) {
            out.label = r.label;  // the label of a rule this layer's features match, else the first one
            label_drawn = drawn(r);
        }
        if (r.filter.otherwise) {
            out.symbol = symbol_of(r);
            fallback = true;
            continue;
        }
        if (rest.empty()) {  // the whole layer
            if (!single && out.categories.empty()) {
                out.symbol = symbol_of(r);
                if (!r.title.empty()) out.title = r.title;
                single = true;
            }
            continue;
        }
        const Condition& c = *rest.front();
        if (rest.size() != 1 || (c.op != Condition::Op::eq && c.op != Condition::Op::in) || layer.field_index(c.field) < 0 ||
            (!out.field.empty() && out.field != c.field))
            continue;  // not expressible as categories of one field: QGIS gets the other rules
        out.field = c.field;
        for (const auto& v : c.values) out.categories.push_back({v, r.title.empty() ? v : r.title, symbol_of(r)});
    }
    if (!out.categories.empty()) {
        if (!fallback) out.symbol = Symbol{{0.6, 0.6, 0.6, 0.5}, {0.3, 0.3, 0.3, 1}, 0.2, 2.0};
        return out;
    }
    if (single) {
        out.field.clear();
        return out;
    }
    return std::nullopt;
}

// Which shipped style a layer planmap writes is drawn with.
std::string style_name_for(const layers::Layer& l) {
    const std::string& n = l.name();
    if (l.field_index("level_met") >= 0) return "lifecircle";
    if (n == "service_areas" || n == "covered" || n == "uncovered" || (n == "parcels" && l.field_index("covered_share") >= 0))
        return "coverage";
    if (l.field_index("kind") >= 0) return "plan_structure";
    if (n == "sites" || n == "site_service_areas" || n == "newly_covered" || n == "still_uncovered" || n == "facilities_after")
        return "site";
    return {};
}

}  // namespace

std::optional<LayerStyle> layer_style(const layers::Layer& l) {
    if (l.geometry_type() == "None") return std::nullopt;
    std::string kind = symbol_kind(l.geometry_type());
    if (auto name = style_name_for(l); !name.empty()) {
        try {
            auto st = from_style(load_style(resolve_style(name, ".")), l);
            if (st) return st;
        } catch (const std::exception&) {
            // The style files are not installed: the neutral symbol below still styles the layer.
        }
    }
    // Anything else: one neutral symbol for its geometry.
    Symbol s = kind == "polygon" ? fill("#8da0cb", 0.4, "#4a5a80") : kind == "line" ? fill("#4a5a80", 0.0, "#4a5a80", 0.5)
                                                                                   : fill("#4a5a80", 1.0, "#222222", 0.2);
    return LayerStyle{"planmap default", l.name(), "", s, {}, std::nullopt};
}

std::vector<std::string> map_order(const std::string& kind) {
    if (kind == "coverage") return {"parcels", "service_areas", "covered", "uncovered"};  // as styles/data/coverage.toml
    // As styles/data/site.toml and site_before.toml.
    if (kind == "site") return {"site_service_areas", "newly_covered", "still_uncovered", "facilities_after", "sites"};
    if (kind == "site_before") return {"newly_covered", "still_uncovered", "facilities_after"};
    return {"parcels"};
}

namespace {

// QGIS's simple labeling for a style's label: the field, font, colour and halo as the sheets draw
// them; polygons labelled over their centroid, lines along the line, points around the point.
void qml_labeling(std::ostringstream& o, const LabelSymbolizer& lb, const std::string& kind) {
    const int placement = kind == "polygon" ? 1 : kind == "line" ? 2 : 0;
    o << "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n"
      << "      <text-style fieldName=\"" << xml_escape(lb.field) << "\" isExpression=\"0\" fontFamily=\"" << xml_escape(lb.family)
      << "\" fontSize=\"" << lb.size_pt << "\" fontSizeUnit=\"Point\" fontWeight=\"" << (lb.bold ? 75 : 50)
      << "\" textColor=\"" << qgis_color(lb.color) << "\" textOpacity=\"1\">\n"
      << "        <text-buffer bufferDraw=\"" << (lb.halo_mm > 0 ? 1 : 0) << "\" bufferSize=\"" << lb.halo_mm
      << "\" bufferSizeUnits=\"MM\" bufferColor=\"" << qgis_color(lb.halo_color) << "\" bufferOpacity=\"1\"/>\n"
      << "      </text-style>\n"
      << "      <text-format wrapChar=\"\" autoWrapLength=\"0\" multilineAlign=\"3\"/>\n"
      << "      <placement placement=\"" << placement << "\" dist=\"" << lb.offset_mm
      << "\" distUnits=\"MM\" priority=\"" << std::clamp(lb.priority, 0, 10) << "\"/>\n"
      << "      <rendering obstacle=\"1\" displayAll=\"0\" upsidedownLabels=\"0\"/>\n"
      << "    </settings>\n  </labeling>\n";
}

}  // namespace

std::string to_qml(const LayerStyle& st, const layers::Layer& l) {
    std::string kind = symbol_kind(l.geometry_type());
    std::ostringstream o;
    o << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.28.0\" "
      << (st.label ? "labelsEnabled=\"1\" styleCategories=\"Symbology|Labeling|Fields\">\n" : "styleCategories=\"Symbology|Fields\">\n");
    if (st.field.empty()) {
        o << "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <symbols>\n";
        qml_symbol(o, st.symbol, kind, "0");
        o << "    </symbols>\n  </renderer-v2>\n";
    } else {
        o << "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" << xml_escape(st.field)
          << "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n";
        for (std::size_t c = 0; c < st.categories.size(); ++c)
            o << "      <category value=\"" << xml_escape(st.categories[c].value) << "\" symbol=\"" << c << "\" label=\""
              << xml_escape(st.categories[c].label) << "\" render=\"true\"/>\n";
        o << "      <category value=\"\" symbol=\"" << st.categories.size() << "\" label=\"other\" render=\"true\"/>\n";
        o << "    </categories>\n    <symbols>\n";
        for (std::size_t c = 0; c < st.categories.size(); ++c) qml_symbol(o, st.categories[c].symbol, kind, std::to_string(c));
        qml_symbol(o, st.symbol, kind, std::to_string(st.categories.size()));
        o << "    </symbols>\n    <source-symbol>\n";
        qml_symbol(o, st.symbol, kind, "0");
        o << "    </source-symbol>\n  </renderer-v2>\n";
    }
    if (st.label) qml_labeling(o, *st.label, kind);
    o << "  <aliases>\n";
    int index = 0;
    for (const auto& f : l.fields()) {
        o << "    <alias field=\"" << xml_escape(f.name) << "\" index=\"" << index++ << "\" name=\"" << xml_escape(field_alias(f)) << "\"/>\n";
    }
    o << "  </aliases>\n  <layerGeometryType>" << (kind == "point" ? 0 : kind == "line" ? 1 : 2) << "</layerGeometryType>\n</qgis>\n";
    return o.str();
}

std::string to_sld(const LayerStyle& st, const layers::Layer& l) {
    std::string kind = symbol_kind(l.geometry_type());
    std::ostringstream o;
    o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
         "xmlns:se=\"http://www.opengis.net/se\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" "
         "xsi:schemaLocation=\"http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
         "  <NamedLayer>\n    <se:Name>"
      << xml_escape(l.name()) << "</se:Name>\n    <UserStyle>\n      <se:Name>" << xml_escape(st.name)
      << "</se:Name>\n      <se:FeatureTypeStyle>\n";
    auto rule = [&](const std::string& name, const Symbol& s, const std::string* value) {
        o << "        <se:Rule>\n          <se:Name>" << xml_escape(name) << "</se:Name>\n";
        if (value)
            o << "          <ogc:Filter xmlns:ogc=\"http://www.opengis.net/ogc\">\n            <ogc:PropertyIsEqualTo>\n"
                 "              <ogc:PropertyName>"
              << xml_escape(st.field) << "</ogc:PropertyName>\n              <ogc:Literal>" << xml_escape(*value)
              << "</ogc:Literal>\n            </ogc:PropertyIsEqualTo>\n          </ogc:Filter>\n";
        else if (!st.field.empty())
            o << "          <se:ElseFilter/>\n";
        sld_symbolizer(o, s, kind);
        o << "        </se:Rule>\n";
    };
    for (const auto& c : st.categories) rule(c.label, c.symbol, &c.value);
    rule(st.field.empty() ? st.title : "other", st.symbol, nullptr);
    o << "      </se:FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n</StyledLayerDescriptor>\n";
    return o.str();
}

std::optional<layers::QgisStyle> qgis_style(const layers::Layer& layer) {
    auto st = layer_style(layer);
    if (!st) return std::nullopt;
    return layers::QgisStyle{st->name, to_qml(*st, layer), to_sld(*st, layer), st->title};
}

std::optional<layers::QgisStyle> qgis_style_from(const Style& style, const layers::Layer& layer) {
    if (layer.geometry_type() == "None") return std::nullopt;
    auto st = from_style(style, layer);
    if (!st) return qgis_style(layer);
    return layers::QgisStyle{st->name, to_qml(*st, layer), to_sld(*st, layer), st->title};
}

}  // namespace planmap::styles
