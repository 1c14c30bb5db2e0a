// planmap isochrone --network SRC --from (LON,LAT | SRC[:layer]) (--distance M | --minutes N)
// -o OUT.gpkg: reachable network parts and service-area polygons, per source and dissolved.
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "core/files.hpp"
#include "cli/report.hpp"
#include "cli/network_options.hpp"
#include "analysis/network_mode.hpp"
#include "network/source.hpp"
#include "geo/crs.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "network/search.hpp"
#include "network/service.hpp"
#include "network/whole.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"

namespace planmap::cli {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Source {
    std::string id;
    geo::GeomPtr geometry;  // in the network's CRS (null for node sources)
    std::optional<std::uint32_t> node;
    bool node_given = false;  // a --from-nodes entry (attached iff the node exists)
};

std::optional<std::pair<double, double>> parse_lonlat(const std::string& s) {
    static const std::regex re(R"(^\s*(-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)\s*,\s*(-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)\s*$)");
    std::smatch m;
    if (!std::regex_match(s, m, re)) return std::nullopt;
    return std::make_pair(std::stod(m[1]), std::stod(m[2]));
}

std::vector<std::string> split_ids(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        if (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ';') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

// Features of SRC[:layer] in the network's CRS, ids from id_field (or "id", or the fid).
void read_layer_sources(const std::string& text, const std::string& id_field, const geo::Crs& crs, std::vector<Source>& out) {
    auto spec = layers::SourceSpec::parse(text);
    layers::Layer layer = layers::read_layer(spec);
    if (!layer.crs()) throw crs_error("layer '" + layer.name() + "' of '" + spec.path + "' has no CRS");
    std::string field = id_field;
    if (!field.empty() && layer.field_index(field) < 0)
        throw usage_error("layer '" + layer.name() + "' of '" + spec.path + "' has no field '" + field + "' (--id-field)");
    if (field.empty())
        for (const char* f : {"id", "ID", "Id"})
            if (layer.field_index(f) >= 0) {
                field = f;
                break;
            }
    layer.reproject(crs);
    for (std::size_t i = 0; i < layer.size(); ++i) {
        auto& f = layer.features()[i];
        Source s;
        s.id = field.empty() ? std::to_string(f.fid) : layers::value_to_string(layer.value(i, field));
        s.geometry = std::move(f.geometry);
        out.push_back(std::move(s));
    }
}

}  // namespace

void add_isochrone(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("isochrone", "walking-distance isochrones along a network: reachable streets and service areas");
    struct Opts {
        std::string network, out, json, distances, nodes_file, id_field, start_at = "edge";
        std::vector<std::string> from, from_nodes, barriers;
        double distance_m = NAN, minutes = NAN, speed = 80, width = 25, max_snap = 500, entry = 10;
        bool count_snap = false, dissolved_only = false, no_whole_area = false;
        network::NetworkSourceOptions source;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--network", o->network, "network: a file from 'network build', an OSM file, a line layer, or an edge-list CSV")->required();
    add_network_source_options(*cmd, o->source);
    cmd->add_option("--from", o->from, "a source: LON,LAT (WGS84) or a point/polygon layer SRC[:layer]; repeatable");
    cmd->add_option("--from-nodes", o->from_nodes, "source node ids as in 'network export', comma-separated")->delimiter(',');
    cmd->add_option("--from-nodes-file", o->nodes_file, "file of source node ids (one per line or comma-separated)");
    cmd->add_option("--id-field", o->id_field, "field naming the sources of a --from layer (default: 'id' when present, else the feature id)");
    auto* dist = cmd->add_option("--distance", o->distance_m, "walking distance in metres")->check(CLI::NonNegativeNumber);
    auto* mins = cmd->add_option("--minutes", o->minutes, "walking time in minutes (converted with --speed)")->check(CLI::NonNegativeNumber);
    dist->excludes(mins);
    cmd->add_option("--speed", o->speed, "walking speed in metres per minute (default 80)")->check(CLI::PositiveNumber);
    cmd->add_option("--width", o->width, "the service area reaches this far either side of the reachable network, in metres (default 25)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--max-snap", o->max_snap, "sources farther than this from the network are unattached, in metres (default 500)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--entry", o->entry, "polygon sources are entered from every street within this distance, in metres (default 10)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--start-at", o->start_at,
                    "where point sources start: 'edge' (the nearest point of the nearest street, default) or 'node' (the nearest "
                    "junction or dead end, as tools on a simplified graph do)")
        ->check(CLI::IsMember({"edge", "node"}));
    cmd->add_flag("--count-snap", o->count_snap, "count the straight walk from a source to the network in the distance");
    cmd->add_option("--barrier", o->barriers, "a line or polygon layer SRC[:layer] whose crossings are removed from the network; repeatable");
    cmd->add_flag("--dissolved-only", o->dissolved_only, "write only the dissolved outputs, not one per source");
    cmd->add_flag("--no-whole-edge-area", o->no_whole_area,
                  "skip the polygon around the streets reached at both ends (whole_edge_area_m2 is then 0; saves about a third of "
                  "the polygon time)");
    cmd->add_option("-o,--output", o->out, "output GeoPackage (or other vector format) in the network's metric CRS");
    cmd->add_option("--distances", o->distances, "CSV to write node,dist_m for every reached node (distance to the nearest source)");
    cmd->add_option("--json", o->json, "write a JSON summary (figures and timings_s) to this file");

    cmd->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            if (std::isnan(o->distance_m) && std::isnan(o->minutes)) throw usage_error("isochrone: give --distance M or --minutes N");
            if (o->from.empty() && o->from_nodes.empty() && o->nodes_file.empty())
                throw usage_error("isochrone: give --from, --from-nodes or --from-nodes-file");
            if (o->out.empty() && o->distances.empty() && o->json.empty())
                throw usage_error("isochrone: give -o OUT, --distances FILE or --json FILE");
            if (!o->out.empty()) layers::driver_for_path(o->out);  // a usage error for an unknown format, before any work
            const bool by_time = !std::isnan(o->minutes);
            const double limit = by_time ? o->minutes * o->speed : o->distance_m;

            auto t0 = Clock::now();
            auto opened = network::open_network(o->network, o->source);
            const network::Network& net = opened.net;
            double t_load = since(t0);

            t0 = Clock::now();
            std::vector<Source> sources;
            std::optional<geo::Crs> crs;
            if (net.has_geometry()) crs = geo::Crs::parse(net.crs());
            for (const auto& f : o->from) {
                if (!crs) throw usage_error("--from needs a network with geometry ('" + o->network + "' has none: give its node table with --nodes)");
                if (auto ll = parse_lonlat(f)) {
                    double x = ll->first, y = ll->second;
                    geo::Transformer(geo::Crs::wgs84(), *crs).transform_point(x, y);
                    sources.push_back({std::to_string(sources.size() + 1), geo::make_point(x, y), std::nullopt, false});
                } else {
                    read_layer_sources(f, o->id_field, *crs, sources);
                }
            }
            std::vector<std::string> node_ids = o->from_nodes;
            if (!o->nodes_file.empty()) {
                std::ifstream in(o->nodes_file);
                if (!in) throw io_error("cannot read '" + o->nodes_file + "'");
                std::stringstream ss;
                ss << in.rdbuf();
                for (auto& id : split_ids(ss.str())) node_ids.push_back(id);
            }
            for (const auto& text : node_ids) {
                std::int64_t id = 0;
                auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
                if (ec != std::errc() || p != text.data() + text.size()) {
                    if (text == "node") continue;  // a header line
                    throw usage_error("--from-nodes: '" + text + "' is not an integer node id");
                }
                sources.push_back({text, nullptr, net.find_node(id), true});
            }

            network::EdgeMask blocked;
            std::size_t blocked_count = 0;
            if (!o->barriers.empty()) {
                if (!crs) throw usage_error("--barrier needs a network with geometry");
                blocked = analysis::barrier_mask(o->barriers, net, *crs);
                blocked_count = static_cast<std::size_t>(std::count(blocked.begin(), blocked.end(), 1));
            }

            network::AttachOptions ao;
            ao.max_snap_m = o->max_snap;
            ao.entry_m = o->entry;
            ao.count_snap = o->count_snap;
            std::vector<network::Attachment> attachments(sources.size());
            {
                std::optional<network::NetworkChains> chains;
                std::optional<network::JunctionLocator> junctions;
                if (o->start_at == "node" && net.has_geometry()) {
                    chains.emplace(net, &blocked);
                    junctions.emplace(net, *chains, &blocked);
                }
                std::vector<const GEOSGeometry*> geoms;
                std::vector<std::size_t> which;
                for (std::size_t i = 0; i < sources.size(); ++i) {
                    const GEOSGeometry* g = sources[i].geometry.get();
                    if (junctions && g && !geo::is_empty(g) &&
                        (geo::geometry_type(g) == "Point" || geo::geometry_type(g) == "MultiPoint")) {
                        // --start-at node: each point starts at its nearest junction.
                        auto& a = attachments[i];
                        auto ctx = geo::geos_context();
                        for (int k = 0; k < GEOSGetNumGeometries_r(ctx, g); ++k) {
                            double x, y;
                            const GEOSGeometry* pt = GEOSGetGeometryN_r(ctx, g, k);
                            if (!GEOSGeomGetX_r(ctx, pt, &x) || !GEOSGeomGetY_r(ctx, pt, &y)) continue;
                            auto hit = junctions->nearest({x, y}, o->max_snap);
                            if (!hit) continue;
                            if (!a.attached || hit->distance < a.snap_m) {
                                a.snap_m = hit->distance;
                                a.point = net.node_xy(hit->node);
                            }
                            a.attached = true;
                            a.seeds.push_back(network::Seed::at_node(hit->node, o->count_snap ? hit->distance : 0.0));
                        }
                    } else if (sources[i].node_given) {
                        auto& a = attachments[i];
                        a.attached = sources[i].node.has_value() && !net.arcs(*sources[i].node).empty();
                        if (a.attached) {
                            a.seeds.push_back(network::Seed::at_node(*sources[i].node));
                            if (net.has_geometry()) a.point = net.node_xy(*sources[i].node);
                        }
                    } else {
                        geoms.push_back(sources[i].geometry.get());
                        which.push_back(i);
                    }
                }
                if (!geoms.empty()) {
                    auto att = network::attach_all(net, geoms, ao, &blocked);
                    for (std::size_t k = 0; k < which.size(); ++k) attachments[which[k]] = std::move(att[k]);
                }
            }
            double t_snap = since(t0);

            // The multi-source search: each node's distance to its nearest source.
            t0 = Clock::now();
            network::NetworkSearch search(net, /*parallel=*/true);
            auto seeds = network::all_seeds(attachments);
            search.run(seeds, limit, &blocked);
            double t_search = since(t0);
            double t_polygons = 0;

            std::optional<network::NetworkServiceAreas> areas;
            if (!o->out.empty()) {
                if (!net.has_geometry())
                    throw usage_error("-o needs a network with geometry ('" + o->network + "' has none: give its node table with --nodes)");
                network::ServiceAreaOptions so;
                so.distance_m = limit;
                so.buffer_m = o->width;
                so.per_facility = !o->dissolved_only;
                so.whole_edge_area = !o->no_whole_area;
                so.blocked = &blocked;
                areas = network::service_areas(net, attachments, so);
                t_search += areas->search_s;
                t_polygons = areas->polygons_s;
            }

            t0 = Clock::now();
            // The GeoPackage first: it is the likeliest to fail, and nothing else is written then.
            if (areas) {
                using layers::Field;
                using layers::FieldType;
                layers::Layer src_layer("sources", {{"source_id", FieldType::string, ""}, {"attached", FieldType::integer, ""},
                                                    {"snap_m", FieldType::real, ""}, {"reach_length_m", FieldType::real, ""},
                                                    {"area_m2", FieldType::real, ""}, {"whole_edge_length_m", FieldType::real, ""},
                                                    {"whole_edge_area_m2", FieldType::real, ""}},
                                        crs, "Point");
                layers::Layer reach("reach", {{"source_id", FieldType::string, ""}, {"distance_m", FieldType::real, ""}, {"length_m", FieldType::real, ""}},
                                    crs, "MultiLineString");
                layers::Layer area("service_area", {{"source_id", FieldType::string, ""}, {"distance_m", FieldType::real, ""},
                                                    {"length_m", FieldType::real, ""}, {"area_m2", FieldType::real, ""},
                                                    {"whole_edge_length_m", FieldType::real, ""}, {"whole_edge_area_m2", FieldType::real, ""}},
                                   crs, "MultiPolygon");
                for (std::size_t i = 0; i < sources.size(); ++i) {
                    const auto& a = attachments[i];
                    geo::GeomPtr where;
                    if (a.attached) where = geo::make_point(a.point.x, a.point.y);
                    else if (sources[i].geometry) where = geo::point_on_surface(sources[i].geometry.get());
                    double len = 0, m2 = 0, whole_len = 0, whole_m2 = 0;
                    if (!o->dissolved_only && a.attached) {
                        auto& f = areas->facilities[i];
                        len = f.reach_length_m;
                        m2 = f.area_m2;
                        whole_len = f.whole_edge_length_m;
                        whole_m2 = f.whole_edge_area_m2;
                        reach.add({static_cast<std::int64_t>(reach.size()), std::move(f.lines), {sources[i].id, limit, len}});
                        area.add({static_cast<std::int64_t>(area.size()), std::move(f.area), {sources[i].id, limit, len, m2, whole_len, whole_m2}});
                    }
                    src_layer.add({static_cast<std::int64_t>(i), std::move(where),
                                   {sources[i].id, std::int64_t(a.attached ? 1 : 0), a.attached ? layers::Value(a.snap_m) : layers::Value(),
                                    layers::Value(len), layers::Value(m2), layers::Value(whole_len), layers::Value(whole_m2)}});
                }
                layers::Layer reach_all("reach_all", {{"sources", FieldType::integer, ""}, {"distance_m", FieldType::real, ""}, {"length_m", FieldType::real, ""}},
                                        crs, "MultiLineString");
                reach_all.add({0, geo::clone(areas->lines.get()), {std::int64_t(sources.size()), limit, areas->reach_length_m}});
                layers::Layer area_all("service_area_all", {{"sources", FieldType::integer, ""}, {"distance_m", FieldType::real, ""},
                                                            {"length_m", FieldType::real, ""}, {"area_m2", FieldType::real, ""},
                                                            {"whole_edge_length_m", FieldType::real, ""}, {"whole_edge_area_m2", FieldType::real, ""}},
                                       crs, "MultiPolygon");
                area_all.add({0, geo::clone(areas->area.get()), {std::int64_t(sources.size()), limit, areas->reach_length_m, areas->area_m2,
                                                                 areas->whole_edge_length_m, areas->whole_edge_area_m2}});
                std::vector<const layers::Layer*> out_layers = {&src_layer};
                if (!o->dissolved_only) {
                    out_layers.push_back(&reach);
                    out_layers.push_back(&area);
                }
                out_layers.push_back(&reach_all);
                out_layers.push_back(&area_all);
                layers::write(out_layers, o->out);
            }
            if (!o->distances.empty()) {
                std::string csv = "node,dist_m\n";
                csv.reserve(search.reached().size() * 24);
                char buf[64];
                for (auto n : search.reached()) {
                    csv += std::to_string(net.node_id(n));
                    csv += ',';
                    auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), search.distance(n));
                    csv.append(buf, p);
                    csv += '\n';
                }
                core::write_file_atomically(o->distances, csv);
            }
            double t_write = since(t0);

            std::vector<std::string> unattached;
            for (std::size_t i = 0; i < sources.size(); ++i)
                if (!attachments[i].attached) unattached.push_back(sources[i].id);
            const double reach_len = areas ? areas->reach_length_m : network::NetworkSearch::total_length(search.reachable_parts());
            const double whole_len = areas ? areas->whole_edge_length_m
                                           : network::NetworkSearch::total_length(network::whole_edge_parts(
                                                 net, network::NetworkChains(net, &blocked), search, seeds));

            if (!o->json.empty()) {
                nlohmann::json j;
                j["network"] = {{"source", layers::redact_connection(o->network)}, {"kind", opened.kind}, {"nodes", net.node_count()}, {"edges", net.edge_count()},
                                {"length_m", net.total_length_m()}, {"crs", net.has_geometry() ? net.crs() : ""}};
                j["distance_m"] = limit;
                if (by_time) j["minutes"] = o->minutes;
                j["speed_m_per_min"] = o->speed;
                j["sources"] = sources.size();
                j["attached"] = sources.size() - unattached.size();
                j["unattached"] = unattached;
                j["blocked_edges"] = blocked_count;
                j["reached_nodes"] = search.reached().size();
                j["reach_length_m"] = reach_len;
                j["whole_edge_length_m"] = whole_len;
                j["figures"] = {
                    {"reach_length_m", "streets within the distance, those partly within it up to the exact cut point (metres)"},
                    {"area_m2", "the union of buffers of buffer_m either side of those streets (square metres)"},
                    {"whole_edge_length_m", "ego-graph convention (OSMnx, pgRouting): streets between junctions counted whole when "
                                            "both ends are within the distance, else not at all (metres)"},
                    {"whole_edge_area_m2", "the union of buffers of buffer_m either side of those streets (square metres)"}};
                if (areas) {
                    j["area_m2"] = areas->area_m2;
                    j["whole_edge_area_m2"] = areas->whole_edge_area_m2;
                    j["buffer_m"] = o->width;
                    nlohmann::json per = nlohmann::json::array();
                    for (std::size_t i = 0; i < sources.size() && !o->dissolved_only; ++i)
                        per.push_back({{"id", sources[i].id}, {"attached", attachments[i].attached}, {"snap_m", attachments[i].snap_m},
                                       {"reach_length_m", areas->facilities[i].reach_length_m}, {"area_m2", areas->facilities[i].area_m2},
                                       {"whole_edge_length_m", areas->facilities[i].whole_edge_length_m},
                                       {"whole_edge_area_m2", areas->facilities[i].whole_edge_area_m2}});
                    j["per_source"] = per;
                }
                j["timings_s"] = {{"load", t_load}, {"snap", t_snap}, {"search", t_search}, {"polygons", t_polygons}, {"write", t_write}};
                core::write_file_atomically(o->json, j.dump(2) + "\n");
            }
            if (ctx.quiet) return;
            print_network_summary(ctx.out, opened);
            ctx.out << "distance: " << core::fixed(limit, 1) << " m";
            if (by_time) ctx.out << " (" << o->minutes << " min at a walking speed of " << o->speed << " m/min)";
            else ctx.out << " (" << core::fixed(limit / o->speed, 1) << " min at a walking speed of " << o->speed << " m/min)";
            ctx.out << "\n";
            if (blocked_count) ctx.out << "barriers: " << blocked_count << " edge(s) removed\n";
            ctx.out << "sources: " << sources.size() << ", attached " << sources.size() - unattached.size() << "\n";
            if (!unattached.empty()) {
                ctx.out << "unattached (no usable edge within " << o->max_snap << " m, or not a node): ";
                for (std::size_t i = 0; i < unattached.size(); ++i) {
                    if (i == 20) {
                        ctx.out << " … and " << unattached.size() - 20 << " more";
                        break;
                    }
                    ctx.out << (i ? ", " : "") << unattached[i];
                }
                ctx.out << "\n";
            }
            ctx.out << "reached " << search.reached().size() << " nodes, " << core::fixed(reach_len / 1000.0, 2) << " km of streets";
            ctx.out << " (" << core::fixed(whole_len / 1000.0, 2) << " km reached at both ends)";
            if (areas) ctx.out << ", service area " << core::fixed(areas->area_m2 / 1e6, 3) << " km² (" << o->width << " m either side)";
            ctx.out << "\n";
            ctx.out << "timings: load " << core::fixed(t_load, 3) << " s, snap " << core::fixed(t_snap, 3) << " s, search " << core::fixed(t_search, 3)
                    << " s, polygons " << core::fixed(t_polygons, 3) << " s, write " << core::fixed(t_write, 3) << " s\n";
            if (!o->out.empty()) ctx.out << "wrote " << o->out << "\n";
            if (!o->distances.empty()) ctx.out << "wrote " << o->distances << "\n";
        };
    });
}

}  // namespace planmap::cli
