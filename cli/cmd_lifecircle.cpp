// planmap lifecircle: the GB 50180 life-circle audit, per residential parcel, straight-line or
// along a walking network, with a compliance table (CSV + JSON) and a parcels layer.
#include <ostream>

#include "analysis/lifecircle_run.hpp"
#include "cli/analysis_options.hpp"
#include "cli/cli.hpp"
#include "cli/report.hpp"

namespace planmap::cli {

void add_lifecircle(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("lifecircle",
                                   tr("life-circle audit (GB 50180 5/10/15-minute levels), straight-line or walking distances, per parcel"));
    struct Opts {
        analysis::LifecircleOptions run;
        std::string json;
    };
    auto opts = std::make_shared<Opts>();
    add_analysis_inputs(*cmd, opts->run.inputs, opts->json,
                        {tr("facilities with a type attribute: SRC[:layer], points or polygons"),
                         tr("facility attribute holding the type (default: the profile's type_field)"),
                         tr("output folder: lifecircle.gpkg and lifecircle_compliance.csv"),
                         tr("write the compliance table as JSON to this file ('-': standard output)"),
                         tr("also write a self-contained HTML report (map, level and type tables and charts, profile) to this file"),
                         false, false});
    cmd->add_option("--profile", opts->run.profile,
                    trf("life-circle profile: a shipped name or a .toml file (default {})", analysis::LifecircleOptions{}.profile));

    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            check_analysis_outputs(opts->run.inputs, opts->run.profile, opts->json, {"lifecircle.gpkg", "lifecircle_compliance.csv"});
            auto r = analysis::run_lifecircle(opts->run, progress_bars(ctx));
            if (publish_summary(ctx, r.summary, opts->json, r.warnings) || ctx.quiet) return;
            analysis::print_lifecircle(ctx.out, r);
        };
    });
}

}  // namespace planmap::cli
