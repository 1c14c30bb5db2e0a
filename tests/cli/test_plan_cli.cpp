// Broken plan files through the build command: one line naming file:line and the element, exit
// code 1, nothing written; the analysis CRS output and an unwritable report.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "core/error.hpp"
#include "layers/io.hpp"
#include "plan/plan.hpp"
#include "tests/plan/plan_text.hpp"
#include "tests/support.hpp"

using namespace planmap;
using test::point_element;
using test::zone_element;
namespace fs = std::filesystem;

namespace {

const char* kHeader = test::kPlanHeader;

struct Broken {
    test::TempDir in, out;
    test::CliResult r;
    explicit Broken(const std::string& text, std::vector<std::string> extra = {}) {
        std::ofstream(in / "plan.toml") << text;
        std::vector<std::string> args = {"build", (in / "plan.toml").string(), "-o", (out / "o.gpkg").string(),
                                         "--report", (out / "r.json").string()};
        args.insert(args.end(), extra.begin(), extra.end());
        r = test::run(args);
    }
    void expect_failure(int line, const std::string& names) const {
        EXPECT_EQ(r.code, 1) << r.err;
        std::string where = (in / "plan.toml").string() + ":" + std::to_string(line) + ":";
        EXPECT_NE(r.err.find(where), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(names), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_TRUE(test::list_files(out.path()).empty()) << "output left behind";
    }
};

}  // namespace

TEST(PlanFiles, MinimalPlanBuilds) {
    Broken b(std::string(kHeader) + point_element("a") + point_element("b"));
    EXPECT_EQ(b.r.code, 0) << b.r.err;
    EXPECT_TRUE(fs::exists(b.out / "o.gpkg"));
    EXPECT_TRUE(fs::exists(b.out / "r.json"));
}

TEST(PlanFiles, SyntaxError) {
    Broken b(std::string(kHeader) + "\n[[element]]\nid = \"a\nkind = \"node\"\n");
    b.expect_failure(8, "plan.toml");
}

TEST(PlanFiles, UnknownReference) {
    std::string text =
        std::string(kHeader) + point_element("a") + zone_element("u", "op = \"union\"\nmembers = [\"a\", \"nowhere\"]\n");
    Broken b(text);
    b.expect_failure(16, "element 'u': unknown element 'nowhere'");
}

TEST(PlanFiles, UnknownParent) {
    Broken b(std::string(kHeader) + point_element("a", "parent = \"ghost\"\n"));
    b.expect_failure(7, "unknown parent 'ghost'");
}

TEST(PlanFiles, DependencyCycleNamesItsElements) {
    auto el = [](const std::string& id, const std::string& of) {
        return zone_element(id, "op = \"buffer\"\nof = \"" + of + "\"\ndistance_m = 10\n");
    };
    Broken b(std::string(kHeader) + el("a", "b") + el("b", "c") + el("c", "a"));
    EXPECT_EQ(b.r.code, 1);
    EXPECT_NE(b.r.err.find("dependency cycle a -> b -> c -> a"), std::string::npos) << b.r.err;
    b.expect_failure(7, "element 'a'");
}

TEST(PlanFiles, UnknownKind) {
    std::string text = std::string(kHeader) + point_element("a");
    text.replace(text.find("kind = \"node\""), 13, "kind = \"blob\"");
    Broken b(text);
    b.expect_failure(9, "element 'a': unknown kind 'blob'");
}

TEST(PlanFiles, UnknownKeyIsNotIgnored) {
    Broken b(std::string(kHeader) + point_element("a", "colour = \"red\"\n"));
    b.expect_failure(15, "unknown key 'colour'");
}

TEST(PlanFiles, MissingRequiredField) {
    std::string text = std::string(kHeader) + point_element("a");
    text.erase(text.find("source_ref = \"x\"\n"), 17);
    Broken b(text);
    b.expect_failure(7, "'source_ref' is required");
}

TEST(PlanFiles, InvalidAuthoredGeometry) {
    std::string text = std::string(kHeader) +
                       zone_element("bow", "polygon = [[121.0, 28.0], [121.1, 28.1], [121.1, 28.0], [121.0, 28.1]]\n");
    Broken b(text);
    b.expect_failure(7, "element 'bow': invalid geometry");
}

TEST(PlanFiles, InvalidDerivationAnnulusOfOpenRing) {
    auto line = [](const std::string& id, const std::string& coords) {
        return "\n[[element]]\nid = \"" + id + "\"\nkind = \"ring\"\nname_zh = \"环\"\nname_en = \"Ring\"\n"
               "precision = \"schematic\"\nsource_ref = \"x\"\nline = " + coords + "\n";
    };
    std::string text = std::string(kHeader) +
                       line("outer", "[[121.0, 28.0], [121.2, 28.0], [121.2, 28.2], [121.0, 28.2]]") +
                       line("inner", "[[121.05, 28.05], [121.1, 28.05], [121.1, 28.1], [121.05, 28.05]]") +
                       zone_element("a", "op = \"annulus\"\nouter = \"outer\"\ninner = \"inner\"\n");
    Broken b(text);
    b.expect_failure(25, "element 'a': not a closed ring");
}

TEST(PlanFiles, FailingCheckWritesNothingButWarningDoesNot) {
    std::string text = std::string(kHeader) + point_element("a") +
                       "\n[[check]]\nname = \"two nodes\"\ntype = \"count\"\nkind = \"node\"\nexpect = 2\n";
    Broken fail(text);
    fail.expect_failure(16, "check 'two nodes' failed");
    EXPECT_NE(fail.r.out.find("[FAIL] two nodes"), std::string::npos) << fail.r.out;
    Broken warn(text + "severity = \"warning\"\n");
    EXPECT_EQ(warn.r.code, 0) << warn.r.err;
    EXPECT_NE(warn.r.out.find("[WARN] two nodes"), std::string::npos) << warn.r.out;
    EXPECT_TRUE(fs::exists(warn.out / "o.gpkg"));
}

TEST(PlanFiles, PointOutsideItsDistrict) {
    std::string text = std::string(kHeader) + "district = \"d\"\n" + "\n[[base]]\nid = \"tz\"\npath = \"" +
                       test::fixture("boundaries/taizhou.geojson").string() + "\"\ncrs = \"GCJ02\"\n" +
                       "\n[[element]]\nid = \"d\"\nkind = \"district\"\nname_zh = \"路桥区\"\nname_en = \"Luqiao\"\n"
                       "precision = \"surveyed\"\nsource_ref = \"x\"\nselect = { base = \"tz\", name = \"路桥区\" }\n" +
                       point_element("far", "");
    text.replace(text.rfind("point = [121.4, 28.6]"), 21, "point = [120.0, 30.0]");
    Broken b(text);
    b.expect_failure(22, "element 'far': point (120.00000, 30.00000) lies outside 'd'");
}

// --base reads a plan's base from another source: the plan's own path (here one that does not
// exist) is not read, and what was read is named in the report.
TEST(PlanFiles, BaseGivenOnTheCommandLine) {
    std::string text = std::string(kHeader) + "district = \"d\"\n" +
                       "\n[[base]]\nid = \"tz\"\npath = \"nowhere/taizhou.geojson\"\ncrs = \"GCJ02\"\n" +
                       "\n[[element]]\nid = \"d\"\nkind = \"district\"\nname_zh = \"路桥区\"\nname_en = \"Luqiao\"\n"
                       "precision = \"surveyed\"\nsource_ref = \"x\"\nselect = { base = \"tz\", name = \"路桥区\" }\n";
    Broken missing(text);
    missing.expect_failure(8, "base 'tz': '");
    const std::string fixture = test::fixture("boundaries/taizhou.geojson").string();
    Broken given(text, {"--base", "tz=" + fixture});
    ASSERT_EQ(given.r.code, 0) << given.r.err;
    auto report = test::read_file(given.out / "r.json");
    EXPECT_NE(report.find(fixture), std::string::npos) << report;
    EXPECT_EQ(report.find("nowhere"), std::string::npos) << report;
    EXPECT_EQ(layers::read((given.out / "o.gpkg").string()).layer("district").size(), 1u);

    // An unknown id or a malformed assignment: one line naming the flag and the plan's bases,
    // nothing written, and a connection's password never echoed.
    Broken unknown(text, {"--base", "wz=" + fixture});
    EXPECT_EQ(unknown.r.code, 2) << unknown.r.err;
    EXPECT_NE(unknown.r.err.find("--base: plan 't' has no base 'wz' (its bases: tz)"), std::string::npos) << unknown.r.err;
    EXPECT_TRUE(test::list_files(unknown.out.path()).empty());
    Broken malformed(text, {"--base", "=PG:dbname=x password=hunter2"});
    EXPECT_EQ(malformed.r.code, 2) << malformed.r.err;
    EXPECT_NE(malformed.r.err.find("--base expects ID=SOURCE"), std::string::npos) << malformed.r.err;
    EXPECT_EQ(malformed.r.err.find("hunter2"), std::string::npos) << malformed.r.err;
}

TEST(PlanFiles, AnalysisCrsOutputAndHelpersLeftOut) {
    test::TempDir out;
    test::TempDir in;
    std::ofstream(in / "plan.toml") << std::string(kHeader) << point_element("a")
                                    << point_element("h", "helper = true\n");
    auto r = test::run({"build", (in / "plan.toml").string(), "-o", (out / "o.gpkg").string(), "--crs", "analysis"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto ds = layers::read((out / "o.gpkg").string());
    ASSERT_EQ(ds.layers.size(), 1u);
    EXPECT_EQ(ds.layers[0].size(), 1u) << "the helper element was written";
    ASSERT_TRUE(ds.layers[0].crs());
    EXPECT_EQ(ds.layers[0].crs()->label(), "EPSG:4549");  // 3-degree GK zone of 121.4°E: central meridian 120°E
    auto e = ds.layers[0].extent();
    EXPECT_GT(e.minx, 1000.0);  // metres, not degrees
}

TEST(PlanFiles, UnwritableReportLeavesNoGeoPackage) {
    test::TempDir in, out;
    std::ofstream(in / "plan.toml") << std::string(kHeader) << point_element("a");
    auto r = test::run({"build", (in / "plan.toml").string(), "-o", (out / "o.gpkg").string(), "--report",
                        (out / "missing-dir" / "r.json").string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("r.json"), std::string::npos) << r.err;
    EXPECT_TRUE(test::list_files(out.path()).empty());
}
