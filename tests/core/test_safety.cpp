// core's safety nets: CSV cells, outputs that would replace inputs, limits on hostile TOML,
// tolerant JSON, output folders written whole, temporaries removed on signals and named when stale.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json.hpp"
#include "core/paths.hpp"
#include "core/toml_read.hpp"

using namespace planmap;
namespace fs = std::filesystem;

namespace {

struct Scratch {
    fs::path dir;
    Scratch() {
        std::string t = (fs::temp_directory_path() / "planmap-safety-XXXXXX").string();
        dir = ::mkdtemp(t.data());
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    fs::path file(const std::string& name, const std::string& text = "x") const {
        std::ofstream(dir / name) << text;
        return dir / name;
    }
};

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

// ---- CSV ----

TEST(Csv, QuotesAsRfc4180) {
    EXPECT_EQ(core::csv_cell("plain"), "plain");
    EXPECT_EQ(core::csv_cell("a,b"), "\"a,b\"");
    EXPECT_EQ(core::csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(core::csv_cell("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(core::csv_cell("cr\rhere"), "\"cr\rhere\"");
    EXPECT_EQ(core::csv_cell(""), "");
    EXPECT_EQ(core::csv_cell("椒江区"), "椒江区");
}

TEST(Csv, NeutralisesFormulas) {
    EXPECT_EQ(core::csv_cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    EXPECT_EQ(core::csv_cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
    EXPECT_EQ(core::csv_cell("-2+3"), "'-2+3");
    EXPECT_EQ(core::csv_cell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(core::csv_cell("\t=1"), "'\t=1");
    EXPECT_EQ(core::csv_cell("\r=1"), "\"'\r=1\"");
    EXPECT_EQ(core::csv_cell("-"), "'-");
    EXPECT_EQ(core::csv_cell("-inf"), "'-inf");
}

TEST(Csv, KeepsNumbers) {
    for (const char* n : {"-12", "-12.5", "+3", "-0.000001", "1e-5", "-2.5E+10", "42", "-.5"}) EXPECT_EQ(core::csv_cell(n), n) << n;
    EXPECT_FALSE(core::is_plain_number("-"));
    EXPECT_FALSE(core::is_plain_number("-1e"));
    EXPECT_FALSE(core::is_plain_number("- 1"));
    EXPECT_FALSE(core::is_plain_number("1,5"));
}

TEST(Csv, RowsHaveNoLengthLimit) {
    std::string long_text(5000, 'x');
    std::string row = core::csv_row({"a", long_text + ",\"", "-1.5", "=1+1"});
    EXPECT_EQ(row, "a,\"" + long_text + ",\"\"\",-1.5,'=1+1\n");
}

// ---- Outputs never replace inputs ----

TEST(CheckOutputs, SameFileIsRefusedNamingBoth) {
    Scratch s;
    auto b = s.file("b.gpkg");
    std::string m = message_of([&] { core::check_outputs({{"SRC", b.string()}}, {{"DST", b.string()}}); });
    EXPECT_NE(m.find("DST '" + b.string() + "'"), std::string::npos) << m;
    EXPECT_NE(m.find("SRC '" + b.string() + "'"), std::string::npos) << m;
    EXPECT_THROW(core::check_outputs({{"SRC", b.string()}}, {{"DST", b.string()}}), usage_error);
}

TEST(CheckOutputs, LayerSuffixLinksAndRelativePaths) {
    Scratch s;
    auto n = s.file("n.gpkg");
    EXPECT_THROW(core::check_outputs({{"--network", n.string() + ":streets"}}, {{"-o", n.string()}}), usage_error);
    auto plain = s.file("data");  // a file without extension, read as data:layer
    EXPECT_THROW(core::check_outputs({{"SRC", plain.string() + ":zones"}}, {{"DST", plain.string()}}), usage_error);
    fs::create_symlink(n, s.dir / "link.gpkg");
    EXPECT_THROW(core::check_outputs({{"--network", n.string()}}, {{"-o", (s.dir / "link.gpkg").string()}}), usage_error);
    fs::create_hard_link(n, s.dir / "hard.gpkg");
    EXPECT_THROW(core::check_outputs({{"--network", n.string()}}, {{"-o", (s.dir / "hard.gpkg").string()}}), usage_error);
    EXPECT_THROW(core::check_outputs({{"SRC", n.string()}}, {{"DST", (s.dir / "x" / ".." / "n.gpkg").string()}}), usage_error);
    // Different files, connection strings, coordinates, stdout: fine.
    EXPECT_NO_THROW(core::check_outputs({{"SRC", n.string()}, {"--db", "PG:dbname=x"}, {"--from", "121.4,28.6"}},
                                        {{"DST", (s.dir / "o.gpkg").string()}, {"--json", "-"}, {"--json2", ""}}));
}

TEST(CheckOutputs, OutputFolders) {
    Scratch s;
    fs::create_directories(s.dir / "run");
    auto in = s.file("run/coverage.gpkg");
    auto res = s.file("res.geojson");
    core::NamedPath folder{"-o", (s.dir / "run").string(), true, {"coverage.gpkg", "coverage_zones.csv"}};
    std::string m = message_of([&] { core::check_outputs({{"--residential", in.string()}}, {folder}); });
    EXPECT_NE(m.find("-o '"), std::string::npos) << m;
    EXPECT_NE(m.find("--residential '"), std::string::npos) << m;
    // An output that is one of the files the folder holds; another file inside it is fine.
    EXPECT_THROW(core::check_outputs({{"--residential", res.string()}}, {folder, {"--json", (s.dir / "run/coverage_zones.csv").string()}}),
                 usage_error);
    EXPECT_NO_THROW(core::check_outputs({{"--residential", res.string()}}, {folder, {"--html", (s.dir / "run/report.html").string()}}));
    // Two outputs the same.
    EXPECT_THROW(core::check_outputs({}, {{"--json", (s.dir / "a").string()}, {"--html", (s.dir / "a").string()}}), usage_error);
    // A file of an input folder.
    fs::create_directories(s.dir / "shp");
    auto a = s.file("shp/a.shp");
    EXPECT_THROW(core::check_outputs({{"SRC", (s.dir / "shp").string()}}, {{"DST", a.string()}}), usage_error);
    EXPECT_NO_THROW(core::check_outputs({{"SRC", (s.dir / "shp").string()}}, {{"DST", (s.dir / "shp/new.gpkg").string()}}));
}

// ---- Output folders ----

TEST(OutputFolder, RefusesANonEmptyFolderWithoutOverwrite) {
    Scratch s;
    fs::create_directories(s.dir / "run");
    s.file("run/old.csv");
    EXPECT_THROW(core::OutputFolder((s.dir / "run"), false), usage_error);
    EXPECT_TRUE(fs::exists(s.dir / "run/old.csv"));
}

TEST(OutputFolder, ReplacesAsAWhole) {
    Scratch s;
    fs::create_directories(s.dir / "run");
    s.file("run/old.csv");
    {
        core::OutputFolder out(s.dir / "run/", true);
        std::ofstream(out.path() / "new.csv") << "n";
        EXPECT_TRUE(fs::exists(s.dir / "run/old.csv"));  // untouched until commit
        out.commit();
    }
    EXPECT_FALSE(fs::exists(s.dir / "run/old.csv"));
    EXPECT_TRUE(fs::exists(s.dir / "run/new.csv"));
    EXPECT_TRUE(core::stale_temporaries(s.dir).empty());
    int entries = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(s.dir)) ++entries;
    EXPECT_EQ(entries, 1);  // only run/: no temporary folder left
}

TEST(OutputFolder, NewFolderAndFailure) {
    Scratch s;
    {
        core::OutputFolder out(s.dir / "a" / "run", false);
        std::ofstream(out.path() / "x") << "x";
        out.commit();
    }
    EXPECT_TRUE(fs::exists(s.dir / "a/run/x"));
    EXPECT_EQ(fs::status(s.dir / "a/run").permissions() & fs::perms::others_read, fs::perms::others_read);
    {
        core::OutputFolder out(s.dir / "b", false);
        std::ofstream(out.path() / "x") << "x";
    }  // never committed
    EXPECT_FALSE(fs::exists(s.dir / "b"));
    int entries = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(s.dir)) ++entries;
    EXPECT_EQ(entries, 1);
}

// ---- Temporaries ----

TEST(Temporaries, RemovedOnSignals) {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        Scratch s;
        pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            core::AtomicFile f(s.dir / "out.gpkg");
            { std::ofstream(f.path()) << "partial"; }
            core::TempDir d(s.dir);
            fs::create_directories(d.path() / "sub" / "deeper");
            for (int i = 0; i < 300; ++i) std::ofstream(d.path() / "sub" / ("f" + std::to_string(i))) << i;
            std::ofstream(d.path() / "sub" / "deeper" / "g") << "g";
            ::kill(::getpid(), sig);
            ::pause();
            std::_Exit(0);
        }
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        EXPECT_TRUE(WIFSIGNALED(status)) << "the signal's default action ends the process";
        if (WIFSIGNALED(status)) {
            EXPECT_EQ(WTERMSIG(status), sig);
        }
        std::vector<std::string> left;
        for (auto& e : fs::directory_iterator(s.dir)) left.push_back(e.path().filename().string());
        EXPECT_TRUE(left.empty()) << "signal " << sig << " left " << (left.empty() ? "" : left.front());
    }
}

TEST(Temporaries, StaleOnesAreNamedLiveOnesAreNot) {
    Scratch s;
    s.file(".out.gpkg.tmp-Ab12Cd");
    fs::create_directories(s.dir / ".planmap-tmp-Zz9yY8");
    s.file("regular.gpkg");
    core::AtomicFile live(s.dir / "other.gpkg");
    core::TempDir live_dir(s.dir);
    auto stale = core::stale_temporaries(s.dir);
    ASSERT_EQ(stale.size(), 2u);
    EXPECT_EQ(stale[0].filename(), ".out.gpkg.tmp-Ab12Cd");
    EXPECT_EQ(stale[1].filename(), ".planmap-tmp-Zz9yY8");
}

TEST(Temporaries, WarningNamesThem) {
    Scratch s;
    s.file(".out.gpkg.tmp-Ab12Cd");
    std::vector<std::string> warnings;
    auto previous = core::set_warning_sink([&](const std::string& w) { warnings.push_back(w); });
    core::write_file_atomically((s.dir / "out.gpkg").string(), "new");
    core::write_file_atomically((s.dir / "out2.gpkg").string(), "new");  // once per folder
    core::set_warning_sink(previous);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find(".out.gpkg.tmp-Ab12Cd"), std::string::npos) << warnings[0];
}

TEST(Temporaries, PlantedLinkIsNotFollowed) {
    Scratch s;
    auto victim = s.file("victim.txt", "keep");
    // Whatever the temporary's name, creation is exclusive: write and check the victim is intact.
    core::write_file_atomically((s.dir / "out.txt").string(), "new");
    std::ifstream in(victim);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(text, "keep");
}

// ---- TOML limits ----

TEST(TomlLimits, DeepDottedKeysAreAFileErrorNotACrash) {
    std::string key = "a";
    for (int i = 0; i < 40000; ++i) key += ".a";
    std::string text = "title = \"x\"\n\n" + key + " = 1\n";
    std::string m = message_of([&] { core::parse_toml_text(text, "map.toml"); });
    EXPECT_NE(m.find("map.toml:3:"), std::string::npos) << m.substr(0, 200);
    EXPECT_NE(m.find("nested"), std::string::npos) << m.substr(0, 200);
}

TEST(TomlLimits, DeepHeadersArraysAndInlineTables) {
    std::string header = "[[a";
    for (int i = 0; i < 100; ++i) header += ".b";
    EXPECT_THROW(core::parse_toml_text(header + "]]\nx = 1\n", "p.toml"), file_error);
    EXPECT_THROW(core::parse_toml_text("x = " + std::string(20000, '[') + std::string(20000, ']') + "\n", "p.toml"), file_error);
    std::string inl = "x = ";
    for (int i = 0; i < 20000; ++i) inl += "{a = ";
    inl += "1" + std::string(20000, '}') + "\n";
    EXPECT_THROW(core::parse_toml_text(inl, "p.toml"), file_error);
    // Depth adds up: headers, dotted keys and inline tables.
    std::string mixed = "[a.b.c.d.e.f.g.h.i.j]\n";
    std::string k = "k";
    for (int i = 0; i < 40; ++i) k += ".k";
    mixed += k + " = { " + k + " = 1 }\n";
    EXPECT_THROW(core::parse_toml_text(mixed, "p.toml"), file_error);
}

TEST(TomlLimits, OrdinaryFilesPass) {
    const char* text = R"(# a comment with [[brackets]] and a.b.c.d dots
title = "测试 [not a header] a.b.c"
"quoted.key.with.dots" = 'literal [ { '
multi = """
many [[[[ {{{{ dots . . . .
"""
lit = '''x''' 
pt = [121.4, 28.6]
nested = [[1, 2], [3, [4, 5]]]
inline = { a = { b = { c = 1 } }, d.e = 2, f = [ { g = 1 }, {} ] }
date = 1979-05-27T07:32:00Z

[[layer]]
name = "g"
fill = { color = "#ff0000", opacity = 0.5 }

[a.b.c]
x.y.z = 1.5
)";
    auto t = core::parse_toml_text(text, "ok.toml");
    EXPECT_EQ(t["layer"][0]["name"].value_or(std::string()), "g");
    EXPECT_EQ(t["a"]["b"]["c"]["x"]["y"]["z"].value_or(0.0), 1.5);
    EXPECT_EQ(t["inline"]["a"]["b"]["c"].value_or(0), 1);
}

TEST(TomlLimits, EveryShippedTomlFilePasses) {
    int files = 0;
    for (const char* dir : {"profiles", "styles", "plans", "data", "docs", "fuzz/corpus/map", "fuzz/corpus/plan", "fuzz/corpus/style"}) {
        fs::path root = fs::path(PLANMAP_SOURCE_DIR) / dir;
        if (!fs::exists(root)) continue;
        for (const auto& e : fs::recursive_directory_iterator(root)) {
            if (e.path().extension() != ".toml" || e.path().filename() == "deep_nesting.toml") continue;
            ++files;
            EXPECT_NO_THROW(core::parse_toml_text(core::read_text_file(e.path().string(), "file"), e.path().string())) << e.path();
        }
    }
    EXPECT_GT(files, 10);
}

TEST(TomlLimits, SizeAndStringCaps) {
    EXPECT_THROW(core::parse_toml_text(std::string(core::kMaxTomlBytes + 1, '#'), "big.toml"), file_error);
    std::string huge(1 << 20, 'x');
    std::string m = message_of([&] { core::parse_toml_text("name = \"" + huge + "\"\n", "p.toml"); });
    EXPECT_NE(m.find("p.toml:1:"), std::string::npos) << m.substr(0, 200);
    std::string label(201, 'y');
    m = message_of([&] { core::parse_toml_text("x = 1\n[[facility]]\nname_zh = \"" + label + "\"\n", "p.toml"); });
    EXPECT_NE(m.find("p.toml:3:"), std::string::npos) << m;
    EXPECT_NE(m.find("name_zh"), std::string::npos) << m;
    // 200 characters of Chinese (600 bytes) are fine for a label.
    std::string zh;
    for (int i = 0; i < 200; ++i) zh += "区";
    EXPECT_NO_THROW(core::parse_toml_text("name = \"" + zh + "\"\n", "p.toml"));
    EXPECT_NO_THROW(core::parse_toml_text("note = \"" + std::string(5000, 'n') + "\"\n", "p.toml"));
}

// ---- JSON ----

TEST(Json, InvalidUtf8IsReplacedNotThrown) {
    nlohmann::json j = {{"zone", std::string("bad \xff\xfe name")}};
    std::string text;
    EXPECT_NO_THROW(text = core::json_text(j, 2));
    EXPECT_NE(text.find("bad \xef\xbf\xbd"), std::string::npos) << text;
    EXPECT_NO_THROW(nlohmann::json::parse(text));
}

}  // namespace
