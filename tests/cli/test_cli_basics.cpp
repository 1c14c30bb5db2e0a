#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace planmap;

TEST(Cli, HelpAndVersion) {
    auto h = test::run({"--help"});
    EXPECT_EQ(h.code, 0);
    EXPECT_NE(h.out.find("convert"), std::string::npos);
    EXPECT_NE(h.out.find("info"), std::string::npos);
    auto v = test::run({"--version"});
    EXPECT_EQ(v.code, 0);
    EXPECT_NE(v.out.find("planmap "), std::string::npos);
    auto sub = test::run({"info", "--help"});
    EXPECT_EQ(sub.code, 0);
    EXPECT_NE(sub.out.find("--json"), std::string::npos);
}

TEST(Cli, UsageErrorsExitWithTwo) {
    EXPECT_EQ(test::run({}).code, 2);
    EXPECT_EQ(test::run({"no-such-command"}).code, 2);
    EXPECT_EQ(test::run({"info"}).code, 2);
    auto r = test::run({"info", "x", "--no-such-option"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--no-such-option"), std::string::npos);
}

TEST(Cli, InfoJsonOnGbkShapefileWithoutCpg) {
    const auto shp = ::planmap::test::fixture("gbk/nocpg/taizhou_gbk.shp");
    auto r = test::run({"info", shp.string(), "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["layers"].size(), 1u);
    auto l = j["layers"][0];
    std::string enc = l["encoding"];
    EXPECT_TRUE(enc == "CP936" || enc == "GB18030" || enc == "GBK") << enc;
    EXPECT_EQ(l["feature_count"], 9);
    for (const char* key : {"name", "geometry_type", "crs", "extent", "invalid_geometries", "fields"})
        EXPECT_TRUE(l.contains(key)) << key;
    EXPECT_EQ(l["extent"].size(), 4u);
    EXPECT_EQ(l["fields"][0]["name"], "name");
}

TEST(Cli, InfoReportsEpsgCodeAndRepairs) {
    const auto json = ::planmap::test::fixture("boundaries/pingliang.geojson");
    auto r = test::run({"info", json.string(), "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto l = nlohmann::json::parse(r.out)["layers"][0];
    EXPECT_EQ(l["crs"], "EPSG:4326");
    EXPECT_EQ(l["invalid_geometries"], 3);
    EXPECT_EQ(l["notes"].size(), 3u);
}

TEST(Cli, ConvertToAutoMetricCrsChoosesGaussKruger) {
    const auto json = ::planmap::test::fixture("boundaries/taizhou.geojson");
    test::TempDir tmp;
    auto r = test::run({"convert", json.string(), (tmp / "m.gpkg").string(), "--s-crs", "GCJ02", "--t-crs", "auto"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto i = test::run({"info", (tmp / "m.gpkg").string(), "--json"});
    EXPECT_EQ(nlohmann::json::parse(i.out)["layers"][0]["crs"], "EPSG:4549");
}
