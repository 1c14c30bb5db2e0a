// The render and atlas commands: a plan GeoPackage rendered with --plan, an atlas of one sheet per
// index feature, and clean failures (one line naming file:line, nothing written, inputs unchanged).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>

#include "layers/io.hpp"
#include "tests/support.hpp"

using namespace planmap;
namespace fs = std::filesystem;

namespace {
fs::path data_dir() { return test::project_root() / "tests" / "render" / "data"; }
}  // namespace

TEST(Sheets, PlanGeoPackageAndAtlas) {
    test::TempDir tmp;
    // A plan GeoPackage: one layer per kind, as the plan layers are written.
    layers::Dataset ds;
    for (const char* k : {"district", "zone", "axis", "centre", "node"}) {
        auto l = layers::read_layer((data_dir() / ("plan_" + std::string(k) + ".geojson")).string());
        l.set_name(k);
        ds.layers.push_back(std::move(l));
    }
    auto gpkg = tmp / "plan.gpkg";
    layers::write(ds, gpkg.string());
    auto r = test::run({"render", "--plan", gpkg.string(), "-o", (tmp / "plan.pdf").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("发展轴 axis"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("规划范围 district"), std::string::npos) << r.out;
    // Atlas: one sheet per index feature, named by the field.
    auto dir = tmp / "atlas";
    r = test::run({"atlas", (data_dir() / "plan_a4.toml").string(), "--index", (data_dir() / "atlas_index.geojson").string(), "--field", "sheet",
                   "-o", dir.string(), "--format", "png", "--dpi", "50"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(test::list_files(dir), (std::vector<std::string>{"东片.png", "西片.png"}));
    EXPECT_NE(r.out.find("atlas: 2 sheet(s)"), std::string::npos);
    EXPECT_NE(r.out.find("wrote " + (dir / "东片.png").string()), std::string::npos) << r.out;
    // The folder is written whole: a second run into it is refused, --overwrite replaces it (a
    // sheet of an earlier run does not survive).
    std::ofstream(dir / "旧片.png") << "an earlier sheet";
    auto again = std::vector<std::string>{"atlas", (data_dir() / "plan_a4.toml").string(), "--index",
                                          (data_dir() / "atlas_index.geojson").string(), "--field", "sheet", "-o", dir.string(),
                                          "--format", "png", "--dpi", "50"};
    r = test::run(again);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("exists and is not empty; give --overwrite"), std::string::npos) << r.err;
    EXPECT_EQ(test::list_files(dir), (std::vector<std::string>{"东片.png", "旧片.png", "西片.png"}));
    again.push_back("--overwrite");
    r = test::run(again);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(test::list_files(dir), (std::vector<std::string>{"东片.png", "西片.png"}));
}

TEST(Sheets, BadStyleOrMapFailsCleanly) {
    test::TempDir tmp;
    // Copy the fixture with a broken style next to it.
    for (const auto& e : fs::directory_iterator(data_dir())) fs::copy_file(e.path(), tmp / e.path().filename());
    std::ofstream(tmp / "bad.toml") << "name = \"bad\"\n[[rule]]\nfill = { color = \"#zzzzzz\" }\n";
    std::string map = test::read_file(tmp / "plan_a4.toml");
    std::string with_bad_style = std::regex_replace(map, std::regex("style = \"plan_structure\""), "style = \"bad.toml\"", std::regex_constants::format_first_only);
    std::ofstream(tmp / "m1.toml") << with_bad_style;
    std::ofstream(tmp / "m2.toml") << std::regex_replace(map, std::regex("size = \"A4\""), "size = \"A9\"");
    std::ofstream(tmp / "m3.toml") << std::regex_replace(map, std::regex("plan_zone.geojson"), "missing.geojson");
    auto before = test::fingerprint(tmp.path());
    auto out_dir = tmp / "out";
    fs::create_directories(out_dir);
    struct Case {
        std::string map, names;
    } cases[] = {{"m1.toml", "bad.toml:3:"}, {"m2.toml", "m2.toml:7:"}, {"m3.toml", "m3.toml:"}};
    for (const auto& c : cases) {
        for (const char* ext : {".pdf", ".png"}) {
            auto r = test::run({"render", (tmp / c.map).string(), "-o", (out_dir / (std::string("sheet") + ext)).string()});
            EXPECT_EQ(r.code, 1) << c.map << ": " << r.err;
            EXPECT_NE(r.err.find(c.names), std::string::npos) << r.err;
            EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
            EXPECT_TRUE(test::list_files(out_dir).empty()) << "output left behind for " << c.map;
        }
    }
    auto r = test::run({"render", (tmp / "plan_a4.toml").string(), "-o", (out_dir / "sheet.jpg").string()});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_TRUE(test::list_files(out_dir).empty());
    r = test::run({"render", "-o", (out_dir / "sheet.pdf").string()});
    EXPECT_EQ(r.code, 2) << r.err;
    fs::remove_all(out_dir);
    EXPECT_EQ(test::fingerprint(tmp.path()), before) << "inputs changed";
}
