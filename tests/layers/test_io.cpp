#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include "core/error.hpp"
#include "layers/io.hpp"
#include "tests/support.hpp"

using namespace planmap;
using namespace planmap::layers;
namespace fs = std::filesystem;

namespace {
std::set<std::string> names_of(const Layer& l) {
    std::set<std::string> out;
    for (std::size_t i = 0; i < l.size(); ++i) out.insert(value_to_string(l.value(i, "name")));
    return out;
}
}  // namespace

TEST(Io, ReadsGbkShapefilesInAllThreeVariants) {
    const auto dir = ::planmap::test::fixture("gbk");
    for (const char* rel : {"taizhou_gbk.shp", "ldid/taizhou_gbk.shp", "nocpg/taizhou_gbk.shp"}) {
        SCOPED_TRACE(rel);
        Layer l = read_layer((dir / rel).string());
        EXPECT_EQ(l.size(), 9u);
        auto names = names_of(l);
        EXPECT_TRUE(names.count("椒江区"));
        EXPECT_TRUE(names.count("路桥区"));
    }
}

TEST(Io, PingliangBoundariesImportWithThreeRepairs) {
    const auto json = ::planmap::test::fixture("boundaries/pingliang.geojson");
    Layer l = read_layer(json.string());
    EXPECT_EQ(l.size(), 7u);
    EXPECT_EQ(l.invalid_geometries, 3u);
    ASSERT_EQ(l.notes.size(), 3u);
    for (const auto& n : l.notes) {
        EXPECT_EQ(n.action, "repaired");
        EXPECT_FALSE(n.reason.empty());
    }
    for (const auto& f : l.features()) EXPECT_TRUE(geo::is_valid(f.geometry.get()));
}

TEST(Io, ShapefileOutputHasCpgAndShortenedChineseFieldNames) {
    test::TempDir tmp;
    Layer l("区划", {{"行政区划名称", FieldType::string, ""}, {"行政区划代码", FieldType::integer, ""}, {"name", FieldType::string, ""}},
            geo::Crs::from_epsg(4490), "Point");
    Feature f;
    f.geometry = geo::make_point(121.4, 28.6);
    f.values = {std::string("椒江区"), std::int64_t{331002}, std::string("Jiaojiang")};
    l.add(std::move(f));
    auto report = write(l, (tmp / "out.shp").string());
    EXPECT_TRUE(fs::exists(tmp / "out.cpg"));
    EXPECT_EQ(test::read_file(tmp / "out.cpg").substr(0, 5), "UTF-8");
    ASSERT_EQ(report.renamed_fields.size(), 2u);
    EXPECT_NE(report.renamed_fields[0].first, report.renamed_fields[1].first);
    for (const auto& [s, o] : report.renamed_fields) EXPECT_LE(s.size(), 10u);
    ASSERT_TRUE(fs::exists(report.field_map_path));
    EXPECT_NE(test::read_file(report.field_map_path).find("行政区划名称"), std::string::npos);
    Layer back = read_layer((tmp / "out.shp").string());
    EXPECT_EQ(value_to_string(back.value(0, report.renamed_fields[0].first)), "椒江区");
}

TEST(Io, FieldNameShorteningAvoidsCollisions) {
    auto out = shorten_field_names({"population_2020", "population_2035", "population_20", "area"});
    std::set<std::string> unique(out.begin(), out.end());
    EXPECT_EQ(unique.size(), 4u);
    for (const auto& s : out) EXPECT_LE(s.size(), 10u);
    EXPECT_EQ(out[3], "area");
}

TEST(Io, ReadsCsvWithLonLatColumns) {
    test::TempDir tmp;
    std::ofstream(tmp / "p.csv") << "name,lon,lat\n公园,121.4,28.6\n学校,121.5,28.7\n";
    Layer l = read_layer((tmp / "p.csv").string());
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(geo::geometry_type(l.features()[0].geometry.get()), "Point");
    EXPECT_EQ(value_to_string(l.value(1, "name")), "学校");
}

TEST(Io, WriteFailureLeavesNothingBehind) {
    test::TempDir tmp;
    Layer l("x", {}, geo::Crs::from_epsg(4490), "Point");
    EXPECT_THROW(write(l, (tmp / "missing" / "out.gpkg").string()), io_error);
    Dataset two;
    two.layers.push_back(Layer("a", {}, std::nullopt, "Point"));
    two.layers.push_back(Layer("b", {}, std::nullopt, "Point"));
    EXPECT_THROW(write(two, (tmp / "two.geojson").string()), usage_error);
    EXPECT_TRUE(test::list_files(tmp.path()).empty());
}

TEST(Io, QgisStylesAreWrittenOnlyWhenAskedFor) {
    test::TempDir tmp;
    Layer l("parks", {{"name", FieldType::string, ""}}, geo::Crs::from_epsg(4549), "Point");
    l.add({-1, geo::make_point(620000, 3160000), {std::string("公园")}});
    auto plain = (tmp / "plain.gpkg").string(), styled = (tmp / "styled.gpkg").string();
    write(l, plain);
    WriteOptions wo;
    wo.styles = [](const Layer& layer) { return QgisStyle{"planmap " + layer.name(), "<qgis/>", "<sld/>", "test"}; };
    write(l, styled, wo);
    ReadOptions ro;
    ro.layer = "layer_styles";
    EXPECT_THROW(read_layer(plain, ro), error);
    Layer rows = read_layer(styled, ro);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(value_to_string(rows.value(0, "f_table_name")), "parks");
    EXPECT_EQ(value_to_string(rows.value(0, "styleName")), "planmap parks");
    EXPECT_EQ(read(styled).layers.size(), 1u);  // the style table is not a data layer
}

TEST(Io, GeoPackageRoundTripKeepsTypesAndCrs) {
    test::TempDir tmp;
    Layer l("parcels", {{"pop", FieldType::integer, "人口"}, {"area", FieldType::real, ""}, {"名称", FieldType::string, ""}},
            geo::Crs::from_epsg(4549), "Polygon");
    Feature f;
    f.geometry = geo::from_wkt("POLYGON((0 0,100 0,100 100,0 100,0 0))");
    f.values = {std::int64_t{1200}, 1.5, std::string("一号地块")};
    l.add(std::move(f));
    write(l, (tmp / "p.gpkg").string());
    Layer back = read_layer((tmp / "p.gpkg").string());
    EXPECT_EQ(back.crs()->label(), "EPSG:4549");
    EXPECT_EQ(back.fields()[0].type, FieldType::integer);
    EXPECT_EQ(std::get<std::int64_t>(back.features()[0].values[0]), 1200);
    EXPECT_DOUBLE_EQ(std::get<double>(back.features()[0].values[1]), 1.5);
    EXPECT_EQ(value_to_string(back.value(0, "名称")), "一号地块");
    EXPECT_DOUBLE_EQ(geo::area(back.features()[0].geometry.get()), 10000.0);
}
