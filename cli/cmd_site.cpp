// planmap site: where to add parks or facilities (maximal coverage siting): the best K candidate
// sites, or the fewest reaching a coverage target, counted exactly as `coverage` counts.
#include <ostream>

#include "analysis/site_run.hpp"
#include "cli/analysis_options.hpp"
#include "cli/cli.hpp"
#include "cli/report.hpp"

namespace planmap::cli {

void add_site(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "site",
        tr("maximal coverage siting: the best K candidate sites for new parks or facilities, or the fewest reaching a coverage "
        "target; greedy with lazy gains and an interchange (at least 1 - 1/e of the optimum for --add; within 1 + ln n of the fewest for "
        "--target) or an integer programme solved by CBC (--exact)"));
    struct Opts {
        analysis::SiteOptions run;
        double radius_m = 0, target = 0, budget = 0, site_area_m2 = 0;
        long long add = 0;
        std::string json;
    };
    auto opts = std::make_shared<Opts>();
    add_analysis_inputs(*cmd, opts->run.inputs, opts->json,
                        {tr("existing facilities (parks, schools …): SRC[:layer], points or polygons"),
                         tr("facility attribute with the type, overriding the profile's type_field"),
                         tr("output folder: site.gpkg (sites, site_service_areas, newly_covered, still_uncovered, facilities_after), "
                            "site_sites.csv, site_curve.csv, site.json, site.map.toml (planmap render it for the sheet)"),
                         tr("write the summary as JSON to this file ('-': standard output)"),
                         tr("also write a self-contained HTML report to this file"),
                         false, true});
    auto& r = opts->run;
    cmd->add_option("--candidates", r.candidates,
                    tr("candidate sites: SRC[:layer], points or polygons (a polygon's area gives its park size class through the profile)"));
    cmd->add_option("--grid", r.grid_m, tr("or candidates on a grid of points this many metres apart, inside --within"));
    cmd->add_option("--within", r.within, tr("polygons SRC[:layer] the --grid fills"));
    auto* area = cmd->add_option("--site-area", opts->site_area_m2,
                                 tr("grid candidates as square sites of this area in m² (a park size; default: points)"));
    cmd->add_option("--cost-field", r.cost_field, tr("candidate attribute with the cost (default: 1 per site); needed by --budget"));
    auto* radius = cmd->add_option("--radius", opts->radius_m, tr("one service radius for every facility and site, in metres"));
    cmd->add_option("--profile", r.profile,
                    tr("rule profile, as coverage: a shipped name (gb-park-radius, green-300-park-500, gb50180-life-circle …) or a .toml file"));
    cmd->add_option("--type", r.type, tr("with a life-circle profile: site facilities of this type (demand: the parcels it misses)"));
    cmd->add_option("--quad-segs", r.quad_segs, tr("buffer segments per quarter circle (default 16)"));
    auto* add = cmd->add_option("--add", opts->add, tr("goal: the best K new sites (maximal covering)"));
    auto* target = cmd->add_option("--target", opts->target,
                                   tr("goal: the fewest sites reaching this coverage ratio (0 to 1, e.g. 0.9), or how far all candidates get"));
    auto* budget = cmd->add_option("--budget", opts->budget, tr("at most this total cost of the sites (--cost-field), with --add or alone"));
    cmd->add_option("--objective", r.objective, tr("what to cover: population (default; the population field) or area (residential land)"))
        ->transform(CLI::CheckedTransformer(std::map<std::string, analysis::SiteObjective>{
            {"population", analysis::SiteObjective::population}, {"area", analysis::SiteObjective::area}}));
    cmd->add_flag("--exact", r.exact,
                  tr("also solve the integer programme with CBC, reporting proven bound and gap (the greedy's solution is kept "
                  "if CBC stops with less)"));
    cmd->add_option("--time-limit", r.time_limit_s, tr("wall-clock time limit of --exact in seconds (default 60)"));
    cmd->add_option("--solver-threads", r.solver_threads, tr("threads of the --exact solver (default 1)"));
    cmd->add_flag("--pieces", r.write_pieces,
                  tr("also write site_pieces.csv: every demand piece with its area, population and covering candidates (for a peer solver)"));
    cmd->add_option("--curve", r.curve_sites, tr("sites on the coverage-versus-sites curve (default: twice the chosen, at least 10)"));

    cmd->callback([&ctx, opts, radius, area, add, target, budget] {
        ctx.action = [&ctx, opts, radius, area, add, target, budget] {
            auto& o = opts->run;
            if (radius->count()) o.radius_m = opts->radius_m;
            if (area->count()) o.site_area_m2 = opts->site_area_m2;
            if (add->count()) o.add = opts->add;
            if (target->count()) o.target = opts->target;
            if (budget->count()) o.budget = opts->budget;
            check_analysis_outputs(o.inputs, o.profile, opts->json, {"site.gpkg", "site_sites.csv", "site_curve.csv", "site.json", "site_pieces.csv", "site.map.toml"});
            auto res = analysis::run_site(o, progress_bars(ctx));
            if (publish_summary(ctx, res.summary, opts->json, res.warnings) || ctx.quiet) return;
            analysis::print_site(ctx.out, res, ctx.verbose);
        };
    });
}

}  // namespace planmap::cli
