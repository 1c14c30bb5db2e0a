#include "core/csv.hpp"

namespace planmap::core {

bool is_plain_number(std::string_view s) {
    std::size_t i = 0, n = s.size();
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (i < n && s[i] == '.') {
        ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t exp = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++exp;
        if (exp == 0) return false;
    }
    return i == n;
}

std::string csv_cell(std::string_view text) {
    std::string cell;
    cell.reserve(text.size() + 3);
    if (!text.empty()) {
        char c = text.front();
        bool formula = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
        if (formula && !is_plain_number(text)) cell += '\'';
    }
    cell.append(text);
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    quoted.reserve(cell.size() + 8);
    for (char c : cell) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csv_row(const std::vector<std::string>& cells) {
    std::string row;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) row += ',';
        row += csv_cell(cells[i]);
    }
    row += '\n';
    return row;
}

}  // namespace planmap::core
