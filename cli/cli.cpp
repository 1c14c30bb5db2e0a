#include "cli/cli.hpp"

#include <fmt/args.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <regex>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "layers/postgis.hpp"

namespace planmap::cli {

std::string flag_of(const std::string& parameter) {
    static const std::map<std::string, std::string> flags = {
        {"facilities", "--facilities"},     {"residential", "--residential"}, {"population_field", "--population-field"},
        {"type_field", "--type-field"},     {"zones", "--zones"},             {"zone_field", "--zone-field"},
        {"repair", "--no-repair"},          {"output", "--output"},           {"html", "--html"},
        {"spatial_index", "--spatial-index"}, {"mode", "--mode"},             {"network", "--network"},
        {"nodes", "--nodes"},               {"barriers", "--barrier"},        {"speed_m_per_min", "--speed"},
        {"width_m", "--width"},             {"max_snap_m", "--max-snap"},     {"entry_m", "--entry"},
        {"count_snap", "--count-snap"},     {"start_at", "--start-at"},       {"radius_m", "--radius"},
        {"profile", "--profile"},           {"quad_segs", "--quad-segs"},     {"engine", "--engine"},
        {"db", "--db"},                     {"from", "--from"},               {"from_nodes", "--from-nodes"},
        {"from_nodes_file", "--from-nodes-file"}, {"id_field", "--id-field"}, {"distance_m", "--distance"},
        {"minutes", "--minutes"},           {"distances", "--distances"},     {"dissolved_only", "--dissolved-only"},
        {"whole_edge_area", "--no-whole-edge-area"},
        {"dpi", "--dpi"},                   {"source_crs", "--s-crs"},        {"layer", "--layer"},
        {"network_crs", "--network-crs"}, {"overwrite", "--overwrite"}, {"base", "--base"}, {"data", "--data"},
        {"candidates", "--candidates"},     {"grid_m", "--grid"},             {"within", "--within"},
        {"site_area_m2", "--site-area"},    {"cost_field", "--cost-field"},   {"type", "--type"},
        {"add", "--add"},                   {"target", "--target"},           {"budget", "--budget"},
        {"objective", "--objective"},       {"time_limit_s", "--time-limit"}, {"solver_threads", "--solver-threads"},
        {"curve_sites", "--curve"}};
    auto it = flags.find(parameter);
    return it == flags.end() ? parameter : it->second;
}

namespace {

// The flags of the command run (e.g. `network build`) for the parameters an error names; a
// parameter the command has no flag for keeps its own name.
ParameterNames flags_of_command(const CLI::App& app) {
    return [&app](const std::string& parameter) {
        const std::string flag = flag_of(parameter);
        for (const CLI::App* cmd = &app; cmd;) {
            if (cmd->get_option_no_throw(flag)) return flag;
            const auto& subs = cmd->get_subcommands();
            cmd = subs.empty() ? nullptr : subs.front();
        }
        return parameter;
    };
}

// The language a command line asks for: --lang VALUE or --lang=VALUE (read before the options are
// declared, since their help text is in that language), else the environment's.
i18n::Language language_of(const std::vector<std::string>& args) {
    for (size_t i = 0; i < args.size(); ++i) {
        std::string value;
        if (args[i] == "--lang" && i + 1 < args.size()) value = args[i + 1];
        else if (args[i].rfind("--lang=", 0) == 0) value = args[i].substr(7);
        else continue;
        if (auto language = i18n::parse_language(value)) return *language;
        return i18n::language_from_environment();  // the option's own check reports the bad value
    }
    return i18n::language_from_environment();
}

// Columns a UTF-8 text takes in a terminal: CJK characters take two.
size_t display_width(const std::string& text) {
    size_t width = 0;
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        width += len >= 3 ? 2 : 1;  // U+0800 and above: CJK, full-width punctuation
        i += len;
    }
    return width;
}

void translate_groups(CLI::App& app);

// CLI11's formatter pads the option column by bytes; translated placeholders (文本, 必填) need it
// padded by display width.
class Formatter : public CLI::Formatter {
public:
    std::string make_option(const CLI::Option* opt, bool is_positional) const override {
        std::string name = make_option_name(opt, is_positional) + make_option_opts(opt);
        const size_t width = display_width(name);
        std::string line = "  " + name;
        if (width + 2 < get_column_width()) line.append(get_column_width() - width - 2, ' ');
        else line += "\n" + std::string(get_column_width(), ' ');
        for (const char c : make_option_desc(opt)) {
            line += c;
            if (c == '\n') line.append(get_column_width(), ' ');
        }
        return line + "\n";
    }
};

// CLI11's own words in the help: group headings and markers.
void translate_help(CLI::App& app) {
    auto formatter = std::make_shared<Formatter>();
    app.formatter(formatter);
    for (const char* label : {N_("Usage"), N_("OPTIONS"), N_("SUBCOMMAND"), N_("SUBCOMMANDS"), N_("Positionals"),
                              N_("REQUIRED"), N_("Needs"), N_("Excludes"), N_("TEXT"), N_("INT"), N_("UINT"),
                              N_("FLOAT"), N_("FLOAT:POSITIVE"), N_("UINT:POSITIVE"), N_("INT:POSITIVE")})
        formatter->label(label, tr(label));
    translate_groups(app);
}

void translate_groups(CLI::App& app) {
    for (CLI::Option* opt : app.get_options())
        if (opt->get_group() == "Options") opt->group(tr("Options"));
    for (CLI::App* sub : app.get_subcommands({})) {
        if (sub->get_group() == "Subcommands") sub->group(tr("Subcommands"));
        sub->formatter(app.get_formatter());
        translate_groups(*sub);
    }
}

// A command-line error of CLI11 in the user's language: its usual sentences are recognised and
// said again; anything else keeps CLI11's text behind a translated lead.
std::string parse_error_text(const CLI::ParseError& e) {
    struct Sentence {
        const char* pattern;
        const char* msgid;
    };
    static const Sentence sentences[] = {
        {R"(^A subcommand is required$)", N_("a command is required")},
        {R"(^(\S+) is required$)", N_("{0} is required")},
        {R"(^The following arguments? (?:was|were) not expected: (.*)$)", N_("not expected: {0}")},
        {R"(^Could not convert: (\S+) = (.*)$)", N_("{0}: '{1}' is not a valid value")},
        {R"(^(\S+): Value (\S+) not in range (\S+) to (\S+)$)", N_("{0}: {1} is out of range ({2} to {3})")},
        {R"(^(\S+): (.*) not in (\{.*\})$)", N_("{0}: '{1}' is not one of {2}")},
        {R"(^(\S+): ([0-9]+) required (\S+) missing$)", N_("{0}: a value is missing")},
        {R"(^(\S+): Check (.*) FAILED$)", N_("{0}: '{1}' is not a valid value")},
        {R"(^(\S+) requires (\S+)$)", N_("{0} needs {1}")},
        {R"(^(\S+) excludes (\S+)$)", N_("{0} cannot be used with {1}")},
        {R"(^(\S+): File does not exist: (.*)$)", N_("{0}: no such file: {1}")},
    };
    const std::string text = e.what();
    if (i18n::language() == i18n::Language::en) return text;
    for (const auto& [pattern, msgid] : sentences) {
        std::smatch m;
        if (!std::regex_match(text, m, std::regex(pattern))) continue;
        fmt::dynamic_format_arg_store<fmt::format_context> store;
        for (size_t i = 1; i < m.size(); ++i) store.push_back(m[i].str());
        return fmt::vformat(tr(msgid), store);
    }
    return trf("invalid command line: {}", text);
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    i18n::LanguageScope language{language_of(args)};
    CLI::App app{tr("planmap: plan structures as GIS layers, service-radius coverage and planning map sheets"), "planmap"};
    app.set_help_flag("-h,--help", tr("print this help and exit"));
    app.set_version_flag("--version", std::string("planmap ") + PLANMAP_VERSION, tr("print the version and exit"));
    app.require_subcommand(1);
    app.fallthrough();  // --quiet and --verbose work after the subcommand too
    Context ctx{out, err, {}, false, false};
    // Warnings from core (temporaries left by an earlier run) go where this run's messages go.
    struct SinkGuard {
        core::WarningSink previous;
        ~SinkGuard() { core::set_warning_sink(std::move(previous)); }
    } sink_guard{core::set_warning_sink([&err](const std::string& w) { err << "planmap: " << tr("warning: ") << w << "\n"; })};
    app.add_flag("--quiet,-q", ctx.quiet, tr("print only errors"));
    app.add_flag("--verbose,-v", ctx.verbose, tr("print more detail"));
    unsigned threads = 0;
    app.add_option("--threads", threads, tr("cores to use (default: all; 1 for one thread, e.g. on a shared server)"))
        ->check(CLI::Range(1u, 4096u).description(""));
    std::string lang;
    app.add_option("--lang", lang,
                   tr("language of messages, help and reports: zh or en (default: from LANGUAGE, LC_ALL, LC_MESSAGES "
                      "or LANG; Chinese when the locale is Chinese)"))
        ->check([](const std::string& v) { return i18n::parse_language(v) ? std::string() : trf("unknown language '{}': use zh or en", v); });
    add_info(app, ctx);
    add_convert(app, ctx);
    add_build(app, ctx);
    add_coverage(app, ctx);
    add_lifecircle(app, ctx);
    add_site(app, ctx);
    add_synth(app, ctx);
    add_network(app, ctx);
    add_isochrone(app, ctx);
    add_render(app, ctx);
    add_atlas(app, ctx);
    add_db(app, ctx);
    add_assess(app, ctx);
    translate_help(app);

    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        auto subs = app.get_subcommands();
        out << (subs.empty() ? app.help() : subs.front()->help());
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion&) {
        out << "planmap " << PLANMAP_VERSION << "\n";
        return 0;
    } catch (const CLI::ParseError& e) {
        err << "planmap: " << layers::redact_connection(parse_error_text(e)) << "\n";
        if (app.get_subcommands().empty()) err << tr("run 'planmap --help' for the commands") << "\n";
        return 2;
    }
    try {
        std::optional<tbb::global_control> limit;
        if (threads > 0) limit.emplace(tbb::global_control::max_allowed_parallelism, threads);
        if (ctx.action) ctx.action();
        return 0;
    } catch (const usage_error& e) {
        err << "planmap: " << layers::redact_connection(e.message(flags_of_command(app))) << "\n";
        return 2;
    } catch (const error& e) {
        err << "planmap: " << tr("error: ") << layers::redact_connection(e.message(flags_of_command(app))) << "\n";
        return 1;
    } catch (const std::exception& e) {
        err << "planmap: " << tr("error: ") << layers::redact_connection(e.what()) << "\n";
        return 1;
    }
}

}  // namespace planmap::cli
