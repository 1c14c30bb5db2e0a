// planmap coverage: the share of residential land (and population) within the service areas of
// facilities, by a fixed radius or a rule profile (公园绿地服务半径覆盖率 and its relatives).
#include <ostream>

#include "analysis/coverage_run.hpp"
#include "cli/analysis_options.hpp"
#include "cli/cli.hpp"
#include "cli/report.hpp"

namespace planmap::cli {

void add_coverage(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "coverage", tr("service-radius coverage of residential land (公园绿地服务半径覆盖率), exact, per parcel and zone"));
    struct Opts {
        analysis::CoverageOptions run;
        double radius_m = 0;
        std::string json;
    };
    auto opts = std::make_shared<Opts>();
    add_analysis_inputs(*cmd, opts->run.inputs, opts->json,
                        {tr("facilities (parks, schools …): SRC[:layer], points or polygons"),
                         tr("facility attribute with the type, overriding the profile's type_field"),
                         tr("output folder: coverage.gpkg and coverage_zones.csv"),
                         tr("write the summary as JSON to this file ('-': standard output)"),
                         tr("also write a self-contained HTML report (map, zone tables and charts, profile, checks) to this file"),
                         true, true});
    auto* radius = cmd->add_option("--radius", opts->radius_m, tr("one service radius for every facility, in metres"));
    cmd->add_option("--profile", opts->run.profile,
                    tr("rule profile: a shipped name (gb-park-radius, gb-park-radius-historic, "
                    "green-300-park-500, gb55014, gb50180-life-circle) or a .toml file"));
    cmd->add_option("--quad-segs", opts->run.quad_segs, tr("buffer segments per quarter circle (default 16, as PostGIS quad_segs=16)"));
    cmd->add_option("--engine", opts->run.engine,
                    tr("where the figures are computed: embedded (default, in-process) or postgis (as SQL in the --db database)"))
        ->transform(CLI::CheckedTransformer(std::map<std::string, analysis::Engine>{{"embedded", analysis::Engine::embedded},
                                                                                    {"postgis", analysis::Engine::postgis}}));
    cmd->add_option("--db", opts->run.db,
                    tr("PostGIS database for --engine postgis: a PG:… connection string (default: the --residential "
                    "connection when it is PG:…); the inputs are loaded into a scratch schema, dropped afterwards"));

    cmd->callback([&ctx, opts, radius] {
        ctx.action = [&ctx, opts, radius] {
            if (radius->count()) opts->run.radius_m = opts->radius_m;
            check_analysis_outputs(opts->run.inputs, opts->run.profile, opts->json, {"coverage.gpkg", "coverage_zones.csv"});
            auto r = analysis::run_coverage(opts->run, progress_bars(ctx));
            if (publish_summary(ctx, r.summary, opts->json, r.warnings) || ctx.quiet) return;
            analysis::print_coverage(ctx.out, r, ctx.verbose);
        };
    });
}

}  // namespace planmap::cli
