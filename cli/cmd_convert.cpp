// planmap convert SRC DST: read, optionally reproject, write (atomically).
#include <filesystem>
#include <ostream>

#include "cli/cli.hpp"
#include "cli/report.hpp"
#include "cli/source_options.hpp"
#include "core/error.hpp"
#include "core/paths.hpp"
#include "layers/crs_hints.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"
#include "plan/plan.hpp"
#include "styles/qgis.hpp"

namespace planmap::cli {

void add_convert(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("convert", tr("convert between formats and CRSs (GCJ02/BD09 included)"));
    struct Opts {
        std::string src, dst, t_crs, format;
        SourceOptions source;
    };
    auto opts = std::make_shared<Opts>();
    cmd->add_option("SRC", opts->src, tr("input file, folder or connection string; SRC:layer selects a layer"))->required();
    cmd->add_option("DST", opts->dst, tr("output: .gpkg (default format), .geojson, .shp, .fgb, or PG:…"))->required();
    cmd->add_option("--t-crs", opts->t_crs, tr("target CRS (EPSG:n, WKT, .prj, GCJ02, BD09, or 'auto' for the metric analysis CRS)"));
    cmd->add_option("--format,-f", opts->format, tr("GDAL driver name, overriding the extension"));
    opts->source.add_to(*cmd);
    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            core::check_outputs({{"SRC", opts->src}}, {{"DST", opts->dst}});
            std::optional<geo::Crs> target;
            if (!opts->t_crs.empty() && opts->t_crs != "auto") target = geo::Crs::parse(opts->t_crs);
            layers::Dataset ds = opts->source.read(opts->src, ctx.err, ctx.quiet);
            std::size_t features = 0;
            for (auto& l : ds.layers) {
                features += l.size();
                print_warnings(ctx.err, l.warnings);
                std::optional<geo::Crs> to = target;
                if (opts->t_crs == "auto") {
                    if (!l.crs()) throw layers::missing_crs_error(l, "source_crs", layers::redact_connection(opts->src));
                    auto e = l.extent();
                    double cx = (e.minx + e.maxx) / 2, cy = (e.miny + e.maxy) / 2;
                    geo::Transformer(*l.crs(), geo::Crs::wgs84()).transform_point(cx, cy);
                    to = geo::analysis_crs_for(cx, cy);
                }
                if (to) {
                    for (const auto& w : l.reproject(*to)) ctx.err << "planmap: " << tr("warning: ") << w << "\n";
                }
            }
            layers::WriteOptions wo;
            wo.format = opts->format;
            wo.styles = styles::qgis_style;
            // A plan GeoPackage (from `build`) keeps what the plan says of itself (id, names, period).
            auto src = layers::SourceSpec::parse(opts->src);
            if (std::filesystem::path(src.path).extension() == ".gpkg") {
                if (auto plan = plan::plan_identity(layers::read_metadata(src.path))) wo.metadata = plan::plan_metadata(*plan);
            }
            auto report = layers::write(ds, opts->dst, wo);
            if (ctx.quiet) return;
            for (const auto& l : ds.layers) {
                ctx.out << trf("layer {}: {} feature(s), {}, encoding {} ({})", l.name(), l.size(),
                               l.crs() ? l.crs()->label() : std::string(tr("no CRS")), l.encoding, l.encoding_source);
                if (l.invalid_geometries)
                    ctx.out << (l.invalid_geometries == 1 ? std::string(tr(", 1 invalid geometry"))
                                                          : trf(", {} invalid geometries", l.invalid_geometries));
                ctx.out << "\n";
                print_notes(ctx.out, l.notes, ctx.verbose ? 1000 : 10);
            }
            for (const auto& [s, o] : report.renamed_fields) ctx.out << trf("field {} written as {}", o, s) << "\n";
            if (!report.field_map_path.empty()) ctx.out << trf("field names map: {}", report.field_map_path) << "\n";
            ctx.out << trf("wrote {} feature(s) to {} ({})", features, layers::redact_connection(opts->dst), report.format) << "\n";
        };
    });
}

}  // namespace planmap::cli
