// planmap render MAP -o OUT.(pdf|png|svg) [--dpi N] | planmap render --plan GPKG -o OUT
#include <chrono>
#include <filesystem>
#include <ostream>

#include "cli/cli.hpp"
#include "cli/render_report.hpp"
#include "geo/error.hpp"
#include "render/plan_sheet.hpp"
#include "render/sheet.hpp"

namespace planmap::cli {

void add_render(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("render", "render a planning map sheet (PDF, PNG or SVG) from a map file or a plan");
    struct Opts {
        std::string map, out, plan, title, style = "plan_structure", paper;
        double dpi = 150;
    };
    auto opts = std::make_shared<Opts>();
    cmd->add_option("MAP", opts->map, "map file (TOML, see docs/maps.md)");
    cmd->add_option("-o,--output", opts->out, "output sheet: .pdf (vector), .png or .svg")->required();
    cmd->add_option("--dpi", opts->dpi, "PNG resolution in dots per inch (default 150)");
    cmd->add_option("--plan", opts->plan, "render a plan-structure sheet from a GeoPackage of plan layers instead of a map file");
    cmd->add_option("--title", opts->title, "sheet title with --plan (default: file name + 规划结构图)");
    cmd->add_option("--style", opts->style, "style with --plan (default: plan_structure; a shipped name or a .toml path)");
    cmd->add_option("--paper", opts->paper, "paper with --plan: A0…A4 (default A3 landscape)");
    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            if (opts->map.empty() == opts->plan.empty()) throw usage_error("render: give either MAP or --plan GPKG");
            render::MapSpec spec;
            if (!opts->plan.empty()) {
                if (std::filesystem::path(opts->plan).extension() != ".gpkg")
                    throw usage_error("render --plan: expects a GeoPackage of plan layers (.gpkg), got " + opts->plan);
                spec = render::plan_map_spec(opts->plan, opts->title, opts->style);
                if (!opts->paper.empty()) {
                    spec.paper.size = opts->paper;
                    spec.paper = render::resolve_paper(spec.paper);
                }
            } else {
                spec = render::load_map(opts->map);
            }
            auto t0 = std::chrono::steady_clock::now();
            auto data = render::load_map_data(spec);
            if (ctx.verbose)
                ctx.out << "loaded " << data.layers.size() << " layer(s) in " << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
                        << " s\n";
            render::SheetOptions so;
            so.dpi = opts->dpi;
            auto rep = render::render_sheet(data, opts->out, so);
            if (!ctx.quiet) print_render_report(ctx.out, ctx.err, rep, ctx.verbose);
        };
    });
}

}  // namespace planmap::cli
