// planmap assess PLAN --data NAME=SRC … -o DIR: the plan's indicators (baseline, target, computed
// value, status) against data — the 城市体检 table — as JSON, CSV, HTML and an A4 PDF sheet.
#include <ostream>

#include "analysis/assess_run.hpp"
#include "cli/analysis_options.hpp"
#include "cli/cli.hpp"
#include "cli/source_options.hpp"
#include "core/files.hpp"

namespace planmap::cli {

void add_assess(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "assess", tr("a plan's indicators against data: baseline, target, computed value and status (met / not met)"));
    auto opts = std::make_shared<analysis::AssessOptions>();
    cmd->add_option("PLAN", opts->plan, tr("plan file (TOML with [[indicator]] rows, see docs/plan-format.md)"))->required();
    cmd->add_option("--data", opts->data,
                    tr("NAME=SRC[:layer]: the data an indicator reads by NAME (e.g. residential=parcels.gpkg, "
                    "parks=parks.shp); repeatable"));
    cmd->add_option("-o,--output", opts->output,
                    tr("output folder: indicators.json, indicators.csv, indicators.html, indicators.pdf and coverage/ID/"))
        ->required();
    cmd->add_flag("--overwrite", opts->overwrite, tr("replace an existing, non-empty output folder as a whole (default: refuse)"));
    cmd->add_flag("--no-repair", [opts](std::int64_t) { opts->repair = false; },
                  tr("refuse data with invalid or unusable geometries, naming the features (default: repair and list them)"));
    add_base_option(*cmd, opts->bases);
    add_csv_header_option(*cmd, opts->csv_header);
    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            std::vector<core::NamedPath> inputs{{"PLAN", opts->plan}};
            for (const auto& d : opts->data) inputs.push_back({"--data", d.substr(d.find('=') + 1)});
            core::check_outputs(inputs, {{"-o", opts->output}});
            auto r = analysis::run_assess(*opts, progress_bars(ctx));
            if (!ctx.quiet) {
                analysis::print_assess(ctx.out, r);
                ctx.out << trf("wrote {}", opts->output + "/indicators.{json,csv,html,pdf}") << "\n";
            }
        };
    });
}

}  // namespace planmap::cli
