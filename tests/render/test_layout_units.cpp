// Sheet furniture that can be checked without drawing: paper sizes, GB/T 13989 numbers, map files,
// Chinese line breaking.
#include <gtest/gtest.h>

#include <cstring>

#include "core/error.hpp"
#include "render/map_spec.hpp"
#include "render/sheet_number.hpp"
#include "geo/geos.hpp"
#include "render/text.hpp"

using namespace planmap;

TEST(SheetNumber, MillionSheets) {
    EXPECT_EQ(render::sheet_number(116.4708, 39.9083, 1000000), "J50");  // Beijing
    EXPECT_EQ(render::sheet_number(121.43, 28.68, 1000000), "H51");      // Taizhou
    EXPECT_EQ(render::sheet_number(103.8, 36.06, 1000000), "J48");       // Lanzhou
}

TEST(SheetNumber, SeriesScales) {
    // GB/T 13989 example: 116°28'15"E 39°54'30"N at 1:50,000 is J50E001010.
    double lon = 116 + 28 / 60.0 + 15 / 3600.0, lat = 39 + 54 / 60.0 + 30 / 3600.0;
    EXPECT_EQ(render::sheet_number(lon, lat, 50000), "J50E001010");
    EXPECT_EQ(render::sheet_number(lon, lat, 500000), "J50B001001");
    EXPECT_EQ(render::sheet_number(lon, lat, 250000), "J50C001002");
    EXPECT_EQ(render::sheet_number(lon, lat, 100000), "J50D001005");
    EXPECT_EQ(render::sheet_number(lon, lat, 25000), "J50F002020");
    EXPECT_EQ(render::sheet_number(lon, lat, 10000), "J50G003040");
    EXPECT_EQ(render::sheet_number(lon, lat, 5000), "J50H005080");
    EXPECT_EQ(render::sheet_number(lon, lat, 1000).size(), 12u);  // 4-digit row and column
    // A point on a sheet's south-west corner belongs to that sheet.
    EXPECT_EQ(render::sheet_number(114.0, 36.0, 1000000), "J50");
    EXPECT_EQ(render::sheet_number(114.0, 36.0, 50000), "J50E024001");
    EXPECT_THROW(render::sheet_number(116, 39, 60000), usage_error);
    EXPECT_EQ(render::nearest_series(60000).denominator, 50000);
    EXPECT_EQ(render::nearest_series(750000).denominator, 1000000);
}

TEST(Paper, SizesOrientationAndLengthening) {
    render::PaperSpec p;
    p.size = "A3";
    auto r = render::resolve_paper(p);
    EXPECT_DOUBLE_EQ(r.width_mm, 420);
    EXPECT_DOUBLE_EQ(r.height_mm, 297);
    p.size = "A0";
    p.landscape = false;
    p.lengthen = 2;
    r = render::resolve_paper(p);
    EXPECT_DOUBLE_EQ(r.width_mm, 841);
    EXPECT_DOUBLE_EQ(r.height_mm, 1189 * 1.25);
    p.size = "A2";
    EXPECT_THROW(render::resolve_paper(p), usage_error);  // only A0 is lengthened
    p.size = "B5";
    p.lengthen = 0;
    EXPECT_THROW(render::resolve_paper(p), usage_error);
}

namespace {
int map_error_line(const std::string& text) {
    try {
        render::parse_map(text, "m.toml");
    } catch (const file_error& e) {
        return e.line();
    }
    ADD_FAILURE() << "no error for:\n" << text;
    return -1;
}
const std::string layer = "[[layer]]\nsource = \"a.gpkg\"\nstyle = \"boundary\"\n";
}  // namespace

TEST(MapFile, ParsesAndReportsLines) {
    auto m = render::parse_map("title = \"图\"\n[paper]\nsize = \"A1\"\norientation = \"portrait\"\n[frame]\nscale = 10000\n" + layer +
                                   "[north_arrow]\nwind = [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]\n",
                               "dir/m.toml");
    EXPECT_EQ(m.paper.width_mm, 594);
    EXPECT_EQ(*m.scale, 10000);
    EXPECT_EQ(m.layers.at(0).name, "a");
    EXPECT_EQ(m.dir, "dir");
    EXPECT_EQ(m.wind.size(), 16u);
    EXPECT_EQ(map_error_line("title = \"t\"\n[paper]\nsize = \"B4\"\n" + layer), 3);
    EXPECT_EQ(map_error_line("title = \"t\"\n[frame]\nscale = \"big\"\n" + layer), 3);
    EXPECT_EQ(map_error_line("title = \"t\"\n" + layer + "[north_arrow]\nwind = [1, 2]\n"), 6);
    EXPECT_EQ(map_error_line("title = \"t\"\n[[layer]]\nstyle = \"boundary\"\n"), 2);  // no source
    EXPECT_EQ(map_error_line("title = \"t\"\n" + layer + "colour = 1\n"), 5);       // unknown key
    EXPECT_EQ(map_error_line("title = \"t\"\n[frame]\nfit = \"nope\"\n" + layer), 2);
    EXPECT_EQ(map_error_line("title = \"t\"\n[paper]\nsize = \"A3\"\nlengthen = 2\n" + layer), 4);
}

TEST(MapFile, StatisticsBoxRowsAndErrors) {
    auto m = render::parse_map("title = \"t\"\n" + layer +
                                   "[stats]\ntitle = \"统计 stats\"\n[[stats.row]]\nlabel = \"覆盖率 coverage\"\nvalue = \"76.45 %\"\n"
                                   "requirement = \"> 80.00 %\"\nstatus = \"fail\"\nclause = \"GB 55014-2021 §2.1.4 [V]\"\n"
                                   "[[stats.row]]\nlabel = \"人口 population\"\nvalue = \"1,200\"\n",
                               "m.toml");
    ASSERT_TRUE(m.stats);
    EXPECT_EQ(m.stats->title, "统计 stats");
    ASSERT_EQ(m.stats->rows.size(), 2u);
    EXPECT_EQ(m.stats->rows[0].status, "fail");
    EXPECT_EQ(m.stats->rows[0].clause, "GB 55014-2021 §2.1.4 [V]");
    EXPECT_EQ(m.stats->rows[1].requirement, "");
    EXPECT_FALSE(render::parse_map("title = \"t\"\n" + layer, "m.toml").stats);
    // A row without value, an unknown status, an unknown key: file:line errors.
    EXPECT_EQ(map_error_line("title = \"t\"\n" + layer + "[stats]\n[[stats.row]]\nlabel = \"a\"\n"), 6);
    EXPECT_EQ(map_error_line("title = \"t\"\n" + layer + "[stats]\n[[stats.row]]\nlabel = \"a\"\nvalue = \"1\"\nstatus = \"ok\"\n"), 9);
    EXPECT_EQ(map_error_line("title = \"t\"\n" + layer + "[stats]\ncolour = 1\n"), 6);
}

TEST(ChineseText, NoClosingPunctuationAtLineStart) {
    auto ctx = render::make_text_context();
    const std::string text = "规划形成一轴、一链、一城、一区的空间结构，构建“七环六轴”绿道网络。完善十五分钟生活圈，公园服务半径覆盖率达到百分之九十！";
    const std::vector<std::string> closers = {"，", "。", "、", "！", "”", "）"};
    int checked = 0;
    for (double width = 8; width <= 40; width += 0.7) {
        render::TextSpec ts;
        ts.size_pt = 9;
        ts.wrap_mm = width;
        auto layout = render::make_layout(ctx.get(), text, ts);
        const char* t = pango_layout_get_text(layout.get());
        int n = pango_layout_get_line_count(layout.get());
        for (int i = 1; i < n; ++i) {
            PangoLayoutLine* line = pango_layout_get_line_readonly(layout.get(), i);
            std::string start(t + line->start_index, std::min<std::size_t>(8, std::strlen(t + line->start_index)));
            if (start.rfind("\u2060", 0) == 0) start = start.substr(3);
            for (const auto& c : closers) EXPECT_NE(start.rfind(c, 0), 0u) << "line " << i << " at width " << width << " starts with " << c;
            ++checked;
        }
    }
    EXPECT_GT(checked, 50);
}

#include "render/draw.hpp"

TEST(Drawing, OrientedRingsKeepHolesWhenPolygonsShareOnePath) {
    // Two polygons in one path with the nonzero rule: a hole stays empty even when its ring runs
    // the same way as its shell in the data, and overlapping shells stay filled.
    render::SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 100, 100));
    render::CairoPtr cr(cairo_create(s.get()));
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    render::View v;  // world = page mm = pixels here; y flipped around 100
    v.fw = v.fh = 100, v.wx0 = 0, v.wy1 = 100, v.mm_per_unit = 1;
    auto holed = geo::from_wkt("POLYGON((10 10, 60 10, 60 60, 10 60, 10 10), (20 20, 50 20, 50 50, 20 50, 20 20))");
    auto other = geo::from_wkt("POLYGON((40 40, 40 90, 90 90, 90 40, 40 40))");
    render::CairoCanvas canvas(cr.get());
    render::add_path(canvas, holed.get(), v, true, true);
    render::add_path(canvas, other.get(), v, true, true);
    styles::FillSymbolizer f;
    f.color = {0, 0, 0, 1};
    render::fill_current_path(canvas, f, CAIRO_FILL_RULE_WINDING);
    cairo_surface_flush(s.get());
    auto px = [&](int x, int y_world) {
        const unsigned char* d = cairo_image_surface_get_data(s.get());
        return d[(100 - y_world) * cairo_image_surface_get_stride(s.get()) + x * 4];
    };
    EXPECT_EQ(px(15, 15), 0);    // shell
    EXPECT_EQ(px(30, 30), 255);  // hole
    EXPECT_EQ(px(45, 45), 0);    // hole covered by the other polygon
    EXPECT_EQ(px(80, 80), 0);    // other polygon
    EXPECT_EQ(px(5, 95), 255);   // outside
}
