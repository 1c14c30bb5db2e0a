// PostGIS as a source, a sink and an engine, against a throwaway PostgreSQL + PostGIS server:
// layers written through PG: read back identical (Chinese names and values included), and
// `coverage --engine postgis` agrees with the embedded engine.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>

#include "core/error.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"
#include "tests/support.hpp"
#include "tests/support_pg.hpp"

using namespace planmap;
using nlohmann::json;

namespace {

constexpr double X0 = 620000, Y0 = 3160000;  // EPSG:4549 metres

using test::box;

test::PgCluster& server() { return test::program_cluster(); }

class Postgis : public ::testing::Test {
protected:
    void SetUp() override {
        if (!server().available()) GTEST_SKIP() << "no PostGIS server: " << server().why();
    }
};

void expect_close(const json& a, const json& b, const std::string& key) {
    ASSERT_TRUE(a.contains(key) && b.contains(key)) << key;
    if (a[key].is_null() || b[key].is_null()) {
        EXPECT_EQ(a[key].is_null(), b[key].is_null()) << key;
        return;
    }
    double x = a[key].get<double>(), y = b[key].get<double>();
    EXPECT_NEAR(x, y, 1e-6 * std::max(1.0, std::abs(x))) << key;
}

// Both engines on the same inputs; every figure of the JSON agrees to 1e-6 relative.
void expect_engines_agree(const std::vector<std::string>& args, const test::TempDir& tmp, json* embedded_out = nullptr) {
    auto a_args = args, b_args = args;
    a_args.insert(a_args.end(), {"-o", (tmp / "emb").string(), "--json", "-"});
    b_args.insert(b_args.end(), {"-o", (tmp / "pg").string(), "--json", "-", "--engine", "postgis", "--db",
                                 server().gdal_connection()});
    auto a = test::run(a_args);
    auto b = test::run(b_args);
    ASSERT_EQ(a.code, 0) << a.err;
    ASSERT_EQ(b.code, 0) << b.err;
    auto ja = json::parse(a.out), jb = json::parse(b.out);
    EXPECT_EQ(ja["engine"], "embedded");
    EXPECT_EQ(jb["engine"], "postgis");
    for (const char* k : {"residential_area_m2", "covered_area_m2", "uncovered_area_m2", "coverage_ratio", "population",
                          "covered_population", "population_coverage_ratio"})
        expect_close(ja, jb, k);
    if (ja.contains("park_area_per_person_m2")) expect_close(ja, jb, "park_area_per_person_m2");
    for (const char* k : {"facilities_counted", "facilities_ignored", "facilities_invalid", "service_areas"})
        EXPECT_EQ(ja[k], jb[k]) << k;
    EXPECT_EQ(ja["residential"]["overlapping_parcels"], jb["residential"]["overlapping_parcels"]);
    ASSERT_EQ(ja["zones"].size(), jb["zones"].size());
    for (std::size_t z = 0; z < ja["zones"].size(); ++z) {
        EXPECT_EQ(ja["zones"][z]["zone"], jb["zones"][z]["zone"]);
        EXPECT_EQ(ja["zones"][z]["parcels"], jb["zones"][z]["parcels"]);
        for (const char* k : {"residential_area_m2", "covered_area_m2", "population", "covered_population"})
            expect_close(ja["zones"][z], jb["zones"][z], k);
    }
    ASSERT_EQ(ja["thresholds"].size(), jb["thresholds"].size());
    for (std::size_t t = 0; t < ja["thresholds"].size(); ++t) EXPECT_EQ(ja["thresholds"][t]["pass"], jb["thresholds"][t]["pass"]);
    for (const char* k : {"load_db", "compute_service_areas", "compute_parcels"}) EXPECT_TRUE(jb["timings_s"].contains(k)) << k;
    // The same layers, parcel for parcel.
    auto da = layers::read((tmp / "emb" / "coverage.gpkg").string());
    auto db = layers::read((tmp / "pg" / "coverage.gpkg").string());
    const auto& pa = da.layer("parcels");
    const auto& pb = db.layer("parcels");
    ASSERT_EQ(pa.size(), pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i) {
        double ca = *layers::value_to_double(pa.value(i, "covered_m2")), cb = *layers::value_to_double(pb.value(i, "covered_m2"));
        ASSERT_NEAR(ca, cb, 1e-6 * std::max(1.0, ca)) << "parcel " << i;
    }
    for (const char* layer : {"covered", "uncovered", "service_areas"}) {
        double sa = 0, sb = 0;
        for (const auto& f : da.layer(layer).features()) sa += geo::area(f.geometry.get());
        for (const auto& f : db.layer(layer).features()) sb += geo::area(f.geometry.get());
        EXPECT_NEAR(sa, sb, 1e-6 * std::max(1.0, sa)) << layer;
    }
    // The scratch schema is gone.
    EXPECT_EQ(server().psql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'planmap_run_%';"), "0\n");
    if (embedded_out) *embedded_out = ja;
}

}  // namespace

TEST_F(Postgis, LayerRoundTripKeepsChineseNamesAndValues) {
    using layers::FieldType;
    layers::Layer l("规划地块", {{"名称", FieldType::string, ""}, {"人口", FieldType::integer, ""}, {"容积率", FieldType::real, ""}},
                    geo::Crs::from_epsg(4549), "Polygon");
    l.add({-1, box(0, 0, 100, 100), {std::string("椒江区·一号地块"), std::int64_t{1200}, 2.5}});
    l.add({-1, box(200, 0, 300, 50), {std::string("海门街道 \"B\" 地块"), layers::Value{}, 0.125}});
    l.add({-1, nullptr, {std::string("无几何"), std::int64_t{-7}, layers::Value{}}});
    layers::write(l, server().gdal_connection());
    layers::ReadOptions ro;
    ro.layer = "规划地块";
    auto back = layers::read_layer(server().gdal_connection(), ro);
    ASSERT_EQ(back.size(), l.size());
    ASSERT_TRUE(back.crs());
    EXPECT_TRUE(back.crs()->same_as(*l.crs()));
    for (const auto& f : l.fields()) ASSERT_GE(back.field_index(f.name), 0) << f.name;
    for (std::size_t i = 0; i < l.size(); ++i) {
        for (const auto& f : l.fields())
            EXPECT_EQ(layers::value_to_string(back.value(i, f.name)), layers::value_to_string(l.value(i, f.name)))
                << "feature " << i << " field " << f.name;
        const auto* ga = l.features()[i].geometry.get();
        const auto* gb = back.features()[i].geometry.get();
        ASSERT_EQ(ga == nullptr, gb == nullptr);
        if (ga) {
            EXPECT_EQ(geo::to_wkb(ga), geo::to_wkb(gb)) << geo::to_wkt(gb);
        }
    }
    // The CLI reads it too, by table name.
    auto r = test::run({"info", server().gdal_connection() + " tables=规划地块"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("规划地块"), std::string::npos) << r.out;
}

TEST_F(Postgis, EnginesAgreeOnASynthCityWithAProfile) {
    test::TempDir tmp;
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "1500", "--seed", "5", "-o", city, "-q"}).code, 0);
    json j;
    expect_engines_agree({"coverage", "--facilities", city + ":parks", "--residential", city + ":residential", "--profile",
                          "gb55014", "--zones", city + ":zones", "--zone-field", "name"},
                         tmp, &j);
    EXPECT_GT(j["coverage_ratio"].get<double>(), 0.05);  // a real case, not an empty one
    EXPECT_GE(j["zones"].size(), 1u);
}

TEST_F(Postgis, EnginesAgreeOnAHandMadeCase) {
    // Overlapping parcels, a parcel outside every zone, a string population with a bad value, an
    // invalid facility, two touching park patches dissolved into one park, and a point facility.
    using layers::FieldType;
    test::TempDir tmp;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer res("residential", {{"population", FieldType::string, ""}}, crs, "Polygon");
    res.add({-1, box(0, 0, 100, 100), {std::string("100")}});
    res.add({-1, box(50, 50, 150, 150), {std::string("200")}});  // overlaps the first
    res.add({-1, box(1000, 0, 1100, 100), {std::string("n/a")}});
    res.add({-1, box(3000, 3000, 3100, 3100), {std::string("50")}});  // outside the zones
    layers::Layer parks("parks", {{"name", FieldType::string, ""}}, crs, "Unknown");
    parks.add({-1, box(300, 0, 360, 40), {std::string("east half")}});     // 2400 m²
    parks.add({-1, box(360, 0, 400, 40), {std::string("west half")}});     // touching: 4000 m² together
    parks.add({-1, box(700, 600, 760, 640), {std::string("alone")}});      // 2400 m²
    parks.add({-1, box(2000, 2000, 2010, 2010), {std::string("small")}});  // 100 m²: no rule
    parks.add({-1, geo::from_wkt("POLYGON((620500 3160000, 620510 3160010, 620510 3160000, 620500 3160010, 620500 3160000))"),
               {std::string("bowtie")}});
    layers::Layer zones("zones", {{"name", FieldType::string, ""}}, crs, "Polygon");
    zones.add({-1, box(-10, -10, 500, 500), {std::string("西区")}});
    zones.add({-1, box(500, -10, 1500, 500), {std::string("东区")}});
    auto path = (tmp / "case.gpkg").string();
    layers::write(std::vector<const layers::Layer*>{&res, &parks, &zones}, path);
    json j;
    expect_engines_agree({"coverage", "--facilities", path + ":parks", "--residential", path + ":residential", "--profile",
                          "gb-park-radius", "--zones", path + ":zones", "--zone-field", "name"},
                         tmp, &j);
    EXPECT_EQ(j["facilities_counted"], 3);  // the dissolved pair and the lone park
    EXPECT_EQ(j["residential"]["overlapping_parcels"], 1);
    EXPECT_EQ(j["population_missing"], 1);
    EXPECT_EQ(j["zones"].size(), 3u);  // two zones and the parcels outside every zone
    test::TempDir tmp2;
    expect_engines_agree({"coverage", "--facilities", path + ":parks", "--residential", path + ":residential", "--radius",
                          "250", "--zones", path + ":zones", "--zone-field", "name"},
                         tmp2);
}

TEST(PostgisErrors, EngineNeedsADatabaseAndSaysWhichFailed) {
    test::TempDir tmp;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer res("residential", {}, crs, "Polygon");
    res.add({-1, box(0, 0, 100, 100), {}});
    auto path = (tmp / "c.gpkg").string();
    layers::write(res, path);
    auto r = test::run({"coverage", "--facilities", path, "--residential", path, "--radius", "100", "-o",
                        (tmp / "o").string(), "--engine", "postgis"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--db"), std::string::npos) << r.err;
    auto bad = test::run({"coverage", "--facilities", path, "--residential", path, "--radius", "100", "-o",
                          (tmp / "o").string(), "--engine", "postgis", "--db",
                          "PG:host=" + (tmp / "nosocket").string() + " dbname=x password=secret"});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find("cannot connect"), std::string::npos) << bad.err;
    EXPECT_EQ(bad.err.find("secret"), std::string::npos) << bad.err;
    EXPECT_FALSE(std::filesystem::exists(tmp / "o" / "coverage.gpkg"));
}

TEST_F(Postgis, TablesOfTheDatabaseAreUsedInPlace) {
    test::TempDir tmp;
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "600", "--seed", "8", "-o", city, "-q"}).code, 0);
    auto ds = layers::read(city);
    layers::write(std::vector<const layers::Layer*>{&ds.layer("residential"), &ds.layer("parks")}, server().gdal_connection());
    auto a = test::run({"coverage", "--facilities", city + ":parks", "--residential", city + ":residential", "--profile",
                        "gb-park-radius", "-o", (tmp / "a").string(), "--json", "-"});
    // No --db: the database of the residential table.
    auto b = test::run({"coverage", "--facilities", server().gdal_connection() + " tables=parks", "--residential",
                        server().gdal_connection() + " tables=residential", "--profile", "gb-park-radius", "--engine", "postgis",
                        "-o", (tmp / "b").string(), "--json", "-"});
    ASSERT_EQ(a.code, 0) << a.err;
    ASSERT_EQ(b.code, 0) << b.err;
    auto ja = json::parse(a.out), jb = json::parse(b.out);
    EXPECT_EQ(jb["db_inputs"]["residential"], "in place");
    EXPECT_EQ(jb["db_inputs"]["facilities"], "in place");
    for (const char* k : {"residential_area_m2", "covered_area_m2", "coverage_ratio", "population_coverage_ratio"})
        expect_close(ja, jb, k);
    EXPECT_EQ(ja["facilities_counted"], jb["facilities_counted"]);
    EXPECT_EQ(ja["ignored"], jb["ignored"]);  // the same facility ids, the same reasons
    layers::ReadOptions parcels;
    parcels.layer = "parcels";
    auto pa = layers::read_layer((tmp / "a" / "coverage.gpkg").string(), parcels);
    auto pb = layers::read_layer((tmp / "b" / "coverage.gpkg").string(), parcels);
    ASSERT_EQ(pa.size(), pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i)
        ASSERT_NEAR(*layers::value_to_double(pa.value(i, "covered_m2")), *layers::value_to_double(pb.value(i, "covered_m2")),
                    1e-6 * std::max(1.0, *layers::value_to_double(pa.value(i, "covered_m2"))))
            << "parcel " << i;
    EXPECT_EQ(server().psql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'planmap_run_%';"), "0\n");
}

TEST_F(Postgis, EnginesAgreeOnRepairedInputAndPostgisMakeValidGivesTheSameFigure) {
    // Field data: a self-intersecting 20,000 m² park (two triangles) beside housing, a parcel that
    // is a flat ring (no area after repair: placed by its point), and a self-intersecting zone.
    using layers::FieldType;
    test::TempDir tmp;
    auto crs = geo::Crs::from_epsg(4549);
    const std::string bowtie = "POLYGON((620000 3160000, 620200 3160200, 620200 3160000, 620000 3160200, 620000 3160000))";
    const std::string flat = "POLYGON((620300 3160300, 620360 3160300, 620330 3160300, 620300 3160300))";
    layers::Layer res("residential", {{"population", FieldType::integer, ""}}, crs, "Unknown");
    res.add({-1, box(250, 0, 650, 200), {std::int64_t{100}}});  // partly within 300 m of the park
    res.add({-1, box(0, 700, 400, 800), {std::int64_t{300}}});  // the park's corner is 500 m away: not covered
    res.add({-1, geo::from_wkt(flat), {std::int64_t{50}}});
    layers::Layer parks("parks", {{"name", FieldType::string, ""}}, crs, "Unknown");
    parks.add({-1, geo::from_wkt(bowtie), {std::string("bow-tie")}});
    layers::Layer zones("zones", {{"name", FieldType::string, ""}}, crs, "Unknown");
    zones.add({-1, geo::from_wkt("POLYGON((620000 3160000, 621000 3161000, 621000 3160000, 620000 3161000, 620000 3160000))"),
               {std::string("交叉")}});
    auto path = (tmp / "field.gpkg").string();
    layers::write(std::vector<const layers::Layer*>{&res, &parks, &zones}, path);
    json j;
    expect_engines_agree({"coverage", "--facilities", path + ":parks", "--residential", path + ":residential", "--radius", "300",
                          "--zones", path + ":zones", "--zone-field", "name"},
                         tmp, &j);
    EXPECT_EQ(j["facilities_counted"], 1);
    EXPECT_EQ(j["geometries_repaired"], 3);  // the park, the flat ring, the zone
    EXPECT_EQ(j["residential"]["placed_by_point"], 1);
    EXPECT_EQ(j["population"].get<double>(), 450.0);

    // The same figures straight from PostGIS: ST_MakeValid (structure method), 300 m buffers with
    // 16 segments per quarter circle, the flat ring's people counted at its ST_PointOnSurface.
    const std::string park = "ST_MakeValid(ST_GeomFromText('" + bowtie + "', 4549), 'method=structure')";
    const std::string area = "ST_Buffer(" + park + ", 300, 'quad_segs=16')";
    auto a = "ST_MakeEnvelope(620250, 3160000, 620650, 3160200, 4549)";
    auto b = "ST_MakeEnvelope(620000, 3160700, 620400, 3160800, 4549)";
    auto point = "ST_PointOnSurface(ST_MakeValid(ST_GeomFromText('" + flat + "', 4549), 'method=structure keepcollapsed=true'))";
    auto sql = [&](const std::string& expr) { return std::stod(server().psql("SELECT " + expr + ";")); };
    double covered_a = sql("ST_Area(ST_Intersection(" + std::string(a) + ", " + area + "))");
    double covered_b = sql("ST_Area(ST_Intersection(" + std::string(b) + ", " + area + "))");
    double point_in = sql("CASE WHEN ST_Intersects(" + point + ", " + area + ") THEN 1 ELSE 0 END");
    EXPECT_GT(covered_a, 0);
    EXPECT_LT(covered_a, 80000);
    EXPECT_EQ(covered_b, 0);
    EXPECT_EQ(point_in, 1);
    EXPECT_NEAR(j["coverage_ratio"].get<double>(), (covered_a + covered_b) / 120000, 1e-9);
    EXPECT_NEAR(j["population_coverage_ratio"].get<double>(), (100 * covered_a / 80000 + 50 * point_in) / 450, 1e-9);
    // Both engines mark the same parcel as placed by its point.
    for (const char* run : {"emb", "pg"}) {
        layers::ReadOptions ro;
        ro.layer = "parcels";
        auto parcels = layers::read_layer((tmp / run / "coverage.gpkg").string(), ro);
        ASSERT_EQ(parcels.size(), 3u) << run;
        for (std::size_t i = 0; i < 3; ++i)
            EXPECT_EQ(layers::value_to_string(parcels.value(i, "placed_by_point")), i == 2 ? "1" : "0") << run << " parcel " << i;
        EXPECT_EQ(*layers::value_to_double(parcels.value(2, "covered_population")), 50.0) << run;
    }
}
