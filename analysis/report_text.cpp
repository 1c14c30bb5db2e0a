#include "analysis/report_text.hpp"

#include <cmath>
#include <regex>
#include <vector>

#include "core/i18n.hpp"
#include "core/text.hpp"

namespace planmap::analysis {

std::string thousands(double v, int decimals) {
    std::string s = core::fixed(v, decimals);
    auto dot = s.find('.');
    std::size_t end = dot == std::string::npos ? s.size() : dot;
    std::size_t start = s[0] == '-' ? 1 : 0;
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(end) - 3; i > static_cast<std::ptrdiff_t>(start); i -= 3)
        s.insert(static_cast<std::size_t>(i), 1, ',');  // (char overload: no GCC 12 -Wrestrict false positive)
    return s;
}

std::string wan_ren(double people) { return core::trimmed(people / 1e4, 2) + " 万人"; }

std::string hectares(double area_m2) { return core::trimmed(area_m2 / 1e4, 2) + " 公顷"; }

std::string people_zh(double people) {
    std::string exact = thousands(people, 0) + " 人";
    return std::fabs(people) >= 1e4 ? wan_ren(people) + "（" + exact + "）" : exact;
}

std::string area_zh(double area_m2) {
    std::string exact = thousands(area_m2, 0) + " m²";
    return std::fabs(area_m2) >= 1e4 ? hectares(area_m2) + "（" + exact + "）" : exact;
}

namespace {

// The free-text clauses of the shipped profiles (profiles/*.toml), translated by clause_zh().
[[maybe_unused]] constexpr const char* kProfileClauses[] = {
    N_("公园绿地服务半径覆盖率, counting rule (clause number not verified)"),
    N_("公园绿地服务半径覆盖率, 历史文化街区 rule (clause number not verified)"),
    N_("300米见绿、500米见园; 社区公园 > 1 ha (clause number not verified)"),
    N_("300米见绿、500米见园 (slogan [V]; 400 m² lower bound unverified)"),
};

std::string clause_part(const std::string& part) {
    static const std::regex number(R"(^\d+(\.\d+)+$)"), table(R"(^Table (\S+)$)"),
        appendix(R"(^Appendix ([A-Z])(?: \((.*)\))?$)");
    std::smatch m;
    if (std::regex_match(part, number)) return "第 " + part + " 条";
    if (std::regex_match(part, m, table)) return "表 " + m[1].str();
    if (std::regex_match(part, m, appendix)) {
        std::string inner = m[2].str();
        for (auto p = inner.find(", "); p != std::string::npos; p = inner.find(", ", p)) inner.replace(p, 2, "，");
        return "附录 " + m[1].str() + (m[2].matched ? "（" + inner + "）" : "");
    }
    return part;
}

}  // namespace

std::string clause_zh(const std::string& clause) {
    // Only a clause made wholly of numbers, tables and appendices is rewritten (split at the commas
    // outside parentheses); free text is translated when the catalogue has it, else kept.
    std::vector<std::string> parts;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < clause.size(); ++i) {
        depth += clause[i] == '(' ? 1 : clause[i] == ')' ? -1 : 0;
        if (depth == 0 && clause.compare(i, 2, ", ") == 0) parts.push_back(clause.substr(start, i - start)), start = i + 2;
    }
    parts.push_back(clause.substr(start));
    std::string out;
    for (const auto& p : parts) {
        std::string z = clause_part(p);
        if (z == p) return clause.empty() ? clause : std::string(tr(clause.c_str()));
        out += (out.empty() ? "" : "、") + z;
    }
    return out;
}

std::string citation_zh(const std::string& citation, bool with_confidence) {
    auto mark = citation.find(" §");
    std::string standard = citation.substr(0, mark), rest = mark == std::string::npos ? "" : citation.substr(mark + 3);
    std::string confidence;
    if (mark == std::string::npos) {
        rest.clear();
        if (standard.size() > 4 && standard.compare(standard.size() - 4, 4, " [V]") == 0) confidence = "V";
        if (standard.size() > 4 && standard.compare(standard.size() - 4, 4, " [M]") == 0) confidence = "M";
        if (!confidence.empty()) standard.resize(standard.size() - 4);
    } else if (rest.size() > 4 && rest[rest.size() - 4] == ' ' && rest[rest.size() - 3] == '[' && rest.back() == ']') {
        confidence = rest.substr(rest.size() - 2, 1);
        rest.resize(rest.size() - 4);
    }
    std::string out = standard + (rest.empty() ? "" : " " + clause_zh(rest));
    if (!with_confidence || out.find("未核实") != std::string::npos) return out;  // the clause says so already
    if (confidence == "V") out += "（已核实）";
    else if (confidence == "M") out += "（未核实）";
    else if (!confidence.empty()) out += " [" + confidence + "]";
    return out;
}

std::string reason_text(const std::string& reason) {
    if (i18n::language() == i18n::Language::en) return reason;
    struct Form {
        const char* pattern;
        const char* msgid;
    };
    // The forms of service_areas.cpp (facility_geometry_problem, unmatched_reason).
    static const Form forms[] = {
        {R"(^area (.+) after dissolving (\d+) patches matches no size class of profile (\S+)$)",
         N_("area {0} after dissolving {1} patches matches no size class of profile {2}")},
        {R"(^area (.+) matches no size class of profile (\S+)$)", N_("area {0} matches no size class of profile {1}")},
        {R"(^a point \(no area\) matches no size class of profile (\S+)$)", N_("a point (no area) matches no size class of profile {0}")},
        {R"(^type '(.*)' has no rule in profile (\S+)$)", N_("type '{0}' has no rule in profile {1}")},
        {R"(^no facility type \(field (.*)\)$)", N_("no facility type (field {0})")},
        {R"(^geometry type (\S+) \(points or polygons expected\)$)", N_("geometry type {0} (points or polygons expected)")},
        {R"(^invalid geometry: (.*)$)", N_("invalid geometry: {0}")},
        {R"(^(no geometry)$)", N_("no geometry")},
        {R"(^(empty geometry)$)", N_("empty geometry")},
        {R"(^(non-finite coordinate)$)", N_("non-finite coordinate")},
    };
    for (const auto& [pattern, msgid] : forms) {
        std::smatch m;
        if (!std::regex_match(reason, m, std::regex(pattern))) continue;
        std::vector<std::string> parts;
        for (std::size_t i = 1; i < m.size(); ++i) parts.push_back(m[i].str());
        switch (parts.size()) {
            case 1: return trf(msgid, parts[0]);
            case 2: return trf(msgid, parts[0], parts[1]);
            case 3: return trf(msgid, parts[0], parts[1], parts[2]);
            default: return tr(msgid);
        }
    }
    return reason;
}

}  // namespace planmap::analysis
