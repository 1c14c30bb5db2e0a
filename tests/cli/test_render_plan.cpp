// planmap render --plan PLAN.toml: the plan is built and drawn in one command.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "layers/io.hpp"
#include "tests/support.hpp"

using namespace planmap;
namespace fs = std::filesystem;

TEST(RenderPlan, PlanFileIsBuiltAndDrawn) {
    ASSERT_EQ(std::system("command -v pdftotext >/dev/null 2>&1"), 0) << "pdftotext missing (scripts/setup.sh installs poppler-utils)";
    test::TempDir out;
    std::vector<std::string> args{"render", "--plan", test::seed_plan("luqiao").string(), "-o", (out / "luqiao.pdf").string()};
    for (auto& a : test::seed_plan_bases("luqiao")) args.push_back(a);
    auto r = test::run(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(test::list_files(out.path()), std::vector<std::string>{"luqiao.pdf"});  // no build leftovers
    std::string text = test::pdf_text(out / "luqiao.pdf");
    for (const char* s : {"规划结构图", "西部高品质城市片区", "中部产城融合片区", "东部滨海休闲片区", "图例", "2021"})
        EXPECT_NE(text.find(s), std::string::npos) << s;
}

TEST(RenderPlan, BuiltGeoPackageCarriesThePlansNameOntoTheSheet) {
    ASSERT_EQ(std::system("command -v pdftotext >/dev/null 2>&1"), 0) << "pdftotext missing (scripts/setup.sh installs poppler-utils)";
    test::TempDir out;
    std::vector<std::string> args{"build", test::seed_plan("jiaojiang").string(), "-o", (out / "jj.gpkg").string(), "-q"};
    for (auto& a : test::seed_plan_bases("jiaojiang")) args.push_back(a);
    auto b = test::run(args);
    ASSERT_EQ(b.code, 0) << b.err;
    auto meta = layers::read_metadata((out / "jj.gpkg").string());
    EXPECT_EQ(meta["PLAN_ID"], "jiaojiang");
    EXPECT_EQ(meta["PLAN_NAME_ZH"], "台州市椒江区新型城镇化发展“十四五”规划");
    auto r = test::run({"render", "--plan", (out / "jj.gpkg").string(), "-o", (out / "jj.pdf").string(), "-q"});
    ASSERT_EQ(r.code, 0) << r.err;
    std::string text = test::pdf_text(out / "jj.pdf");
    for (const char* s : {"台州市椒江区新型城镇化发展“十四五”规划 规划结构图", "2021-2025", "jiaojiang"})
        EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
    // `convert` keeps it (here: reprojected to Web Mercator) ...
    auto c = test::run({"convert", (out / "jj.gpkg").string(), (out / "jj3857.gpkg").string(), "--t-crs", "EPSG:3857", "-q"});
    ASSERT_EQ(c.code, 0) << c.err;
    auto kept = layers::read_metadata((out / "jj3857.gpkg").string());
    EXPECT_EQ(kept["PLAN_ID"], "jiaojiang");
    EXPECT_EQ(kept["PLAN_PERIOD"], meta["PLAN_PERIOD"]);
    // ... while a GeoPackage without plan metadata still renders, titled after its file name.
    layers::write(layers::read((out / "jj.gpkg").string()), (out / "plain.gpkg").string());
    ASSERT_TRUE(layers::read_metadata((out / "plain.gpkg").string()).empty());
    auto r2 = test::run({"render", "--plan", (out / "plain.gpkg").string(), "-o", (out / "plain.pdf").string(), "-q"});
    ASSERT_EQ(r2.code, 0) << r2.err;
    EXPECT_NE(test::pdf_text(out / "plain.pdf").find("plain 规划结构图"), std::string::npos);
}

TEST(RenderPlan, BrokenPlanWritesNoSheet) {
    test::TempDir in, out;
    {
        std::ofstream f(in / "p.toml");
        f << "[plan]\nid = \"t\"\nname_zh = \"测试\"\n\n[[element]]\nid = \"a\nkind = \"node\"\n";
    }
    auto r = test::run({"render", "--plan", (in / "p.toml").string(), "-o", (out / "s.pdf").string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("p.toml:"), std::string::npos) << r.err;
    EXPECT_TRUE(test::list_files(out.path()).empty());
}
