#include "render/map_spec.hpp"

#include <cmath>
#include <filesystem>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/toml_read.hpp"

namespace planmap::render {

namespace fs = std::filesystem;
using core::TomlTable;

PaperSpec resolve_paper(PaperSpec p) {
    // ISO 216 A series, portrait width × height in mm.
    static const std::pair<const char*, std::pair<double, double>> sizes[] = {
        {"A0", {841, 1189}}, {"A1", {594, 841}}, {"A2", {420, 594}}, {"A3", {297, 420}}, {"A4", {210, 297}}};
    bool found = false;
    for (const auto& [name, wh] : sizes) {
        if (p.size == name) {
            p.width_mm = wh.first;
            p.height_mm = wh.second;
            found = true;
        }
    }
    if (!found) throw usage_error(trf("unknown paper size '{}' (A0, A1, A2, A3 or A4)", p.size));
    if (p.lengthen < 0 || p.lengthen > 8) throw usage_error(tr("paper lengthening must be 0 to 8 eighths"));
    if (p.lengthen > 0) {
        if (p.size != "A0") throw usage_error(tr("only A0 is lengthened (by n/8 of its long side)"));
        p.height_mm += p.height_mm * p.lengthen / 8.0;
    }
    if (p.landscape) std::swap(p.width_mm, p.height_mm);
    if (p.margin_mm < 0 || p.margin_mm * 4 > std::min(p.width_mm, p.height_mm))
        throw usage_error(trf("paper margin {} mm does not fit the paper", std::to_string(p.margin_mm)));
    return p;
}

namespace {

LayerSpec parse_layer(TomlTable t, bool need_style) {
    LayerSpec l;
    l.line = t.line();
    auto src = t.str("source");
    if (!src || src->empty()) t.fail("", tr("needs 'source' (a data file)"));
    l.source = *src;
    l.layer = t.str("layer");
    l.name = t.str("name").value_or(l.layer.value_or(fs::path(*src).stem().string()));
    l.s_crs = t.str("s_crs").value_or("");
    auto st = t.str("style");
    if (need_style && (!st || st->empty())) t.fail("", tr("needs 'style' (a shipped style name or a .toml path)"));
    l.style = st.value_or("");
    l.legend = t.boolean("legend").value_or(true);
    l.fit = t.boolean("fit").value_or(true);
    t.finish();
    return l;
}

}  // namespace

MapSpec parse_map(const std::string& text, const std::string& file) {
    toml::table doc = core::parse_toml_text(text, file);
    TomlTable t(doc, file, "");
    MapSpec m;
    m.file = file;
    m.dir = fs::path(file).parent_path().string();
    auto title = t.str("title");
    if (!title || title->empty()) t.fail("", tr("the map needs a 'title'"));
    m.title = *title;
    m.subtitle = t.str("subtitle").value_or("");
    m.period = t.str("period").value_or("");
    m.crs = t.str("crs").value_or("auto");
    if (auto p = t.table("paper")) {
        m.paper.size = p->choice("size", {"A0", "A1", "A2", "A3", "A4"}).value_or("A3");
        auto o = p->choice("orientation", {"landscape", "portrait"});
        m.paper.landscape = o.value_or("landscape") == "landscape";
        auto len = p->integer("lengthen").value_or(0);
        if (len < 0 || len > 8) p->fail("lengthen", tr("must be 0 to 8 (eighths of the A0 long side)"));
        if (len > 0 && m.paper.size != "A0") p->fail("lengthen", tr("only A0 is lengthened"));
        m.paper.lengthen = static_cast<int>(len);
        m.paper.margin_mm = p->num("margin_mm").value_or(10);
        if (m.paper.margin_mm < 0 || m.paper.margin_mm > 50) p->fail("margin_mm", tr("must be 0 to 50"));
        p->finish();
    }
    m.paper = resolve_paper(m.paper);
    if (auto f = t.table("frame")) {
        if (auto s = f->positive("scale")) {
            if (*s < 100 || *s > 1e8) f->fail("scale", tr("must be the denominator N of 1:N (100 to 100,000,000)"));
            m.scale = *s;
        }
        m.fit_layer = f->str("fit").value_or("");
        m.fit_margin = f->num("margin").value_or(0.05);
        if (m.fit_margin < 0 || m.fit_margin > 0.45) f->fail("margin", tr("must be 0 to 0.45 (a share of the frame)"));
        f->finish();
    }
    for (auto& l : t.table_array("layer")) m.layers.push_back(parse_layer(l, true));
    if (m.layers.empty()) t.fail("", tr("the map has no [[layer]]"));
    if (!m.fit_layer.empty()) {
        bool ok = false;
        for (const auto& l : m.layers) ok = ok || l.name == m.fit_layer;
        if (!ok) t.fail("frame", trf("fits layer '{}', which is not a [[layer]] name", m.fit_layer));
    }
    if (auto n = t.table("north_arrow")) {
        m.north_arrow = n->boolean("show").value_or(true);
        if (auto w = n->num_list("wind")) {
            if (w->size() != 16) n->fail("wind", trf("needs 16 frequencies (N, NNE, … NNW), has {}", w->size()));
            for (double v : *w)
                if (v < 0) n->fail("wind", tr("frequencies must be 0 or more"));
            m.wind = *w;
        }
        if (auto w = n->num_list("wind_summer")) {
            if (w->size() != 16) n->fail("wind_summer", trf("needs 16 frequencies, has {}", w->size()));
            m.wind_summer = *w;
        }
        n->finish();
    }
    if (auto i = t.table("inset")) {
        m.inset = true;
        m.inset_layer = parse_layer(*i, false);
    }
    if (auto g = t.table("grid")) {
        m.grid = g->boolean("show").value_or(true);
        m.grid_spacing_m = g->positive("spacing_m").value_or(0);
        g->finish();
    }
    if (auto l = t.table("legend")) {
        m.legend_title = l->str("title").value_or(m.legend_title);
        l->finish();
    }
    if (auto st = t.table("stats")) {
        StatsSpec spec;
        spec.title = st->str("title").value_or(spec.title);
        for (auto& r : st->table_array("row")) {
            StatsRow row;
            row.label = r.str("label").value_or("");
            if (row.label.empty()) r.fail("label", tr("a statistics row needs a 'label'"));
            auto v = r.str("value");
            if (!v) r.fail("value", tr("a statistics row needs a 'value' (text, e.g. \"76.45 %\")"));
            row.value = *v;
            row.requirement = r.str("requirement").value_or("");
            row.status = r.choice("status", {"pass", "fail", "n/a"}).value_or("");
            row.clause = r.str("clause").value_or("");
            r.finish();
            spec.rows.push_back(std::move(row));
        }
        if (spec.rows.size() > 40) st->fail("row", tr("at most 40 statistics rows fit a sheet"));
        st->finish();
        m.stats = std::move(spec);
    }
    m.sheet_number = t.boolean("sheet_number").value_or(true);
    if (auto b = t.table("title_block")) {
        auto& tb = m.title_block;
        tb.institute = b->str("institute").value_or("");
        tb.project = b->str("project").value_or("");
        tb.drawing_no = b->str("drawing_no").value_or("");
        tb.date = b->str("date").value_or("");
        tb.design = b->str("design").value_or("");
        tb.check = b->str("check").value_or("");
        tb.review = b->str("review").value_or("");
        tb.approve = b->str("approve").value_or("");
        b->finish();
    }
    t.finish();
    return m;
}

MapSpec load_map(const std::string& path) { return parse_map(core::read_text_file(path, N_("map file")), path); }

std::vector<core::NamedPath> input_paths(const MapSpec& spec) {
    std::vector<core::NamedPath> out;
    if (!spec.file.empty()) out.push_back({"MAP", spec.file});
    auto add = [&](const LayerSpec& l) {
        if (l.source.empty()) return;
        std::error_code ec;
        std::filesystem::path p(l.source);
        if (p.is_relative() && !spec.dir.empty() && !std::filesystem::exists(p, ec)) p = std::filesystem::path(spec.dir) / p;
        out.push_back({trf("layer '{}'", l.name), p.string()});
    };
    for (const auto& l : spec.layers) add(l);
    if (spec.inset) add(spec.inset_layer);
    return out;
}

}  // namespace planmap::render
