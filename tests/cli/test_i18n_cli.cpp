// The command line in Chinese (--lang zh): help pages, errors and warnings of cli/ and core/, and
// the CSV header language (--csv-header en|zh) of the commands writing CSV tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "layers/io.hpp"
#include "tests/support.hpp"

using namespace planmap;

namespace {

constexpr const char* kBom = "\xEF\xBB\xBF";

// Two parcels with a population, a park at the first one's centre, two zones (EPSG:4549 metres).
std::string small_city(const test::TempDir& tmp) {
    using layers::FieldType;
    auto crs = geo::Crs::from_epsg(4549);
    const double x0 = 620000, y0 = 3160000;
    layers::Layer res("residential", {{"population", FieldType::integer, ""}}, crs, "Polygon");
    res.add({-1, test::box(0, 0, 100, 100), {std::int64_t{100}}});
    res.add({-1, test::box(1000, 0, 1100, 100), {std::int64_t{300}}});
    layers::Layer fac("facilities", {{"name", FieldType::string, ""}}, crs, "Point");
    fac.add({-1, geo::make_point(x0 + 50, y0 + 50), {std::string("p")}});
    layers::Layer zones("zones", {{"name", FieldType::string, ""}}, crs, "Polygon");
    zones.add({-1, test::box(-10, -10, 500, 500), {std::string("west")}});
    zones.add({-1, test::box(500, -10, 1500, 500), {std::string("east")}});
    std::filesystem::create_directories(tmp / "in");
    auto path = (tmp / "in" / "city.gpkg").string();
    layers::write(std::vector<const layers::Layer*>{&res, &fac, &zones}, path);
    return path;
}

std::vector<std::string> coverage_args(const std::string& city, const std::filesystem::path& out) {
    return {"coverage", "--facilities", city + ":facilities", "--residential", city + ":residential", "--radius", "200",
            "--zones", city + ":zones", "--zone-field", "name", "-o", out.string()};
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::size_t columns(const std::string& header) { return static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1; }

}  // namespace

TEST(I18nCli, CoverageHelpIsChinese) {
    auto r = test::run({"--lang", "zh", "coverage", "--help"});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* words : {"居住用地的服务半径覆盖率", "居住用地地块", "所有设施统一的服务半径，单位 m", "规则配置",
                              "路网模式：", "CSV 文件表头的语言", "整体替换已存在且非空的输出文件夹", "选项"})
        EXPECT_NE(r.out.find(words), std::string::npos) << words << "\n" << r.out;
    // No English sentence left: three English words in a row only inside flags, names or values.
    const std::regex english(R"((^|[^-\w.:/'])[a-z]{2,} [a-z]{2,} [a-z]{2,}\b)");
    for (const auto& line : lines_of(r.out)) EXPECT_FALSE(std::regex_search(line, english)) << line;
    EXPECT_EQ(r.out.find("value in"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--engine 文本:{embedded,postgis}"), std::string::npos) << r.out;
    auto en = test::run({"--lang", "en", "coverage", "--help"});
    EXPECT_NE(en.out.find("residential parcels (居住用地): SRC[:layer], polygons"), std::string::npos) << en.out;
    EXPECT_NE(en.out.find("--csv-header"), std::string::npos);
}

TEST(I18nCli, EveryCommandHelpIsChinese) {
    for (std::vector<std::string> cmd : {std::vector<std::string>{"info"}, {"convert"}, {"build"}, {"lifecircle"}, {"site"},
                                         {"synth"}, {"network", "build"}, {"network", "export"}, {"isochrone"}, {"render"},
                                         {"atlas"}, {"db", "clean"}, {"assess"}}) {
        std::vector<std::string> args{"--lang", "zh"};
        args.insert(args.end(), cmd.begin(), cmd.end());
        args.push_back("--help");
        auto r = test::run(args);
        ASSERT_EQ(r.code, 0) << cmd[0] << ": " << r.err;
        const std::regex english(R"((^|[^-\w.:/'])[a-z]{2,} [a-z]{2,} [a-z]{2,}\b)");
        for (const auto& line : lines_of(r.out)) EXPECT_FALSE(std::regex_search(line, english)) << cmd[0] << ": " << line;
    }
    for (const char* cmd : {"lifecircle", "site", "assess"})
        EXPECT_NE(test::run({"--lang", "zh", cmd, "--help"}).out.find("--csv-header"), std::string::npos) << cmd;
}

TEST(I18nCli, CsvHeaderZhWritesBomAndChineseHeader) {
    test::TempDir tmp;
    auto city = small_city(tmp);
    auto en = test::run(coverage_args(city, tmp / "en"));
    ASSERT_EQ(en.code, 0) << en.err;
    auto args = coverage_args(city, tmp / "zh");
    args.insert(args.end(), {"--csv-header", "zh"});
    auto zh = test::run(args);
    ASSERT_EQ(zh.code, 0) << zh.err;

    const std::string en_csv = test::read_file(tmp / "en" / "coverage_zones.csv");
    const std::string zh_csv = test::read_file(tmp / "zh" / "coverage_zones.csv");
    EXPECT_NE(en_csv.rfind(kBom, 0), 0u) << "the default writes no BOM";
    EXPECT_EQ(en_csv.rfind("zone,parcels,residential_area_m2,covered_area_m2,coverage_ratio,", 0), 0u) << en_csv;
    ASSERT_EQ(zh_csv.rfind(kBom, 0), 0u) << "zh starts with the UTF-8 BOM";
    auto en_lines = lines_of(en_csv), zh_lines = lines_of(zh_csv.substr(3));
    ASSERT_EQ(en_lines.size(), zh_lines.size());
    ASSERT_GE(en_lines.size(), 4u);  // header, two zones, (all)
    EXPECT_EQ(columns(zh_lines[0]), columns(en_lines[0]));
    EXPECT_EQ(zh_lines[0].rfind("分区,地块数（个）,居住用地面积（m²）,覆盖面积（m²）,服务半径覆盖率（0–1）,", 0), 0u) << zh_lines[0];
    EXPECT_NE(zh_lines[0].find("人口覆盖率（0–1）"), std::string::npos) << zh_lines[0];
    for (std::size_t i = 1; i < en_lines.size(); ++i) EXPECT_EQ(zh_lines[i], en_lines[i]) << "data row " << i;

    // --csv-header en is the default, byte for byte.
    args = coverage_args(city, tmp / "en2");
    args.insert(args.end(), {"--csv-header", "en"});
    ASSERT_EQ(test::run(args).code, 0);
    EXPECT_EQ(test::read_file(tmp / "en2" / "coverage_zones.csv"), en_csv);
}

TEST(I18nCli, CsvHeaderRefusesOtherValues) {
    test::TempDir tmp;
    auto city = small_city(tmp);
    auto args = coverage_args(city, tmp / "out");
    args.insert(args.end(), {"--csv-header", "fr"});
    auto r = test::run(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--csv-header: must be en or zh, not 'fr'"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(tmp / "out"));
    args.insert(args.begin(), {"--lang", "zh"});
    r = test::run(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("planmap: --csv-header: 只能是 en 或 zh，不能是“fr”"), std::string::npos) << r.err;
}

TEST(I18nCli, CoreErrorInChinese) {
    test::TempDir tmp;
    auto city = small_city(tmp);
    std::filesystem::create_directories(tmp / "out");
    std::ofstream(tmp / "out" / "keep.txt") << "x";
    auto args = coverage_args(city, tmp / "out");
    args.insert(args.begin(), {"--lang", "zh"});
    auto r = test::run(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("已存在且不为空；请使用 --overwrite 整体替换它，或另选一个新文件夹"), std::string::npos) << r.err;
    // An output that is an input: the roles stay flags, the sentence is Chinese.
    r = test::run({"--lang", "zh", "convert", city, city});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("就是输入 SRC"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("；未写入任何文件"), std::string::npos) << r.err;
}

TEST(I18nCli, CoreWarningInChinese) {
    test::TempDir tmp;
    auto city = small_city(tmp);
    std::filesystem::create_directories(tmp / "runs" / ".planmap-tmp-abc123");
    auto args = coverage_args(city, tmp / "runs" / "out");
    args.insert(args.begin(), {"--lang", "zh"});
    auto r = test::run(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("planmap: 警告："), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("中有 1 个临时文件，是先前未完成的 planmap 运行留下的：.planmap-tmp-abc123（可以安全删除）"),
              std::string::npos)
        << r.err;
}

TEST(I18nCli, SummaryInChinese) {
    test::TempDir tmp;
    auto r = test::run({"--lang", "zh", "synth", "--parcels", "20", "-o", (tmp / "city.gpkg").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("合成城市（种子 1，EPSG:4549）->"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("生成用时"), std::string::npos) << r.out;
    auto i = test::run({"--lang", "zh", "info", (tmp / "city.gpkg").string()});
    ASSERT_EQ(i.code, 0) << i.err;
    EXPECT_NE(i.out.find("几何类型："), std::string::npos) << i.out;
    EXPECT_NE(i.out.find("无效几何：0 个"), std::string::npos) << i.out;
}
