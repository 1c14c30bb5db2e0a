#include "cli/network_mode.hpp"

#include <algorithm>
#include <chrono>

#include "geo/error.hpp"
#include "layers/io.hpp"

namespace planmap::cli {

void NetworkModeOptions::add_to(CLI::App& cmd, bool with_width) {
    cmd.add_option("--mode", mode, "straight-line (buffers, the default) or network (walking distance along --network)")
        ->check(CLI::IsMember({"straight-line", "network"}));
    cmd.add_option("--network", network,
                   "network mode: a file from 'network build', an OSM file, a line layer SRC[:layer], or an edge-list CSV with its node table");
    source.add_to(cmd);
    cmd.add_option("--barrier", barriers, "network mode: a line or polygon layer SRC[:layer] whose crossings are removed from the network; repeatable");
    cmd.add_option("--speed", speed, "network mode: walking speed in metres per minute, to state distances as minutes (default 80)")
        ->check(CLI::PositiveNumber);
    cmd.add_option("--max-snap", max_snap, "network mode: what lies farther than this from every street is unattached, in metres (default 500)")
        ->check(CLI::NonNegativeNumber);
    cmd.add_option("--entry", entry, "network mode: polygons are entered from every street within this distance of them, in metres (default 10)")
        ->check(CLI::NonNegativeNumber);
    cmd.add_flag("--count-snap", count_snap, "network mode: count the straight walk from a point to its street in the distance");
    if (with_width)
        cmd.add_option("--width", width, "network mode: the service area reaches this far either side of the reachable streets, in metres (default 25)")
            ->check(CLI::PositiveNumber);
}

void NetworkModeOptions::check() const {
    if (network_mode() && network.empty()) throw usage_error("--mode network needs --network SRC");
    if (!network_mode() && !network.empty()) throw usage_error("--network is used only with --mode network");
    if (!network_mode() && !barriers.empty()) throw usage_error("--barrier is used only with --mode network");
}

geo::AttachOptions NetworkModeOptions::attach() const {
    geo::AttachOptions a;
    a.max_snap_m = max_snap;
    a.entry_m = entry;
    a.count_snap = count_snap;
    return a;
}

geo::EdgeMask barrier_mask(const std::vector<std::string>& barriers, const geo::Network& net, const geo::Crs& crs) {
    if (barriers.empty()) return {};
    std::vector<layers::Layer> barrier_layers;
    std::vector<const GEOSGeometry*> geoms;
    for (const auto& b : barriers) {
        auto layer = layers::read_layer(layers::SourceSpec::parse(b));
        if (!layer.crs()) throw crs_error("barrier layer '" + layer.name() + "' of '" + b + "' has no CRS");
        layer.reproject(crs);
        barrier_layers.push_back(std::move(layer));
    }
    for (const auto& l : barrier_layers)
        for (const auto& f : l.features()) geoms.push_back(f.geometry.get());
    return geo::EdgeLocator(net).crossing(geoms);
}

LoadedNetwork load_analysis_network(const NetworkModeOptions& o) {
    auto t0 = std::chrono::steady_clock::now();
    LoadedNetwork out{open_network(o.network, o.source), geo::Crs::wgs84(), {}, 0, 0};
    if (!out.opened.net.has_geometry())
        throw usage_error("network '" + o.network + "' has no geometry: give the edge list's node table with --nodes");
    out.crs = geo::Crs::parse(out.opened.net.crs());
    out.blocked = barrier_mask(o.barriers, out.opened.net, out.crs);
    out.blocked_edges = static_cast<std::size_t>(std::count(out.blocked.begin(), out.blocked.end(), 1));
    out.load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

nlohmann::json describe_network(const NetworkModeOptions& o, const LoadedNetwork& n) {
    const auto& net = n.opened.net;
    return {{"source", o.network},
            {"kind", n.opened.kind},
            {"nodes", net.node_count()},
            {"edges", net.edge_count()},
            {"length_m", net.total_length_m()},
            {"crs", net.crs()},
            {"barriers", o.barriers},
            {"blocked_edges", n.blocked_edges},
            {"max_snap_m", o.max_snap},
            {"entry_m", o.entry},
            {"count_snap", o.count_snap},
            {"speed_m_per_min", o.speed}};
}

}  // namespace planmap::cli
