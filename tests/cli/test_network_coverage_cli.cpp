// The coverage and lifecircle commands with --mode network: a river with one bridge where every
// figure is known exactly, barriers, unattached facilities and parcels, usage errors, and the
// synthetic city in both modes. (The same runs through the analysis library are in
// tests/analysis/test_network_coverage.cpp.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "layers/io.hpp"
#include "tests/analysis/cities.hpp"
#include "tests/support.hpp"

using namespace planmap;
using nlohmann::json;
using test::river_city;

namespace {

json run_json(const std::vector<std::string>& args) {
    auto r = test::run(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return r.code == 0 ? json::parse(r.out) : json();
}

std::vector<std::string> coverage_args(const std::string& city, const std::string& out) {
    return {"coverage", "--facilities", city + ":facilities", "--residential", city + ":residential", "--radius", "400",
            "-o", out, "--json", "-"};
}

std::vector<std::string> network_args(const std::string& city) {
    return {"--mode", "network", "--network", city + ":streets", "--max-snap", "500"};
}

}  // namespace

TEST(NetworkCoverage, RiverWithOneBridgeExactFiguresAndGap) {
    test::TempDir tmp;
    auto city = river_city(tmp);
    auto before = test::fingerprint(tmp / "in");
    auto args = coverage_args(city, (tmp / "net").string());
    for (auto& a : network_args(city)) args.push_back(a);
    auto j = run_json(args);
    ASSERT_FALSE(j.is_null());
    EXPECT_EQ(j["mode"], "network");
    EXPECT_NEAR(j["residential_area_m2"].get<double>(), 22200, 1e-6);
    // A fully, E's 20 m strip by the street, D by the north street the bridge reaches; not B.
    EXPECT_NEAR(j["covered_area_m2"].get<double>(), 1200 + 2000 + 1500, 1e-6);
    EXPECT_NEAR(j["covered_population"].get<double>(), 100 + 200 + 150, 1e-6);
    // Straight-line buffers cover A, E, B and D whole.
    EXPECT_NEAR(j["straight_line"]["covered_area_m2"].get<double>(), 12200, 1e-6);
    EXPECT_NEAR(j["gap"]["coverage_ratio"].get<double>(), 7500.0 / 22200, 1e-9);
    EXPECT_NEAR(j["gap"]["population_coverage_ratio"].get<double>(), 750.0 / 2000, 1e-9);
    EXPECT_GT(j["gap"]["coverage_ratio"].get<double>(), 0);
    ASSERT_EQ(j["unattached_facilities"].size(), 1u);
    EXPECT_EQ(j["unattached_facilities"][0], 3);  // F3 (fid 3)
    EXPECT_EQ(j["facilities_counted"], 2);
    EXPECT_EQ(j["network"]["edges"], 5);
    for (const char* t : {"network_load", "network_snap", "network_search", "network_polygons"})
        EXPECT_TRUE(j["timings_s"].contains(t)) << t;
    EXPECT_EQ(test::fingerprint(tmp / "in"), before);  // inputs untouched

    // The straight-line mode gives the reference figures.
    auto s = run_json(coverage_args(city, (tmp / "straight").string()));
    EXPECT_EQ(s["mode"], "straight-line");
    EXPECT_NEAR(s["covered_area_m2"].get<double>(), j["straight_line"]["covered_area_m2"].get<double>(), 1e-6);
    EXPECT_NEAR(s["coverage_ratio"].get<double>(), j["straight_line"]["coverage_ratio"].get<double>(), 1e-12);

    // Same outputs as the straight-line mode.
    for (const char* f : {"coverage.gpkg", "coverage_zones.csv"}) EXPECT_TRUE(std::filesystem::exists(tmp / "net" / f)) << f;
    auto ds = layers::read((tmp / "net" / "coverage.gpkg").string());
    EXPECT_NEAR(*layers::value_to_double(ds.layer("parcels").value(2, "covered_m2")), 0, 1e-9);        // B
    EXPECT_NEAR(*layers::value_to_double(ds.layer("parcels").value(1, "covered_share")), 4.0 / 7, 1e-9);  // E
}

TEST(NetworkCoverage, BarrierOnTheBridgeCutsTheNorthBank) {
    test::TempDir tmp;
    auto city = river_city(tmp);
    auto args = coverage_args(city, (tmp / "out").string());
    for (auto& a : network_args(city)) args.push_back(a);
    args.push_back("--barrier");
    args.push_back(city + ":barrier");
    auto j = run_json(args);
    ASSERT_FALSE(j.is_null());
    EXPECT_EQ(j["network"]["blocked_edges"], 1);
    EXPECT_NEAR(j["covered_area_m2"].get<double>(), 1200 + 2000, 1e-6);
}

TEST(NetworkCoverage, UsageErrors) {
    test::TempDir tmp;
    auto city = river_city(tmp);
    auto args = coverage_args(city, (tmp / "out").string());
    args.push_back("--mode");
    args.push_back("network");
    auto r = test::run(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--network"), std::string::npos) << r.err;
    args = coverage_args(city, (tmp / "out").string());
    args.push_back("--network");
    args.push_back(city + ":streets");
    r = test::run(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--mode network"), std::string::npos) << r.err;
    args = coverage_args(city, (tmp / "out").string());
    for (auto& a : network_args(city)) args.push_back(a);
    args[args.size() - 3] = city + ":nosuchlayer";
    r = test::run(args);
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("nosuchlayer"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(tmp / "out" / "coverage.gpkg"));
    // An edge list without its node table has no geometry to grow service areas along.
    std::ofstream(tmp / "edges.csv") << "u,v,length_m\n1,2,100\n";
    args = coverage_args(city, (tmp / "out").string());
    for (auto& a : network_args(city)) args.push_back(a);
    args[args.size() - 3] = (tmp / "edges.csv").string();
    r = test::run(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("no geometry"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(tmp / "out" / "coverage.gpkg"));
}

TEST(NetworkLifeCircle, WalkingDistancesAcrossTheRiver) {
    test::TempDir tmp;
    auto city = river_city(tmp);
    std::ofstream(tmp / "lc.toml") << test::kOneLevelProfile;
    auto base = [&](const std::string& out) {
        return std::vector<std::string>{"lifecircle", "--facilities", city + ":facilities", "--residential", city + ":residential",
                                        "--profile", (tmp / "lc.toml").string(), "-o", out, "--json", "-"};
    };
    auto s = run_json(base((tmp / "s").string()));
    auto args = base((tmp / "n").string());
    for (auto& a : network_args(city)) args.push_back(a);
    args.push_back("--entry");
    args.push_back("15");
    auto n = run_json(args);
    ASSERT_FALSE(s.is_null());
    ASSERT_FALSE(n.is_null());
    EXPECT_EQ(s["mode"], "straight-line");
    EXPECT_EQ(n["mode"], "network");
    // Straight line: A, E and B (201 m across the river) meet the level; the network: A and E only.
    EXPECT_EQ(s["levels"][0]["parcels"], 3);
    EXPECT_EQ(n["levels"][0]["parcels"], 2);
    EXPECT_EQ(n["unattached_parcels"], json::array({5}));      // G
    EXPECT_EQ(n["unattached_facilities"], json::array({3}));   // F3
    EXPECT_EQ(n["types"][0]["facilities"], 1);                 // attached kindergartens
    auto ds = layers::read((tmp / "n" / "lifecircle.gpkg").string());
    const auto& p = ds.layer("parcels");
    EXPECT_NEAR(*layers::value_to_double(p.value(0, "d_kindergarten")), 0, 1e-9);  // A's street frontage passes F1
    double e = *layers::value_to_double(p.value(1, "d_kindergarten"));             // E's frontage starts ~89 m east
    EXPECT_GT(e, 80);
    EXPECT_LT(e, 100);
    EXPECT_EQ(layers::value_to_string(p.value(2, "level_met")), "none");  // B: the bridge is 800 m away
    EXPECT_TRUE(p.features()[2].values[p.field_index("d_kindergarten")].index() == 0);  // null: out of reach
}

TEST(NetworkCoverage, SynthCityNetworkNeverExceedsStraightLine) {
    test::TempDir tmp;
    auto path = test::synth_city_gpkg(tmp);
    for (const char* width : {"25", "80"}) {
        auto j = run_json({"coverage", "--facilities", path + ":parks", "--residential", path + ":residential", "--profile",
                           "gb-park-radius", "--mode", "network", "--network", path + ":streets", "--width", width, "-o",
                           (tmp / (std::string("out") + width)).string(), "--json", "-"});
        ASSERT_FALSE(j.is_null());
        double net = j["coverage_ratio"].get<double>(), straight = j["straight_line"]["coverage_ratio"].get<double>();
        EXPECT_GT(net, 0);
        EXPECT_LE(net, straight);
        EXPECT_NEAR(j["gap"]["coverage_ratio"].get<double>(), straight - net, 1e-12);
        EXPECT_TRUE(j["unattached_facilities"].empty());
    }
    auto s = run_json({"lifecircle", "--facilities", path + ":facilities", "--residential", path + ":residential", "-o",
                       (tmp / "ls").string(), "--json", "-"});
    auto n = run_json({"lifecircle", "--facilities", path + ":facilities", "--residential", path + ":residential", "--mode",
                       "network", "--network", path + ":streets", "-o", (tmp / "ln").string(), "--json", "-"});
    ASSERT_FALSE(s.is_null());
    ASSERT_FALSE(n.is_null());
    for (std::size_t l = 0; l < s["levels"].size(); ++l)
        EXPECT_LE(n["levels"][l]["parcels"].get<std::size_t>(), s["levels"][l]["parcels"].get<std::size_t>());
    for (std::size_t t = 0; t < s["types"].size(); ++t)
        EXPECT_LE(n["types"][t]["parcels"].get<std::size_t>(), s["types"][t]["parcels"].get<std::size_t>()) << s["types"][t]["type"];
}
