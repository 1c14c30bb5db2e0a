#include "styles/style.hpp"

#include <cstdlib>
#include <filesystem>

#include "core/files.hpp"
#include "core/i18n.hpp"
#include "core/toml_read.hpp"

namespace planmap::styles {

namespace fs = std::filesystem;
using core::TomlTable;
using core::parse_toml_text;
using core::read_text_file;

namespace {

Hatch parse_hatch(TomlTable& t, const std::string& key) {
    auto s = t.choice(key, {"none", "horizontal", "vertical", "diagonal", "backdiagonal", "cross", "diagonal_cross", "dots"});
    if (!s || *s == "none") return Hatch::none;
    if (*s == "horizontal") return Hatch::horizontal;
    if (*s == "vertical") return Hatch::vertical;
    if (*s == "diagonal") return Hatch::diagonal;
    if (*s == "backdiagonal") return Hatch::backdiagonal;
    if (*s == "cross") return Hatch::cross;
    if (*s == "diagonal_cross") return Hatch::diagonal_cross;
    return Hatch::dots;
}

double opacity_of(TomlTable& t, double def) {
    auto o = t.num("opacity");
    if (o && (*o < 0 || *o > 1)) t.fail("opacity", tr("must be between 0 and 1"));
    return o.value_or(def);
}

FillSymbolizer parse_fill(TomlTable t) {
    FillSymbolizer f;
    auto c = read_color(t, "color");
    if (!c) t.fail("", tr("needs 'color'"));
    f.color = *c;
    f.opacity = opacity_of(t, 1.0);
    f.hatch = parse_hatch(t, "hatch");
    f.hatch_color = read_color(t, "hatch_color").value_or(f.hatch_color);
    f.hatch_spacing_mm = t.positive("hatch_spacing_mm").value_or(f.hatch_spacing_mm);
    f.hatch_width_mm = t.positive("hatch_width_mm").value_or(f.hatch_width_mm);
    t.finish();
    return f;
}

LineSymbolizer parse_line(TomlTable t) {
    LineSymbolizer l;
    l.color = read_color(t, "color").value_or(l.color);
    l.width_mm = t.positive("width_mm").value_or(l.width_mm);
    l.opacity = opacity_of(t, 1.0);
    if (auto d = t.num_list("dash_mm")) {
        for (double v : *d)
            if (!(v > 0)) t.fail("dash_mm", tr("lengths must be greater than 0"));
        l.dash_mm = *d;
    }
    if (auto c = t.choice("cap", {"butt", "round", "square"})) l.cap = *c == "butt" ? Cap::butt : *c == "round" ? Cap::round : Cap::square;
    if (auto j = t.choice("join", {"miter", "round", "bevel"})) l.join = *j == "miter" ? Join::miter : *j == "round" ? Join::round : Join::bevel;
    l.offset_mm = t.num("offset_mm").value_or(0);
    t.finish();
    return l;
}

ArrowSymbolizer parse_arrow(TomlTable t) {
    ArrowSymbolizer a;
    a.color = read_color(t, "color").value_or(a.color);
    a.opacity = opacity_of(t, a.opacity);
    a.start_width_mm = t.positive("start_width_mm").value_or(a.start_width_mm);
    a.end_width_mm = t.positive("end_width_mm").value_or(a.end_width_mm);
    a.head_length_mm = t.positive("head_length_mm").value_or(a.head_length_mm);
    a.head_width_mm = t.positive("head_width_mm").value_or(a.head_width_mm);
    a.outline = read_color(t, "outline").value_or(a.outline);
    a.outline_width_mm = t.num("outline_width_mm").value_or(a.outline_width_mm);
    t.finish();
    return a;
}

MarkerSymbolizer parse_marker(TomlTable t) {
    MarkerSymbolizer m;
    if (auto s = t.choice("shape", {"circle", "square", "triangle", "star", "diamond"}))
        m.shape = *s == "circle" ? MarkerShape::circle : *s == "square" ? MarkerShape::square : *s == "triangle" ? MarkerShape::triangle
                : *s == "star" ? MarkerShape::star : MarkerShape::diamond;
    m.fill = read_color(t, "fill").value_or(m.fill);
    m.stroke = read_color(t, "stroke").value_or(m.stroke);
    m.stroke_width_mm = t.num("stroke_width_mm").value_or(m.stroke_width_mm);
    m.size_mm = t.positive("size_mm").value_or(m.size_mm);
    m.size_field = t.str("size_field").value_or("");
    m.size_value = t.positive("size_value").value_or(0);
    if (!m.size_field.empty() && m.size_value <= 0) t.fail("size_field", tr("needs 'size_value' (the value drawn at size_mm)"));
    auto r = t.integer("rings").value_or(0);
    if (r < 0 || r > 5) t.fail("rings", tr("must be 0 to 5"));
    m.rings = static_cast<int>(r);
    t.finish();
    return m;
}

LabelSymbolizer parse_label(TomlTable t) {
    LabelSymbolizer l;
    auto f = t.str("field");
    if (!f || f->empty()) t.fail("", tr("needs 'field' (the attribute shown)"));
    l.field = *f;
    if (auto fam = t.str("font")) {
        // Roles as Chinese drafting names them, or a fontconfig family.
        if (*fam == "黑体" || *fam == "sans") l.family = "Noto Sans CJK SC";
        else if (*fam == "宋体" || *fam == "serif") l.family = "Noto Serif CJK SC";
        else l.family = *fam;
    }
    l.size_pt = t.positive("size_pt").value_or(l.size_pt);
    l.bold = t.boolean("bold").value_or(false);
    l.color = read_color(t, "color").value_or(l.color);
    l.halo_color = read_color(t, "halo_color").value_or(l.halo_color);
    l.halo_mm = t.num("halo_mm").value_or(l.halo_mm);
    if (l.halo_mm < 0) t.fail("halo_mm", tr("must be 0 or more"));
    l.priority = static_cast<int>(t.integer("priority").value_or(0));
    if (auto p = t.choice("placement", {"point", "line", "interior"}))
        l.placement = *p == "point" ? Placement::point : *p == "line" ? Placement::line : Placement::interior;
    l.vertical = t.boolean("vertical").value_or(false);
    l.offset_mm = t.num("offset_mm").value_or(0);
    l.max_width_mm = t.num("max_width_mm").value_or(0);
    l.leader = t.boolean("leader").value_or(false);
    t.finish();
    return l;
}

Filter parse_filter(TomlTable& rule) {
    Filter f;
    f.otherwise = rule.boolean("otherwise").value_or(false);
    auto ft = rule.table("filter");
    if (!ft) return f;
    for (auto&& [k, v] : ft->raw()) {
        std::string key(k.str());
        Condition c;
        c.field = key;
        if (v.is_string() || v.is_integer() || v.is_floating_point()) {
            c.op = Condition::Op::eq;
            c.values.push_back(v.is_string() ? *v.value<std::string>() : v.is_integer() ? std::to_string(*v.value<long long>()) : std::to_string(*v.value<double>()));
        } else if (v.is_boolean()) {
            c.op = Condition::Op::exists;
            if (!*v.value<bool>()) ft->fail(key, tr("only 'true' (the field is set) is allowed"));
        } else if (auto* arr = v.as_array()) {
            c.op = Condition::Op::in;
            for (auto& e : *arr) {
                if (e.is_string()) c.values.push_back(*e.value<std::string>());
                else if (e.is_integer()) c.values.push_back(std::to_string(*e.value<long long>()));
                else ft->fail(key, tr("list must hold strings or integers"));
            }
        } else if (auto* t = v.as_table()) {
            c.op = Condition::Op::range;
            TomlTable rt(*t, ft->file(), "filter." + key);
            c.min = rt.num("min");
            c.max = rt.num("max");
            if (!c.min && !c.max) rt.fail("", tr("a range needs 'min' and/or 'max'"));
            rt.finish();
        } else {
            ft->fail(key, tr("must be a value, a list of values, or a range {min, max}"));
        }
        ft->mark(key);
        f.conditions.push_back(std::move(c));
    }
    return f;
}

bool condition_holds(const Condition& c, const layers::Value& v) {
    if (std::holds_alternative<std::monostate>(v)) return false;
    switch (c.op) {
        case Condition::Op::exists: return !layers::value_to_string(v).empty();
        case Condition::Op::eq:
        case Condition::Op::in: {
            std::string s = layers::value_to_string(v);
            for (const auto& x : c.values)
                if (s == x) return true;
            // Numeric equality (e.g. "1.0" vs 1).
            auto d = layers::value_to_double(v);
            if (d)
                for (const auto& x : c.values) {
                    char* end = nullptr;
                    double xv = std::strtod(x.c_str(), &end);
                    if (end && *end == '\0' && end != x.c_str() && xv == *d) return true;
                }
            return false;
        }
        case Condition::Op::range: {
            auto d = layers::value_to_double(v);
            if (!d) return false;
            if (c.min && *d < *c.min) return false;
            if (c.max && *d >= *c.max) return false;
            return true;
        }
    }
    return false;
}

Rule parse_rule(TomlTable t) {
    Rule r;
    r.line_no = t.line();
    r.title = t.str("title").value_or("");
    r.filter = parse_filter(t);
    if (auto f = t.table("fill")) r.fill = parse_fill(*f);
    if (auto l = t.table("line")) r.line = parse_line(*l);
    for (auto& l : t.table_array("lines")) r.extra_lines.push_back(parse_line(l));
    if (auto a = t.table("arrow")) r.arrow = parse_arrow(*a);
    if (auto m = t.table("marker")) r.marker = parse_marker(*m);
    if (auto l = t.table("label")) r.label = parse_label(*l);
    if (!r.fill && !r.line && r.extra_lines.empty() && !r.arrow && !r.marker && !r.label)
        t.fail("", tr("has no symbolizer (fill, line, lines, arrow, marker or label)"));
    t.finish();
    return r;
}

}  // namespace

int Style::match(const layers::Layer& layer, std::size_t feature) const {
    int fallback = -1;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const auto& r = rules[i];
        if (r.filter.otherwise) {
            if (fallback < 0) fallback = static_cast<int>(i);
            continue;
        }
        bool ok = true;
        for (const auto& c : r.filter.conditions) {
            bool holds = c.field == "$layer" ? condition_holds(c, layers::Value(layer.name())) : condition_holds(c, layer.value(feature, c.field));
            if (!holds) {
                ok = false;
                break;
            }
        }
        if (ok) return static_cast<int>(i);
    }
    return fallback;
}

Style parse_style(const std::string& text, const std::string& file) {
    toml::table doc = parse_toml_text(text, file);
    TomlTable t(doc, file, "");
    Style s;
    s.file = file;
    s.name = t.str("name").value_or(fs::path(file).stem().string());
    t.str("description");
    for (auto& r : t.table_array("rule")) s.rules.push_back(parse_rule(r));
    if (auto p = t.table("palette")) {
        auto field = p->str("field");
        if (!field) p->fail("", tr("needs 'field' (the attribute holding the class code or name)"));
        std::optional<LineSymbolizer> outline;
        if (auto o = p->table("outline")) outline = parse_line(*o);
        double opacity = opacity_of(*p, 1.0);
        std::optional<LabelSymbolizer> label;
        if (auto l = p->table("label")) label = parse_label(*l);
        auto classes = p->table_array("class");
        if (classes.empty()) p->fail("", tr("has no [[palette.class]] entries"));
        for (auto& c : classes) {
            Rule r;
            r.line_no = c.line();
            auto name = c.str("name");
            if (!name) c.fail("", tr("needs 'name'"));
            auto code = c.str("code");
            r.title = code ? *code + " " + *name : *name;
            Condition cond;
            cond.field = *field;
            cond.op = Condition::Op::in;
            cond.values.push_back(*name);
            if (code) cond.values.push_back(*code);
            if (auto al = c.str_list("aliases"))
                for (auto& a : *al) cond.values.push_back(a);
            r.filter.conditions.push_back(cond);
            FillSymbolizer f;
            auto col = read_color(c, "color");
            if (!col) c.fail("", tr("needs 'color'"));
            f.color = *col;
            f.opacity = opacity;
            f.hatch = parse_hatch(c, "hatch");
            r.fill = f;
            r.line = outline;
            r.label = label;
            c.finish();
            s.rules.push_back(std::move(r));
        }
        p->finish();
    }
    if (s.rules.empty()) t.fail("", tr("style has no [[rule]] and no [palette]"));
    t.finish();
    return s;
}

Style load_style(const std::string& path) { return parse_style(read_text_file(path, N_("style file")), path); }

std::string styles_dir() {
    if (const char* e = std::getenv("PLANMAP_STYLES"); e && *e) return e;
    return (fs::path(core::data_dir()) / "styles" / "data").string();
}

std::string resolve_style(const std::string& name, const std::string& base_dir) {
    if (name.find('/') == std::string::npos && name.find(".toml") == std::string::npos)
        return (fs::path(styles_dir()) / (name + ".toml")).string();
    fs::path p(name);
    if (p.is_relative() && !base_dir.empty()) p = fs::path(base_dir) / p;
    return p.lexically_normal().string();
}

}  // namespace planmap::styles
