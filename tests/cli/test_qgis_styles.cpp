// QGIS-ready GeoPackages: every GeoPackage planmap writes has a `layer_styles` table in QGIS's
// schema, with QML (renderer, colours, Chinese field aliases) and SLD made from planmap's styles.
#include <gtest/gtest.h>

#include <cpl_minixml.h>
#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

#include "layers/gdal.hpp"
#include "layers/io.hpp"
#include "styles/qgis.hpp"
#include "styles/style.hpp"
#include "tests/support.hpp"

using namespace planmap;

namespace {

std::pair<int, std::string> capture(const std::string& cmd) { return test::shell(cmd, true); }

struct XmlDeleter {
    void operator()(CPLXMLNode* n) const { CPLDestroyXMLNode(n); }
};
using Xml = std::unique_ptr<CPLXMLNode, XmlDeleter>;

struct StyleRow {
    std::string qml, sld, name;
    bool is_default = false;
};

// The layer_styles rows of a GeoPackage, by table name, read back through GDAL.
std::map<std::string, StyleRow> styles_of(const std::string& gpkg) {
    layers::ReadOptions ro;
    ro.layer = "layer_styles";
    auto l = layers::read_layer(gpkg, ro);
    std::map<std::string, StyleRow> out;
    for (std::size_t i = 0; i < l.size(); ++i)
        out[layers::value_to_string(l.value(i, "f_table_name"))] = {
            layers::value_to_string(l.value(i, "styleQML")), layers::value_to_string(l.value(i, "styleSLD")),
            layers::value_to_string(l.value(i, "styleName")), layers::value_to_string(l.value(i, "useAsDefault")) == "1"};
    return out;
}

Xml parse(const std::string& text) { return Xml(CPLParseXMLString(text.c_str())); }

const CPLXMLNode* renderer(const Xml& qml) {
    const CPLXMLNode* q = CPLGetXMLNode(qml.get(), "=qgis");
    return q ? CPLGetXMLNode(q, "renderer-v2") : nullptr;
}

// The first SimpleFill colour of the renderer's symbols (QGIS "r,g,b,a").
std::string first_fill(const CPLXMLNode* r) {
    const CPLXMLNode* symbols = CPLGetXMLNode(r, "symbols");
    const CPLXMLNode* sym = symbols ? CPLGetXMLNode(symbols, "symbol") : nullptr;
    const CPLXMLNode* layer = sym ? CPLGetXMLNode(sym, "layer") : nullptr;
    const CPLXMLNode* map = layer ? CPLGetXMLNode(layer, "Option") : nullptr;
    for (const CPLXMLNode* o = map ? map->psChild : nullptr; o; o = o->psNext)
        if (o->eType == CXT_Element && std::string(CPLGetXMLValue(o, "name", "")) == "color") return CPLGetXMLValue(o, "value", "");
    return {};
}

std::map<std::string, std::string> aliases(const Xml& qml) {
    std::map<std::string, std::string> out;
    const CPLXMLNode* a = CPLGetXMLNode(qml.get(), "=qgis.aliases");
    for (const CPLXMLNode* n = a ? a->psChild : nullptr; n; n = n->psNext)
        if (n->eType == CXT_Element) out[CPLGetXMLValue(n, "field", "")] = CPLGetXMLValue(n, "name", "");
    return out;
}

}  // namespace

TEST(QgisStyles, CoverageGeoPackageCarriesStylesSeenByOgrinfo) {
    test::TempDir tmp;
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "200", "--seed", "9", "-o", city, "-q"}).code, 0);
    ASSERT_EQ(test::run({"coverage", "--facilities", city + ":parks", "--residential", city + ":residential", "--radius", "300",
                         "-o", (tmp / "out").string(), "-q"})
                  .code,
              0);
    auto gpkg = (tmp / "out" / "coverage.gpkg").string();
    // ogrinfo (GDAL's own tool) lists the table and reads its rows.
    auto [rc, list] = capture("ogrinfo -ro -q " + gpkg);
    if (rc == 127) GTEST_SKIP() << "ogrinfo not installed";
    ASSERT_EQ(rc, 0) << list;
    EXPECT_NE(list.find("layer_styles"), std::string::npos) << list;
    auto [rc2, rows] = capture("ogrinfo -ro -q " + gpkg + " -sql \"SELECT f_table_name, useAsDefault FROM layer_styles\"");
    ASSERT_EQ(rc2, 0) << rows;
    for (const char* t : {"service_areas", "covered", "uncovered", "parcels", "facilities"})
        EXPECT_NE(rows.find(std::string("f_table_name (String) = ") + t), std::string::npos) << rows;

    auto st = styles_of(gpkg);
    ASSERT_EQ(st.size(), 5u);
    for (const auto& [table, row] : st) {
        EXPECT_TRUE(row.is_default) << table;
        auto qml = parse(row.qml);
        ASSERT_TRUE(qml) << table << ": QML is not XML";
        const auto* r = renderer(qml);
        ASSERT_NE(r, nullptr) << table;
        // The facilities are categorized by the class the sheet draws (the run's own style).
        EXPECT_STREQ(CPLGetXMLValue(r, "type", ""), table == "facilities" ? "categorizedSymbol" : "singleSymbol") << table;
        if (table == "facilities") {
            EXPECT_STREQ(CPLGetXMLValue(r, "attr", ""), "map_class");
            EXPECT_NE(row.qml.find("label=\"设施 facilities · 服务半径 radius 300 m\""), std::string::npos) << row.qml;
        }
        auto sld = parse(row.sld);
        ASSERT_TRUE(sld) << table << ": SLD is not XML";
        EXPECT_NE(CPLGetXMLNode(sld.get(), "=StyledLayerDescriptor"), nullptr) << table;
    }
    // planmap's colours: covered green, uncovered orange; Chinese aliases on the parcels.
    // The colours are those of the shipped coverage style (styles/data/coverage.toml).
    auto coverage = styles::load_style(styles::resolve_style("coverage", "."));
    auto fill_of = [&](const std::string& layer) {
        for (const auto& r : coverage.rules)
            for (const auto& c : r.filter.conditions)
                if (c.field == "$layer" && c.values.front() == layer && r.fill) {
                    auto b = [](double v) { return std::to_string(static_cast<int>(std::lround(v * 255))); };
                    return std::make_pair(b(r.fill->color.r) + "," + b(r.fill->color.g) + "," + b(r.fill->color.b) + "," +
                                              b(r.fill->color.a * r.fill->opacity),
                                          r.fill->color.hex());
                }
        return std::make_pair(std::string("?"), std::string("?"));
    };
    EXPECT_EQ(first_fill(renderer(parse(st["covered"].qml))), fill_of("covered").first);
    EXPECT_EQ(first_fill(renderer(parse(st["uncovered"].qml))), fill_of("uncovered").first);
    EXPECT_NE(st["covered"].sld.find("<se:SvgParameter name=\"fill\">" + fill_of("covered").second + "</se:SvgParameter>"),
              std::string::npos)
        << st["covered"].sld;
    auto al = aliases(parse(st["parcels"].qml));
    EXPECT_EQ(al["covered_m2"], "覆盖面积");
    EXPECT_EQ(al["covered_share"], "覆盖比例");
    EXPECT_EQ(al["population"], "人口");
    // The style table is metadata: reading the GeoPackage gives the data layers only.
    EXPECT_EQ(layers::read(gpkg).layers.size(), 5u);
}

TEST(QgisStyles, PlanLayersAreCategorizedByKindAndLifeCirclesByLevel) {
    test::TempDir tmp;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer axis("axis", {{"id", layers::FieldType::string, ""}, {"kind", layers::FieldType::string, ""},
                                {"name_zh", layers::FieldType::string, ""}},
                       crs, "LineString");
    axis.add({-1, geo::make_linestring({{620000, 3160000}, {621000, 3161000}}), {std::string("a1"), std::string("axis"),
                                                                               std::string("发展主轴")}});
    auto json_in = (tmp / "axis.geojson").string();
    layers::write(axis, json_in);
    auto out = (tmp / "axis.gpkg").string();
    auto r = test::run({"convert", json_in, out, "-q"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto st = styles_of(out);
    ASSERT_EQ(st.count("axis"), 1u);
    auto qml = parse(st["axis"].qml);
    const auto* rend = renderer(qml);
    ASSERT_NE(rend, nullptr);
    EXPECT_STREQ(CPLGetXMLValue(rend, "type", ""), "categorizedSymbol");
    EXPECT_STREQ(CPLGetXMLValue(rend, "attr", ""), "kind");
    EXPECT_STREQ(CPLGetXMLValue(CPLGetXMLNode(rend, "symbols.symbol"), "type", ""), "line");
    EXPECT_NE(st["axis"].qml.find("<category value=\"axis\""), std::string::npos);
    EXPECT_EQ(aliases(qml)["name_zh"], "中文名称");
    EXPECT_NE(st["axis"].sld.find("<ogc:Literal>axis</ogc:Literal>"), std::string::npos);

    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "100", "-o", city, "-q"}).code, 0);
    ASSERT_EQ(test::run({"lifecircle", "--facilities", city + ":facilities", "--residential", city + ":residential", "-o",
                         (tmp / "lc").string(), "-q"})
                  .code,
              0);
    auto lc = styles_of((tmp / "lc" / "lifecircle.gpkg").string());
    auto lq = parse(lc["parcels"].qml);
    EXPECT_STREQ(CPLGetXMLValue(renderer(lq), "attr", ""), "level_met");
    EXPECT_EQ(aliases(lq)["level_met"], "达标生活圈");
}
