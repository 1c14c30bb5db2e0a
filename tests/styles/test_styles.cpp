// Style files: rules, filters and palettes; mistakes reported with file:line.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "layers/feature.hpp"
#include "styles/style.hpp"
#include "tests/support.hpp"

using namespace planmap;

namespace {

layers::Layer sample_layer() {
    layers::Layer l("plan", {{"kind", layers::FieldType::string, ""}, {"pop", layers::FieldType::real, ""}}, std::nullopt, "Point");
    for (auto [k, p] : std::vector<std::pair<std::string, double>>{{"axis", 5}, {"centre", 120}, {"node", 40}, {"other", 1}}) {
        layers::Feature f;
        f.values = {k, p};
        l.add(std::move(f));
    }
    return l;
}

// The line a message reports after "file:".
int reported_line(const std::string& what, const std::string& file) {
    auto pos = what.find(file + ":");
    if (pos == std::string::npos) return -1;
    return std::atoi(what.c_str() + pos + file.size() + 1);
}

int line_of_error(const std::string& text) {
    try {
        styles::parse_style(text, "s.toml");
    } catch (const file_error& e) {
        EXPECT_EQ(e.file(), "s.toml");
        EXPECT_EQ(reported_line(e.what(), "s.toml"), e.line());
        return e.line();
    }
    ADD_FAILURE() << "no error for:\n" << text;
    return -1;
}

}  // namespace

TEST(Styles, FiltersEqualityListRangeAndOtherwise) {
    auto s = styles::parse_style(R"(
[[rule]]
title = "axis"
filter = { kind = "axis" }
line = { width_mm = 1.0, dash_mm = [2.0, 1.0], cap = "round" }

[[rule]]
title = "big"
filter = { kind = ["centre", "pole"], pop = { min = 100 } }
marker = { size_mm = 4.0, size_field = "pop", size_value = 100 }

[[rule]]
title = "rest"
otherwise = true
fill = { color = "#ff000080", hatch = "cross" }

[[rule]]
title = "mid"
filter = { pop = { min = 10, max = 100 } }
label = { field = "kind", font = "宋体", placement = "point" }
)", "s.toml");
    ASSERT_EQ(s.rules.size(), 4u);
    auto l = sample_layer();
    EXPECT_EQ(s.match(l, 0), 0);
    EXPECT_EQ(s.match(l, 1), 1);
    EXPECT_EQ(s.match(l, 2), 3);  // 'otherwise' only when nothing else matches
    EXPECT_EQ(s.match(l, 3), 2);
    EXPECT_EQ(s.rules[0].line->dash_mm.size(), 2u);
    EXPECT_EQ(s.rules[2].fill->hatch, styles::Hatch::cross);
    EXPECT_NEAR(s.rules[2].fill->color.a, 128 / 255.0, 1e-9);
    EXPECT_EQ(s.rules[3].label->family, "Noto Serif CJK SC");
}

TEST(Styles, LayerNameFilter) {
    auto s = styles::parse_style("[[rule]]\nfilter = { \"$layer\" = \"plan\" }\nline = {}\n", "s.toml");
    auto l = sample_layer();
    EXPECT_EQ(s.match(l, 0), 0);
    l.set_name("other");
    EXPECT_EQ(s.match(l, 0), -1);
}

TEST(Styles, ShippedStylesLoad) {
    for (const char* name : {"plan_structure", "boundary", "coverage", "mnr2021_landuse", "gb50137", "gb50137_mono"}) {
        auto s = styles::load_style(styles::resolve_style(name, ""));
        EXPECT_FALSE(s.rules.empty()) << name;
    }
    auto mnr = styles::load_style(styles::resolve_style("mnr2021_landuse", ""));
    EXPECT_EQ(mnr.rules.size(), 39u);  // 附录B has 39 rows
    // Matching by name and by code.
    layers::Layer l("landuse", {{"ydyh", layers::FieldType::string, ""}}, std::nullopt, "Polygon");
    for (const char* v : {"公园绿地", "1401", "其他海域", "不存在的类"}) {
        layers::Feature f;
        f.values = {std::string(v)};
        l.add(std::move(f));
    }
    ASSERT_EQ(mnr.match(l, 0), mnr.match(l, 1));
    EXPECT_EQ(mnr.rules[static_cast<std::size_t>(mnr.match(l, 0))].fill->color.hex(), "#00FF00");
    EXPECT_EQ(mnr.rules[static_cast<std::size_t>(mnr.match(l, 2))].fill->color.hex(), "#D6EAF3");
    EXPECT_EQ(mnr.match(l, 3), -1);
}

TEST(Styles, ErrorsCarryFileAndLine) {
    EXPECT_EQ(line_of_error("name = \"x\"\n\n[[rule]]\nfill = { color = \"#12345\" }\n"), 4);
    EXPECT_EQ(line_of_error("[[rule]]\nline = {}\nbogus = 3\n"), 3);
    EXPECT_EQ(line_of_error("[[rule]]\nline = { width_mm = -1 }\n"), 2);
    EXPECT_EQ(line_of_error("[[rule]]\nline = { cap = \"pointy\" }\n"), 2);
    EXPECT_EQ(line_of_error("\n[[rule]]\ntitle = \"no symbolizer\"\n"), 2);
    EXPECT_EQ(line_of_error("[[rule]]\nline = {\n"), 2);  // TOML syntax error
    EXPECT_EQ(line_of_error("[[rule]]\nfilter = { a = { lo = 1 } }\nline = {}\n"), 2);
    EXPECT_EQ(line_of_error("[palette]\nfield = \"x\"\n[[palette.class]]\nname = \"a\"\n"), 3);  // no colour
    EXPECT_EQ(line_of_error("[[rule]]\nlabel = { size_pt = 9 }\n"), 2);                        // no field
}

TEST(Styles, ResolveNames) {
    EXPECT_NE(styles::resolve_style("boundary", "/x").find("styles/data/boundary.toml"), std::string::npos);
    EXPECT_EQ(styles::resolve_style("my.toml", "/maps"), "/maps/my.toml");
    EXPECT_THROW(styles::load_style("/nonexistent/style.toml"), file_error);
}
