// CRS hints from coordinates: every EPSG code a hint can name is checked against PROJ (its name,
// and that its central meridian and false easting match the zone the coordinates carry), and
// places all over China projected by the textbook Gauss-Krüger definition come back as the code
// that puts them where they were.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "geo/china_coords.hpp"
#include "geo/crs.hpp"
#include "layers/crs_hints.hpp"
#include "layers/feature.hpp"

using namespace planmap;
using namespace planmap::layers;

namespace {

geo::Envelope around(double x, double y, double half = 500) { return {x - half, y - half, x + half, y + half, false}; }

// Where (x, y) in the CRS with this EPSG code lies in CGCS2000 longitude/latitude.
geo::LonLat to_lonlat(int epsg, double x, double y) {
    geo::Transformer(geo::Crs::from_epsg(epsg), geo::Crs::cgcs2000()).transform_point(x, y);
    return {x, y};
}

// PROJ's name of the code is the hint's name for it.
void expect_proj_name(int epsg, const std::string& name) {
    std::string def = geo::Crs::from_epsg(epsg).definition();
    EXPECT_NE(def.find("[\"" + name + "\""), std::string::npos) << "EPSG:" << epsg << " is not '" << name << "':\n"
                                                                 << def.substr(0, 120);
}

const char* kDatums[] = {"CGCS2000", "Xian 1980", "Beijing 1954"};

// The first three candidates are the zone's codes of CGCS2000, Xian 1980 and Beijing 1954, named
// as PROJ names them; (x, y), at the zone's false easting, lies on its central meridian.
void expect_zone_codes(const CrsHints& h, const std::string& family, int zone, double central_meridian, double x, double y) {
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& c = h.candidates[i];
        EXPECT_EQ(c.epsg, c.epsg_last);
        EXPECT_EQ(c.name, std::string(kDatums[i]) + family + std::to_string(zone));
        expect_proj_name(c.epsg, c.name);
        EXPECT_NEAR(to_lonlat(c.epsg, x, y).lon, central_meridian, 0.01) << c.code();
    }
}

// A place projected by the textbook definition (no EPSG table): zone-prefixed false easting.
std::pair<double, double> textbook_gk(double lon, double lat, int zone, double central_meridian) {
    auto crs = geo::Crs::parse("+proj=tmerc +lat_0=0 +lon_0=" + std::to_string(central_meridian) +
                               " +k=1 +x_0=" + std::to_string(zone * 1000000.0 + 500000) + " +y_0=0 +ellps=GRS80 +units=m +type=crs");
    double x = lon, y = lat;
    geo::Transformer(geo::Crs::cgcs2000(), crs).transform_point(x, y);
    return {x, y};
}

}  // namespace

TEST(CrsHints, ThreeDegreeZonePrefixedCodesMatchTheirZone) {
    for (int zone = 25; zone <= 45; ++zone) {
        double x = zone * 1e6 + 500000, y = 3.3e6;
        auto h = crs_hints(around(x, y));
        ASSERT_EQ(h.candidates.size(), 3u) << "zone " << zone;
        expect_zone_codes(h, " / 3-degree Gauss-Kruger zone ", zone, 3.0 * zone, x, y);
        EXPECT_NE(h.summary().find("Xian 1980 and Beijing 1954 differ from CGCS2000 by a datum shift"), std::string::npos);
    }
}

TEST(CrsHints, SixDegreeZonePrefixedCodesMatchTheirZone) {
    for (int zone = 13; zone <= 23; ++zone) {
        double x = zone * 1e6 + 500000, y = 4.1e6;
        auto h = crs_hints(around(x, y));
        ASSERT_GE(h.candidates.size(), 3u) << "zone " << zone;
        expect_zone_codes(h, " / Gauss-Kruger zone ", zone, 6.0 * zone - 3, x, y);
    }
}

TEST(CrsHints, EastingsWithoutZoneNameEveryCentralMeridian) {
    auto h = crs_hints(geo::Envelope{612000, 3150000, 640000, 3180000, false});
    ASSERT_EQ(h.candidates.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& c = h.candidates[i];
        ASSERT_EQ(c.epsg_last - c.epsg, 20) << c.code();  // 75°E … 135°E
        for (int k = 0; k <= 20; ++k) {
            int cm = 75 + 3 * k;
            expect_proj_name(c.epsg + k, std::string(kDatums[i]) + " / 3-degree Gauss-Kruger CM " + std::to_string(cm) + "E");
            EXPECT_NEAR(to_lonlat(c.epsg + k, 500000, 3.3e6).lon, cm, 0.01) << "EPSG:" << c.epsg + k;
        }
    }
    EXPECT_NE(h.summary().find("the central meridian is not in the coordinates"), std::string::npos) << h.summary();
}

TEST(CrsHints, PlacesAllOverChinaComeBackWhereTheyWere) {
    struct Place {
        const char* name;
        double lon, lat;
    };
    const Place places[] = {{"Taizhou", 121.42, 28.66}, {"Urumqi", 87.62, 43.83}, {"Harbin", 126.63, 45.75},
                            {"Sanya", 109.51, 18.25},   {"Lhasa", 91.11, 29.65},  {"Kashgar", 75.99, 39.47}};
    for (const auto& p : places) {
        int z3 = static_cast<int>(std::lround(p.lon / 3)), z6 = static_cast<int>(std::floor(p.lon / 6)) + 1;
        for (auto [zone, cm] : {std::pair{z3, 3.0 * z3}, std::pair{z6, 6.0 * z6 - 3}}) {
            auto [x, y] = textbook_gk(p.lon, p.lat, zone, cm);
            auto h = crs_hints(around(x, y));
            ASSERT_FALSE(h.empty()) << p.name << " zone " << zone;
            auto back = to_lonlat(h.candidates.front().epsg, x, y);
            EXPECT_NEAR(back.lon, p.lon, 1e-6) << p.name << " as " << h.candidates.front().code();
            EXPECT_NEAR(back.lat, p.lat, 1e-6) << p.name << " as " << h.candidates.front().code();
        }
        // Without the zone: the analysis CRS of the place (CGCS2000, by central meridian) is in the run.
        auto metric = geo::analysis_crs_for(p.lon, p.lat);
        double x = p.lon, y = p.lat;
        geo::Transformer(geo::Crs::cgcs2000(), metric).transform_point(x, y);
        auto h = crs_hints(around(x, y));
        ASSERT_FALSE(h.empty()) << p.name;
        EXPECT_GE(*metric.epsg(), h.candidates.front().epsg) << p.name;
        EXPECT_LE(*metric.epsg(), h.candidates.front().epsg_last) << p.name;
    }
}

TEST(CrsHints, LonLatInChinaIsCgcs2000OrWgs84WithGcj02Caution) {
    auto h = crs_hints(geo::Envelope{121.2, 28.5, 121.5, 28.7, false});
    ASSERT_EQ(h.candidates.size(), 2u);
    EXPECT_EQ(h.candidates[0].code(), "EPSG:4490");
    EXPECT_EQ(h.candidates[1].code(), "EPSG:4326");
    for (const auto& c : h.candidates) {
        EXPECT_TRUE(geo::Crs::from_epsg(c.epsg).is_geographic()) << c.code();
        expect_proj_name(c.epsg, c.name);
    }
    EXPECT_NE(h.summary().find("GCJ-02 (give GCJ02)"), std::string::npos) << h.summary();
    // Outside China: WGS 84 only, no GCJ-02.
    auto paris = crs_hints(geo::Envelope{2.2, 48.8, 2.4, 48.9, false});
    ASSERT_EQ(paris.candidates.size(), 1u);
    EXPECT_EQ(paris.candidates[0].code(), "EPSG:4326");
    EXPECT_EQ(paris.summary().find("GCJ"), std::string::npos);
}

TEST(CrsHints, WebMercatorOverChina) {
    double x = 121.42, y = 28.66;
    geo::Transformer(geo::Crs::wgs84(), geo::Crs::from_epsg(3857)).transform_point(x, y);
    auto h = crs_hints(around(x, y));
    ASSERT_FALSE(h.empty());
    EXPECT_EQ(h.candidates.back().code(), "EPSG:3857");
    expect_proj_name(3857, h.candidates.back().name);
}

TEST(CrsHints, NothingForNumbersThatFitNoChineseCrs) {
    EXPECT_TRUE(crs_hints(geo::Envelope{0, 0, 1000, 1000, false}).empty());               // local grid
    EXPECT_TRUE(crs_hints(around(24.5e6, 3.3e6)).empty());                                 // no zone 24
    EXPECT_TRUE(crs_hints(geo::Envelope{39.4e6, 3.3e6, 40.6e6, 3.4e6, false}).empty());   // two zones
    EXPECT_TRUE(crs_hints(around(39.5e6, 9.0e6)).empty());                                 // north of China
    EXPECT_TRUE(crs_hints(geo::Envelope{}).empty());
    EXPECT_EQ(crs_hints(geo::Envelope{}).summary(), "");
}

TEST(CrsHints, ReprojectWithoutCrsNamesTheHint) {
    auto [x, y] = textbook_gk(121.42, 28.66, 40, 120);
    Layer layer("parcels", {}, std::nullopt, "Point");
    Feature f;
    f.geometry = geo::make_point(x, y);
    layer.add(std::move(f));
    std::string expected = crs_hints(layer.extent()).candidates.front().code();
    try {
        layer.reproject(geo::Crs::cgcs2000());
        FAIL() << "reprojected a layer without a CRS";
    } catch (const crs_error& e) {
        std::string m = e.message([](const std::string& p) { return "--" + p; });
        EXPECT_NE(m.find("layer 'parcels' has no CRS; give its source CRS (--source_crs)"), std::string::npos) << m;
        EXPECT_NE(m.find(expected + " (CGCS2000 / 3-degree Gauss-Kruger zone 40)"), std::string::npos) << m;
    }
    // The code it names is the one that puts the layer where it is.
    layer.set_crs(geo::Crs::parse(expected));
    layer.reproject(geo::Crs::cgcs2000());
    auto e = layer.extent();
    EXPECT_NEAR(e.minx, 121.42, 1e-6);
    EXPECT_NEAR(e.miny, 28.66, 1e-6);
}
