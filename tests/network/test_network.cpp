// The walking network: graph building, bounded multi-source search against brute force, partial
// edges, snapping and unattached sources, barriers, file round trips and bad files, the OSM build,
// locality ordering and threads. (The isochrone command and the peer check against networkx are
// in tests/cli/test_network_cli.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <tuple>

#include "geo/crs.hpp"
#include "core/error.hpp"
#include "network/graph.hpp"
#include "network/build.hpp"
#include "network/search.hpp"
#include "network/service.hpp"
#include "tests/network/networks.hpp"
#include "tests/support.hpp"

using namespace planmap;
using network::Network;
using network::NetworkSearch;
using network::Seed;
using test::small_network;
using test::write_text;
namespace fs = std::filesystem;

namespace {

// A random multigraph with self-loops and parallel edges, and its all-pairs distances.
struct RandomGraph {
    Network net;
    std::vector<std::vector<double>> dist;
};
RandomGraph random_graph(unsigned seed, int n, int m) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> node(0, n - 1);
    std::uniform_real_distribution<double> len(0.5, 120.0);
    Network::Parts p;
    for (int i = 0; i < n; ++i) p.node_ids.push_back(1000 + 7 * i);  // sparse external ids
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> d(n, std::vector<double>(n, inf));
    for (int i = 0; i < n; ++i) d[i][i] = 0;
    for (int k = 0; k < m; ++k) {
        int u = node(rng), v = node(rng);
        double l = std::round(len(rng) * 1000) / 1000;
        p.edges.push_back({static_cast<std::uint32_t>(u), static_cast<std::uint32_t>(v), l});
        d[u][v] = std::min(d[u][v], l);
        d[v][u] = std::min(d[v][u], l);
    }
    for (int k = 0; k < n; ++k)
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) d[i][j] = std::min(d[i][j], d[i][k] + d[k][j]);
    return {Network(std::move(p)), d};
}

}  // namespace

TEST(NetworkGraph, CsrAndIds) {
    auto net = small_network();
    EXPECT_EQ(net.node_count(), 5u);
    EXPECT_EQ(net.edge_count(), 4u);
    EXPECT_EQ(net.arcs(1).size(), 3u);
    EXPECT_EQ(net.find_node(3), 3u);
    EXPECT_FALSE(net.find_node(7).has_value());
    EXPECT_DOUBLE_EQ(net.total_length_m(), 350);
    Network::Parts bad;
    bad.node_ids = {0};
    bad.edges = {{0, 1, 5}};
    EXPECT_THROW(Network(std::move(bad)), geometry_error);
}

TEST(NetworkSearch, MultiSourceEqualsBruteForce) {
    for (unsigned seed = 1; seed <= 5; ++seed) {
        auto g = random_graph(seed, 40, 70);
        NetworkSearch search(g.net);
        std::vector<std::uint32_t> sources = {seed % 40, (seed * 7) % 40, (seed * 13 + 5) % 40};
        std::vector<Seed> seeds;
        for (auto s : sources) seeds.push_back(Seed::at_node(s));
        for (double limit : {0.0, 60.0, 150.0, 1e9}) {
            search.run(seeds, limit);
            for (std::uint32_t v = 0; v < 40; ++v) {
                double best = std::numeric_limits<double>::infinity();
                for (auto s : sources) best = std::min(best, g.dist[s][v]);
                double expect = best <= limit ? best : std::numeric_limits<double>::infinity();
                if (std::isinf(expect)) EXPECT_TRUE(std::isinf(search.distance(v))) << "seed " << seed << " node " << v;
                else EXPECT_NEAR(search.distance(v), expect, 1e-9) << "seed " << seed << " node " << v << " limit " << limit;
            }
            // reached() lists exactly the nodes within the limit, each once.
            std::vector<std::uint32_t> listed(search.reached().begin(), search.reached().end());
            std::sort(listed.begin(), listed.end());
            EXPECT_TRUE(std::adjacent_find(listed.begin(), listed.end()) == listed.end());
            std::size_t within = 0;
            for (std::uint32_t v = 0; v < 40; ++v) within += std::isfinite(search.distance(v)) ? 1 : 0;
            EXPECT_EQ(listed.size(), within);
        }
    }
}

TEST(NetworkSearch, PartialEdgesEndAtTheExactCutPoint) {
    auto net = small_network();
    NetworkSearch search(net);
    std::vector<Seed> seeds = {Seed::at_node(0)};
    search.run(seeds, 150);
    auto parts = search.reachable_parts();
    std::map<std::uint32_t, std::pair<double, double>> by_edge;
    for (const auto& p : parts) by_edge[p.edge] = {p.from_m, p.to_m};
    ASSERT_EQ(by_edge.size(), 3u);
    EXPECT_DOUBLE_EQ(by_edge[0].second, 100);
    EXPECT_DOUBLE_EQ(by_edge[1].first, 0);
    EXPECT_DOUBLE_EQ(by_edge[1].second, 50);  // cut 50 m into b-c
    EXPECT_DOUBLE_EQ(by_edge[3].second, 50);  // the whole spur
    EXPECT_DOUBLE_EQ(NetworkSearch::total_length(parts), 200);
    // Geometry of the cut: the part of b-c ends at x = 150.
    auto pts = net.edge_substring(1, 0, 50);
    ASSERT_EQ(pts.size(), 2u);
    EXPECT_DOUBLE_EQ(pts.back().x, 150);
}

TEST(NetworkSearch, SeedInsideAnEdge) {
    auto net = small_network();
    NetworkSearch search(net);
    // 30 m along b-c with 20 m to walk: only the stretch 10..50 of that edge, no node.
    std::vector<Seed> seeds = {Seed::on_edge(1, 30, 30)};
    search.run(seeds, 20);
    EXPECT_TRUE(search.reached().empty());
    auto parts = search.reachable_parts();
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_DOUBLE_EQ(parts[0].from_m, 10);
    EXPECT_DOUBLE_EQ(parts[0].to_m, 50);
    // With 120 m: node b at 30 m, node c at 70 m.
    search.run(seeds, 120);
    EXPECT_DOUBLE_EQ(search.distance(1), 30);
    EXPECT_DOUBLE_EQ(search.distance(2), 70);
    EXPECT_DOUBLE_EQ(search.distance(4), 80);
    EXPECT_DOUBLE_EQ(search.distance(0), 130 <= 120 ? 130 : std::numeric_limits<double>::infinity());
    EXPECT_NEAR(NetworkSearch::total_length(search.reachable_parts()), 90 + 100 + 50 + 50, 1e-9);
}

TEST(NetworkService, SnappingAndUnattachedSources) {
    auto net = small_network();
    network::EdgeLocator locator(net);
    auto hit = locator.nearest({150, 10}, 500);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->edge, 1u);
    EXPECT_DOUBLE_EQ(hit->offset_m, 50);
    EXPECT_DOUBLE_EQ(hit->distance, 10);
    // Farther than the maximum snap distance: unattached, and reported as such.
    auto p_near = geo::make_point(150, 10), p_far = geo::make_point(150, 900);
    network::AttachOptions ao;
    ao.max_snap_m = 100;
    auto att = network::attach_all(net, {p_near.get(), p_far.get()}, ao);
    ASSERT_EQ(att.size(), 2u);
    EXPECT_TRUE(att[0].attached);
    EXPECT_FALSE(att[1].attached);
    network::ServiceAreaOptions so;
    so.distance_m = 60;
    so.buffer_m = 5;
    auto areas = network::service_areas(net, att, so);
    ASSERT_EQ(areas.unattached.size(), 1u);
    EXPECT_EQ(areas.unattached[0], 1u);
    EXPECT_NEAR(areas.reach_length_m, 120 + 10, 1e-9);  // 60 m each way along b-c, 10 m up the spur
    EXPECT_NEAR(areas.facilities[0].reach_length_m, areas.reach_length_m, 1e-9);
    EXPECT_GT(areas.area_m2, 130 * 10 * 0.95);
    EXPECT_LT(areas.area_m2, 130 * 10 + 4 * 25 * M_PI);
    // A polygon touching b-c enters along the stretch inside it.
    auto poly = geo::make_polygon({{120, -5}, {160, -5}, {160, 5}, {120, 5}, {120, -5}});
    ao.entry_m = 0;
    auto pa = network::attach_all(net, {poly.get()}, ao);
    ASSERT_TRUE(pa[0].attached);
    ASSERT_EQ(pa[0].seeds.size(), 1u);
    EXPECT_NEAR(pa[0].seeds[0].from_m, 20, 1e-9);
    EXPECT_NEAR(pa[0].seeds[0].to_m, 60, 1e-9);
}

TEST(NetworkService, BarriersRemoveCrossedEdges) {
    auto net = small_network();
    network::EdgeLocator locator(net);
    auto wall = geo::make_linestring({{250, -20}, {250, 20}});
    auto blocked = locator.crossing({wall.get()});
    EXPECT_EQ(std::count(blocked.begin(), blocked.end(), 1), 1);
    EXPECT_EQ(blocked[2], 1);
    NetworkSearch search(net);
    std::vector<Seed> seeds = {Seed::at_node(0)};
    search.run(seeds, 1000, &blocked);
    EXPECT_TRUE(std::isinf(search.distance(3)));
    EXPECT_DOUBLE_EQ(search.distance(2), 200);
    EXPECT_DOUBLE_EQ(NetworkSearch::total_length(search.reachable_parts()), 250);
    // A source next to the blocked edge snaps to a usable one instead.
    network::EdgeLocator usable(net, &blocked);
    auto hit = usable.nearest({280, 5}, 500);
    ASSERT_TRUE(hit);
    EXPECT_NE(hit->edge, 2u);
}

TEST(NetworkFiles, BinaryAndCsvRoundTrip) {
    test::TempDir dir;
    auto g = random_graph(11, 30, 60);
    network::save_network(g.net, (dir / "g.pmnet").string());
    auto back = network::load_network((dir / "g.pmnet").string());
    ASSERT_EQ(back.edge_count(), g.net.edge_count());
    EXPECT_EQ(back.node_id(3), g.net.node_id(3));
    network::write_edge_list(g.net, (dir / "e.csv").string(), (dir / "e.nodes.csv").string());
    EXPECT_FALSE(fs::exists(dir / "e.nodes.csv"));  // no geometry, no node table
    auto csv = network::read_edge_list((dir / "e.csv").string());
    NetworkSearch a(g.net), b(back), c(csv);
    std::vector<Seed> s1 = {Seed::at_node(0)}, s3 = {Seed::at_node(*csv.find_node(g.net.node_id(0)))};
    a.run(s1, 1e9);
    b.run(s1, 1e9);
    c.run(s3, 1e9);
    for (std::uint32_t v = 0; v < g.net.node_count(); ++v) {
        EXPECT_EQ(a.distance(v), b.distance(v));
        auto cv = csv.find_node(g.net.node_id(v));
        if (cv) EXPECT_EQ(a.distance(v), c.distance(*cv)) << "node " << g.net.node_id(v);
        else EXPECT_TRUE(std::isinf(a.distance(v)));  // a node no edge touches is not in the CSV
    }
    // With geometry: the node table comes back, projected to the same metric CRS.
    auto net = small_network(370000, 4845000);
    network::write_edge_list(net, (dir / "s.csv").string(), network::node_table_path((dir / "s.csv").string()));
    auto s = network::read_edge_list((dir / "s.csv").string(), (dir / "s.nodes.csv").string());
    ASSERT_TRUE(s.has_geometry());
    EXPECT_EQ(s.crs(), "EPSG:32632");
    EXPECT_NEAR(s.node_xy(*s.find_node(3)).x - s.node_xy(*s.find_node(0)).x, 300, 1e-3);
}

TEST(NetworkFiles, BadFilesGiveClearErrors) {
    test::TempDir dir;
    auto net = small_network();
    std::string good = (dir / "g.pmnet").string();
    network::save_network(net, good);
    auto expect_error = [](const std::string& path, const std::string& words) {
        try {
            network::load_network(path);
            ADD_FAILURE() << "no error for " << path;
        } catch (const file_error& e) {
            std::string msg = e.what();
            EXPECT_NE(msg.find(path), std::string::npos) << msg;
            EXPECT_NE(msg.find(words), std::string::npos) << msg;
        }
    };
    write_text(dir / "junk.pmnet", "this is not a network");
    expect_error((dir / "junk.pmnet").string(), "does not start with PLANMAPNET");
    std::string bytes = test::read_file(good);
    write_text(dir / "short.pmnet", bytes.substr(0, bytes.size() / 2));
    expect_error((dir / "short.pmnet").string(), "truncated");
    std::string v2 = bytes;
    v2[10] = 9;  // the version right after the magic
    write_text(dir / "v9.pmnet", v2);
    expect_error((dir / "v9.pmnet").string(), "format version 9");
    std::string bad_node = bytes;
    // The first edge's u (after the header, the CRS and five node ids) points past the nodes.
    std::size_t u_pos = 10 + 4 * 3 + 8 * 4 + net.crs().size() + 5 * 8;
    std::uint32_t big = 77;
    std::memcpy(bad_node.data() + u_pos, &big, 4);
    write_text(dir / "badnode.pmnet", bad_node);
    expect_error((dir / "badnode.pmnet").string(), "refers to a node that does not exist");
    // Edge-list CSV errors name the file and line.
    write_text(dir / "e.csv", "u,v,length_m\n1,2,10\n2,3,ten\n");
    try {
        network::read_edge_list((dir / "e.csv").string());
        ADD_FAILURE() << "no error";
    } catch (const file_error& e) {
        EXPECT_NE(std::string(e.what()).find("e.csv:3"), std::string::npos) << e.what();
    }
}

TEST(NetworkBuild, LinesAreNodedAndSnapped) {
    // A cross (+) and a line ending 0.4 m short of the cross's east end.
    auto h = geo::make_linestring({{0, 0}, {200, 0}});
    auto v = geo::make_linestring({{100, -100}, {100, 100}});
    auto gap = geo::make_linestring({{200.4, 0}, {300, 0}});
    auto plain = network::build_network_from_lines({h.get(), v.get(), gap.get()}, "EPSG:32632", 0);
    EXPECT_EQ(plain.node_count(), 7u);  // 4 ends of the cross, its centre, 2 ends of the gap line
    EXPECT_EQ(plain.edge_count(), 5u);
    network::NetworkBuildReport rep;
    auto snapped = network::build_network_from_lines({h.get(), v.get(), gap.get()}, "EPSG:32632", 1.0, &rep);
    EXPECT_EQ(snapped.node_count(), 6u);
    EXPECT_EQ(rep.snapped_lines, 1u);
    NetworkSearch search(snapped);
    network::EdgeLocator loc(snapped);
    auto west = loc.nearest({0, 0}, 1);
    ASSERT_TRUE(west);
    std::vector<Seed> seeds = {Seed::on_edge(west->edge, west->offset_m, west->offset_m)};
    search.run(seeds, 1000);
    double far_east = std::numeric_limits<double>::infinity();
    for (std::uint32_t n = 0; n < snapped.node_count(); ++n)
        if (snapped.node_xy(n).x > 299) far_east = search.distance(n);
    EXPECT_NEAR(far_east, 300, 0.5);
}

TEST(NetworkBuild, UndershootAtATJunctionIsJoined) {
    // A side street stopping 0.5 m short of the main street.
    auto main_street = geo::make_linestring({{0, 0}, {200, 0}});
    auto side = geo::make_linestring({{100, 0.5}, {100, 100}});
    auto far_end = [](const Network& net) {
        NetworkSearch search(net);
        std::vector<Seed> seeds = {Seed::at_node(0)};
        for (std::uint32_t n = 0; n < net.node_count(); ++n)
            if (net.node_xy(n).x == 0 && net.node_xy(n).y == 0) seeds = {Seed::at_node(n)};
        search.run(seeds, 1000);
        for (std::uint32_t n = 0; n < net.node_count(); ++n)
            if (net.node_xy(n).y == 100) return search.distance(n);
        return -1.0;
    };
    auto loose = network::build_network_from_lines({main_street.get(), side.get()}, "EPSG:32632", 0);
    EXPECT_TRUE(std::isinf(far_end(loose)));
    network::NetworkBuildReport rep;
    auto joined = network::build_network_from_lines({main_street.get(), side.get()}, "EPSG:32632", 1.0, &rep);
    EXPECT_EQ(rep.snapped_lines, 1u);
    EXPECT_EQ(joined.node_count(), 5u);  // the split point on the main street is a node
    EXPECT_EQ(joined.edge_count(), 4u);  // two halves, the connector, the side street
    EXPECT_NEAR(far_end(joined), 100 + 0.5 + 99.5, 1e-9);
}

TEST(NetworkBuild, WalkableTags) {
    using network::WalkRules;
    auto rule = [](std::map<std::string, std::string> tags, WalkRules rules) {
        return network::walk_exclusion(
            [&](const char* k) -> const char* {
                auto it = tags.find(k);
                return it == tags.end() ? nullptr : it->second.c_str();
            },
            rules);
    };
    // Both rule sets.
    for (auto r : {WalkRules::osmnx, WalkRules::access}) {
        EXPECT_EQ(rule({{"highway", "footway"}}, r), nullptr);
        EXPECT_EQ(rule({{"highway", "residential"}}, r), nullptr);
        EXPECT_NE(rule({{"highway", "motorway"}}, r), nullptr);
        EXPECT_NE(rule({{"highway", "motorway_link"}}, r), nullptr);
        EXPECT_EQ(rule({{"highway", "trunk"}, {"sidewalk", "both"}}, r), nullptr);
        EXPECT_NE(rule({{"highway", "service"}, {"access", "private"}}, r), nullptr);
        EXPECT_NE(rule({{"highway", "footway"}, {"foot", "no"}}, r), nullptr);
        EXPECT_NE(rule({{"highway", "pedestrian"}, {"area", "yes"}}, r), nullptr);
        EXPECT_NE(rule({{"highway", "construction"}}, r), nullptr);
        EXPECT_NE(rule({{"building", "yes"}}, r), nullptr);
    }
    // OSMnx's 'walk' filter: regex-like substring matches, access=no kept, every cycleway out.
    EXPECT_EQ(rule({{"highway", "service"}, {"access", "no"}}, WalkRules::osmnx), nullptr);
    EXPECT_EQ(rule({{"highway", "trunk"}}, WalkRules::osmnx), nullptr);
    EXPECT_NE(rule({{"highway", "cycleway"}, {"foot", "designated"}}, WalkRules::osmnx), nullptr);
    EXPECT_NE(rule({{"highway", "service"}, {"access", "private"}, {"foot", "yes"}}, WalkRules::osmnx), nullptr);
    EXPECT_NE(rule({{"highway", "service"}, {"service", "private;driveway"}}, WalkRules::osmnx), nullptr);
    EXPECT_NE(rule({{"highway", "path"}, {"foot", "unknown"}}, WalkRules::osmnx), nullptr);  // contains "no"
    EXPECT_EQ(rule({{"highway", "footway"}, {"foot", "private"}}, WalkRules::osmnx), nullptr);
    // OSM legal access.
    EXPECT_NE(rule({{"highway", "service"}, {"access", "no"}}, WalkRules::access), nullptr);
    EXPECT_NE(rule({{"highway", "trunk"}}, WalkRules::access), nullptr);
    EXPECT_EQ(rule({{"highway", "cycleway"}, {"foot", "designated"}}, WalkRules::access), nullptr);
    EXPECT_EQ(rule({{"highway", "service"}, {"access", "private"}, {"foot", "yes"}}, WalkRules::access), nullptr);
    EXPECT_NE(rule({{"highway", "footway"}, {"foot", "private"}}, WalkRules::access), nullptr);  // a private pier
    EXPECT_EQ(network::parse_walk_rules("access"), WalkRules::access);
    EXPECT_THROW(network::parse_walk_rules("car"), usage_error);
}

TEST(NetworkBuild, MonacoFromOsm) {
    const auto pbf = ::planmap::test::fixture("osm/monaco_centre.osm.pbf");
    network::NetworkBuildReport rep;
    auto net = network::build_network_from_osm(pbf.string(), &rep);
    EXPECT_EQ(net.crs(), "EPSG:32632");  // UTM 32N
    EXPECT_GT(net.node_count(), 1000u);
    EXPECT_GT(net.edge_count(), net.node_count() / 2);
    EXPECT_GT(net.total_length_m(), 50e3);
    EXPECT_LT(net.total_length_m(), 2000e3);
    EXPECT_GT(rep.ways_used, rep.ways_read / 2);
    EXPECT_GT(rep.skipped.count("highway not for walking") + rep.skipped.count("access=private"), 0u);
    // The legal-access rules leave out the access=no roads and keep the cycleways a foot tag
    // opens (which OSMnx's rules drop): in central Monaco the same number of ways is used and the
    // lengths nearly balance (90.15 km against 90.10 km), but they are different networks.
    network::NetworkBuildReport strict;
    auto legal = network::build_network_from_osm(pbf.string(), &strict, network::WalkRules::access);
    EXPECT_GT(strict.skipped["access=no/private"], 0u);
    EXPECT_NE(legal.total_length_m(), net.total_length_m());
    // Every edge is at least as long as the straight line between its nodes, and its polyline
    // starts and ends at them.
    for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
        auto ed = net.edge(e);
        auto a = net.node_xy(ed.u), b = net.node_xy(ed.v);
        ASSERT_GE(ed.length_m + 1e-6, std::hypot(a.x - b.x, a.y - b.y));
        ASSERT_EQ(net.edge_points(e).front().x, a.x);
        ASSERT_EQ(net.edge_points(e).back().y, b.y);
    }
    // 1,200 m from the Place du Casino: a plausible share of the streets, a plausible polygon.
    double x = 7.4277, y = 43.7396;
    geo::Transformer(geo::Crs::wgs84(), geo::Crs::parse(net.crs())).transform_point(x, y);
    auto pt = geo::make_point(x, y);
    auto att = network::attach_all(net, {pt.get()}, {});
    ASSERT_TRUE(att[0].attached);
    EXPECT_LT(att[0].snap_m, 60);
    network::ServiceAreaOptions so;
    so.per_facility = false;
    auto areas = network::service_areas(net, att, so);
    EXPECT_GT(areas.reach_length_m, 10e3);
    EXPECT_LT(areas.reach_length_m, net.total_length_m());
    EXPECT_GT(areas.area_m2, 0.5e6);
    EXPECT_LT(areas.area_m2, M_PI * 1225 * 1225);  // never more than the straight-line circle
}

TEST(NetworkSearch, TwoThreadsGiveTheSameDistances) {
    // A 260 x 260 grid (over the two-thread threshold) with jittered lengths, 100 seeds.
    const std::uint32_t side = 260;
    Network::Parts p;
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> len(80, 120);
    for (std::uint32_t i = 0; i < side * side; ++i) p.node_ids.push_back(i);
    for (std::uint32_t y = 0; y < side; ++y)
        for (std::uint32_t x = 0; x < side; ++x) {
            if (x + 1 < side) p.edges.push_back({y * side + x, y * side + x + 1, len(rng)});
            if (y + 1 < side) p.edges.push_back({y * side + x, (y + 1) * side + x, len(rng)});
        }
    Network net(std::move(p));
    std::vector<Seed> seeds;
    for (int i = 0; i < 100; ++i) seeds.push_back(Seed::at_node(static_cast<std::uint32_t>(rng() % net.node_count())));
    seeds.push_back(Seed::on_edge(5, 10, 30));
    NetworkSearch two(net, true), one(net, false);
    for (int round = 0; round < 2; ++round) {  // twice: the second run must forget the first
        two.run(seeds, 1200.0 - round * 500);
        one.run(seeds, 1200.0 - round * 500);
        ASSERT_EQ(two.reached().size(), one.reached().size());
        for (std::uint32_t v = 0; v < net.node_count(); ++v) ASSERT_EQ(two.distance(v), one.distance(v)) << v;
        EXPECT_NEAR(NetworkSearch::total_length(two.reachable_parts()), NetworkSearch::total_length(one.reachable_parts()), 1e-6);
    }
}

namespace {
// Mean index distance between the ends of an edge: small when neighbours sit close in memory.
double mean_gap(const Network::Parts& p) {
    double s = 0;
    for (const auto& e : p.edges) s += std::abs(double(e.u) - double(e.v));
    return s / double(p.edges.size());
}
// The edges as (smaller id, larger id, length), sorted: what must survive a renumbering.
std::vector<std::tuple<std::int64_t, std::int64_t, double>> edges_by_id(const Network::Parts& p) {
    std::vector<std::tuple<std::int64_t, std::int64_t, double>> out;
    for (const auto& e : p.edges)
        out.emplace_back(std::min(p.node_ids[e.u], p.node_ids[e.v]), std::max(p.node_ids[e.u], p.node_ids[e.v]), e.length_m);
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

TEST(NetworkGraph, LocalityOrderKeepsTheGraphAndBringsNeighboursTogether) {
    // A 150 x 150 street grid plus a separate 10-node path, its nodes listed in random order.
    const std::uint32_t side = 150, n = side * side + 10;
    std::vector<std::uint32_t> slot(n);
    for (std::uint32_t i = 0; i < n; ++i) slot[i] = i;
    std::mt19937 rng(11);
    std::shuffle(slot.begin(), slot.end(), rng);
    for (bool with_xy : {false, true}) {
        Network::Parts p;
        p.node_ids.resize(n);
        if (with_xy) p.node_xy.resize(n);
        for (std::uint32_t i = 0; i < n; ++i) {
            p.node_ids[slot[i]] = 1000 + i;
            if (with_xy) p.node_xy[slot[i]] = {double(i % side) * 100, double(i / side) * 100 + (i >= side * side ? 1e5 : 0)};
        }
        for (std::uint32_t y = 0; y < side; ++y)
            for (std::uint32_t x = 0; x < side; ++x) {
                if (x + 1 < side) p.edges.push_back({slot[y * side + x], slot[y * side + x + 1], 100.0 + x});
                if (y + 1 < side) p.edges.push_back({slot[y * side + x], slot[(y + 1) * side + x], 100.0 + y});
            }
        for (std::uint32_t i = side * side; i + 1 < n; ++i) p.edges.push_back({slot[i], slot[i + 1], 50});
        const auto before = edges_by_id(p);
        const double gap_before = mean_gap(p);
        auto xy_of = [&](const Network::Parts& q) {
            std::map<std::int64_t, std::pair<double, double>> m;
            for (std::uint32_t i = 0; with_xy && i < n; ++i) m[q.node_ids[i]] = {q.node_xy[i].x, q.node_xy[i].y};
            return m;
        };
        const auto xy_before = xy_of(p);
        network::order_for_locality(p);
        EXPECT_EQ(edges_by_id(p), before) << "with_xy " << with_xy;
        EXPECT_EQ(xy_of(p), xy_before);
        // Shuffled, neighbours are n/3 apart on average; ordered, within a few rows of the grid.
        EXPECT_GT(gap_before, n / 4.0);
        EXPECT_LT(mean_gap(p), 2.0 * side) << "with_xy " << with_xy;
        Network net(std::move(p));  // still a valid network
        EXPECT_EQ(net.node_count(), n);
    }
}
