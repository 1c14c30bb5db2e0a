#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "layers/encoding.hpp"
#include "layers/io.hpp"
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

namespace {

namespace fs = std::filesystem;

// A minimal dBASE III file: one character field named by raw bytes, one record per row; `ldid`
// is the code-page byte.
void write_dbf(const fs::path& path, const std::string& field, const std::vector<std::string>& rows, unsigned char ldid = 0) {
    const std::size_t width = 20, header_len = 32 + 32 + 1, rec_len = 1 + width;
    std::string out(32, '\0');
    out[0] = 3;
    for (int k = 0; k < 4; ++k) out[4 + k] = static_cast<char>((rows.size() >> (8 * k)) & 0xFF);
    out[8] = static_cast<char>(header_len & 0xFF);
    out[10] = static_cast<char>(rec_len);
    out[29] = static_cast<char>(ldid);
    std::string desc(32, '\0');
    desc.replace(0, std::min<std::size_t>(field.size(), 10), field.substr(0, 10));
    desc[11] = 'C';
    desc[16] = static_cast<char>(width);
    out += desc + "\x0d";
    for (const auto& r : rows) out += " " + (r + std::string(width, ' ')).substr(0, width);
    out += "\x1a";
    std::ofstream(path, std::ios::binary) << out;
}

const std::string kGbkName = "\xC3\xFB\xB3\xC6";                   // 名称 in GBK
const std::vector<std::string> kGbkRows = {"\xBD\xB7\xBD\xAD\xC7\xF8", "\xC2\xB7\xC7\xC5\xC7\xF8", "\xBB\xC6\xD1\xD2\xC7\xF8"};
const std::vector<std::string> kUtf8Rows = {"椒江区", "路桥区", "黄岩区"};

}  // namespace

TEST(Encoding, Utf8ValidityRejectsSurrogatesAndBeyondUnicode) {
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // a UTF-16 surrogate
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
    EXPECT_FALSE(is_valid_utf8("\xE6\xA4"));          // cut short
    EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x97\xBA"));   // 🗺
}

TEST(Encoding, InvalidBytesAreEscapedValidTextKept) {
    EXPECT_EQ(escape_invalid_utf8("Caf\xE9"), "Caf\\xE9");
    EXPECT_EQ(escape_invalid_utf8("椒\xFF江"), "椒\\xFF江");
    EXPECT_EQ(escape_invalid_utf8("椒江区"), "椒江区");
    EXPECT_EQ(escape_invalid_utf8("\xE6\xA4"), "\\xE6\\xA4");
    EXPECT_TRUE(is_valid_utf8(escape_invalid_utf8("\xC3\xFB\xB3\xC6\xFF")));
}

TEST(Encoding, DecoderDecodesAndEscapesWhatItCannot) {
    TextDecoder gbk("GBK");
    std::string a = kGbkRows[0], b = "\xBD\xB7\xFF", c = "ascii";
    gbk.decode(a);
    gbk.decode(b);
    gbk.decode(c);
    EXPECT_EQ(a, "椒江区");
    EXPECT_EQ(b, "椒\\xFF");
    EXPECT_EQ(c, "ascii");
    EXPECT_EQ(gbk.escaped_texts(), 1u);

    TextDecoder utf8("utf8");
    std::string d = kGbkRows[0], e = "路桥区";
    utf8.decode(d);
    utf8.decode(e);
    EXPECT_EQ(d, "\\xBD\\xB7\\xBD\\xAD\\xC7\\xF8");
    EXPECT_EQ(e, "路桥区");
    EXPECT_EQ(utf8.escaped_texts(), 1u);
    EXPECT_THROW(TextDecoder("NO-SUCH-ENCODING"), planmap::io_error);
}

TEST(Encoding, ContradictedDeclarations) {
    std::vector<std::string> gbk = {kGbkName, kGbkRows[0], kGbkRows[1]};
    std::vector<std::string> utf8 = {"名称", kUtf8Rows[0], kUtf8Rows[1]};
    EXPECT_EQ(contradicted_encoding("UTF-8", gbk), "CP936");
    EXPECT_EQ(contradicted_encoding("936", utf8), "UTF-8");
    EXPECT_EQ(contradicted_encoding("GB18030", utf8), "UTF-8");
    EXPECT_EQ(contradicted_encoding("UTF-8", utf8), std::nullopt);
    EXPECT_EQ(contradicted_encoding("GBK", gbk), std::nullopt);
    EXPECT_EQ(contradicted_encoding("UTF-8", {"id", "name", "ascii only"}), std::nullopt);
    // Latin-1: "na\xEFve" happens to decode as GBK, "Caf\xE9" does not; GBK explains no majority.
    EXPECT_EQ(contradicted_encoding("UTF-8", {"Caf\xE9\n", "na\xEFve\n"}), std::nullopt);
    // The majority decides; the minority is left to the mixed-encoding warning.
    EXPECT_EQ(contradicted_encoding("UTF-8", {kGbkRows[0], kGbkRows[1], kUtf8Rows[2]}), "CP936");
    EXPECT_EQ(contradicted_encoding("UTF-8", {kGbkRows[0], kUtf8Rows[1], kUtf8Rows[2]}), std::nullopt);
}

TEST(Encoding, CpgContradictedByTheBytesGivesWayWithAWarning) {
    planmap::test::TempDir dir;
    auto shp = (dir / "a.shp").string();
    write_dbf(dir / "a.dbf", kGbkName, kGbkRows, 0x4D);
    std::ofstream(dir / "a.cpg") << "UTF-8\n";
    auto c = shapefile_encoding(shp, std::nullopt);
    EXPECT_EQ(c.encoding, "CP936");
    EXPECT_EQ(c.source, "detected");
    EXPECT_EQ(c.warning, "'" + (dir / "a.dbf").string() + "': .cpg says UTF-8 but the bytes are GBK; read as GBK");
    EXPECT_TRUE(c.mixed_records.empty());
    // An explicit encoding still wins, without a warning.
    auto forced = shapefile_encoding(shp, std::string("UTF-8"));
    EXPECT_EQ(forced.encoding, "UTF-8");
    EXPECT_EQ(forced.source, "option");
    EXPECT_EQ(forced.warning, "");

    write_dbf(dir / "a.dbf", "名称", kUtf8Rows);
    std::ofstream(dir / "a.cpg") << "936\n";
    auto r = shapefile_encoding(shp, std::nullopt);
    EXPECT_EQ(r.encoding, "UTF-8");
    EXPECT_NE(r.warning.find("a.dbf': .cpg says 936 but the bytes are UTF-8; read as UTF-8"), std::string::npos) << r.warning;

    // The code-page byte contradicted.
    fs::remove(dir / "a.cpg");
    write_dbf(dir / "a.dbf", "NAME", kUtf8Rows, 0x4D);
    auto l = shapefile_encoding(shp, std::nullopt);
    EXPECT_EQ(l.encoding, "UTF-8");
    EXPECT_NE(l.warning.find("its code-page byte (LDID 0x4D) says CP936 but the bytes are UTF-8"), std::string::npos) << l.warning;

    // A .cpg the bytes agree with: no warning.
    write_dbf(dir / "a.dbf", "NAME", kGbkRows);
    std::ofstream(dir / "a.cpg") << "GBK\n";
    auto ok = shapefile_encoding(shp, std::nullopt);
    EXPECT_EQ(ok.source, "cpg");
    EXPECT_EQ(ok.warning, "");
}

TEST(Encoding, GbkFieldNamesAloneAreDetected) {
    planmap::test::TempDir dir;
    write_dbf(dir / "a.dbf", kGbkName, {"JJ", "LQ", "HY"});
    auto c = shapefile_encoding((dir / "a.shp").string(), std::nullopt);
    EXPECT_EQ(c.encoding, "CP936");
    EXPECT_EQ(c.source, "detected");
    auto texts = dbf_texts((dir / "a.dbf").string());
    ASSERT_EQ(texts.field_names.size(), 1u);
    EXPECT_EQ(texts.field_names[0], kGbkName);
    EXPECT_EQ(texts.records.size(), 3u);
}

namespace {

// A three-point shapefile whose .dbf is then replaced by one of raw bytes, with this .cpg.
std::string shapefile_with(const planmap::test::TempDir& dir, const std::string& field, const std::vector<std::string>& rows,
                           const std::string& cpg) {
    Layer l("a", {{"NAME", FieldType::string, ""}}, planmap::geo::Crs::cgcs2000(), "Point");
    for (int i = 0; i < 3; ++i) {
        Feature f;
        f.geometry = planmap::geo::make_point(121.4 + 0.01 * i, 28.6);
        l.add(std::move(f));
    }
    auto shp = (dir / "a.shp").string();
    write(l, shp);
    write_dbf(dir / "a.dbf", field, rows);
    std::ofstream(dir / "a.cpg") << cpg << "\n";
    return shp;
}

bool has_warning(const Layer& l, const std::string& text) {
    for (const auto& w : l.warnings)
        if (w.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST(Encoding, ReadingGbkUnderAUtf8CpgDecodesNamesAndValues) {
    planmap::test::TempDir dir;
    auto shp = shapefile_with(dir, kGbkName, kGbkRows, "UTF-8");
    Layer l = read_layer(shp);
    ASSERT_EQ(l.fields().size(), 1u);
    EXPECT_EQ(l.fields()[0].name, "名称");
    EXPECT_EQ(value_to_string(l.value(0, "名称")), "椒江区");
    EXPECT_EQ(value_to_string(l.value(2, "名称")), "黄岩区");
    EXPECT_EQ(l.encoding, "CP936");
    EXPECT_EQ(l.escaped_texts, 0u);
    EXPECT_TRUE(has_warning(l, "a.dbf': .cpg says UTF-8 but the bytes are GBK; read as GBK"));

    // Forced to UTF-8, the same bytes are kept escaped and flagged, never passed on raw.
    ReadOptions forced;
    forced.encoding = "UTF-8";
    Layer f = read_layer(shp, forced);
    EXPECT_EQ(f.fields()[0].name, "\\xC3\\xFB\\xB3\\xC6");
    EXPECT_EQ(f.escaped_texts, 4u);
    EXPECT_TRUE(has_warning(f, "4 text(s) not valid UTF-8 (first: a field name)"));
    EXPECT_FALSE(has_warning(f, ".cpg says"));
}

TEST(Encoding, ReadingUtf8UnderAGbkCpg) {
    planmap::test::TempDir dir;
    Layer l = read_layer(shapefile_with(dir, "名称", kUtf8Rows, "936"));
    EXPECT_EQ(l.fields()[0].name, "名称");
    EXPECT_EQ(value_to_string(l.value(1, "名称")), "路桥区");
    EXPECT_EQ(l.encoding, "UTF-8");
    EXPECT_TRUE(has_warning(l, ".cpg says 936 but the bytes are UTF-8; read as UTF-8"));
}

TEST(Encoding, UndecodableBytesAreEscapedAndCounted) {
    planmap::test::TempDir dir;
    Layer l = read_layer(shapefile_with(dir, "NOM\xC9", {"Caf\xE9", "plain", "na\xEFve"}, "UTF-8"));
    EXPECT_EQ(l.encoding, "UTF-8");  // Latin-1 bytes: nothing GBK or UTF-8 to switch to
    EXPECT_EQ(l.fields()[0].name, "NOM\\xC9");
    EXPECT_EQ(value_to_string(l.value(0, "NOM\\xC9")), "Caf\\xE9");
    EXPECT_EQ(value_to_string(l.value(1, "NOM\\xC9")), "plain");
    EXPECT_EQ(l.escaped_texts, 3u);
    EXPECT_TRUE(has_warning(l, "3 text(s) not valid UTF-8 (first: a field name)"));
}
