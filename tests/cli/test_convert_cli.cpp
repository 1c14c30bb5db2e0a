// The convert command: GBK shapefiles to GeoJSON keeping the Chinese names, and GCJ-02 to
// CGCS2000 moving features by the expected offset.
#include <gtest/gtest.h>

#include <cmath>

#include "layers/io.hpp"
#include "tests/support.hpp"

using namespace planmap;
using namespace planmap::layers;

TEST(Io, ConvertGbkToGeoJsonKeepsChineseNames) {
    const auto shp = ::planmap::test::fixture("gbk/nocpg/taizhou_gbk.shp");
    test::TempDir tmp;
    auto before = test::fingerprint(shp.parent_path());
    auto r = test::run({"convert", shp.string(), (tmp / "t.geojson").string(), "--s-crs", "GCJ02", "--t-crs", "EPSG:4490"});
    ASSERT_EQ(r.code, 0) << r.err;
    std::string text = test::read_file(tmp / "t.geojson");
    EXPECT_NE(text.find("椒江区"), std::string::npos);
    EXPECT_NE(text.find("路桥区"), std::string::npos);
    EXPECT_EQ(test::fingerprint(shp.parent_path()), before) << "input changed";
    EXPECT_EQ(test::list_files(tmp.path()), std::vector<std::string>{"t.geojson"});
}

TEST(Io, GcjToCgcs2000MovesJiaojiangBy400To600Metres) {
    const auto json = ::planmap::test::fixture("boundaries/taizhou.geojson");
    test::TempDir tmp;
    auto r = test::run({"convert", json.string(), (tmp / "out.gpkg").string(), "--s-crs", "GCJ02", "--t-crs", "EPSG:4490"});
    ASSERT_EQ(r.code, 0) << r.err;
    ReadOptions raw_coords;
    raw_coords.source_crs = geo::Crs::parse("EPSG:4490");
    Layer gcj = read_layer(json.string(), raw_coords);
    Layer cgcs = read_layer((tmp / "out.gpkg").string());
    ASSERT_TRUE(cgcs.crs());
    EXPECT_EQ(cgcs.crs()->label(), "EPSG:4490");
    auto metric = geo::Crs::from_epsg(4549);
    gcj.reproject(metric);
    cgcs.reproject(metric);
    for (std::size_t i = 0; i < gcj.size(); ++i) {
        if (value_to_string(gcj.value(i, "name")) != "椒江区") continue;
        auto a = geo::centroid(gcj.features()[i].geometry.get());
        auto b = geo::centroid(cgcs.features()[i].geometry.get());
        auto ea = geo::envelope(a.get()), eb = geo::envelope(b.get());
        double d = std::hypot(ea.minx - eb.minx, ea.miny - eb.miny);
        EXPECT_GT(d, 400);
        EXPECT_LT(d, 600);
        return;
    }
    FAIL() << "椒江区 not found";
}
