// The coverage engine, service areas and rule profiles on small hand-made cases with known areas.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <set>

#include "geo/coverage.hpp"
#include "analysis/profile.hpp"
#include "core/error.hpp"
#include "analysis/service_areas.hpp"
#include "layers/synth.hpp"
#include "tests/support.hpp"

using namespace planmap;
using geo::GeomPtr;

namespace {

GeomPtr box(double x0, double y0, double x1, double y1) {
    return geo::make_polygon({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}});
}

// Area of the buffer of a point: a regular polygon with 4·q vertices on the circle.
double circle_polygon_area(double r, int q) {
    int n = 4 * q;
    return n / 2.0 * r * r * std::sin(2 * std::numbers::pi / n);
}

std::vector<const GEOSGeometry*> ptrs(const std::vector<GeomPtr>& v) {
    std::vector<const GEOSGeometry*> out;
    for (const auto& g : v) out.push_back(g.get());
    return out;
}

std::string profiles_dir() { return (test::project_root() / "profiles").string(); }

}  // namespace

TEST(Coverage, QuarterCircleFromACornerIsExact) {
    std::vector<GeomPtr> parcels;
    parcels.push_back(box(0, 0, 100, 100));
    auto pt = geo::make_point(0, 0);
    auto areas = geo::buffer_service_areas({pt.get()}, {50.0}, 16);
    auto r = geo::compute_coverage(ptrs(parcels), ptrs(areas));
    double expected = circle_polygon_area(50, 16) / 4;  // vertices lie on both axes
    EXPECT_NEAR(r.covered_area_m2, expected, 1e-9 * expected);
    EXPECT_DOUBLE_EQ(r.residential_area_m2, 10000);
    EXPECT_EQ(r.parcels[0].state, geo::ParcelCoverage::State::partial);
    auto uncovered = geo::uncovered_parts(ptrs(parcels), r);
    ASSERT_TRUE(r.parcels[0].covered && uncovered[0]);
    EXPECT_NEAR(geo::area(uncovered[0].get()), 10000 - expected, 1e-6);
}

TEST(Coverage, QuadSegsChangesTheArc) {
    std::vector<GeomPtr> parcels;
    parcels.push_back(box(0, 0, 100, 100));
    auto pt = geo::make_point(0, 0);
    for (int q : {4, 8, 32}) {
        auto areas = geo::buffer_service_areas({pt.get()}, {50.0}, q);
        auto r = geo::compute_coverage(ptrs(parcels), ptrs(areas));
        EXPECT_NEAR(r.covered_area_m2, circle_polygon_area(50, q) / 4, 1e-9 * 2000) << q;
    }
}

TEST(Coverage, FullNoneAndOverlapsCountedOnce) {
    std::vector<GeomPtr> parcels;
    parcels.push_back(box(0, 0, 100, 100));
    parcels.push_back(box(50, 0, 150, 100));     // overlaps the first by 50 × 100
    parcels.push_back(box(1000, 0, 1100, 100));  // far away
    parcels.push_back(geo::make_empty_polygon());
    auto pt = geo::make_point(75, 50);
    auto areas = geo::buffer_service_areas({pt.get()}, {200.0}, 16);
    auto r = geo::compute_coverage(ptrs(parcels), ptrs(areas));
    EXPECT_DOUBLE_EQ(r.residential_area_m2, 15000 + 10000);
    EXPECT_DOUBLE_EQ(r.covered_area_m2, 15000);
    EXPECT_EQ(r.overlapping_parcels, 1u);
    EXPECT_EQ(r.parcels[0].state, geo::ParcelCoverage::State::full);
    EXPECT_EQ(r.parcels[1].state, geo::ParcelCoverage::State::full);
    EXPECT_DOUBLE_EQ(r.parcels[1].covered_m2, 10000);  // the parcel's own share is its whole area
    EXPECT_EQ(r.parcels[2].state, geo::ParcelCoverage::State::none);
    EXPECT_EQ(r.parcels[3].area_m2, 0);
}

TEST(Coverage, RadiusFromThePolygonEdgeAndLocalUnions) {
    std::vector<GeomPtr> parcels;
    parcels.push_back(box(-100, -100, 100, 100));
    // A 20 × 20 park buffered by 10 m: the square, four 20 × 10 strips and four quarter circles.
    auto park1 = box(-10, -10, 10, 10);
    auto one = geo::buffer_service_areas({park1.get()}, {10.0}, 16);
    auto r1 = geo::compute_coverage(ptrs(parcels), ptrs(one));
    double expected = 400 + 4 * 200 + circle_polygon_area(10, 16);
    EXPECT_NEAR(r1.covered_area_m2, expected, 1e-9 * expected);
    // A second park whose area overlaps the first's on the parcel: the overlap counts once.
    auto park2 = box(0, -10, 20, 10);
    auto two = geo::buffer_service_areas({park1.get(), park2.get()}, {10.0, 10.0}, 16);
    auto r2 = geo::compute_coverage(ptrs(parcels), ptrs(two));
    std::vector<GeomPtr> both;
    both.push_back(geo::clone(two[0].get()));
    both.push_back(geo::clone(two[1].get()));
    double u = geo::area(geo::union_all(std::move(both)).get());
    EXPECT_NEAR(r2.covered_area_m2, u, 1e-9 * u);
    EXPECT_NEAR(u, expected + 10 * 40, 1e-9 * u);  // shifted by 10 m: one 10 × 40 strip more
}

TEST(Coverage, PopulationShareFollowsCoveredShare) {
    std::vector<GeomPtr> parcels;
    parcels.push_back(box(0, 0, 100, 100));
    parcels.push_back(box(100, 0, 200, 100));
    // A service area holding all of the first parcel and exactly half of the second.
    std::vector<GeomPtr> areas;
    areas.push_back(box(-10, -10, 150, 110));
    auto r = geo::compute_coverage(ptrs(parcels), ptrs(areas));
    EXPECT_DOUBLE_EQ(r.parcels[0].covered_share(), 1.0);
    EXPECT_NEAR(r.parcels[1].covered_share(), 0.5, 1e-12);
    double pop = 100 * r.parcels[0].covered_share() + 300 * r.parcels[1].covered_share();
    EXPECT_NEAR(pop / 400, 0.625, 1e-12);
}

TEST(ServiceAreas, ProfileSizesParksAfterDissolvingPatches) {
    auto prof = analysis::find_profile("gb-park-radius", profiles_dir());
    auto big = box(0, 0, 80, 80);            // 6400 m² → 500 m
    auto mid = box(1000, 0, 1050, 50);       // 2500 m² → 300 m
    auto small = box(2000, 0, 2040, 40);     // 1600 m² → not counted
    auto left = box(3000, 0, 3050, 60);      // 3000 m² alone …
    auto right = box(3050, 0, 3100, 60);     // … and touching: one park of 6000 m² → 500 m
    auto point = geo::make_point(5000, 0);   // a point has no area: no size class
    std::vector<analysis::FacilityRef> f = {{1, big.get(), ""},  {2, mid.get(), ""},   {3, small.get(), ""},
                                       {4, left.get(), ""}, {5, right.get(), ""}, {6, point.get(), ""}};
    analysis::RadiusChoice choice;
    choice.profile = &prof;
    auto sa = analysis::straight_line_service_areas(f, choice);
    ASSERT_EQ(sa.units.size(), 3u);
    EXPECT_EQ(sa.facilities_counted, 4u);
    std::map<std::int64_t, double> radius;
    for (const auto& u : sa.units)
        for (auto id : u.facility_ids) radius[id] = u.radius_m;
    EXPECT_EQ(radius[1], 500);
    EXPECT_EQ(radius[2], 300);
    EXPECT_EQ(radius[4], 500);
    EXPECT_EQ(radius[5], 500);
    ASSERT_EQ(sa.ignored.size(), 2u);
    EXPECT_EQ(sa.ignored[0].id, 3);
    EXPECT_NE(sa.ignored[0].reason.find("1600.0 m²"), std::string::npos) << sa.ignored[0].reason;
    EXPECT_EQ(sa.ignored[1].id, 6);
    EXPECT_DOUBLE_EQ(sa.facility_area_m2, 6400 + 2500 + 1600 + 6000);

    auto historic = analysis::find_profile("gb-park-radius-historic", profiles_dir());
    choice.profile = &historic;
    auto sh = analysis::straight_line_service_areas(f, choice);
    EXPECT_EQ(sh.units.size(), 4u);  // the 1600 m² park counts with 300 m in a historic district
    EXPECT_EQ(historic.thresholds.size(), 1u);  // inherited from gb-park-radius
}

TEST(ServiceAreas, InvalidAndEmptyFacilitiesAreReported) {
    auto good = geo::make_point(0, 0);
    auto bowtie = geo::from_wkt("POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))");
    auto empty = geo::make_empty_polygon();
    auto line = geo::make_linestring({{0, 0}, {1, 1}});
    std::vector<analysis::FacilityRef> f = {{10, good.get(), ""}, {11, bowtie.get(), ""}, {12, empty.get(), ""},
                                       {13, nullptr, ""},     {14, line.get(), ""}};
    analysis::RadiusChoice choice;
    choice.radius_m = 100;
    auto sa = analysis::straight_line_service_areas(f, choice);
    EXPECT_EQ(sa.facilities_counted, 1u);
    EXPECT_EQ(sa.facilities_invalid, 4u);
    ASSERT_EQ(sa.ignored.size(), 4u);
    EXPECT_EQ(sa.ignored[0].id, 11);
    EXPECT_NE(sa.ignored[0].reason.find("invalid geometry"), std::string::npos);
    EXPECT_EQ(sa.ignored[1].reason, "empty geometry");
    EXPECT_EQ(sa.ignored[2].reason, "no geometry");
    EXPECT_NE(sa.ignored[3].reason.find("LineString"), std::string::npos);
}

TEST(Profiles, ShippedProfilesLoadAndCiteTheirRules) {
    auto names = analysis::list_profiles(profiles_dir());
    ASSERT_GE(names.size(), 5u);
    for (const auto& n : names) {
        auto p = analysis::find_profile(n, profiles_dir());
        EXPECT_EQ(p.name, n);
        for (const auto& r : p.radius_rules) EXPECT_TRUE(r.cite.confidence == "V" || r.cite.confidence == "M") << n;
        for (const auto& t : p.thresholds) EXPECT_FALSE(t.cite.standard.empty()) << n;
    }
    auto lc = analysis::find_profile("gb50180-life-circle", profiles_dir());
    ASSERT_EQ(lc.levels.size(), 3u);
    EXPECT_EQ(lc.levels[0].radius_m, 300);
    EXPECT_EQ(lc.levels[1].radius_m, 500);
    EXPECT_EQ(lc.levels[2].radius_m, 1000);
    EXPECT_EQ(lc.radius_for(0, "kindergarten"), 300);
    EXPECT_EQ(lc.radius_for(0, "middle_school"), 1000);
    EXPECT_FALSE(lc.radius_for(0, "casino"));
    auto slogan = analysis::find_profile("green-300-park-500", profiles_dir());
    EXPECT_EQ(slogan.radius_for(20000, ""), 500);
    EXPECT_EQ(slogan.radius_for(500, ""), 300);
    EXPECT_FALSE(slogan.radius_for(300, ""));
}

TEST(Profiles, ErrorsNameFileAndLine) {
    test::TempDir tmp;
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(tmp / name) << text;
        return (tmp / name).string();
    };
    auto expect_error = [](const std::string& path, int line, const std::string& part) {
        try {
            analysis::load_profile(path);
            ADD_FAILURE() << "no error for " << path;
        } catch (const file_error& e) {
            EXPECT_EQ(e.line(), line) << e.what();
            EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        }
    };
    expect_error(write("syntax.toml", "name = \"x\"\n[[radius]\n"), 2, "");
    expect_error(write("key.toml", "name = \"x\"\n\n[[radius]]\nradius_m = 300\nradious = 1\n"), 5, "unknown key 'radious'");
    expect_error(write("cite.toml", "name = \"x\"\n[[radius]]\nradius_m = 300\nstandard = \"GB\"\nclause = \"1\"\nconfidence = \"X\"\n"),
                 6, "confidence");
    expect_error(write("neg.toml", "name = \"x\"\n[[radius]]\nradius_m = -5\n"), 3, "positive");
    EXPECT_THROW(analysis::find_profile("no-such-profile", profiles_dir()), usage_error);
    EXPECT_THROW(analysis::find_profile((tmp / "missing.toml").string(), profiles_dir()), file_error);
}

TEST(Synth, SameSeedSameCityOtherSeedOtherCity) {
    layers::SynthOptions o;
    o.parcels = 3000;
    o.seed = 42;
    auto a = layers::synth_city(o);
    auto b = layers::synth_city(o);
    o.seed = 43;
    auto c = layers::synth_city(o);
    ASSERT_EQ(a.layers.size(), b.layers.size());
    EXPECT_EQ(a.layer("residential").size(), 3000u);
    bool differs = false;
    for (std::size_t l = 0; l < a.layers.size(); ++l) {
        const auto& la = a.layers[l];
        const auto& lb = b.layers[l];
        ASSERT_EQ(la.size(), lb.size()) << la.name();
        for (std::size_t i = 0; i < la.size(); ++i) {
            ASSERT_EQ(geo::to_wkb(la.features()[i].geometry.get()), geo::to_wkb(lb.features()[i].geometry.get())) << la.name() << i;
            ASSERT_EQ(la.features()[i].values, lb.features()[i].values);
        }
    }
    const auto& ra = a.layer("residential");
    const auto& rc = c.layer("residential");
    for (std::size_t i = 0; i < ra.size() && i < rc.size() && !differs; ++i)
        differs = geo::to_wkb(ra.features()[i].geometry.get()) != geo::to_wkb(rc.features()[i].geometry.get());
    EXPECT_TRUE(differs);
    // Parks of every size class, some made of two touching patches; facilities of many types.
    const auto& parks = a.layer("parks");
    std::set<double> sizes;
    for (std::size_t i = 0; i < parks.size(); ++i) sizes.insert(std::round(*layers::value_to_double(parks.value(i, "area_m2"))));
    EXPECT_TRUE(sizes.count(19600) && sizes.count(4500) && sizes.count(3600) && sizes.count(1200));
    std::set<std::string> types;
    const auto& fac = a.layer("facilities");
    for (std::size_t i = 0; i < fac.size(); ++i) types.insert(layers::value_to_string(fac.value(i, "type")));
    EXPECT_GE(types.size(), 8u);
    // Bridges: some street segments cross the river, and only those flagged as bridges.
    const auto& streets = a.layer("streets");
    const auto* river = a.layer("river").features()[0].geometry.get();
    std::size_t crossing = 0;
    for (std::size_t i = 0; i < streets.size(); ++i) {
        bool bridge = std::get<std::int64_t>(streets.value(i, "bridge")) == 1;
        bool crosses = GEOSIntersects_r(geo::geos_context(), streets.features()[i].geometry.get(), river) == 1;
        EXPECT_EQ(bridge, crosses) << i;
        crossing += crosses;
    }
    EXPECT_GE(crossing, 1u);
    EXPECT_EQ(ra.crs()->epsg(), 4549);
}

// The shortcuts taken from buffer cores must not change any figure: compare with the plain
// overlay path on a synthetic city (park polygons and facility points).
TEST(Coverage, CoreShortcutsGiveTheOverlayFigures) {
    layers::SynthOptions o;
    o.parcels = 4000;
    o.seed = 5;
    auto city = layers::synth_city(o);
    std::vector<const GEOSGeometry*> parcels;
    for (const auto& f : city.layer("residential").features()) parcels.push_back(f.geometry.get());
    for (const char* layer : {"parks", "facilities"}) {
        std::vector<const GEOSGeometry*> fac;
        std::vector<double> radii;
        for (const auto& f : city.layer(layer).features()) {
            fac.push_back(f.geometry.get());
            bool points = std::string(layer) == "facilities";
            radii.push_back(fac.size() % 2 ? (points ? 80.0 : 300.0) : (points ? 150.0 : 500.0));
        }
        auto areas = geo::buffer_service_areas(fac, radii, 16);
        geo::CoverageOptions plain, fast;
        fast.cores = geo::buffer_cores(fac, radii, 16);
        auto a = geo::compute_coverage(parcels, ptrs(areas), plain);
        auto b = geo::compute_coverage(parcels, ptrs(areas), fast);
        EXPECT_NEAR(a.covered_area_m2, b.covered_area_m2, 1e-9 * a.covered_area_m2) << layer;
        EXPECT_GT(a.covered_area_m2, 0.2 * a.residential_area_m2) << layer;
        EXPECT_LT(a.covered_area_m2, a.residential_area_m2) << layer;
        for (std::size_t i = 0; i < parcels.size(); ++i)
            ASSERT_NEAR(a.parcels[i].covered_m2, b.parcels[i].covered_m2, 1e-6) << layer << " parcel " << i;
    }
}
