#include "analysis/coverage_run.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>
#include <filesystem>
#include <ostream>
#include <sstream>

#include "analysis/inputs.hpp"
#include "analysis/html_report.hpp"
#include "analysis/report_text.hpp"
#include "analysis/network_growth.hpp"
#include "analysis/postgis_engine.hpp"
#include "analysis/run_map.hpp"
#include "layers/postgis.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "core/stopwatch.hpp"
#include "geo/spatial_index.hpp"
#include "layers/io.hpp"
#include "styles/qgis.hpp"

namespace planmap::analysis {

namespace fs = std::filesystem;
using nlohmann::json;

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

namespace {

constexpr const char* kCoverageFacilityStyle = "coverage_facilities.style.toml";

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

std::pair<std::vector<char>, std::vector<char>> place_by_point(const std::vector<const GEOSGeometry*>& parcels,
                                                               const std::vector<geo::ParcelCoverage>& coverage,
                                                               const std::vector<const GEOSGeometry*>& service_areas) {
    std::vector<char> placed(parcels.size(), 0), covered(parcels.size(), 0);
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < parcels.size(); ++i)
        if (parcels[i] && !geo::is_empty(parcels[i]) && !(coverage[i].area_m2 > 0)) placed[i] = 1, todo.push_back(i);
    if (todo.empty()) return {placed, covered};
    std::vector<geo::Envelope> envelopes;
    for (const auto* a : service_areas) envelopes.push_back(a ? geo::envelope(a) : geo::Envelope{});
    geo::SpatialIndex index(envelopes);
    auto ctx = geo::geos_context();
    for (auto i : todo) {
        auto pos = geo::point_on_surface(parcels[i]);
        index.for_each(geo::envelope(pos.get()), [&](std::size_t k) {
            if (!covered[i] && GEOSIntersects_r(ctx, service_areas[k], pos.get()) == 1) covered[i] = 1;
        });
    }
    return {placed, covered};
}

double CoverageRun::population_share(std::size_t i) const {
    if (i < placed_by_point.size() && placed_by_point[i]) return point_covered[i] ? 1.0 : 0.0;
    return result.parcels[i].covered_share();
}

std::size_t CoverageRun::parcels_placed_by_point() const {
    return static_cast<std::size_t>(std::count(placed_by_point.begin(), placed_by_point.end(), 1));
}

void CoverageRun::compute(const layers::Layer* zone_layer, const std::string& zone_field) {
    std::vector<const GEOSGeometry*> parcels, areas;
    parcels.reserve(residential.size());
    for (const auto& f : residential.features()) parcels.push_back(f.geometry.get());
    for (const auto& a : service.areas) areas.push_back(a.get());
    geo::CoverageOptions options;
    options.cores = service.cores;
    result = geo::compute_coverage(parcels, areas, options);
    std::tie(placed_by_point, point_covered) = place_by_point(parcels, result.parcels, areas);

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
        covered_population += population[i] * population_share(i);
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
        zf.covered_population += population[i] * population_share(i);
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
    auto [placed, point_in] = place_by_point(parcels, r.parcels, areas);
    double pop = 0;
    for (std::size_t i = 0; i < parcels.size(); ++i)
        pop += population[i] * (placed[i] ? (point_in[i] ? 1.0 : 0.0) : r.parcels[i].covered_share());
    return {r.covered_area_m2, pop};
}

layers::Layer dissolved_service_areas(const ServiceAreas& service, const std::optional<geo::Crs>& crs) {
    layers::Layer sa("service_areas", {{"area_m2", layers::FieldType::real, ""}}, crs, "Polygon");
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
    return sa;
}

void CoverageRun::write(const std::string& outdir, const layers::Layer& sa, std::map<std::string, double>& times, bool spatial_index,
                        core::CsvHeader csv_header, const layers::Layer* facilities, const styles::Style* facility_style) {
    core::Stopwatch sw;

    using layers::Field;
    using layers::FieldType;
    // The outputs show the parcels as they are, with computed columns: their rows are made as the
    // file is written (layers::Layer::set_rows), not stored, so no parcel geometry or value is copied.
    using S = geo::ParcelCoverage::State;
    const auto& feats = residential.features();
    std::vector<std::uint32_t> covered_rows, uncovered_rows;  // parcel index of each row
    for (std::size_t i = 0; i < feats.size(); ++i) {
        const auto& pc = result.parcels[i];
        if (pc.area_m2 <= 0) continue;
        if (pc.state == S::full || (pc.state == S::partial && pc.covered)) covered_rows.push_back(static_cast<std::uint32_t>(i));
        const bool has_uncovered_part = pc.state == S::partial && (uncovered.empty() ? pc.covered != nullptr : uncovered[i] != nullptr);
        if (pc.state == S::none || has_uncovered_part) uncovered_rows.push_back(static_cast<std::uint32_t>(i));
    }
    layers::Layer covered("covered", {{"parcel_fid", FieldType::integer, ""}, {"covered_m2", FieldType::real, ""}}, crs,
                          "MultiPolygon");
    covered.set_rows(covered_rows.size(), [&](std::size_t r, layers::RowView& row) {
        const std::size_t i = covered_rows[r];
        const auto& pc = result.parcels[i];
        row.fid = feats[i].fid;
        row.geometry = pc.state == S::full ? feats[i].geometry.get() : pc.covered.get();
        row.values = {row.fid, pc.covered_m2};
    });
    layers::Layer uncovered_layer("uncovered", {{"parcel_fid", FieldType::integer, ""}, {"uncovered_m2", FieldType::real, ""}}, crs,
                            "MultiPolygon");
    uncovered_layer.set_rows(uncovered_rows.size(), [&](std::size_t r, layers::RowView& row) {
        const std::size_t i = uncovered_rows[r];
        const auto& pc = result.parcels[i];
        row.fid = feats[i].fid;
        if (pc.state == S::none) {
            row.geometry = feats[i].geometry.get();
        } else if (!uncovered.empty()) {
            row.geometry = uncovered[i].get();
        } else {
            // Made here, on the writer's cores, and freed once encoded: never all held at once.
            // (An overlay that leaves nothing of a part the areas call uncovered: no geometry.)
            row.owned = geo::uncovered_part(feats[i].geometry.get(), pc);
            row.geometry = row.owned.get();
        }
        row.values = {row.fid, pc.state == S::none ? pc.area_m2 : pc.area_m2 - pc.covered_m2};
    });
    // The input's fields and the computed ones (Layer::add_field: a field of the input with the
    // name of a computed one, an earlier run's output read again, takes the computed value).
    layers::Layer parcels("parcels", residential.fields(), crs, residential.geometry_type());
    const int f_cov = parcels.add_field({"covered_m2", FieldType::real, "覆盖面积"});
    const int f_share = parcels.add_field({"covered_share", FieldType::real, "覆盖比例"});
    const int f_pop = population_field.empty() ? -1 : parcels.add_field({"covered_population", FieldType::real, "覆盖人口"});
    const int f_zone = zones.empty() ? -1 : parcels.add_field({"zone", FieldType::string, "分区"});
    const int f_point = parcels.add_field({"placed_by_point", FieldType::integer, "按点计入"});
    const std::size_t n_fields = parcels.fields().size();
    parcels.set_rows(feats.size(), [&, n_fields, f_cov, f_share, f_pop, f_zone, f_point](std::size_t i, layers::RowView& row) {
        const auto& f = feats[i];
        row.fid = f.fid;
        row.geometry = f.geometry.get();
        row.values.assign(f.values.begin(), f.values.end());
        row.values.resize(n_fields);
        row.values[static_cast<std::size_t>(f_cov)] = result.parcels[i].covered_m2;
        row.values[static_cast<std::size_t>(f_share)] = population_share(i);
        row.values[static_cast<std::size_t>(f_point)] = std::int64_t{placed_by_point[i] ? 1 : 0};
        if (f_pop >= 0) row.values[static_cast<std::size_t>(f_pop)] = population[i] * population_share(i);
        if (f_zone >= 0 && zone_of[i] >= 0) row.values[static_cast<std::size_t>(f_zone)] = zones[static_cast<std::size_t>(zone_of[i])].zone;
    });
    layers::WriteOptions wo;
    wo.spatial_index = spatial_index;
    wo.styles = [facilities, facility_style](const layers::Layer& l) {
        return facility_style && &l == facilities ? styles::qgis_style_from(*facility_style, l) : styles::qgis_style(l);
    };
    std::vector<const layers::Layer*> out{&sa, &covered, &uncovered_layer, &parcels};
    if (facilities) out.push_back(facilities);
    times["output_layers"] = sw.lap();
    layers::write(out, (fs::path(outdir) / "coverage.gpkg").string(), wo);
    times["write_gpkg"] = sw.lap();

    std::ostringstream csv;
    csv << core::csv_header({"zone", "parcels", "residential_area_m2", "covered_area_m2", "coverage_ratio", "population",
                             "covered_population", "population_coverage_ratio"},
                            csv_header);
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
                        {"repaired_or_removed_geometries", residential.invalid_geometries},
                        {"placed_by_point", parcels_placed_by_point()}};
    json placed = json::array();
    for (std::size_t i = 0; i < residential.size() && placed.size() < 1000; ++i)
        if (placed_by_point[i]) placed.push_back(residential.features()[i].fid);
    j["residential"]["placed_by_point_fids"] = placed;
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
    add_ignored_facilities(j, service.ignored, service.facilities_invalid);
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

void print_checks(std::ostream& out, const json& checks, const std::string& prefix) {
    for (const auto& c : checks) {
        const std::string label = c["label"].get<std::string>(), citation = c["citation"].get<std::string>();
        // The profile's label and clause as the reports write them in the user's language.
        out << prefix << trf("{} ({}): ", tr(label.c_str()), i18n::language() == i18n::Language::zh ? citation_zh(citation) : citation);
        if (c["pass"].is_null()) out << trf("not evaluated ({} not available)", c["metric"].get<std::string>()) << "\n";
        else out << (c["pass"].get<bool>() ? tr("PASS") : tr("FAIL")) << " (" << core::fixed(c["actual"].get<double>(), 6) << ")\n";
    }
}

void CoverageRun::print(std::ostream& out, const json& j, bool verbose) const {
    out << trf("coverage ({}, {})", j["profile"].is_null() ? trf("radius {} m", core::fixed(j["radius_m"].get<double>(), 1))
                                                             : trf("profile {}", j["profile"].get<std::string>()),
               j["crs"].get<std::string>())
        << "\n";
    out << trf("  residential area: {} m² in {} parcel(s)", core::fixed(residential_area_m2, 1), residential.size());
    if (result.overlapping_parcels) out << trf(" ({} overlapping, counted once)", result.overlapping_parcels);
    out << "\n" << trf("  covered area:     {} m², coverage ratio {} %", core::fixed(covered_area_m2, 1),
                       core::fixed(100 * ratio(covered_area_m2, residential_area_m2), 4)) << "\n";
    if (!population_field.empty())
        out << trf("  population:       {}, covered {} ({} %)", core::fixed(total_population, 0), core::fixed(covered_population, 1),
                   core::fixed(100 * ratio(covered_population, total_population), 4))
            << (population_missing ? trf(", {} parcel(s) without population", population_missing) : "")
            << "\n";
    if (auto placed = parcels_placed_by_point())
        out << trf("  placed by point:  {} parcel(s) without area, counted where their point on surface lies", placed) << "\n";
    out << trf("  facilities:       {} counted, {} ignored", service.facilities_counted, service.ignored.size());
    if (service.facilities_invalid) out << trf(" ({} with invalid or empty geometry)", service.facilities_invalid);
    out << "\n";
    std::size_t shown = 0;
    for (const auto& ig : service.ignored) {
        if (shown++ == (verbose ? 1000u : 10u)) {
            out << trf("    … {} more", service.ignored.size() - shown + 1) << "\n";
            break;
        }
        out << trf("    facility {}: {}", ig.id, reason_text(ig.reason)) << "\n";
    }
    print_checks(out, j["thresholds"], tr("  check "));
    for (const auto& z : zones)
        // xgettext:no-c-format
        out << trf("  zone {}: {} % of {} m²", z.zone, core::fixed(100 * ratio(z.covered_area_m2, z.residential_area_m2), 4),
                   core::fixed(z.residential_area_m2, 1)) << "\n";
    out << trf("  timings: read {} s, compute {} s, write {} s", core::fixed(timings.at("read"), 3), core::fixed(timings.at("compute"), 3),
               core::fixed(timings.at("write"), 3)) << "\n";
}

namespace {

// The network part of the summary: the network, what could not be attached, and the gap between
// the straight-line figures on the same inputs and the network figures.
void add_network_figures(json& j, const CoverageRun& run, const NetworkOptions& o, const LoadedNetwork& n, const NetworkGrowth& g,
                         std::pair<double, double> straight) {
    j["network"] = describe_network(o, n);
    j["network"]["width_m"] = o.width_m;
    j["network"]["reach_length_m"] = g.reach_length_m;
    j["unattached_facilities"] = g.unattached_facilities;
    for (auto& rule : j["service_areas"]) rule["walking_min"] = rule["radius_m"].get<double>() / o.speed_m_per_min;
    const auto [sl_area, sl_pop] = straight;
    json sl = {{"covered_area_m2", sl_area}, {"coverage_ratio", ratio(sl_area, run.residential_area_m2)}};
    json gap = {{"covered_area_m2", sl_area - run.covered_area_m2},
                {"coverage_ratio", ratio(sl_area, run.residential_area_m2) - ratio(run.covered_area_m2, run.residential_area_m2)}};
    if (run.population_field.empty() || !(run.total_population > 0)) {
        sl["covered_population"] = nullptr;
        sl["population_coverage_ratio"] = nullptr;
        gap["covered_population"] = nullptr;
        gap["population_coverage_ratio"] = nullptr;
    } else {
        sl["covered_population"] = sl_pop;
        sl["population_coverage_ratio"] = ratio(sl_pop, run.total_population);
        gap["covered_population"] = sl_pop - run.covered_population;
        gap["population_coverage_ratio"] = ratio(sl_pop, run.total_population) - ratio(run.covered_population, run.total_population);
    }
    j["straight_line"] = sl;
    j["gap"] = gap;
}

void print_network_figures(std::ostream& out, const json& j) {
    const auto& n = j["network"];
    out << trf("  network:          {}, {} edges, {} km", n["kind"].get<std::string>(), n["edges"].get<std::size_t>(),
               core::fixed(n["length_m"].get<double>() / 1000, 1));
    if (n["blocked_edges"].get<std::size_t>()) out << trf(", {} edge(s) cut by barriers", n["blocked_edges"].get<std::size_t>());
    out << trf("; service areas reach {} m either side of the reachable streets", core::fixed(n["width_m"].get<double>(), 1)) << "\n";
    const auto& un = j["unattached_facilities"];
    if (!un.empty()) {
        out << trf(un.size() == 1 ? N_("  unattached:       {} facility (no street within {} m):")
                                  : N_("  unattached:       {} facilities (no street within {} m):"),
                   un.size(), core::fixed(n["max_snap_m"].get<double>(), 1));
        for (std::size_t k = 0; k < un.size() && k < 20; ++k) out << " " << un[k].get<std::int64_t>();
        if (un.size() > 20) out << " …";
        out << "\n";
    }
    // xgettext:no-c-format
    out << trf("  straight-line:    coverage ratio {} % on the same inputs; gap (straight-line − network) {} points",
               core::fixed(100 * j["straight_line"]["coverage_ratio"].get<double>(), 4),
               core::fixed(100 * j["gap"]["coverage_ratio"].get<double>(), 4));
    if (j["gap"]["population_coverage_ratio"].is_number())
        out << trf(", population {} points", core::fixed(100 * j["gap"]["population_coverage_ratio"].get<double>(), 4));
    out << "\n";
    const auto& t = j["timings_s"];
    out << trf("  network timings:  load {} s, snap {} s, search {} s, polygons {} s", core::fixed(t["network_load"].get<double>(), 3),
               core::fixed(t["network_snap"].get<double>(), 3), core::fixed(t["network_search"].get<double>(), 3),
               core::fixed(t["network_polygons"].get<double>(), 3))
        << "\n";
}

bool has_points(const layers::Layer& l) {
    auto ctx = geo::geos_context();
    for (const auto& f : l.features()) {
        if (!f.geometry) continue;
        int t = GEOSGeomTypeId_r(ctx, f.geometry.get());
        if (t == GEOS_POINT || t == GEOS_MULTIPOINT) return true;
    }
    return false;
}

// OUTDIR/coverage.map.toml (the sheet: parcels, service areas, covered and uncovered land, the
// facilities by size class, the statistics box) and the facilities' style beside it.
void write_coverage_map(const std::string& outdir, const json& j, const Profile* prof, std::optional<double> radius_m,
                        const std::string& facility_style) {
    core::write_file_atomically((fs::path(outdir) / kCoverageFacilityStyle).string(), facility_style);
    const bool park = prof && prof->dissolve;
    std::string subtitle = prof ? (prof->title.empty() ? prof->name : prof->title) : "服务半径 radius " + core::fixed(radius_m.value_or(0), 0) + " m";
    subtitle += j["mode"] == "network" ? " · 步行网络距离 along the walking network" : " · 直线距离 straight-line";
    std::vector<RunMapLayer> layers;
    for (const auto& name : styles::map_order("coverage")) layers.push_back({name, name, "coverage"});
    layers.push_back({"facilities", "facilities", kCoverageFacilityStyle});
    core::write_file_atomically(
        (fs::path(outdir) / "coverage.map.toml").string(),
        run_map_toml("# planmap render coverage.map.toml -o coverage.pdf: the coverage sheet of this run (written by planmap coverage).\n",
                     park ? "公园绿地服务半径覆盖分析图 Park service-radius coverage" : "服务半径覆盖分析图 Service-radius coverage", subtitle,
                     "coverage.gpkg", layers, coverage_stats(j)));
}

// The PostGIS database: db, else the residential source when it is a PG: connection.
std::string postgis_db(const CoverageOptions& o) {
    return !o.db.empty() ? o.db : layers::is_postgis(o.inputs.residential) ? o.inputs.residential : std::string();
}

}  // namespace

ServiceAreas mode_service_areas(const std::vector<FacilityRef>& refs, const RadiusChoice& choice, const AnalysisLayers& layers_in,
                                const NetworkOptions& network, std::optional<NetworkGrowth>& growth,
                                std::map<std::string, double>& timings) {
    if (!layers_in.network) return straight_line_service_areas(refs, choice);
    ServiceAreas service = size_service_units(refs, choice);
    NetworkGrowOptions go;
    go.attach = network.attach();
    go.width_m = network.width_m;
    go.quad_segs = choice.quad_segs;
    go.blocked = &layers_in.network->blocked;
    growth = grow_along_network(layers_in.network->opened.net, service, go);
    timings["network_snap"] += growth->snap_s;
    timings["network_search"] += growth->search_s;
    timings["network_polygons"] += growth->polygons_s;
    return service;
}

void CoverageOptions::check() const {
    inputs.check(true);
    if (!radius_m && profile.empty()) throw usage_error(tr("coverage needs "), param{"radius_m"}, tr(" M or "), param{"profile"}, " P");
    if (radius_m && !profile.empty()) throw usage_error(param{"radius_m"}, tr(" and "), param{"profile"}, tr(" exclude each other"));
    if (radius_m && !(*radius_m > 0)) throw usage_error(param{"radius_m"}, tr(" must be positive (metres)"));
    if (quad_segs < 1 || quad_segs > 1000) throw usage_error(param{"quad_segs"}, tr(" must be 1 to 1000"));
    if (engine == Engine::postgis) {
        if (inputs.mode == Mode::network)
            throw usage_error(param{"engine"}, tr(" postgis computes straight-line coverage; drop "), param{"mode"},
                                  tr(" network or use the embedded engine"));
        std::string db_used = postgis_db(*this);
        if (db_used.empty())
            throw usage_error(param{"engine"}, tr(" postgis needs "), param{"db"}, tr(" PG:… (or a PG:… "), param{"residential"}, tr(" source)"));
        if (!layers::is_postgis(db_used)) throw usage_error(param{"db"}, trf(" '{}' is not a PG:… connection string", db_used));
    }
}

CoverageResult run_coverage(const CoverageOptions& o, const Progress& progress) {
    o.check();
    const auto& in = o.inputs;
    const auto name = [&](const std::string& p) { return parameter_name(in.names, p); };
    core::Stopwatch total, step;
    CoverageResult out;
    if (!o.profile.empty()) out.profile = find_profile(o.profile, (fs::path(core::data_dir()) / "profiles").string());
    const Profile* prof = out.profile ? &*out.profile : nullptr;
    if (prof && prof->radius_rules.empty() && prof->facilities.empty())
        throw usage_error(trf("profile {} has thresholds only; it cannot size service areas", prof->name));

    // The output folder is written whole beside the target and put in place when complete.
    core::OutputFolder outdir(in.output, in.overwrite, trf("output folder {}", name("output")));
    auto layers_in = read_analysis_layers(in, prof ? prof->type_field : "", false, progress);
    auto& run = out.run;
    out.network = layers_in.network.has_value();
    out.warnings = std::move(layers_in.warnings);
    if (out.network) run.timings["network_load"] = layers_in.network_load_s;
    run.residential = std::move(layers_in.residential);
    run.crs = layers_in.crs;
    run.population_field = layers_in.population_field;
    layers::Layer& facilities = layers_in.facilities;
    auto& zones = layers_in.zones;
    run.timings["read"] = layers_in.read_s;
    step.lap();

    // Service areas, then the parcels against them.
    const auto refs = layers_in.facility_refs();
    RadiusChoice choice;
    if (!prof) choice.radius_m = o.radius_m;
    choice.profile = prof;
    choice.quad_segs = o.quad_segs;
    std::map<std::string, std::string> db_inputs;
    std::optional<NetworkGrowth> growth;
    std::optional<std::pair<double, double>> straight;
    // The service areas dissolved for the map (one global union; the figures never use one), made
    // on another core while the parcels are computed. (Should anything throw, the task_group's
    // destructor cancels and waits for the task before what it fills, declared before it, goes.)
    std::optional<layers::Layer> dissolved;
    double dissolve_s = 0;
    tbb::task_group dissolving;
    const auto start_dissolve = [&] {
        dissolving.run([&] {
            core::Stopwatch own;
            dissolved = dissolved_service_areas(run.service, run.crs);
            dissolve_s = own.seconds();
        });
    };
    if (o.engine == Engine::postgis) {
        run.engine = "postgis";
        PostgisCoverage pg{postgis_db(o), layers_in.type_field, in.zone_field, false, in.residential, in.facilities};
        db_inputs = compute_coverage_postgis(run, facilities, zones ? &*zones : nullptr, choice, pg);
        start_dissolve();
    } else {
        core::Stopwatch parts;
        run.service = mode_service_areas(refs, choice, layers_in, in.network, growth, run.timings);
        run.timings["compute_service_areas"] = parts.lap();
        start_dissolve();  // run.service stays as it is from here on
        run.compute(zones ? &*zones : nullptr, in.zone_field);
        run.timings["compute_parcels"] = parts.lap();
        // The straight-line figures on the same inputs, to show how much they over-claim.
        if (layers_in.network) {
            straight = run.covered_with(straight_line_service_areas(refs, choice));
            run.timings["straight_line_reference"] = parts.lap();
        }
    }
    run.timings["compute"] = step.lap();
    // One line on what the import repaired or left out, and the parcels placed by a point.
    std::string repairs = layers_in.imports.summary_line();
    if (auto placed = run.parcels_placed_by_point())
        repairs += (repairs.empty() ? "" : "; ") +
                   trf("{} residential parcel(s) without area placed by a point (\"placed_by_point_fids\")", placed);
    if (!repairs.empty()) out.warnings.push_back(repairs);
    if (!(run.residential_area_m2 > 0))
        throw error(trf("residential layer '{}' of '{}' has no area ({} feature(s), none a polygon with area)", run.residential.name(),
                        layers::redact_connection(in.residential), run.residential.size()));

    // Every facility with its size class or why it does not count, for the sheet and the report.
    const layers::Layer fac_map = coverage_facilities_layer(facilities, layers_in.type_field, run.service);
    const std::string fac_style = coverage_facility_style(prof, o.radius_m, has_points(fac_map),
                                                          layers_in.network ? std::optional<double>(in.network.max_snap_m) : std::nullopt);
    const styles::Style fac_style_parsed = styles::parse_style(fac_style, kCoverageFacilityStyle);
    {
        core::Stopwatch waited;
        dissolving.wait();
        run.timings["dissolve_wait"] = waited.seconds();
    }
    for (auto& f : dissolved->features()) geo::adopt(f.geometry);  // made on another thread's GEOS context
    run.timings["dissolve_output"] = dissolve_s;
    run.write(outdir.path().string(), *dissolved, run.timings, in.spatial_index, in.csv_header, &fac_map, &fac_style_parsed);

    json& j = out.summary;
    j = run.summary(prof, o.radius_m.value_or(0), o.quad_segs);
    j["residential"]["source"] = in.residential;
    j["facilities_source"] = in.facilities;
    j["mode"] = mode_name(in.mode);
    j["facilities_by_status"] = facilities_by_status(fac_map);
    layers_in.imports.add_to(j);
    if (layers_in.network) add_network_figures(j, run, in.network, *layers_in.network, *growth, *straight);
    write_coverage_map(outdir.path().string(), j, prof, o.radius_m, fac_style);
    outdir.commit();
    run.timings["write"] = step.lap();
    run.timings["total"] = total.seconds();
    j["timings_s"] = run.timings;
    j["warnings"] = out.warnings;
    if (!db_inputs.empty()) j["db_inputs"] = db_inputs;
    if (!in.html.empty()) {
        core::Stopwatch sw;
        ReportInput report{"coverage", j, prof, (fs::path(in.output) / "coverage.gpkg").string(), {}, {}};
        report.facility_style = (fs::path(in.output) / kCoverageFacilityStyle).string();
        report.parameters = {
            {name("facilities"), layers::redact_connection(in.facilities)},
            {name("residential"), layers::redact_connection(in.residential)},
            {prof ? name("profile") : name("radius_m"), prof ? o.profile : std::to_string(o.radius_m.value_or(0)) + " m"},
            {name("population_field"), run.population_field.empty() ? tr("(none)") : run.population_field},
            {name("zones"), in.zones.empty() ? tr("(none)") : layers::redact_connection(in.zones) + trf(" (field {})", in.zone_field)},
            {name("quad_segs"), std::to_string(o.quad_segs)},
            {name("engine"), run.engine + (run.engine == "postgis" ? " " + layers::redact_connection(postgis_db(o)) : "")},
            {"CRS", j["crs"].get<std::string>()},
            {name("output"), in.output}};
        write_html_report(in.html, report);
        j["timings_s"]["report"] = sw.seconds();
    }
    return out;
}

void print_coverage(std::ostream& out, const CoverageResult& r, bool verbose) {
    r.run.print(out, r.summary, verbose);
    if (r.network) print_network_figures(out, r.summary);
}

}  // namespace planmap::analysis
