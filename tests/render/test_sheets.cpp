// Whole sheets: visual regression against reference PNGs, layout invariants (labels never overlap,
// polygon labels inside, legend = classes drawn), PDF text/fonts/page size through poppler-utils,
// the PDF's page against the PNG, PNG size; the PDF content written directly beneath Cairo's
// against Cairo's own drawing. (The render and atlas commands, and their clean failures, are tested in
// tests/cli/test_render_cli.cpp.) Refresh the references with PLANMAP_OVERWRITE_REFS=1.
#include <gtest/gtest.h>

#include <cairo-pdf.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "core/error.hpp"
#include "geo/geos.hpp"
#include "layers/io.hpp"
#include "render/cairo.hpp"
#include "render/draw.hpp"
#include "render/pdf_content.hpp"
#include "render/sheet.hpp"
#include "render/text.hpp"
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

// ---------------------------------------------------------------------------------------------
// PDF content written directly (render/pdf_content.hpp) beneath what Cairo writes.

namespace {

// One drawing of each kind the map's layers make: fill and stroke of one path (even-odd, a
// hole), a translucent fill, hatches (lines and dots, clipped to their polygon), a dashed line
// with round caps, markers (arcs, rings, a star), an arrow, a clip undone by restore.
// (sample_pdf adds a stroked form, as label halos are drawn.)
void sample_drawing(render::Canvas& c) {
    c.paint({1, 1, 1, 1});
    c.new_path();
    c.rectangle(10, 10, 60, 40);
    c.rectangle(25, 20, 20, 15);
    styles::FillSymbolizer f;
    f.color = {0.2, 0.5, 0.8, 1};
    render::fill_current_path(c, f, CAIRO_FILL_RULE_EVEN_ODD);
    styles::LineSymbolizer l;
    l.color = {0.5, 0.1, 0.1, 1}, l.width_mm = 1.2;
    render::apply_line_style(c, l);
    c.stroke();
    c.rectangle(50, 30, 40, 40);
    styles::FillSymbolizer half;
    half.color = {0.9, 0.2, 0.1, 1}, half.opacity = 0.5;
    render::fill_current_path(c, half);
    c.new_path();
    c.rectangle(10, 60, 50, 40);
    styles::FillSymbolizer hatch;
    hatch.color = {0, 0, 0, 0}, hatch.hatch = styles::Hatch::diagonal_cross, hatch.hatch_color = {0.1, 0.4, 0.1, 1}, hatch.hatch_width_mm = 0.4;
    render::fill_current_path(c, hatch);
    c.new_path();
    c.rectangle(70, 80, 40, 30);
    hatch.hatch = styles::Hatch::dots, hatch.hatch_spacing_mm = 4;
    render::fill_current_path(c, hatch);
    c.new_path();
    styles::LineSymbolizer dashed;
    dashed.color = {0.1, 0.1, 0.6, 0.8}, dashed.width_mm = 1.5, dashed.cap = styles::Cap::round, dashed.dash_mm = {4, 3};
    render::apply_line_style(c, dashed);
    c.move_to(10, 120), c.line_to(80, 105), c.line_to(140, 140);
    c.stroke();
    styles::MarkerSymbolizer ring;
    ring.rings = 2, ring.size_mm = 6;
    render::draw_marker(c, 110, 30, 6, ring);
    styles::MarkerSymbolizer star;
    star.shape = styles::MarkerShape::star, star.fill = {0.9, 0.7, 0.1, 1}, star.stroke = {0, 0, 0, 1};
    render::draw_marker(c, 130, 60, 10, star);
    styles::ArrowSymbolizer arrow;
    arrow.outline = {0.3, 0, 0, 1}, arrow.outline_width_mm = 0.3;
    render::draw_arrow(c, {{95, 130}, {120, 110}, {145, 100}}, arrow);
    c.save();
    c.new_path();
    c.arc(120, 85, 8, 0, 2 * M_PI);
    c.clip();
    c.rectangle(100, 70, 40, 40);
    c.set_source({0.5, 0, 0.5, 1});
    c.fill();
    c.restore();
    c.rectangle(135, 120, 10, 10);  // outside the clip: drawn only if restore undid it
    c.fill();
}

// Cairo's part of the page, drawn over the sample: a word and an opaque square over the fill.
void cairo_part(cairo_t* cr, render::PangoContextPtr& text) {
    cairo_rectangle(cr, 55, 15, 10, 10);
    cairo_set_source_rgb(cr, 0.1, 0.6, 0.2);
    cairo_fill(cr);
    auto layout = render::make_layout(text.get(), "直接写入的内容", {});
    render::draw_layout(cr, layout.get(), 12, 52, {0, 0, 0, 1});
}

// A 150 mm square PDF page of the sample drawing: by Cairo, or written directly beneath Cairo's part.
void sample_pdf(const fs::path& out, bool direct) {
    const double k = 72 / 25.4;
    auto text = render::make_text_context();
    render::SurfacePtr s(cairo_pdf_surface_create(out.c_str(), 150 * k, 150 * k));
    std::optional<render::PdfContent> content;
    {
        render::CairoPtr cr(cairo_create(s.get()));
        cairo_scale(cr.get(), k, k);
        render::CairoCanvas cairo(cr.get());
        if (direct) content.emplace(150, 150);
        render::Canvas& canvas = direct ? static_cast<render::Canvas&>(*content) : cairo;
        sample_drawing(canvas);
        // A shape kept as a form and stroked by reference, turned and moved (as label halos
        // are); Cairo strokes the same shape under the same transformation.
        auto shape = [](render::Canvas& c) {
            c.new_path();
            c.move_to(0, 0), c.line_to(12, 0), c.curve_to(14, 6, 6, 10, 0, 8), c.close_path();
        };
        cairo_matrix_t m;
        cairo_matrix_init_translate(&m, 30, 128);
        cairo_matrix_rotate(&m, 0.5);
        canvas.set_source({0.8, 0.4, 0, 1});
        canvas.set_line_width(1.4);
        canvas.set_line_join(CAIRO_LINE_JOIN_ROUND);
        canvas.set_line_cap(CAIRO_LINE_CAP_ROUND);
        canvas.set_dash(nullptr, 0);
        if (direct) {
            shape(*content);
            content->stroke_form(content->define_path_form(), m);
        } else {
            cairo_save(cr.get());
            cairo_transform(cr.get(), &m);
            shape(cairo);
            cairo.stroke();
            cairo_restore(cr.get());
        }
        cairo_part(cr.get(), text);
    }
    cairo_surface_finish(s.get());
    ASSERT_EQ(cairo_surface_status(s.get()), CAIRO_STATUS_SUCCESS);
    s.reset();
    if (direct) render::prepend_page_content(out.string(), content->finish(out.string()));
}

}  // namespace

TEST(PdfContent, DrawsWhatCairoDrawsBeneathCairosPart) {
    if (!have("pdftoppm") || !have("pdftotext")) GTEST_SKIP() << "poppler-utils not installed";
    test::TempDir tmp;
    sample_pdf(tmp / "cairo.pdf", false);
    sample_pdf(tmp / "direct.pdf", true);
    bool ok = false;
    std::string log = shell("pdftoppm -r 100 -png -singlefile '" + (tmp / "direct.pdf").string() + "' '" + (tmp / "direct").string() + "' 2>&1", &ok);
    ASSERT_TRUE(ok) << log;
    EXPECT_EQ(log, "") << "poppler complains about the updated file";
    shell("pdftoppm -r 100 -png -singlefile '" + (tmp / "cairo.pdf").string() + "' '" + (tmp / "cairo").string() + "'", &ok);
    ASSERT_TRUE(ok);
    // The drawing covers much of the page, so a missing or misplaced part shows.
    EXPECT_GT(ink(tmp / "cairo.png").first, 0.2);
    Diff d = compare_png(tmp / "cairo.png", tmp / "direct.png", 40);
    EXPECT_TRUE(d.why.empty()) << d.why;
    EXPECT_LE(d.share, 0.002) << "the direct content differs from Cairo's in " << d.share * 100 << " % of pixels";
    // Cairo's part stays on top (the square over the blue fill) and its text stays text.
    auto png = load_png(tmp / "direct.png");
    const unsigned char* px = cairo_image_surface_get_data(png.get()) + std::lround(20 / 25.4 * 100) * cairo_image_surface_get_stride(png.get()) +
                              std::lround(60 / 25.4 * 100) * 4;
    EXPECT_LT(px[2], 80);   // red (BGRA)
    EXPECT_GT(px[1], 120);  // green
    EXPECT_NE(shell("pdftotext '" + (tmp / "direct.pdf").string() + "' -").find("直接写入的内容"), std::string::npos);
}

TEST(PdfContent, UpdateOfAFileNotWrittenByCairoFailsNamingIt) {
    test::TempDir tmp;
    auto bad = tmp / "not.pdf";
    std::ofstream(bad) << "%PDF-1.5\nno cross-reference table here\n";
    render::PdfContent content(10, 10);
    content.rectangle(1, 1, 2, 2);
    content.fill();
    try {
        render::prepend_page_content(bad.string(), content.finish(bad.string()));
        FAIL() << "no error";
    } catch (const io_error& e) {
        EXPECT_NE(std::string(e.what()).find(bad.string()), std::string::npos) << e.what();
    }
}

TEST(Sheets, PdfPageLooksAsBeforeAndLineLabelsAreTextOnce) {
    if (!have("pdftoppm") || !have("pdftotext")) GTEST_SKIP() << "poppler-utils not installed";
    test::TempDir tmp;
    auto map = fixture_map();
    render::SheetOptions o;
    o.collect_details = true;
    auto rep = render::render_sheet(map, (tmp / "s.pdf").string(), o);
    // The reference is poppler's raster (595 x 842) of the sheet as Cairo's PDF writer drew all of
    // it, before the layers were written directly.
    bool ok = false;
    std::string log = shell("pdftoppm -png -singlefile -scale-to-x 595 -scale-to-y 842 '" + (tmp / "s.pdf").string() + "' '" +
                                (tmp / "pdf").string() + "' 2>&1",
                            &ok);
    ASSERT_TRUE(ok) << log;
    EXPECT_EQ(log, "") << "poppler complains about the file";
    fs::path ref = ref_dir() / "plan_a4_pdf.png";
    const char* ow = std::getenv("PLANMAP_OVERWRITE_REFS");
    if (ow && std::string(ow) == "1") fs::copy_file(tmp / "pdf.png", ref, fs::copy_options::overwrite_existing);
    Diff d = compare_png(tmp / "pdf.png", ref, 40);
    EXPECT_TRUE(d.why.empty()) << d.why;
    EXPECT_LE(d.share, 0.005) << "the PDF's page differs from " << ref << " in " << d.share * 100 << " % of pixels";
    // Each line label's name is one word of the PDF's text, once per label, and the glyphs drawn
    // one by one along the line are not extracted a second time: every word found on a line
    // label's glyphs is a whole name.
    std::string words = shell("pdftotext -bbox '" + (tmp / "s.pdf").string() + "' -");
    std::map<std::string, int> names;
    std::vector<const render::LabelInfo*> line_labels;
    for (const auto& l : rep.labels)
        if (!l.interior && l.box.size() > 4) ++names[l.text], line_labels.push_back(&l);
    ASSERT_FALSE(line_labels.empty());
    std::map<std::string, int> found;
    std::regex word(R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
    int on_glyphs = 0;
    for (std::sregex_iterator it(words.begin(), words.end(), word), end; it != end; ++it) {
        const auto& m = *it;
        std::string w = m[5];
        ++found[w];
        double cx = (std::stod(m[1]) + std::stod(m[3])) / 2 * 25.4 / 72, cy = (std::stod(m[2]) + std::stod(m[4])) / 2 * 25.4 / 72;
        for (const auto* l : line_labels)
            for (std::size_t k = 0; k + 3 < l->box.size(); k += 4)
                if (cx >= l->box[k] && cx <= l->box[k + 2] && cy >= l->box[k + 1] && cy <= l->box[k + 3]) {
                    ++on_glyphs;
                    EXPECT_TRUE(names.count(w)) << "'" << w << "' extracted from the glyphs of '" << l->text << "'";
                }
    }
    EXPECT_GT(on_glyphs, 0);
    for (const auto& [name, n] : names) EXPECT_EQ(found[name], n) << name;
}
