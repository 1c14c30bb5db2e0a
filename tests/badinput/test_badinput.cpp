// Runs every case of cases.toml through the CLI: exit code, messages, no partial output, inputs
// unchanged. One ctest entry per case.
#include <gtest/gtest.h>

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "tests/support.hpp"

using namespace planmap;
namespace fs = std::filesystem;

namespace {

struct Case {
    std::string name, input;
    std::vector<std::string> args;
    int exit = 0;
    std::vector<std::string> out_contains, err_contains, outputs;
    std::string output_file;
    std::vector<std::string> output_texts;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

fs::path corpus_dir() { return test::project_root() / "tests" / "badinput"; }

std::vector<std::string> strings(const toml::node_view<const toml::node>& n) {
    std::vector<std::string> out;
    if (auto* arr = n.as_array())
        for (const auto& e : *arr) out.push_back(e.value_or(std::string()));
    return out;
}

std::vector<Case> load_cases() {
    std::vector<Case> out;
    toml::table t = toml::parse_file((corpus_dir() / "cases.toml").string());
    for (const auto& node : *t["case"].as_array()) {
        const auto& c = *node.as_table();
        Case k;
        k.name = c["name"].value_or(std::string());
        k.input = c["input"].value_or(std::string());
        k.args = strings(c["args"]);
        k.exit = c["exit"].value_or(0);
        k.out_contains = strings(c["out_contains"]);
        k.err_contains = strings(c["err_contains"]);
        k.outputs = strings(c["outputs"]);
        k.output_file = c["output_contains"]["file"].value_or(std::string());
        k.output_texts = strings(c["output_contains"]["text"]);
        out.push_back(std::move(k));
    }
    return out;
}

void copy_tree(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    fs::copy(from, to, fs::copy_options::recursive);
}

class BadInput : public ::testing::TestWithParam<Case> {};

TEST_P(BadInput, BehavesAsDocumented) {
    const Case& c = GetParam();
    test::TempDir in_root, out;
    fs::path in = in_root / c.input;
    copy_tree(corpus_dir() / "files" / c.input, in);
    auto before = test::fingerprint(in);
    std::vector<std::string> args;
    for (auto a : c.args) {
        a = std::regex_replace(a, std::regex("\\{IN\\}"), in.string());
        a = std::regex_replace(a, std::regex("\\{OUT\\}"), out.path().string());
        args.push_back(a);
    }
    auto r = test::run(args);
    EXPECT_EQ(r.code, c.exit) << "stdout:\n" << r.out << "stderr:\n" << r.err;
    for (const auto& s : c.out_contains) EXPECT_NE(r.out.find(s), std::string::npos) << "stdout lacks '" << s << "':\n" << r.out;
    for (const auto& s : c.err_contains) EXPECT_NE(r.err.find(s), std::string::npos) << "stderr lacks '" << s << "':\n" << r.err;
    if (c.exit != 0) {
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "not a one-line error:\n" << r.err;
        EXPECT_TRUE(test::list_files(out.path()).empty()) << "partial output left behind";
    } else {
        EXPECT_EQ(test::list_files(out.path()), c.outputs);
    }
    if (!c.output_file.empty()) {
        std::string text = test::read_file(out / c.output_file);
        for (const auto& s : c.output_texts) EXPECT_NE(text.find(s), std::string::npos) << c.output_file << " lacks " << s;
    }
    EXPECT_EQ(test::fingerprint(in), before) << "input modified";
    EXPECT_TRUE(test::list_files(in_root.path()) == test::list_files(in_root.path()));
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<Case>& c) { return c.param.name; });

// A full disk: the real binary under a file-size limit must fail cleanly, leaving nothing.
TEST(Limits, FileSizeLimitFailsCleanly) {
    test::TempDir in, out;
    {
        std::ofstream f(in / "big.csv");
        f << "id,name,WKT\n";
        for (int i = 0; i < 20000; ++i)
            f << i << ",parcel " << i << ",\"POLYGON((" << i << " 0," << i + 1 << " 0," << i + 1 << " 1," << i << " 1," << i
              << " 0))\"\n";
    }
    std::string cmd = "bash -c \"trap '' XFSZ; ulimit -f 256; '" + std::string(PLANMAP_BINARY) + "' convert '" +
                      (in / "big.csv").string() + "' '" + (out / "o.gpkg").string() + "' --s-crs EPSG:4549 2>'" +
                      (in / "err.txt").string() + "' >/dev/null\"";
    int status = std::system(cmd.c_str());
    ASSERT_NE(status, -1);
    EXPECT_TRUE(WIFEXITED(status)) << "killed by a signal";
    EXPECT_EQ(WEXITSTATUS(status), 1);
    std::string err = test::read_file(in / "err.txt");
    EXPECT_NE(err.find("o.gpkg"), std::string::npos) << err;
    EXPECT_TRUE(test::list_files(out.path()).empty()) << "partial output left behind";
}

// A polygon with a million vertices goes through convert (no recursion limits, no quadratic steps).
TEST(Limits, MillionVertexPolygon) {
    test::TempDir in, out;
    {
        std::ofstream f(in / "ring.geojson");
        f << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":1},)"
          << R"("geometry":{"type":"Polygon","coordinates":[[)";
        const int n = 1000000;
        for (int i = 0; i <= n; ++i) {
            double a = 2 * M_PI * (i % n) / n;
            f << (i ? "," : "") << "[" << 1000 * std::cos(a) << "," << 1000 * std::sin(a) << "]";
        }
        f << "]]}}]}\n";
    }
    auto r = test::run({"convert", (in / "ring.geojson").string(), (out / "o.gpkg").string(), "--s-crs", "EPSG:4549"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(test::list_files(out.path()), std::vector<std::string>{"o.gpkg"});
}

}  // namespace
