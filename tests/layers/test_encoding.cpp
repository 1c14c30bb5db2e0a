#include <gtest/gtest.h>

#include "layers/encoding.hpp"
#include "tests/support.hpp"

using namespace planmap::layers;

TEST(Encoding, NormalisesWhatCpgFilesSay) {
    EXPECT_EQ(normalise_encoding("GBK"), "CP936");
    EXPECT_EQ(normalise_encoding("936"), "CP936");
    EXPECT_EQ(normalise_encoding("utf8"), "UTF-8");
    EXPECT_EQ(normalise_encoding("UTF-8"), "UTF-8");
    EXPECT_EQ(normalise_encoding("GB18030"), "GB18030");
}

TEST(Encoding, Utf8Validity) {
    EXPECT_TRUE(is_valid_utf8("椒江区"));
    EXPECT_TRUE(is_valid_utf8("ascii"));
    EXPECT_FALSE(is_valid_utf8("\xBD\xB7\xBD\xAD\xC7\xF8"));  // 椒江区 in GBK
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));                  // overlong
}

TEST(Encoding, GbkPlausibility) {
    EXPECT_TRUE(plausible_gbk("\xBD\xB7\xBD\xAD\xC7\xF8"));   // 椒江区
    EXPECT_FALSE(plausible_gbk("\xE9\x20\xE8\x20\xFC"));      // Latin-1 accents: not decodable as GBK
}

TEST(Encoding, ShapefileEncodingFromCpgLdidAndDetection) {
    const auto with_cpg = ::planmap::test::fixture("gbk/taizhou_gbk.shp");
    auto a = shapefile_encoding(with_cpg.string(), std::nullopt);
    EXPECT_EQ(a.source, "cpg");
    EXPECT_TRUE(is_gbk_family(a.encoding)) << a.encoding;

    auto b = shapefile_encoding(planmap::test::fixture("gbk/ldid/taizhou_gbk.shp").string(), std::nullopt);
    EXPECT_EQ(b.source, "ldid");
    EXPECT_EQ(b.encoding, "CP936");

    auto c = shapefile_encoding(planmap::test::fixture("gbk/nocpg/taizhou_gbk.shp").string(), std::nullopt);
    EXPECT_EQ(c.source, "detected");
    EXPECT_TRUE(is_gbk_family(c.encoding)) << c.encoding;

    auto d = shapefile_encoding(with_cpg.string(), std::string("utf-8"));
    EXPECT_EQ(d.source, "option");
    EXPECT_EQ(d.encoding, "UTF-8");
}
