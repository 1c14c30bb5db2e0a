#include "cli/cli.hpp"

#include <tbb/global_control.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>

#include "core/error.hpp"
#include "core/files.hpp"
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

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CLI::App app{"planmap: plan structures as GIS layers, service-radius coverage and planning map sheets", "planmap"};
    app.set_version_flag("--version", std::string("planmap ") + PLANMAP_VERSION);
    app.require_subcommand(1);
    app.fallthrough();  // --quiet and --verbose work after the subcommand too
    Context ctx{out, err, {}, false, false};
    // Warnings from core (temporaries left by an earlier run) go where this run's messages go.
    struct SinkGuard {
        core::WarningSink previous;
        ~SinkGuard() { core::set_warning_sink(std::move(previous)); }
    } sink_guard{core::set_warning_sink([&err](const std::string& w) { err << "planmap: warning: " << w << "\n"; })};
    app.add_flag("--quiet,-q", ctx.quiet, "print only errors");
    app.add_flag("--verbose,-v", ctx.verbose, "print more detail");
    unsigned threads = 0;
    app.add_option("--threads", threads, "cores to use (default: all; 1 for one thread, e.g. on a shared server)")
        ->check(CLI::PositiveNumber);
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
        err << "planmap: " << layers::redact_connection(e.what()) << "\n";
        if (app.get_subcommands().empty()) err << "run 'planmap --help' for the commands\n";
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
        err << "planmap: error: " << layers::redact_connection(e.message(flags_of_command(app))) << "\n";
        return 1;
    } catch (const std::exception& e) {
        err << "planmap: error: " << layers::redact_connection(e.what()) << "\n";
        return 1;
    }
}

}  // namespace planmap::cli
