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
    N_("zone"), N_("parcels"), N_("residential_area_m2"), N_("covered_area_m2"), N_("coverage_ratio"), N_("population"),
    N_("covered_population"), N_("population_coverage_ratio"),
    // lifecircle_compliance.csv
    N_("kind"), N_("level"), N_("type"), N_("name_zh"), N_("radius_m"), N_("facilities"), N_("parcel_share"), N_("area_m2"),
    N_("area_share"), N_("population_share"), N_("citation"),
    // site_sites.csv, site_curve.csv, site_pieces.csv
    N_("rank"), N_("candidate_fid"), N_("rule"), N_("site_area_m2"), N_("marginal_gain"), N_("cumulative_gain"),
    N_("ratio_after"), N_("cost"), N_("sites"), N_("covered"), N_("ratio"), N_("piece"), N_("parcel_fid"),
    N_("candidate_fids"),
    // indicators.csv
    N_("id"), N_("name_en"), N_("unit"), N_("evaluate"), N_("baseline"), N_("baseline_year"), N_("target"),
    N_("target_year"), N_("compare"), N_("value"), N_("status"), N_("why"), N_("source_ref")};

}  // namespace

std::optional<CsvHeader> parse_csv_header(std::string_view name) {
    if (name == "en") return CsvHeader::en;
    if (name == "zh") return CsvHeader::zh;
    return std::nullopt;
}

std::string csv_column_zh(const std::string& column) {
    const auto* known = std::find_if(std::begin(kColumns), std::end(kColumns), [&](const char* c) { return column == c; });
    return known == std::end(kColumns) ? column : std::string(tr(i18n::Language::zh, *known));
}

std::string csv_header(const std::vector<std::string>& columns, CsvHeader header) {
    if (header == CsvHeader::en) return csv_row(columns);
    std::vector<std::string> names;
    names.reserve(columns.size());
    for (const auto& c : columns) names.push_back(csv_column_zh(c));
    return "\xEF\xBB\xBF" + csv_row(names);
}

}  // namespace planmap::core
