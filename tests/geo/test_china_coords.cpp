#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "geo/china_coords.hpp"
#include "tests/support.hpp"

using namespace planmap::geo;

namespace {

// Metres between two lon/lat points (equirectangular; exact enough below a kilometre).
double metres(LonLat a, LonLat b) {
    constexpr double R = 6371008.8, d2r = M_PI / 180;
    double x = (b.lon - a.lon) * d2r * std::cos((a.lat + b.lat) / 2 * d2r);
    double y = (b.lat - a.lat) * d2r;
    return std::hypot(x, y) * R;
}

struct Vector {
    LonLat wgs, gcj, bd;
};

std::vector<Vector> load_vectors(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::string line;
    std::getline(in, line);  // header
    std::vector<Vector> out;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        double v[6];
        char comma;
        for (int i = 0; i < 6; ++i) {
            ss >> v[i];
            if (i < 5) ss >> comma;
        }
        out.push_back({{v[0], v[1]}, {v[2], v[3]}, {v[4], v[5]}});
    }
    return out;
}

}  // namespace

TEST(ChinaCoords, ForwardAndInverseMatchGcoordVectors) {
    const auto csv = ::planmap::test::fixture("crs/gcj02_bd09_vectors.csv");
    auto vectors = load_vectors(csv);
    ASSERT_EQ(vectors.size(), 60u);
    for (const auto& v : vectors) {
        SCOPED_TRACE(std::to_string(v.wgs.lon) + "," + std::to_string(v.wgs.lat));
        EXPECT_LT(metres(wgs84_to_gcj02(v.wgs), v.gcj), 0.01);
        EXPECT_LT(metres(wgs84_to_bd09(v.wgs), v.bd), 0.01);
        EXPECT_LT(metres(gcj02_to_bd09(v.gcj), v.bd), 0.01);
        EXPECT_LT(metres(gcj02_to_wgs84(v.gcj), v.wgs), 1.0);
        EXPECT_LT(metres(bd09_to_gcj02(v.bd), v.gcj), 1.0);
        EXPECT_LT(metres(bd09_to_wgs84(v.bd), v.wgs), 1.0);
    }
}

TEST(ChinaCoords, InverseIsExactAcrossChina) {
    // A 0.5° grid over China's box: inverse(forward(p)) returns p to a millimetre.
    double worst = 0;
    for (double lon = 73.5; lon <= 135; lon += 0.5)
        for (double lat = 18; lat <= 53.5; lat += 0.5) {
            LonLat p{lon, lat};
            worst = std::max(worst, metres(gcj02_to_wgs84(wgs84_to_gcj02(p)), p));
            worst = std::max(worst, metres(bd09_to_wgs84(wgs84_to_bd09(p)), p));
        }
    EXPECT_LT(worst, 0.001);
}

TEST(ChinaCoords, OffsetInTaizhouIsHundredsOfMetres) {
    LonLat jiaojiang{121.44, 28.68};
    double d = metres(jiaojiang, wgs84_to_gcj02(jiaojiang));
    EXPECT_GT(d, 390);
    EXPECT_LT(d, 600);
}

TEST(ChinaCoords, PointsOutsideChinaPassThrough) {
    for (LonLat p : {LonLat{7.42, 43.73}, LonLat{-74.0, 40.7}, LonLat{139.7, 35.7}}) {
        auto g = wgs84_to_gcj02(p);
        EXPECT_DOUBLE_EQ(g.lon, p.lon);
        EXPECT_DOUBLE_EQ(g.lat, p.lat);
        auto w = gcj02_to_wgs84(p);
        EXPECT_DOUBLE_EQ(w.lon, p.lon);
        EXPECT_DOUBLE_EQ(w.lat, p.lat);
    }
}
