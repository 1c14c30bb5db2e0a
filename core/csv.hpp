// CSV as planmap writes it: RFC 4180 quoting, and no cell a spreadsheet would run as a formula.
#pragma once

#include <optional>
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

// The language of a CSV file's header row. en: the English column names, as always (the file is
// byte-identical to one written without the choice). zh: the columns' Chinese names (the terms of
// docs/glossary.md, with their units), and the file starts with a UTF-8 byte-order mark so that
// WPS and Excel read it as UTF-8. Data rows are the same in both.
enum class CsvHeader { en, zh };

// "en" or "zh"; nullopt for anything else.
std::optional<CsvHeader> parse_csv_header(std::string_view name);

// The first bytes of a CSV file: its header row in the language asked for (for zh preceded by
// the BOM). A column without a Chinese name keeps its English one.
std::string csv_header(const std::vector<std::string>& columns, CsvHeader header);

// The Chinese header name of a column ("coverage_ratio" → "覆盖率（0–1）"); the column's own name
// when it has none.
std::string csv_column_zh(const std::string& column);

}  // namespace planmap::core
