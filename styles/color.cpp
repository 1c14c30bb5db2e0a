#include "styles/color.hpp"

#include "core/i18n.hpp"
#include "core/toml_read.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

namespace planmap::styles {

std::string Color::hex() const {
    auto byte = [](double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255)); };
    char buf[10];
    if (a >= 1.0)
        std::snprintf(buf, sizeof buf, "#%02X%02X%02X", byte(r), byte(g), byte(b));
    else
        std::snprintf(buf, sizeof buf, "#%02X%02X%02X%02X", byte(r), byte(g), byte(b), byte(a));
    return buf;
}

std::optional<Color> parse_color(std::string_view text) {
    std::string s;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c))) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::map<std::string, std::string> named = {
        {"black", "#000000"}, {"white", "#ffffff"}, {"red", "#ff0000"},   {"green", "#008000"},
        {"blue", "#0000ff"},  {"yellow", "#ffff00"}, {"gray", "#808080"}, {"grey", "#808080"},
        {"orange", "#ffa500"}, {"none", "#00000000"}, {"transparent", "#00000000"}};
    if (auto it = named.find(s); it != named.end()) s = it->second;
    if (s.empty() || s[0] != '#') return std::nullopt;
    std::string h = s.substr(1);
    if (!std::all_of(h.begin(), h.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
        return std::nullopt;
    if (h.size() == 3 || h.size() == 4) {
        std::string e;
        for (char c : h) e += std::string(2, c);
        h = e;
    }
    if (h.size() != 6 && h.size() != 8) return std::nullopt;
    auto comp = [&](int i) { return std::stoi(h.substr(static_cast<std::size_t>(i) * 2, 2), nullptr, 16) / 255.0; };
    Color c{comp(0), comp(1), comp(2), h.size() == 8 ? comp(3) : 1.0};
    return c;
}

std::optional<Color> read_color(core::TomlTable& t, const std::string& key) {
    auto s = t.str(key);
    if (!s) return std::nullopt;
    auto c = parse_color(*s);
    if (!c) t.fail(key, trf("is not a colour: '{}' (use #RRGGBB, #RRGGBBAA or a CSS name)", *s));
    return c;
}

}  // namespace planmap::styles
