// planmap render --plan PLAN.toml: the plan is built and drawn in one command.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "layers/io.hpp"
#include "tests/support.hpp"

using namespace planmap;
namespace fs = std::filesystem;

namespace {
std::string pdftotext(const fs::path& pdf) {
    std::string cmd = "pdftotext -layout '" + pdf.string() + "' - 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    std::string text;
    char buf[4096];
    while (p && fgets(buf, sizeof buf, p.get())) text += buf;
    return text;
}
}  // namespace

TEST(RenderPlan, PlanFileIsBuiltAndDrawn) {
    if (!fs::exists(test::project_root() / "data" / "boundaries" / "331000.geojson"))
        GTEST_SKIP() << "data/boundaries not filled (run scripts/setup.sh)";
    if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdftotext missing";
    test::TempDir out;
    auto r = test::run({"render", "--plan", (test::project_root() / "plans" / "luqiao.toml").string(), "-o",
                        (out / "luqiao.pdf").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(test::list_files(out.path()), std::vector<std::string>{"luqiao.pdf"});  // no build leftovers
    std::string text = pdftotext(out / "luqiao.pdf");
    for (const char* s : {"规划结构图", "西部高品质城市片区", "中部产城融合片区", "东部滨海休闲片区", "图例", "2021"})
        EXPECT_NE(text.find(s), std::string::npos) << s;
}

TEST(RenderPlan, BuiltGeoPackageCarriesThePlansNameOntoTheSheet) {
    if (!fs::exists(test::project_root() / "data" / "boundaries" / "331000.geojson"))
        GTEST_SKIP() << "data/boundaries not filled (run scripts/setup.sh)";
    if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdftotext missing";
    test::TempDir out;
    auto b = test::run({"build", (test::project_root() / "plans" / "jiaojiang.toml").string(), "-o", (out / "jj.gpkg").string(), "-q"});
    ASSERT_EQ(b.code, 0) << b.err;
    auto meta = layers::read_metadata((out / "jj.gpkg").string());
    EXPECT_EQ(meta["PLAN_ID"], "jiaojiang");
    EXPECT_EQ(meta["PLAN_NAME_ZH"], "台州市椒江区新型城镇化发展“十四五”规划");
    auto r = test::run({"render", "--plan", (out / "jj.gpkg").string(), "-o", (out / "jj.pdf").string(), "-q"});
    ASSERT_EQ(r.code, 0) << r.err;
    std::string text = pdftotext(out / "jj.pdf");
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
    EXPECT_NE(pdftotext(out / "plain.pdf").find("plain 规划结构图"), std::string::npos);
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
