#include <gtest/gtest.h>

#include "geo/geos.hpp"
#include "geo/spatial_index.hpp"

using namespace planmap::geo;

TEST(Geos, MakeValidRepairsABowtieKeepingArea) {
    auto bowtie = from_wkt("POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))");
    EXPECT_FALSE(is_valid(bowtie.get()));
    EXPECT_NE(invalid_reason(bowtie.get()).find("Self-intersection"), std::string::npos);
    auto fixed = make_valid(bowtie.get());
    EXPECT_TRUE(is_valid(fixed.get()));
    EXPECT_NEAR(area(fixed.get()), 2.0, 1e-12);
}

TEST(Geos, BufferUsesQuadSegments) {
    auto p = make_point(0, 0);
    auto b16 = buffer(p.get(), 100, 16);
    auto b4 = buffer(p.get(), 100, 4);
    // A 64-gon and a 16-gon inscribed in the circle.
    EXPECT_NEAR(area(b16.get()), 0.5 * 64 * 100 * 100 * std::sin(2 * M_PI / 64), 1e-6);
    EXPECT_NEAR(area(b4.get()), 0.5 * 16 * 100 * 100 * std::sin(2 * M_PI / 16), 1e-6);
}

TEST(Geos, UnionDissolvesOverlaps) {
    std::vector<GeomPtr> parts;
    parts.push_back(from_wkt("POLYGON((0 0,2 0,2 2,0 2,0 0))"));
    parts.push_back(from_wkt("POLYGON((1 0,3 0,3 2,1 2,1 0))"));
    auto u = union_all(std::move(parts));
    EXPECT_NEAR(area(u.get()), 6.0, 1e-12);
    EXPECT_EQ(geometry_type(u.get()), "Polygon");
}

TEST(Geos, WkbRoundTrip) {
    auto g = from_wkt("MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))");
    auto wkb = to_wkb(g.get());
    auto back = from_wkb(wkb.data(), wkb.size());
    EXPECT_EQ(to_wkt(back.get()), to_wkt(g.get()));
}

TEST(SpatialIndex, FindsIntersectingEnvelopesOnly) {
    std::vector<Envelope> envs;
    for (int i = 0; i < 100; ++i) envs.push_back({double(i), 0, double(i) + 0.5, 0.5, false});
    envs.push_back({});  // empty: left out
    SpatialIndex idx(envs);
    EXPECT_EQ(idx.size(), 100u);
    auto hits = idx.query({10.2, 0.1, 12.1, 0.2, false});
    std::sort(hits.begin(), hits.end());
    EXPECT_EQ(hits, (std::vector<std::size_t>{10, 11, 12}));
}

TEST(Geos, MakeValidKeepsACollapsedRingOnlyWhenAsked) {
    auto flat = from_wkt("POLYGON((0 0, 10 0, 5 0, 0 0))");
    EXPECT_FALSE(is_valid(flat.get()));
    EXPECT_TRUE(is_empty(make_valid(flat.get()).get()));
    auto kept = make_valid(flat.get(), true);
    EXPECT_FALSE(is_empty(kept.get()));
    EXPECT_EQ(area(kept.get()), 0.0);
    EXPECT_NE(geometry_type(kept.get()).find("LineString"), std::string::npos) << to_wkt(kept.get());
    auto e = envelope(kept.get());
    EXPECT_EQ(e.minx, 0);
    EXPECT_EQ(e.maxx, 10);
    EXPECT_EQ(e.maxy, 0);
}
