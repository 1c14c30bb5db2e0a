#include "analysis/profile.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/error.hpp"
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

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const toml::node& n, const std::string& msg) const {
        throw file_error(file_, static_cast<int>(n.source().begin.line), msg);
    }

    void check_keys(const toml::table& t, std::initializer_list<const char*> allowed, const std::string& where) const {
        std::set<std::string> ok(allowed.begin(), allowed.end());
        for (const auto& [k, v] : t)
            if (!ok.count(std::string(k.str()))) fail(v, "unknown key '" + std::string(k.str()) + "' in " + where);
    }

    std::string str(const toml::table& t, const char* key, bool required, const std::string& where) const {
        const toml::node* n = t.get(key);
        if (!n) {
            if (required) fail(t, where + " lacks '" + key + "'");
            return {};
        }
        auto v = n->value<std::string>();
        if (!v) fail(*n, std::string("'") + key + "' must be a string");
        return *v;
    }

    std::optional<double> num(const toml::table& t, const char* key, bool required, const std::string& where) const {
        const toml::node* n = t.get(key);
        if (!n) {
            if (required) fail(t, where + " lacks '" + key + "'");
            return std::nullopt;
        }
        auto v = n->value<double>();
        if (!v) fail(*n, std::string("'") + key + "' must be a number");
        return *v;
    }

    Citation cite(const toml::table& t, const std::string& where) const {
        Citation c;
        c.standard = str(t, "standard", true, where);
        c.clause = str(t, "clause", true, where);
        c.confidence = str(t, "confidence", true, where);
        if (c.confidence != "V" && c.confidence != "M")
            fail(*t.get("confidence"), "confidence must be \"V\" (verified) or \"M\" (widely used, unverified)");
        c.file = file_;
        c.line = static_cast<int>(t.source().begin.line);
        return c;
    }

    const toml::array* rows(const toml::table& root, const char* key) const {
        const toml::node* n = root.get(key);
        if (!n) return nullptr;
        if (!n->is_array_of_tables()) fail(*n, std::string("'") + key + "' must be written as [[" + key + "]] tables");
        return n->as_array();
    }

private:
    std::string file_;
};

Profile load(const std::string& path, int depth) {
    if (depth > 4) throw file_error(path, 0, "profiles extend each other too deeply");
    toml::table root = core::parse_toml_text(core::read_text_file(path, "profile"), path);
    Reader rd(path);
    rd.check_keys(root, {"name", "title", "extends", "dissolve", "type_field", "radius", "threshold", "level", "facility"},
                  "the profile");
    Profile p;
    if (auto base = rd.str(root, "extends", false, "the profile"); !base.empty()) {
        auto dir = fs::path(path).parent_path();
        auto base_path = dir / (base + ".toml");
        if (!fs::exists(base_path)) rd.fail(*root.get("extends"), "extended profile '" + base + "' not found beside this file");
        p = load(base_path.string(), depth + 1);
    }
    p.file = path;
    p.name = rd.str(root, "name", true, "the profile");
    if (root.get("title")) p.title = rd.str(root, "title", true, "the profile");
    if (const auto* d = root.get("dissolve")) {
        auto v = d->value<bool>();
        if (!v) rd.fail(*d, "'dissolve' must be true or false");
        p.dissolve = *v;
    }
    if (root.get("type_field")) p.type_field = rd.str(root, "type_field", true, "the profile");

    if (const auto* arr = rd.rows(root, "radius")) {
        p.radius_rules.clear();  // a profile's own size classes replace its base's
        for (const auto& node : *arr) {
            const auto& t = *node.as_table();
            rd.check_keys(t, {"label", "type", "min_area_m2", "max_area_m2", "radius_m", "standard", "clause", "confidence"},
                          "a [[radius]] rule");
            RadiusRule r;
            r.label = rd.str(t, "label", false, "a [[radius]] rule");
            if (t.get("type")) r.type = rd.str(t, "type", true, "a [[radius]] rule");
            r.min_area_m2 = rd.num(t, "min_area_m2", false, "a [[radius]] rule").value_or(0.0);
            r.max_area_m2 = rd.num(t, "max_area_m2", false, "a [[radius]] rule").value_or(r.max_area_m2);
            r.radius_m = *rd.num(t, "radius_m", true, "a [[radius]] rule");
            if (!(r.radius_m > 0)) rd.fail(*t.get("radius_m"), "radius_m must be positive");
            if (r.min_area_m2 < 0 || !(r.max_area_m2 > r.min_area_m2)) rd.fail(t, "the area range is empty");
            r.cite = rd.cite(t, "a [[radius]] rule");
            p.radius_rules.push_back(std::move(r));
        }
    }
    if (const auto* arr = rd.rows(root, "threshold")) {
        for (const auto& node : *arr) {
            const auto& t = *node.as_table();
            rd.check_keys(t, {"label", "metric", "op", "value", "standard", "clause", "confidence"}, "a [[threshold]]");
            Threshold th;
            th.label = rd.str(t, "label", false, "a [[threshold]]");
            th.metric = rd.str(t, "metric", true, "a [[threshold]]");
            th.op = rd.str(t, "op", true, "a [[threshold]]");
            if (th.op != ">" && th.op != ">=" && th.op != "<" && th.op != "<=")
                rd.fail(*t.get("op"), "op must be one of > >= < <=");
            th.value = *rd.num(t, "value", true, "a [[threshold]]");
            th.cite = rd.cite(t, "a [[threshold]]");
            p.thresholds.push_back(std::move(th));
        }
    }
    if (const auto* arr = rd.rows(root, "level")) {
        p.levels.clear();
        for (const auto& node : *arr) {
            const auto& t = *node.as_table();
            rd.check_keys(t, {"name", "title", "minutes", "radius_m", "standard", "clause", "confidence"}, "a [[level]]");
            LifeCircleLevel l;
            l.name = rd.str(t, "name", true, "a [[level]]");
            l.title = rd.str(t, "title", false, "a [[level]]");
            l.minutes = rd.num(t, "minutes", false, "a [[level]]").value_or(0.0);
            l.radius_m = *rd.num(t, "radius_m", true, "a [[level]]");
            if (!(l.radius_m > 0)) rd.fail(*t.get("radius_m"), "radius_m must be positive");
            if (!p.levels.empty() && l.radius_m <= p.levels.back().radius_m)
                rd.fail(t, "levels must be listed from the smallest radius up");
            l.cite = rd.cite(t, "a [[level]]");
            p.levels.push_back(std::move(l));
        }
    }
    if (const auto* arr = rd.rows(root, "facility")) {
        p.facilities.clear();
        for (const auto& node : *arr) {
            const auto& t = *node.as_table();
            rd.check_keys(t, {"type", "name_zh", "level", "radius_m", "standard", "clause", "confidence"}, "a [[facility]]");
            LifeCircleFacility f;
            f.type = rd.str(t, "type", true, "a [[facility]]");
            f.name_zh = rd.str(t, "name_zh", false, "a [[facility]]");
            f.level = rd.str(t, "level", true, "a [[facility]]");
            const LifeCircleLevel* lvl = p.level(f.level);
            if (!lvl) rd.fail(*t.get("level"), "unknown level '" + f.level + "' (declare it in a [[level]] first)");
            f.radius_m = rd.num(t, "radius_m", false, "a [[facility]]").value_or(lvl->radius_m);
            if (!(f.radius_m > 0)) rd.fail(t, "radius_m must be positive");
            f.cite = rd.cite(t, "a [[facility]]");
            p.facilities.push_back(std::move(f));
        }
    }
    if (p.radius_rules.empty() && p.facilities.empty() && p.thresholds.empty())
        throw file_error(path, 1, "the profile has no [[radius]], [[facility]] or [[threshold]] rows");
    if (p.uses_types() && p.type_field.empty())
        throw file_error(path, 1, "typed rules need 'type_field' (the facility attribute holding the type)");
    return p;
}

}  // namespace

Profile load_profile(const std::string& path) {
    if (!fs::is_regular_file(path)) throw file_error(path, 0, "profile file not found");
    return load(path, 0);
}

Profile find_profile(const std::string& name_or_file, const std::string& profiles_dir) {
    fs::path direct(name_or_file);
    if (fs::is_regular_file(direct)) return load_profile(direct.string());
    if (direct.extension() == ".toml" || name_or_file.find('/') != std::string::npos)
        throw file_error(name_or_file, 0, "profile file not found");
    auto shipped = fs::path(profiles_dir) / (name_or_file + ".toml");
    if (fs::is_regular_file(shipped)) return load_profile(shipped.string());
    std::string names;
    for (const auto& n : list_profiles(profiles_dir)) names += (names.empty() ? "" : ", ") + n;
    throw usage_error("unknown profile '" + name_or_file + "'" +
                      (names.empty() ? " (no shipped profiles found in " + profiles_dir + ")" : "; shipped: " + names));
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
