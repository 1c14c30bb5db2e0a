#include "analysis/network_mode.hpp"

#include <algorithm>
#include <chrono>

#include "analysis/inputs.hpp"
#include "core/i18n.hpp"
#include "core/error.hpp"
#include "layers/crs_hints.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"

namespace planmap::analysis {

void NetworkOptions::check() const {
    if (!(speed_m_per_min > 0)) throw usage_error(param{"speed_m_per_min"}, tr(" must be positive (metres per minute)"));
    for (auto [value, name] : {std::pair{width_m, "width_m"}, {max_snap_m, "max_snap_m"}, {entry_m, "entry_m"}})
        if (!(value >= 0)) throw usage_error(param{name}, tr(" must not be negative (metres)"));
}

network::AttachOptions NetworkOptions::attach() const {
    network::AttachOptions a;
    a.max_snap_m = max_snap_m;
    a.entry_m = entry_m;
    a.count_snap = count_snap;
    return a;
}

network::EdgeMask barrier_mask(const std::vector<std::string>& barriers, const network::Network& net, const geo::Crs& crs,
                               ImportLog& log) {
    if (barriers.empty()) return {};
    std::vector<layers::Layer> barrier_layers;
    std::vector<const GEOSGeometry*> geoms;
    for (const auto& b : barriers) {
        auto layer = import_layer(b, "barriers", log);
        if (!layer.crs()) throw crs_error(trf("barrier {}", layers::missing_crs_error(layer, "", b).what()));
        layer.reproject(crs);
        barrier_layers.push_back(std::move(layer));
    }
    for (const auto& l : barrier_layers)
        for (const auto& f : l.features()) geoms.push_back(f.geometry.get());
    return network::EdgeLocator(net).crossing(geoms);
}

LoadedNetwork load_analysis_network(const NetworkOptions& o, ImportLog& log) {
    auto t0 = std::chrono::steady_clock::now();
    network::NetworkSourceOptions source = o.source;
    source.repair = log.repair;
    LoadedNetwork out{network::open_network(o.network, source), geo::Crs::wgs84(), {}, 0, 0};
    log.take("network", o.network, out.opened.notes);
    if (!out.opened.net.has_geometry())
        throw usage_error(trf("network '{}' has no geometry: give the edge list's node table with ", o.network), param{"nodes"});
    out.crs = geo::Crs::parse(out.opened.net.crs());
    out.blocked = barrier_mask(o.barriers, out.opened.net, out.crs, log);
    out.blocked_edges = static_cast<std::size_t>(std::count(out.blocked.begin(), out.blocked.end(), 1));
    out.load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

nlohmann::json describe_network(const NetworkOptions& o, const LoadedNetwork& n) {
    const auto& net = n.opened.net;
    return {{"source", layers::redact_connection(o.network)},
            {"kind", n.opened.kind},
            {"nodes", net.node_count()},
            {"edges", net.edge_count()},
            {"length_m", net.total_length_m()},
            {"crs", net.crs()},
            {"barriers", o.barriers},
            {"blocked_edges", n.blocked_edges},
            {"max_snap_m", o.max_snap_m},
            {"entry_m", o.entry_m},
            {"count_snap", o.count_snap},
            {"speed_m_per_min", o.speed_m_per_min}};
}

}  // namespace planmap::analysis
