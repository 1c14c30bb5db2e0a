// The isochrone and network commands: layers and reports of an isochrone, unattached sources,
// a broken network file, threads, line-layer networks with barriers, the whole-edge figures in
// the isochrone outputs, --start-at, and a peer check against networkx.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "geo/crs.hpp"
#include "layers/io.hpp"
#include "network/build.hpp"
#include "network/graph.hpp"
#include "tests/network/networks.hpp"
#include "tests/support.hpp"

using namespace planmap;
using test::hand_network;
using test::small_network;
using test::write_text;
namespace fs = std::filesystem;

TEST(NetworkCli, BadNetworkFileExitsOneNamingIt) {
    // Exit 1, one line naming the file, no output written.
    test::TempDir dir;
    write_text(dir / "junk.pmnet", "this is not a network");
    auto r = test::run({"isochrone", "--network", (dir / "junk.pmnet").string(), "--from-nodes", "1", "--distance", "100",
                        "--distances", (dir / "d.csv").string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("junk.pmnet"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(dir / "d.csv"));
}

TEST(NetworkCli, IsochroneWritesLayersAndReportsUnattached) {
    test::TempDir dir;
    auto net = small_network(370000, 4845000);
    network::write_edge_list(net, (dir / "e.csv").string(), (dir / "e.nodes.csv").string());
    // Two lon/lat sources: one on the network, one far away (must be reported by id).
    std::ifstream nodes(dir / "e.nodes.csv");
    std::string header, first;
    std::getline(nodes, header);
    std::getline(nodes, first);  // node 0
    auto c1 = first.find(',');
    std::string lonlat = first.substr(c1 + 1);
    auto r = test::run({"isochrone", "--network", (dir / "e.csv").string(), "--from", lonlat, "--from", "0,0", "--minutes", "2",
                        "-o", (dir / "iso.gpkg").string(), "--json", (dir / "iso.json").string(), "--distances",
                        (dir / "d.csv").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("80 m/min"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("unattached"), std::string::npos) << r.out;
    auto j = test::read_file(dir / "iso.json");
    for (const char* k : {"\"load\"", "\"snap\"", "\"search\"", "\"polygons\"", "\"write\"", "\"unattached\": [\n    \"2\""})
        EXPECT_NE(j.find(k), std::string::npos) << k << "\n" << j;
    auto d = test::read_file(dir / "d.csv");
    EXPECT_NE(d.find("node,dist_m\n0,0\n1,100\n"), std::string::npos) << d;
    EXPECT_TRUE(fs::exists(dir / "iso.gpkg"));
    // --from-nodes with an unknown id: reported, not dropped.
    auto r2 = test::run({"isochrone", "--network", (dir / "e.csv").string(), "--from-nodes", "3,99", "--distance", "100",
                         "--distances", (dir / "d2.csv").string()});
    ASSERT_EQ(r2.code, 0) << r2.err;
    EXPECT_NE(r2.out.find("unattached (no usable edge within 500 m, or not a node): 99"), std::string::npos) << r2.out;
    EXPECT_EQ(test::read_file(dir / "d2.csv"), "node,dist_m\n3,0\n2,100\n");
    // Usage errors: exit 2.
    EXPECT_EQ(test::run({"isochrone", "--network", (dir / "e.csv").string(), "--from-nodes", "3"}).code, 2);
}

TEST(NetworkPeer, DistancesEqualNetworkx) {
    const auto pbf = ::planmap::test::fixture("osm/monaco_centre.osm.pbf");
    if (std::system("/usr/bin/python3 -c 'import networkx' 2>/dev/null") != 0) GTEST_SKIP() << "python3-networkx not installed";
    test::TempDir dir;
    auto b = test::run({"network", "build", pbf.string(), "-o", (dir / "m.pmnet").string(), "-q"});
    ASSERT_EQ(b.code, 0) << b.err;
    auto e = test::run({"network", "export", (dir / "m.pmnet").string(), "--csv", (dir / "m.csv").string(), "-q"});
    ASSERT_EQ(e.code, 0) << e.err;
    auto net = network::load_network((dir / "m.pmnet").string());
    std::mt19937 rng(5);
    std::string ids;
    for (int i = 0; i < 25; ++i) ids += std::to_string(net.node_id(static_cast<std::uint32_t>(rng() % net.node_count()))) + "\n";
    write_text(dir / "src.txt", ids);
    auto r = test::run({"isochrone", "--network", (dir / "m.csv").string(), "--from-nodes-file", (dir / "src.txt").string(),
                        "--distance", "1200", "--distances", (dir / "planmap.csv").string(), "-q"});
    ASSERT_EQ(r.code, 0) << r.err;
    std::string peer = (test::project_root() / "bench" / "network_peer.py").string();
    std::string cmd = "/usr/bin/python3 " + peer + " networkx " + (dir / "m.csv").string() + " " + (dir / "src.txt").string() +
                      " 1200 " + (dir / "nx.csv").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::string cmp = "/usr/bin/python3 " + peer + " compare " + (dir / "planmap.csv").string() + " " + (dir / "nx.csv").string() +
                      " --tol 1e-6 --cutoff 1200 > " + (dir / "cmp.txt").string();
    EXPECT_EQ(std::system(cmp.c_str()), 0) << test::read_file(dir / "cmp.txt");
    EXPECT_NE(test::read_file(dir / "cmp.txt").find("agree"), std::string::npos);
}

TEST(NetworkCli, OneThreadAndAllCoresGiveTheSameDistances) {
    // A 240 x 240 grid (over the two-thread threshold) as an edge list, 120 source nodes.
    test::TempDir dir;
    const int side = 240;
    std::string csv = "u,v,length_m\n", src;
    std::mt19937 rng(4);
    std::uniform_int_distribution<int> mm(80000, 120000);
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const int id = y * side + x;
            if (x + 1 < side) csv += std::to_string(id) + "," + std::to_string(id + 1) + "," + std::to_string(mm(rng) / 1000.0) + "\n";
            if (y + 1 < side) csv += std::to_string(id) + "," + std::to_string(id + side) + "," + std::to_string(mm(rng) / 1000.0) + "\n";
        }
    for (int i = 0; i < 120; ++i) src += std::to_string(rng() % (side * side)) + "\n";
    write_text(dir / "g.csv", csv);
    write_text(dir / "src.txt", src);
    for (const char* threads : {"1", "2"}) {
        auto r = test::run({"--threads", threads, "isochrone", "--network", (dir / "g.csv").string(), "--from-nodes-file",
                            (dir / "src.txt").string(), "--distance", "1500", "--distances",
                            (dir / (std::string("d") + threads + ".csv")).string(), "-q"});
        ASSERT_EQ(r.code, 0) << r.err;
    }
    auto sorted_lines = [&](const fs::path& f) {
        std::istringstream in(test::read_file(f));
        std::vector<std::string> lines;
        for (std::string l; std::getline(in, l);) lines.push_back(l);
        std::sort(lines.begin(), lines.end());
        return lines;
    };
    auto one = sorted_lines(dir / "d1.csv"), two = sorted_lines(dir / "d2.csv");
    EXPECT_GT(one.size(), 10000u);
    EXPECT_EQ(one, two);
    EXPECT_EQ(test::run({"--threads", "0", "info", "x"}).code, 2);  // a positive number of cores
}

TEST(NetworkCli, LineLayerNetworkAndBarrier) {
    test::TempDir dir;
    // Two streets crossing near Monaco (lon/lat) and a wall across the eastern arm.
    write_text(dir / "streets.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[7.420,43.735],[7.430,43.735]]}},
{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[7.425,43.731],[7.425,43.739]]}}]})");
    write_text(dir / "wall.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[7.428,43.734],[7.428,43.736]]}}]})");
    auto b = test::run({"network", "build", (dir / "streets.geojson").string(), "-o", (dir / "s.pmnet").string()});
    ASSERT_EQ(b.code, 0) << b.err;
    EXPECT_NE(b.out.find("5 nodes, 4 edges"), std::string::npos) << b.out;
    auto r = test::run({"isochrone", "--network", (dir / "s.pmnet").string(), "--from", "7.425,43.735", "--distance", "2000",
                        "--barrier", (dir / "wall.geojson").string(), "--json", (dir / "j.json").string(), "-o",
                        (dir / "o.gpkg").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    auto j = test::read_file(dir / "j.json");
    EXPECT_NE(j.find("\"blocked_edges\": 1"), std::string::npos) << j;
    // Without the eastern arm (about 402 m): the other three arms, about 1,290 m in all.
    double reach = nlohmann::json::parse(j)["reach_length_m"].get<double>();
    EXPECT_GT(reach, 1200);
    EXPECT_LT(reach, 1400);
}

TEST(NetworkWhole, IsochroneReportsBothFigures) {
    test::TempDir dir;
    auto net = hand_network(370000, 4845000);
    network::write_edge_list(net, (dir / "e.csv").string(), (dir / "e.nodes.csv").string());
    auto r = test::run({"isochrone", "--network", (dir / "e.csv").string(), "--from-nodes", "0", "--distance", "250", "-o",
                        (dir / "iso.gpkg").string(), "--json", (dir / "iso.json").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    auto j = nlohmann::json::parse(test::read_file(dir / "iso.json"));
    EXPECT_DOUBLE_EQ(j["reach_length_m"].get<double>(), 300);  // 250 m: a-b, b-c, 50 m of c-d, b-e
    EXPECT_DOUBLE_EQ(j["whole_edge_length_m"].get<double>(), 150);
    EXPECT_GT(j["whole_edge_area_m2"].get<double>(), 0);
    EXPECT_DOUBLE_EQ(j["per_source"][0]["whole_edge_length_m"].get<double>(), 150);
    EXPECT_TRUE(j["figures"].contains("whole_edge_length_m"));
    auto sources = layers::read_layer(layers::SourceSpec::parse((dir / "iso.gpkg").string() + ":sources"));
    ASSERT_EQ(sources.size(), 1u);
    EXPECT_DOUBLE_EQ(std::get<double>(sources.value(0, "whole_edge_length_m")), 150);
    auto all = layers::read_layer(layers::SourceSpec::parse((dir / "iso.gpkg").string() + ":service_area_all"));
    EXPECT_DOUBLE_EQ(std::get<double>(all.value(0, "whole_edge_length_m")), 150);
    // Without -o (no polygons), the JSON still has the whole-edge length.
    auto r2 = test::run({"isochrone", "--network", (dir / "e.csv").string(), "--from-nodes", "0", "--distance", "250", "--json",
                         (dir / "j2.json").string()});
    ASSERT_EQ(r2.code, 0) << r2.err;
    EXPECT_DOUBLE_EQ(nlohmann::json::parse(test::read_file(dir / "j2.json"))["whole_edge_length_m"].get<double>(), 150);
}

TEST(NetworkWhole, StartAtNodeUsesTheNearestJunction) {
    test::TempDir dir;
    const double ox = 370000, oy = 4845000;
    auto net = hand_network(ox, oy);
    network::write_edge_list(net, (dir / "e.csv").string(), (dir / "e.nodes.csv").string());
    // 5 m off b-c, 95 m from b: nearest street point 95 m along b-c; nearest junction b (c is
    // inside the street b-c-d, d is 105 m away).
    double x = ox + 195, y = oy + 5;
    geo::Transformer(geo::Crs::parse("EPSG:32632"), geo::Crs::wgs84()).transform_point(x, y);
    char lonlat[64];
    std::snprintf(lonlat, sizeof lonlat, "%.9f,%.9f", x, y);
    auto figures = [&](const std::string& start) {
        auto r = test::run({"isochrone", "--network", (dir / "e.csv").string(), "--from", lonlat, "--distance", "100", "--start-at",
                            start, "--json", (dir / "j.json").string(), "-o", (dir / "o.gpkg").string()});
        EXPECT_EQ(r.code, 0) << r.err;
        return nlohmann::json::parse(test::read_file(dir / "j.json"))["per_source"][0];
    };
    auto edge = figures("edge");
    EXPECT_NEAR(edge["snap_m"].get<double>(), 5, 0.05);
    EXPECT_NEAR(edge["whole_edge_length_m"].get<double>(), 95, 0.5);  // b-source; d (105 m) is out of reach
    EXPECT_NEAR(edge["reach_length_m"].get<double>(), 100 + 5 + 100, 0.5);
    auto node = figures("node");
    EXPECT_NEAR(node["snap_m"].get<double>(), std::hypot(95, 5), 0.1);
    EXPECT_DOUBLE_EQ(node["whole_edge_length_m"].get<double>(), 150);  // from b: a-b and b-e
    EXPECT_DOUBLE_EQ(node["reach_length_m"].get<double>(), 250);       // and 100 m into b-c
    EXPECT_EQ(test::run({"isochrone", "--network", (dir / "e.csv").string(), "--from", lonlat, "--distance", "100", "--start-at",
                         "middle", "--json", (dir / "j.json").string()})
                  .code,
              2);
}
