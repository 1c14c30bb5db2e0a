#include "network/source.hpp"

#include <algorithm>
#include <filesystem>

#include "core/i18n.hpp"
#include "geo/crs.hpp"
#include "core/error.hpp"
#include "layers/crs_hints.hpp"
#include "layers/io.hpp"

namespace planmap::network {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string s, const std::string& suffix) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace


OpenedNetwork open_network(const std::string& src, const NetworkSourceOptions& opt) {
    OpenedNetwork out;
    std::error_code ec;
    if (fs::is_regular_file(src, ec) && network::is_network_file(src)) {
        out.net = network::load_network(src);
        out.kind = "network file";
        return out;
    }
    if (ends_with(src, ".pmnet")) {
        if (!fs::exists(src, ec)) throw io_error(trf("cannot read '{}': {}", src, tr("no such file or directory")));
        throw file_error(src, 0, trf("not a valid planmap network file: {}", tr("it does not start with PLANMAPNET")));
    }
    if (ends_with(src, ".csv")) {
        std::string nodes = opt.nodes;
        if (nodes.empty() && fs::exists(network::node_table_path(src), ec)) nodes = network::node_table_path(src);
        out.net = network::read_edge_list(src, nodes);
        out.kind = nodes.empty() ? "edge list" : "edge list + node table " + nodes;
        return out;
    }
    if (ends_with(src, ".pbf") || ends_with(src, ".osm") || ends_with(src, ".osm.bz2") || ends_with(src, ".osm.gz")) {
        out.net = network::build_network_from_osm(src, &out.report, network::parse_walk_rules(opt.walk_rules));
        out.kind = "OSM";
        return out;
    }
    // Any line layer GDAL reads, reprojected to the metric CRS of its centre.
    auto spec = layers::SourceSpec::parse(src);
    layers::ReadOptions ro;
    ro.repair = opt.repair;
    if (!opt.s_crs.empty()) ro.source_crs = geo::Crs::parse(opt.s_crs);
    layers::Layer layer = layers::read_layer(spec, ro);
    if (!layer.crs()) throw layers::missing_crs_error(layer, "network_crs", spec.path);
    auto e = layer.extent();
    if (e.empty) throw io_error(trf("layer '{}' of '{}' has no geometries", layer.name(), spec.path));
    double cx = (e.minx + e.maxx) / 2, cy = (e.miny + e.maxy) / 2;
    if (!layer.crs()->is_geographic() || layer.crs()->is_pseudo())
        geo::Transformer(*layer.crs(), geo::Crs::wgs84()).transform_point(cx, cy);
    geo::Crs metric = geo::analysis_crs_for(cx, cy);
    layer.reproject(metric);
    std::vector<const GEOSGeometry*> lines;
    for (const auto& f : layer.features()) lines.push_back(f.geometry.get());
    out.net = network::build_network_from_lines(lines, metric.label(), opt.snap_m, &out.report);
    out.kind = "line layer " + layer.name();
    out.notes = layer.notes;
    return out;
}


}  // namespace planmap::network
