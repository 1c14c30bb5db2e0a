// How reports write figures and clauses (analysis/report_text.hpp): thousands separators, 万人 and
// 公顷 with the exact figure beside them, and clause citations in Chinese form.
#include <gtest/gtest.h>

#include "analysis/profile.hpp"
#include "analysis/report_text.hpp"
#include "core/i18n.hpp"

using namespace planmap::analysis;

TEST(ReportText, Thousands) {
    EXPECT_EQ(thousands(0), "0");
    EXPECT_EQ(thousands(999), "999");
    EXPECT_EQ(thousands(1000), "1,000");
    EXPECT_EQ(thousands(1234567.8), "1,234,568");
    EXPECT_EQ(thousands(1234567.84, 1), "1,234,567.8");
    EXPECT_EQ(thousands(-1234.5, 1), "-1,234.5");
    EXPECT_EQ(thousands(-123), "-123");
}

TEST(ReportText, PopulationInWanRenWithTheExactFigure) {
    EXPECT_EQ(wan_ren(123456), "12.35 万人");
    EXPECT_EQ(wan_ren(100000), "10 万人");
    EXPECT_EQ(wan_ren(123000), "12.3 万人");
    EXPECT_EQ(people_zh(123456), "12.35 万人（123,456 人）");
    EXPECT_EQ(people_zh(10000), "1 万人（10,000 人）");
    EXPECT_EQ(people_zh(8765), "8,765 人");  // below 1 万: the exact figure only
    EXPECT_EQ(people_zh(1234567.6), "123.46 万人（1,234,568 人）");
}

TEST(ReportText, AreaInHectaresWithTheExactFigure) {
    EXPECT_EQ(hectares(456123), "45.61 公顷");
    EXPECT_EQ(hectares(450000), "45 公顷");
    EXPECT_EQ(area_zh(456123.4), "45.61 公顷（456,123 m²）");
    EXPECT_EQ(area_zh(10000), "1 公顷（10,000 m²）");
    EXPECT_EQ(area_zh(3500), "3,500 m²");  // below 1 公顷: square metres only
    EXPECT_EQ(area_zh(12345678), "1234.57 公顷（12,345,678 m²）");
}

TEST(ReportText, ClausesInChineseForm) {
    EXPECT_EQ(clause_zh("2.1.4"), "第 2.1.4 条");
    EXPECT_EQ(clause_zh("2.0.4, Table 3.0.4"), "第 2.0.4 条、表 3.0.4");
    EXPECT_EQ(clause_zh("Appendix C (社区服务设施)"), "附录 C（社区服务设施）");
    EXPECT_EQ(clause_zh("Appendix B"), "附录 B");
    // Free text is kept as the profile wrote it.
    EXPECT_EQ(clause_zh("公园绿地服务半径覆盖率, counting rule (clause number not verified)"),
              "公园绿地服务半径覆盖率, counting rule (clause number not verified)");
    EXPECT_EQ(clause_zh("2.1.4, counting rule"), "2.1.4, counting rule");
}

TEST(ReportText, CitationsInChineseForm) {
    Citation c{"GB 55014-2021", "2.1.4", "V", "", 0};
    EXPECT_EQ(c.text(), "GB 55014-2021 §2.1.4 [V]");
    EXPECT_EQ(citation_zh(c.text()), "GB 55014-2021 第 2.1.4 条（已核实）");
    EXPECT_EQ(citation_zh("GB 50180-2018 §2.0.2, Table 3.0.4 [M]"), "GB 50180-2018 第 2.0.2 条、表 3.0.4（未核实）");
    EXPECT_EQ(citation_zh("GB 50180-2018 §Appendix C (社区服务设施) [M]"), "GB 50180-2018 附录 C（社区服务设施）（未核实）");
    EXPECT_EQ(citation_zh("GB 55014-2021"), "GB 55014-2021");
    EXPECT_EQ(citation_zh("GB 55014-2021 [V]"), "GB 55014-2021（已核实）");
}

// The shipped profiles' free-text clauses have a Chinese translation; other free text stays.
TEST(ReportText, FreeTextClausesOfTheShippedProfilesInChinese) {
    planmap::i18n::LanguageScope zh(planmap::i18n::Language::zh);
    EXPECT_EQ(clause_zh("公园绿地服务半径覆盖率, counting rule (clause number not verified)"), "公园绿地服务半径覆盖率计数规则（条文号未核实）");
    EXPECT_EQ(clause_zh("Appendix B (配套设施, 十分钟生活圈)"), "附录 B（配套设施，十分钟生活圈）");
    EXPECT_EQ(clause_zh("some clause of our own"), "some clause of our own");
    EXPECT_EQ(citation_zh("GB/T 50563-2010 §公园绿地服务半径覆盖率, counting rule (clause number not verified) [M]", false),
              "GB/T 50563-2010 公园绿地服务半径覆盖率计数规则（条文号未核实）");
}

// Why a facility was not counted: stored in English, said again in Chinese, every form of
// service_areas.cpp recognised with its figures kept; an unknown text stays.
TEST(ReportText, IgnoredFacilityReasonsInChinese) {
    const std::string area = "area 1200.0 m² matches no size class of profile gb55014";
    const std::string dissolved = "area 1800.0 m² after dissolving 3 patches matches no size class of profile gb-park-radius";
    EXPECT_EQ(reason_text(area), area);  // English: as stored
    planmap::i18n::LanguageScope zh(planmap::i18n::Language::zh);
    EXPECT_EQ(reason_text(area), "面积 1200.0 m²，不属于规则配置 gb55014 的任何规模等级");
    EXPECT_EQ(reason_text(dissolved), "合并 3 个图斑后面积 1800.0 m²，不属于规则配置 gb-park-radius 的任何规模等级");
    EXPECT_EQ(reason_text("type 'clinic' has no rule in profile gb50180-life-circle"), "类型“clinic”在规则配置 gb50180-life-circle 中没有规则");
    EXPECT_EQ(reason_text("geometry type LineString (points or polygons expected)"), "几何类型为 LineString（应为点或面）");
    EXPECT_EQ(reason_text("invalid geometry: Self-intersection[3 4]"), "几何无效：Self-intersection[3 4]");
    EXPECT_EQ(reason_text("something else"), "something else");
}
