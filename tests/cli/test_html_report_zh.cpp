// The reports and messages of the analyses in Chinese (--lang zh): the coverage and life-circle
// HTML reports with Chinese headings, 达标 / 未达标, populations in 万人 and areas in 公顷 beside the
// exact figures of the JSON summary, clauses as "第 x 条"; the page drawn by headless chromium
// (screenshots left in the build tree to be looked at); --lang en keeps the English page; and one
// error, one warning and the text summary of `coverage` in Chinese.
#include <gtest/gtest.h>

#include <cairo.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "geo/geos.hpp"
#include "layers/io.hpp"
#include "tests/plan/plan_text.hpp"
#include "tests/support.hpp"

using namespace planmap;
using nlohmann::json;

namespace {

const char* kChromium = "/usr/bin/chromium";

std::string chromium(const test::TempDir& tmp, const std::string& args) {
    return std::string("timeout 120 ") + kChromium +
           " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
           "--disable-component-update --disable-sync --user-data-dir=" + (tmp / "profile").string() + " " + args + " 2>/dev/null";
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

double plain(std::string digits) {
    digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
    return std::stod(digits);
}

// Every "X 公顷（Y m²）" (unit "公顷", exact unit "m²") or "X 万人（Y 人）" of the page: X is Y in
// units of 10 000 to two decimals (the exact figure may be set smaller). Returns the exact figures Y.
std::vector<double> figures_in_wan(const std::string& html, const std::string& unit, const std::string& exact_unit) {
    std::vector<double> exact;
    const std::regex re("([0-9.]+) " + unit + "(?:<small[^>]*>)?（([0-9,]+) " + exact_unit + "）");
    for (std::sregex_iterator it(html.begin(), html.end(), re), end; it != end; ++it) {
        double big = std::stod((*it)[1]), figure = plain((*it)[2]);
        EXPECT_NEAR(big, figure / 1e4, 0.0051) << (*it)[0];
        exact.push_back(figure);
    }
    return exact;
}
std::vector<double> hectare_figures(const std::string& html) { return figures_in_wan(html, "公顷", "m²"); }
std::vector<double> wan_ren_figures(const std::string& html) { return figures_in_wan(html, "万人", "人"); }

bool contains_rounded(const std::vector<double>& figures, double exact) {
    return std::any_of(figures.begin(), figures.end(), [&](double f) { return std::fabs(f - std::round(exact)) < 0.5; });
}

struct Report {
    test::TempDir tmp;
    std::string html;
    json summary;
};

// A coverage run on a synthetic city (large enough for 万人 and 公顷), report in `lang`.
void coverage_report(Report& r, const std::string& lang) {
    auto city = (r.tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "800", "--seed", "2", "-o", city, "-q"}).code, 0);
    auto res = test::run({"--lang", lang, "coverage", "--facilities", city + ":parks", "--residential", city + ":residential",
                          "--profile", "gb55014", "--zones", city + ":zones", "--zone-field", "name", "-o", (r.tmp / "out").string(),
                          "--html", (r.tmp / "report.html").string(), "--json", (r.tmp / "s.json").string(), "-q"});
    ASSERT_EQ(res.code, 0) << res.err;
    r.html = test::read_file(r.tmp / "report.html");
    r.summary = json::parse(test::read_file(r.tmp / "s.json"));
}

void lifecircle_report(Report& r, const std::string& lang) {
    auto city = (r.tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "400", "--seed", "4", "-o", city, "-q"}).code, 0);
    auto res = test::run({"--lang", lang, "lifecircle", "--facilities", city + ":facilities", "--residential", city + ":residential",
                          "-o", (r.tmp / "out").string(), "--html", (r.tmp / "lc.html").string(), "--json", (r.tmp / "s.json").string(),
                          "-q"});
    ASSERT_EQ(res.code, 0) << res.err;
    r.html = test::read_file(r.tmp / "lc.html");
    r.summary = json::parse(test::read_file(r.tmp / "s.json"));
}

// Opens the page in headless chromium, checks the DOM and leaves a full-width screenshot in the
// build tree (the test's working folder) as `png`; checks that the page was drawn and that nothing
// is wider than the window (no horizontal overflow: the rightmost column of the shot is background).
void render_in_chromium(const Report& r, const std::string& file, const std::string& png) {
    if (access(kChromium, X_OK) != 0) GTEST_SKIP() << "chromium not installed";
    std::string url = "file://" + (r.tmp / file).string();
    auto [rc, dom] = test::shell(chromium(r.tmp, "--dump-dom " + url), false);
    ASSERT_EQ(rc, 0) << dom;
    EXPECT_TRUE(has(dom, "<html lang=\"zh-CN\">")) << dom.substr(0, 200);
    EXPECT_TRUE(has(dom, "<svg id=\"map\""));
    auto shot = (std::filesystem::current_path() / png).string();
    auto [rc2, out2] = test::shell(chromium(r.tmp, "--screenshot=" + shot + " --window-size=1400,2400 " + url), false);
    ASSERT_EQ(rc2, 0) << out2;
    cairo_surface_t* img = cairo_image_surface_create_from_png(shot.c_str());
    ASSERT_EQ(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img), stride = cairo_image_surface_get_stride(img);
    EXPECT_EQ(w, 1400);
    const unsigned char* data = cairo_image_surface_get_data(img);
    std::set<std::uint32_t> colours;
    for (int y = 0; y < h; y += 2)
        for (int x = 0; x < w; x += 2) colours.insert(*reinterpret_cast<const std::uint32_t*>(data + y * stride + x * 4));
    // The page is centred, 1244 px wide with its padding, on a #f3f4f1 background: in a 1400 px
    // window the margins stay background (the right one left of the scroll bar).
    std::size_t off_background = 0;
    for (int y = 0; y < h; ++y)
        for (int x : {20, w - 40}) {
            std::uint32_t px = *reinterpret_cast<const std::uint32_t*>(data + y * stride + x * 4) & 0xFFFFFF;
            off_background += px != 0xF3F4F1;
        }
    cairo_surface_destroy(img);
    EXPECT_GT(colours.size(), 50u);
    EXPECT_EQ(off_background, 0u) << "something reaches the page margin: " << shot;
}

}  // namespace

TEST(HtmlReportZh, CoverageReportInChinese) {
    Report r;
    coverage_report(r, "zh");
    ASSERT_FALSE(HasFatalFailure());
    const auto& h = r.html;
    const auto& s = r.summary;
    EXPECT_TRUE(has(h, "<html lang=\"zh-CN\">"));
    EXPECT_TRUE(has(h, "<title>服务半径覆盖率 — gb55014</title>"));
    for (const char* heading : {"<h2>地图</h2>", "<h2>分区统计</h2>", "<h2>服务范围</h2>", "<h2>规则配置</h2>", "<h2>输入与参数</h2>", "<h2>耗时</h2>"})
        EXPECT_TRUE(has(h, heading)) << heading;
    // The verdicts: 达标 / 未达标, as the JSON summary has them; the clause as 第 2.1.4 条.
    for (const auto& c : s["thresholds"])
        if (!c["pass"].is_null()) {
            EXPECT_TRUE(has(h, c["pass"].get<bool>() ? "<b>达标</b>" : "<b>未达标</b>"));
        }
    EXPECT_TRUE(has(h, "GB 55014-2021 第 2.1.4 条（已核实）"));
    EXPECT_TRUE(has(h, "公园绿地服务半径覆盖率 &gt; 80%"));
    EXPECT_TRUE(has(h, "人均公园绿地面积"));
    EXPECT_TRUE(has(h, "公园 ≥ 5000 m²"));  // the profile's size class, translated
    // No English left of the page's own text.
    for (const char* english : {"Service-radius coverage", "<h2>Map</h2>", "<h2>Zones</h2>", "<h2>Service areas</h2>", "Rule profile",
                                "Inputs and parameters", "<b>PASS</b>", "<b>FAIL</b>", "coverage ratio (area)", "Made by planmap",
                                "residential area", "population coverage", "No zones were given"})
        EXPECT_FALSE(has(h, english)) << english;
    // Areas in 公顷 and people in 万人, each beside the exact figure of the JSON summary.
    auto ha = hectare_figures(h);
    EXPECT_TRUE(contains_rounded(ha, s["residential_area_m2"].get<double>())) << s["residential_area_m2"];
    EXPECT_TRUE(contains_rounded(ha, s["covered_area_m2"].get<double>())) << s["covered_area_m2"];
    ASSERT_TRUE(s["population"].is_number());
    ASSERT_GE(s["population"].get<double>(), 1e4);
    EXPECT_TRUE(contains_rounded(wan_ren_figures(h), s["population"].get<double>())) << s["population"];
    render_in_chromium(r, "report.html", "html_report_zh_coverage.png");
}

TEST(HtmlReportZh, LifecircleReportInChinese) {
    Report r;
    lifecircle_report(r, "zh");
    ASSERT_FALSE(HasFatalFailure());
    const auto& h = r.html;
    const auto& s = r.summary;
    EXPECT_TRUE(has(h, "<title>生活圈评估 — gb50180-life-circle</title>"));
    for (const char* heading : {"<h2>地图</h2>", "<h2>生活圈等级</h2>", "<h2>设施类型</h2>", "<h2>规则配置</h2>"})
        EXPECT_TRUE(has(h, heading)) << heading;
    EXPECT_TRUE(has(h, ">地块达标率</"));
    EXPECT_TRUE(has(h, "幼儿园、老年人日间照料中心"));  // a level's facilities by their Chinese names
    EXPECT_TRUE(has(h, "未设达标阈值"));
    EXPECT_TRUE(has(h, "GB 50180-2018 第 2.0.2 条、表 3.0.4"));
    EXPECT_TRUE(has(h, "附录 C（社区服务设施）"));
    for (const char* english : {"Life-circle audit", "<h2>Levels</h2>", "<h2>Facility types</h2>", "Rule profile", "parcel share",
                                "The profile sets no threshold", "straight-line distances"})
        EXPECT_FALSE(has(h, english)) << english;
    auto ha = hectare_figures(h);
    EXPECT_TRUE(contains_rounded(ha, s["residential_area_m2"].get<double>())) << s["residential_area_m2"];
    if (s["population"].is_number() && s["population"].get<double>() >= 1e4) {
        EXPECT_TRUE(contains_rounded(wan_ren_figures(h), s["population"].get<double>())) << s["population"];
    }
    render_in_chromium(r, "lc.html", "html_report_zh_lifecircle.png");
}

// --lang en: today's English page.
TEST(HtmlReportZh, EnglishReportStaysEnglish) {
    Report r;
    coverage_report(r, "en");
    ASSERT_FALSE(HasFatalFailure());
    const auto& h = r.html;
    EXPECT_TRUE(has(h, "<title>Service-radius coverage — gb55014</title>"));
    for (const char* heading : {"<h2>Map</h2>", "<h2>Zones</h2>", "<h2>Service areas</h2>", "<h2>Rule profile</h2>", "<h2>Inputs and parameters</h2>"})
        EXPECT_TRUE(has(h, heading)) << heading;
    EXPECT_TRUE(has(h, r.summary["thresholds"][0]["pass"].get<bool>() ? "<b>PASS</b>" : "<b>FAIL</b>"));
    EXPECT_TRUE(has(h, "GB 55014-2021 §2.1.4 [V]"));
    EXPECT_TRUE(has(h, "park ≥ 5000 m²"));
    EXPECT_FALSE(has(h, "公顷"));
    EXPECT_FALSE(has(h, "万人"));
    EXPECT_FALSE(has(h, "<h2>地图</h2>"));
    EXPECT_FALSE(has(h, "<b>达标</b>"));
}

// The indicator page of `assess` in Chinese: the headings and statuses without their English twins.
TEST(HtmlReportZh, IndicatorPageInChinese) {
    test::TempDir tmp;
    auto plan = (tmp / "plan.toml").string();
    std::ofstream(plan) << test::kPlanHeader << test::point_element("a") << R"toml(
[[indicator]]
id = "centres"
name_zh = "一心"
unit = "个"
target = { value = 1 }
source_ref = "000 (L3)"
evaluate = "count"
kind = "node"

[[indicator]]
id = "park_coverage"
name_zh = "公园绿地服务半径覆盖率"
unit = "%"
target = { value = 90, year = 2025 }
source_ref = "000 (L1)"
evaluate = "coverage"
profile = "gb-park-radius"
residential = "residential"
facilities = "parks"
)toml";
    auto r = test::run({"--lang", "zh", "assess", plan, "-o", (tmp / "out").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "指标：共 2 项，达标 1 项，未达标 0 项，无目标 0 项，不可计算 1 项")) << r.out;
    auto h = test::read_file(tmp / "out" / "indicators.html");
    EXPECT_TRUE(has(h, "<html lang=\"zh-CN\">"));
    EXPECT_TRUE(has(h, "<h2>指标</h2>"));
    EXPECT_TRUE(has(h, "<td class=\"pass\">达标</td>"));
    EXPECT_TRUE(has(h, "<td class=\"na\">不可计算</td>"));
    EXPECT_TRUE(has(h, "<th class=\"n\">目标值</th>"));
    for (const char* english : {"Indicators", "not computable", "baseline", "Made by planmap", "plan indicators"})
        EXPECT_FALSE(has(h, english)) << english;
}

// One error, one warning and the text summary of the analyses in Chinese.
TEST(HtmlReportZh, MessagesInChinese) {
    test::TempDir tmp;
    using layers::FieldType;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer res("residential", {{"population", FieldType::integer, ""}}, crs, "Polygon");
    res.add({-1, test::box(0, 0, 100, 100), {std::int64_t{100}}});
    layers::Layer fac("facilities", {}, crs, "Unknown");
    fac.add({-1, geo::make_point(620050, 3160050), {}});
    fac.add({-1, geo::from_wkt("POLYGON((620500 3160000, 620510 3160010, 620510 3160000, 620500 3160010, 620500 3160000))"), {}});
    auto city = (tmp / "city.gpkg").string();
    layers::write(std::vector<const layers::Layer*>{&res, &fac}, city);

    // An error: a radius that is not positive.
    auto bad = test::run({"--lang", "zh", "coverage", "--facilities", city + ":facilities", "--residential", city + ":residential",
                          "--radius", "-5", "-o", (tmp / "bad").string()});
    EXPECT_EQ(bad.code, 2);
    EXPECT_TRUE(has(bad.err, "--radius 必须为正数（米）")) << bad.err;
    // An unknown profile names the shipped ones.
    auto unknown = test::run({"--lang", "zh", "coverage", "--facilities", city + ":facilities", "--residential", city + ":residential",
                              "--profile", "nosuch", "-o", (tmp / "bad").string()});
    EXPECT_TRUE(has(unknown.err, "未知的规则配置“nosuch”")) << unknown.err;
    EXPECT_TRUE(has(unknown.err, "gb55014")) << unknown.err;

    // A warning (the bow-tie facility repaired on import) and the summary, in Chinese.
    auto ok = test::run({"--lang", "zh", "coverage", "--facilities", city + ":facilities", "--residential", city + ":residential",
                         "--radius", "200", "-o", (tmp / "out").string()});
    ASSERT_EQ(ok.code, 0) << ok.err;
    EXPECT_TRUE(has(ok.err, "输入数据：修复 1 个几何图形（facilities 1）")) << ok.err;
    EXPECT_TRUE(has(ok.out, "居住用地面积：")) << ok.out;
    EXPECT_TRUE(has(ok.out, "覆盖率")) << ok.out;
    EXPECT_FALSE(has(ok.out, "residential area")) << ok.out;
}
