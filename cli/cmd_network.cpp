// planmap network build SRC -o NET | planmap network export NET --csv E.csv
#include <ostream>

#include "cli/cli.hpp"
#include "cli/report.hpp"
#include "cli/network_options.hpp"
#include "network/source.hpp"
#include "core/error.hpp"
#include "core/paths.hpp"
#include "network/graph.hpp"

namespace planmap::cli {

void add_network(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("network", tr("build, cache and export walking networks"));
    cmd->require_subcommand(1);

    struct BuildOpts {
        std::string src, out;
        network::NetworkSourceOptions source;
    };
    auto b = std::make_shared<BuildOpts>();
    auto* build = cmd->add_subcommand("build", tr("build a walking network (OSM PBF, line layer or edge-list CSV) and cache it"));
    build->add_option("SRC", b->src, tr("OSM file (.osm.pbf/.osm), a line layer (SRC[:layer]), or an edge-list CSV"))->required();
    build->add_option("-o,--output", b->out, tr("network file to write (binary, e.g. NAME.pmnet)"))->required();
    add_network_source_options(*build, b->source);
    build->callback([&ctx, b] {
        ctx.action = [&ctx, b] {
            core::check_outputs({{"SRC", b->src}, {"--nodes", b->source.nodes}}, {{"-o", b->out}});
            auto n = network::open_network(b->src, b->source);
            network::save_network(n.net, b->out);
            if (ctx.quiet) return;
            print_network_summary(ctx.out, n);
            ctx.out << trf("wrote {}", b->out) << "\n";
        };
    });

    struct ExportOpts {
        std::string src, csv, nodes_csv;
        network::NetworkSourceOptions source;
    };
    auto e = std::make_shared<ExportOpts>();
    auto* exp = cmd->add_subcommand("export", tr("export a network as an edge list (u,v,length_m) and a node table (node,lon,lat)"));
    exp->add_option("NET", e->src, tr("network file (or any network source build accepts)"))->required();
    exp->add_option("--csv", e->csv, tr("edge list to write: u,v,length_m (undirected)"))->required();
    exp->add_option("--nodes-csv", e->nodes_csv, tr("node table to write: node,lon,lat (default: E.nodes.csv beside --csv)"));
    add_network_source_options(*exp, e->source);
    exp->callback([&ctx, e] {
        ctx.action = [&ctx, e] {
            std::string nodes = e->nodes_csv.empty() ? network::node_table_path(e->csv) : e->nodes_csv;
            core::check_outputs({{"NET", e->src}, {"--nodes", e->source.nodes}}, {{"--csv", e->csv}, {"--nodes-csv", nodes}});
            auto n = network::open_network(e->src, e->source);
            network::write_edge_list(n.net, e->csv, nodes);
            if (ctx.quiet) return;
            print_network_summary(ctx.out, n);
            ctx.out << trf("wrote {} edges to {}", n.net.edge_count(), e->csv);
            if (n.net.has_geometry()) ctx.out << trf(" and {} nodes to {}", n.net.node_count(), nodes);
            ctx.out << "\n";
        };
    });
}

}  // namespace planmap::cli
