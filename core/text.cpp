#include "core/text.hpp"

#include <cstdio>

namespace planmap::core {

std::string fixed(double v, int decimals) {
    char buf[400];  // the widest double printed in full: 309 digits, sign, point and decimals
    int n = std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    if (n >= 0 && static_cast<std::size_t>(n) < sizeof buf) return std::string(buf, static_cast<std::size_t>(n));
    std::string s(static_cast<std::size_t>(n) + 1, '\0');
    std::snprintf(s.data(), s.size(), "%.*f", decimals, v);
    s.resize(static_cast<std::size_t>(n));
    return s;
}

std::string trimmed(double v, int decimals) {
    std::string s = fixed(v, decimals);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

}  // namespace planmap::core
