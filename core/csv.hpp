// CSV as planmap writes it: RFC 4180 quoting, and no cell a spreadsheet would run as a formula.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace planmap::core {

// One text cell. Quoted ("…", inner quotes doubled) when it holds a comma, a quote, CR or LF.
// Text that a spreadsheet would evaluate (first character =, +, -, @, tab or CR: "=HYPERLINK(…)",
// "+cmd|…") is neutralised as OWASP recommends, by a leading single quote; a plain number such
// as "-12.5" or "+3" stays a number.
std::string csv_cell(std::string_view text);

// Cells (each through csv_cell) joined by commas, ending in "\n". Numbers formatted by the
// caller pass through unchanged; there is no length limit.
std::string csv_row(const std::vector<std::string>& cells);

// True for a plain decimal number: optional sign, digits with an optional fraction, optional
// exponent ("-12", "3.5e-2"); nothing else (no spaces, no "inf").
bool is_plain_number(std::string_view text);

}  // namespace planmap::core
