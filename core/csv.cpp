#include "core/csv.hpp"

#include <algorithm>
#include <iterator>

#include "core/i18n.hpp"

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

namespace {

// Every column of the CSV files planmap writes (coverage_zones, lifecircle_compliance, site_sites,
// site_curve, site_pieces, indicators). The names themselves are the English header; their
// translations (po/zh_CN/core.po) are the Chinese one.
constexpr const char* kColumns[] = {
    // coverage_zones.csv
    NC_("CSV column", "zone"), NC_("CSV column", "parcels"), NC_("CSV column", "residential_area_m2"), NC_("CSV column", "covered_area_m2"), NC_("CSV column", "coverage_ratio"), NC_("CSV column", "population"),
    NC_("CSV column", "covered_population"), NC_("CSV column", "population_coverage_ratio"),
    // lifecircle_compliance.csv
    NC_("CSV column", "kind"), NC_("CSV column", "level"), NC_("CSV column", "type"), NC_("CSV column", "name_zh"), NC_("CSV column", "radius_m"), NC_("CSV column", "facilities"), NC_("CSV column", "parcel_share"), NC_("CSV column", "area_m2"),
    NC_("CSV column", "area_share"), NC_("CSV column", "population_share"), NC_("CSV column", "citation"),
    // site_sites.csv, site_curve.csv, site_pieces.csv
    NC_("CSV column", "rank"), NC_("CSV column", "candidate_fid"), NC_("CSV column", "rule"), NC_("CSV column", "site_area_m2"), NC_("CSV column", "marginal_gain"), NC_("CSV column", "cumulative_gain"),
    NC_("CSV column", "ratio_after"), NC_("CSV column", "cost"), NC_("CSV column", "sites"), NC_("CSV column", "covered"), NC_("CSV column", "ratio"), NC_("CSV column", "piece"), NC_("CSV column", "parcel_fid"),
    NC_("CSV column", "candidate_fids"),
    // indicators.csv
    NC_("CSV column", "id"), NC_("CSV column", "name_en"), NC_("CSV column", "unit"), NC_("CSV column", "evaluate"), NC_("CSV column", "baseline"), NC_("CSV column", "baseline_year"), NC_("CSV column", "target"),
    NC_("CSV column", "target_year"), NC_("CSV column", "compare"), NC_("CSV column", "value"), NC_("CSV column", "status"), NC_("CSV column", "why"), NC_("CSV column", "source_ref")};

}  // namespace

std::optional<CsvHeader> parse_csv_header(std::string_view name) {
    if (name == "en") return CsvHeader::en;
    if (name == "zh") return CsvHeader::zh;
    return std::nullopt;
}

std::string csv_column_zh(const std::string& column) {
    const auto* known = std::find_if(std::begin(kColumns), std::end(kColumns), [&](const char* c) { return column == c; });
    return known == std::end(kColumns) ? column : std::string(i18n::tr_context(i18n::Language::zh, "CSV column", *known));
}

std::string csv_header(const std::vector<std::string>& columns, CsvHeader header) {
    if (header == CsvHeader::en) return csv_row(columns);
    std::vector<std::string> names;
    names.reserve(columns.size());
    for (const auto& c : columns) names.push_back(csv_column_zh(c));
    return "\xEF\xBB\xBF" + csv_row(names);
}

}  // namespace planmap::core
