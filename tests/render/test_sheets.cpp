// Whole sheets: visual regression against reference PNGs, layout invariants (labels never overlap,
// polygon labels inside, legend = classes drawn), PDF text/fonts/page size through poppler-utils,
// PNG size. (The render and atlas commands, and their clean failures, are tested in
// tests/cli/test_render_cli.cpp.) Refresh the references with PLANMAP_OVERWRITE_REFS=1.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>

#include "geo/geos.hpp"
#include "layers/io.hpp"
#include "render/cairo.hpp"
#include "render/sheet.hpp"
#include "tests/support.hpp"

using namespace planmap;
namespace fs = std::filesystem;

namespace {

fs::path data_dir() { return test::project_root() / "tests" / "render" / "data"; }
fs::path ref_dir() { return test::project_root() / "tests" / "render" / "ref"; }

// Runs a shell command, returning its standard output ("" and ok=false when it fails).
std::string shell(const std::string& cmd, bool* ok = nullptr) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) {
        if (ok) *ok = false;
        return out;
    }
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int rc = pclose(p);
    if (ok) *ok = rc == 0;
    return out;
}

bool have(const std::string& tool) { return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0; }

render::SurfacePtr load_png(const fs::path& p) { return render::SurfacePtr(cairo_image_surface_create_from_png(p.c_str())); }

struct Diff {
    double share = 1;  // of pixels differing by more than the threshold in any channel
    std::string why;
};

Diff compare_png(const fs::path& a, const fs::path& b, int threshold) {
    auto sa = load_png(a), sb = load_png(b);
    if (cairo_surface_status(sa.get()) || cairo_surface_status(sb.get())) return {1, "unreadable PNG"};
    int w = cairo_image_surface_get_width(sa.get()), h = cairo_image_surface_get_height(sa.get());
    if (w != cairo_image_surface_get_width(sb.get()) || h != cairo_image_surface_get_height(sb.get())) return {1, "sizes differ"};
    cairo_surface_flush(sa.get());
    cairo_surface_flush(sb.get());
    const unsigned char* da = cairo_image_surface_get_data(sa.get());
    const unsigned char* db = cairo_image_surface_get_data(sb.get());
    int sta = cairo_image_surface_get_stride(sa.get()), stb = cairo_image_surface_get_stride(sb.get());
    std::size_t differ = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                if (std::abs(da[y * sta + x * 4 + c] - db[y * stb + x * 4 + c]) > threshold) {
                    ++differ;
                    break;
                }
    return {static_cast<double>(differ) / (static_cast<double>(w) * h), ""};
}

// Non-white share and number of distinct colours (coarse) of a PNG.
std::pair<double, std::size_t> ink(const fs::path& p) {
    auto s = load_png(p);
    int w = cairo_image_surface_get_width(s.get()), h = cairo_image_surface_get_height(s.get()), st = cairo_image_surface_get_stride(s.get());
    const unsigned char* d = cairo_image_surface_get_data(s.get());
    std::size_t dark = 0;
    std::set<int> colours;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const unsigned char* px = d + y * st + x * 4;
            if (px[0] < 240 || px[1] < 240 || px[2] < 240) ++dark;
            colours.insert((px[0] >> 4) | ((px[1] >> 4) << 4) | ((px[2] >> 4) << 8));
        }
    return {static_cast<double>(dark) / (static_cast<double>(w) * h), colours.size()};
}

render::LoadedMap fixture_map() { return render::load_map_data(render::load_map((data_dir() / "plan_a4.toml").string())); }

// The fixture with its labels three times as large: more than fit.
render::LoadedMap crowded_map() {
    auto map = fixture_map();
    for (auto& L : map.layers)
        for (auto& r : L.style.rules)
            if (r.label) r.label->size_pt *= 3;
    return map;
}

}  // namespace

TEST(Sheets, VisualRegressionPlanStructure) {
    test::TempDir tmp;
    auto map = fixture_map();
    render::SheetOptions o;
    o.dpi = 72;
    auto out = tmp / "plan_a4.png";
    render::render_sheet(map, out.string(), o);
    fs::path ref = ref_dir() / "plan_a4.png";
    const char* ow = std::getenv("PLANMAP_OVERWRITE_REFS");
    if ((ow && std::string(ow) == "1") || !fs::exists(ref)) {
        fs::create_directories(ref_dir());
        fs::copy_file(out, ref, fs::copy_options::overwrite_existing);
        if (!(ow && std::string(ow) == "1")) FAIL() << "no reference image; wrote " << ref << " (check it, then commit it)";
        GTEST_SKIP() << "reference refreshed: " << ref;
    }
    // Per-channel threshold 40 (anti-aliasing noise), at most 0.5 % of pixels may differ.
    Diff d = compare_png(out, ref, 40);
    EXPECT_TRUE(d.why.empty()) << d.why;
    EXPECT_LE(d.share, 0.005) << "differs from " << ref << " in " << d.share * 100 << " % of pixels; output kept at "
                              << (fs::copy_file(out, fs::temp_directory_path() / "planmap_plan_a4_actual.png", fs::copy_options::overwrite_existing),
                                  (fs::temp_directory_path() / "planmap_plan_a4_actual.png").string());
}

TEST(Sheets, VisualComparisonDetectsChange) {
    // The comparison must fail for a visibly different sheet (a different style).
    test::TempDir tmp;
    auto map = fixture_map();
    render::SheetOptions o;
    o.dpi = 72;
    render::render_sheet(map, (tmp / "a.png").string(), o);
    map.layers[1].style.rules[2].fill->color = {0.1, 0.1, 0.9, 1};  // zones blue
    render::render_sheet(map, (tmp / "b.png").string(), o);
    EXPECT_GT(compare_png(tmp / "a.png", tmp / "b.png", 40).share, 0.01);
}

TEST(Sheets, LabelsNeverOverlapAndStayInsidePolygons) {
    test::TempDir tmp;
    auto map = fixture_map();
    render::SheetOptions o;
    o.collect_details = true;
    auto rep = render::render_sheet(map, (tmp / "s.pdf").string(), o);
    ASSERT_GT(rep.labels.size(), 10u);
    EXPECT_EQ(rep.labels_placed, rep.labels.size());
    std::size_t interior = 0;
    for (std::size_t i = 0; i < rep.labels.size(); ++i) {
        const auto& a = rep.labels[i];
        for (std::size_t j = i + 1; j < rep.labels.size(); ++j) {
            const auto& b = rep.labels[j];
            for (std::size_t p = 0; p + 3 < a.box.size(); p += 4)
                for (std::size_t q = 0; q + 3 < b.box.size(); q += 4) {
                    bool overlap = a.box[p] < b.box[q + 2] && b.box[q] < a.box[p + 2] && a.box[p + 1] < b.box[q + 3] && b.box[q + 1] < a.box[p + 3];
                    EXPECT_FALSE(overlap) << "'" << a.text << "' overlaps '" << b.text << "'";
                }
        }
        if (a.interior) {
            ++interior;
            auto poly = geo::from_wkt(a.polygon_wkt);
            auto box = geo::make_polygon({{a.box[0], a.box[1]}, {a.box[2], a.box[1]}, {a.box[2], a.box[3]}, {a.box[0], a.box[3]}, {a.box[0], a.box[1]}});
            EXPECT_EQ(GEOSCovers_r(geo::geos_context(), poly.get(), box.get()), 1) << "'" << a.text << "' leaves its polygon";
        }
    }
    EXPECT_GE(interior, 4u);  // three zones, the block, the district
}

TEST(Sheets, LabelsLeftOutRatherThanOverlapWhenCrowded) {
    // The same sheet on a small frame at a large font: fewer labels fit on their features (the
    // others go off them with leader lines, or are left out), none overlap.
    test::TempDir tmp;
    auto map = crowded_map();
    render::SheetOptions o;
    o.collect_details = true;
    auto rep = render::render_sheet(map, (tmp / "s.svg").string(), o);
    EXPECT_GT(rep.labels_skipped + rep.labels_leader, 0u);
    for (std::size_t i = 0; i < rep.labels.size(); ++i)
        for (std::size_t j = i + 1; j < rep.labels.size(); ++j)
            for (std::size_t p = 0; p + 3 < rep.labels[i].box.size(); p += 4)
                for (std::size_t q = 0; q + 3 < rep.labels[j].box.size(); q += 4) {
                    const auto& a = rep.labels[i].box;
                    const auto& b = rep.labels[j].box;
                    EXPECT_FALSE(a[p] < b[q + 2] && b[q] < a[p + 2] && a[p + 1] < b[q + 3] && b[q + 1] < a[p + 3]);
                }
    EXPECT_NE(test::read_file(tmp / "s.svg").find("<svg"), std::string::npos);
}

TEST(Sheets, SameLabelsInEveryFormatAndAtEveryDpi) {
    // Text is measured alike for every target: the crowded sheet keeps the same labels, in the
    // same places, in PDF, SVG and PNG at any resolution.
    test::TempDir tmp;
    auto map = crowded_map();
    auto labels_of = [&](const std::string& name, double dpi) {
        render::SheetOptions o;
        o.collect_details = true;
        o.dpi = dpi;
        return render::render_sheet(map, (tmp / name).string(), o).labels;
    };
    auto pdf = labels_of("s.pdf", 150);
    ASSERT_GT(pdf.size(), 3u);
    for (const auto& [name, dpi] : std::vector<std::pair<std::string, double>>{{"s.svg", 150}, {"a.png", 72}, {"b.png", 150}, {"c.png", 300}}) {
        auto other = labels_of(name, dpi);
        ASSERT_EQ(other.size(), pdf.size()) << name;
        for (std::size_t i = 0; i < pdf.size(); ++i) {
            EXPECT_EQ(other[i].text, pdf[i].text) << name;
            ASSERT_EQ(other[i].box.size(), pdf[i].box.size()) << name << " '" << pdf[i].text << "'";
            for (std::size_t k = 0; k < pdf[i].box.size(); ++k)
                EXPECT_NEAR(other[i].box[k], pdf[i].box[k], 1e-9) << name << " '" << pdf[i].text << "'";
        }
    }
}

TEST(Sheets, LegendEqualsClassesDrawn) {
    test::TempDir tmp;
    auto map = fixture_map();
    auto rep = render::render_sheet(map, (tmp / "s.pdf").string());
    // Independently: the titled rules some feature of each layer matches (the frame shows all).
    std::vector<std::string> expected;
    for (const auto& L : map.layers)
        for (std::size_t r = 0; r < L.style.rules.size(); ++r)
            for (std::size_t i = 0; i < L.data.size(); ++i)
                if (L.style.match(L.data, i) == static_cast<int>(r) && !L.style.rules[r].title.empty() &&
                    std::find(expected.begin(), expected.end(), L.style.rules[r].title) == expected.end()) {
                    expected.push_back(L.style.rules[r].title);
                    break;
                }
    std::sort(expected.begin(), expected.end());
    auto legend = rep.legend;
    std::sort(legend.begin(), legend.end());
    EXPECT_EQ(legend, expected);
    // Classes of the style that no feature has are not in the legend.
    EXPECT_EQ(std::count(rep.legend.begin(), rep.legend.end(), "廊道 corridor"), 0);
    EXPECT_EQ(rep.legend.size(), 8u);
}

TEST(Sheets, PdfTextFontsAndPageSize) {
    if (!have("pdftotext") || !have("pdffonts") || !have("pdfinfo")) GTEST_SKIP() << "poppler-utils not installed";
    test::TempDir tmp;
    auto out = tmp / "sheet.pdf";
    render::render_sheet(fixture_map(), out.string());
    std::string text = shell("pdftotext -layout '" + out.string() + "' -");
    std::string raw = shell("pdftotext -raw '" + out.string() + "' -");
    for (const char* s : {"示例区空间结构规划图", "图例", "规划范围 district", "片区 zone", "区块 block", "道路 road", "发展轴 axis",
                          "中心 centre", "增长极 pole", "节点 node", "行政中心", "高铁新区", "商贸核心区", "1:250,000", "设计", "审定",
                          "示例规划设计研究院", "2021—2035"})
        EXPECT_TRUE(text.find(s) != std::string::npos || raw.find(s) != std::string::npos) << "PDF text lacks " << s;
    std::string fonts = shell("pdffonts '" + out.string() + "'");
    int rows = 0;
    std::istringstream fl(fonts);
    std::string line;
    while (std::getline(fl, line)) {
        if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
        ++rows;
        EXPECT_TRUE(std::regex_search(line, std::regex(R"(\s+yes\s+yes\s+yes\s+)"))) << "font not embedded as a subset: " << line;
        EXPECT_NE(line.find('+'), std::string::npos) << "no subset tag: " << line;
    }
    EXPECT_GE(rows, 2);
    EXPECT_NE(fonts.find("NotoSansCJK"), std::string::npos);
    std::string info = shell("pdfinfo '" + out.string() + "'");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(info, m, std::regex(R"(Page size:\s+([0-9.]+) x ([0-9.]+) pts)"))) << info;
    EXPECT_NEAR(std::stod(m[1]) * 25.4 / 72, 210, 1.0);
    EXPECT_NEAR(std::stod(m[2]) * 25.4 / 72, 297, 1.0);
}

TEST(Sheets, PngHasPaperSizeAtDpiAndIsNotBlank) {
    test::TempDir tmp;
    auto out = tmp / "sheet.png";
    render::SheetOptions o;
    o.dpi = 96;
    auto rep = render::render_sheet(fixture_map(), out.string(), o);
    auto s = load_png(out);
    EXPECT_EQ(cairo_image_surface_get_width(s.get()), std::lround(210 / 25.4 * 96));
    EXPECT_EQ(cairo_image_surface_get_height(s.get()), std::lround(297 / 25.4 * 96));
    auto [share, colours] = ink(out);
    EXPECT_GT(share, 0.1);
    EXPECT_GT(colours, 20u);
    ASSERT_FALSE(rep.legend.empty());
    EXPECT_EQ(rep.legend.front(), "规划范围 district");
}

TEST(Sheets, LargePngFromParallelBandsIsWholeAndRepeatable) {
    // Above 4 Mpx the PNG is rasterised in bands by several workers and joined into one stream.
    test::TempDir tmp;
    auto map = fixture_map();
    render::SheetOptions o;
    o.dpi = 230;
    auto a = render::render_sheet(map, (tmp / "a.png").string(), o);
    render::render_sheet(map, (tmp / "b.png").string(), o);
    ASSERT_GT(static_cast<double>(a.width_px) * a.height_px, 4e6);
    auto s = load_png(tmp / "a.png");
    ASSERT_EQ(cairo_surface_status(s.get()), CAIRO_STATUS_SUCCESS);
    EXPECT_EQ(cairo_image_surface_get_width(s.get()), a.width_px);
    EXPECT_EQ(cairo_image_surface_get_height(s.get()), a.height_px);
    EXPECT_EQ(test::read_file(tmp / "a.png"), test::read_file(tmp / "b.png"));
    EXPECT_GT(ink(tmp / "a.png").first, 0.1);
    // The bottom band holds the title block and the scale bar: not blank.
    int w = cairo_image_surface_get_width(s.get()), h = cairo_image_surface_get_height(s.get()), st = cairo_image_surface_get_stride(s.get());
    const unsigned char* d = cairo_image_surface_get_data(s.get());
    std::size_t dark = 0;
    for (int y = h - 300; y < h; ++y)
        for (int x = 0; x < w; ++x) dark += d[y * st + x * 4] < 128;
    EXPECT_GT(dark, 1000u);
}
