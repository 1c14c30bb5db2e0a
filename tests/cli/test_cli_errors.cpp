// Damaged or wrong inputs: a one-line error naming the file, exit code 1, no output, inputs unchanged.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support.hpp"

using namespace planmap;
namespace fs = std::filesystem;

namespace {

// Copies the GBK shapefile set into dir (so it can be damaged there).
void copy_shapefile(const fs::path& from_dir, const fs::path& to_dir) {
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg"}) {
        fs::path p = from_dir / (std::string("taizhou_gbk") + ext);
        if (fs::exists(p)) fs::copy_file(p, to_dir / p.filename());
    }
}

void expect_clean_failure(const test::CliResult& r, const std::string& names, const fs::path& out_dir, int code = 1) {
    EXPECT_EQ(r.code, code) << r.err;
    EXPECT_NE(r.err.find(names), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(test::list_files(out_dir).empty()) << "output left behind";
}

}  // namespace

TEST(CliErrors, MissingShx) {
    const auto dir = ::planmap::test::fixture("gbk");
    test::TempDir in, out;
    copy_shapefile(dir, in.path());
    fs::remove(in / "taizhou_gbk.shx");
    auto before = test::fingerprint(in.path());
    auto r = test::run({"convert", (in / "taizhou_gbk.shp").string(), (out / "o.gpkg").string()});
    expect_clean_failure(r, "taizhou_gbk", out.path());
    EXPECT_EQ(test::fingerprint(in.path()), before);
}

TEST(CliErrors, TruncatedDbf) {
    const auto dir = ::planmap::test::fixture("gbk");
    test::TempDir in, out;
    copy_shapefile(dir, in.path());
    fs::resize_file(in / "taizhou_gbk.dbf", fs::file_size(in / "taizhou_gbk.dbf") / 2);
    auto before = test::fingerprint(in.path());
    auto r = test::run({"convert", (in / "taizhou_gbk.shp").string(), (out / "o.gpkg").string()});
    expect_clean_failure(r, "taizhou_gbk", out.path());
    EXPECT_EQ(test::fingerprint(in.path()), before);
}

TEST(CliErrors, UnknownCrs) {
    const auto json = ::planmap::test::fixture("boundaries/taizhou.geojson");
    test::TempDir out;
    auto r = test::run({"convert", json.string(), (out / "o.gpkg").string(), "--t-crs", "EPSG:12345678"});
    expect_clean_failure(r, "EPSG:12345678", out.path());
}

TEST(CliErrors, UnreadablePath) {
    test::TempDir out;
    auto r = test::run({"convert", "/nonexistent/file.shp", (out / "o.gpkg").string()});
    expect_clean_failure(r, "/nonexistent/file.shp", out.path());
    auto i = test::run({"info", "/nonexistent/file.shp"});
    EXPECT_EQ(i.code, 1);
    EXPECT_NE(i.err.find("/nonexistent/file.shp"), std::string::npos);
}

TEST(CliErrors, NotAVectorFile) {
    test::TempDir in, out;
    std::ofstream(in / "junk.geojson") << "{ this is not json";
    auto r = test::run({"convert", (in / "junk.geojson").string(), (out / "o.gpkg").string()});
    expect_clean_failure(r, "junk.geojson", out.path());
}

TEST(CliErrors, UnknownOutputFormatIsAUsageError) {
    const auto json = ::planmap::test::fixture("boundaries/taizhou.geojson");
    test::TempDir out;
    auto r = test::run({"convert", json.string(), (out / "o.xyz").string()});
    expect_clean_failure(r, "o.xyz", out.path(), 2);
}

TEST(CliErrors, ExistingOutputSurvivesAFailedConvert) {
    const auto json = ::planmap::test::fixture("boundaries/taizhou.geojson");
    test::TempDir out;
    std::ofstream(out / "o.gpkg") << "previous";
    auto r = test::run({"convert", json.string(), (out / "o.gpkg").string(), "--t-crs", "EPSG:12345678"});
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(test::read_file(out / "o.gpkg"), "previous");
    EXPECT_EQ(test::list_files(out.path()), std::vector<std::string>{"o.gpkg"});
}
