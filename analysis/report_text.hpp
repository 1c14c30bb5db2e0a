// How reports write figures and clauses: thousands separators, and the Chinese forms planners use
// in a report — population in 万人 and areas in 公顷, each with the exact figure beside it
// ("12.35 万人（123,456 人）", "45.61 公顷（456,123 m²）"), and clause citations as
// "GB 55014-2021 第 2.1.4 条". One place for these, shared by the HTML reports.
#pragma once

#include <string>

namespace planmap::analysis {

// `v` rounded to `decimals` with thousands separated by commas: thousands(1234567.8) = "1,234,568".
std::string thousands(double v, int decimals = 0);

// People in 万人 (ten thousands), at most two decimals: wan_ren(123456) = "12.35 万人".
std::string wan_ren(double people);
// Square metres in 公顷 (hectares), at most two decimals: hectares(456123) = "45.61 公顷".
std::string hectares(double area_m2);

// A population as a Chinese report writes it: "12.35 万人（123,456 人）" from 10 000 people up,
// "8,765 人" below.
std::string people_zh(double people);
// An area as a Chinese report writes it: "45.61 公顷（456,123 m²）" from 1 公顷 up, "3,500 m²" below.
std::string area_zh(double area_m2);

// A profile's clause in Chinese form: "2.1.4" → "第 2.1.4 条"; "2.0.4, Table 3.0.4" →
// "第 2.0.4 条、表 3.0.4"; "Appendix C (社区服务设施)" → "附录 C（社区服务设施）"; other text as
// it is, or its translation when the catalogue has one (the shipped profiles' free-text clauses).
std::string clause_zh(const std::string& clause);
// A citation as Citation::text() writes it ("GB 55014-2021 §2.1.4 [V]") in Chinese form:
// "GB 55014-2021 第 2.1.4 条（已核实）"; [M] becomes （未核实）, or no flag without `with_confidence`.
// Text without "§" is kept.
std::string citation_zh(const std::string& citation, bool with_confidence = true);

// Why a facility was not counted, in the current language. The reasons are kept in English where
// they are stored (the JSON summary, and the PostGIS engine writes the same text in SQL); this says
// each of their forms again for people ("area 1200.0 m² matches no size class of profile gb55014"
// → "面积 1200.0 m² 不属于规则配置 gb55014 的任何规模等级"). A form it does not know stays as it is.
std::string reason_text(const std::string& reason);

}  // namespace planmap::analysis
