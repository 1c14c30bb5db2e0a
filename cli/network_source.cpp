#include "cli/network_source.hpp"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "geo/crs.hpp"
#include "geo/error.hpp"
#include "layers/io.hpp"

namespace planmap::cli {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string s, const std::string& suffix) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void NetworkSourceOptions::add_to(CLI::App& cmd) {
    cmd.add_option("--nodes", nodes, "node table (node,lon,lat) of an edge-list CSV network (default: E.nodes.csv beside E.csv)");
    cmd.add_option("--snap", snap_m, "line-layer networks: join end points closer than this, and dead ends this close to a street, in metres (default 0)")
        ->check(CLI::NonNegativeNumber);
    cmd.add_option("--network-crs", s_crs, "line-layer networks: source CRS overriding the file's");
    cmd.add_option("--walk-rules", walk_rules,
                   "OSM networks: osmnx (default: OSMnx's 'walk' network type) or access (OSM legal access: also "
                   "leaves out access=no, trunk roads without sidewalk …)")
        ->check(CLI::IsMember({"osmnx", "access"}));
}

OpenedNetwork open_network(const std::string& src, const NetworkSourceOptions& opt) {
    OpenedNetwork out;
    std::error_code ec;
    if (fs::is_regular_file(src, ec) && geo::is_network_file(src)) {
        out.net = geo::load_network(src);
        out.kind = "network file";
        return out;
    }
    if (ends_with(src, ".pmnet")) {
        if (!fs::exists(src, ec)) throw io_error("cannot read '" + src + "': no such file or directory");
        throw file_error(src, 0, "not a valid planmap network file: it does not start with PLANMAPNET");
    }
    if (ends_with(src, ".csv")) {
        std::string nodes = opt.nodes;
        if (nodes.empty() && fs::exists(geo::node_table_path(src), ec)) nodes = geo::node_table_path(src);
        out.net = geo::read_edge_list(src, nodes);
        out.kind = nodes.empty() ? "edge list" : "edge list + node table " + nodes;
        return out;
    }
    if (ends_with(src, ".pbf") || ends_with(src, ".osm") || ends_with(src, ".osm.bz2") || ends_with(src, ".osm.gz")) {
        out.net = geo::build_network_from_osm(src, &out.report, geo::parse_walk_rules(opt.walk_rules));
        out.kind = "OSM";
        return out;
    }
    // Any line layer GDAL reads, reprojected to the metric CRS of its centre.
    auto spec = layers::SourceSpec::parse(src);
    layers::ReadOptions ro;
    if (!opt.s_crs.empty()) ro.source_crs = geo::Crs::parse(opt.s_crs);
    layers::Layer layer = layers::read_layer(spec, ro);
    if (!layer.crs()) throw crs_error("layer '" + layer.name() + "' of '" + spec.path + "' has no CRS; give --network-crs");
    auto e = layer.extent();
    if (e.empty) throw io_error("layer '" + layer.name() + "' of '" + spec.path + "' has no geometries");
    double cx = (e.minx + e.maxx) / 2, cy = (e.miny + e.maxy) / 2;
    if (!layer.crs()->is_geographic() || layer.crs()->is_pseudo())
        geo::Transformer(*layer.crs(), geo::Crs::wgs84()).transform_point(cx, cy);
    geo::Crs metric = geo::analysis_crs_for(cx, cy);
    layer.reproject(metric);
    std::vector<const GEOSGeometry*> lines;
    for (const auto& f : layer.features()) lines.push_back(f.geometry.get());
    out.net = geo::build_network_from_lines(lines, metric.label(), opt.snap_m, &out.report);
    out.kind = "line layer " + layer.name();
    return out;
}

void print_network_summary(std::ostream& out, const OpenedNetwork& n) {
    std::ostringstream km;
    km << std::fixed << std::setprecision(1) << n.net.total_length_m() / 1000.0;
    out << "network (" << n.kind << "): " << n.net.node_count() << " nodes, " << n.net.edge_count() << " edges, " << km.str()
        << " km, " << (n.net.has_geometry() ? n.net.crs() : std::string("no geometry")) << "\n";
    const auto& r = n.report;
    if (r.ways_read) {
        out << "  " << r.ways_used << " of " << r.ways_read << (n.kind == "OSM" ? " highway ways walkable" : " lines used") << "\n";
        for (const auto& [why, count] : r.skipped) out << "  skipped " << count << ": " << why << "\n";
    }
    if (r.missing_nodes) out << "  " << r.missing_nodes << " node reference(s) without a location (outside the extract): ways cut there\n";
    if (r.snapped_lines) out << "  " << r.snapped_lines << " line end(s) moved by the snapping tolerance\n";
    if (r.duplicate_edges)
        out << "  " << r.duplicate_edges << " edge(s) left out as duplicates (another way over the same nodes), "
            << std::fixed << std::setprecision(1) << r.duplicate_length_m / 1000 << std::defaultfloat << " km\n";
}

}  // namespace planmap::cli
