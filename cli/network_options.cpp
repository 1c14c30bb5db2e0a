#include "cli/network_options.hpp"

namespace planmap::cli {

void add_network_source_options(CLI::App& cmd, network::NetworkSourceOptions& o) {
    cmd.add_option("--nodes", o.nodes, "node table (node,lon,lat) of an edge-list CSV network (default: E.nodes.csv beside E.csv)");
    cmd.add_option("--snap", o.snap_m, "line-layer networks: join end points closer than this, and dead ends this close to a street, in metres (default 0)")
        ->check(CLI::NonNegativeNumber);
    cmd.add_option("--network-crs", o.s_crs, "line-layer networks: source CRS overriding the file's");
    cmd.add_option("--walk-rules", o.walk_rules,
                   "OSM networks: osmnx (default: OSMnx's 'walk' network type) or access (OSM legal access: also "
                   "leaves out access=no, trunk roads without sidewalk …)")
        ->check(CLI::IsMember({"osmnx", "access"}));
}

void add_network_mode_options(CLI::App& cmd, analysis::NetworkModeOptions& o, bool with_width) {
    cmd.add_option("--mode", o.mode, "straight-line (buffers, the default) or network (walking distance along --network)")
        ->check(CLI::IsMember({"straight-line", "network"}));
    cmd.add_option("--network", o.network,
                   "network mode: a file from 'network build', an OSM file, a line layer SRC[:layer], or an edge-list CSV with its node table");
    add_network_source_options(cmd, o.source);
    cmd.add_option("--barrier", o.barriers, "network mode: a line or polygon layer SRC[:layer] whose crossings are removed from the network; repeatable");
    cmd.add_option("--speed", o.speed, "network mode: walking speed in metres per minute, to state distances as minutes (default 80)")
        ->check(CLI::PositiveNumber);
    cmd.add_option("--max-snap", o.max_snap, "network mode: what lies farther than this from every street is unattached, in metres (default 500)")
        ->check(CLI::NonNegativeNumber);
    cmd.add_option("--entry", o.entry, "network mode: polygons are entered from every street within this distance of them, in metres (default 10)")
        ->check(CLI::NonNegativeNumber);
    cmd.add_flag("--count-snap", o.count_snap, "network mode: count the straight walk from a point to its street in the distance");
    if (with_width)
        cmd.add_option("--width", o.width, "network mode: the service area reaches this far either side of the reachable streets, in metres (default 25)")
            ->check(CLI::PositiveNumber);
}

}  // namespace planmap::cli
