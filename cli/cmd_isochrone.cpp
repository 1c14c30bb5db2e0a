// planmap isochrone --network SRC --from (LON,LAT | SRC[:layer]) (--distance M | --minutes N)
// -o OUT.gpkg: reachable network parts and service-area polygons, per source and dissolved.
#include <ostream>

#include "analysis/isochrone_run.hpp"
#include "cli/analysis_options.hpp"
#include "cli/cli.hpp"
#include "core/json.hpp"
#include "core/paths.hpp"
#include "cli/network_options.hpp"
#include "cli/report.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"

namespace planmap::cli {

namespace {

void print_isochrone(std::ostream& out, const analysis::IsochroneResult& r, const analysis::IsochroneOptions& o) {
    const double speed = o.network.speed_m_per_min;
    print_network_summary(out, r.opened);
    out << trf("distance: {} m ({} min at a walking speed of {} m/min)", core::fixed(r.distance_m, 1),
               o.minutes ? number(*o.minutes) : core::fixed(r.distance_m / speed, 1), number(speed))
        << "\n";
    if (r.blocked_edges) out << trf("barriers: {} edge(s) removed", r.blocked_edges) << "\n";
    out << trf("sources: {}, attached {}", r.sources, r.sources - r.unattached.size()) << "\n";
    if (!r.unattached.empty()) {
        out << trf("unattached (no usable edge within {} m, or not a node): ", number(o.network.max_snap_m));
        for (std::size_t i = 0; i < r.unattached.size(); ++i) {
            if (i == 20) {
                out << trf(" … and {} more", r.unattached.size() - 20);
                break;
            }
            out << (i ? ", " : "") << r.unattached[i];
        }
        out << "\n";
    }
    out << trf("reached {} nodes, {} km of streets ({} km reached at both ends)", r.reached_nodes,
               core::fixed(r.reach_length_m / 1000.0, 2), core::fixed(r.whole_edge_length_m / 1000.0, 2));
    if (r.area_m2)
        out << trf(", service area {} km² ({} m either side)", core::fixed(*r.area_m2 / 1e6, 3), number(o.network.width_m));
    out << "\n";
    out << trf("timings: load {} s, snap {} s, search {} s, polygons {} s, write {} s", core::fixed(r.load_s, 3),
               core::fixed(r.snap_s, 3), core::fixed(r.search_s, 3), core::fixed(r.polygons_s, 3), core::fixed(r.write_s, 3))
        << "\n";
    if (!o.output.empty()) out << trf("wrote {}", o.output) << "\n";
    if (!o.distances.empty()) out << trf("wrote {}", o.distances) << "\n";
}

}  // namespace

void add_isochrone(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("isochrone", tr("walking-distance isochrones along a network: reachable streets and service areas"));
    struct Opts {
        analysis::IsochroneOptions run;
        double distance_m = 0, minutes = 0;
        bool no_whole_area = false;
        std::string json;
    };
    auto o = std::make_shared<Opts>();
    add_isochrone_network_options(*cmd, o->run.network);
    cmd->add_option("--from", o->run.from, tr("a source: LON,LAT (WGS84) or a point/polygon layer SRC[:layer]; repeatable"));
    cmd->add_option("--from-nodes", o->run.from_nodes, tr("source node ids as in 'network export', comma-separated"))->delimiter(',');
    cmd->add_option("--from-nodes-file", o->run.from_nodes_file, tr("file of source node ids (one per line or comma-separated)"));
    cmd->add_option("--id-field", o->run.id_field,
                    tr("field naming the sources of a --from layer (default: 'id' when present, else the feature id)"));
    auto* dist = cmd->add_option("--distance", o->distance_m, tr("walking distance in metres"));
    auto* mins = cmd->add_option("--minutes", o->minutes, tr("walking time in minutes (converted with --speed)"));
    cmd->add_flag("--dissolved-only", o->run.dissolved_only, tr("write only the dissolved outputs, not one per source"));
    cmd->add_flag("--no-whole-edge-area", o->no_whole_area,
                  tr("skip the polygon around the streets reached at both ends (whole_edge_area_m2 is then 0; saves about a third of "
                  "the polygon time)"));
    cmd->add_option("-o,--output", o->run.output, tr("output GeoPackage (or other vector format) in the network's metric CRS"));
    cmd->add_option("--distances", o->run.distances, tr("CSV to write node,dist_m for every reached node (distance to the nearest source)"));
    cmd->add_option("--json", o->json, tr("write a JSON summary (figures and timings_s) to this file"));

    cmd->callback([&ctx, o, dist, mins] {
        ctx.action = [&ctx, o, dist, mins] {
            auto& run = o->run;
            if (dist->count()) run.distance_m = o->distance_m;
            if (mins->count()) run.minutes = o->minutes;
            run.whole_edge_area = !o->no_whole_area;
            run.check();
            if (run.output.empty() && run.distances.empty() && o->json.empty())
                throw usage_error(tr("isochrone: give -o OUT, --distances FILE or --json FILE"));
            auto inputs = network_input_paths(run.network);
            inputs.push_back({"--from-nodes-file", run.from_nodes_file});
            for (const auto& f : run.from) inputs.push_back({"--from", f});
            core::check_outputs(inputs, {{"-o", run.output}, {"--distances", run.distances}, {"--json", o->json}});
            auto r = analysis::run_isochrone(run, progress_bars(ctx));
            if (!o->json.empty()) core::write_file_atomically(o->json, core::json_text(r.summary, 2) + "\n");
            if (ctx.quiet) return;
            if (auto repairs = r.imports.summary_line(); !repairs.empty())
                print_warnings(ctx.err, {repairs});
            print_isochrone(ctx.out, r, run);
        };
    });
}

}  // namespace planmap::cli
