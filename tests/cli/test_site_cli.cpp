// planmap site end to end: the "after" figures equal a `coverage` run with the chosen sites added,
// the outputs, and bad inputs (errors naming the file, layer or flag; non-zero exit; no output).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>

#include "layers/io.hpp"
#include "tests/analysis/cities.hpp"
#include "tests/support.hpp"

using namespace planmap;
using nlohmann::json;

namespace {

constexpr double X0 = 620000, Y0 = 3160000;  // EPSG:4549 metres

// A 6 × 6 block of 100 × 100 parcels (650 m apart east-west, 390 m north-south) with populations, one existing park (a polygon
// of 6000 m²: 500 m under gb-park-radius), and candidate parks of several sizes, some too small.
std::string block_city(const test::TempDir& tmp) {
    using layers::FieldType;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer res("residential", {{"population", FieldType::real, ""}}, crs, "Polygon");
    for (int i = 0; i < 6; ++i)
        for (int k = 0; k < 6; ++k)
            res.add({-1, test::box(1300.0 * i / 6 * 3, 390.0 * k, 1300.0 * i / 6 * 3 + 100, 390.0 * k + 100), {50.0 + 7 * i + 3 * k}});
    layers::Layer parks("parks", {{"name", FieldType::string, ""}}, crs, "Polygon");
    parks.add({-1, test::box(-100, -100, -40, 0), {std::string("existing")}});
    layers::Layer cand("candidates", {{"cost", FieldType::real, ""}}, crs, "Polygon");
    int n = 0;
    for (int i = 0; i < 4; ++i)
        for (int k = 0; k < 4; ++k, ++n) {
            double x = 300 + 900.0 * i, y = 150 + 600.0 * k;
            double side = n % 3 == 0 ? 80 : n % 3 == 1 ? 50 : 30;  // 6400 m² (500 m), 2500 m² (300 m), 900 m² (too small)
            cand.add({-1, test::box(x, y, x + side, y + side), {1.0 + n % 4}});
        }
    layers::Layer zones("zones", {{"name", FieldType::string, ""}}, crs, "Polygon");
    zones.add({-1, test::box(-200, -200, 3500, 2300), {std::string("all")}});
    auto path = (tmp / "city.gpkg").string();
    layers::write(std::vector<const layers::Layer*>{&res, &parks, &cand, &zones}, path);
    return path;
}

json read_json(const std::filesystem::path& p) { return json::parse(test::read_file(p)); }

}  // namespace

TEST(SiteCli, AfterEqualsCoverageWithChosenSitesAdded) {
    test::TempDir tmp;
    auto city = block_city(tmp);
    for (const std::string objective : {"population", "area"}) {
        auto out = tmp / ("site_" + objective);
        auto r = test::run({"site", "--facilities", city + ":parks", "--residential", city + ":residential", "--candidates",
                            city + ":candidates", "--profile", "gb-park-radius", "--add", "3", "--objective", objective, "--exact",
                            "-o", out.string()});
        ASSERT_EQ(r.code, 0) << r.err;
        EXPECT_NE(r.out.find("after:"), std::string::npos) << r.out;
        auto s = read_json(out / "site.json");
        ASSERT_EQ(s["sites"].size(), 3u);
        EXPECT_TRUE(s["exact"]["optimal"].get<bool>());
        auto cov = tmp / ("cov_" + objective);
        auto c = test::run({"coverage", "--facilities", (out / "site.gpkg").string() + ":facilities_after", "--residential",
                            city + ":residential", "--profile", "gb-park-radius", "-o", cov.string(), "--json",
                            (tmp / ("cov_" + objective + ".json")).string()});
        ASSERT_EQ(c.code, 0) << c.err;
        auto cj = read_json(tmp / ("cov_" + objective + ".json"));
        EXPECT_NEAR(cj["coverage_ratio"].get<double>(), s["after"]["coverage_ratio"].get<double>(), 1e-6);
        EXPECT_NEAR(cj["population_coverage_ratio"].get<double>(), s["after"]["population_coverage_ratio"].get<double>(), 1e-6);
        EXPECT_NEAR(cj["covered_area_m2"].get<double>(), s["after"]["covered_area_m2"].get<double>(), 1e-6);
        // The model's own figure agrees too.
        const char* key = objective == "area" ? "covered_area_m2" : "covered_population";
        EXPECT_NEAR(s["after"]["model_covered"].get<double>(), cj[key].get<double>(), 1e-6 * s["total"].get<double>());
        EXPECT_GE(s["candidates"]["ignored"].get<int>(), 1);  // the 900 m² candidates are too small
        for (const auto* f : {"site.gpkg", "site_sites.csv", "site_curve.csv", "site.json"}) EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
        auto ds = layers::read((out / "site.gpkg").string());
        for (const auto* l : {"sites", "site_service_areas", "newly_covered", "still_uncovered", "facilities_after"})
            EXPECT_NE(ds.find(l), nullptr) << l;
        EXPECT_EQ(ds.find("sites")->size(), 3u);
    }
}

TEST(SiteCli, GridCandidatesAndTarget) {
    test::TempDir tmp;
    auto city = block_city(tmp);
    auto out = tmp / "grid";
    auto r = test::run({"site", "--facilities", city + ":parks", "--residential", city + ":residential", "--grid", "400", "--within",
                        city + ":zones", "--radius", "300", "--target", "0.95", "-o", out.string(), "--json",
                        (tmp / "g.json").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    auto s = read_json(tmp / "g.json");
    EXPECT_GT(s["candidates"]["candidates"].get<int>(), 0);
    ASSERT_TRUE(s.contains("target"));
    EXPECT_GT(s["timings_s"]["total"].get<double>(), 0);
}

TEST(SiteCli, BadInputsNameTheFlagAndLeaveNoOutput) {
    test::TempDir tmp;
    auto city = block_city(tmp);
    {
        // An empty candidate layer.
        using layers::FieldType;
        layers::Layer empty("nothing", {}, geo::Crs::from_epsg(4549), "Point");
        layers::write(empty, (tmp / "empty.gpkg").string());
        // A residential layer without population, and one without CRS.
        layers::Layer nopop("res", {}, geo::Crs::from_epsg(4549), "Polygon");
        nopop.add({-1, test::box(0, 0, 100, 100), {}});
        layers::write(nopop, (tmp / "nopop.gpkg").string());
        layers::Layer nocrs("res", {{"population", FieldType::real, ""}}, std::nullopt, "Polygon");
        nocrs.add({-1, test::box(0, 0, 100, 100), {1.0}});
        layers::write(nocrs, (tmp / "nocrs.shp").string());
    }
    const std::vector<std::string> base = {"site", "--facilities", city + ":parks", "--profile", "gb-park-radius"};
    struct Case {
        std::vector<std::string> args;
        int code;
        std::string says;
    };
    const std::string res = city + ":residential", cand = city + ":candidates";
    std::vector<Case> cases = {
        {{"--residential", res, "--candidates", (tmp / "empty.gpkg").string(), "--add", "2"}, 1, "has no features"},
        {{"--residential", res, "--candidates", cand, "--add", "0"}, 2, "--add must be at least 1"},
        {{"--residential", res, "--candidates", cand, "--add=-3"}, 2, "--add must be at least 1"},
        {{"--residential", res, "--candidates", cand, "--target", "1.5"}, 2, "--target must be"},
        {{"--residential", res, "--candidates", cand}, 2, "needs a goal"},
        {{"--residential", res, "--add", "2"}, 2, "--candidates"},
        {{"--residential", res, "--candidates", cand, "--budget", "3"}, 2, "--cost-field"},
        {{"--residential", res, "--candidates", cand, "--add", "2", "--cost-field", "nope"}, 2, "no field 'nope'"},
        {{"--residential", (tmp / "nopop.gpkg").string(), "--candidates", cand, "--add", "2"}, 2, "--population-field"},
        {{"--residential", (tmp / "nocrs.shp").string(), "--candidates", cand, "--add", "2"}, 1, "nocrs"},
    };
    int k = 0;
    for (const auto& c : cases) {
        auto args = base;
        args.insert(args.end(), c.args.begin(), c.args.end());
        auto out = tmp / ("out" + std::to_string(k++));
        args.insert(args.end(), {"-o", out.string()});
        auto r = test::run(args);
        EXPECT_EQ(r.code, c.code) << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << "expected '" << c.says << "' in: " << r.err;
        EXPECT_FALSE(std::filesystem::exists(out)) << out;
    }
}

// Network mode on the river city (tests/analysis/cities.hpp): before, the network covers A, 2000
// of E's 3500 m² and D (population 100 + 200 + 150). Candidate 1 on the north street covers the
// 25 m band of B by that street (half of B: 300 people); candidate 2 on the south street adds
// nothing along the network (straight-line it would cover B whole); candidate 3 is unattached.
TEST(SiteCli, NetworkModeCountsWalkingDistance) {
    test::TempDir tmp;
    auto city = test::river_city(tmp);
    using layers::FieldType;
    layers::Layer cand("candidates", {{"name", FieldType::string, ""}}, geo::Crs::from_epsg(4549), "Point");
    cand.add({-1, geo::make_point(X0 + 200, Y0 + 200), {std::string("north")}});
    cand.add({-1, geo::make_point(X0 + 500, Y0), {std::string("south")}});
    cand.add({-1, geo::make_point(X0 + 3050, Y0 + 2900), {std::string("far")}});
    auto cpath = (tmp / "cand.gpkg").string();
    layers::write(cand, cpath);
    auto out = tmp / "site";
    auto r = test::run({"site", "--facilities", city + ":facilities", "--residential", city + ":residential", "--candidates", cpath,
                        "--radius", "400", "--add", "1", "--exact", "--mode", "network", "--network", city + ":streets",
                        "--max-snap", "500", "-o", out.string(), "--json", (tmp / "s.json").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    auto s = read_json(tmp / "s.json");
    EXPECT_EQ(s["mode"], "network");
    EXPECT_NEAR(s["before"]["covered_population"].get<double>(), 450, 1e-6);
    ASSERT_EQ(s["sites"].size(), 1u);
    EXPECT_EQ(s["sites"][0]["candidate_fid"], 1);
    EXPECT_NEAR(s["exact"]["gain"].get<double>(), 300, 1e-6);
    EXPECT_NEAR(s["after"]["covered_population"].get<double>(), 750, 1e-6);
    EXPECT_EQ(s["candidates"]["unattached"].size(), 1u);
    auto c = test::run({"coverage", "--facilities", (out / "site.gpkg").string() + ":facilities_after", "--residential",
                        city + ":residential", "--radius", "400", "--mode", "network", "--network", city + ":streets", "--max-snap",
                        "500", "-o", (tmp / "cov").string(), "--json", (tmp / "c.json").string()});
    ASSERT_EQ(c.code, 0) << c.err;
    auto cj = read_json(tmp / "c.json");
    EXPECT_NEAR(cj["covered_population"].get<double>(), s["after"]["covered_population"].get<double>(), 1e-6);
    EXPECT_NEAR(cj["covered_area_m2"].get<double>(), s["after"]["covered_area_m2"].get<double>(), 1e-6);
}

TEST(SiteCli, HtmlReportHasMapsCurveAndSites) {
    test::TempDir tmp;
    auto city = block_city(tmp);
    auto r = test::run({"site", "--facilities", city + ":parks", "--residential", city + ":residential", "--candidates",
                        city + ":candidates", "--profile", "gb-park-radius", "--add", "2", "-o", (tmp / "out").string(), "--html",
                        (tmp / "site.html").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    auto html = test::read_file(tmp / "site.html");
    EXPECT_NE(html.find("id=\"curve\""), std::string::npos);
    EXPECT_NE(html.find("id=\"sites\""), std::string::npos);
    EXPECT_NE(html.find("新增设施 new sites"), std::string::npos);
    EXPECT_NE(html.find("未覆盖 uncovered"), std::string::npos);
    // The sheet of the sites.
    auto sheet = test::run({"render", (tmp / "out" / "site.map.toml").string(), "-o", (tmp / "site.pdf").string()});
    ASSERT_EQ(sheet.code, 0) << sheet.err;
    EXPECT_GT(std::filesystem::file_size(tmp / "site.pdf"), 10000u);
}

// A life-circle type on the river city: only kindergartens count (the clinic near D does not);
// F1 covers A, E and B (1050 people) within 300 m; candidate 1 by D adds 150, candidate 2 at G
// adds 800. The after figures equal coverage with the life-circle profile on facilities_after.
TEST(SiteCli, LifeCircleTypeSitesOneFacilityType) {
    test::TempDir tmp;
    auto city = test::river_city(tmp);
    using layers::FieldType;
    layers::Layer cand("candidates", {}, geo::Crs::from_epsg(4549), "Point");
    cand.add({-1, geo::make_point(X0 + 900, Y0 + 190), {}});
    cand.add({-1, geo::make_point(X0 + 3050, Y0 + 3050), {}});
    auto cpath = (tmp / "cand.gpkg").string();
    layers::write(cand, cpath);
    auto out = tmp / "site";
    auto r = test::run({"site", "--facilities", city + ":facilities", "--residential", city + ":residential", "--candidates", cpath,
                        "--profile", "gb50180-life-circle", "--type", "kindergarten", "--target", "1", "--exact", "-o", out.string(),
                        "--json", (tmp / "s.json").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    auto s = read_json(tmp / "s.json");
    EXPECT_NEAR(s["before"]["covered_population"].get<double>(), 1050, 1e-6);
    EXPECT_EQ(s["sites"].size(), 2u);
    EXPECT_EQ(s["sites"][0]["candidate_fid"], 2);  // G first (800)
    EXPECT_TRUE(s["target"]["reached"].get<bool>());
    EXPECT_NEAR(s["after"]["population_coverage_ratio"].get<double>(), 1.0, 1e-12);
    auto c = test::run({"coverage", "--facilities", (out / "site.gpkg").string() + ":facilities_after", "--residential",
                        city + ":residential", "--profile", "gb50180-life-circle", "-o", (tmp / "cov").string(), "--json",
                        (tmp / "c.json").string()});
    ASSERT_EQ(c.code, 0) << c.err;
    auto cj = read_json(tmp / "c.json");
    EXPECT_NEAR(cj["covered_population"].get<double>(), s["after"]["covered_population"].get<double>(), 1e-6);
    // An unknown type is a usage error naming the flag.
    auto bad = test::run({"site", "--facilities", city + ":facilities", "--residential", city + ":residential", "--candidates", cpath,
                          "--profile", "gb50180-life-circle", "--type", "casino", "--add", "1", "-o", (tmp / "bad").string()});
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("--type 'casino'"), std::string::npos) << bad.err;
    EXPECT_FALSE(std::filesystem::exists(tmp / "bad"));
}
