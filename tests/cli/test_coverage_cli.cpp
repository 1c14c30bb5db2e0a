// planmap coverage / lifecircle / synth end to end: outputs, errors, and a peer check of the
// figures against PostGIS on a synthetic city.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "core/error.hpp"
#include "layers/io.hpp"
#include "tests/support.hpp"
#include "tests/support_pg.hpp"

using namespace planmap;
using nlohmann::json;

namespace {

constexpr double X0 = 620000, Y0 = 3160000;  // EPSG:4549 metres

using test::box;

// Two parcels (100 × 100, population 100 and 300), a facility point at the first parcel's centre
// and one 150 m west of the second, an invalid (bow-tie) facility 400 m from both, two zones, and a layer of
// points only.
std::string small_city(const test::TempDir& tmp) {
    using layers::FieldType;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer res("residential", {{"population", FieldType::integer, ""}}, crs, "Polygon");
    res.add({-1, box(0, 0, 100, 100), {std::int64_t{100}}});
    res.add({-1, box(1000, 0, 1100, 100), {std::int64_t{300}}});
    layers::Layer fac("facilities", {{"name", FieldType::string, ""}}, crs, "Unknown");
    fac.add({-1, geo::make_point(X0 + 50, Y0 + 50), {std::string("p")}});
    fac.add({-1, geo::from_wkt("POLYGON((620500 3160000, 620510 3160010, 620510 3160000, 620500 3160010, 620500 3160000))"),
             {std::string("bowtie")}});
    fac.add({-1, geo::make_point(X0 + 850, Y0 + 50), {std::string("west of parcel 2")}});
    layers::Layer zones("zones", {{"name", FieldType::string, ""}}, crs, "Polygon");
    zones.add({-1, box(-10, -10, 500, 500), {std::string("west")}});
    zones.add({-1, box(500, -10, 1500, 500), {std::string("east")}});
    std::filesystem::create_directories(tmp / "in");
    auto path = (tmp / "in" / "city.gpkg").string();
    layers::Layer stops("stops", {{"name", FieldType::string, ""}}, crs, "Point");
    stops.add({-1, geo::make_point(X0, Y0), {std::string("s")}});
    layers::write(std::vector<const layers::Layer*>{&res, &fac, &zones, &stops}, path);
    return path;
}

json read_json(const std::filesystem::path& p) { return json::parse(test::read_file(p)); }

}  // namespace

TEST(CoverageCli, RadiusModeWritesLayersCsvAndJson) {
    test::TempDir tmp;
    auto city = small_city(tmp);
    auto before = test::fingerprint(tmp / "in");
    auto out = tmp / "out";
    auto r = test::run({"coverage", "--facilities", city + ":facilities", "--residential", city + ":residential", "--radius",
                        "200", "--zones", city + ":zones", "--zone-field", "name", "-o", out.string(), "--json",
                        (tmp / "s.json").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    auto j = read_json(tmp / "s.json");
    EXPECT_DOUBLE_EQ(j["residential_area_m2"].get<double>(), 20000);
    // Parcel 1 lies inside the 200 m circle round its centre; parcel 2 is partly reached by the
    // circle round the point 150 m to its west.
    double east_covered = j["zones"][1]["covered_area_m2"].get<double>();
    EXPECT_GT(east_covered, 1000);
    EXPECT_LT(east_covered, 5000);
    EXPECT_NEAR(j["covered_area_m2"].get<double>(), 10000 + east_covered, 1e-6);
    EXPECT_NEAR(j["coverage_ratio"].get<double>(), (10000 + east_covered) / 20000, 1e-12);
    EXPECT_NEAR(j["population_coverage_ratio"].get<double>(), (100 + 300 * east_covered / 10000) / 400, 1e-12);
    EXPECT_EQ(j["population"].get<double>(), 400);
    // The bow-tie facility is repaired on import and counted (its service area reaches no parcel);
    // the repair is listed and summed up on stderr.
    EXPECT_EQ(j["facilities_counted"], 3);
    EXPECT_EQ(j["facilities_ignored"], 0);
    EXPECT_EQ(j["facilities_invalid"], 0);
    ASSERT_EQ(j["repairs"].size(), 1u);
    EXPECT_EQ(j["repairs"][0]["role"], "facilities");
    EXPECT_EQ(j["repairs"][0]["layer"], "facilities");
    EXPECT_EQ(j["repairs"][0]["fid"], 2);
    EXPECT_NE(j["repairs"][0]["reason"].get<std::string>().find("Self-intersection"), std::string::npos);
    EXPECT_EQ(j["repairs"][0]["action"], "repaired");
    EXPECT_NE(r.err.find("planmap: warning: input: 1 geometry repaired (facilities 1)"), std::string::npos) << r.err;
    EXPECT_EQ(j["crs"], "EPSG:4549");
    EXPECT_EQ(j["zones"].size(), 2u);
    EXPECT_EQ(j["zones"][0]["zone"], "west");
    EXPECT_DOUBLE_EQ(j["zones"][0]["coverage_ratio"].get<double>(), 1.0);
    for (const char* k : {"read", "compute", "write"}) EXPECT_TRUE(j["timings_s"].contains(k)) << k;

    auto ds = layers::read((out / "coverage.gpkg").string());
    ASSERT_NE(ds.find("service_areas"), nullptr);
    ASSERT_NE(ds.find("covered"), nullptr);
    ASSERT_NE(ds.find("uncovered"), nullptr);
    const auto* parcels = ds.find("parcels");
    ASSERT_NE(parcels, nullptr);
    ASSERT_EQ(parcels->size(), 2u);
    EXPECT_DOUBLE_EQ(*layers::value_to_double(parcels->value(0, "covered_share")), 1.0);
    EXPECT_NEAR(*layers::value_to_double(parcels->value(1, "covered_m2")), east_covered, 1e-6);
    EXPECT_NEAR(*layers::value_to_double(parcels->value(1, "covered_population")), 300 * east_covered / 10000, 1e-9);
    EXPECT_EQ(layers::value_to_string(parcels->value(1, "zone")), "east");
    double uncovered = 0;
    for (const auto& f : ds.find("uncovered")->features()) uncovered += geo::area(f.geometry.get());
    EXPECT_NEAR(uncovered, 10000 - east_covered, 1e-6);
    EXPECT_EQ(ds.find("service_areas")->size(), 2u);  // two separate circles

    auto csv = test::read_file(out / "coverage_zones.csv");
    EXPECT_NE(csv.find("west,1,10000.0000,10000.0000,1.000000000"), std::string::npos) << csv;
    EXPECT_NE(csv.find("(all),2,20000.0000"), std::string::npos) << csv;
    EXPECT_EQ(test::fingerprint(tmp / "in"), before);  // inputs untouched
}

TEST(CoverageCli, ProfileModeReportsChecks) {
    test::TempDir tmp;
    auto city = small_city(tmp);
    auto r = test::run({"coverage", "--facilities", city + ":facilities", "--residential", city + ":residential", "--profile",
                        "gb-park-radius", "-o", (tmp / "out").string(), "--json", "-"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto j = json::parse(r.out);
    // Points have no area: none counts under the park size classes, and the run says why.
    EXPECT_EQ(j["facilities_counted"], 0);
    EXPECT_EQ(j["covered_area_m2"].get<double>(), 0);
    EXPECT_EQ(j["profile"], "gb-park-radius");
    ASSERT_EQ(j["thresholds"].size(), 1u);
    EXPECT_EQ(j["thresholds"][0]["pass"], false);
    EXPECT_NE(j["thresholds"][0]["citation"].get<std::string>().find("GB 55014-2021"), std::string::npos);
}

TEST(CoverageCli, ErrorsAreClearAndLeaveNoOutput) {
    test::TempDir tmp;
    auto city = small_city(tmp);
    auto out = tmp / "out";
    // Neither or both of --radius and --profile: usage errors.
    EXPECT_EQ(test::run({"coverage", "--facilities", city, "--residential", city, "-o", out.string()}).code, 2);
    EXPECT_EQ(test::run({"coverage", "--facilities", city, "--residential", city, "--radius", "5", "--profile",
                         "gb-park-radius", "-o", out.string()})
                  .code,
              2);
    EXPECT_EQ(test::run({"coverage", "--facilities", city, "--residential", city, "--profile", "nope", "-o", out.string()}).code,
              2);
    // A broken profile file: file and line.
    std::ofstream(tmp / "bad.toml") << "name = \"bad\"\n[[radius]]\nradius_m = \"far\"\n";
    auto bad = test::run({"coverage", "--facilities", city + ":facilities", "--residential", city + ":residential", "--profile",
                          (tmp / "bad.toml").string(), "-o", out.string()});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find("bad.toml:3: radius[0]: 'radius_m' must be a number"), std::string::npos) << bad.err;
    // A residential layer without area (points only): exit 1, nothing written.
    auto none = test::run({"coverage", "--facilities", city + ":facilities", "--residential", city + ":stops", "--radius",
                           "100", "-o", out.string()});
    EXPECT_EQ(none.code, 1);
    EXPECT_NE(none.err.find("has no area"), std::string::npos) << none.err;
    EXPECT_FALSE(std::filesystem::exists(out / "coverage.gpkg"));
    // A population field that does not exist.
    auto pop = test::run({"coverage", "--facilities", city + ":facilities", "--residential", city + ":residential", "--radius",
                          "100", "--population-field", "people", "-o", out.string()});
    EXPECT_EQ(pop.code, 2);
    EXPECT_NE(pop.err.find("'people'"), std::string::npos) << pop.err;
}

TEST(CoverageCli, GeographicInputIsMeasuredInTheAnalysisCrs) {
    test::TempDir tmp;
    auto city = small_city(tmp);
    auto geo_city = (tmp / "city_lonlat.gpkg").string();
    ASSERT_EQ(test::run({"convert", city, geo_city, "--t-crs", "EPSG:4490", "-q"}).code, 0);
    auto a = test::run({"coverage", "--facilities", city + ":facilities", "--residential", city + ":residential", "--radius",
                        "200", "-o", (tmp / "a").string(), "--json", "-"});
    auto b = test::run({"coverage", "--facilities", geo_city + ":facilities", "--residential", geo_city + ":residential",
                        "--radius", "200", "-o", (tmp / "b").string(), "--json", "-"});
    ASSERT_EQ(a.code, 0) << a.err;
    ASSERT_EQ(b.code, 0) << b.err;
    auto ja = json::parse(a.out), jb = json::parse(b.out);
    EXPECT_EQ(jb["crs"], "EPSG:4549");  // the CGCS2000 3-degree zone at 120°E
    EXPECT_NEAR(jb["coverage_ratio"].get<double>(), ja["coverage_ratio"].get<double>(), 1e-6);
}

TEST(CoverageCli, SynthIsDeterministic) {
    test::TempDir tmp;
    ASSERT_EQ(test::run({"synth", "--parcels", "500", "--seed", "3", "-o", (tmp / "a.gpkg").string(), "-q"}).code, 0);
    ASSERT_EQ(test::run({"synth", "--parcels", "500", "--seed", "3", "-o", (tmp / "b.gpkg").string(), "-q"}).code, 0);
    auto a = layers::read((tmp / "a.gpkg").string());
    auto b = layers::read((tmp / "b.gpkg").string());
    ASSERT_EQ(a.layers.size(), 6u);
    for (std::size_t l = 0; l < a.layers.size(); ++l) {
        ASSERT_EQ(a.layers[l].size(), b.layers[l].size());
        for (std::size_t i = 0; i < a.layers[l].size(); ++i)
            ASSERT_EQ(geo::to_wkb(a.layers[l].features()[i].geometry.get()), geo::to_wkb(b.layers[l].features()[i].geometry.get()));
    }
    EXPECT_EQ(a.layer("residential").size(), 500u);
}

// The same figures as PostGIS computes them: buffers with quad_segs=16, ST_Union of the local
// candidates per parcel, area sums.
TEST(CoverageCli, PeerCheckAgainstPostGIS) {
    test::PgCluster pg;
    if (!pg.available()) GTEST_SKIP() << "no PostGIS server: " << pg.why();
    test::TempDir tmp;
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "3000", "--seed", "11", "-o", city, "-q"}).code, 0);
    auto ds = layers::read(city);
    layers::write(std::vector<const layers::Layer*>{&ds.layer("residential"), &ds.layer("parks"), &ds.layer("facilities")},
                  pg.gdal_connection());
    auto r = test::run({"coverage", "--facilities", city + ":parks", "--residential", city + ":residential", "--profile",
                        "gb-park-radius", "-o", (tmp / "out").string(), "--json", "-"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto j = json::parse(r.out);
    auto sql = R"(
WITH clusters AS (SELECT unnest(ST_ClusterIntersecting(wkb_geometry)) AS g FROM parks),
parks AS (SELECT ST_UnaryUnion(g) AS geom FROM clusters),
buf AS (SELECT ST_Buffer(geom, CASE WHEN ST_Area(geom) >= 5000 THEN 500 ELSE 300 END, 'quad_segs=16') AS geom
        FROM parks WHERE ST_Area(geom) >= 2000),
per AS (SELECT r.population AS pop, ST_Area(r.wkb_geometry) AS a,
          COALESCE(ST_Area(ST_Intersection(r.wkb_geometry,
            (SELECT ST_Union(b.geom) FROM buf b WHERE ST_Intersects(b.geom, r.wkb_geometry)))), 0) AS c
        FROM residential r)
SELECT sum(c) / sum(a), sum(pop * c / a) / sum(pop), (SELECT count(*) FROM buf) FROM per;)";
    auto out = pg.psql(sql);
    double ratio = 0, pop_ratio = 0;
    int units = 0;
    ASSERT_EQ(std::sscanf(out.c_str(), "%lf|%lf|%d", &ratio, &pop_ratio, &units), 3) << out;
    std::size_t planmap_units = 0;
    for (const auto& s : j["service_areas"]) planmap_units += s["service_areas"].get<std::size_t>();
    EXPECT_EQ(planmap_units, static_cast<std::size_t>(units));
    EXPECT_NEAR(j["coverage_ratio"].get<double>(), ratio, 1e-6 * ratio);
    EXPECT_NEAR(j["population_coverage_ratio"].get<double>(), pop_ratio, 1e-6 * pop_ratio);
    EXPECT_GT(ratio, 0.3);
    EXPECT_LT(ratio, 0.99);
}

// Level "near" needs a clinic within 100 m; level "far" needs a school within 200 m and, levels
// not being nested, the clinic too.
TEST(LifeCircleCli, NonNestingRuleAndComplianceTable) {
    test::TempDir tmp;
    std::ofstream(tmp / "lc.toml") << R"(name = "two-levels"
type_field = "kind"
[[level]]
name = "near"
radius_m = 100
standard = "test"
clause = "1"
confidence = "V"
[[level]]
name = "far"
radius_m = 200
standard = "test"
clause = "2"
confidence = "M"
[[facility]]
type = "clinic"
level = "near"
standard = "test"
clause = "1.1"
confidence = "V"
[[facility]]
type = "school"
level = "far"
standard = "test"
clause = "2.1"
confidence = "M"
)";
    using layers::FieldType;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer res("residential", {{"population", FieldType::integer, ""}}, crs, "Polygon");
    res.add({-1, box(0, 0, 20, 20), {std::int64_t{10}}});        // clinic 50 m, school 150 m: both levels
    res.add({-1, box(2000, 0, 2020, 20), {std::int64_t{30}}});   // school 50 m, no clinic: neither level
    layers::Layer fac("facilities", {{"kind", FieldType::string, ""}}, crs, "Point");
    fac.add({-1, geo::make_point(X0 + 60, Y0 + 10), {std::string("clinic")}});
    fac.add({-1, geo::make_point(X0 + 160, Y0 + 10), {std::string("school")}});
    fac.add({-1, geo::make_point(X0 + 2060, Y0 + 10), {std::string("school")}});
    fac.add({-1, geo::make_point(X0 + 5000, Y0), {std::string("casino")}});
    auto city = (tmp / "c.gpkg").string();
    layers::write(std::vector<const layers::Layer*>{&res, &fac}, city);
    auto out = tmp / "out";
    auto r = test::run({"lifecircle", "--facilities", city + ":facilities", "--residential", city + ":residential", "--profile",
                        (tmp / "lc.toml").string(), "-o", out.string(), "--json", "-"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto j = json::parse(r.out);
    ASSERT_EQ(j["levels"].size(), 2u);
    EXPECT_EQ(j["levels"][0]["parcels"], 1);
    EXPECT_EQ(j["levels"][1]["parcels"], 1);  // the second parcel has a school but no clinic
    EXPECT_DOUBLE_EQ(j["levels"][1]["population_share"].get<double>(), 0.25);
    EXPECT_EQ(j["types"][1]["type"], "school");
    EXPECT_EQ(j["types"][1]["parcels"], 2);
    EXPECT_EQ(j["facilities_ignored"], 1);
    auto ds = layers::read((out / "lifecircle.gpkg").string());
    const auto& parcels = ds.layer("parcels");
    EXPECT_NEAR(*layers::value_to_double(parcels.value(0, "d_clinic")), 50, 1e-9);  // from the point on surface (10, 10)
    EXPECT_EQ(layers::value_to_string(parcels.value(0, "level_met")), "far");
    EXPECT_EQ(layers::value_to_string(parcels.value(1, "level_met")), "none");
    EXPECT_EQ(layers::value_to_string(parcels.value(1, "missing")), "clinic");
    EXPECT_NE(test::read_file(out / "lifecircle_compliance.csv").find("level,far,,,200.0,,1,0.500000"), std::string::npos)
        << test::read_file(out / "lifecircle_compliance.csv");
}
