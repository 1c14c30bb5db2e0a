// Structure sheets a reviewer signs: every named element labelled (with a leader line when there is
// no room, reported when there is none at all), curved and stacked labels found as whole words in
// the PDF text, fonts embedded, a style and a Chinese legend entry for every kind, base geography
// drawn beneath the structure. The plans are written here; nothing of data/ is needed.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "plan/plan.hpp"
#include "styles/style.hpp"
#include "tests/support.hpp"

using namespace planmap;
namespace fs = std::filesystem;

namespace {

const char* plan_head = R"([plan]
id = "t"
name_zh = "测试规划"
name_en = "Test plan"
source = "test"
district = "district"

[[element]]
id = "district"
kind = "district"
name_zh = "测试区"
name_en = "Test district"
precision = "schematic"
source_ref = "test"
polygon = [[121.30, 28.60], [121.60, 28.60], [121.60, 28.80], [121.30, 28.80]]
)";

std::string element(const std::string& id, const std::string& kind, const std::string& name, const std::string& geometry) {
    return "\n[[element]]\nid = \"" + id + "\"\nkind = \"" + kind + "\"\nname_zh = \"" + name + "\"\nname_en = \"" + id +
           "\"\nprecision = \"schematic\"\nsource_ref = \"test\"\n" + geometry + "\n";
}

fs::path write_plan(const test::TempDir& dir, const std::string& body) {
    fs::path p = dir / "plan.toml";
    std::ofstream(p) << plan_head << body;
    return p;
}

bool have(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }

std::string pdf_text(const fs::path& pdf) { return test::shell("pdftotext '" + pdf.string() + "' -", false).second; }

std::size_t occurrences(const std::string& text, const std::string& word) {
    std::size_t n = 0;
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + word.size())) ++n;
    return n;
}

}  // namespace

TEST(PlanSheets, CurvedAndStackedLabelsAreWholeWordsInThePdfText) {
    if (!have("pdftotext") || !have("pdffonts")) GTEST_SKIP() << "poppler-utils missing";
    test::TempDir dir;
    auto plan = write_plan(dir, element("axis", "axis", "一江两岸", "line = [[121.33, 28.66], [121.40, 28.71], [121.47, 28.72], [121.56, 28.67]]\nsmooth = 2") +
                                    element("avenue", "road", "中心大道", "line = [[121.50, 28.62], [121.505, 28.70], [121.50, 28.78]]"));
    auto r = test::run({"render", "--plan", plan.string(), "-o", (dir / "s.pdf").string(), "--verbose"});
    ASSERT_EQ(r.code, 0) << r.err;
    std::string text = pdf_text(dir / "s.pdf");
    // Once each: the glyphs along the line are outlines, the text is the one invisible run.
    EXPECT_EQ(occurrences(text, "一江两岸"), 1u) << text;
    EXPECT_EQ(occurrences(text, "中心大道"), 1u) << text;
    EXPECT_EQ(occurrences(text, "两"), 1u) << text;
    // Every font is embedded (as a subset).
    auto [code, fonts] = test::shell("pdffonts '" + (dir / "s.pdf").string() + "'", false);
    ASSERT_EQ(code, 0);
    std::istringstream rows(fonts);
    std::string row;
    int n = 0;
    for (int i = 0; std::getline(rows, row); ++i) {
        if (i < 2 || row.empty()) continue;  // header and rule
        ++n;
        EXPECT_NE(row.find("yes yes"), std::string::npos) << "not embedded as a subset: " << row;
    }
    EXPECT_GT(n, 0) << fonts;
}

TEST(PlanSheets, CrowdedLabelsGoToAFreePlaceWithALeaderLine) {
    if (!have("pdftotext")) GTEST_SKIP() << "pdftotext missing";
    test::TempDir dir;
    std::string body;
    // Twelve nodes within 300 m and a zone far too small for its name: no room at the features.
    std::vector<std::string> names;
    for (int i = 0; i < 12; ++i) {
        names.push_back("拥挤节点" + std::to_string(i + 1));
        char pt[64];
        std::snprintf(pt, sizeof pt, "point = [%.4f, %.4f]", 121.45 + 0.0003 * (i % 4), 28.70 + 0.0003 * (i / 4));
        body += element("n" + std::to_string(i), "node", names.back(), pt);
    }
    body += element("tiny", "zone", "很小的功能片区", "polygon = [[121.40, 28.65], [121.401, 28.65], [121.401, 28.651], [121.40, 28.651]]");
    names.push_back("很小的功能片区");
    auto plan = write_plan(dir, body);
    auto r = test::run({"render", "--plan", plan.string(), "-o", (dir / "s.pdf").string(), "--paper", "A4"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("with a leader line"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("labels without a place"), std::string::npos) << r.out;
    std::string text = pdf_text(dir / "s.pdf");
    for (const auto& n : names) EXPECT_NE(text.find(n), std::string::npos) << n;
}

TEST(PlanSheets, LabelsWithoutAnyPlaceAreReportedByName) {
    test::TempDir dir;
    std::string body;
    for (int i = 0; i < 700; ++i) {
        char pt[64];
        std::snprintf(pt, sizeof pt, "point = [%.4f, %.4f]", 121.45 + 0.0001 * (i % 10), 28.70 + 0.0001 * (i / 10));
        body += element("n" + std::to_string(i), "node", "一个相当长的节点名称第" + std::to_string(i) + "号", pt);
    }
    auto plan = write_plan(dir, body);
    auto r = test::run({"render", "--plan", plan.string(), "-o", (dir / "s.png").string(), "--paper", "A4", "--dpi", "30"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("labels without a place: 一个相当长的节点名称第"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("found no place on the sheet"), std::string::npos) << r.err;
}

TEST(PlanSheets, EveryKindHasAStyleAndAChineseLegendEntry) {
    auto style = styles::load_style(styles::resolve_style("plan_structure", ""));
    auto chinese = [](const std::string& s) { return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xE4; }); };
    for (const auto& r : style.rules) {
        EXPECT_FALSE(r.filter.otherwise) << "catch-all rule at line " << r.line_no;
        EXPECT_TRUE(chinese(r.title)) << "rule at line " << r.line_no << ": '" << r.title << "'";
        ASSERT_TRUE(r.label) << "line " << r.line_no;
        EXPECT_TRUE(r.label->leader) << "line " << r.line_no;
    }
    for (const auto& kind : plan::plan_kinds()) {
        auto styled = std::find_if(style.rules.begin(), style.rules.end(), [&](const styles::Rule& r) {
            return std::any_of(r.filter.conditions.begin(), r.filter.conditions.end(), [&](const styles::Condition& c) {
                return c.field == "kind" && std::find(c.values.begin(), c.values.end(), kind) != c.values.end();
            });
        });
        ASSERT_NE(styled, style.rules.end()) << "no rule for kind " << kind;
        EXPECT_TRUE(styled->fill || styled->line || styled->arrow || styled->marker) << kind;
    }
    for (const auto& role : plan::plan_base_roles()) {
        auto base = styles::load_style(styles::resolve_style("plan_base_" + role, ""));
        ASSERT_FALSE(base.rules.empty()) << role;
        EXPECT_TRUE(chinese(base.rules.front().title)) << role;
    }
}

TEST(PlanSheets, BaseLayersAreDrawnBeneathWithoutWideningTheFrame) {
    test::TempDir dir;
    // The user's water: a river band across the district, and a lake far away.
    std::ofstream(dir / "water.geojson") << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"江"},"geometry":{"type":"Polygon","coordinates":[[[121.2,28.69],[121.7,28.69],[121.7,28.70],[121.2,28.70],[121.2,28.69]]]}},
{"type":"Feature","properties":{"name":"远湖"},"geometry":{"type":"Polygon","coordinates":[[[125.0,32.0],[125.1,32.0],[125.1,32.1],[125.0,32.1],[125.0,32.0]]]}}]})";
    std::string body = "\n[[base]]\nid = \"water\"\npath = \"water.geojson\"\ndraw = \"water\"\n" +
                       element("creek", "river", "测试河", "line = [[121.35, 28.62], [121.38, 28.70], [121.36, 28.78]]") +
                       element("zone", "zone", "滨水片区", "polygon = [[121.40, 28.65], [121.55, 28.65], [121.55, 28.75], [121.40, 28.75]]");
    auto plan = write_plan(dir, body);
    auto r = test::run({"render", "--plan", plan.string(), "-o", (dir / "s.png").string(), "--dpi", "40"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("[水系(底图) water]"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("[河流水系 river]"), std::string::npos) << r.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex(", 1:([0-9]+)"))) << r.out;
    EXPECT_LT(std::stod(m[1]), 500000) << "the far lake widened the frame: " << r.out;
    // An unknown role is a plan error naming the line.
    std::ofstream(dir / "bad.toml") << plan_head << "\n[[base]]\nid = \"w\"\npath = \"water.geojson\"\ndraw = \"lake\"\n";
    auto bad = test::run({"render", "--plan", (dir / "bad.toml").string(), "-o", (dir / "b.png").string()});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find("unknown role 'lake'"), std::string::npos) << bad.err;
}
