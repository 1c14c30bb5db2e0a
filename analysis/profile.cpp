#include "analysis/profile.hpp"

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/toml_read.hpp"

namespace planmap::analysis {

namespace fs = std::filesystem;

std::string Citation::text() const {
    std::string s = standard;
    if (!clause.empty()) s += " §" + clause;
    if (!confidence.empty()) s += " [" + confidence + "]";
    return s;
}

bool Threshold::passes(double v) const {
    if (op == ">") return v > value;
    if (op == ">=") return v >= value;
    if (op == "<") return v < value;
    return v <= value;
}

std::optional<double> Profile::radius_for(double area_m2, const std::string& type, const RadiusRule** rule) const {
    if (radius_rules.empty()) {
        for (const auto& f : facilities)
            if (f.type == type) return f.radius_m;
        return std::nullopt;
    }
    for (const auto& r : radius_rules) {
        if (r.type && *r.type != type) continue;
        if (area_m2 >= r.min_area_m2 && area_m2 < r.max_area_m2) {
            if (rule) *rule = &r;
            return r.radius_m;
        }
    }
    return std::nullopt;
}

bool Profile::uses_types() const {
    if (radius_rules.empty()) return !facilities.empty();
    return std::any_of(radius_rules.begin(), radius_rules.end(), [](const RadiusRule& r) { return r.type.has_value(); });
}

const LifeCircleLevel* Profile::level(const std::string& n) const {
    for (const auto& l : levels)
        if (l.name == n) return &l;
    return nullptr;
}

namespace {

Citation cite(core::TomlTable& t) {
    Citation c;
    c.standard = t.required_str("standard");
    c.clause = t.required_str("clause");
    c.confidence = t.required_str("confidence");
    if (c.confidence != "V" && c.confidence != "M")
        t.fail_at("confidence", tr("confidence must be \"V\" (verified) or \"M\" (widely used, unverified)"));
    c.file = t.file();
    c.line = t.line();
    return c;
}

Profile load(const std::string& path, int depth) {
    if (depth > 4) throw file_error(path, 0, tr("profiles extend each other too deeply"));
    toml::table doc = core::parse_toml_text(core::read_text_file(path, "profile"), path);
    core::TomlTable root(doc, path, "");
    root.known_keys({"name", "title", "extends", "dissolve", "type_field", "radius", "threshold", "level", "facility"});
    Profile p;
    if (auto base = root.str("extends")) {
        auto base_path = fs::path(path).parent_path() / (*base + ".toml");
        if (!fs::exists(base_path)) root.fail_at("extends", trf("extended profile '{}' not found beside this file", *base));
        p = load(base_path.string(), depth + 1);
    }
    p.file = path;
    p.name = root.required_str("name");
    p.title = root.str("title").value_or(p.title);
    p.dissolve = root.boolean("dissolve").value_or(p.dissolve);
    p.type_field = root.str("type_field").value_or(p.type_field);

    if (root.has("radius")) {
        p.radius_rules.clear();  // a profile's own size classes replace its base's
        for (auto& t : root.table_array("radius")) {
            t.known_keys({"label", "type", "min_area_m2", "max_area_m2", "radius_m", "standard", "clause", "confidence"});
            RadiusRule r;
            r.label = t.str("label").value_or("");
            r.type = t.str("type");
            r.min_area_m2 = t.num("min_area_m2").value_or(0.0);
            r.max_area_m2 = t.num("max_area_m2").value_or(r.max_area_m2);
            r.radius_m = t.required_num("radius_m");
            if (!(r.radius_m > 0)) t.fail_at("radius_m", tr("radius_m must be positive"));
            if (r.min_area_m2 < 0 || !(r.max_area_m2 > r.min_area_m2)) t.fail_at("", tr("the area range is empty"));
            r.cite = cite(t);
            p.radius_rules.push_back(std::move(r));
        }
    }
    for (auto& t : root.table_array("threshold")) {
        t.known_keys({"label", "metric", "op", "value", "standard", "clause", "confidence"});
        Threshold th;
        th.label = t.str("label").value_or("");
        th.metric = t.required_str("metric");
        th.op = t.required_str("op");
        if (th.op != ">" && th.op != ">=" && th.op != "<" && th.op != "<=") t.fail_at("op", tr("op must be one of > >= < <="));
        th.value = t.required_num("value");
        th.cite = cite(t);
        p.thresholds.push_back(std::move(th));
    }
    if (root.has("level")) {
        p.levels.clear();
        for (auto& t : root.table_array("level")) {
            t.known_keys({"name", "title", "minutes", "radius_m", "standard", "clause", "confidence"});
            LifeCircleLevel l;
            l.name = t.required_str("name");
            l.title = t.str("title").value_or("");
            l.minutes = t.num("minutes").value_or(0.0);
            l.radius_m = t.required_num("radius_m");
            if (!(l.radius_m > 0)) t.fail_at("radius_m", tr("radius_m must be positive"));
            if (!p.levels.empty() && l.radius_m <= p.levels.back().radius_m)
                t.fail_at("", tr("levels must be listed from the smallest radius up"));
            l.cite = cite(t);
            p.levels.push_back(std::move(l));
        }
    }
    if (root.has("facility")) {
        p.facilities.clear();
        for (auto& t : root.table_array("facility")) {
            t.known_keys({"type", "name_zh", "level", "radius_m", "standard", "clause", "confidence"});
            LifeCircleFacility f;
            f.type = t.required_str("type");
            f.name_zh = t.str("name_zh").value_or("");
            f.level = t.required_str("level");
            const LifeCircleLevel* lvl = p.level(f.level);
            if (!lvl) t.fail_at("level", trf("unknown level '{}' (declare it in a [[level]] first)", f.level));
            f.radius_m = t.num("radius_m").value_or(lvl->radius_m);
            if (!(f.radius_m > 0)) t.fail_at("radius_m", tr("radius_m must be positive"));
            f.cite = cite(t);
            p.facilities.push_back(std::move(f));
        }
    }
    if (p.radius_rules.empty() && p.facilities.empty() && p.thresholds.empty())
        throw file_error(path, 1, tr("the profile has no [[radius]], [[facility]] or [[threshold]] rows"));
    if (p.uses_types() && p.type_field.empty())
        throw file_error(path, 1, tr("typed rules need 'type_field' (the facility attribute holding the type)"));
    return p;
}

}  // namespace

Profile load_profile(const std::string& path) {
    if (!fs::is_regular_file(path)) throw file_error(path, 0, tr("profile file not found"));
    return load(path, 0);
}

Profile find_profile(const std::string& name_or_file, const std::string& profiles_dir) {
    fs::path direct(name_or_file);
    if (fs::is_regular_file(direct)) return load_profile(direct.string());
    if (direct.extension() == ".toml" || name_or_file.find('/') != std::string::npos)
        throw file_error(name_or_file, 0, tr("profile file not found"));
    auto shipped = fs::path(profiles_dir) / (name_or_file + ".toml");
    if (fs::is_regular_file(shipped)) return load_profile(shipped.string());
    std::string names;
    for (const auto& n : list_profiles(profiles_dir)) names += (names.empty() ? "" : ", ") + n;
    throw usage_error(names.empty() ? trf("unknown profile '{}' (no shipped profiles found in {})", name_or_file, profiles_dir)
                                    : trf("unknown profile '{}'; shipped: {}", name_or_file, names));
}

std::vector<std::string> list_profiles(const std::string& profiles_dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(profiles_dir, ec))
        if (e.path().extension() == ".toml") out.push_back(e.path().stem().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace planmap::analysis
