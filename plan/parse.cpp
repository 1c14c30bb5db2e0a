// Reading a plan file (TOML) into the plan model, with file:line errors naming the element.
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/toml_read.hpp"
#include "plan/plan.hpp"

namespace planmap::plan {

const std::vector<std::string>& plan_kinds() {
    static const std::vector<std::string> k = {
        "district", "county",  "unit",   "zone",   "block",  "area",   "axis",     "belt",
        "bank",     "corridor", "chain", "island", "centre", "pole",   "node",     "tier",
        "ring",     "sector",  "road",   "network", "circle", "greenway", "cluster", "river"};
    return k;
}

const std::vector<std::string>& plan_precisions() {
    static const std::vector<std::string> p = {"schematic", "indicative", "surveyed"};
    return p;
}

const PlanElement* Plan::find(const std::string& id) const {
    for (const auto& e : elements)
        if (e.id == id) return &e;
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

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(int line, const std::string& what, const std::string& msg) const {
        throw file_error(file_, line, what.empty() ? msg : what + ": " + msg);
    }

    // Rejects keys the format does not know (typos would otherwise be ignored silently).
    void known_keys(const toml::table& t, const std::set<std::string>& keys, const std::string& what) const {
        for (const auto& [k, v] : t)
            if (!keys.count(std::string(k.str())))
                fail(line_of(v), what, "unknown key '" + std::string(k.str()) + "'");
    }

    std::string str(const toml::table& t, const char* key, const std::string& what, bool required,
                    const std::string& def = {}) const {
        const toml::node* n = t.get(key);
        if (!n) {
            if (required) fail(line_of(t), what, std::string("'") + key + "' is required");
            return def;
        }
        if (!n->is_string()) fail(line_of(*n), what, std::string("'") + key + "' must be a string");
        return std::string(*n->value<std::string>());
    }

    double num(const toml::table& t, const char* key, const std::string& what, double def) const {
        const toml::node* n = t.get(key);
        if (!n) return def;
        if (auto d = n->value<double>()) return *d;
        fail(line_of(*n), what, std::string("'") + key + "' must be a number");
    }

    bool boolean(const toml::table& t, const char* key, const std::string& what, bool def) const {
        const toml::node* n = t.get(key);
        if (!n) return def;
        if (!n->is_boolean()) fail(line_of(*n), what, std::string("'") + key + "' must be true or false");
        return *n->value<bool>();
    }

    std::vector<std::string> str_list(const toml::table& t, const char* key, const std::string& what) const {
        std::vector<std::string> out;
        const toml::node* n = t.get(key);
        if (!n) return out;
        if (n->is_string()) return {std::string(*n->value<std::string>())};
        const auto* a = n->as_array();
        if (!a) fail(line_of(*n), what, std::string("'") + key + "' must be a list of strings");
        for (const auto& x : *a) {
            if (!x.is_string()) fail(line_of(x), what, std::string("'") + key + "' must be a list of strings");
            out.emplace_back(*x.value<std::string>());
        }
        return out;
    }

    LonLat lonlat(const toml::node& n, const std::string& what) const {
        const auto* a = n.as_array();
        if (!a || a->size() != 2 || !(*a)[0].is_number() || !(*a)[1].is_number())
            fail(line_of(n), what, "a coordinate must be [lon, lat]");
        LonLat p{*(*a)[0].value<double>(), *(*a)[1].value<double>()};
        if (!std::isfinite(p.first) || !std::isfinite(p.second) || std::abs(p.first) > 180 || std::abs(p.second) > 90)
            fail(line_of(n), what, "coordinate out of range");
        return p;
    }

    std::vector<LonLat> lonlat_list(const toml::node& n, const std::string& what, std::size_t min_points) const {
        const auto* a = n.as_array();
        if (!a) fail(line_of(n), what, "expected a list of [lon, lat]");
        std::vector<LonLat> out;
        for (const auto& x : *a) out.push_back(lonlat(x, what));
        if (out.size() < min_points)
            fail(line_of(n), what, "needs at least " + std::to_string(min_points) + " coordinates");
        return out;
    }

    layers::Value value(const toml::node& n, const std::string& what) const {
        if (auto s = n.value_exact<std::string>()) return *s;
        if (auto i = n.value_exact<int64_t>()) return *i;
        if (auto d = n.value_exact<double>()) return *d;
        if (auto b = n.value_exact<bool>()) return static_cast<std::int64_t>(*b ? 1 : 0);
        if (const auto* a = n.as_array()) {
            std::vector<std::string> parts;
            for (const auto& x : *a) {
                layers::Value v = value(x, what);
                parts.push_back(layers::value_to_string(v));
            }
            return join(parts, "、");
        }
        fail(line_of(n), what, "attribute values must be strings, numbers, booleans or lists of them");
    }

    PlanBase base(const toml::table& t, const std::filesystem::path& dir) const {
        known_keys(t, {"id", "path", "crs", "layer", "name_field"}, "base");
        PlanBase b;
        b.line = line_of(t);
        b.id = str(t, "id", "base", true);
        std::string what = "base '" + b.id + "'";
        b.path = str(t, "path", what, true);
        b.crs = str(t, "crs", what, false);
        b.layer = str(t, "layer", what, false);
        b.name_field = str(t, "name_field", what, false, "name");
        std::filesystem::path p(b.path);
        b.resolved = p.is_absolute() ? p.string() : (dir / p).lexically_normal().string();
        return b;
    }

    PlanElement element(const toml::table& t, const std::string& district) const {
        static const std::set<std::string> keys = {
            "id", "kind", "name_zh", "name_en", "parent", "precision", "source_ref", "inferred", "helper", "within", "attributes",
            "point", "points", "line", "lines", "polygon", "select", "op", "members", "of", "by", "outer", "inner",
            "boundary", "seed", "distance_m", "side", "snap_m", "buffer_m", "clip", "smooth"};
        PlanElement e;
        e.line = line_of(t);
        e.id = str(t, "id", "element", true);
        std::string what = "element '" + e.id + "'";
        known_keys(t, keys, what);
        e.kind = str(t, "kind", what, true);
        if (std::find(plan_kinds().begin(), plan_kinds().end(), e.kind) == plan_kinds().end())
            fail(line_of(*t.get("kind")), what, "unknown kind '" + e.kind + "' (known: " + join(plan_kinds(), ", ") + ")");
        e.name_zh = str(t, "name_zh", what, true);
        e.name_en = str(t, "name_en", what, true);
        e.parent = str(t, "parent", what, false);
        e.precision = str(t, "precision", what, true);
        if (std::find(plan_precisions().begin(), plan_precisions().end(), e.precision) == plan_precisions().end())
            fail(line_of(*t.get("precision")), what,
                 "precision must be one of " + join(plan_precisions(), ", ") + ", not '" + e.precision + "'");
        e.source_ref = str(t, "source_ref", what, true);
        e.inferred = boolean(t, "inferred", what, false);
        e.helper = boolean(t, "helper", what, false);
        if (const auto* a = t.get("attributes")) {
            const auto* at = a->as_table();
            if (!at) fail(line_of(*a), what, "'attributes' must be a table");
            static const std::set<std::string> reserved = {"id", "kind", "name_zh", "name_en", "parent",
                                                           "precision", "source_ref", "inferred"};
            for (const auto& [k, v] : *at) {
                std::string key(k.str());
                if (reserved.count(key)) fail(line_of(v), what, "attribute '" + key + "' clashes with a standard field");
                e.attributes.emplace_back(key, value(v, what));
            }
        }
        auto& g = e.geometry;
        int sources = 0;
        if (const auto* n = t.get("point")) {
            g.source = PlanGeometry::Source::point;
            g.parts.push_back({lonlat(*n, what)});
            ++sources;
        }
        if (const auto* n = t.get("points")) {
            g.source = PlanGeometry::Source::points;
            for (const auto& p : lonlat_list(*n, what, 1)) g.parts.push_back({p});
            ++sources;
        }
        if (const auto* n = t.get("line")) {
            g.source = PlanGeometry::Source::line;
            g.parts.push_back(lonlat_list(*n, what, 2));
            ++sources;
        }
        if (const auto* n = t.get("lines")) {
            g.source = PlanGeometry::Source::lines;
            const auto* a = n->as_array();
            if (!a || a->empty()) fail(line_of(*n), what, "'lines' must be a list of lines");
            for (const auto& l : *a) g.parts.push_back(lonlat_list(l, what, 2));
            ++sources;
        }
        if (const auto* n = t.get("polygon")) {
            g.source = PlanGeometry::Source::polygon;
            g.parts.push_back(lonlat_list(*n, what, 3));
            ++sources;
        }
        if (const auto* n = t.get("select")) {
            g.source = PlanGeometry::Source::select;
            const auto* st = n->as_table();
            if (!st) fail(line_of(*n), what, "'select' must be a table {base = …, name = …}");
            known_keys(*st, {"base", "name", "names", "field", "value", "values", "all"}, what);
            g.base = str(*st, "base", what, true);
            g.field = str(*st, "field", what, false);
            for (const char* k : {"name", "names", "value", "values"}) {
                if (const auto* v = st->get(k)) {
                    if (const auto* a = v->as_array()) {
                        for (const auto& x : *a) g.values.push_back(layers::value_to_string(value(x, what)));
                    } else {
                        g.values.push_back(layers::value_to_string(value(*v, what)));
                    }
                }
            }
            g.select_all = boolean(*st, "all", what, false);
            if (g.values.empty() == !g.select_all)
                fail(line_of(*n), what, "'select' needs name(s) or value(s), or all = true");
            ++sources;
        }
        if (const auto* n = t.get("op")) {
            g.source = PlanGeometry::Source::op;
            g.op = str(t, "op", what, true);
            ++sources;
            parse_op(t, e, *n);
        }
        if (sources > 1) fail(e.line, what, "give only one of point, points, line, lines, polygon, select, op");
        if (g.source != PlanGeometry::Source::op)
            for (const char* k : {"members", "of", "by", "outer", "inner", "boundary", "seed", "distance_m", "side", "snap_m"})
                if (t.get(k)) fail(line_of(*t.get(k)), what, std::string("'") + k + "' needs an 'op'");
        g.buffer_m = num(t, "buffer_m", what, 0);
        if (g.buffer_m < 0) fail(line_of(*t.get("buffer_m")), what, "'buffer_m' must not be negative");
        g.clip = str(t, "clip", what, false);
        g.smooth = static_cast<int>(num(t, "smooth", what, 0));
        if (g.smooth < 0 || g.smooth > 8) fail(line_of(*t.get("smooth")), what, "'smooth' must be 0 to 8 iterations");
        bool authored = g.source == PlanGeometry::Source::point || g.source == PlanGeometry::Source::points ||
                        g.source == PlanGeometry::Source::line || g.source == PlanGeometry::Source::lines ||
                        g.source == PlanGeometry::Source::polygon;
        if (t.get("within")) {
            if (!authored) fail(line_of(*t.get("within")), what, "'within' applies to authored coordinates only");
            e.within = str(t, "within", what, false);
        } else if ((g.source == PlanGeometry::Source::point || g.source == PlanGeometry::Source::points) &&
                   e.id != district) {
            e.within = district;
        }
        return e;
    }

    void parse_op(const toml::table& t, PlanElement& e, const toml::node& opnode) const {
        auto& g = e.geometry;
        std::string what = "element '" + e.id + "'";
        g.members = str_list(t, "members", what);
        g.of = str(t, "of", what, false);
        g.by = str(t, "by", what, false);
        g.outer = str(t, "outer", what, false);
        g.inner = str(t, "inner", what, false);
        g.boundary = str(t, "boundary", what, false);
        g.distance_m = num(t, "distance_m", what, 0);
        g.snap_m = num(t, "snap_m", what, 0);
        if (const auto* s = t.get("seed")) {
            if (s->is_string()) g.seed_ref = *s->value<std::string>();
            else g.seed = lonlat(*s, what);
        }
        std::string side = str(t, "side", what, false, "both");
        if (side == "left") g.side = 1;
        else if (side == "right") g.side = -1;
        else if (side != "both") fail(line_of(*t.get("side")), what, "'side' must be left, right or both");
        auto need = [&](bool ok, const std::string& keys) {
            if (!ok) fail(line_of(opnode), what, "op '" + g.op + "' needs " + keys);
        };
        const std::string& op = g.op;
        if (op == "union" || op == "hull" || op == "chain" || op == "enclosed_ring") {
            need(!g.members.empty(), "'members'");
        } else if (op == "buffer" || op == "corridor") {
            need(!g.of.empty() && g.distance_m > 0, "'of' and a positive 'distance_m'");
        } else if (op == "polygon" || op == "boundary" || op == "largest_part") {
            need(!g.of.empty(), "'of'");
        } else if (op == "clip") {
            need(!g.of.empty() && !g.by.empty(), "'of' and 'by'");
        } else if (op == "difference") {
            need(!g.of.empty() && !g.members.empty(), "'of' and 'members' (the elements taken away)");
        } else if (op == "annulus") {
            need(!g.outer.empty() && !g.inner.empty(), "'outer' and 'inner'");
        } else if (op == "voronoi") {
            need(!g.boundary.empty() && (g.seed || !g.seed_ref.empty()), "'boundary' and 'seed'");
        } else {
            fail(line_of(opnode), what,
                 "unknown op '" + op +
                     "' (known: union, hull, buffer, corridor, polygon, boundary, largest_part, clip, difference, "
                     "annulus, chain, enclosed_ring, voronoi)");
        }
        if (op != "corridor" && t.get("side")) fail(line_of(*t.get("side")), what, "'side' applies to op 'corridor'");
    }

    PlanSelector selector(const toml::table& t, const std::string& what) const {
        PlanSelector s;
        s.ids = str_list(t, "elements", what);
        for (auto& id : str_list(t, "element", what)) s.ids.push_back(id);
        s.kind = str(t, "kind", what, false);
        s.parent = str(t, "parent", what, false);
        if (const auto* w = t.get("where")) {
            const auto* wt = w->as_table();
            if (!wt) fail(line_of(*w), what, "'where' must be a table of attribute values");
            for (const auto& [k, v] : *wt) s.where.emplace_back(std::string(k.str()), layers::value_to_string(value(v, what)));
        }
        return s;
    }

    PlanCheck check(const toml::table& t) const {
        PlanCheck c;
        c.line = line_of(t);
        c.type = str(t, "type", "check", true);
        c.name = str(t, "name", "check", false, c.type);
        std::string what = "check '" + c.name + "'";
        known_keys(t, {"type", "name", "severity", "message", "elements", "element", "kind", "parent", "where", "expect",
                       "names", "of", "within", "pairs", "other", "area_tolerance", "overlap_tolerance", "tolerance_m",
                       "tolerance_m2"},
                   what);
        c.severity = str(t, "severity", what, false, "error");
        if (c.severity != "error" && c.severity != "warning")
            fail(line_of(*t.get("severity")), what, "severity must be error or warning");
        c.message = str(t, "message", what, false);
        c.select = selector(t, what);
        if (const auto* n = t.get("expect")) {
            auto v = n->value_exact<int64_t>();
            if (!v || *v < 0) fail(line_of(*n), what, "'expect' must be a count");
            c.expect = *v;
        }
        c.names = str_list(t, "names", what);
        c.of = str(t, "of", what, false);
        c.within = str(t, "within", what, false);
        if (const auto* n = t.get("pairs")) {
            const auto* a = n->as_array();
            if (!a) fail(line_of(*n), what, "'pairs' must be a list of [element, container]");
            for (const auto& p : *a) {
                const auto* pa = p.as_array();
                if (!pa || pa->size() != 2 || !(*pa)[0].is_string() || !(*pa)[1].is_string())
                    fail(line_of(p), what, "each pair must be [element, container]");
                c.pairs.emplace_back(*(*pa)[0].value<std::string>(), *(*pa)[1].value<std::string>());
            }
        }
        c.other = str_list(t, "other", what);
        c.area_tolerance = num(t, "area_tolerance", what, c.area_tolerance);
        c.overlap_tolerance = num(t, "overlap_tolerance", what, c.overlap_tolerance);
        c.tolerance_m = num(t, "tolerance_m", what, c.tolerance_m);
        c.tolerance_m2 = num(t, "tolerance_m2", what, c.tolerance_m2);
        auto need = [&](bool ok, const std::string& keys) {
            if (!ok) fail(c.line, what, "a '" + c.type + "' check needs " + keys);
        };
        if (c.type == "count") {
            need(c.expect.has_value() || !c.names.empty(), "'expect' or 'names'");
            need(!c.select.empty(), "'elements', 'kind', 'parent' or 'where'");
        } else if (c.type == "partition") {
            need(!c.select.empty() && !c.of.empty(), "members ('elements' or 'kind') and 'of'");
        } else if (c.type == "inside") {
            need(!c.pairs.empty() || (!c.select.empty() && !c.within.empty()), "'pairs', or elements and 'within'");
        } else if (c.type == "disjoint") {
            need(!c.select.empty() && !c.other.empty(), "elements and 'other'");
        } else if (c.type == "closed_ring") {
            need(!c.select.empty(), "'elements' or 'kind'");
        } else {
            fail(line_of(*t.get("type")), what,
                 "unknown check type '" + c.type + "' (known: count, partition, inside, disjoint, closed_ring)");
        }
        return c;
    }

    const std::string& file() const { return file_; }

private:
    std::string file_;
};

void check_references(const Plan& plan, const Reader& r) {
    std::set<std::string> bases;
    for (const auto& b : plan.bases) {
        if (!bases.insert(b.id).second) r.fail(b.line, "base '" + b.id + "'", "duplicate base id");
    }
    std::map<std::string, const PlanElement*> ids;
    for (const auto& e : plan.elements)
        if (!ids.emplace(e.id, &e).second) r.fail(e.line, "element '" + e.id + "'", "duplicate element id");
    if (!plan.district.empty() && !ids.count(plan.district))
        r.fail(plan.district_line, "plan", "district '" + plan.district + "' is not an element");
    for (const auto& e : plan.elements) {
        std::string what = "element '" + e.id + "'";
        if (!e.parent.empty() && !ids.count(e.parent)) r.fail(e.line, what, "unknown parent '" + e.parent + "'");
        if (e.parent == e.id) r.fail(e.line, what, "an element cannot be its own parent");
        for (const auto& d : e.dependencies())
            if (!ids.count(d)) r.fail(e.line, what, "unknown element '" + d + "'");
        if (e.geometry.source == PlanGeometry::Source::select && !bases.count(e.geometry.base))
            r.fail(e.line, what, "unknown base '" + e.geometry.base + "'");
    }
    for (const auto& c : plan.checks) {
        std::string what = "check '" + c.name + "'";
        auto known = [&](const std::string& id) {
            if (!id.empty() && !ids.count(id)) r.fail(c.line, what, "unknown element '" + id + "'");
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
            r.fail(c.line, what, "unknown kind '" + c.select.kind + "'");
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
            if (it == ids.end()) throw file_error(plan.file, e.line, "element '" + e.id + "': unknown element '" + d + "'");
            if (state[d] == 1) {
                auto from = std::find(stack.begin(), stack.end(), d);
                std::vector<std::string> cycle(from, stack.end());
                cycle.push_back(d);
                throw file_error(plan.file, ids[d]->line, "element '" + d + "': dependency cycle " + join(cycle, " -> "));
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
    Reader r(path);
    toml::table doc = core::parse_toml_text(text, path);
    r.known_keys(doc, {"plan", "base", "element", "check"}, "");
    Plan plan;
    plan.file = path;
    const auto* pt = doc.get("plan") ? doc.get("plan")->as_table() : nullptr;
    if (!pt) r.fail(1, "", "a plan file needs a [plan] table");
    r.known_keys(*pt, {"id", "name_zh", "name_en", "period", "source", "district", "coordinates_crs"}, "plan");
    plan.id = r.str(*pt, "id", "plan", true);
    plan.name_zh = r.str(*pt, "name_zh", "plan", true);
    plan.name_en = r.str(*pt, "name_en", "plan", true);
    plan.period = r.str(*pt, "period", "plan", false);
    plan.source = r.str(*pt, "source", "plan", true);
    plan.district = r.str(*pt, "district", "plan", false);
    plan.district_line = pt->get("district") ? line_of(*pt->get("district")) : line_of(*pt);
    plan.coordinates_crs = r.str(*pt, "coordinates_crs", "plan", false, plan.coordinates_crs);
    try {
        (void)geo::Crs::parse(plan.coordinates_crs);
    } catch (const crs_error& e) {
        r.fail(line_of(*pt->get("coordinates_crs")), "plan", e.what());
    }
    auto dir = std::filesystem::path(path).parent_path();
    auto tables = [&](const char* key, auto&& fn) {
        const auto* n = doc.get(key);
        if (!n) return;
        const auto* a = n->as_array();
        if (!a) r.fail(line_of(*n), "", std::string("'") + key + "' must be an array of tables ([[" + key + "]])");
        for (const auto& x : *a) {
            const auto* t = x.as_table();
            if (!t) r.fail(line_of(x), "", std::string("each '") + key + "' must be a table");
            fn(*t);
        }
    };
    tables("base", [&](const toml::table& t) { plan.bases.push_back(r.base(t, dir)); });
    tables("element", [&](const toml::table& t) { plan.elements.push_back(r.element(t, plan.district)); });
    tables("check", [&](const toml::table& t) { plan.checks.push_back(r.check(t)); });
    if (plan.elements.empty()) r.fail(line_of(*pt), "plan", "no [[element]] in the file");
    check_references(plan, r);
    (void)dependency_order(plan);
    return plan;
}

Plan parse_plan(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw io_error("cannot open plan file '" + path + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_plan_text(ss.str(), path);
}

}  // namespace planmap::plan
