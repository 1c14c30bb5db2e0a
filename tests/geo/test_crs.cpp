#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>

#include "geo/china_coords.hpp"
#include "geo/crs.hpp"
#include "core/error.hpp"
#include "tests/support.hpp"

using namespace planmap;
using namespace planmap::geo;

TEST(Crs, ParsesEpsgAndNames) {
    auto c = Crs::parse("EPSG:4490");
    EXPECT_EQ(c.label(), "EPSG:4490");
    EXPECT_TRUE(c.is_geographic());
    EXPECT_EQ(Crs::parse("4549").label(), "EPSG:4549");
    EXPECT_FALSE(Crs::parse("EPSG:4549").is_geographic());
    EXPECT_EQ(Crs::parse("gcj-02").label(), "GCJ02");
    EXPECT_EQ(Crs::parse("BD09").label(), "BD09");
}

TEST(Crs, ParsesWktAndPrjFiles) {
    auto wkt = Crs::from_epsg(4549).wkt();
    EXPECT_EQ(Crs::parse(wkt).label(), "EPSG:4549");
    test::TempDir tmp;
    // An ESRI-style .prj as ArcGIS writes it for CGCS2000.
    std::ofstream(tmp / "a.prj") << R"(GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]])";
    auto c = Crs::parse((tmp / "a.prj").string());
    EXPECT_EQ(c.label(), "EPSG:4490");
}

TEST(Crs, UnknownCrsIsAClearError) {
    try {
        Crs::parse("EPSG:999999");
        FAIL() << "no error";
    } catch (const crs_error& e) {
        EXPECT_NE(std::string(e.what()).find("EPSG:999999"), std::string::npos);
    }
    EXPECT_THROW(Crs::parse("not a crs"), crs_error);
}

TEST(Crs, AnalysisCrsIsGaussKrugerZoneInChinaAndUtmOutside) {
    EXPECT_EQ(analysis_crs_for(121.4, 28.6).label(), "EPSG:4549");  // Taizhou: CM 120°E
    EXPECT_EQ(analysis_crs_for(117.0, 36.6).label(), "EPSG:4548");  // Jinan: CM 117°E
    EXPECT_EQ(analysis_crs_for(106.7, 35.5).label(), "EPSG:4545");  // Pingliang: CM 105°E
    EXPECT_EQ(analysis_crs_for(7.42, 43.73).label(), "EPSG:32632");  // Monaco: UTM 32N
}

TEST(Crs, AxisOrderIsLonLatAndEastingNorthing) {
    Transformer t(Crs::from_epsg(4490), Crs::from_epsg(4549));
    double x = 121.44, y = 28.68;
    t.transform_point(x, y);
    // Easting near the 500 km false easting + ~141 km east of 120°E; northing ~3.17e6.
    EXPECT_NEAR(x, 643000, 3000);
    EXPECT_NEAR(y, 3174000, 5000);
}

// PROJ's own cs2cs (lat-first CGCS2000 in, northing-first out) must agree once the axes are swapped.
TEST(Crs, AgreesWithCs2cs) {
    if (std::system("command -v cs2cs >/dev/null 2>&1") != 0) GTEST_SKIP() << "cs2cs (proj-bin) not installed";
    std::array<std::pair<double, double>, 3> pts{{{121.44, 28.68}, {120.65, 28.0}, {121.95, 29.3}}};
    Transformer t(Crs::from_epsg(4490), Crs::from_epsg(4549));
    for (auto [lon, lat] : pts) {
        std::string cmd = "echo '" + std::to_string(lat) + " " + std::to_string(lon) + "' | cs2cs -f %.6f EPSG:4490 EPSG:4549";
        std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
        ASSERT_TRUE(p);
        double northing = 0, easting = 0;
        ASSERT_EQ(std::fscanf(p.get(), "%lf %lf", &northing, &easting), 2);
        double x = lon, y = lat;
        t.transform_point(x, y);
        EXPECT_NEAR(x, easting, 1e-3);
        EXPECT_NEAR(y, northing, 1e-3);
    }
}

TEST(Crs, GcjPseudoCrsChainsThroughWgs84) {
    Transformer t(Crs::parse("GCJ02"), Crs::from_epsg(4490));
    LonLat w{121.44, 28.68};
    LonLat g = wgs84_to_gcj02(w);
    double x = g.lon, y = g.lat;
    t.transform_point(x, y);
    EXPECT_NEAR(x, w.lon, 1e-7);
    EXPECT_NEAR(y, w.lat, 1e-7);
    Transformer back(Crs::from_epsg(4490), Crs::parse("BD09"));
    double bx = w.lon, by = w.lat;
    back.transform_point(bx, by);
    LonLat bd = wgs84_to_bd09(w);
    EXPECT_NEAR(bx, bd.lon, 1e-9);
    EXPECT_NEAR(by, bd.lat, 1e-9);
}

TEST(Crs, LegacyDatumWithoutShiftWarns) {
    Transformer t(Crs::from_epsg(4214), Crs::from_epsg(4490));  // Beijing 1954 → CGCS2000
    ASSERT_FALSE(t.warnings().empty());
    EXPECT_NE(t.warnings().front().find("Beijing 1954"), std::string::npos);
    Transformer ok(Crs::from_epsg(4326), Crs::from_epsg(4490));
    EXPECT_TRUE(ok.warnings().empty());
}
