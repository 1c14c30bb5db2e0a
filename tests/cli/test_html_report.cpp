// The HTML reports of coverage and lifecircle: structure checked in the file, then the page is
// opened in headless chromium (when installed), its DOM dumped and a screenshot taken.
#include <gtest/gtest.h>

#include <cairo.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "render/web_map.hpp"
#include "styles/qgis.hpp"
#include "tests/support.hpp"

using namespace planmap;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + what.size())) ++n;
    return n;
}

// The rows of the table with this id (header row included).
std::size_t table_rows(const std::string& html, const std::string& id) {
    auto start = html.find("<table id=\"" + id + "\"");
    if (start == std::string::npos) return 0;
    auto end = html.find("</table>", start);
    return count(html.substr(start, end - start), "<tr>");
}

// The inline map: the <svg id="map"> element (Cairo's SVG nests no other <svg>).
std::string map_svg(const std::string& html) {
    auto start = html.find("<svg id=\"map\"");
    if (start == std::string::npos) return "";
    auto end = html.find("</svg>", start);
    return end == std::string::npos ? "" : html.substr(start, end + 6 - start);
}

// The fill Cairo's SVG surface writes for a colour given as #RRGGBB: "fill:rgb(25.490196%,…%,…%)".
std::string cairo_fill(const std::string& hex) {
    std::string out = "fill:rgb(";
    for (int i = 0; i < 3; ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%f", 100.0 * std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16) / 255.0);
        std::string v = buf;
        v.erase(v.find_last_not_of('0') + 1);
        if (v.back() == '.') v.pop_back();
        out += (i ? "," : "") + v + "%";
    }
    return out + ");";
}

// Filled paths in the map with this colour (legend swatches included).
std::size_t filled_paths(const std::string& svg, const std::string& hex) { return count(svg, cairo_fill(hex)); }

// The map is drawn by render: vector paths, no raster, no fonts or links, every id inside it
// prefixed with the map's id, a legend.
void expect_rendered_map(const std::string& svg) {
    ASSERT_FALSE(svg.empty());
    EXPECT_GT(count(svg, "<path"), 20u);
    EXPECT_EQ(svg.find("<image"), std::string::npos);
    EXPECT_EQ(svg.find("<text"), std::string::npos);  // glyph outlines: no fonts needed
    EXPECT_EQ(svg.find("http://", svg.find('>')), std::string::npos);  // nothing linked (after the namespaces)
    EXPECT_EQ(count(svg, "id=\""), count(svg, "id=\"map")) << "ids not prefixed";
    std::regex size(R"re(^<svg id="map" role="img" [^>]*width="([0-9.]+)px" height="([0-9.]+)px" viewBox=)re");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(svg, m, size)) << svg.substr(0, 300);
    EXPECT_LE(std::stod(m[1]), 1100.5);
    EXPECT_LE(std::stod(m[2]), 900.5);
}

std::pair<int, std::string> capture(const std::string& cmd) { return test::shell(cmd, false); }

const char* kChromium = "/usr/bin/chromium";

std::string chromium(const test::TempDir& tmp, const std::string& args) {
    return std::string("timeout 120 ") + kChromium +
           " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
           "--disable-component-update --disable-sync --user-data-dir=" + (tmp / "profile").string() + " " + args +
           " 2>/dev/null";  // its D-Bus complaints are noise here
}

struct ReportRun {
    test::TempDir tmp;
    std::string html;
};

void coverage_report(ReportRun& r) {
    auto city = (r.tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "800", "--seed", "2", "-o", city, "-q"}).code, 0);
    auto res = test::run({"coverage", "--facilities", city + ":parks", "--residential", city + ":residential", "--profile",
                          "gb55014", "--zones", city + ":zones", "--zone-field", "name", "-o", (r.tmp / "out").string(),
                          "--html", (r.tmp / "report.html").string(), "--json", (r.tmp / "s.json").string(), "-q"});
    ASSERT_EQ(res.code, 0) << res.err;
    r.html = test::read_file(r.tmp / "report.html");
}

}  // namespace

TEST(HtmlReport, CoverageReportIsSelfContainedAndComplete) {
    ReportRun r;
    coverage_report(r);
    ASSERT_FALSE(HasFatalFailure());
    const auto& h = r.html;
    EXPECT_NE(h.find("<title>Service-radius coverage — gb55014</title>"), std::string::npos);
    auto svg = map_svg(h);
    expect_rendered_map(svg);
    // The legend lists exactly the classes of styles/data/coverage.toml the run drew, in order, then
    // the facility classes present (size classes, too small …) in the order of the run's facility style.
    auto fstyle = styles::load_style((r.tmp / "out" / "coverage_facilities.style.toml").string());
    layers::ReadOptions fro;
    fro.layer = "facilities";
    auto fac = layers::read_layer((r.tmp / "out" / "coverage.gpkg").string(), fro);
    std::set<int> used;
    for (std::size_t i = 0; i < fac.size(); ++i) used.insert(fstyle.match(fac, i));
    ASSERT_FALSE(used.count(-1));
    std::string legend = "图例: 地块 parcels; 服务范围 service area; 已覆盖 covered; 未覆盖 uncovered";
    for (int k : used) legend += "; " + fstyle.rules[static_cast<std::size_t>(k)].title;
    EXPECT_GE(used.size(), 2u);  // the synthetic city has parks of both classes and too small ones
    EXPECT_NE(svg.find("<desc>" + styles::xml_escape(legend) + "</desc>"), std::string::npos) << legend << "\n" << svg.substr(0, 900);
    // Covered and uncovered parcels are filled in the style's colours (beyond their legend swatch).
    EXPECT_GE(filled_paths(svg, "#41AB5D"), 2u) << cairo_fill("#41AB5D");
    EXPECT_GE(filled_paths(svg, "#EF3B2C"), 2u);
    EXPECT_GE(filled_paths(svg, "#F2F0EB"), 2u);  // parcels
    auto s = nlohmann::json::parse(test::read_file(r.tmp / "s.json"));
    EXPECT_EQ(table_rows(h, "zones"), s["zones"].size() + 1);
    EXPECT_NE(h.find("id=\"zone-chart\""), std::string::npos);
    // Every threshold of the profile, with its clause and verdict.
    EXPECT_EQ(count(h, "class=\"check pass\"") + count(h, "class=\"check fail\"") + count(h, "class=\"check na\""), 3u);
    EXPECT_NE(h.find("GB 55014-2021 §2.1.4"), std::string::npos);
    EXPECT_NE(h.find(s["thresholds"][0]["pass"].get<bool>() ? "<b>PASS</b>" : "<b>FAIL</b>"), std::string::npos);
    EXPECT_NE(h.find("park ≥ 5000 m²"), std::string::npos);  // the profile's rules
    EXPECT_NE(h.find("--residential"), std::string::npos);   // the inputs
    // Self-contained: no scripts, no external resources.
    EXPECT_EQ(h.find("<script"), std::string::npos);
    EXPECT_EQ(h.find("src=\"http"), std::string::npos);
    EXPECT_EQ(h.find("<link"), std::string::npos);
    EXPECT_TRUE(s["timings_s"].contains("report"));
}

TEST(HtmlReport, LifecircleReport) {
    test::TempDir tmp;
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "400", "--seed", "4", "-o", city, "-q"}).code, 0);
    auto res = test::run({"lifecircle", "--facilities", city + ":facilities", "--residential", city + ":residential", "-o",
                          (tmp / "out").string(), "--html", (tmp / "lc.html").string(), "--json", "-"});
    ASSERT_EQ(res.code, 0) << res.err;
    auto s = nlohmann::json::parse(res.out);
    auto h = test::read_file(tmp / "lc.html");
    EXPECT_NE(h.find("<title>Life-circle audit — gb50180-life-circle</title>"), std::string::npos);
    auto svg = map_svg(h);
    expect_rendered_map(svg);
    // styles/data/lifecircle.toml: parcels by the highest level met; the legend lists the levels drawn.
    EXPECT_NE(svg.find("<desc>图例: "), std::string::npos);
    EXPECT_NE(svg.find("未达标 none"), std::string::npos);
    EXPECT_GE(filled_paths(svg, "#EF6C3B"), 2u);
    EXPECT_EQ(h.find("<script"), std::string::npos);
    EXPECT_EQ(table_rows(h, "levels"), s["levels"].size() + 1);
    EXPECT_EQ(table_rows(h, "types"), s["types"].size() + 1);
    EXPECT_NE(h.find("GB 50180"), std::string::npos);
    EXPECT_NE(h.find("id=\"level-chart\""), std::string::npos);
}

// render's web map on its own: the legend is exactly the classes drawn; a tall map is narrowed to
// the height limit; the ids inside start with the map's own id, so two maps can share a page.
TEST(HtmlReport, WebMapFromTheRunsGeoPackage) {
    ReportRun r;
    coverage_report(r);
    ASSERT_FALSE(HasFatalFailure());
    auto gpkg = (r.tmp / "out" / "coverage.gpkg").string();
    auto map = render::load_file_map(gpkg, styles::map_order("coverage"), "coverage");
    ASSERT_EQ(map.layers.size(), 4u);
    render::WebMapOptions o;
    o.id = "m2", o.max_height_px = 400;
    auto web = render::render_web_map(map, o);
    EXPECT_EQ(web.report.legend, web.report.classes_drawn);
    EXPECT_EQ(web.report.legend.size(), 4u);
    EXPECT_GT(web.report.features_drawn, 100u);
    EXPECT_LE(web.height_px, 400.5);
    EXPECT_LT(web.width_px, 1100);  // the synthetic city is about square: narrower than the full width
    EXPECT_EQ(web.svg.rfind("<svg id=\"m2\"", 0), 0u);
    EXPECT_EQ(count(web.svg, "id=\""), count(web.svg, "id=\"m2"));
    EXPECT_EQ(count(web.svg, "href=\"#"), count(web.svg, "href=\"#m2-"));
    EXPECT_EQ(count(web.svg, "url(#"), count(web.svg, "url(#m2-"));
}

TEST(HtmlReport, BadReportPathFailsCleanly) {
    test::TempDir tmp;
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "50", "-o", city, "-q"}).code, 0);
    auto res = test::run({"coverage", "--facilities", city + ":parks", "--residential", city + ":residential", "--radius", "300",
                          "-o", (tmp / "out").string(), "--html", (tmp / "no" / "such" / "r.html").string()});
    EXPECT_EQ(res.code, 1);
    EXPECT_NE(res.err.find("r.html"), std::string::npos) << res.err;
    EXPECT_FALSE(std::filesystem::exists(tmp / "out" / "coverage.gpkg"));  // checked before any work
}

TEST(HtmlReport, RendersInHeadlessChromium) {
    if (access(kChromium, X_OK) != 0) GTEST_SKIP() << "chromium not installed";
    ReportRun r;
    coverage_report(r);
    ASSERT_FALSE(HasFatalFailure());
    std::string url = "file://" + (r.tmp / "report.html").string();
    auto [rc, dom] = capture(chromium(r.tmp, "--dump-dom " + url));
    ASSERT_EQ(rc, 0) << dom;
    EXPECT_NE(dom.find("<title>Service-radius coverage — gb55014</title>"), std::string::npos) << dom.substr(0, 400);
    EXPECT_NE(dom.find("<svg id=\"map\""), std::string::npos);
    EXPECT_NE(dom.find("<desc>图例: 地块 parcels"), std::string::npos);  // the map parsed as SVG, legend included
    auto s = nlohmann::json::parse(test::read_file(r.tmp / "s.json"));
    // The browser's DOM has the tables (with tbody inserted), one row per zone plus the header.
    auto start = dom.find("<table id=\"zones\"");
    ASSERT_NE(start, std::string::npos);
    EXPECT_EQ(count(dom.substr(start, dom.find("</table>", start) - start), "<tr>"), s["zones"].size() + 1);

    auto shot = (r.tmp / "shot.png").string();
    auto [rc2, out2] = capture(chromium(r.tmp, "--screenshot=" + shot + " --window-size=1280,2000 " + url));
    ASSERT_EQ(rc2, 0) << out2;
    // A real page was drawn: many colours (map fills, bars, text), not a blank or error page.
    cairo_surface_t* img = cairo_image_surface_create_from_png(shot.c_str());
    ASSERT_EQ(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img), stride = cairo_image_surface_get_stride(img);
    EXPECT_EQ(w, 1280);
    const unsigned char* data = cairo_image_surface_get_data(img);
    std::set<std::uint32_t> colours;
    std::size_t green = 0, orange = 0;
    for (int y = 0; y < h; y += 2)
        for (int x = 0; x < w; x += 2) {
            std::uint32_t px = *reinterpret_cast<const std::uint32_t*>(data + y * stride + x * 4);
            colours.insert(px);
            int R = (px >> 16) & 255, G = (px >> 8) & 255, B = px & 255;
            if (G > R + 30 && G > B) ++green;        // covered parcels, passing bars
            if (R > G + 50 && R > B + 50) ++orange;  // uncovered parcels, failing bars
        }
    cairo_surface_destroy(img);
    EXPECT_GT(colours.size(), 50u);
    EXPECT_GT(green, 500u);
    EXPECT_GT(orange, 500u);
}
