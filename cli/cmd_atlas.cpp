// planmap atlas MAP --index SRC --field F -o DIR: one sheet per index feature.
#include <filesystem>
#include <ostream>

#include "cli/cli.hpp"
#include "cli/render_options.hpp"
#include "cli/render_report.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/paths.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"
#include "render/atlas.hpp"

namespace planmap::cli {

void add_atlas(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("atlas", tr("render one sheet per feature of an index layer (e.g. per district)"));
    struct Opts {
        SheetFlags sheet;
        std::string index, field, dir, format = "pdf", s_crs;
        bool overwrite = false;
    };
    auto opts = std::make_shared<Opts>();
    opts->sheet.add_to(*cmd, true);
    cmd->add_option("--index", opts->index, tr("index layer: SRC or SRC:layer; each feature's extent becomes a sheet"))->required();
    cmd->add_option("--field", opts->field, tr("index field naming the sheets (title suffix and file name)"))->required();
    cmd->add_option("-o,--output", opts->dir, tr("output folder, written whole: created, or replaced with --overwrite"))->required();
    cmd->add_flag("--overwrite", opts->overwrite, tr("replace an existing, non-empty output folder as a whole (default: refuse)"));
    cmd->add_option("--format", opts->format, tr("pdf (default), png or svg"))->check(CLI::IsMember({"pdf", "png", "svg"}));
    cmd->add_option("--s-crs", opts->s_crs, tr("CRS of the index layer, overriding the file's (e.g. GCJ02)"));
    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            auto spec = render::load_map(opts->sheet.map);
            auto inputs = render::input_paths(spec);
            inputs.push_back({"--index", opts->index});
            core::check_outputs(inputs, {{"-o", opts->dir}});
            core::OutputFolder folder(opts->dir, opts->overwrite);  // refused before any work when not empty
            auto data = render::load_map_data(spec);
            layers::ReadOptions ro;
            if (!opts->s_crs.empty()) ro.source_crs = geo::Crs::parse(opts->s_crs);
            render::AtlasOptions ao{opts->field, layers::redact_connection(opts->index), opts->format, opts->sheet.sheet};
            auto sheets = render::render_atlas(data, layers::read_layer(layers::SourceSpec::parse(opts->index), ro), folder, ao,
                                               [&ctx](const render::RenderReport& rep) {
                                                   if (!ctx.quiet) print_render_report(ctx.out, ctx.err, rep, ctx.verbose);
                                               });
            if (!ctx.quiet) ctx.out << trf("atlas: {} sheet(s) in {}", sheets, opts->dir) << "\n";
        };
    });
}

}  // namespace planmap::cli
