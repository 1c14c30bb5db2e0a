// The coverage, life-circle and isochrone runs called as library functions (no command line):
// figures on a small hand-made city, network and straight-line modes, outputs, progress, and
// usage errors that name the library's parameters.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "analysis/coverage_run.hpp"
#include "analysis/isochrone_run.hpp"
#include "analysis/lifecircle_run.hpp"
#include "layers/io.hpp"
#include "tests/analysis/cities.hpp"
#include "tests/support.hpp"

using namespace planmap;
using nlohmann::json;

namespace {

// A life-circle profile with one level: a kindergarten within 300 m.
std::string one_level_profile(const test::TempDir& tmp) {
    auto path = tmp / "lc.toml";
    std::ofstream(path) << R"(name = "one-level"
type_field = "type"
level = [{name = "near", radius_m = 300, standard = "test", clause = "1", confidence = "V"}]
facility = [{type = "kindergarten", level = "near", standard = "test", clause = "1.1", confidence = "V"}]
)";
    return path.string();
}

analysis::AnalysisInputs inputs(const std::string& city, const std::filesystem::path& out) {
    analysis::AnalysisInputs in;
    in.facilities = city + ":facilities";
    in.residential = city + ":residential";
    in.output = out.string();
    return in;
}

void use_network(analysis::AnalysisInputs& in, const std::string& city) {
    in.mode = analysis::Mode::network;
    in.network.network = city + ":streets";
}

}  // namespace

TEST(CoverageRun, RadiusModePerZoneWithProgressAndOutputs) {
    test::TempDir tmp;
    auto city = test::river_city(tmp, /*zones_and_invalid=*/true);
    analysis::CoverageOptions o;
    o.inputs = inputs(city, tmp / "out");
    o.inputs.zones = city + ":zones";
    o.inputs.zone_field = "name";
    o.radius_m = 400;
    std::set<std::string> steps;
    auto r = analysis::run_coverage(o, [&](const std::string& step) {
        steps.insert(step);
        return analysis::ProgressFn{};
    });
    const auto& j = r.summary;
    EXPECT_EQ(j["mode"], "straight-line");
    EXPECT_EQ(j["engine"], "embedded");
    EXPECT_NEAR(j["residential_area_m2"].get<double>(), 22200, 1e-6);
    EXPECT_NEAR(j["covered_area_m2"].get<double>(), 12200, 1e-6);  // A, E, B and D whole; not G
    EXPECT_NEAR(j["covered_population"].get<double>(), 1200, 1e-6);
    EXPECT_EQ(j["population_field"], "population");
    // The bow-tie clinic F4 is repaired on import and counted like any other (its area covers nothing).
    EXPECT_EQ(j["facilities_counted"], 4);
    EXPECT_EQ(j["facilities_ignored"], 0);
    EXPECT_EQ(j["facilities_invalid"], 0);
    ASSERT_EQ(j["repairs"].size(), 1u);
    EXPECT_EQ(j["repairs"][0]["role"], "facilities");
    EXPECT_EQ(j["repairs"][0]["fid"], 4);
    EXPECT_EQ(j["repairs"][0]["action"], "repaired");
    EXPECT_EQ(j["geometries_repaired"], 1);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0], "input: 1 geometry repaired (facilities 1) (listed under \"repairs\" in the JSON summary)");
    ASSERT_EQ(j["zones"].size(), 2u);
    EXPECT_EQ(j["zones"][0]["zone"], "west");
    EXPECT_NEAR(j["zones"][0]["covered_area_m2"].get<double>(), 1200 + 3500 + 6000, 1e-6);
    EXPECT_EQ(j["crs"], "EPSG:4549");
    EXPECT_EQ(steps, (std::set<std::string>{"reading residential", "reading facilities", "reading zones"}));
    for (const char* f : {"coverage.gpkg", "coverage_zones.csv"}) EXPECT_TRUE(std::filesystem::exists(tmp / "out" / f)) << f;
    std::ostringstream printed;
    analysis::print_coverage(printed, r, false);
    EXPECT_EQ(printed.str().find("facility 4"), std::string::npos) << printed.str();
    EXPECT_NE(printed.str().find("zone west: 100.0000 %"), std::string::npos) << printed.str();
}

TEST(CoverageRun, AlongTheNetworkWithTheStraightLineGap) {
    test::TempDir tmp;
    auto city = test::river_city(tmp, /*zones_and_invalid=*/true);
    analysis::CoverageOptions o;
    o.inputs = inputs(city, tmp / "net");
    use_network(o.inputs, city);
    o.radius_m = 400;
    auto r = analysis::run_coverage(o);
    const auto& j = r.summary;
    EXPECT_TRUE(r.network);
    EXPECT_EQ(j["mode"], "network");
    // A fully, E's 20 m strip by the street, D by the north street the bridge reaches; not B.
    EXPECT_NEAR(j["covered_area_m2"].get<double>(), 1200 + 2000 + 1500, 1e-6);
    EXPECT_NEAR(j["straight_line"]["covered_area_m2"].get<double>(), 12200, 1e-6);
    EXPECT_NEAR(j["gap"]["covered_area_m2"].get<double>(), 12200 - 4700, 1e-6);
    EXPECT_EQ(j["unattached_facilities"], json::array({4, 3}));  // F4, repaired (polygons first), lies 1100 m from the streets
    EXPECT_EQ(j["network"]["width_m"], 25);
    EXPECT_EQ(j["network"]["edges"], 5);
    std::ostringstream printed;
    analysis::print_coverage(printed, r, false);
    EXPECT_NE(printed.str().find("unattached:       2 facilities (no street within 500.0 m): 4 3"), std::string::npos) << printed.str();

    // Width 0 is allowed (as for isochrones): the streets are reached, but no land is covered.
    o.inputs.network.width_m = 0;
    o.inputs.output = (tmp / "zero").string();
    auto zero = analysis::run_coverage(o);
    EXPECT_EQ(zero.summary["covered_area_m2"].get<double>(), 0);
    EXPECT_GT(zero.summary["network"]["reach_length_m"].get<double>(), 0);
}

// Parcels without area keep their people: a flat ring by the south street (placed by its point,
// within the network's reach) and a line far away, beside parcel A; in both modes and per zone.
TEST(CoverageRun, ParcelsWithoutAreaArePlacedByAPointInBothModes) {
    test::TempDir tmp;
    auto city = test::river_city(tmp, /*zones_and_invalid=*/true);
    using layers::FieldType;
    layers::Layer homes("homes", {{"population", FieldType::integer, ""}}, geo::Crs::from_epsg(4549), "Unknown");
    homes.add({-1, test::box(100, -20, 180, -5), {std::int64_t{100}}});  // A: 1200 m², covered in both modes
    homes.add({-1, geo::from_wkt("POLYGON((620150 3159990, 620170 3159990, 620160 3159990, 620150 3159990))"),
               {std::int64_t{50}}});                                      // a flat ring 10 m from the street
    homes.add({-1, test::river_line(3000, 3000, 3100, 3000), {std::int64_t{20}}});  // a line, far away
    auto extra = (tmp / "in" / "homes.gpkg").string();
    layers::write(homes, extra);
    for (bool network : {false, true}) {
        analysis::CoverageOptions o;
        o.inputs = inputs(city, tmp / (network ? "net" : "straight"));
        o.inputs.residential = extra + ":homes";
        o.inputs.zones = city + ":zones";
        o.inputs.zone_field = "name";
        if (network) use_network(o.inputs, city);
        o.radius_m = 400;
        auto r = analysis::run_coverage(o);
        const auto& j = r.summary;
        SCOPED_TRACE(network ? "network" : "straight line");
        EXPECT_EQ(j["population"].get<double>(), 170);
        EXPECT_EQ(j["covered_population"].get<double>(), 150);
        EXPECT_NEAR(j["coverage_ratio"].get<double>(), 1.0, 1e-12);
        EXPECT_EQ(j["residential"]["placed_by_point"], 2);
        EXPECT_EQ(j["residential"]["placed_by_point_fids"], json::array({2, 3}));
        ASSERT_EQ(j["zones"].size(), 2u);
        EXPECT_EQ(j["zones"][0]["zone"], "west");
        EXPECT_EQ(j["zones"][0]["population"].get<double>(), 150);
        EXPECT_EQ(j["zones"][0]["covered_population"].get<double>(), 150);
        EXPECT_EQ(j["zones"][1]["zone"], "east");
        EXPECT_EQ(j["zones"][1]["population"].get<double>(), 20);
        EXPECT_EQ(j["zones"][1]["covered_population"].get<double>(), 0);
        if (network) {
            EXPECT_EQ(j["straight_line"]["covered_population"].get<double>(), 150);
        }
        layers::ReadOptions ro;
        ro.layer = "parcels";
        auto parcels = layers::read_layer((tmp / (network ? "net" : "straight") / "coverage.gpkg").string(), ro);
        ASSERT_EQ(parcels.size(), 3u);
        EXPECT_EQ(layers::value_to_string(parcels.value(0, "placed_by_point")), "0");
        EXPECT_EQ(layers::value_to_string(parcels.value(1, "placed_by_point")), "1");
        EXPECT_EQ(layers::value_to_string(parcels.value(2, "placed_by_point")), "1");
        EXPECT_EQ(*layers::value_to_double(parcels.value(1, "covered_population")), 50);
        EXPECT_EQ(*layers::value_to_double(parcels.value(2, "covered_population")), 0);
    }
}

TEST(CoverageRun, UsageErrorsNameTheLibraryParameters) {
    test::TempDir tmp;
    auto city = test::river_city(tmp, /*zones_and_invalid=*/true);
    auto expect_error = [&](const analysis::CoverageOptions& o, const std::string& plain, const std::string& named) {
        try {
            analysis::run_coverage(o);
            ADD_FAILURE() << "no error; expected " << plain;
        } catch (const usage_error& e) {
            EXPECT_EQ(std::string(e.what()), plain);
            EXPECT_EQ(e.message([](const std::string& p) { return "<" + p + ">"; }), named);
        }
    };
    analysis::CoverageOptions o;
    o.inputs = inputs(city, tmp / "out");
    expect_error(o, "coverage needs radius_m M or profile P", "coverage needs <radius_m> M or <profile> P");
    o.radius_m = -1;
    expect_error(o, "radius_m must be positive (metres)", "<radius_m> must be positive (metres)");
    o.radius_m = 300;
    o.inputs.network.network = city + ":streets";
    expect_error(o, "network is used only with mode network", "<network> is used only with <mode> network");
    use_network(o.inputs, city);
    o.inputs.network.width_m = -5;
    expect_error(o, "width_m must not be negative (metres)", "<width_m> must not be negative (metres)");
    o.inputs.network.width_m = 25;
    o.inputs.network.network.clear();
    expect_error(o, "mode network needs network SRC", "<mode> network needs <network> SRC");
    EXPECT_FALSE(std::filesystem::exists(tmp / "out"));  // nothing written
}

TEST(LifecircleRun, StraightLineAndAlongTheNetwork) {
    test::TempDir tmp;
    auto city = test::river_city(tmp, /*zones_and_invalid=*/true);
    analysis::LifecircleOptions o;
    o.inputs = inputs(city, tmp / "s");
    o.profile = one_level_profile(tmp);
    auto s = analysis::run_lifecircle(o);
    EXPECT_EQ(s.summary["mode"], "straight-line");
    EXPECT_EQ(s.summary["levels"][0]["parcels"], 3);  // A, E and B (201 m across the river from F1)
    EXPECT_EQ(s.summary["facilities_ignored"], 2);     // the two clinics (the bow-tie repaired): not a type of the profile
    EXPECT_EQ(s.summary["facilities_invalid"], 0);
    EXPECT_EQ(s.summary["geometries_repaired"], 1);
    EXPECT_EQ(s.summary["repairs"][0]["fid"], 4);
    EXPECT_TRUE(std::filesystem::exists(tmp / "s" / "lifecircle.gpkg"));
    EXPECT_TRUE(std::filesystem::exists(tmp / "s" / "lifecircle_compliance.csv"));

    o.inputs = inputs(city, tmp / "n");
    use_network(o.inputs, city);
    o.inputs.network.entry_m = 15;
    auto n = analysis::run_lifecircle(o);
    EXPECT_EQ(n.summary["mode"], "network");
    EXPECT_EQ(n.summary["levels"][0]["parcels"], 2);  // A and E: the bridge is 800 m from F1
    EXPECT_EQ(n.summary["unattached_parcels"], json::array({5}));
    EXPECT_EQ(n.summary["unattached_facilities"], json::array({3}));
    EXPECT_DOUBLE_EQ(n.summary["levels"][0]["walking_min"].get<double>(), 300.0 / 80);
    std::ostringstream printed;
    analysis::print_lifecircle(printed, n);
    EXPECT_NE(printed.str().find("1 parcel(s) not attached (no street within 500 m): 5"), std::string::npos) << printed.str();

    o.inputs.type_field = "kind";
    EXPECT_THROW(analysis::run_lifecircle(o), usage_error);  // no such facility field
}

TEST(IsochroneRun, FromALayerWithUnattachedSourcesAndOutputs) {
    test::TempDir tmp;
    auto city = test::river_city(tmp, /*zones_and_invalid=*/true);
    analysis::IsochroneOptions o;
    o.network.network = city + ":streets";
    o.from = {city + ":facilities"};
    o.distance_m = 100;
    o.output = (tmp / "iso.gpkg").string();
    o.distances = (tmp / "d.csv").string();
    auto r = analysis::run_isochrone(o);
    EXPECT_EQ(r.sources, 4u);
    EXPECT_EQ(r.unattached, (std::vector<std::string>{"3", "4"}));  // both over 1 km from the streets
    // F1: 100 m either way along the south street; F2: 100 m west and 100 m east to the bridge.
    EXPECT_NEAR(r.reach_length_m, 400, 1e-6);
    ASSERT_TRUE(r.area_m2);
    EXPECT_GT(*r.area_m2, 400 * 50);
    EXPECT_EQ(r.summary["buffer_m"], 25);
    EXPECT_EQ(r.summary["per_source"].size(), 4u);
    auto ds = layers::read(o.output);
    for (const char* l : {"sources", "reach", "service_area", "reach_all", "service_area_all"}) EXPECT_NO_THROW(ds.layer(l)) << l;
    EXPECT_EQ(test::read_file(tmp / "d.csv").rfind("node,dist_m\n", 0), 0u);

    // Minutes at the walking speed, width 0: the same streets, no area.
    o.distance_m.reset();
    o.minutes = 1.25;
    o.network.width_m = 0;
    o.dissolved_only = true;
    auto m = analysis::run_isochrone(o);
    EXPECT_NEAR(m.distance_m, 100, 1e-9);
    EXPECT_NEAR(m.reach_length_m, 400, 1e-6);
    EXPECT_EQ(*m.area_m2, 0);

    o.minutes.reset();
    try {
        analysis::run_isochrone(o);
        ADD_FAILURE() << "no error";
    } catch (const usage_error& e) {
        EXPECT_EQ(std::string(e.what()), "isochrone: give distance_m M or minutes N");
    }
}
