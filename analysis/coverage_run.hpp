// One coverage run: its options, the state (inputs in the metric CRS, the engine's results, the
// per-zone figures), how it is written (GeoPackage layers, zone CSV, JSON summary, HTML report)
// and printed; run_coverage does it all.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "geo/coverage.hpp"
#include "analysis/inputs.hpp"
#include "analysis/network_growth.hpp"
#include "analysis/profile.hpp"
#include "analysis/service_areas.hpp"
#include "layers/feature.hpp"
#include "styles/style.hpp"

namespace planmap::analysis {

struct ZoneFigures {
    std::string zone;
    std::size_t parcels = 0;
    double residential_area_m2 = 0, covered_area_m2 = 0, population = 0, covered_population = 0;
    nlohmann::json to_json() const;
};

struct CoverageRun {
    layers::Layer residential;
    std::optional<geo::Crs> crs;
    std::string population_field;
    analysis::ServiceAreas service;
    geo::CoverageResult result;
    // Per parcel, the uncovered part of a partly covered one, when the engine gives it (PostGIS);
    // empty: write() makes each part as its row is written (geo::uncovered_part).
    std::vector<geo::GeomPtr> uncovered;
    std::vector<double> population;      // per parcel (0 when missing)
    // Per parcel: 1 when it has a geometry but no area (a sliver, a flat ring, a line), so it is
    // placed by its point on surface; then point_covered says whether a service area holds it.
    std::vector<char> placed_by_point, point_covered;
    std::size_t population_missing = 0;  // parcels whose population is null or not a number
    std::vector<int> zone_of;            // per parcel: index into zones, -1 outside every zone
    std::vector<ZoneFigures> zones;
    double residential_area_m2 = 0, covered_area_m2 = 0, total_population = 0, covered_population = 0;
    std::map<std::string, double> timings;
    std::string engine = "embedded";  // or "postgis": where the figures were computed

    // The share of parcel i's population that is covered: its covered share of area, or for a
    // parcel placed by a point, 1 when the point is covered and 0 when not.
    double population_share(std::size_t i) const;
    std::size_t parcels_placed_by_point() const;
    // Covered area and population of the parcels against other service areas (no geometries kept,
    // nothing stored): the straight-line reference figures of a network run. Call after compute.
    std::pair<double, double> covered_with(const analysis::ServiceAreas& other) const;
    // Runs the engine on residential × service areas and sums the figures (per zone when given).
    void compute(const layers::Layer* zone_layer, const std::string& zone_field);
    // OUTDIR/coverage.gpkg (with `service_areas`, of dissolved_service_areas, and `facilities`, the
    // layer of coverage_facilities_layer, when given) and OUTDIR/coverage_zones.csv (its header in
    // the language asked for); records output times in timings. The facilities are styled in QGIS
    // with `facility_style` (coverage_facility_style) when given.
    void write(const std::string& outdir, const layers::Layer& service_areas, std::map<std::string, double>& timings, bool spatial_index,
               core::CsvHeader csv_header = core::CsvHeader::en, const layers::Layer* facilities = nullptr,
               const styles::Style* facility_style = nullptr);
    nlohmann::json summary(const analysis::Profile* profile, double radius_m, int quad_segs) const;
    void print(std::ostream& out, const nlohmann::json& summary, bool verbose) const;
};

// The service areas dissolved into one layer `service_areas` (the parts of their union, with
// area_m2), for the map; the figures never use a global union.
layers::Layer dissolved_service_areas(const ServiceAreas& service, const std::optional<geo::Crs>& crs);

// Where the figures are computed: in-process, or as SQL in a PostGIS database.
enum class Engine { embedded, postgis };

struct CoverageOptions {
    AnalysisInputs inputs;           // facilities, residential, fields, zones, outputs, network mode
    std::optional<double> radius_m;  // one service radius for every facility, metres (> 0) …
    std::string profile;             // … or a rule profile: a shipped name or a .toml file
    int quad_segs = 16;              // buffer segments per quarter circle (1 to 1000; PostGIS's default)
    Engine engine = Engine::embedded;
    std::string db;                  // PostGIS: a PG:… connection ("": the residential source when it is one)

    // usage_error for missing or inconsistent options.
    void check() const;
};

struct CoverageResult {
    CoverageRun run;
    std::optional<Profile> profile;
    bool network = false;              // computed along a network
    nlohmann::json summary;            // the JSON summary (with warnings and timings_s)
    std::vector<std::string> warnings;
};

// Reads the inputs, computes the coverage (along the network in network mode, then also the
// straight-line figures for comparison), writes coverage.gpkg and coverage_zones.csv into the
// output folder and the HTML report when asked for.
CoverageResult run_coverage(const CoverageOptions& options, const Progress& progress = {});
// The summary as printed by `planmap coverage`.
void print_coverage(std::ostream& out, const CoverageResult& result, bool verbose);

// The service areas of `refs` in the run's mode: buffers (straight line), or grown along the
// network of `layers_in` in network mode (then `growth` is set and its times are added to
// `timings`: network_snap, network_search, network_polygons).
ServiceAreas mode_service_areas(const std::vector<FacilityRef>& refs, const RadiusChoice& choice, const AnalysisLayers& layers_in,
                                const NetworkOptions& network, std::optional<NetworkGrowth>& growth,
                                std::map<std::string, double>& timings);

// The parcels with a geometry but no area (placed by a point), and whether each one's point on
// surface lies in one of the service areas; both one per parcel.
std::pair<std::vector<char>, std::vector<char>> place_by_point(const std::vector<const GEOSGeometry*>& parcels,
                                                               const std::vector<geo::ParcelCoverage>& coverage,
                                                               const std::vector<const GEOSGeometry*>& service_areas);

// Assigns each geometry to the zone containing its point on surface (-1: none), on all cores.
std::vector<int> assign_zones(const std::vector<const GEOSGeometry*>& geoms, const layers::Layer& zones);
double ratio(double num, double den);
// Prints the threshold checks of a summary, one line each starting with `prefix`: label,
// citation, PASS/FAIL and the actual figure, or "not evaluated".
void print_checks(std::ostream& out, const nlohmann::json& checks, const std::string& prefix);

}  // namespace planmap::analysis
