// [[indicator]] rows read and evaluated by the library: counts, areas and lengths measured on the
// plan's own layers against the text's targets, statuses, and every malformed row named by line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "geo/construct.hpp"
#include "geo/crs.hpp"
#include "plan/plan.hpp"
#include "tests/plan/plan_text.hpp"

using namespace planmap;
using test::point_element;
using test::zone_element;

namespace {

// A 0.01° square near Taizhou and two nodes.
std::string plan_text(const std::string& indicators) {
    return std::string(test::kPlanHeader) + point_element("a") + point_element("b") +
           zone_element("z", "polygon = [[121.40, 28.60], [121.41, 28.60], [121.41, 28.61], [121.40, 28.61], [121.40, 28.60]]\n") +
           indicators;
}

std::string row(const std::string& id, const std::string& body) {
    return "\n[[indicator]]\nid = \"" + id + "\"\nname_zh = \"指标\"\nsource_ref = \"x (L1)\"\n" + body;
}

const plan::IndicatorResult& result(const plan::PlanBuild& b, const std::string& id) {
    for (const auto& r : b.indicators)
        if (r.indicator->id == id) return r;
    throw std::runtime_error("no indicator " + id);
}

std::string parse_error(const std::string& text) {
    try {
        (void)plan::parse_plan_text(text, "p.toml");
    } catch (const file_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Indicators, CountAreaLengthAgainstTheirTargets) {
    auto plan = plan::parse_plan_text(
        plan_text(row("nodes", "unit = \"个\"\nevaluate = \"count\"\nkind = \"node\"\ntarget = { value = 2 }\n") +
                  row("three", "unit = \"个\"\nevaluate = \"count\"\nkind = \"node\"\ntarget = { value = 3 }\nseverity = \"warning\"\n") +
                  row("area_ha", "unit = \"公顷\"\nevaluate = \"area\"\nelement = \"z\"\ntarget = { value = 100, year = 2025 }\n"
                                 "baseline = { value = 90, year = 2020 }\n") +
                  row("area_cap", "unit = \"km²\"\nevaluate = \"area\"\nelement = \"z\"\ntarget = { value = 1.0, compare = \"<=\" }\n") +
                  row("edge", "unit = \"km\"\nevaluate = \"length\"\nelement = \"z\"\n") +
                  row("pop", "unit = \"万人\"\nevaluate = \"reported\"\nbaseline = { value = 55.3, year = 2020 }\n"
                             "target = { value = 60, year = 2025 }\n")),
        "p.toml");
    ASSERT_EQ(plan.indicators.size(), 6u);
    auto built = plan::build_plan(plan);
    // The square measured independently in the plan's analysis CRS.
    auto square = geo::from_wkt("POLYGON((121.40 28.60, 121.41 28.60, 121.41 28.61, 121.40 28.61, 121.40 28.60))");
    geo::Transformer tr(geo::Crs::cgcs2000(), *built.analysis_crs);
    auto metric = tr.transform(square.get());
    const double area_m2 = geo::area(metric.get()), perimeter_m = geo::length(metric.get());
    ASSERT_GT(area_m2, 1.0e6);

    EXPECT_EQ(result(built, "nodes").value, 2.0);
    EXPECT_EQ(result(built, "nodes").status, "met");
    EXPECT_EQ(result(built, "three").status, "not met");
    EXPECT_NEAR(*result(built, "area_ha").value, area_m2 / 1e4, 1e-9);
    EXPECT_EQ(result(built, "area_ha").status, "met");  // ~108 ha >= 100 ha
    EXPECT_NEAR(*result(built, "area_cap").value, area_m2 / 1e6, 1e-12);
    EXPECT_EQ(result(built, "area_cap").status, "not met");  // ~1.08 km² is not <= 1.0
    EXPECT_NEAR(*result(built, "edge").value, perimeter_m / 1e3, 1e-12);
    EXPECT_EQ(result(built, "edge").status, "no target");
    EXPECT_FALSE(result(built, "pop").value.has_value());
    EXPECT_EQ(result(built, "pop").status, "not computable");

    // Count indicators are checks too: the missed warning is reported, the build does not fail.
    EXPECT_EQ(built.errors(), 0u);
    EXPECT_EQ(built.warnings_failed(), 1u);
    auto j = plan::indicator_json(result(built, "area_ha"));
    EXPECT_EQ(j["baseline"]["year"], 2020);
    EXPECT_EQ(j["target"]["compare"], ">=");
    EXPECT_EQ(j["status"], "met");
}

TEST(Indicators, AMissedCountOfSeverityErrorFailsTheBuild) {
    auto plan = plan::parse_plan_text(plan_text(row("six", "evaluate = \"count\"\nkind = \"node\"\ntarget = { value = 6 }\n")), "p.toml");
    auto built = plan::build_plan(plan);
    EXPECT_EQ(built.errors(), 1u);
    bool found = false;
    for (const auto& c : built.checks)
        if (c.type == "indicator count") {
            found = true;
            EXPECT_FALSE(c.passed);
            EXPECT_NE(c.detail.find("2 element(s)"), std::string::npos) << c.detail;
            EXPECT_NE(c.detail.find("the text states 6"), std::string::npos) << c.detail;
        }
    EXPECT_TRUE(found);
}

TEST(Indicators, StatusesAgainstTargets) {
    plan::PlanIndicator ind;
    ind.evaluate = "coverage";
    EXPECT_EQ(plan::indicator_status(ind, 50), "no target");
    ind.target = plan::PlanFigure{90, 2025};
    EXPECT_EQ(plan::indicator_status(ind, 90), "met");
    EXPECT_EQ(plan::indicator_status(ind, 89.99), "not met");
    ind.compare = "<=";
    EXPECT_EQ(plan::indicator_status(ind, 89.99), "met");
    ind.compare = "=";
    EXPECT_EQ(plan::indicator_status(ind, 90.4), "met");  // within 0.5 %
    EXPECT_EQ(plan::indicator_status(ind, 91), "not met");
    ind.evaluate = "count";
    ind.target = plan::PlanFigure{4, std::nullopt};
    EXPECT_EQ(plan::indicator_status(ind, 4), "met");
    EXPECT_EQ(plan::indicator_status(ind, 5), "not met");
}

// In Chinese the status stays a machine value (JSON "status") while the line printed for the
// user, its parts and the check that fails the build read in Chinese.
TEST(Indicators, ChineseLineKeepsTheMachineStatus) {
    i18n::LanguageScope zh(i18n::Language::zh);
    auto plan = plan::parse_plan_text(
        plan_text(row("nodes", "unit = \"个\"\nevaluate = \"count\"\nkind = \"node\"\ntarget = { value = 2 }\n") +
                  row("six", "unit = \"个\"\nevaluate = \"count\"\nkind = \"node\"\ntarget = { value = 6, year = 2035 }\n"
                             "baseline = { value = 1, year = 2020 }\nseverity = \"warning\"\n")),
        "p.toml");
    auto built = plan::build_plan(plan);
    const auto& met = result(built, "nodes");
    const auto& missed = result(built, "six");
    EXPECT_EQ(met.status, "met");
    EXPECT_EQ(missed.status, "not met");
    EXPECT_EQ(plan::indicator_json(missed)["status"], "not met");
    EXPECT_EQ(plan::indicator_line(met).rfind("[达标] nodes 指标：2 个", 0), 0u) << plan::indicator_line(met);
    const std::string line = plan::indicator_line(missed);
    EXPECT_EQ(line.rfind("[未达标] six 指标：2 个", 0), 0u) << line;
    EXPECT_NE(line.find("目标值 = 6 个（2035 年）"), std::string::npos) << line;
    EXPECT_NE(line.find("基期值 1 个（2020 年）"), std::string::npos) << line;
    bool found = false;
    for (const auto& c : built.checks)
        if (c.type == "indicator count" && !c.passed) {
            found = true;
            EXPECT_NE(c.detail.find("2 个要素"), std::string::npos) << c.detail;
            EXPECT_NE(c.detail.find("规划文本给出的是 6"), std::string::npos) << c.detail;
        }
    EXPECT_TRUE(found);
    // A broken row keeps its file and line; the sentence is Chinese.
    const std::string err = parse_error(plan_text(row("x", "evaluate = \"count\"\nkind = \"spaceport\"\ntarget = { value = 1 }\n")));
    EXPECT_NE(err.find("p.toml:"), std::string::npos) << err;
    EXPECT_NE(err.find("指标“x”：无法识别的类型“spaceport”"), std::string::npos) << err;
}

TEST(Indicators, MalformedRowsAreNamedByLine) {
    const std::string base = plan_text("");
    const int first = static_cast<int>(std::count(base.begin(), base.end(), '\n')) + 2;  // the [[indicator]] line
    auto at = [&](const std::string& body) { return parse_error(plan_text(row("x", body))); };
    const std::string where = "p.toml:";
    auto e1 = at("evaluate = \"count\"\nkind = \"node\"\n");
    EXPECT_NE(e1.find(where + std::to_string(first) + ": indicator 'x': a count indicator needs a target"), std::string::npos) << e1;
    EXPECT_NE(at("evaluate = \"area\"\nelement = \"z\"\nunit = \"acre\"\n").find("unit must be one of"), std::string::npos);
    EXPECT_NE(at("evaluate = \"guess\"\n").find("'evaluate'"), std::string::npos);
    EXPECT_NE(at("evaluate = \"reported\"\ntarget = { value = 1, when = 2025 }\n").find("unknown key 'when'"), std::string::npos);
    EXPECT_NE(at("evaluate = \"reported\"\nbaseline = { value = 1, year = 20 }\n").find("year"), std::string::npos);
    EXPECT_NE(at("evaluate = \"reported\"\ntargt = { value = 1 }\n").find("unknown key 'targt'"), std::string::npos);
    EXPECT_NE(at("evaluate = \"area\"\nelement = \"nowhere\"\nunit = \"km²\"\n").find("unknown element 'nowhere'"), std::string::npos);
    EXPECT_NE(at("evaluate = \"count\"\nkind = \"moon\"\ntarget = { value = 1 }\n").find("unknown kind 'moon'"), std::string::npos);
    EXPECT_NE(at("evaluate = \"coverage\"\nunit = \"%\"\nprofile = \"gb-park-radius\"\nresidential = \"r\"\n").find("'facilities'"),
              std::string::npos);
    EXPECT_NE(at("evaluate = \"reported\"\nkind = \"node\"\n").find("apply to count indicators"), std::string::npos);
    EXPECT_NE(at("evaluate = \"count\"\nkind = \"node\"\ntarget = { value = 1 }\nseverity = \"fatal\"\n").find("severity"),
              std::string::npos);
    auto dup = parse_error(plan_text(row("d", "evaluate = \"reported\"\n") + row("d", "evaluate = \"reported\"\n")));
    EXPECT_NE(dup.find("duplicate indicator id"), std::string::npos) << dup;
}
