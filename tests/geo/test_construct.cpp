#include <gtest/gtest.h>

#include <cmath>

#include "geo/construct.hpp"

using namespace planmap::geo;

namespace {
GeomPtr square(double x0, double y0, double s) { return make_polygon({{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}}); }
}  // namespace

TEST(Construct, VoronoiCellsPartitionTheBoundaryInSeedOrder) {
    auto box = square(0, 0, 100);
    std::vector<std::pair<double, double>> seeds = {{25, 50}, {75, 50}, {50, 90}};
    auto cells = voronoi_partition(seeds, box.get());
    ASSERT_EQ(cells.size(), 3u);
    double total = 0;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        EXPECT_TRUE(is_valid(cells[i].get()));
        auto p = make_point(seeds[i].first, seeds[i].second);
        EXPECT_EQ(GEOSCovers_r(geos_context(), cells[i].get(), p.get()), 1) << "cell " << i << " lacks its seed";
        total += area(cells[i].get());
    }
    EXPECT_NEAR(total, 10000.0, 1e-6);
    auto overlap = intersection(cells[0].get(), cells[1].get());
    EXPECT_NEAR(area(overlap.get()), 0.0, 1e-9);
    // The first two seeds are mirror images: their cells are too.
    EXPECT_NEAR(area(cells[0].get()), area(cells[1].get()), 1e-6);
}

TEST(Construct, VoronoiRejectsCoincidentSeeds) {
    auto box = square(0, 0, 10);
    EXPECT_THROW(voronoi_partition({{1, 1}, {1, 1}}, box.get()), planmap::geometry_error);
}

TEST(Construct, AnnulusBetweenTwoRings) {
    auto outer = make_linestring({{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}});
    auto inner = make_linestring({{3, 3}, {7, 3}, {7, 7}, {3, 7}, {3, 3}});
    auto a = annulus(outer.get(), inner.get());
    EXPECT_NEAR(area(a.get()), 100.0 - 16.0, 1e-9);
    auto hole = polygon_of_ring(inner.get());
    auto i = intersection(a.get(), hole.get());
    EXPECT_NEAR(area(i.get()), 0.0, 1e-9);
    EXPECT_THROW(annulus(inner.get(), outer.get()), planmap::geometry_error);
}

TEST(Construct, ClosedRingChecks) {
    std::string why;
    auto closed = make_linestring({{0, 0}, {1, 0}, {1, 1}, {0, 0}});
    EXPECT_TRUE(is_closed_ring(closed.get(), 0, &why)) << why;
    auto open = make_linestring({{0, 0}, {10, 0}, {10, 10}, {0, 9}});
    EXPECT_FALSE(is_closed_ring(open.get(), 0, &why));
    EXPECT_NE(why.find("apart"), std::string::npos);
    EXPECT_TRUE(is_closed_ring(open.get(), 9.5, &why)) << why;
    auto bow = make_linestring({{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}});
    EXPECT_FALSE(is_closed_ring(bow.get(), 0, &why));
    EXPECT_NE(why.find("crosses"), std::string::npos);
    EXPECT_THROW(polygon_of_ring(open.get()), planmap::geometry_error);
}

TEST(Construct, CorridorSidesSplitTheFullCorridor) {
    auto line = make_linestring({{0, 0}, {100, 0}});
    auto both = corridor(line.get(), 10, 0);
    auto left = corridor(line.get(), 10, 1);
    auto right = corridor(line.get(), 10, -1);
    EXPECT_NEAR(area(both.get()), 2000.0, 1e-6);
    EXPECT_NEAR(area(left.get()), 1000.0, 1e-6);
    EXPECT_NEAR(area(right.get()), 1000.0, 1e-6);
    EXPECT_GT(envelope(left.get()).maxy, 9.9);   // left of an eastward line is north
    EXPECT_LT(envelope(right.get()).miny, -9.9);
    auto both_sides = intersection(left.get(), right.get());
    EXPECT_NEAR(area(both_sides.get()), 0.0, 1e-9);
}

TEST(Construct, ClipAndDifferenceKeepTheDimension) {
    auto a = square(0, 0, 10);
    auto b = square(10, 0, 10);  // touches a along a line only
    auto c = clip(a.get(), b.get());
    EXPECT_TRUE(is_empty(c.get()));
    EXPECT_EQ(dimension(a.get()), 2);
    auto d = difference_keep(a.get(), square(5, 0, 10).get());
    EXPECT_NEAR(area(d.get()), 50.0, 1e-9);
}

TEST(Construct, ChainJoinsSegmentsInAnyOrderAndDirection) {
    auto s1 = make_linestring({{0, 0}, {10, 0}});
    auto s2 = make_linestring({{10, 10}, {10, 0}});  // reversed
    auto s3 = make_linestring({{0, 10}, {0, 0}});
    auto s4 = make_linestring({{10, 10}, {0, 10.4}});
    auto ring = chain_lines({s1.get(), s3.get(), s2.get(), s4.get()}, 0.5);
    EXPECT_TRUE(is_closed_ring(ring.get()));
    EXPECT_NEAR(length(ring.get()), 40.0, 0.5);
    auto far = make_linestring({{50, 50}, {60, 60}});
    EXPECT_THROW(chain_lines({s1.get(), far.get()}, 0.5), planmap::geometry_error);
}

TEST(Construct, EnclosedRingOfCrossingRoads) {
    // Four roads crossing like a # sign, with overhanging ends: the ring is the inner square.
    auto w = make_linestring({{2, -5}, {2, 15}});
    auto e = make_linestring({{8, -5}, {8, 15}});
    auto s = make_linestring({{-5, 2}, {15, 2}});
    auto n = make_linestring({{-5, 8}, {15, 8}});
    auto ring = enclosed_ring({w.get(), e.get(), s.get(), n.get()});
    EXPECT_TRUE(is_closed_ring(ring.get()));
    auto poly = polygon_of_ring(ring.get());
    EXPECT_NEAR(area(poly.get()), 36.0, 1e-9);
    EXPECT_THROW(enclosed_ring({w.get(), e.get()}), planmap::geometry_error);
}

TEST(Construct, ChaikinKeepsEndsAndClosure) {
    auto open = make_linestring({{0, 0}, {10, 10}, {20, 0}});
    auto s = chaikin_smooth(open.get(), 2);
    auto c = coords(s.get());
    EXPECT_EQ(c.front(), (std::pair<double, double>{0, 0}));
    EXPECT_EQ(c.back(), (std::pair<double, double>{20, 0}));
    EXPECT_GT(c.size(), 3u);
    EXPECT_LT(length(s.get()), length(open.get()));  // corners cut
    auto closed = make_linestring({{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}});
    auto sc = chaikin_smooth(closed.get(), 3);
    EXPECT_TRUE(is_closed_ring(sc.get()));
    EXPECT_EQ(coords(sc.get()).size(), 4u * 8u + 1u);
}

TEST(Construct, LargestPartAndOutline) {
    std::vector<GeomPtr> parts;
    parts.push_back(square(0, 0, 1));
    parts.push_back(square(5, 5, 3));
    auto mp = make_collection(GEOS_MULTIPOLYGON, std::move(parts));
    auto big = largest_part(mp.get());
    EXPECT_NEAR(area(big.get()), 9.0, 1e-12);
    auto ring = outline(mp.get());
    EXPECT_TRUE(is_closed_ring(ring.get()));
    EXPECT_NEAR(length(ring.get()), 12.0, 1e-12);
}
