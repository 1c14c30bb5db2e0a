// Both READMEs (README.md, README.zh.md) document the whole command line: every subcommand that
// `planmap --help` lists (and their own subcommands, e.g. `network build`) and every long option
// of every `--help`, global options included. The commands and options are read from the help
// output, never hard-coded, so a new option fails this test until both READMEs describe it.
// The help is read in English (--lang en) whatever the locale; the Chinese help must list the
// same commands and options.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "tests/support.hpp"

using namespace planmap;

namespace {

struct Command {
    std::string name;                  // "planmap", "planmap coverage", "planmap network build"
    std::vector<std::string> options;  // long options of its --help: "--csv-header", …
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::string::size_type start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

bool option_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

// The long options of a --help text: the option lines are indented by two spaces and start with
// a dash ("  -o,--output TEXT REQUIRED", "  --json TEXT"). Section headings are not relied on,
// so a translated help text parses the same.
std::vector<std::string> long_options(const std::string& help) {
    std::vector<std::string> opts;
    for (const auto& line : lines_of(help)) {
        if (line.rfind("  -", 0) != 0) continue;
        auto end = line.find_first_of(" \t", 2);
        const std::string names = line.substr(2, end == std::string::npos ? std::string::npos : end - 2);
        std::string::size_type pos = 0;
        while ((pos = names.find("--", pos)) != std::string::npos) {
            auto stop = pos + 2;
            while (stop < names.size() && option_char(names[stop])) ++stop;
            if (stop > pos + 2) opts.push_back(names.substr(pos, stop - pos));
            pos = stop;
        }
    }
    return opts;
}

// The subcommands a --help lists: lines indented by two spaces starting with a lower-case word
// followed by its description ("  coverage    service-radius coverage …"). Positionals are upper
// case (SRC, PLAN), options start with a dash, and wrapped descriptions are indented further.
std::vector<std::string> subcommands(const std::string& help) {
    std::vector<std::string> subs;
    for (const auto& line : lines_of(help)) {
        if (line.size() < 3 || line.rfind("  ", 0) != 0 || !std::islower(static_cast<unsigned char>(line[2]))) continue;
        auto stop = std::string::size_type{2};
        while (stop < line.size() && option_char(line[stop])) ++stop;
        if (stop < line.size() && line[stop] != ' ') continue;
        subs.push_back(line.substr(2, stop - 2));
    }
    return subs;
}

void collect(std::vector<std::string> args, const std::string& name, std::vector<Command>& out) {
    args.push_back("--help");
    auto r = test::run(args);
    ASSERT_EQ(r.code, 0) << name << " --help: " << r.err;
    out.push_back({name, long_options(r.out)});
    args.pop_back();
    for (const auto& sub : subcommands(r.out)) {
        auto next = args;
        next.push_back(sub);
        collect(next, name + " " + sub, out);
    }
}

std::vector<Command> all_commands(const std::string& lang = "en") {
    std::vector<Command> cmds;
    collect({"--lang", lang}, "planmap", cmds);
    return cmds;
}

// `word` occurs in `text` as a whole token: not inside a longer option or word
// (`--snap` inside `--max-snap`, `--nodes` inside `--nodes-csv`, `--type` inside `--type-field`).
bool mentions(const std::string& text, const std::string& word) {
    for (auto pos = text.find(word); pos != std::string::npos; pos = text.find(word, pos + 1)) {
        const bool left_ok = pos == 0 || !option_char(text[pos - 1]);
        const auto after = pos + word.size();
        const bool right_ok = after >= text.size() || !option_char(text[after]);
        if (left_ok && right_ok) return true;
    }
    return false;
}

void expect_complete(const std::string& readme_name) {
    const auto path = test::project_root() / readme_name;
    const std::string text = test::read_file(path);
    ASSERT_FALSE(text.empty()) << path << " is missing or empty";
    const auto cmds = all_commands();
    // planmap itself plus at least the documented subcommands: a help text this parser no longer
    // understands must fail here rather than pass with nothing checked.
    ASSERT_GE(cmds.size(), 10u) << "planmap --help lists fewer subcommands than expected";
    for (const auto& c : cmds) {
        EXPECT_FALSE(c.options.empty()) << c.name << " --help lists no options";
        if (c.name != "planmap") {
            EXPECT_TRUE(mentions(text, c.name)) << readme_name << " does not mention the command `" << c.name << "`";
        }
        for (const auto& o : c.options)
            EXPECT_TRUE(mentions(text, o)) << readme_name << " does not mention option " << o << " of `" << c.name << "`";
    }
}

}  // namespace

TEST(CliDocs, HelpParsesIntoCommandsAndOptions) {
    const auto cmds = all_commands();
    auto find = [&](const std::string& name) -> const Command* {
        for (const auto& c : cmds)
            if (c.name == name) return &c;
        return nullptr;
    };
    const Command* top = find("planmap");
    const Command* coverage = find("planmap coverage");
    ASSERT_NE(top, nullptr);
    ASSERT_NE(coverage, nullptr);
    auto has = [](const Command& c, const std::string& o) {
        for (const auto& x : c.options)
            if (x == o) return true;
        return false;
    };
    EXPECT_TRUE(has(*coverage, "--output"));  // from "-o,--output"
    EXPECT_TRUE(has(*coverage, "--max-snap"));
    EXPECT_FALSE(has(*top, "--add"));  // named in site's description in planmap --help, not an option
    ASSERT_NE(find("planmap network build"), nullptr);
    ASSERT_NE(find("planmap db clean"), nullptr);
    EXPECT_TRUE(has(*top, "--threads"));
    EXPECT_TRUE(mentions("[--nodes-csv F]", "--nodes-csv"));
    EXPECT_FALSE(mentions("[--nodes-csv F] [--max-snap M]", "--nodes"));
    EXPECT_FALSE(mentions("[--max-snap M]", "--snap"));
}

TEST(CliDocs, ChineseHelpListsTheSameCommandsAndOptions) {
    const auto en = all_commands("en");
    const auto zh = all_commands("zh");
    ASSERT_EQ(en.size(), zh.size());
    for (size_t i = 0; i < en.size(); ++i) {
        EXPECT_EQ(en[i].name, zh[i].name);
        EXPECT_EQ(en[i].options, zh[i].options) << en[i].name;
    }
}

TEST(CliDocs, ReadmeListsEveryCommandAndOption) { expect_complete("README.md"); }

TEST(CliDocs, ChineseReadmeListsEveryCommandAndOption) { expect_complete("README.zh.md"); }
