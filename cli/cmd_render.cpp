// planmap render MAP -o OUT.(pdf|png|svg) [--dpi N] | planmap render --plan GPKG -o OUT
#include <chrono>
#include <filesystem>
#include <ostream>

#include "cli/cli.hpp"
#include "core/files.hpp"
#include "core/paths.hpp"
#include "cli/render_options.hpp"
#include "cli/render_report.hpp"
#include "cli/source_options.hpp"
#include "core/error.hpp"
#include "layers/io.hpp"
#include "plan/plan.hpp"
#include "render/plan_sheet.hpp"
#include "render/sheet.hpp"

namespace planmap::cli {

void add_render(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("render", tr("render a planning map sheet (PDF, PNG or SVG) from a map file or a plan"));
    struct Opts {
        SheetFlags sheet;
        std::string out, plan, title, style = "plan_structure", paper;
        std::vector<std::string> bases;
    };
    auto opts = std::make_shared<Opts>();
    opts->sheet.add_to(*cmd, false);
    cmd->add_option("-o,--output", opts->out, tr("output sheet: .pdf (vector), .png or .svg"))->required();
    cmd->add_option("--plan", opts->plan,
                    tr("render a plan-structure sheet from a plan file (.toml, built first) or a GeoPackage of plan layers"));
    cmd->add_option("--title", opts->title, tr("sheet title with --plan (default: file name + 规划结构图)"));
    cmd->add_option("--style", opts->style, tr("style with --plan (default: plan_structure; a shipped name or a .toml path)"));
    cmd->add_option("--paper", opts->paper, tr("paper with --plan: A0…A4 (default A3 landscape)"));
    add_base_option(*cmd, opts->bases);
    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            if (opts->sheet.map.empty() == opts->plan.empty()) throw usage_error(tr("render: give either MAP or --plan GPKG"));
            if (!opts->bases.empty() && opts->plan.empty())
                throw usage_error(param{"base"}, tr(" applies to a plan file (.toml) given with --plan"));
            core::check_outputs({{"MAP", opts->sheet.map}, {"--plan", opts->plan}}, {{"-o", opts->out}});
            render::MapSpec spec;
            // A plan file is built first into a temporary GeoPackage (removed afterwards).
            std::optional<core::TempDir> built;
            std::optional<plan::Plan> plan;
            if (!opts->plan.empty()) {
                std::string gpkg = opts->plan, title = opts->title;
                auto ext = std::filesystem::path(opts->plan).extension();
                if (ext == ".toml") {
                    plan = plan::parse_plan(opts->plan);
                    plan::replace_bases(*plan, opts->bases);
                    auto build = plan::build_plan(*plan);
                    if (build.errors())
                        throw error(trf("{}: {} check(s) failed; run 'planmap build' for the report", opts->plan, build.errors()));
                    built.emplace(std::filesystem::temp_directory_path());
                    gpkg = (built->path() / (plan->id.empty() ? std::string("plan") : plan->id)).string() + ".gpkg";
                    std::vector<const layers::Layer*> ls;
                    for (const auto& l : build.layers) ls.push_back(&l);
                    layers::write(ls, gpkg);
                } else if (ext == ".gpkg") {
                    if (!opts->bases.empty())
                        throw usage_error(param{"base"}, tr(" applies to a plan file (.toml), not to built plan layers"));
                    plan = plan::plan_identity(layers::read_metadata(gpkg));  // written by `build`
                } else {
                    throw usage_error(
                        trf("render --plan: expects a plan file (.toml) or a GeoPackage of plan layers (.gpkg), got {}", opts->plan));
                }
                if (title.empty() && plan) title = (plan->name_zh.empty() ? plan->id : plan->name_zh) + " 规划结构图";
                render::PlanSheetOptions so;
                so.style = opts->style;
                so.ground = plan::plan_ground_kinds();
                so.beneath = plan::plan_base_kinds();
                const plan::PlanElement* district = plan ? plan->find(plan->district) : nullptr;
                so.fit = district ? district->kind : "district";  // the frame fits the plan's territory
                if (plan)
                    for (const auto& b : plan->bases)
                        if (!b.draw.empty()) so.bases.push_back({b.id, b.resolved, b.crs, b.layer, b.draw});
                spec = render::plan_map_spec(gpkg, title, so);
                if (plan) {  // what the plan file says of itself goes on the sheet
                    spec.period = plan->period;
                    spec.subtitle = plan->name_en;
                    spec.title_block.project = plan->name_zh;
                    spec.title_block.drawing_no = plan->id;
                }
                if (!opts->paper.empty()) {
                    spec.paper.size = opts->paper;
                    spec.paper = render::resolve_paper(spec.paper);
                }
            } else {
                spec = render::load_map(opts->sheet.map);
            }
            core::check_outputs(render::input_paths(spec), {{"-o", opts->out}});  // the map's data sources too
            auto t0 = std::chrono::steady_clock::now();
            auto data = render::load_map_data(spec);
            if (ctx.verbose)
                ctx.out << trf("loaded {} layer(s) in {} s", data.layers.size(),
                               number(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()))
                        << "\n";
            auto rep = render::render_sheet(data, opts->out, opts->sheet.sheet);
            if (!ctx.quiet) print_render_report(ctx.out, ctx.err, rep, ctx.verbose);
        };
    });
}

}  // namespace planmap::cli
