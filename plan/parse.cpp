// Reading a plan file (TOML) into the plan model, with file:line errors naming the element.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/toml_read.hpp"
#include "layers/postgis.hpp"
#include "plan/plan.hpp"

namespace planmap::plan {

const std::vector<std::string>& plan_kinds() {
    static const std::vector<std::string> k = {
        "district", "county",  "unit",   "zone",   "block",  "area",   "axis",     "belt",
        "bank",     "corridor", "chain", "island", "centre", "pole",   "node",     "tier",
        "ring",     "sector",  "road",   "network", "circle", "greenway", "cluster", "river"};
    return k;
}

const std::vector<std::string>& plan_ground_kinds() {
    static const std::vector<std::string> k = {"district", "unit", "county"};
    return k;
}

const std::vector<std::string>& plan_base_kinds() {
    static const std::vector<std::string> k = {"river"};
    return k;
}

const std::vector<std::string>& plan_base_roles() {
    static const std::vector<std::string> r = {"water", "road", "rail", "green"};
    return r;
}

const std::vector<std::string>& plan_precisions() {
    static const std::vector<std::string> p = {"schematic", "indicative", "surveyed"};
    return p;
}

const PlanElement* Plan::find(const std::string& element_id) const {
    for (const auto& e : elements)
        if (e.id == element_id) return &e;
    return nullptr;
}

std::vector<std::string> PlanElement::dependencies() const {
    std::vector<std::string> d;
    auto add = [&](const std::string& s) {
        if (!s.empty() && std::find(d.begin(), d.end(), s) == d.end()) d.push_back(s);
    };
    for (const auto& m : geometry.members) add(m);
    for (const auto* s : {&geometry.of, &geometry.by, &geometry.outer, &geometry.inner, &geometry.boundary,
                          &geometry.seed_ref, &geometry.clip, &within})
        add(*s);
    return d;
}

namespace {

using core::TomlTable;

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

std::vector<std::string> strings(TomlTable& t, const std::string& key) {
    return t.str_list(key, true).value_or(std::vector<std::string>{});
}

LonLat lonlat(const TomlTable& t, const toml::node& n) {
    const auto* a = n.as_array();
    if (!a || a->size() != 2 || !(*a)[0].is_number() || !(*a)[1].is_number()) t.fail_at(n, tr("a coordinate must be [lon, lat]"));
    LonLat p{*(*a)[0].value<double>(), *(*a)[1].value<double>()};
    if (!std::isfinite(p.first) || !std::isfinite(p.second) || std::abs(p.first) > 180 || std::abs(p.second) > 90)
        t.fail_at(n, tr("coordinate out of range"));
    return p;
}

std::vector<LonLat> lonlat_list(const TomlTable& t, const toml::node& n, std::size_t min_points) {
    const auto* a = n.as_array();
    if (!a) t.fail_at(n, tr("expected a list of [lon, lat]"));
    std::vector<LonLat> out;
    for (const auto& x : *a) out.push_back(lonlat(t, x));
    if (out.size() < min_points) t.fail_at(n, trf("needs at least {} coordinates", min_points));
    return out;
}

layers::Value value(const TomlTable& t, const toml::node& n) {
    if (auto s = n.value_exact<std::string>()) return *s;
    if (auto i = n.value_exact<int64_t>()) return *i;
    if (auto d = n.value_exact<double>()) return *d;
    if (auto b = n.value_exact<bool>()) return static_cast<std::int64_t>(*b ? 1 : 0);
    if (const auto* a = n.as_array()) {
        std::vector<std::string> parts;
        for (const auto& x : *a) parts.push_back(layers::value_to_string(value(t, x)));
        return join(parts, "、");
    }
    t.fail_at(n, tr("attribute values must be strings, numbers, booleans or lists of them"));
}

PlanBase base(TomlTable& t, const std::filesystem::path& dir) {
    t.known_keys({"id", "path", "crs", "layer", "name_field", "draw"});
    PlanBase b;
    b.line = t.line();
    b.id = t.required_str("id");
    t.set_where(trf("base '{}'", b.id));
    b.path = t.required_str("path");
    b.crs = t.str("crs").value_or("");
    b.layer = t.str("layer").value_or("");
    b.name_field = t.str("name_field").value_or("name");
    b.draw = t.str("draw").value_or("");
    if (!b.draw.empty() && std::find(plan_base_roles().begin(), plan_base_roles().end(), b.draw) == plan_base_roles().end())
        t.fail_at("draw", trf("unknown role '{}' (known: {})", b.draw, join(plan_base_roles(), ", ")));
    std::filesystem::path p(b.path);
    b.resolved = p.is_absolute() ? p.string() : (dir / p).lexically_normal().string();
    return b;
}

void parse_op(TomlTable& t, PlanElement& e, const toml::node& opnode) {
    auto& g = e.geometry;
    g.members = strings(t, "members");
    g.of = t.str("of").value_or("");
    g.by = t.str("by").value_or("");
    g.outer = t.str("outer").value_or("");
    g.inner = t.str("inner").value_or("");
    g.boundary = t.str("boundary").value_or("");
    g.distance_m = t.num("distance_m").value_or(0);
    g.snap_m = t.num("snap_m").value_or(0);
    if (const auto* s = t.node("seed")) {
        if (s->is_string()) g.seed_ref = *s->value<std::string>();
        else g.seed = lonlat(t, *s);
    }
    std::string side = t.str("side").value_or("both");
    if (side == "left") g.side = 1;
    else if (side == "right") g.side = -1;
    else if (side != "both") t.fail_at("side", tr("'side' must be left, right or both"));
    auto need = [&](bool ok, const char* keys) {
        if (!ok) t.fail_at(opnode, trf("op '{}' needs {}", g.op, tr(keys)));
    };
    const std::string& op = g.op;
    if (op == "union" || op == "hull" || op == "chain" || op == "enclosed_ring") {
        need(!g.members.empty(), N_("'members'"));
    } else if (op == "buffer" || op == "corridor") {
        need(!g.of.empty() && g.distance_m > 0, N_("'of' and a positive 'distance_m'"));
    } else if (op == "polygon" || op == "boundary" || op == "largest_part") {
        need(!g.of.empty(), N_("'of'"));
    } else if (op == "clip") {
        need(!g.of.empty() && !g.by.empty(), N_("'of' and 'by'"));
    } else if (op == "difference") {
        need(!g.of.empty() && !g.members.empty(), N_("'of' and 'members' (the elements taken away)"));
    } else if (op == "annulus") {
        need(!g.outer.empty() && !g.inner.empty(), N_("'outer' and 'inner'"));
    } else if (op == "voronoi") {
        need(!g.boundary.empty() && (g.seed || !g.seed_ref.empty()), N_("'boundary' and 'seed'"));
    } else {
        t.fail_at(opnode, trf("unknown op '{}' (known: union, hull, buffer, corridor, polygon, boundary, largest_part, clip, "
                              "difference, annulus, chain, enclosed_ring, voronoi)",
                              op));
    }
    if (op != "corridor" && t.has("side")) t.fail_at("side", tr("'side' applies to op 'corridor'"));
}

PlanElement element(TomlTable& t, const std::string& district) {
    PlanElement e;
    e.line = t.line();
    e.id = t.required_str("id");
    t.set_where(trf("element '{}'", e.id));
    t.known_keys({"id", "kind", "name_zh", "name_en", "parent", "precision", "source_ref", "inferred", "helper", "within",
                  "attributes", "point", "points", "line", "lines", "polygon", "select", "op", "members", "of", "by", "outer",
                  "inner", "boundary", "seed", "distance_m", "side", "snap_m", "buffer_m", "clip", "smooth"});
    e.kind = t.required_str("kind");
    if (std::find(plan_kinds().begin(), plan_kinds().end(), e.kind) == plan_kinds().end())
        t.fail_at("kind", trf("unknown kind '{}' (known: {})", e.kind, join(plan_kinds(), ", ")));
    e.name_zh = t.required_str("name_zh");
    e.name_en = t.required_str("name_en");
    e.parent = t.str("parent").value_or("");
    e.precision = t.required_str("precision");
    if (std::find(plan_precisions().begin(), plan_precisions().end(), e.precision) == plan_precisions().end())
        t.fail_at("precision", trf("precision must be one of {}, not '{}'", join(plan_precisions(), ", "), e.precision));
    e.source_ref = t.required_str("source_ref");
    e.inferred = t.boolean("inferred").value_or(false);
    e.helper = t.boolean("helper").value_or(false);
    if (const auto* a = t.node("attributes")) {
        const auto* at = a->as_table();
        if (!at) t.fail_at(*a, tr("'attributes' must be a table"));
        static const std::set<std::string> reserved = {"id", "kind", "name_zh", "name_en", "parent",
                                                       "precision", "source_ref", "inferred"};
        for (const auto& [k, v] : *at) {
            std::string key(k.str());
            if (reserved.count(key)) t.fail_at(v, trf("attribute '{}' clashes with a standard field", key));
            e.attributes.emplace_back(key, value(t, v));
        }
    }
    auto& g = e.geometry;
    int sources = 0;
    if (const auto* n = t.node("point")) {
        g.source = PlanGeometry::Source::point;
        g.parts.push_back({lonlat(t, *n)});
        ++sources;
    }
    if (const auto* n = t.node("points")) {
        g.source = PlanGeometry::Source::points;
        for (const auto& p : lonlat_list(t, *n, 1)) g.parts.push_back({p});
        ++sources;
    }
    if (const auto* n = t.node("line")) {
        g.source = PlanGeometry::Source::line;
        g.parts.push_back(lonlat_list(t, *n, 2));
        ++sources;
    }
    if (const auto* n = t.node("lines")) {
        g.source = PlanGeometry::Source::lines;
        const auto* a = n->as_array();
        if (!a || a->empty()) t.fail_at(*n, tr("'lines' must be a list of lines"));
        for (const auto& l : *a) g.parts.push_back(lonlat_list(t, l, 2));
        ++sources;
    }
    if (const auto* n = t.node("polygon")) {
        g.source = PlanGeometry::Source::polygon;
        g.parts.push_back(lonlat_list(t, *n, 3));
        ++sources;
    }
    if (const auto* n = t.node("select")) {
        g.source = PlanGeometry::Source::select;
        const auto* st = n->as_table();
        if (!st) t.fail_at(*n, tr("'select' must be a table {base = …, name = …}"));
        TomlTable sel(*st, t.file(), t.where());
        sel.known_keys({"base", "name", "names", "field", "value", "values", "all"});
        g.base = sel.required_str("base");
        g.field = sel.str("field").value_or("");
        for (const char* k : {"name", "names", "value", "values"}) {
            if (const auto* v = sel.node(k)) {
                if (const auto* a = v->as_array()) {
                    for (const auto& x : *a) g.values.push_back(layers::value_to_string(value(sel, x)));
                } else {
                    g.values.push_back(layers::value_to_string(value(sel, *v)));
                }
            }
        }
        g.select_all = sel.boolean("all").value_or(false);
        if (g.values.empty() == !g.select_all) t.fail_at(*n, tr("'select' needs name(s) or value(s), or all = true"));
        ++sources;
    }
    if (const auto* n = t.node("op")) {
        g.source = PlanGeometry::Source::op;
        g.op = t.required_str("op");
        ++sources;
        parse_op(t, e, *n);
    }
    if (sources > 1) t.fail_at("", tr("give only one of point, points, line, lines, polygon, select, op"));
    if (g.source != PlanGeometry::Source::op)
        for (const char* k : {"members", "of", "by", "outer", "inner", "boundary", "seed", "distance_m", "side", "snap_m"})
            if (t.has(k)) t.fail_at(k, trf("'{}' needs an 'op'", k));
    g.buffer_m = t.num("buffer_m").value_or(0);
    if (g.buffer_m < 0) t.fail_at("buffer_m", tr("'buffer_m' must not be negative"));
    g.clip = t.str("clip").value_or("");
    g.smooth = static_cast<int>(t.num("smooth").value_or(0));
    if (g.smooth < 0 || g.smooth > 8) t.fail_at("smooth", tr("'smooth' must be 0 to 8 iterations"));
    bool authored = g.source == PlanGeometry::Source::point || g.source == PlanGeometry::Source::points ||
                    g.source == PlanGeometry::Source::line || g.source == PlanGeometry::Source::lines ||
                    g.source == PlanGeometry::Source::polygon;
    if (t.has("within")) {
        if (!authored) t.fail_at("within", tr("'within' applies to authored coordinates only"));
        e.within = t.str("within").value_or("");
    } else if ((g.source == PlanGeometry::Source::point || g.source == PlanGeometry::Source::points) && e.id != district) {
        e.within = district;
    }
    return e;
}

PlanSelector selector(TomlTable& t) {
    PlanSelector s;
    s.ids = strings(t, "elements");
    for (auto& id : strings(t, "element")) s.ids.push_back(id);
    s.kind = t.str("kind").value_or("");
    s.parent = t.str("parent").value_or("");
    if (const auto* w = t.node("where")) {
        const auto* wt = w->as_table();
        if (!wt) t.fail_at(*w, tr("'where' must be a table of attribute values"));
        for (const auto& [k, v] : *wt) s.where.emplace_back(std::string(k.str()), layers::value_to_string(value(t, v)));
    }
    return s;
}

PlanCheck check(TomlTable& t) {
    PlanCheck c;
    c.line = t.line();
    c.type = t.required_str("type");
    c.name = t.str("name").value_or(c.type);
    t.set_where(trf("check '{}'", c.name));
    t.known_keys({"type", "name", "severity", "message", "elements", "element", "kind", "parent", "where", "expect", "names",
                  "of", "within", "pairs", "other", "area_tolerance", "overlap_tolerance", "tolerance_m", "tolerance_m2"});
    c.severity = t.str("severity").value_or("error");
    if (c.severity != "error" && c.severity != "warning") t.fail_at("severity", tr("severity must be error or warning"));
    c.message = t.str("message").value_or("");
    c.select = selector(t);
    if (const auto* n = t.node("expect")) {
        auto v = n->value_exact<int64_t>();
        if (!v || *v < 0) t.fail_at(*n, tr("'expect' must be a count"));
        c.expect = *v;
    }
    c.names = strings(t, "names");
    c.of = t.str("of").value_or("");
    c.within = t.str("within").value_or("");
    if (const auto* n = t.node("pairs")) {
        const auto* a = n->as_array();
        if (!a) t.fail_at(*n, tr("'pairs' must be a list of [element, container]"));
        for (const auto& p : *a) {
            const auto* pa = p.as_array();
            if (!pa || pa->size() != 2 || !(*pa)[0].is_string() || !(*pa)[1].is_string())
                t.fail_at(p, tr("each pair must be [element, container]"));
            c.pairs.emplace_back(*(*pa)[0].value<std::string>(), *(*pa)[1].value<std::string>());
        }
    }
    c.other = strings(t, "other");
    c.area_tolerance = t.num("area_tolerance").value_or(c.area_tolerance);
    c.overlap_tolerance = t.num("overlap_tolerance").value_or(c.overlap_tolerance);
    c.tolerance_m = t.num("tolerance_m").value_or(c.tolerance_m);
    c.tolerance_m2 = t.num("tolerance_m2").value_or(c.tolerance_m2);
    auto need = [&](bool ok, const char* keys) {
        if (!ok) t.fail_at("", trf("a '{}' check needs {}", c.type, tr(keys)));
    };
    if (c.type == "count") {
        need(c.expect.has_value() || !c.names.empty(), N_("'expect' or 'names'"));
        need(!c.select.empty(), N_("'elements', 'kind', 'parent' or 'where'"));
    } else if (c.type == "partition") {
        need(!c.select.empty() && !c.of.empty(), N_("members ('elements' or 'kind') and 'of'"));
    } else if (c.type == "inside") {
        need(!c.pairs.empty() || (!c.select.empty() && !c.within.empty()), N_("'pairs', or elements and 'within'"));
    } else if (c.type == "disjoint") {
        need(!c.select.empty() && !c.other.empty(), N_("elements and 'other'"));
    } else if (c.type == "closed_ring") {
        need(!c.select.empty(), N_("'elements' or 'kind'"));
    } else {
        t.fail_at("type", trf("unknown check type '{}' (known: count, partition, inside, disjoint, closed_ring)", c.type));
    }
    return c;
}

std::optional<PlanFigure> figure(TomlTable& t, const std::string& key, PlanIndicator* with_compare) {
    auto ft = t.table(key);
    if (!ft) return std::nullopt;
    ft->set_where(t.where() + " " + key);
    if (with_compare) ft->known_keys({"value", "year", "compare"});
    else ft->known_keys({"value", "year"});
    PlanFigure f;
    f.value = ft->required_num("value");
    if (auto y = ft->integer("year")) {
        if (*y < 1900 || *y > 2200) ft->fail("year", tr("must be a year (1900 to 2200)"));
        f.year = static_cast<int>(*y);
    }
    if (with_compare) with_compare->compare = ft->choice("compare", {">=", "<=", "="}).value_or(with_compare->compare);
    return f;
}

PlanIndicator indicator(TomlTable& t) {
    PlanIndicator ind;
    ind.line = t.line();
    ind.id = t.required_str("id");
    t.set_where(trf("indicator '{}'", ind.id));
    t.known_keys({"id", "name_zh", "name_en", "unit", "baseline", "target", "source_ref", "evaluate", "note", "severity",
                  "elements", "element", "kind", "parent", "where", "profile", "residential", "facilities",
                  "population_field", "metric"});
    ind.name_zh = t.required_str("name_zh");
    ind.name_en = t.str("name_en").value_or("");
    ind.unit = t.str("unit").value_or("");
    ind.source_ref = t.required_str("source_ref");
    ind.note = t.str("note").value_or("");
    auto method = t.choice("evaluate", indicator_methods());
    if (!method) t.fail_at("", trf("'evaluate' is required ({})", join(indicator_methods(), ", ")));
    ind.evaluate = *method;
    if (ind.evaluate == "count") ind.compare = "=";
    ind.baseline = figure(t, "baseline", nullptr);
    ind.target = figure(t, "target", &ind);
    ind.severity = t.choice("severity", {"error", "warning"}).value_or("error");
    if (t.has("severity") && ind.evaluate != "count") t.fail_at("severity", tr("'severity' applies to count indicators"));
    const bool selects = t.has("elements") || t.has("kind") || t.has("parent") || t.has("where");
    if (ind.evaluate == "count") {
        ind.select = selector(t);
        if (ind.select.empty()) t.fail_at("", tr("a count indicator needs 'elements', 'kind', 'parent' or 'where'"));
        if (!ind.target) t.fail_at("", tr("a count indicator needs a target (the count the text states)"));
    } else if (selects) {
        t.fail_at("", tr("'elements', 'kind', 'parent' and 'where' apply to count indicators"));
    }
    if (ind.evaluate == "area" || ind.evaluate == "length") {
        ind.element = t.required_str("element");
        const auto& units = ind.evaluate == "area" ? area_units() : length_units();
        if (!units.count(ind.unit)) {
            std::string known;
            for (const auto& [u, f] : units) known += (known.empty() ? "" : ", ") + u;
            t.fail_at("unit", trf("an {} indicator's unit must be one of {}", ind.evaluate, known));
        }
    } else if (t.has("element") && ind.evaluate != "count") {
        t.fail_at("element", tr("'element' applies to count, area and length indicators"));
    }
    if (ind.evaluate == "coverage") {
        ind.profile = t.required_str("profile");
        ind.residential = t.required_str("residential");
        ind.facilities = t.required_str("facilities");
        ind.population_field = t.str("population_field").value_or("");
        ind.metric = t.choice("metric", {"coverage_ratio", "population_coverage_ratio"}).value_or(ind.metric);
        if (ind.unit != "%") t.fail_at("unit", tr("a coverage indicator is a share in %"));
    } else {
        for (const char* k : {"profile", "residential", "facilities", "population_field", "metric"})
            if (t.has(k)) t.fail_at(k, trf("'{}' applies to coverage indicators", k));
    }
    return ind;
}

void check_references(const Plan& plan) {
    auto fail = [&](int line, const std::string& what, const std::string& msg) {
        throw file_error(plan.file, line, trf("{}: {}", what, msg));
    };
    std::set<std::string> bases;
    for (const auto& b : plan.bases) {
        if (!bases.insert(b.id).second) fail(b.line, trf("base '{}'", b.id), tr("duplicate base id"));
    }
    std::map<std::string, const PlanElement*> ids;
    for (const auto& e : plan.elements)
        if (!ids.emplace(e.id, &e).second) fail(e.line, trf("element '{}'", e.id), tr("duplicate element id"));
    if (!plan.district.empty() && !ids.count(plan.district))
        fail(plan.district_line, "plan", trf("district '{}' is not an element", plan.district));
    for (const auto& e : plan.elements) {
        std::string what = trf("element '{}'", e.id);
        if (!e.parent.empty() && !ids.count(e.parent)) fail(e.line, what, trf("unknown parent '{}'", e.parent));
        if (e.parent == e.id) fail(e.line, what, tr("an element cannot be its own parent"));
        for (const auto& d : e.dependencies())
            if (!ids.count(d)) fail(e.line, what, trf("unknown element '{}'", d));
        if (e.geometry.source == PlanGeometry::Source::select && !bases.count(e.geometry.base))
            fail(e.line, what, trf("unknown base '{}'", e.geometry.base));
    }
    for (const auto& c : plan.checks) {
        std::string what = trf("check '{}'", c.name);
        auto known = [&](const std::string& id) {
            if (!id.empty() && !ids.count(id)) fail(c.line, what, trf("unknown element '{}'", id));
        };
        for (const auto& id : c.select.ids) known(id);
        for (const auto& id : c.other) known(id);
        known(c.of);
        known(c.within);
        known(c.select.parent);
        for (const auto& [a, b] : c.pairs) {
            known(a);
            known(b);
        }
        if (!c.select.kind.empty() &&
            std::find(plan_kinds().begin(), plan_kinds().end(), c.select.kind) == plan_kinds().end())
            fail(c.line, what, trf("unknown kind '{}'", c.select.kind));
    }
    std::set<std::string> indicators;
    for (const auto& ind : plan.indicators) {
        std::string what = trf("indicator '{}'", ind.id);
        if (!indicators.insert(ind.id).second) fail(ind.line, what, tr("duplicate indicator id"));
        for (const auto& id : ind.select.ids)
            if (!ids.count(id)) fail(ind.line, what, trf("unknown element '{}'", id));
        if (!ind.select.parent.empty() && !ids.count(ind.select.parent))
            fail(ind.line, what, trf("unknown element '{}'", ind.select.parent));
        if (!ind.element.empty() && !ids.count(ind.element)) fail(ind.line, what, trf("unknown element '{}'", ind.element));
        if (!ind.select.kind.empty() &&
            std::find(plan_kinds().begin(), plan_kinds().end(), ind.select.kind) == plan_kinds().end())
            fail(ind.line, what, trf("unknown kind '{}'", ind.select.kind));
    }
}

}  // namespace

std::vector<const PlanElement*> dependency_order(const Plan& plan) {
    std::map<std::string, const PlanElement*> ids;
    for (const auto& e : plan.elements) ids.emplace(e.id, &e);
    // Voronoi cells of one boundary are computed together: each needs every seed of its group.
    std::map<std::string, std::vector<std::string>> group_seeds;
    for (const auto& e : plan.elements)
        if (e.geometry.op == "voronoi" && !e.geometry.seed_ref.empty())
            group_seeds[e.geometry.boundary].push_back(e.geometry.seed_ref);
    auto deps = [&](const PlanElement& e) {
        auto d = e.dependencies();
        if (e.geometry.op == "voronoi")
            for (const auto& s : group_seeds[e.geometry.boundary])
                if (std::find(d.begin(), d.end(), s) == d.end()) d.push_back(s);
        return d;
    };
    std::vector<const PlanElement*> order;
    std::map<std::string, int> state;  // 0 new, 1 on the stack, 2 done
    std::vector<std::string> stack;
    std::function<void(const PlanElement&)> visit = [&](const PlanElement& e) {
        state[e.id] = 1;
        stack.push_back(e.id);
        for (const auto& d : deps(e)) {
            auto it = ids.find(d);
            if (it == ids.end())
                throw file_error(plan.file, e.line, trf("{}: {}", trf("element '{}'", e.id), trf("unknown element '{}'", d)));
            if (state[d] == 1) {
                auto from = std::find(stack.begin(), stack.end(), d);
                std::vector<std::string> cycle(from, stack.end());
                cycle.push_back(d);
                throw file_error(plan.file, ids[d]->line, trf("{}: {}", trf("element '{}'", d), trf("dependency cycle {}", join(cycle, " -> "))));
            }
            if (state[d] == 0) visit(*it->second);
        }
        stack.pop_back();
        state[e.id] = 2;
        order.push_back(&e);
    };
    for (const auto& e : plan.elements)
        if (state[e.id] == 0) visit(e);
    return order;
}

Plan parse_plan_text(const std::string& text, const std::string& path) {
    toml::table doc = core::parse_toml_text(text, path);
    TomlTable root(doc, path, "");
    root.known_keys({"plan", "base", "element", "check", "indicator"});
    Plan plan;
    plan.file = path;
    const auto* pn = root.node("plan");
    if (!pn || !pn->is_table()) throw file_error(path, 1, tr("a plan file needs a [plan] table"));
    TomlTable pt(*pn->as_table(), path, "plan");
    pt.known_keys({"id", "name_zh", "name_en", "period", "source", "district", "coordinates_crs"});
    plan.id = pt.required_str("id");
    plan.name_zh = pt.required_str("name_zh");
    plan.name_en = pt.required_str("name_en");
    plan.period = pt.str("period").value_or("");
    plan.source = pt.required_str("source");
    plan.district = pt.str("district").value_or("");
    plan.district_line = pt.line_of("district");
    plan.coordinates_crs = pt.str("coordinates_crs").value_or(plan.coordinates_crs);
    try {
        (void)geo::Crs::parse(plan.coordinates_crs);
    } catch (const crs_error& e) {
        pt.fail_at("coordinates_crs", e.what());
    }
    auto dir = std::filesystem::path(path).parent_path();
    for (auto& t : root.table_array("base")) plan.bases.push_back(base(t, dir));
    for (auto& t : root.table_array("element")) plan.elements.push_back(element(t, plan.district));
    for (auto& t : root.table_array("check")) plan.checks.push_back(check(t));
    for (auto& t : root.table_array("indicator")) plan.indicators.push_back(indicator(t));
    if (plan.elements.empty()) pt.fail_at("", tr("no [[element]] in the file"));
    check_references(plan);
    (void)dependency_order(plan);
    return plan;
}

namespace {

void replace_base(Plan& plan, const std::string& assignment) {
    auto eq = assignment.find('=');
    if (eq == 0 || eq == std::string::npos || eq + 1 == assignment.size())
        throw usage_error(param{"base"}, trf(" expects ID=SOURCE, got: {}", layers::redact_connection(assignment)));
    const std::string id = assignment.substr(0, eq);
    std::string known;
    for (auto& b : plan.bases) {
        if (b.id == id) {
            b.resolved = assignment.substr(eq + 1);
            b.replaced = true;
            return;
        }
        known += (known.empty() ? "" : ", ") + b.id;
    }
    throw usage_error(param{"base"}, known.empty() ? trf(": plan '{}' has no base '{}' (it has none)", plan.id, id)
                                                   : trf(": plan '{}' has no base '{}' (its bases: {})", plan.id, id, known));
}

}  // namespace

void replace_bases(Plan& plan, const std::vector<std::string>& assignments) {
    for (const auto& a : assignments) replace_base(plan, a);
}

Plan parse_plan(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw io_error(trf("cannot open plan file '{}'", path));
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_plan_text(ss.str(), path);
}

}  // namespace planmap::plan
