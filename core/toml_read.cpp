#include "core/toml_read.hpp"

#include "core/i18n.hpp"

#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

namespace planmap::core {

int TomlTable::line_of(const std::string& key) const {
    if (auto* n = t_.get(key)) {
        int l = static_cast<int>(n->source().begin.line);
        if (l > 0) return l;
    }
    return line();
}

void TomlTable::fail(const std::string& key, const std::string& msg) const {
    fail_at(key, key.empty() ? msg : trf("'{}' {}", key, msg));
}

void TomlTable::fail_at(const std::string& key, const std::string& msg) const {
    std::string prefix = where_.empty() ? std::string() : where_ + ": ";
    throw file_error(file_, key.empty() ? line() : line_of(key), prefix + msg);
}

void TomlTable::fail_at(const toml::node& node, const std::string& msg) const {
    int l = static_cast<int>(node.source().begin.line);
    throw file_error(file_, l > 0 ? l : line(), (where_.empty() ? std::string() : where_ + ": ") + msg);
}

void TomlTable::known_keys(std::initializer_list<std::string_view> keys) const {
    for (auto&& [k, v] : t_) {
        bool known = false;
        for (auto key : keys) known = known || key == k.str();
        if (!known) fail_at(v, trf("unknown key '{}'", std::string(k.str())));
    }
    for (auto key : keys) seen_.insert(std::string(key));
}

const toml::node* TomlTable::node(const std::string& key) {
    seen_.insert(key);
    return t_.get(key);
}

std::string TomlTable::required_str(const std::string& key) {
    auto v = str(key);
    if (!v) fail(key, tr("is required"));
    return *v;
}

double TomlTable::required_num(const std::string& key) {
    auto v = num(key);
    if (!v) fail(key, tr("is required"));
    return *v;
}

std::optional<std::string> TomlTable::str(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (auto v = n->value<std::string>(); v && n->is_string()) return *v;
    fail(key, tr("must be a string"));
}

std::optional<double> TomlTable::num(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (n->is_number()) return *n->value<double>();
    fail(key, tr("must be a number"));
}

std::optional<double> TomlTable::positive(const std::string& key) {
    auto v = num(key);
    if (v && !(*v > 0)) fail(key, tr("must be greater than 0"));
    return v;
}

std::optional<long long> TomlTable::integer(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (n->is_integer()) return *n->value<long long>();
    fail(key, tr("must be an integer"));
}

std::optional<bool> TomlTable::boolean(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (n->is_boolean()) return *n->value<bool>();
    fail(key, tr("must be true or false"));
}

std::optional<std::vector<std::string>> TomlTable::str_list(const std::string& key, bool single) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (single && n->is_string()) return std::vector<std::string>{*n->value<std::string>()};
    auto* arr = n->as_array();
    if (!arr) fail(key, tr("must be a list of strings"));
    std::vector<std::string> out;
    for (auto& e : *arr) {
        if (!e.is_string()) fail(key, tr("must be a list of strings"));
        out.push_back(*e.value<std::string>());
    }
    return out;
}

std::optional<std::vector<double>> TomlTable::num_list(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    auto* arr = n->as_array();
    if (!arr) fail(key, tr("must be a list of numbers"));
    std::vector<double> out;
    for (auto& e : *arr) {
        if (!e.is_number()) fail(key, tr("must be a list of numbers"));
        out.push_back(*e.value<double>());
    }
    return out;
}

std::optional<TomlTable> TomlTable::table(const std::string& key) {
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return std::nullopt;
    if (auto* t = n->as_table()) return TomlTable(*t, file_, where_.empty() ? key : where_ + "." + key);
    fail(key, tr("must be a table"));
}

std::vector<TomlTable> TomlTable::table_array(const std::string& key) {
    seen_.insert(key);
    std::vector<TomlTable> out;
    auto* n = t_.get(key);
    if (!n) return out;
    auto* arr = n->as_array();
    if (!arr) fail(key, trf("must be an array of tables ([[{}]])", key));
    int i = 0;
    for (auto& e : *arr) {
        auto* t = e.as_table();
        if (!t) fail(key, trf("must be an array of tables ([[{}]])", key));
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
    fail(key, trf("is '{}'; expected one of: {}", *s, list));
}

void TomlTable::finish() const {
    for (auto&& [k, v] : t_) {
        std::string key(k.str());
        if (!seen_.count(key)) fail_at(key, trf("unknown key '{}'", key));
    }
}

namespace {

// The parser recurses once per dotted key part and per level of nesting (a few tens of thousands
// crash it), so the text is measured before it is parsed: a lexical pass that knows strings,
// comments, table headers, keys and values, and nothing else.
void check_toml_shape(const std::string& text, const std::string& file) {
    if (text.size() > kMaxTomlBytes)
        throw file_error(file, 0, trf("is {} bytes; TOML files are read up to {} MiB", text.size(), kMaxTomlBytes / (1024 * 1024)));
    int line = 1;
    // Depth = the table path of the last [table] header + the dotted parts of the keys and the
    // arrays and inline tables on the way to a value.
    std::vector<std::pair<char, int>> nesting;  // '{' inline table or '[' array, with the depth outside it
    int depth = 0;                              // of the table or array being read
    bool key = true;                            // reading a key (line start, after '{', after ',' in an inline table)
    bool header = false;                        // reading a [table] header
    int parts = 1, key_parts = 0;               // dotted parts of the key being read / of the last key
    auto check = [&](int levels) {
        if (levels > kMaxTomlDepth)
            throw file_error(file, line,
                             trf("keys, tables, arrays and inline tables nested more than {} deep (dotted key parts count as levels)",
                                 kMaxTomlDepth));
    };
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n; ++i) {
        char c = text[i];
        if (c == '\n') {
            ++line;
            if (nesting.empty()) key = true, parts = 1;
            continue;
        }
        if (c == '#') {
            while (i + 1 < n && text[i + 1] != '\n') ++i;
            continue;
        }
        if (c == '"' || c == '\'') {
            bool multi = i + 2 < n && text[i + 1] == c && text[i + 2] == c;
            std::size_t j = i + (multi ? 3 : 1);
            for (; j < n; ++j) {
                if (text[j] == '\n') ++line;
                if (c == '"' && text[j] == '\\') {
                    if (j + 1 < n && text[j + 1] == '\n') ++line;
                    ++j;
                    continue;
                }
                if (text[j] != c) continue;
                if (!multi) break;
                if (j + 2 < n && text[j + 1] == c && text[j + 2] == c) {
                    while (j + 3 < n && text[j + 3] == c) ++j;  // up to two quotes may end the content
                    j += 2;
                    break;
                }
            }
            i = j;
            continue;
        }
        if (key) {
            if (c == '.') check(++parts + (header ? 0 : depth));
            if (c == '[' && nesting.empty() && !header) {  // a [table] or [[table]] header
                header = true, parts = 1;
                while (i + 1 < n && text[i + 1] == '[') ++i;
            } else if (c == ']' && header) {
                header = false, depth = parts, parts = 1;
                while (i + 1 < n && text[i + 1] == ']') ++i;
            } else if (c == '=') {
                key = false, key_parts = parts, parts = 1;
            } else if (c == '}' && !nesting.empty()) {  // an empty inline table
                depth = nesting.back().second, key_parts = 0;
                nesting.pop_back(), key = false;
            }
            continue;
        }
        if (c == '{' || c == '[') {
            nesting.push_back({c, depth});
            depth += key_parts + 1;
            key_parts = 0;
            check(depth);
            if (c == '{') key = true, parts = 1;
        } else if ((c == '}' || c == ']') && !nesting.empty()) {
            depth = nesting.back().second, key_parts = 0;
            nesting.pop_back();
        } else if (c == ',' && !nesting.empty() && nesting.back().first == '{') {
            key = true, parts = 1;
        }
    }
}

bool is_label_key(std::string_view k) {
    return k == "name" || k == "title" || k == "subtitle" || k == "label" || k == "id" || k == "type" || k == "level" ||
           k.rfind("name_", 0) == 0 || k.rfind("title_", 0) == 0;
}

std::size_t characters(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// Strings are copied into messages and outputs (a profile name into every ignored facility's
// reason): names and labels are kept short, every other string bounded.
void check_strings(const toml::node& node, std::string_view key, const std::string& file) {
    if (auto* s = node.as_string()) {
        const std::string& v = s->get();
        int line = static_cast<int>(node.source().begin.line);
        if (v.size() > kMaxTomlString)
            throw file_error(file, line, trf("'{}' is {} bytes long (at most {})", std::string(key), v.size(), kMaxTomlString));
        if (is_label_key(key) && characters(v) > kMaxTomlLabel)
            throw file_error(file, line, trf("'{}' is {} characters long; names and labels have at most {}", std::string(key),
                                             characters(v), kMaxTomlLabel));
    } else if (auto* t = node.as_table()) {
        for (auto&& [k, v] : *t) check_strings(v, k.str(), file);
    } else if (auto* a = node.as_array()) {
        for (const auto& v : *a) check_strings(v, key, file);
    }
}

}  // namespace

toml::table parse_toml_text(const std::string& text, const std::string& file) {
    check_toml_shape(text, file);
    toml::table doc;
    try {
        doc = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw file_error(file, static_cast<int>(e.source().begin.line), std::string(e.description()));
    }
    check_strings(doc, "", file);
    return doc;
}

std::string read_text_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error(path, 0, trf("cannot open {}", what));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace planmap::core
