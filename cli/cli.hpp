// The planmap command line: `main` forwards here so every command is testable in-process.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/i18n.hpp"

namespace planmap::cli {

// Runs `planmap args...` (args without the program name). Exit codes: 0 ok, 1 runtime error,
// 2 usage error.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The flag of a library parameter ("width_m" -> "--width"); the parameter itself when it has none.
// Errors naming library parameters (planmap::param) are printed with these flags.
std::string flag_of(const std::string& parameter);

// A number as an ostream prints it by default (six significant digits), for figures inside
// translated messages (trf formats doubles differently).
std::string number(double value);

// What every subcommand gets: where to print and a slot for the action to run after parsing.
struct Context {
    std::ostream& out;
    std::ostream& err;
    std::function<void()> action;
    bool quiet = false;
    bool verbose = false;
};

// One function per subcommand file; each adds its subcommand to `app`.
void add_info(CLI::App& app, Context& ctx);
void add_convert(CLI::App& app, Context& ctx);
void add_build(CLI::App& app, Context& ctx);
void add_coverage(CLI::App& app, Context& ctx);
void add_lifecircle(CLI::App& app, Context& ctx);
void add_site(CLI::App& app, Context& ctx);
void add_synth(CLI::App& app, Context& ctx);
void add_network(CLI::App& app, Context& ctx);
void add_isochrone(CLI::App& app, Context& ctx);
void add_render(CLI::App& app, Context& ctx);
void add_atlas(CLI::App& app, Context& ctx);
void add_db(CLI::App& app, Context& ctx);
void add_assess(CLI::App& app, Context& ctx);

}  // namespace planmap::cli
