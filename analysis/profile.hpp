// Rule profiles for service-radius coverage and life circles: which facilities count, with which
// radius, and which thresholds a result must meet. Profiles are TOML data files (profiles/ in
// the source tree); every rule cites its standard, clause and a confidence flag ([V] verified,
// [M] widely used but the official text was not available).
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace planmap::analysis {

struct Citation {
    std::string standard;    // "GB 55014-2021"
    std::string clause;      // "2.1.4"
    std::string confidence;  // "V" or "M"
    std::string file;        // where the rule was read from
    int line = 0;
    std::string text() const;  // "GB 55014-2021 §2.1.4 [V]"
};

// A facility of at least min_area_m2 and below max_area_m2 (and of `type`, when given) counts
// with radius_m. Areas are those of the dissolved facility in the metric CRS; points have area 0.
struct RadiusRule {
    std::string label;
    std::optional<std::string> type;
    double min_area_m2 = 0;
    double max_area_m2 = std::numeric_limits<double>::infinity();
    double radius_m = 0;
    Citation cite;
};

// A pass/fail check on a summary figure, e.g. coverage_ratio > 0.80.
struct Threshold {
    std::string label;
    std::string metric;
    std::string op;  // ">", ">=", "<", "<="
    double value = 0;
    Citation cite;
    bool passes(double v) const;
};

// GB 50180 life-circle levels, ordered from the smallest radius up.
struct LifeCircleLevel {
    std::string name;  // "5min"
    std::string title; // "五分钟生活圈"
    double minutes = 0;
    double radius_m = 0;
    Citation cite;
};

struct LifeCircleFacility {
    std::string type;     // the facility-type value in the data, e.g. "kindergarten"
    std::string name_zh;  // 幼儿园
    std::string level;    // a LifeCircleLevel name
    double radius_m = 0;
    Citation cite;
};

struct Profile {
    std::string name;
    std::string title;
    std::string file;
    bool dissolve = false;         // dissolve touching facility polygons before sizing (parks)
    std::string type_field;        // facility attribute holding the type (typed rules, life circles)
    std::vector<RadiusRule> radius_rules;
    std::vector<Threshold> thresholds;
    std::vector<LifeCircleLevel> levels;
    std::vector<LifeCircleFacility> facilities;

    // The radius for a facility of this area and type; nullopt when no rule counts it.
    // Facility rows (life circles) are used when there are no radius rules.
    std::optional<double> radius_for(double area_m2, const std::string& type, const RadiusRule** rule = nullptr) const;
    bool uses_types() const;
    const LifeCircleLevel* level(const std::string& name) const;
};

// Reads a profile file; any problem is a file_error naming file and line.
Profile load_profile(const std::string& path);
// NAME (a shipped profile in `profiles_dir`) or the path of a .toml file.
Profile find_profile(const std::string& name_or_file, const std::string& profiles_dir);
// The names of the shipped profiles in `profiles_dir`, sorted.
std::vector<std::string> list_profiles(const std::string& profiles_dir);

}  // namespace planmap::analysis
