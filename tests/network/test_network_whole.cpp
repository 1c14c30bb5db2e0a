// Streets reached at both ends (the ego-graph convention of OSMnx and pgRouting) on a hand-made
// network whose answers are worked out by hand. (Their place in the isochrone outputs is tested in
// tests/cli/test_network_cli.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "geo/crs.hpp"
#include "network/graph.hpp"
#include "network/build.hpp"
#include "network/search.hpp"
#include "network/service.hpp"
#include "network/whole.hpp"
#include "layers/io.hpp"
#include "tests/network/networks.hpp"
#include "tests/support.hpp"

using namespace planmap;
using network::Network;
using network::NetworkSearch;
using network::Seed;
using test::hand_network;

namespace {

double whole_length(const Network& net, std::vector<Seed> seeds, double limit, const network::EdgeMask* blocked = nullptr) {
    NetworkSearch search(net);
    search.run(seeds, limit, blocked);
    network::NetworkChains chains(net, blocked);
    return NetworkSearch::total_length(network::whole_edge_parts(net, chains, search, seeds));
}

}  // namespace

TEST(NetworkWhole, ChainsRunBetweenJunctions) {
    auto net = hand_network();
    network::NetworkChains chains(net);
    EXPECT_EQ(chains.size(), 7u);  // a-b, b-c-d, b-e, d-f, d-h and the two f-g paths
    EXPECT_TRUE(chains.interior(2));
    EXPECT_FALSE(chains.interior(6));  // two edges, but one neighbour
    EXPECT_EQ(chains.chain_of(1), chains.chain_of(2));
    auto c = chains.chain_of(2);
    EXPECT_DOUBLE_EQ(chains.length_m(c), 200);
    EXPECT_EQ(chains.entry(2).at_m, 100);
    // A barrier on c-d makes c a dead end: b-c becomes a street of its own.
    network::EdgeMask blocked(net.edge_count(), 0);
    blocked[2] = 1;
    network::NetworkChains cut(net, &blocked);
    EXPECT_FALSE(cut.interior(2));
    EXPECT_EQ(cut.chain_of(2), Network::none);
    EXPECT_DOUBLE_EQ(cut.length_m(cut.chain_of(1)), 100);
}

TEST(NetworkWhole, StreetsCountWhenBothEndsAreWithinReach) {
    auto net = hand_network();
    // From a: b at 100, e at 150, c at 200 (inside b-c-d), d at 300, h at 330, f at 340, g at 400.
    EXPECT_DOUBLE_EQ(whole_length(net, {Seed::at_node(0)}, 150), 100 + 50);
    // c is within 250 m but d is not: the street b-c-d does not count (its exact part does).
    EXPECT_DOUBLE_EQ(whole_length(net, {Seed::at_node(0)}, 250), 150);
    EXPECT_DOUBLE_EQ(whole_length(net, {Seed::at_node(0)}, 300), 350);
    EXPECT_DOUBLE_EQ(whole_length(net, {Seed::at_node(0)}, 399), 350 + 30 + 40);
    EXPECT_DOUBLE_EQ(whole_length(net, {Seed::at_node(0)}, 400), 420 + 120);  // both parallel paths to g
    // The exact figure for comparison: 150 m reaches 50 m into b-c.
    NetworkSearch search(net);
    std::vector<Seed> a = {Seed::at_node(0)};
    search.run(a, 150);
    EXPECT_DOUBLE_EQ(NetworkSearch::total_length(search.reachable_parts()), 200);
}

TEST(NetworkWhole, SourcesInsideAStreetSplitIt) {
    auto net = hand_network();
    // 30 m along b-c: b at 30, e at 80, c at 70, a at 130, d at 170, h at 200, f at 210.
    std::vector<Seed> at30 = {Seed::on_edge(1, 30, 30)};
    EXPECT_DOUBLE_EQ(whole_length(net, at30, 120), 30 + 50);          // source-b and b-e
    EXPECT_DOUBLE_EQ(whole_length(net, at30, 200), 30 + 170 + 50 + 100 + 30);
    // The same point on the edge given the other way round (d-c-b order is immaterial): edge c-d
    // at 40 m from c is 140 m along the street from b.
    std::vector<Seed> on_cd = {Seed::on_edge(2, 40, 40)};  // b at 140, d at 60, h at 90, f at 100, g at 160
    EXPECT_DOUBLE_EQ(whole_length(net, on_cd, 100), 60 + 30 + 40);  // source-d, d-h, d-f
    EXPECT_DOUBLE_EQ(whole_length(net, on_cd, 140), 60 + 30 + 40 + 140);
    // A node source inside a street (c, with two neighbours) splits it too: b and d at 100.
    EXPECT_DOUBLE_EQ(whole_length(net, {Seed::at_node(2)}, 100), 200);
    // A polygon source covering 20..60 of b-c: that stretch, and the pieces out to reached ends.
    std::vector<Seed> stretch = {Seed::on_edge(1, 20, 60)};  // b at 20, d at 140
    EXPECT_DOUBLE_EQ(whole_length(net, stretch, 50), 20 + 40);  // b-source and the stretch; e at 70 is too far
    EXPECT_DOUBLE_EQ(whole_length(net, stretch, 70), 20 + 40 + 50);
    EXPECT_DOUBLE_EQ(whole_length(net, stretch, 10), 40);
    // Two sources on the same street: all between them counts; a source beyond the distance does not.
    std::vector<Seed> two = {Seed::on_edge(1, 10, 10), Seed::on_edge(2, 90, 90)};
    EXPECT_DOUBLE_EQ(whole_length(net, two, 5), 180);
    std::vector<Seed> far = {Seed::on_edge(1, 10, 10, 500)};
    EXPECT_DOUBLE_EQ(whole_length(net, far, 100), 0);
}

TEST(NetworkWhole, BarriersAndServiceAreas) {
    auto net = hand_network(370000, 4845000);
    network::EdgeMask blocked(net.edge_count(), 0);
    blocked[2] = 1;  // c-d removed: b-c is a street of its own, reached at both ends from a within 200 m
    EXPECT_DOUBLE_EQ(whole_length(net, {Seed::at_node(0)}, 200, &blocked), 100 + 50 + 100);
    // service_areas gives the figure per source and dissolved, with its buffered area.
    network::Attachment src;
    src.attached = true;
    src.seeds = {Seed::at_node(0)};
    network::ServiceAreaOptions so;
    so.distance_m = 150;
    so.buffer_m = 10;
    auto areas = network::service_areas(net, {src, src}, so);
    ASSERT_EQ(areas.facilities.size(), 2u);
    EXPECT_DOUBLE_EQ(areas.whole_edge_length_m, 150);
    EXPECT_DOUBLE_EQ(areas.facilities[1].whole_edge_length_m, 150);
    EXPECT_DOUBLE_EQ(areas.reach_length_m, 200);
    // a-b and b-e buffered by 10 m: the two rectangles, their round ends, less their overlap.
    EXPECT_GT(areas.whole_edge_area_m2, 150 * 20);
    EXPECT_LT(areas.whole_edge_area_m2, 150 * 20 + M_PI * 100 + 1);
    EXPECT_LT(areas.whole_edge_area_m2, areas.area_m2);
    so.whole_edge_area = false;
    EXPECT_EQ(network::service_areas(net, {src}, so).whole_edge_area_m2, 0);
}

TEST(NetworkWhole, DuplicateWaysCountOnce) {
    // Way 11 runs over way 10's nodes backwards (an overlap mapped twice); way 13 is a different
    // path between the same end nodes and stays; way 12 makes node 2 a junction.
    test::TempDir dir;
    std::ofstream(dir / "dup.osm") << R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
 <node id="1" lat="43.7300" lon="7.4200"/>
 <node id="2" lat="43.7300" lon="7.4210"/>
 <node id="3" lat="43.7300" lon="7.4220"/>
 <node id="4" lat="43.7310" lon="7.4210"/>
 <node id="5" lat="43.7290" lon="7.4210"/>
 <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>
 <way id="11"><nd ref="3"/><nd ref="2"/><nd ref="1"/><tag k="highway" v="residential"/></way>
 <way id="12"><nd ref="2"/><nd ref="4"/><tag k="highway" v="footway"/></way>
 <way id="13"><nd ref="1"/><nd ref="5"/><nd ref="3"/><tag k="highway" v="path"/></way>
</osm>
)";
    network::NetworkBuildReport rep;
    auto net = network::build_network_from_osm((dir / "dup.osm").string(), &rep);
    EXPECT_EQ(net.edge_count(), 4u);  // 1-2, 2-3, 2-4 and 1-5-3
    EXPECT_EQ(rep.duplicate_edges, 2u);
    EXPECT_NEAR(rep.duplicate_length_m, 161, 1);  // 0.002° of longitude at 43.73° N
    // Nodes 1 and 3 now have two distinct neighbours each: 2-1-5-3-2 is one street (a loop at
    // junction 2), 2-4 the other. With the duplicates, 1 and 3 would be junctions.
    network::NetworkChains chains(net);
    EXPECT_EQ(chains.size(), 2u);
}
