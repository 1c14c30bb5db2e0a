// The state of one `planmap coverage` run: inputs in the metric CRS, the engine's results, the
// per-zone figures, and how they are written (GeoPackage layers, zone CSV, JSON summary).
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "geo/coverage.hpp"
#include "analysis/profile.hpp"
#include "analysis/service_areas.hpp"
#include "layers/feature.hpp"

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
    std::vector<double> population;      // per parcel (0 when missing)
    std::size_t population_missing = 0;  // parcels whose population is null or not a number
    std::vector<int> zone_of;            // per parcel: index into zones, -1 outside every zone
    std::vector<ZoneFigures> zones;
    double residential_area_m2 = 0, covered_area_m2 = 0, total_population = 0, covered_population = 0;
    std::map<std::string, double> timings;
    std::string engine = "embedded";  // or "postgis": where the figures were computed

    // Covered area and population of the parcels against other service areas (no geometries kept,
    // nothing stored): the straight-line reference figures of a network run. Call after compute.
    std::pair<double, double> covered_with(const analysis::ServiceAreas& other) const;
    // Runs the engine on residential × service areas and sums the figures (per zone when given).
    void compute(const layers::Layer* zone_layer, const std::string& zone_field);
    // OUTDIR/coverage.gpkg and OUTDIR/coverage_zones.csv; records the dissolve time in timings.
    void write(const std::string& outdir, std::map<std::string, double>& timings, bool spatial_index);
    nlohmann::json summary(const analysis::Profile* profile, double radius_m, int quad_segs) const;
    void print(std::ostream& out, const nlohmann::json& summary, bool verbose) const;
};

// Assigns each geometry to the zone containing its point on surface (-1: none), on all cores.
std::vector<int> assign_zones(const std::vector<const GEOSGeometry*>& geoms, const layers::Layer& zones);
double ratio(double num, double den);

}  // namespace planmap::analysis
