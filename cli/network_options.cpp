#include "cli/network_options.hpp"

#include "core/text.hpp"

namespace planmap::cli {

void add_network_source_options(CLI::App& cmd, network::NetworkSourceOptions& o) {
    cmd.add_option("--nodes", o.nodes, "node table (node,lon,lat) of an edge-list CSV network (default: E.nodes.csv beside E.csv)");
    cmd.add_option("--snap", o.snap_m, "line-layer networks: join end points closer than this, and dead ends this close to a street, in metres (default 0)")
        ->check(CLI::Range(0.0, 1000.0).description(""));
    cmd.add_option("--network-crs", o.s_crs, "line-layer networks: source CRS overriding the file's");
    cmd.add_option("--walk-rules", o.walk_rules,
                   "OSM networks: osmnx (default: OSMnx's 'walk' network type) or access (OSM legal access: also "
                   "leaves out access=no, trunk roads without sidewalk …)")
        ->check(CLI::IsMember({"osmnx", "access"}));
}

namespace {

// The options after --network; `prefix` starts each help text ("network mode: " or ""). --width
// only for runs that make service areas.
void add_walking_options(CLI::App& cmd, analysis::NetworkOptions& o, const std::string& prefix, bool width) {
    const analysis::NetworkOptions defaults;
    auto dflt = [](double v) { return " (default " + core::fixed(v, 0) + ")"; };
    add_network_source_options(cmd, o.source);
    cmd.add_option("--barrier", o.barriers, prefix + "a line or polygon layer SRC[:layer] whose crossings are removed from the network; repeatable");
    cmd.add_option("--speed", o.speed_m_per_min, prefix + "walking speed in metres per minute, to state distances as minutes" + dflt(defaults.speed_m_per_min));
    if (width)
        cmd.add_option("--width", o.width_m,
                       prefix + "the service area reaches this far either side of the reachable streets, in metres; 0: no area" +
                           dflt(defaults.width_m));
    cmd.add_option("--max-snap", o.max_snap_m, prefix + "what lies farther than this from every street is unattached, in metres" + dflt(defaults.max_snap_m));
    cmd.add_option("--entry", o.entry_m, prefix + "polygons are entered from every street within this distance of them, in metres" + dflt(defaults.entry_m));
    cmd.add_flag("--count-snap", o.count_snap, prefix + "count the straight walk from a point to its street in the distance");
}

}  // namespace

void add_isochrone_network_options(CLI::App& cmd, analysis::NetworkOptions& o) {
    cmd.add_option("--network", o.network, "network: a file from 'network build', an OSM file, a line layer, or an edge-list CSV")->required();
    add_walking_options(cmd, o, "", true);
    cmd.add_option("--start-at", o.start_at,
                   "where point sources start: 'edge' (the nearest point of the nearest street, default) or 'node' (the nearest "
                   "junction or dead end, as tools on a simplified graph do)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, analysis::StartAt>{{"edge", analysis::StartAt::edge},
                                                                                     {"node", analysis::StartAt::node}}));
}

void add_network_mode_options(CLI::App& cmd, analysis::AnalysisInputs& in, bool with_width) {
    cmd.add_option("--mode", in.mode, "straight-line (buffers, the default) or network (walking distance along --network)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, analysis::Mode>{{"straight-line", analysis::Mode::straight_line},
                                                                                  {"network", analysis::Mode::network}}));
    cmd.add_option("--network", in.network.network,
                   "network mode: a file from 'network build', an OSM file, a line layer SRC[:layer], or an edge-list CSV with its node table");
    add_walking_options(cmd, in.network, "network mode: ", with_width);
}

}  // namespace planmap::cli
