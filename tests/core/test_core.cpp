// The core module on its own: atomic output (content written, nothing left behind without a
// commit, planted links never followed, the target replaced only on commit, a missing folder
// named), the temporary folder, fixed-decimals text, and the checked TOML reader.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "core/toml_read.hpp"

using namespace planmap;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void put(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

// Every entry of a folder (not following links), sorted.
std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// A fresh folder for one test (core::TempDir itself is tested below).
struct Scratch {
    core::TempDir dir{fs::temp_directory_path()};
    fs::path operator/(const std::string& name) const { return dir.path() / name; }
};

}  // namespace

TEST(AtomicFile, WritesTheContent) {
    Scratch s;
    const std::string bytes = std::string("line 1\n\0binary\xff", 15) + std::string(100000, 'x');
    core::write_file_atomically((s / "out.txt").string(), bytes);
    EXPECT_EQ(slurp(s / "out.txt"), bytes);
    EXPECT_EQ(entries(s.dir.path()), std::vector<std::string>{"out.txt"});  // no temporary file left
    // Writing again replaces the content whole.
    core::write_file_atomically((s / "out.txt").string(), "short");
    EXPECT_EQ(slurp(s / "out.txt"), "short");
    EXPECT_EQ(entries(s.dir.path()), std::vector<std::string>{"out.txt"});
}

TEST(AtomicFile, TargetReplacedOnlyOnCommit) {
    Scratch s;
    put(s / "t.csv", "old");
    {
        core::AtomicFile f(s / "t.csv");
        EXPECT_EQ(f.target(), s / "t.csv");
        EXPECT_EQ(f.path().parent_path(), s.dir.path());  // beside the target: the rename stays on one file system
        EXPECT_NE(f.path(), f.target());
        put(f.path(), "new");
        EXPECT_EQ(slurp(s / "t.csv"), "old") << "target changed before commit";
        f.commit();
        EXPECT_EQ(slurp(s / "t.csv"), "new");
        EXPECT_FALSE(fs::exists(f.path()));
    }
    EXPECT_EQ(slurp(s / "t.csv"), "new");  // the destructor of a committed file removes nothing
    EXPECT_EQ(entries(s.dir.path()), std::vector<std::string>{"t.csv"});
}

TEST(AtomicFile, NothingLeftBehindWithoutCommit) {
    Scratch s;
    put(s / "kept.txt", "before");
    fs::path tmp;
    {
        core::AtomicFile fresh(s / "fresh.txt");
        core::AtomicFile kept(s / "kept.txt");
        put(fresh.path(), "half");
        put(kept.path(), "half");
        tmp = fresh.path();
        EXPECT_TRUE(fs::exists(tmp));
        EXPECT_EQ(entries(s.dir.path()).size(), 3u);  // the two temporary files and kept.txt
    }
    EXPECT_FALSE(fs::exists(tmp));
    EXPECT_FALSE(fs::exists(s / "fresh.txt"));
    EXPECT_EQ(slurp(s / "kept.txt"), "before");
    EXPECT_EQ(entries(s.dir.path()), std::vector<std::string>{"kept.txt"});
    // A failure between creation and commit (an exception) leaves nothing either.
    try {
        core::AtomicFile f(s / "kept.txt");
        put(f.path(), "partial");
        throw std::runtime_error("stopped half-way");
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(slurp(s / "kept.txt"), "before");
    EXPECT_EQ(entries(s.dir.path()), std::vector<std::string>{"kept.txt"});
}

TEST(AtomicFile, FailedCommitNamesTheTargetAndLeavesNothing) {
    Scratch s;
    fs::create_directories(s / "busy" / "inside");  // a non-empty folder where the file should go
    try {
        core::write_file_atomically((s / "busy").string(), "data");
        ADD_FAILURE() << "no error";
    } catch (const io_error& e) {
        EXPECT_NE(std::string(e.what()).find((s / "busy").string()), std::string::npos) << e.what();
    }
    EXPECT_EQ(entries(s.dir.path()), std::vector<std::string>{"busy"});
    EXPECT_EQ(entries(s / "busy"), std::vector<std::string>{"inside"});
}

TEST(AtomicFile, PlantedLinksAtGuessableNamesAreNeverFollowed) {
    Scratch s;
    fs::create_directories(s / "out");
    put(s / "victim", "precious");
    const fs::path target = s / "out" / "report.json";
    const std::string pid = std::to_string(::getpid());
    // The names a writer using "<target>.tmp<pid>" or ".<name>.tmp<pid>" would open, and a few more.
    const std::vector<fs::path> planted = {
        fs::path(target.string() + ".tmp" + pid), s / "out" / (".report.json.tmp" + pid), fs::path(target.string() + ".tmp"),
        s / "out" / ".report.json.tmp", fs::path(target.string() + "~")};
    for (const auto& p : planted) fs::create_symlink(s / "victim", p);
    {
        core::AtomicFile f(target);
        EXPECT_TRUE(std::find(planted.begin(), planted.end(), f.path()) == planted.end()) << f.path();
        EXPECT_FALSE(fs::is_symlink(f.path()));
        EXPECT_TRUE(fs::is_regular_file(f.path()));
        EXPECT_EQ(fs::file_size(f.path()), 0u);  // created fresh, not an existing file opened
        // Two temporary files for the same target never share a name: the name is not derived from
        // the target and the process alone.
        core::AtomicFile g(target);
        EXPECT_NE(f.path(), g.path());
    }
    core::write_file_atomically(target.string(), "{}");
    EXPECT_EQ(slurp(s / "victim"), "precious");
    for (const auto& p : planted) {
        EXPECT_TRUE(fs::is_symlink(p)) << p;
        EXPECT_EQ(fs::read_symlink(p), s / "victim") << p;
    }
    EXPECT_FALSE(fs::is_symlink(target));
    EXPECT_EQ(slurp(target), "{}");
    // A link planted at the target itself is replaced, not written through.
    fs::remove(target);
    fs::create_symlink(s / "victim", target);
    core::write_file_atomically(target.string(), "[]");
    EXPECT_EQ(slurp(s / "victim"), "precious");
    EXPECT_FALSE(fs::is_symlink(target));
    EXPECT_EQ(slurp(target), "[]");
}

TEST(AtomicFile, MissingFolderGivesIoErrorNamingTheTarget) {
    Scratch s;
    const fs::path target = s / "no-such-folder" / "out.gpkg";
    try {
        core::write_file_atomically(target.string(), "data");
        ADD_FAILURE() << "no error";
    } catch (const io_error& e) {
        EXPECT_NE(std::string(e.what()).find(target.string()), std::string::npos) << e.what();
    }
    EXPECT_THROW(core::AtomicFile{target}, io_error);
    EXPECT_TRUE(entries(s.dir.path()).empty());
    try {
        core::require_output_folder(target.string(), "--report");
        ADD_FAILURE() << "no error";
    } catch (const io_error& e) {
        EXPECT_NE(std::string(e.what()).find(target.string()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("--report"), std::string::npos) << e.what();
    }
    EXPECT_NO_THROW(core::require_output_folder((s / "out.gpkg").string(), "--report"));
}

TEST(TempDir, FreshFolderRemovedWithItsContent) {
    Scratch parent;
    fs::path kept;
    {
        core::TempDir a(parent.dir.path()), b(parent.dir.path());
        EXPECT_NE(a.path(), b.path());
        EXPECT_EQ(a.path().parent_path(), parent.dir.path());
        EXPECT_EQ(a.path().filename().string().rfind(".planmap-tmp-", 0), 0u) << a.path();
        EXPECT_TRUE(fs::is_directory(a.path()));
        EXPECT_FALSE(fs::is_symlink(a.path()));
        EXPECT_EQ((fs::status(a.path()).permissions() & fs::perms::others_all), fs::perms::none);  // private (mkdtemp: 0700)
        fs::create_directories(a.path() / "sub");
        put(a.path() / "sub" / "f.txt", "x");
        kept = a.path();
    }
    EXPECT_FALSE(fs::exists(kept));
    EXPECT_TRUE(entries(parent.dir.path()).empty());
    EXPECT_THROW(core::TempDir(parent.dir.path() / "missing"), io_error);
}

TEST(Text, FixedDecimals) {
    EXPECT_EQ(core::fixed(1234.5678, 2), "1234.57");
    EXPECT_EQ(core::fixed(1.0, 3), "1.000");
    EXPECT_EQ(core::fixed(-0.25, 1), "-0.2");  // exact binary half: printf rounds to even
    EXPECT_EQ(core::fixed(12.5, 0), "12");
    EXPECT_EQ(core::fixed(0.000123, 6), "0.000123");
    // The widest doubles in full: 309 digits, and past the stack buffer (sign, 309 digits, point, 100 decimals).
    std::string big = core::fixed(1e308, 1);
    EXPECT_EQ(big.size(), 311u);
    EXPECT_EQ(big.substr(0, 3), "100");
    EXPECT_EQ(big.substr(big.size() - 2), ".0");
    std::string wider = core::fixed(-1.5e308, 100);
    EXPECT_EQ(wider.size(), 1u + 309u + 1u + 100u);
    EXPECT_EQ(wider.substr(0, 3), "-15");
    EXPECT_EQ(wider.substr(wider.size() - 101), "." + std::string(100, '0'));
}

TEST(TomlTable, UnknownKeyIsAnErrorWithFileAndLine) {
    auto doc = core::parse_toml_text("name = \"roads\"\nwidth = 2.5\n\ncolour = \"red\"\n", "style.toml");
    core::TomlTable t(doc, "style.toml", "");
    EXPECT_EQ(t.str("name"), "roads");
    EXPECT_EQ(t.num("width"), 2.5);
    EXPECT_FALSE(t.num("missing").has_value());
    try {
        t.finish();
        ADD_FAILURE() << "unknown key accepted";
    } catch (const file_error& e) {
        EXPECT_EQ(e.file(), "style.toml");
        EXPECT_EQ(e.line(), 4);
        EXPECT_NE(std::string(e.what()).find("style.toml:4:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'colour'"), std::string::npos) << e.what();
    }
    t.mark("colour");  // read by the caller itself: now nothing is unknown
    EXPECT_NO_THROW(t.finish());
}

TEST(TomlTable, TypesAndChoicesAreCheckedWithTheirLine) {
    auto doc = core::parse_toml_text("[[rule]]\nsize = \"big\"\nkind = \"dot\"\nopacity = -1\n", "map.toml");
    core::TomlTable root(doc, "map.toml", "");
    auto rules = root.table_array("rule");
    ASSERT_EQ(rules.size(), 1u);
    auto expect_error = [](auto&& read, int line, const std::string& words) {
        try {
            read();
            ADD_FAILURE() << "no error for " << words;
        } catch (const file_error& e) {
            EXPECT_EQ(e.line(), line) << e.what();
            EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
        }
    };
    expect_error([&] { rules[0].num("size"); }, 2, "rule[0]: 'size' must be a number");
    expect_error([&] { rules[0].choice("kind", {"line", "fill"}); }, 3, "'kind' is 'dot'; expected one of: line, fill");
    expect_error([&] { rules[0].positive("opacity"); }, 4, "'opacity' must be greater than 0");
    // A syntax error becomes a file_error with its line.
    expect_error([] { core::parse_toml_text("a = 1\nb = \n", "bad.toml"); }, 2, "bad.toml:2:");
}
