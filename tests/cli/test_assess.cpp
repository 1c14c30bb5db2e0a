// planmap assess: a plan's indicators against data. The coverage indicator's value is the figure
// `planmap coverage` gives on the same data; the outputs (JSON, CSV, HTML, PDF sheet) appear whole
// or not at all; bad data names are refused before any work.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <memory>

#include "layers/io.hpp"
#include "tests/plan/plan_text.hpp"
#include "tests/support.hpp"

using namespace planmap;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Two equal parcels 1 km apart (population 100 and 300) and one 1 ha park 50 m east of the
// first: under gb-park-radius a park of ≥ 5000 m² serves 500 m, so the first parcel is covered
// and the second is not — 50 % of the residential area, 25 % of the population.
std::string city(const test::TempDir& tmp) {
    using layers::FieldType;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer res("residential", {{"population", FieldType::integer, ""}}, crs, "Polygon");
    res.add({-1, test::box(0, 0, 100, 100), {std::int64_t{100}}});
    res.add({-1, test::box(1000, 0, 1100, 100), {std::int64_t{300}}});
    layers::Layer parks("parks", {{"name", FieldType::string, ""}}, crs, "Polygon");
    parks.add({-1, test::box(150, 0, 250, 100), {std::string("公园")}});
    fs::create_directories(tmp / "in");
    auto path = (tmp / "in" / "city.gpkg").string();
    layers::write(std::vector<const layers::Layer*>{&res, &parks}, path);
    return path;
}

const char* kIndicators = R"toml(
[[indicator]]
id = "park_coverage"
name_zh = "公园绿地服务半径覆盖率"
name_en = "Park service-radius coverage"
unit = "%"
baseline = { value = 40, year = 2020 }
target = { value = 90, year = 2025 }
source_ref = "000 (L1)"
evaluate = "coverage"
profile = "gb-park-radius"
residential = "residential"
facilities = "parks"

[[indicator]]
id = "park_population"
name_zh = "公园服务人口覆盖率"
unit = "%"
target = { value = 20, year = 2025 }
source_ref = "000 (L2)"
evaluate = "coverage"
profile = "gb-park-radius"
residential = "residential"
facilities = "parks"
metric = "population_coverage_ratio"

[[indicator]]
id = "centres"
name_zh = "一心"
unit = "个"
target = { value = 1 }
source_ref = "000 (L3)"
evaluate = "count"
kind = "node"
)toml";

std::string write_plan(const test::TempDir& tmp, const std::string& indicators = kIndicators) {
    auto p = (tmp / "plan.toml").string();
    std::ofstream(p) << test::kPlanHeader << test::point_element("a") << indicators;
    return p;
}

}  // namespace

TEST(Assess, CoverageIndicatorsEqualTheCoverageCommand) {
    test::TempDir tmp;
    auto data = city(tmp);
    auto plan = write_plan(tmp);
    auto before = test::fingerprint(tmp / "in");
    auto r = test::run({"assess", plan, "--data", "residential=" + data + ":residential", "--data", "parks=" + data + ":parks",
                        "-o", (tmp / "out").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(test::fingerprint(tmp / "in"), before) << "an input was modified";
    for (const char* f : {"indicators.json", "indicators.csv", "indicators.html", "indicators.pdf",
                          "coverage/park_coverage/coverage.gpkg", "coverage/park_population/coverage.gpkg"})
        EXPECT_TRUE(fs::exists(tmp / "out" / f)) << f;
    auto s = json::parse(test::read_file(tmp / "out" / "indicators.json"));
    ASSERT_EQ(s["indicators"].size(), 3u);
    const auto& area = s["indicators"][0];
    const auto& pop = s["indicators"][1];
    EXPECT_NEAR(area["value"].get<double>(), 50.0, 1e-9);
    EXPECT_EQ(area["status"], "not met");
    EXPECT_NEAR(pop["value"].get<double>(), 25.0, 1e-9);
    EXPECT_EQ(pop["status"], "met");
    EXPECT_EQ(s["indicators"][2]["status"], "met");
    EXPECT_EQ(s["counts"]["met"], 2);
    EXPECT_EQ(s["counts"]["not_met"], 1);

    // The same figures from `planmap coverage` on the same data.
    auto c = test::run({"coverage", "--residential", data + ":residential", "--facilities", data + ":parks", "--profile",
                        "gb-park-radius", "-o", (tmp / "cov").string(), "--json", (tmp / "cov.json").string()});
    ASSERT_EQ(c.code, 0) << c.err;
    auto cov = json::parse(test::read_file(tmp / "cov.json"));
    EXPECT_NEAR(area["value"].get<double>(), 100 * cov["coverage_ratio"].get<double>(), 1e-9);
    EXPECT_NEAR(pop["value"].get<double>(), 100 * cov["population_coverage_ratio"].get<double>(), 1e-9);

    // CSV: a header and one row per indicator; the sheet carries the table as text.
    auto csv = test::read_file(tmp / "out" / "indicators.csv");
    EXPECT_EQ(csv.rfind("id,name_zh,name_en,unit,evaluate,baseline,baseline_year,target,target_year,compare,value,status", 0), 0u);
    EXPECT_NE(csv.find("park_coverage,公园绿地服务半径覆盖率,Park service-radius coverage,%,coverage,40,2020,90,2025,at_least,50,not met"),
              std::string::npos)
        << csv;
    ASSERT_EQ(std::system("command -v pdftotext >/dev/null 2>&1"), 0) << "pdftotext missing (scripts/setup.sh installs poppler-utils)";
    auto text = test::pdf_text(tmp / "out" / "indicators.pdf");
    for (const char* w : {"规划指标评估表", "公园绿地服务半径覆盖率", "未达标", "达标", "000 (L1)"})
        EXPECT_NE(text.find(w), std::string::npos) << w << "\n" << text;
    auto html = test::read_file(tmp / "out" / "indicators.html");
    EXPECT_NE(html.find("<td class=\"fail\">not met</td>"), std::string::npos);
}

TEST(Assess, WithoutDataACoverageIndicatorIsNotComputable) {
    test::TempDir tmp;
    auto plan = write_plan(tmp);
    auto r = test::run({"assess", plan, "-o", (tmp / "out").string(), "-q"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto s = json::parse(test::read_file(tmp / "out" / "indicators.json"));
    EXPECT_TRUE(s["indicators"][0]["value"].is_null());
    EXPECT_EQ(s["indicators"][0]["status"], "not computable");
    EXPECT_EQ(s["indicators"][0]["why"], "no data 'residential' given (--data residential=SRC)");
    EXPECT_EQ(s["counts"]["not_computable"], 2);
}

TEST(Assess, BadDataAndFailedCountsWriteNothing) {
    test::TempDir tmp;
    auto data = city(tmp);
    auto plan = write_plan(tmp);
    auto unknown = test::run({"assess", plan, "--data", "parkz=" + data + ":parks", "-o", (tmp / "out").string()});
    EXPECT_EQ(unknown.code, 2);
    EXPECT_NE(unknown.err.find("--data 'parkz' is read by no indicator of plan 't' (it reads: parks, residential)"),
              std::string::npos)
        << unknown.err;
    auto malformed = test::run({"assess", plan, "--data", "PG:dbname=x password=hunter2", "-o", (tmp / "out").string()});
    EXPECT_EQ(malformed.code, 2);
    EXPECT_EQ(malformed.err.find("hunter2"), std::string::npos) << malformed.err;
    auto missing = test::run({"assess", plan, "--data", "residential=" + (tmp / "nowhere.gpkg").string(), "--data",
                              "parks=" + data + ":parks", "-o", (tmp / "out").string()});
    EXPECT_EQ(missing.code, 1);
    EXPECT_NE(missing.err.find("nowhere.gpkg"), std::string::npos) << missing.err;
    // A count the text states that the plan misses fails the assessment like the build.
    test::TempDir tmp2;
    auto wrong = write_plan(tmp2, std::string(kIndicators).replace(std::string(kIndicators).find("value = 1 }"), 11, "value = 2 }"));
    auto failed = test::run({"assess", wrong, "-o", (tmp2 / "out").string()});
    EXPECT_EQ(failed.code, 1);
    EXPECT_NE(failed.err.find("check 'centres 一心' failed: 1 element(s)"), std::string::npos) << failed.err;
    EXPECT_FALSE(fs::exists(tmp / "out"));
    EXPECT_FALSE(fs::exists(tmp2 / "out"));
    EXPECT_TRUE(test::list_files(tmp.path()).size() > 0);
    for (const auto& f : test::list_files(tmp.path())) EXPECT_EQ(f.find(".planmap-tmp"), std::string::npos) << f;
}

// A table longer than one page at the smallest font goes on over further pages, every row kept.
TEST(Assess, LongIndicatorTablesContinueOverPages) {
    test::TempDir tmp;
    std::string rows;
    for (int i = 0; i < 90; ++i)
        rows += "\n[[indicator]]\nid = \"reported_" + std::to_string(i) + "\"\nname_zh = \"指标" + std::to_string(i) +
                "\"\nunit = \"%\"\ntarget = { value = " + std::to_string(i) + ", year = 2025 }\nsource_ref = \"L" +
                std::to_string(i) + "\"\nevaluate = \"reported\"\n";
    auto plan = write_plan(tmp, rows);
    auto r = test::run({"assess", plan, "-o", (tmp / "out").string(), "-q"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto [status, info] = test::shell("pdfinfo '" + (tmp / "out" / "indicators.pdf").string() + "'");
    ASSERT_EQ(status, 0) << info;
    EXPECT_EQ(info.find("Pages:           1\n"), std::string::npos) << info;
    auto text = test::pdf_text(tmp / "out" / "indicators.pdf");
    for (int i : {0, 45, 89}) EXPECT_NE(text.find("reported_" + std::to_string(i) + ")"), std::string::npos) << i;
}
