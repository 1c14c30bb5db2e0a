#include "core/toml_read.hpp"

#include <fstream>
#include <sstream>

namespace planmap::core {

int TomlTable::line_of(const std::string& key) const {
    if (auto* n = t_.get(key)) {
        int l = static_cast<int>(n->source().begin.line);
        if (l > 0) return l;
    }
    return line();
}

void TomlTable::fail(const std::string& key, const std::string& msg) const {
    std::string prefix = where_.empty() ? std::string() : where_ + ": ";
    throw file_error(file_, key.empty() ? line() : line_of(key), prefix + (key.empty() ? "" : "'" + key + "' ") + msg);
}

std::optional<std::string> TomlTable::str(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (auto v = n->value<std::string>(); v && n->is_string()) return *v;
    fail(key, "must be a string");
}

std::optional<double> TomlTable::num(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (n->is_number()) return *n->value<double>();
    fail(key, "must be a number");
}

std::optional<double> TomlTable::positive(const std::string& key) {
    auto v = num(key);
    if (v && !(*v > 0)) fail(key, "must be greater than 0");
    return v;
}

std::optional<long long> TomlTable::integer(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (n->is_integer()) return *n->value<long long>();
    fail(key, "must be an integer");
}

std::optional<bool> TomlTable::boolean(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (n->is_boolean()) return *n->value<bool>();
    fail(key, "must be true or false");
}

std::optional<std::vector<std::string>> TomlTable::str_list(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    auto* arr = n->as_array();
    if (!arr) fail(key, "must be a list of strings");
    std::vector<std::string> out;
    for (auto& e : *arr) {
        if (!e.is_string()) fail(key, "must be a list of strings");
        out.push_back(*e.value<std::string>());
    }
    return out;
}

std::optional<std::vector<double>> TomlTable::num_list(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    auto* arr = n->as_array();
    if (!arr) fail(key, "must be a list of numbers");
    std::vector<double> out;
    for (auto& e : *arr) {
        if (!e.is_number()) fail(key, "must be a list of numbers");
        out.push_back(*e.value<double>());
    }
    return out;
}

std::optional<TomlTable> TomlTable::table(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (auto* t = n->as_table()) return TomlTable(*t, file_, where_.empty() ? key : where_ + "." + key);
    fail(key, "must be a table");
}

std::vector<TomlTable> TomlTable::table_array(const std::string& key) {
    seen_.insert(key);
    std::vector<TomlTable> out;
    auto* n = t_.get(key);
    if (!n) return out;
    auto* arr = n->as_array();
    if (!arr) fail(key, "must be an array of tables ([[" + key + "]])");
    int i = 0;
    for (auto& e : *arr) {
        auto* t = e.as_table();
        if (!t) fail(key, "must be an array of tables ([[" + key + "]])");
        out.emplace_back(*t, file_, (where_.empty() ? key : where_ + "." + key) + "[" + std::to_string(i++) + "]");
    }
    return out;
}

std::optional<std::string> TomlTable::choice(const std::string& key, const std::vector<std::string>& choices) {
    auto s = str(key);
    if (!s) return s;
    for (const auto& c : choices)
        if (c == *s) return s;
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    fail(key, "is '" + *s + "'; expected one of: " + list);
}

void TomlTable::finish() const {
    for (auto&& [k, v] : t_) {
        std::string key(k.str());
        if (!seen_.count(key)) fail(key, "is not a known key");
    }
}

toml::table parse_toml_text(const std::string& text, const std::string& file) {
    try {
        return toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw file_error(file, static_cast<int>(e.source().begin.line), std::string(e.description()));
    }
}

std::string read_text_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error(path, 0, "cannot open " + what);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace planmap::core
