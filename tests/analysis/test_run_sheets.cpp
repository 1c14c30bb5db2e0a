// The sheets coverage and life-circle runs write (OUTDIR/*.map.toml): the facilities layer with
// each facility's size class or type (too small, unattached and other types marked), the style
// made from the profile whose legend lists exactly the classes present with their radii, and the
// statistics box whose figures, pass/fail words and clauses are those of the summary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>

#include "analysis/coverage_run.hpp"
#include "analysis/lifecircle_run.hpp"
#include "analysis/run_map.hpp"
#include "layers/io.hpp"
#include "render/sheet.hpp"
#include "tests/analysis/cities.hpp"
#include "tests/support.hpp"

using namespace planmap;
using nlohmann::json;

namespace {

// A park profile with three size classes (the largest matched by no park of the city below) and
// two thresholds on the coverage ratio, one met and one missed, with clauses of their own.
std::string park_profile(const test::TempDir& tmp) {
    auto path = tmp / "parks.toml";
    std::ofstream(path) << R"(name = "test-parks"
title = "测试 park classes"
dissolve = true
[[radius]]
label = "城市公园 city park ≥ 100 ha"
min_area_m2 = 1000000
radius_m = 2000
standard = "TEST-1"
clause = "1.1"
confidence = "V"
[[radius]]
label = "综合公园 large park ≥ 5000 m²"
min_area_m2 = 5000
max_area_m2 = 1000000
radius_m = 500
standard = "TEST-1"
clause = "1.2"
confidence = "V"
[[radius]]
label = "社区公园 small park 2000–5000 m²"
min_area_m2 = 2000
max_area_m2 = 5000
radius_m = 300
standard = "TEST-1"
clause = "1.3"
confidence = "V"
[[threshold]]
label = "覆盖率 coverage > 1%"
metric = "coverage_ratio"
op = ">"
value = 0.01
standard = "TEST-2"
clause = "7.3.1"
confidence = "V"
[[threshold]]
label = "覆盖率 coverage > 99%"
metric = "coverage_ratio"
op = ">"
value = 0.99
standard = "TEST-2"
clause = "8.4.2"
confidence = "M"
)";
    return path.string();
}

// Parks: a large one (two touching patches of 4000 m², dissolved to 8000 m²), a small one
// (3000 m²) and one too small to count (1000 m²); five residential parcels, one far away.
std::string park_city(const test::TempDir& tmp) {
    using layers::FieldType;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer parks("parks", {{"name", FieldType::string, ""}}, crs, "Polygon");
    parks.add({-1, test::box(0, 0, 40, 100), {std::string("large west")}});
    parks.add({-1, test::box(40, 0, 80, 100), {std::string("large east")}});
    parks.add({-1, test::box(600, 0, 660, 50), {std::string("small")}});
    parks.add({-1, test::box(1200, 0, 1240, 25), {std::string("tiny")}});
    layers::Layer res("residential", {{"population", FieldType::integer, ""}}, crs, "Polygon");
    res.add({-1, test::box(100, 0, 200, 100), {std::int64_t{400}}});
    res.add({-1, test::box(700, 0, 800, 100), {std::int64_t{300}}});
    res.add({-1, test::box(1100, 100, 1300, 200), {std::int64_t{500}}});
    res.add({-1, test::box(3000, 0, 3100, 100), {std::int64_t{200}}});
    std::filesystem::create_directories(tmp / "in");
    auto path = (tmp / "in" / "parks.gpkg").string();
    layers::write(std::vector<const layers::Layer*>{&parks, &res}, path);
    return path;
}

// The facilities layer of a run, by facility id: (status, map_class, size_class).
std::map<std::int64_t, std::array<std::string, 3>> facility_classes(const std::filesystem::path& gpkg) {
    layers::ReadOptions ro;
    ro.layer = "facilities";
    auto l = layers::read_layer(gpkg.string(), ro);
    std::map<std::int64_t, std::array<std::string, 3>> out;
    for (std::size_t i = 0; i < l.size(); ++i) {
        auto fid = layers::value_to_double(l.value(i, "facility_fid"));
        out[static_cast<std::int64_t>(*fid)] = {layers::value_to_string(l.value(i, "status")), layers::value_to_string(l.value(i, "map_class")),
                                                l.field_index("size_class") >= 0 ? layers::value_to_string(l.value(i, "size_class")) : ""};
    }
    return out;
}

render::RenderReport render_map(const std::filesystem::path& map, const std::filesystem::path& out) {
    auto spec = render::load_map(map.string());
    return render::render_sheet(render::load_map_data(spec), out.string());
}

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f %%", 100 * v);
    return buf;
}

}  // namespace

TEST(RunSheets, CoverageFacilitiesBySizeClassTooSmallMarked) {
    test::TempDir tmp;
    analysis::CoverageOptions o;
    o.inputs.facilities = park_city(tmp) + ":parks";
    o.inputs.residential = (tmp / "in" / "parks.gpkg").string() + ":residential";
    o.inputs.output = (tmp / "out").string();
    o.profile = park_profile(tmp);
    auto r = analysis::run_coverage(o);
    const auto prof = analysis::load_profile(o.profile);
    auto classes = facility_classes(tmp / "out" / "coverage.gpkg");
    ASSERT_EQ(classes.size(), 4u);
    // The two touching patches are one large park; the 3000 m² one is small; the 1000 m² one too small.
    EXPECT_EQ(classes[1][0], "counted");
    EXPECT_EQ(classes[1][1], prof.radius_rules[1].label);
    EXPECT_EQ(classes[2][1], prof.radius_rules[1].label);
    EXPECT_EQ(classes[3][1], prof.radius_rules[2].label);
    EXPECT_EQ(classes[4][0], "too_small");
    EXPECT_EQ(classes[4][1], "too_small");
    EXPECT_EQ(classes[4][2], "too small");
    EXPECT_EQ(r.summary["facilities_by_status"]["too_small"], 1);
    EXPECT_EQ(r.summary["facilities_by_status"]["counted"], 3);
    EXPECT_EQ(r.summary["facilities_by_status"]["counted"], r.summary["facilities_counted"]);
}

TEST(RunSheets, CoverageSheetStatisticsAndLegendFollowTheSummaryAndProfile) {
    if (test::shell("command -v pdftotext").first != 0) GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
    test::TempDir tmp;
    analysis::CoverageOptions o;
    o.inputs.facilities = park_city(tmp) + ":parks";
    o.inputs.residential = (tmp / "in" / "parks.gpkg").string() + ":residential";
    o.inputs.output = (tmp / "out").string();
    o.profile = park_profile(tmp);
    auto r = analysis::run_coverage(o);
    const auto prof = analysis::load_profile(o.profile);
    const auto& checks = r.summary["thresholds"];
    ASSERT_EQ(checks.size(), prof.thresholds.size());
    // One threshold is met and one missed on these figures.
    std::set<bool> outcomes;
    for (const auto& c : checks) outcomes.insert(c["pass"].get<bool>());
    ASSERT_EQ(outcomes.size(), 2u);

    auto rep = render_map(tmp / "out" / "coverage.map.toml", tmp / "coverage.pdf");
    auto text = test::pdf_text(tmp / "coverage.pdf");
    ASSERT_FALSE(text.empty());
    // Each threshold: its clause, its outcome word, and the actual figure as the summary has it.
    for (std::size_t k = 0; k < prof.thresholds.size(); ++k) {
        EXPECT_NE(text.find(prof.thresholds[k].cite.clause), std::string::npos) << prof.thresholds[k].cite.clause << "\n" << text;
        EXPECT_NE(text.find(checks[k]["pass"].get<bool>() ? "达标 PASS" : "未达标 FAIL"), std::string::npos) << text;
    }
    const std::string figure = percent(r.summary["coverage_ratio"].get<double>());
    EXPECT_EQ(analysis::format_figure("coverage_ratio", r.summary["coverage_ratio"].get<double>()), figure);
    EXPECT_NE(text.find(figure), std::string::npos) << figure << "\n" << text;
    EXPECT_NE(text.find(percent(r.summary["population_coverage_ratio"].get<double>())), std::string::npos) << text;
    EXPECT_FALSE(rep.stats.empty());

    // The legend: exactly the size classes present, each with the radius of its profile row; the
    // class no park falls in is not listed; the too-small class is.
    std::set<std::string> size_entries;
    bool too_small = false;
    for (const auto& e : rep.legend) {
        if (e.find("服务半径") != std::string::npos) size_entries.insert(e);
        too_small = too_small || e.rfind("面积不足不计", 0) == 0;
    }
    EXPECT_TRUE(too_small);
    std::set<std::string> expected;
    for (std::size_t k = 1; k < prof.radius_rules.size(); ++k) {
        char radius[32];
        std::snprintf(radius, sizeof radius, "%g", prof.radius_rules[k].radius_m);
        expected.insert(prof.radius_rules[k].label + " · 服务半径 radius " + radius + " m");
    }
    EXPECT_EQ(size_entries, expected);
    for (const auto& e : rep.legend) EXPECT_EQ(e.find(prof.radius_rules[0].label), std::string::npos) << e;
}

TEST(RunSheets, UnattachedFacilityIsMarkedInNetworkMode) {
    test::TempDir tmp;
    auto city = test::river_city(tmp);
    analysis::CoverageOptions o;
    o.inputs.facilities = city + ":facilities";
    o.inputs.residential = city + ":residential";
    o.inputs.output = (tmp / "net").string();
    o.inputs.mode = analysis::Mode::network;
    o.inputs.network.network = city + ":streets";
    o.radius_m = 400;
    auto r = analysis::run_coverage(o);
    const auto& unattached = r.summary["unattached_facilities"];
    ASSERT_FALSE(unattached.empty());
    auto classes = facility_classes(tmp / "net" / "coverage.gpkg");
    for (const auto& [fid, c] : classes) {
        bool un = std::find(unattached.begin(), unattached.end(), json(fid)) != unattached.end();
        EXPECT_EQ(c[0], un ? "unattached" : "counted") << fid;
        EXPECT_EQ(c[1], un ? "unattached" : "fixed radius") << fid;
    }
    EXPECT_EQ(r.summary["facilities_by_status"]["unattached"], unattached.size());
    auto rep = render_map(tmp / "net" / "coverage.map.toml", tmp / "net.pdf");
    std::size_t marked = 0;
    for (const auto& e : rep.legend) marked += e.rfind("未接入路网 unattached", 0) == 0;
    EXPECT_EQ(marked, 1u);

    // The life-circle run marks the same facility.
    analysis::LifecircleOptions lo;
    lo.inputs = o.inputs;
    lo.inputs.output = (tmp / "lc").string();
    auto lc = analysis::run_lifecircle(lo);
    auto lclasses = facility_classes(tmp / "lc" / "lifecircle.gpkg");
    for (const auto& id : lc.summary["unattached_facilities"]) EXPECT_EQ(lclasses[id.get<std::int64_t>()][0], "unattached");
}

TEST(RunSheets, LifecircleSheetLegendListsTheFacilityTypesPresent) {
    if (test::shell("command -v pdftotext").first != 0) GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
    test::TempDir tmp;
    auto city = test::river_city(tmp);
    auto profile = tmp / "lc.toml";
    // Three types: kindergartens and clinics are in the city, schools are not.
    std::ofstream(profile) << R"(name = "two-levels"
type_field = "type"
level = [{name = "near", title = "近 near", radius_m = 300, standard = "T", clause = "1", confidence = "V"},
         {name = "far", title = "远 far", radius_m = 1000, standard = "T", clause = "2", confidence = "V"}]
facility = [{type = "kindergarten", name_zh = "幼儿园", level = "near", radius_m = 300, standard = "T", clause = "1.1", confidence = "V"},
            {type = "clinic", name_zh = "诊所", level = "far", radius_m = 1000, standard = "T", clause = "2.1", confidence = "V"},
            {type = "school", name_zh = "学校", level = "far", radius_m = 1000, standard = "T", clause = "2.2", confidence = "V"}]
)";
    analysis::LifecircleOptions o;
    o.inputs.facilities = city + ":facilities";
    o.inputs.residential = city + ":residential";
    o.inputs.output = (tmp / "lc").string();
    o.profile = profile.string();
    auto r = analysis::run_lifecircle(o);
    const auto prof = analysis::load_profile(profile.string());
    auto rep = render_map(tmp / "lc" / "lifecircle.map.toml", tmp / "lc.pdf");
    // The legend's facility entries are exactly the types present (by their Chinese names).
    std::set<std::string> types_listed;
    for (const auto& e : rep.legend)
        for (const auto& f : prof.facilities)
            if (e.rfind(f.name_zh + " " + f.type, 0) == 0) types_listed.insert(f.type);
    EXPECT_EQ(types_listed, (std::set<std::string>{"kindergarten", "clinic"}));
    // The statistics box: each level's share of land, as the summary has it.
    auto text = test::pdf_text(tmp / "lc.pdf");
    for (const auto& l : r.summary["levels"]) EXPECT_NE(text.find(percent(l["area_share"].get<double>())), std::string::npos) << text;
    EXPECT_NE(text.find("达标用地"), std::string::npos);
}

TEST(RunSheets, HtmlReportTableShowsOutcomeAndClause) {
    test::TempDir tmp;
    analysis::CoverageOptions o;
    o.inputs.facilities = park_city(tmp) + ":parks";
    o.inputs.residential = (tmp / "in" / "parks.gpkg").string() + ":residential";
    o.inputs.output = (tmp / "out").string();
    o.inputs.html = (tmp / "report.html").string();
    o.profile = park_profile(tmp);
    auto r = analysis::run_coverage(o);
    auto html = test::read_file(tmp / "report.html");
    EXPECT_NE(html.find("<th>result</th>"), std::string::npos);
    for (const auto& c : r.summary["thresholds"]) {
        auto row = html.find(c["citation"].get<std::string>() + "</td></tr>");
        ASSERT_NE(row, std::string::npos) << c["citation"];
        auto start = html.rfind("<tr>", row);
        auto cells = html.substr(start, row - start);
        EXPECT_NE(cells.find(c["pass"].get<bool>() ? ">PASS<" : ">FAIL<"), std::string::npos) << cells;
        EXPECT_NE(cells.find(analysis::format_figure("coverage_ratio", c["actual"].get<double>())), std::string::npos) << cells;
    }
}
