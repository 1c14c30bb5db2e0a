// planmap synth: a deterministic synthetic city (CGCS2000 Gauss-Krüger) for scale work and tests.
#include <ostream>

#include "analysis/inputs.hpp"
#include "cli/cli.hpp"
#include "core/files.hpp"
#include "core/stopwatch.hpp"
#include "core/error.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"
#include "layers/synth.hpp"
#include "styles/qgis.hpp"

namespace planmap::cli {

void add_synth(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("synth", tr("generate a deterministic synthetic city (parcels, parks, facilities, streets, river)"));
    struct Opts {
        std::size_t parcels = 10000;
        std::uint64_t seed = 1;
        std::string out;
        bool spatial_index = false;
    };
    auto opts = std::make_shared<Opts>();
    cmd->add_option("--parcels", opts->parcels, tr("number of residential parcels (default 10000)"))->check(CLI::Range(1ul, 100000000ul));
    cmd->add_option("--seed", opts->seed, tr("random seed; the same seed gives the same city (default 1)"));
    cmd->add_option("-o,--output", opts->out, tr("output file (.gpkg)"))->required();
    cmd->add_flag("--spatial-index", opts->spatial_index, tr("build GeoPackage R-tree indexes (off by default)"));
    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            core::Stopwatch sw;
            layers::SynthOptions so;
            so.parcels = opts->parcels;
            so.seed = opts->seed;
            auto ds = layers::synth_city(so);
            double gen = sw.lap();
            layers::WriteOptions wo;
            wo.spatial_index = opts->spatial_index;
            wo.styles = styles::qgis_style;
            layers::write(ds, opts->out, wo);
            double wr = sw.lap();
            if (ctx.quiet) return;
            ctx.out << trf("synthetic city (seed {}, EPSG:4549) -> {}", opts->seed, layers::redact_connection(opts->out)) << "\n";
            for (const auto& l : ds.layers) ctx.out << "  " << trf("{}: {} feature(s)", l.name(), l.size()) << "\n";
            ctx.out << "  " << trf("generated in {} s, written in {} s", number(gen), number(wr)) << "\n";
        };
    });
}

}  // namespace planmap::cli
