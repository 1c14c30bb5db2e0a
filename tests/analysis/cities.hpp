// The cities of the network-coverage tests: a river with one bridge where every figure is known
// exactly, and the synthetic city; shared by the analysis tests and the coverage/lifecircle
// command tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "geo/crs.hpp"
#include "geo/geos.hpp"
#include "layers/io.hpp"
#include "layers/synth.hpp"
#include "tests/support.hpp"

namespace planmap::test {

// A straight street from (x0, y0) to (x1, y1), offsets from the origin of test::box.
inline geo::GeomPtr river_line(double x0, double y0, double x1, double y1) {
    constexpr double X0 = 620000, Y0 = 3160000;  // EPSG:4549 metres
    return geo::make_linestring({{X0 + x0, Y0 + y0}, {X0 + x1, Y0 + y1}});
}

// Streets along both banks of a river (y = 0 and y = 200, x from 0 to 1000) joined by one bridge
// at x = 900. Facilities: F1 at (100, 0) and F2 at (800, 0) on the south street, F3 far north
// (1300 m from any street). Parcels (population): A (100) and E (350) on the south bank, B (600)
// on the north bank opposite F1, D (150) on the north bank at the bridge, G (800) far away.
// With a 400 m radius and 25 m width, the network reaches the south street (0..1000), the bridge
// and the north street from 800 to 1000 only. Written to TMP/in/river.gpkg (layers streets,
// facilities, residential, barrier); returns its path. With `zones_and_invalid`: also a layer
// zones (name west for x < 500, east) and an invalid bow-tie clinic F4 far from the streets.
inline std::string river_city(const test::TempDir& tmp, bool zones_and_invalid = false) {
    constexpr double X0 = 620000, Y0 = 3160000;
    using layers::FieldType;
    const auto& line = river_line;
    auto crs = geo::Crs::from_epsg(4549);
    layers::Layer streets("streets", {{"name", FieldType::string, ""}}, crs, "LineString");
    streets.add({-1, line(0, 0, 900, 0), {std::string("south")}});
    streets.add({-1, line(900, 0, 1000, 0), {std::string("south")}});
    streets.add({-1, line(0, 200, 900, 200), {std::string("north")}});
    streets.add({-1, line(900, 200, 1000, 200), {std::string("north")}});
    streets.add({-1, line(900, 0, 900, 200), {std::string("bridge")}});
    layers::Layer fac("facilities", {{"type", FieldType::string, ""}}, crs, zones_and_invalid ? "Unknown" : "Point");
    fac.add({-1, geo::make_point(X0 + 100, Y0), {std::string("kindergarten")}});
    fac.add({-1, geo::make_point(X0 + 800, Y0), {std::string("clinic")}});
    fac.add({-1, geo::make_point(X0 + 500, Y0 + 1500), {std::string("kindergarten")}});
    if (zones_and_invalid)
        fac.add({-1, geo::from_wkt("POLYGON((620500 3161300, 620510 3161310, 620510 3161300, 620500 3161310, 620500 3161300))"),
                 {std::string("clinic")}});
    layers::Layer res("residential", {{"population", FieldType::integer, ""}}, crs, "Polygon");
    res.add({-1, box(100, -20, 180, -5), {std::int64_t{100}}});    // A: 1200 m², within 25 m of the street
    res.add({-1, box(200, -40, 300, -5), {std::int64_t{350}}});    // E: 3500 m², 2000 within 25 m
    res.add({-1, box(100, 160, 300, 190), {std::int64_t{600}}});   // B: 6000 m², across the river
    res.add({-1, box(850, 180, 950, 195), {std::int64_t{150}}});   // D: 1500 m², at the bridge
    res.add({-1, box(3000, 3000, 3100, 3100), {std::int64_t{800}}}); // G: 10000 m², far from everything
    layers::Layer barrier("barrier", {{"name", FieldType::string, ""}}, crs, "LineString");
    barrier.add({-1, line(880, 100, 920, 100), {std::string("closed bridge")}});
    layers::Layer zones("zones", {{"name", FieldType::string, ""}}, crs, "Polygon");
    zones.add({-1, box(-100, -100, 500, 500), {std::string("west")}});
    zones.add({-1, box(500, -100, 4000, 4000), {std::string("east")}});
    std::filesystem::create_directories(tmp / "in");
    auto path = (tmp / "in" / "river.gpkg").string();
    std::vector<const layers::Layer*> out{&streets, &fac, &res, &barrier};
    if (zones_and_invalid) out.push_back(&zones);
    layers::write(out, path);
    return path;
}

// The synthetic city with 600 parcels written to TMP/city.gpkg (layers streets, parks, facilities,
// residential …); returns its path.
inline std::string synth_city_gpkg(const test::TempDir& tmp) {
    layers::SynthOptions so;
    so.parcels = 600;
    auto path = (tmp / "city.gpkg").string();
    layers::write(layers::synth_city(so), path);
    return path;
}

// A one-level life-circle profile: kindergartens within 400 m.
inline const char* kOneLevelProfile = R"(name = "one-level"
type_field = "type"
[[level]]
name = "near"
radius_m = 400
standard = "test"
clause = "1"
confidence = "V"
[[facility]]
type = "kindergarten"
level = "near"
standard = "test"
clause = "1.1"
confidence = "V"
)";

}  // namespace planmap::test
