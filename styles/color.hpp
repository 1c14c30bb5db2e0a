// Colours as written in style and palette files: "#RRGGBB", "#RRGGBBAA", "#RGB", or a CSS name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace planmap::core {
class TomlTable;
}

namespace planmap::styles {

struct Color {
    double r = 0, g = 0, b = 0, a = 1;  // 0…1
    std::string hex() const;           // "#RRGGBB" or "#RRGGBBAA" when not opaque
    bool operator==(const Color&) const = default;
};

std::optional<Color> parse_color(std::string_view text);

// The colour at `key` of a checked TOML table (nullopt when absent; a file error when not a colour).
std::optional<Color> read_color(core::TomlTable& t, const std::string& key);

}  // namespace planmap::styles
