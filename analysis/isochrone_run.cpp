#include "analysis/isochrone_run.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/i18n.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "geo/crs.hpp"
#include "layers/crs_hints.hpp"
#include "layers/io.hpp"
#include "styles/qgis.hpp"
#include "network/search.hpp"
#include "network/service.hpp"
#include "network/whole.hpp"

namespace planmap::analysis {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Source {
    std::string id;
    geo::GeomPtr geometry;  // in the network's CRS (null for node sources)
    std::optional<std::uint32_t> node;
    bool node_given = false;  // a from_nodes entry (attached iff the node exists)
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
void read_layer_sources(const std::string& text, const std::string& id_field, const geo::Crs& crs, std::vector<Source>& out,
                        const ProgressFn& progress, ImportLog& log) {
    auto spec = layers::SourceSpec::parse(text);
    layers::ReadOptions ro;
    ro.progress = progress;
    layers::Layer layer = import_layer(text, "sources", log, ro);
    if (!layer.crs()) throw layers::missing_crs_error(layer, "", spec.path);
    std::string field = id_field;
    if (!field.empty() && layer.field_index(field) < 0)
        throw usage_error(trf("layer '{}' of '{}' has no field '{}' (", layer.name(), spec.path, field), param{"id_field"}, ")");
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

// The sources: points and layers of `from` (needing a network with geometry), then node ids.
std::vector<Source> read_sources(const IsochroneOptions& o, const network::Network& net, const std::optional<geo::Crs>& crs,
                                 const Progress& progress, ImportLog& log) {
    std::vector<Source> sources;
    for (const auto& f : o.from) {
        if (!crs)
            throw usage_error(param{"from"}, trf(" needs a network with geometry ('{}' has none: give its node table with ", o.network.network),
                              param{"nodes"}, ")");
        if (auto ll = parse_lonlat(f)) {
            double x = ll->first, y = ll->second;
            geo::Transformer(geo::Crs::wgs84(), *crs).transform_point(x, y);
            sources.push_back({std::to_string(sources.size() + 1), geo::make_point(x, y), std::nullopt, false});
        } else {
            read_layer_sources(f, o.id_field, *crs, sources, step_progress(progress, trf("reading {}", f)), log);
        }
    }
    std::vector<std::string> node_ids = o.from_nodes;
    if (!o.from_nodes_file.empty()) {
        std::ifstream in(o.from_nodes_file);
        if (!in) throw io_error(trf("cannot read '{}'", o.from_nodes_file));
        std::stringstream ss;
        ss << in.rdbuf();
        for (auto& id : split_ids(ss.str())) node_ids.push_back(id);
    }
    for (const auto& text : node_ids) {
        std::int64_t id = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || p != text.data() + text.size()) {
            if (text == "node") continue;  // a header line
            throw usage_error(param{"from_nodes"}, trf(": '{}' is not an integer node id", text));
        }
        sources.push_back({text, nullptr, net.find_node(id), true});
    }
    return sources;
}

// Each point of a (multi)point source starts at its nearest junction or dead end (StartAt::node).
network::Attachment attach_at_junctions(const GEOSGeometry* g, const network::Network& net, const network::JunctionLocator& junctions,
                                        const NetworkOptions& o) {
    network::Attachment a;
    auto ctx = geo::geos_context();
    for (int k = 0; k < GEOSGetNumGeometries_r(ctx, g); ++k) {
        double x, y;
        const GEOSGeometry* pt = GEOSGetGeometryN_r(ctx, g, k);
        if (!GEOSGeomGetX_r(ctx, pt, &x) || !GEOSGeomGetY_r(ctx, pt, &y)) continue;
        auto hit = junctions.nearest({x, y}, o.max_snap_m);
        if (!hit) continue;
        if (!a.attached || hit->distance < a.snap_m) {
            a.snap_m = hit->distance;
            a.point = net.node_xy(hit->node);
        }
        a.attached = true;
        a.seeds.push_back(network::Seed::at_node(hit->node, o.count_snap ? hit->distance : 0.0));
    }
    return a;
}

std::vector<network::Attachment> attach_sources(const std::vector<Source>& sources, const network::Network& net,
                                                const NetworkOptions& o, const network::EdgeMask& blocked) {
    std::vector<network::Attachment> attachments(sources.size());
    std::optional<network::NetworkChains> chains;
    std::optional<network::JunctionLocator> junctions;
    if (o.start_at == StartAt::node && net.has_geometry()) {
        chains.emplace(net, &blocked);
        junctions.emplace(net, *chains, &blocked);
    }
    std::vector<const GEOSGeometry*> geoms;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const GEOSGeometry* g = sources[i].geometry.get();
        if (junctions && g && !geo::is_empty(g) && (geo::geometry_type(g) == "Point" || geo::geometry_type(g) == "MultiPoint")) {
            attachments[i] = attach_at_junctions(g, net, *junctions, o);
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
        auto att = network::attach_all(net, geoms, o.attach(), &blocked);
        for (std::size_t k = 0; k < which.size(); ++k) attachments[which[k]] = std::move(att[k]);
    }
    return attachments;
}

// The output layers: sources, reach and service_area per source (unless dissolved_only), and
// reach_all and service_area_all.
void write_isochrone_layers(const IsochroneOptions& o, std::vector<Source>& sources, const std::vector<network::Attachment>& attachments,
                            network::NetworkServiceAreas& areas, const std::optional<geo::Crs>& crs, double limit) {
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
        if (!o.dissolved_only && a.attached) {
            auto& f = areas.facilities[i];
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
    reach_all.add({0, geo::clone(areas.lines.get()), {std::int64_t(sources.size()), limit, areas.reach_length_m}});
    layers::Layer area_all("service_area_all", {{"sources", FieldType::integer, ""}, {"distance_m", FieldType::real, ""},
                                                {"length_m", FieldType::real, ""}, {"area_m2", FieldType::real, ""},
                                                {"whole_edge_length_m", FieldType::real, ""}, {"whole_edge_area_m2", FieldType::real, ""}},
                           crs, "MultiPolygon");
    area_all.add({0, geo::clone(areas.area.get()), {std::int64_t(sources.size()), limit, areas.reach_length_m, areas.area_m2,
                                                    areas.whole_edge_length_m, areas.whole_edge_area_m2}});
    std::vector<const layers::Layer*> out_layers = {&src_layer};
    if (!o.dissolved_only) {
        out_layers.push_back(&reach);
        out_layers.push_back(&area);
    }
    out_layers.push_back(&reach_all);
    out_layers.push_back(&area_all);
    layers::WriteOptions wo;
    wo.styles = styles::qgis_style;  // the layers open styled in QGIS
    layers::write(out_layers, o.output, wo);
}

void write_distances_csv(const std::string& path, const network::Network& net, const network::NetworkSearch& search) {
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
    core::write_file_atomically(path, csv);
}

}  // namespace

void IsochroneOptions::check() const {
    if (network.network.empty()) throw usage_error(param{"network"}, tr(" is required"));
    network.check();
    if (!distance_m && !minutes) throw usage_error(tr("isochrone: give "), param{"distance_m"}, tr(" M or "), param{"minutes"}, " N");
    if (distance_m && minutes) throw usage_error(param{"distance_m"}, tr(" and "), param{"minutes"}, tr(" exclude each other"));
    if (distance_m && !(*distance_m >= 0)) throw usage_error(param{"distance_m"}, tr(" must not be negative (metres)"));
    if (minutes && !(*minutes >= 0)) throw usage_error(param{"minutes"}, tr(" must not be negative"));
    if (from.empty() && from_nodes.empty() && from_nodes_file.empty())
        throw usage_error(tr("isochrone: give "), param{"from"}, ", ", param{"from_nodes"}, tr(" or "), param{"from_nodes_file"});
    if (!output.empty()) layers::driver_for_path(output);  // a usage error for an unknown format, before any work
}

double IsochroneOptions::limit_m() const { return minutes ? *minutes * network.speed_m_per_min : distance_m.value_or(0); }

IsochroneResult run_isochrone(const IsochroneOptions& o, const Progress& progress) {
    o.check();
    const double limit = o.limit_m();
    IsochroneResult r;
    r.distance_m = limit;

    auto t0 = Clock::now();
    r.opened = network::open_network(o.network.network, o.network.source);
    r.imports.take("network", o.network.network, r.opened.notes);
    const network::Network& net = r.opened.net;
    r.load_s = since(t0);

    t0 = Clock::now();
    std::optional<geo::Crs> crs;
    if (net.has_geometry()) crs = geo::Crs::parse(net.crs());
    auto sources = read_sources(o, net, crs, progress, r.imports);
    network::EdgeMask blocked;
    if (!o.network.barriers.empty()) {
        if (!crs) throw usage_error(param{"barriers"}, tr(" needs a network with geometry"));
        blocked = barrier_mask(o.network.barriers, net, *crs, r.imports);
        r.blocked_edges = static_cast<std::size_t>(std::count(blocked.begin(), blocked.end(), 1));
    }
    auto attachments = attach_sources(sources, net, o.network, blocked);
    r.snap_s = since(t0);

    // The multi-source search: each node's distance to its nearest source.
    t0 = Clock::now();
    network::NetworkSearch search(net, /*parallel=*/true);
    auto seeds = network::all_seeds(attachments);
    search.run(seeds, limit, &blocked);
    r.search_s = since(t0);

    std::optional<network::NetworkServiceAreas> areas;
    if (!o.output.empty()) {
        if (!net.has_geometry())
            throw usage_error(param{"output"}, trf(" needs a network with geometry ('{}' has none: give its node table with ", o.network.network),
                              param{"nodes"}, ")");
        network::ServiceAreaOptions so;
        so.distance_m = limit;
        so.buffer_m = o.network.width_m;
        so.per_facility = !o.dissolved_only;
        so.whole_edge_area = o.whole_edge_area;
        so.blocked = &blocked;
        areas = network::service_areas(net, attachments, so);
        r.search_s += areas->search_s;
        r.polygons_s = areas->polygons_s;
    }

    t0 = Clock::now();
    // The layers first: they are the likeliest to fail, and nothing else is written then.
    if (areas) write_isochrone_layers(o, sources, attachments, *areas, crs, limit);
    if (!o.distances.empty()) write_distances_csv(o.distances, net, search);
    r.write_s = since(t0);

    r.sources = sources.size();
    r.reached_nodes = search.reached().size();
    for (std::size_t i = 0; i < sources.size(); ++i)
        if (!attachments[i].attached) r.unattached.push_back(sources[i].id);
    r.reach_length_m = areas ? areas->reach_length_m : network::NetworkSearch::total_length(search.reachable_parts());
    r.whole_edge_length_m = areas ? areas->whole_edge_length_m
                                  : network::NetworkSearch::total_length(network::whole_edge_parts(
                                        net, network::NetworkChains(net, &blocked), search, seeds));
    if (areas) r.area_m2 = areas->area_m2;

    auto& j = r.summary;
    j["network"] = {{"source", o.network.network}, {"kind", r.opened.kind}, {"nodes", net.node_count()}, {"edges", net.edge_count()},
                    {"length_m", net.total_length_m()}, {"crs", net.has_geometry() ? net.crs() : ""}};
    j["distance_m"] = limit;
    if (o.minutes) j["minutes"] = *o.minutes;
    j["speed_m_per_min"] = o.network.speed_m_per_min;
    j["sources"] = sources.size();
    j["attached"] = sources.size() - r.unattached.size();
    j["unattached"] = r.unattached;
    j["blocked_edges"] = r.blocked_edges;
    r.imports.add_to(j);
    j["reached_nodes"] = r.reached_nodes;
    j["reach_length_m"] = r.reach_length_m;
    j["whole_edge_length_m"] = r.whole_edge_length_m;
    j["figures"] = {{"reach_length_m", "streets within the distance, those partly within it up to the exact cut point (metres)"},
                    {"area_m2", "the union of buffers of buffer_m either side of those streets (square metres)"},
                    {"whole_edge_length_m", "ego-graph convention (OSMnx, pgRouting): streets between junctions counted whole when "
                                            "both ends are within the distance, else not at all (metres)"},
                    {"whole_edge_area_m2", "the union of buffers of buffer_m either side of those streets (square metres)"}};
    if (areas) {
        j["area_m2"] = areas->area_m2;
        j["whole_edge_area_m2"] = areas->whole_edge_area_m2;
        j["buffer_m"] = o.network.width_m;
        nlohmann::json per = nlohmann::json::array();
        for (std::size_t i = 0; i < sources.size() && !o.dissolved_only; ++i)
            per.push_back({{"id", sources[i].id}, {"attached", attachments[i].attached}, {"snap_m", attachments[i].snap_m},
                           {"reach_length_m", areas->facilities[i].reach_length_m}, {"area_m2", areas->facilities[i].area_m2},
                           {"whole_edge_length_m", areas->facilities[i].whole_edge_length_m},
                           {"whole_edge_area_m2", areas->facilities[i].whole_edge_area_m2}});
        j["per_source"] = per;
    }
    j["timings_s"] = {{"load", r.load_s}, {"snap", r.snap_s}, {"search", r.search_s}, {"polygons", r.polygons_s}, {"write", r.write_s}};
    return r;
}

}  // namespace planmap::analysis
