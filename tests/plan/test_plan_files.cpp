// Plan files read and evaluated by the library: dependency order, and selecting base features by
// name or code. (Broken plan files through the build command, one line naming file:line and the
// element, exit code 1, nothing written, are tested in tests/cli/test_plan_cli.cpp.)
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "plan/plan.hpp"
#include "tests/plan/plan_text.hpp"
#include "tests/support.hpp"

using namespace planmap;
using test::point_element;
using test::zone_element;

namespace {
const char* kHeader = test::kPlanHeader;
}  // namespace

TEST(PlanFiles, ParseGivesDependencyOrder) {
    std::string text =
        std::string(kHeader) + zone_element("z", "op = \"buffer\"\nof = \"a\"\ndistance_m = 100\n") + point_element("a");
    auto plan = plan::parse_plan_text(text, "mem.toml");
    auto order = plan::dependency_order(plan);
    ASSERT_EQ(order.size(), 2u);
    EXPECT_EQ(order[0]->id, "a");
    EXPECT_EQ(order[1]->id, "z");
    auto built = plan::build_plan(plan);
    EXPECT_EQ(built.counts.at("zone"), 1u);
    EXPECT_EQ(built.counts.at("node"), 1u);
}

TEST(PlanFiles, SelectByNameToleratesTheAdministrativeSuffix) {
    // Two districts in a small GeoJSON; older boundary files call 济阳区 "济阳县".
    test::TempDir in, out;
    std::ofstream(in / "b.geojson")
        << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"济阳县","adcode":370115},"geometry":{"type":"Polygon","coordinates":[[[117.0,36.9],[117.2,36.9],[117.2,37.1],[117.0,37.1],[117.0,36.9]]]}},
{"type":"Feature","properties":{"name":"历下区","adcode":370102},"geometry":{"type":"Polygon","coordinates":[[[117.2,36.9],[117.4,36.9],[117.4,37.1],[117.2,37.1],[117.2,36.9]]]}}]})";
    auto el = [](const std::string& id, const std::string& select) {
        return "\n[[element]]\nid = \"" + id + "\"\nkind = \"district\"\nname_zh = \"区\"\nname_en = \"D\"\n"
               "precision = \"surveyed\"\nsource_ref = \"x\"\nselect = " + select + "\n";
    };
    std::string text = std::string(kHeader) + "\n[[base]]\nid = \"b\"\npath = \"b.geojson\"\ncrs = \"EPSG:4326\"\n" +
                       el("by_name", "{ base = \"b\", name = \"济阳区\" }") +
                       el("by_code", "{ base = \"b\", field = \"adcode\", value = 370102 }") +
                       el("both", "{ base = \"b\", all = true }") +
                       "\n[[check]]\ntype = \"partition\"\nelements = [\"by_name\", \"by_code\"]\nof = \"both\"\n"
                       "area_tolerance = 1e-9\noverlap_tolerance = 1e-9\n";
    std::ofstream(in / "plan.toml") << text;
    auto plan = plan::parse_plan((in / "plan.toml").string());
    auto built = plan::build_plan(plan);
    ASSERT_EQ(built.checks.size(), 1u);
    EXPECT_TRUE(built.checks[0].passed) << built.checks[0].detail;
    EXPECT_EQ(built.counts.at("district"), 3u);
    // A name that matches nothing names the element and the value.
    std::ofstream(in / "plan.toml") << std::string(kHeader) + "\n[[base]]\nid = \"b\"\npath = \"b.geojson\"\n" +
                                           el("x", "{ base = \"b\", name = \"章丘区\" }");
    try {
        plan::build_plan(plan::parse_plan((in / "plan.toml").string()));
        FAIL() << "no error";
    } catch (const file_error& e) {
        EXPECT_EQ(e.line(), 11);
        EXPECT_NE(std::string(e.what()).find("element 'x': no feature of base 'b' has name = '章丘区'"), std::string::npos)
            << e.what();
    }
}
