#include "analysis/coverage_run.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <sstream>

#include "analysis/inputs.hpp"
#include "analysis/html_report.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "core/stopwatch.hpp"
#include "layers/io.hpp"

namespace planmap::analysis {

namespace fs = std::filesystem;
using nlohmann::json;

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

namespace {

json ratio_or_null(double num, double den) { return den > 0 ? json(num / den) : json(nullptr); }

}  // namespace

json ZoneFigures::to_json() const {
    return {{"zone", zone},
            {"parcels", parcels},
            {"residential_area_m2", residential_area_m2},
            {"covered_area_m2", covered_area_m2},
            {"coverage_ratio", ratio_or_null(covered_area_m2, residential_area_m2)},
            {"population", population},
            {"covered_population", covered_population},
            {"population_coverage_ratio", ratio_or_null(covered_population, population)}};
}

std::vector<int> assign_zones(const std::vector<const GEOSGeometry*>& geoms, const layers::Layer& zones) {
    const auto& index = zones.index();  // built here, before the threads read it
    std::vector<int> out(geoms.size(), -1);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, geoms.size(), 256), [&](const auto& r) {
        auto ctx = geo::geos_context();
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
            if (!geoms[i] || geo::is_empty(geoms[i])) continue;
            auto pos = geo::point_on_surface(geoms[i]);
            std::size_t best = static_cast<std::size_t>(-1);
            index.for_each(geo::envelope(pos.get()), [&](std::size_t z) {
                const auto* zg = zones.features()[z].geometry.get();
                if (z < best && zg && GEOSIntersects_r(ctx, zg, pos.get()) == 1) best = z;
            });
            if (best != static_cast<std::size_t>(-1)) out[i] = static_cast<int>(best);
        }
    });
    return out;
}

void CoverageRun::compute(const layers::Layer* zone_layer, const std::string& zone_field) {
    std::vector<const GEOSGeometry*> parcels, areas;
    parcels.reserve(residential.size());
    for (const auto& f : residential.features()) parcels.push_back(f.geometry.get());
    for (const auto& a : service.areas) areas.push_back(a.get());
    geo::CoverageOptions options;
    options.cores = service.cores;
    result = geo::compute_coverage(parcels, areas, options);

    population.assign(parcels.size(), 0.0);
    if (!population_field.empty()) {
        int idx = residential.field_index(population_field);
        for (std::size_t i = 0; i < parcels.size(); ++i) {
            auto v = layers::value_to_double(residential.features()[i].values[idx]);
            if (!v || !std::isfinite(*v)) ++population_missing;
            else population[i] = *v;
        }
    }
    residential_area_m2 = result.residential_area_m2;
    covered_area_m2 = result.covered_area_m2;
    for (std::size_t i = 0; i < parcels.size(); ++i) {
        total_population += population[i];
        covered_population += population[i] * result.parcels[i].covered_share();
    }
    if (!zone_layer) return;
    zone_of = assign_zones(parcels, *zone_layer);
    for (std::size_t z = 0; z < zone_layer->size(); ++z)
        zones.push_back({layers::value_to_string(zone_layer->value(z, zone_field))});
    zones.push_back({"(outside every zone)"});
    for (std::size_t i = 0; i < parcels.size(); ++i) {
        const auto& pc = result.parcels[i];
        auto& zf = zones[zone_of[i] < 0 ? zones.size() - 1 : static_cast<std::size_t>(zone_of[i])];
        ++zf.parcels;
        zf.residential_area_m2 += pc.unique_area_m2;
        zf.covered_area_m2 += pc.unique_covered_m2;
        zf.population += population[i];
        zf.covered_population += population[i] * pc.covered_share();
    }
    if (zones.back().parcels == 0) zones.pop_back();
}

std::pair<double, double> CoverageRun::covered_with(const analysis::ServiceAreas& other) const {
    std::vector<const GEOSGeometry*> parcels, areas;
    for (const auto& f : residential.features()) parcels.push_back(f.geometry.get());
    for (const auto& a : other.areas) areas.push_back(a.get());
    geo::CoverageOptions options;
    options.keep_geometries = false;
    options.cores = other.cores;
    auto r = geo::compute_coverage(parcels, areas, options);
    double pop = 0;
    for (std::size_t i = 0; i < parcels.size(); ++i) pop += population[i] * r.parcels[i].covered_share();
    return {r.covered_area_m2, pop};
}

void CoverageRun::write(const std::string& outdir, std::map<std::string, double>& times, bool spatial_index) {
    core::Stopwatch sw;
    // The dissolved service areas, for the map only (the figures never use a global union).
    layers::Layer sa("service_areas", {{"area_m2", layers::FieldType::real, ""}}, crs, "Polygon");
    {
        std::vector<geo::GeomPtr> parts;
        parts.reserve(service.areas.size());
        for (const auto& a : service.areas)
            if (a) parts.push_back(geo::clone(a.get()));
        auto all = geo::union_all(std::move(parts));
        auto ctx = geo::geos_context();
        int n = GEOSGetNumGeometries_r(ctx, all.get());
        for (int k = 0; k < n; ++k) {
            auto part = geo::clone(GEOSGetGeometryN_r(ctx, all.get(), k));
            if (geo::is_empty(part.get())) continue;
            double a = geo::area(part.get());
            sa.add({k, std::move(part), {a}});
        }
    }
    times["dissolve_output"] = sw.lap();
    {
        std::vector<const GEOSGeometry*> parcels;
        for (const auto& f : residential.features()) parcels.push_back(f.geometry.get());
        geo::fill_uncovered(parcels, result);
    }
    times["uncovered_output"] = sw.lap();

    using layers::Field;
    using layers::FieldType;
    layers::Layer covered("covered", {{"parcel_fid", FieldType::integer, ""}, {"covered_m2", FieldType::real, ""}}, crs,
                          "MultiPolygon");
    layers::Layer uncovered("uncovered", {{"parcel_fid", FieldType::integer, ""}, {"uncovered_m2", FieldType::real, ""}}, crs,
                            "MultiPolygon");
    int f_cov = residential.add_field({"covered_m2", FieldType::real, "覆盖面积"});
    int f_share = residential.add_field({"covered_share", FieldType::real, "覆盖比例"});
    int f_pop = population_field.empty() ? -1 : residential.add_field({"covered_population", FieldType::real, "覆盖人口"});
    int f_zone = zones.empty() ? -1 : residential.add_field({"zone", FieldType::string, "分区"});
    auto& feats = residential.features();
    for (std::size_t i = 0; i < feats.size(); ++i) {
        auto& pc = result.parcels[i];
        auto& f = feats[i];
        f.values[f_cov] = pc.covered_m2;
        f.values[f_share] = pc.covered_share();
        if (f_pop >= 0) f.values[f_pop] = population[i] * pc.covered_share();
        if (f_zone >= 0 && zone_of[i] >= 0) f.values[f_zone] = zones[zone_of[i]].zone;
        if (pc.area_m2 <= 0) continue;
        using S = geo::ParcelCoverage::State;
        if (pc.state == S::full) covered.add({f.fid, geo::clone(f.geometry.get()), {f.fid, pc.covered_m2}});
        if (pc.state == S::none) uncovered.add({f.fid, geo::clone(f.geometry.get()), {f.fid, pc.area_m2}});
        if (pc.state == S::partial) {
            if (pc.covered) covered.add({f.fid, std::move(pc.covered), {f.fid, pc.covered_m2}});
            if (pc.uncovered) uncovered.add({f.fid, std::move(pc.uncovered), {f.fid, pc.area_m2 - pc.covered_m2}});
        }
    }
    std::string original_name = residential.name();
    residential.set_name("parcels");
    layers::WriteOptions wo;
    wo.spatial_index = spatial_index;
    layers::write(std::vector<const layers::Layer*>{&sa, &covered, &uncovered, &residential},
                  (fs::path(outdir) / "coverage.gpkg").string(), wo);
    residential.set_name(original_name);

    std::ostringstream csv;
    csv << "zone,parcels,residential_area_m2,covered_area_m2,coverage_ratio,population,covered_population,"
           "population_coverage_ratio\n";
    auto row = [&](const ZoneFigures& z) {
        csv << core::csv_cell(z.zone) << ',' << z.parcels << ',' << core::fixed(z.residential_area_m2, 4) << ','
            << core::fixed(z.covered_area_m2, 4) << ',' << core::fixed(ratio(z.covered_area_m2, z.residential_area_m2), 9) << ','
            << core::fixed(z.population, 3) << ',' << core::fixed(z.covered_population, 3) << ','
            << core::fixed(ratio(z.covered_population, z.population), 9) << '\n';
    };
    for (const auto& z : zones) row(z);
    ZoneFigures all{"(all)", residential.size(), residential_area_m2, covered_area_m2, total_population, covered_population};
    row(all);
    core::write_file_atomically((fs::path(outdir) / "coverage_zones.csv").string(), csv.str());
}

json CoverageRun::summary(const analysis::Profile* profile, double radius_m, int quad_segs) const {
    json j;
    j["engine"] = engine;
    j["residential"] = {{"layer", residential.name()},
                        {"parcels", residential.size()},
                        {"overlapping_parcels", result.overlapping_parcels},
                        {"repaired_or_removed_geometries", residential.invalid_geometries}};
    j["residential_area_m2"] = residential_area_m2;
    j["covered_area_m2"] = covered_area_m2;
    j["uncovered_area_m2"] = residential_area_m2 - covered_area_m2;
    j["coverage_ratio"] = ratio_or_null(covered_area_m2, residential_area_m2);
    j["population_field"] = population_field.empty() ? json(nullptr) : json(population_field);
    if (population_field.empty()) {
        j["population"] = nullptr;
        j["covered_population"] = nullptr;
        j["population_coverage_ratio"] = nullptr;
    } else {
        j["population"] = total_population;
        j["covered_population"] = covered_population;
        j["population_coverage_ratio"] = ratio_or_null(covered_population, total_population);
        j["population_missing"] = population_missing;
    }
    j["facilities_counted"] = service.facilities_counted;
    j["facilities_ignored"] = service.ignored.size();
    j["facilities_invalid"] = service.facilities_invalid;
    json ignored = json::array();
    for (std::size_t k = 0; k < service.ignored.size() && k < 1000; ++k)
        ignored.push_back({{"fid", service.ignored[k].id}, {"reason", service.ignored[k].reason}});
    j["ignored"] = ignored;
    std::map<std::string, std::pair<std::size_t, double>> by_rule;
    for (const auto& u : service.units) {
        auto& e = by_rule[u.rule];
        ++e.first;
        e.second = u.radius_m;
    }
    json rules = json::array();
    for (const auto& [rule, e] : by_rule) rules.push_back({{"rule", rule}, {"service_areas", e.first}, {"radius_m", e.second}});
    j["service_areas"] = rules;
    j["crs"] = crs ? crs->label() : "";
    j["quad_segs"] = quad_segs;
    if (profile) {
        j["profile"] = profile->name;
        j["profile_file"] = profile->file;
        j["radius_m"] = nullptr;
    } else {
        j["profile"] = nullptr;
        j["radius_m"] = radius_m;
    }
    if (profile && profile->dissolve && !population_field.empty() && total_population > 0)
        j["park_area_per_person_m2"] = service.facility_area_m2 / total_population;
    j["thresholds"] = threshold_checks(profile, j);
    json zj = json::array();
    for (const auto& z : zones) zj.push_back(z.to_json());
    j["zones"] = zj;
    j["timings_s"] = timings;
    return j;
}

void CoverageRun::print(std::ostream& out, const json& j, bool verbose) const {
    out << "coverage (" << (j["profile"].is_null() ? "radius " + core::fixed(j["radius_m"].get<double>(), 1) + " m"
                                                   : "profile " + j["profile"].get<std::string>())
        << ", " << j["crs"].get<std::string>() << ")\n";
    out << "  residential area: " << core::fixed(residential_area_m2, 1) << " m² in " << residential.size() << " parcel(s)";
    if (result.overlapping_parcels) out << " (" << result.overlapping_parcels << " overlapping, counted once)";
    out << "\n  covered area:     " << core::fixed(covered_area_m2, 1) << " m², coverage ratio "
        << core::fixed(100 * ratio(covered_area_m2, residential_area_m2), 4) << " %\n";
    if (!population_field.empty())
        out << "  population:       " << core::fixed(total_population, 0) << ", covered " << core::fixed(covered_population, 1) << " ("
            << core::fixed(100 * ratio(covered_population, total_population), 4) << " %)"
            << (population_missing ? ", " + std::to_string(population_missing) + " parcel(s) without population" : "")
            << "\n";
    out << "  facilities:       " << service.facilities_counted << " counted, " << service.ignored.size() << " ignored";
    if (service.facilities_invalid) out << " (" << service.facilities_invalid << " with invalid or empty geometry)";
    out << "\n";
    std::size_t shown = 0;
    for (const auto& ig : service.ignored) {
        if (shown++ == (verbose ? 1000u : 10u)) {
            out << "    … " << service.ignored.size() - shown + 1 << " more\n";
            break;
        }
        out << "    facility " << ig.id << ": " << ig.reason << "\n";
    }
    for (const auto& c : j["thresholds"]) {
        out << "  check " << c["label"].get<std::string>() << " (" << c["citation"].get<std::string>() << "): ";
        if (c["pass"].is_null()) out << "not evaluated (" << c["metric"].get<std::string>() << " not available)\n";
        else out << (c["pass"].get<bool>() ? "PASS" : "FAIL") << " (" << core::fixed(c["actual"].get<double>(), 6) << ")\n";
    }
    for (const auto& z : zones)
        out << "  zone " << z.zone << ": " << core::fixed(100 * ratio(z.covered_area_m2, z.residential_area_m2), 4) << " % of "
            << core::fixed(z.residential_area_m2, 1) << " m²\n";
    out << "  timings: read " << core::fixed(timings.at("read"), 3) << " s, compute " << core::fixed(timings.at("compute"), 3)
        << " s, write " << core::fixed(timings.at("write"), 3) << " s\n";
}

}  // namespace planmap::analysis
