#include "analysis/run_map.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "analysis/report_text.hpp"
#include "core/text.hpp"
#include "geo/geos.hpp"

namespace planmap::analysis {

using nlohmann::json;

namespace {

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// "12.35 ha": the sheet's bilingual box keeps the unit planners read on both sides.
std::string ha_text(double m2) { return core::fixed(m2 / 10000, 2) + " ha"; }

// TOML text as people write it: short floats, no indentation.
std::string toml_text(const toml::table& doc) {
    constexpr auto flags = (toml::toml_formatter::default_flags | toml::format_flags::relaxed_float_precision) &
                           ~(toml::format_flags::indent_sub_tables | toml::format_flags::indent_array_elements);
    std::ostringstream o;
    o << toml::toml_formatter{doc, flags};
    return o.str();
}

toml::table inline_table(toml::table t) {
    t.is_inline(true);
    return t;
}

toml::table rule(const std::string& title, const std::string& map_class) {
    toml::table r;
    r.insert("title", title);
    r.insert("filter", inline_table(toml::table{{"$layer", "facilities"}, {"map_class", map_class}}));
    return r;
}

toml::table fill(const std::string& color, double opacity) { return inline_table(toml::table{{"color", color}, {"opacity", opacity}}); }

toml::table line(const std::string& color, double width_mm, bool dashed = false) {
    toml::table t{{"color", color}, {"width_mm", width_mm}};
    if (dashed) t.insert("dash_mm", toml::array{1.2, 0.8});
    return inline_table(std::move(t));
}

toml::table marker(const std::string& shape, const std::string& fill_color, const std::string& stroke, double size_mm,
                   double stroke_width_mm = 0.25) {
    return inline_table(toml::table{{"shape", shape}, {"fill", fill_color}, {"stroke", stroke}, {"stroke_width_mm", stroke_width_mm},
                                    {"size_mm", size_mm}});
}

std::string style_text(const std::string& comment, const std::string& name, toml::array rules) {
    toml::table doc;
    doc.insert("name", name);
    doc.insert("rule", std::move(rules));
    return comment + toml_text(doc) + "\n";
}

// The area range of a size rule in words: "≥ 5000 m²", "2000–5000 m²".
std::string area_range(const RadiusRule& r) {
    bool lo = r.min_area_m2 > 0, hi = std::isfinite(r.max_area_m2);
    if (lo && hi) return number(r.min_area_m2) + "–" + number(r.max_area_m2) + " m²";
    if (lo) return "≥ " + number(r.min_area_m2) + " m²";
    if (hi) return "< " + number(r.max_area_m2) + " m²";
    return "";
}

std::string unattached_title(std::optional<double> max_snap_m) {
    return "未接入路网 unattached" + (max_snap_m ? " (no street within " + number(*max_snap_m) + " m)" : std::string());
}

std::string pct(double v) { return core::fixed(100 * v, 2) + " %"; }

bool is_share(const std::string& metric) {
    return metric.find("ratio") != std::string::npos || metric.find("share") != std::string::npos;
}

}  // namespace

std::string facility_status(IgnoredKind kind) {
    switch (kind) {
        case IgnoredKind::too_small: return "too_small";
        case IgnoredKind::no_rule: return "not_counted";
        case IgnoredKind::unattached: return "unattached";
        case IgnoredKind::invalid: break;
    }
    return "invalid";
}

layers::Layer coverage_facilities_layer(const layers::Layer& facilities, const std::string& type_field, const ServiceAreas& service) {
    using layers::FieldType;
    std::vector<layers::Field> fields{{"facility_fid", FieldType::integer, "设施编号"}};
    const bool typed = !type_field.empty() && facilities.field_index(type_field) >= 0;
    if (typed) fields.push_back({"type", FieldType::string, "设施类型"});
    for (layers::Field f : std::initializer_list<layers::Field>{{"unit", FieldType::integer, "服务单元"},
                                                                {"area_m2", FieldType::real, "面积"},
                                                                {"size_class", FieldType::string, "规模等级"},
                                                                {"radius_m", FieldType::real, "服务半径"},
                                                                {"status", FieldType::string, "计入情况"},
                                                                {"map_class", FieldType::string, "图例类别"}})
        fields.push_back(std::move(f));
    layers::Layer out("facilities", fields, facilities.crs(), facilities.geometry_type());
    // What became of each facility, by feature id; a list per id, taken in turn, so that a layer
    // whose ids repeat (a GeoJSON mixing features with and without ids) still counts each outcome once.
    struct Outcome {
        const ServiceUnit* unit = nullptr;
        std::size_t number = 0;  // 1-based unit number; 0 for an unattached unit
        const IgnoredFacility* ignored = nullptr;
    };
    std::unordered_map<std::int64_t, std::deque<Outcome>> outcomes;
    for (std::size_t u = 0; u < service.units.size(); ++u)
        for (auto id : service.units[u].facility_ids) outcomes[id].push_back({&service.units[u], u + 1, nullptr});
    std::unordered_map<std::int64_t, std::deque<const ServiceUnit*>> unattached_unit;
    for (const auto& u : service.unattached_units)
        for (auto id : u.facility_ids) unattached_unit[id].push_back(&u);
    for (const auto& ig : service.ignored) {
        const ServiceUnit* u = nullptr;
        if (auto it = unattached_unit.find(ig.id); ig.kind == IgnoredKind::unattached && it != unattached_unit.end() && !it->second.empty()) {
            u = it->second.front();
            it->second.pop_front();
        }
        outcomes[ig.id].push_back({u, 0, &ig});
    }
    const std::size_t base = typed ? 2 : 1;
    for (std::size_t i = 0; i < facilities.size(); ++i) {
        const auto& f = facilities.features()[i];
        std::vector<layers::Value> v(out.fields().size());
        v[0] = f.fid;
        if (typed) v[1] = layers::value_to_string(facilities.value(i, type_field));
        std::string status = "not_counted";  // every facility is in a unit or ignored; kept safe
        auto& queue = outcomes[f.fid];
        if (!queue.empty()) {
            const Outcome oc = queue.front();
            queue.pop_front();
            status = oc.ignored ? facility_status(oc.ignored->kind) : "counted";
            if (oc.unit) {
                if (oc.number) v[base] = static_cast<std::int64_t>(oc.number);
                v[base + 1] = oc.unit->area_m2;
                v[base + 2] = oc.unit->rule;
                v[base + 3] = oc.unit->radius_m;
            } else if (oc.ignored) {
                if (oc.ignored->area_m2 > 0) v[base + 1] = oc.ignored->area_m2;
                if (oc.ignored->kind == IgnoredKind::too_small) v[base + 2] = std::string("too small");
            }
        }
        v[base + 4] = status;
        v[base + 5] = status == "counted" ? std::get<std::string>(v[base + 2]) : status;
        out.add({f.fid, f.geometry ? geo::clone(f.geometry.get()) : nullptr, std::move(v)});
    }
    return out;
}

layers::Layer lifecircle_facilities_layer(const layers::Layer& facilities, const std::string& type_field, const Profile& profile,
                                          const LifeCircleAudit& audit) {
    using layers::FieldType;
    layers::Layer out("facilities",
                      {{"facility_fid", FieldType::integer, "设施编号"},
                       {"type", FieldType::string, "设施类型"},
                       {"name_zh", FieldType::string, "中文名称"},
                       {"level", FieldType::string, "生活圈"},
                       {"radius_m", FieldType::real, "服务半径"},
                       {"status", FieldType::string, "计入情况"},
                       {"map_class", FieldType::string, "图例类别"}},
                      facilities.crs(), facilities.geometry_type());
    std::map<std::string, const LifeCircleFacility*> row_of;
    for (const auto& f : profile.facilities) row_of.emplace(f.type, &f);
    // Outcomes other than counted, by feature id, taken in turn (ids may repeat).
    std::unordered_map<std::int64_t, std::deque<std::string>> outcomes;
    for (const auto& ig : audit.ignored) outcomes[ig.id].push_back(facility_status(ig.kind));
    for (auto id : audit.unattached_facilities) outcomes[id].push_back("unattached");
    const bool typed = !type_field.empty() && facilities.field_index(type_field) >= 0;
    for (std::size_t i = 0; i < facilities.size(); ++i) {
        const auto& f = facilities.features()[i];
        std::string type = typed ? layers::value_to_string(facilities.value(i, type_field)) : std::string();
        std::vector<layers::Value> v(out.fields().size());
        v[0] = f.fid;
        v[1] = type;
        auto row = row_of.find(type);
        if (row != row_of.end()) {
            v[2] = row->second->name_zh;
            v[3] = row->second->level;
            v[4] = row->second->radius_m;
        }
        std::string status = "counted";
        if (auto it = outcomes.find(f.fid); it != outcomes.end() && !it->second.empty()) {
            status = it->second.front();
            it->second.pop_front();
        }
        v[5] = status;
        v[6] = status == "counted" ? type : status;
        out.add({f.fid, f.geometry ? geo::clone(f.geometry.get()) : nullptr, std::move(v)});
    }
    return out;
}

json facilities_by_status(const layers::Layer& l) {
    json j = {{"counted", 0}, {"too_small", 0}, {"not_counted", 0}, {"unattached", 0}, {"invalid", 0}};
    int f = l.field_index("status");
    for (std::size_t i = 0; i < l.size(); ++i) {
        std::string s = layers::value_to_string(l.features()[i].values[f]);
        j[s] = j.value(s, 0) + 1;
    }
    return j;
}

std::string coverage_facility_style(const Profile* profile, std::optional<double> radius_m, bool points,
                                    std::optional<double> max_snap_m) {
    // Yellow-greens (ColorBrewer YlGn) from dark (the largest radius) to pale: parks stay green but
    // apart from the mid green of covered land.
    static const char* greens[] = {"#004529", "#006837", "#238443", "#78C679", "#ADDD8E", "#D9F0A3", "#F7FCB9"};
    static const char* shapes[] = {"star", "triangle", "square", "diamond", "circle"};
    struct Class {
        std::string key, title;
        double radius_m;
    };
    std::vector<Class> classes;
    std::optional<double> smallest;  // the smallest size-class minimum (too small below it)
    std::set<std::string> seen;
    if (!profile) {
        classes.push_back({"fixed radius", "设施 facilities · 服务半径 radius " + number(radius_m.value_or(0)) + " m", radius_m.value_or(0)});
    } else if (!profile->radius_rules.empty()) {
        for (const auto& r : profile->radius_rules) {
            std::string key = rule_name(r);
            if (!seen.insert(key).second) continue;
            std::string what = r.label.empty() ? "面积 area " + area_range(r) : r.label;
            if (r.type && r.label.empty()) what = *r.type + " " + what;
            classes.push_back({key, what + " · 服务半径 radius " + number(r.radius_m) + " m", r.radius_m});
            if (r.min_area_m2 > 0) smallest = std::min(smallest.value_or(std::numeric_limits<double>::infinity()), r.min_area_m2);
        }
    } else {
        for (const auto& f : profile->facilities) {
            std::string key = "type " + f.type;
            if (!seen.insert(key).second) continue;
            classes.push_back({key, f.name_zh + " " + f.type + " · 服务半径 radius " + number(f.radius_m) + " m", f.radius_m});
        }
    }
    // Darker and larger symbols for larger radii.
    std::vector<std::size_t> order(classes.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return classes[a].radius_m > classes[b].radius_m; });
    std::vector<std::size_t> rank(classes.size());
    for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = k;
    const std::size_t ng = std::size(greens);
    toml::array rules;
    for (std::size_t k = 0; k < classes.size(); ++k) {
        std::size_t shade = classes.size() == 1 ? 1 : std::min(ng - 2, rank[k] * (ng - 2) / (classes.size() - 1));
        std::string c = greens[shade];
        auto r = rule(classes[k].title, classes[k].key);
        r.insert("fill", fill(c, 0.85));
        r.insert("line", line("#00331E", 0.3));
        if (points) r.insert("marker", marker(shapes[std::min(rank[k], std::size(shapes) - 1)], c, "#FFFFFF", 3.2 - 0.3 * static_cast<double>(std::min<std::size_t>(rank[k], 3))));
        rules.push_back(std::move(r));
    }
    {
        auto r = rule("面积不足不计 too small, not counted" + (smallest ? " (< " + number(*smallest) + " m²)" : std::string()), "too_small");
        // Grey with a dense hatch: small parks are a millimetre or two across on the sheet.
        r.insert("fill", inline_table(toml::table{{"color", "#9E9E9E"}, {"opacity", 1.0}, {"hatch", "diagonal"}, {"hatch_color", "#FFFFFF"},
                                                  {"hatch_spacing_mm", 0.6}, {"hatch_width_mm", 0.15}}));
        r.insert("line", line("#303030", 0.25));
        if (points) r.insert("marker", marker("circle", "#BDBDBD", "#525252", 2.0, 0.2));
        rules.push_back(std::move(r));
    }
    {
        auto r = rule("不计入 not counted (no rule of the profile)", "not_counted");
        r.insert("fill", fill("#F0F0F0", 0.9));
        r.insert("line", line("#737373", 0.2, true));
        if (points) r.insert("marker", marker("circle", "#FFFFFF", "#737373", 2.0, 0.3));
        rules.push_back(std::move(r));
    }
    {
        auto r = rule(unattached_title(max_snap_m), "unattached");
        r.insert("fill", fill("#FCBBA1", 0.9));
        r.insert("line", line("#CB181D", 0.45, true));
        r.insert("marker", marker("diamond", "#FFFFFF", "#CB181D", 3.4, 0.6));
        rules.push_back(std::move(r));
    }
    {
        auto r = rule("几何无效 invalid geometry, not counted", "invalid");
        r.insert("line", line("#7A0177", 0.3, true));
        rules.push_back(std::move(r));
    }
    return style_text("# The facilities of a coverage run (layer facilities, field map_class), written by planmap from the rule\n"
                      "# profile: one class per size rule with its radius, then the facilities that do not count.\n",
                      "服务设施 facilities" + (profile ? " (" + profile->name + ")" : std::string()), std::move(rules));
}

std::string lifecircle_facility_style(const Profile& profile, std::optional<double> max_snap_m) {
    // Colours apart from the parcels' greens and orange; shapes tell the levels apart.
    static const char* colours[] = {"#08519C", "#6A3D9A", "#00A6D6", "#FFD700", "#8C510A", "#E7298A", "#252525", "#4D004B", "#B15928", "#737373"};
    static const char* shapes[] = {"circle", "square", "triangle", "star", "diamond"};
    std::map<std::string, std::size_t> level_index;
    for (std::size_t l = 0; l < profile.levels.size(); ++l) level_index.emplace(profile.levels[l].name, l);
    toml::array rules;
    std::set<std::string> seen;
    for (std::size_t t = 0; t < profile.facilities.size(); ++t) {
        const auto& f = profile.facilities[t];
        if (!seen.insert(f.type).second) continue;
        std::size_t l = level_index.count(f.level) ? level_index[f.level] : 0;
        std::string title = f.name_zh.empty() ? f.type : f.name_zh + " " + f.type;
        title += " · " + f.level + " ≤ " + number(f.radius_m) + " m";
        auto r = rule(title, f.type);
        const char* shape = shapes[l % std::size(shapes)];
        // Triangles and stars look smaller than circles and squares of the same size.
        const double size = std::string(shape) == "triangle" || std::string(shape) == "star" ? 3.8 : 3.0;
        r.insert("marker", marker(shape, colours[t % std::size(colours)], "#FFFFFF", size));
        rules.push_back(std::move(r));
    }
    {
        auto r = rule(unattached_title(max_snap_m), "unattached");
        r.insert("marker", marker("diamond", "#FFFFFF", "#CB181D", 3.4, 0.6));
        r.insert("label", inline_table(toml::table{{"field", "name_zh"}, {"size_pt", 6}, {"color", "#A50F15"}, {"placement", "point"},
                                                    {"offset_mm", 1.0}, {"priority", 3}, {"halo_mm", 0.4}}));
        rules.push_back(std::move(r));
    }
    {
        auto r = rule("非规定类型 other type, not counted", "not_counted");
        r.insert("marker", marker("circle", "#D9D9D9", "#737373", 1.8, 0.2));
        rules.push_back(std::move(r));
    }
    {
        auto r = rule("几何无效 invalid geometry, not counted", "invalid");
        r.insert("marker", marker("circle", "#FFFFFF", "#7A0177", 1.8, 0.3));
        rules.push_back(std::move(r));
    }
    return style_text("# The facilities of a life-circle run (layer facilities, field map_class), written by planmap from the\n"
                      "# rule profile: one symbol per facility type (shape by level), then those that do not count.\n",
                      "生活圈设施 life-circle facilities (" + profile.name + ")", std::move(rules));
}

std::string format_figure(const std::string& metric, double value) {
    return is_share(metric) ? pct(value) : core::fixed(value, 2);
}

std::vector<render::StatsRow> threshold_rows(const json& checks) {
    std::vector<render::StatsRow> rows;
    for (const auto& c : checks) {
        render::StatsRow r;
        const std::string metric = c.value("metric", "");
        r.label = c.value("label", metric);
        r.value = c["actual"].is_number() ? format_figure(metric, c["actual"].get<double>()) : "—";
        r.requirement = c.value("op", "") + " " + format_figure(metric, c["value"].get<double>());
        r.status = c["pass"].is_null() ? "n/a" : c["pass"].get<bool>() ? "pass" : "fail";
        r.clause = c.value("citation", "");
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<render::StatsRow> coverage_stats(const json& s) {
    std::vector<render::StatsRow> rows;
    auto add = [&](std::string label, std::string value) { rows.push_back({std::move(label), std::move(value), "", "", ""}); };
    if (s["coverage_ratio"].is_number()) add("服务半径覆盖率(用地) coverage ratio (land)", pct(s["coverage_ratio"].get<double>()));
    if (s["population_coverage_ratio"].is_number())
        add("服务半径覆盖率(人口) coverage ratio (population)", pct(s["population_coverage_ratio"].get<double>()));
    if (s.contains("straight_line") && s["straight_line"]["coverage_ratio"].is_number())
        add("直线距离覆盖率 straight-line coverage (land)", pct(s["straight_line"]["coverage_ratio"].get<double>()));
    add("覆盖居住用地 covered residential land",
        ha_text(s["covered_area_m2"].get<double>()) + " / " + ha_text(s["residential_area_m2"].get<double>()));
    if (s["population"].is_number() && s["covered_population"].is_number())
        add("覆盖人口 covered population", thousands(s["covered_population"].get<double>()) + " / " + thousands(s["population"].get<double>()));
    if (s.contains("facilities_by_status")) {
        const auto& b = s["facilities_by_status"];
        add("计入设施 facilities counted", std::to_string(b.value("counted", 0)));
        if (b.value("too_small", 0)) add("面积不足不计 too small, not counted", std::to_string(b.value("too_small", 0)));
        if (b.value("unattached", 0)) add("未接入路网 unattached", std::to_string(b.value("unattached", 0)));
        if (b.value("not_counted", 0) + b.value("invalid", 0))
            add("其他不计 other not counted", std::to_string(b.value("not_counted", 0) + b.value("invalid", 0)));
    }
    for (auto& r : threshold_rows(s["thresholds"])) rows.push_back(std::move(r));
    return rows;
}

std::vector<render::StatsRow> lifecircle_stats(const json& s) {
    std::vector<render::StatsRow> rows;
    auto add = [&](std::string label, std::string value) { rows.push_back({std::move(label), std::move(value), "", "", ""}); };
    const bool with_population = s["population"].is_number();
    for (const auto& l : s["levels"]) {
        std::string name = l.value("title", "") + " " + l.value("level", "") + " (≤ " + number(l["radius_m"].get<double>()) + " m)";
        add(name + " 达标用地 land", pct(l["area_share"].get<double>()));
        if (with_population && l["population_share"].is_number()) add(name + " 达标人口 population", pct(l["population_share"].get<double>()));
    }
    add("居住用地 residential land", ha_text(s["residential_area_m2"].get<double>()) + " · " + std::to_string(s["parcels"].get<std::size_t>()) + " 地块 parcels");
    if (s.contains("facilities_by_status")) {
        const auto& b = s["facilities_by_status"];
        add("计入设施 facilities counted", std::to_string(b.value("counted", 0)));
        if (b.value("unattached", 0)) add("未接入路网 unattached", std::to_string(b.value("unattached", 0)));
        if (b.value("not_counted", 0) + b.value("invalid", 0))
            add("其他不计 other not counted", std::to_string(b.value("not_counted", 0) + b.value("invalid", 0)));
    }
    for (auto& r : threshold_rows(s["thresholds"])) rows.push_back(std::move(r));
    return rows;
}

std::string run_map_toml(const std::string& comment, const std::string& title, const std::string& subtitle, const std::string& gpkg,
                         const std::vector<RunMapLayer>& layers, const std::vector<render::StatsRow>& stats) {
    toml::table doc;
    doc.insert("title", title);
    if (!subtitle.empty()) doc.insert("subtitle", subtitle);
    toml::table paper{{"size", "A3"}, {"orientation", "landscape"}};
    doc.insert("paper", std::move(paper));
    toml::array ls;
    for (const auto& l : layers) ls.push_back(toml::table{{"name", l.name}, {"source", gpkg}, {"layer", l.layer}, {"style", l.style}});
    doc.insert("layer", std::move(ls));
    if (!stats.empty()) {
        toml::array rows;
        for (const auto& r : stats) {
            toml::table t{{"label", r.label}, {"value", r.value}};
            if (!r.requirement.empty()) t.insert("requirement", r.requirement);
            if (!r.status.empty()) t.insert("status", r.status);
            if (!r.clause.empty()) t.insert("clause", r.clause);
            rows.push_back(std::move(t));
        }
        doc.insert("stats", toml::table{{"title", "统计指标 Statistics"}, {"row", std::move(rows)}});
    }
    return comment + toml_text(doc) + "\n";
}

}  // namespace planmap::analysis
