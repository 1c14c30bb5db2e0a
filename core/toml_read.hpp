// Checked reading of TOML tables for every file planmap reads (styles, maps, profiles, plans): every value is type-checked, unknown
// keys are errors (typos do not pass silently), and every error carries file:line.
#pragma once

#include <toml++/toml.h>

#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace planmap::core {

class TomlTable {
public:
    TomlTable(const toml::table& t, std::string file, std::string where) : t_(t), file_(std::move(file)), where_(std::move(where)) {}

    const toml::table& raw() const { return t_; }
    const std::string& file() const { return file_; }
    // What errors name before their message ("element 'a'", "radius[2]"); empty for the document.
    const std::string& where() const { return where_; }
    void set_where(std::string where) { where_ = std::move(where); }
    int line() const { return static_cast<int>(t_.source().begin.line); }
    int line_of(const std::string& key) const;  // the table's line when the key is absent
    // "file:line: where: 'key' msg" at the key's line.
    [[noreturn]] void fail(const std::string& key, const std::string& msg) const;
    // "file:line: where: msg" at the key's line, or at a value inside this table (list items).
    [[noreturn]] void fail_at(const std::string& key, const std::string& msg) const;
    [[noreturn]] void fail_at(const toml::node& node, const std::string& msg) const;

    bool has(const std::string& key) const { return t_.contains(key); }
    void mark(const std::string& key) const { seen_.insert(key); }  // read by the caller itself
    // Throws "unknown key 'k'" for the first key not in `keys` and marks them all read: for
    // tables whose keys are checked before their values are.
    void known_keys(std::initializer_list<std::string_view> keys) const;
    const toml::node* node(const std::string& key);  // the raw value (nullptr when absent), marked read
    std::optional<std::string> str(const std::string& key);
    std::optional<double> num(const std::string& key);
    std::optional<double> positive(const std::string& key);  // > 0
    std::optional<long long> integer(const std::string& key);
    std::optional<bool> boolean(const std::string& key);
    // A missing value is an error "'key' is required" at the table's line.
    std::string required_str(const std::string& key);
    double required_num(const std::string& key);
    // `single`: a lone string is a list of one.
    std::optional<std::vector<std::string>> str_list(const std::string& key, bool single = false);
    std::optional<std::vector<double>> num_list(const std::string& key);
    std::optional<TomlTable> table(const std::string& key);
    std::vector<TomlTable> table_array(const std::string& key);
    // One of `choices`; error listing them otherwise.
    std::optional<std::string> choice(const std::string& key, const std::vector<std::string>& choices);

    // Throws "unknown key 'k'" for keys never asked for (call after reading everything).
    void finish() const;

private:
    const toml::table& t_;
    std::string file_;
    std::string where_;
    mutable std::set<std::string> seen_;
};

// Limits on what a TOML file may hold, so that no file can crash the parser (it recurses per
// dotted key part and per nesting level) or blow up outputs that copy its strings.
inline constexpr std::size_t kMaxTomlBytes = 16 * 1024 * 1024;  // whole file
inline constexpr int kMaxTomlDepth = 64;                        // dotted key parts; array/inline-table nesting
inline constexpr std::size_t kMaxTomlString = 16 * 1024;        // any string, in bytes
inline constexpr std::size_t kMaxTomlLabel = 200;               // name, title, label, id, type, level, name_*: characters

// Parses a TOML document, the one entry point for every TOML file planmap reads. file_error with
// file:line for a syntax error and for a file beyond the limits above (checked before parsing
// for size and depth).
toml::table parse_toml_text(const std::string& text, const std::string& file);
// The whole file; file_error "cannot open <what>" when it cannot be read.
std::string read_text_file(const std::string& path, const std::string& what);

}  // namespace planmap::core
