#include "analysis/site_run.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include "analysis/coverage_run.hpp"
#include "analysis/html_report.hpp"
#include "analysis/report_text.hpp"
#include "analysis/site_solver.hpp"
#include "core/i18n.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/stopwatch.hpp"
#include "core/text.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"
#include "styles/qgis.hpp"

namespace planmap::analysis {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* objective_name(SiteObjective o) { return o == SiteObjective::area ? "area" : "population"; }

// Candidate points on a grid of `spacing` metres over the polygons of `within` (the points that
// lie inside them), or squares of `site_area_m2` centred on those points.
layers::Layer grid_candidates(const layers::Layer& within, double spacing, std::optional<double> site_area_m2) {
    layers::Layer out("grid_candidates", {}, within.crs(), site_area_m2 ? "Polygon" : "Point");
    auto e = within.extent();
    if (e.empty) return out;
    const double cells = ((e.maxx - e.minx) / spacing + 1) * ((e.maxy - e.miny) / spacing + 1);
    if (cells > 5e7) throw usage_error(param{"grid_m"}, trf(" {} m gives too many grid points; use a wider spacing", core::fixed(spacing, 1)));
    std::vector<geo::PreparedPtr> prepared;
    for (const auto& f : within.features()) prepared.push_back(f.geometry ? geo::prepare(f.geometry.get()) : nullptr);
    const auto& index = within.index();
    auto ctx = geo::geos_context();
    const double half = site_area_m2 ? std::sqrt(*site_area_m2) / 2 : 0;
    std::int64_t fid = 0;
    for (double y = std::floor(e.miny / spacing) * spacing + spacing / 2; y <= e.maxy; y += spacing)
        for (double x = std::floor(e.minx / spacing) * spacing + spacing / 2; x <= e.maxx; x += spacing) {
            auto pt = geo::make_point(x, y);
            bool inside = false;
            index.for_each(geo::envelope(pt.get()), [&](std::size_t k) {
                if (!inside && prepared[k] && GEOSPreparedContains_r(ctx, prepared[k].get(), pt.get()) == 1) inside = true;
            });
            if (!inside) continue;
            geo::GeomPtr g = half > 0 ? geo::make_polygon({{x - half, y - half}, {x + half, y - half}, {x + half, y + half},
                                                           {x - half, y + half}, {x - half, y - half}})
                                      : std::move(pt);
            out.add({++fid, std::move(g), {}});
        }
    return out;
}

// The part of each parcel the existing facilities leave uncovered (null: nothing uncovered): the
// whole parcel, its uncovered part, or for a parcel placed by a point its point on surface.
std::vector<geo::GeomPtr> uncovered_regions(const CoverageRun& run) {
    std::vector<geo::GeomPtr> out(run.residential.size());
    std::vector<geo::GeomPtr> part;
    {
        std::vector<const GEOSGeometry*> parcels;
        for (const auto& f : run.residential.features()) parcels.push_back(f.geometry.get());
        part = geo::uncovered_parts(parcels, run.result);
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto* p = run.residential.features()[i].geometry.get();
        if (!p || geo::is_empty(p)) continue;
        if (run.placed_by_point[i]) {
            if (!run.point_covered[i]) out[i] = geo::point_on_surface(p);
            continue;
        }
        const auto& pc = run.result.parcels[i];
        using S = geo::ParcelCoverage::State;
        if (pc.state == S::none && pc.area_m2 > 0) out[i] = geo::clone(p);
        else if (pc.state == S::partial && part[i]) out[i] = std::move(part[i]);
    }
    return out;
}

json figures_json(const CoverageRun& run) {
    json j = {{"covered_area_m2", run.covered_area_m2}, {"coverage_ratio", ratio(run.covered_area_m2, run.residential_area_m2)}};
    if (run.population_field.empty()) {
        j["covered_population"] = nullptr;
        j["population_coverage_ratio"] = nullptr;
    } else {
        j["covered_population"] = run.covered_population;
        j["population_coverage_ratio"] = ratio(run.covered_population, run.total_population);
    }
    return j;
}

json solution_json(const SiteSolution& s, double before, double total) {
    json j = {{"sites", s.chosen.size()}, {"gain", s.gain}, {"ratio_after", ratio(before + s.gain, total)}, {"seconds", s.seconds}};
    if (!s.status.empty()) {
        j["status"] = s.status;
        j["optimal"] = s.optimal;
        j["bound"] = s.bound ? json(*s.bound) : json(nullptr);
        j["gap"] = s.gap ? json(*s.gap) : json(nullptr);
    }
    return j;
}

}  // namespace

void SiteOptions::check() const {
    inputs.check(false);
    if (candidates.empty() == (grid_m <= 0 && within.empty()))
        throw usage_error(tr("site needs "), param{"candidates"}, tr(" SRC or "), param{"grid_m"}, tr(" M with "), param{"within"}, tr(" SRC (one of them)"));
    if (candidates.empty()) {
        if (!(grid_m > 0)) throw usage_error(param{"grid_m"}, tr(" must be positive (metres)"));
        if (within.empty()) throw usage_error(param{"grid_m"}, tr(" needs "), param{"within"}, tr(" SRC (the polygons to fill)"));
    }
    if (site_area_m2 && !(*site_area_m2 > 0)) throw usage_error(param{"site_area_m2"}, tr(" must be positive (m²)"));
    if (site_area_m2 && !candidates.empty()) throw usage_error(param{"site_area_m2"}, tr(" sizes grid candidates; it needs "), param{"grid_m"});
    if (!radius_m && profile.empty()) throw usage_error(tr("site needs "), param{"radius_m"}, tr(" M or "), param{"profile"}, " P");
    if (radius_m && !profile.empty()) throw usage_error(param{"radius_m"}, tr(" and "), param{"profile"}, tr(" exclude each other"));
    if (radius_m && !(*radius_m > 0)) throw usage_error(param{"radius_m"}, tr(" must be positive (metres)"));
    if (!type.empty() && profile.empty()) throw usage_error(param{"type"}, tr(" needs a life-circle "), param{"profile"});
    if (quad_segs < 1 || quad_segs > 1000) throw usage_error(param{"quad_segs"}, tr(" must be 1 to 1000"));
    if (!add && !target && !budget) throw usage_error(tr("site needs a goal: "), param{"add"}, " K, ", param{"target"}, tr(" R or "), param{"budget"}, " B");
    if (add && *add <= 0) throw usage_error(param{"add"}, tr(" must be at least 1 (sites)"));
    if (target && add) throw usage_error(param{"add"}, tr(" and "), param{"target"}, tr(" exclude each other"));
    if (target && !(*target > 0 && *target <= 1))
        throw usage_error(param{"target"}, tr(" must be a coverage ratio above 0 and at most 1 (e.g. 0.9)"));
    if (target && budget) throw usage_error(param{"budget"}, tr(" goes with "), param{"add"}, tr(" (or alone), not with "), param{"target"});
    if (budget && !(*budget > 0)) throw usage_error(param{"budget"}, tr(" must be positive"));
    if (!(time_limit_s > 0)) throw usage_error(param{"time_limit_s"}, tr(" must be positive (seconds)"));
    if (solver_threads < 1 || solver_threads > 64) throw usage_error(param{"solver_threads"}, tr(" must be 1 to 64"));
    if (curve_sites < 0) throw usage_error(param{"curve_sites"}, tr(" must not be negative"));
}

SiteResult run_site(const SiteOptions& o, const Progress& progress) {
    o.check();
    const auto& in = o.inputs;
    const auto name = [&](const std::string& p) { return parameter_name(in.names, p); };
    core::Stopwatch total, step;
    std::map<std::string, double> timings;
    SiteResult out;

    std::optional<Profile> profile;
    if (!o.profile.empty()) profile = find_profile(o.profile, (fs::path(core::data_dir()) / "profiles").string());
    const Profile* prof = profile ? &*profile : nullptr;
    if (prof && prof->radius_rules.empty() && prof->facilities.empty())
        throw usage_error(trf("profile {} has thresholds only; it cannot size service areas", prof->name));
    if (!o.type.empty() && !prof->radius_for(0, o.type))
        throw usage_error(param{"type"}, trf(" '{}' has no rule in profile {}", o.type, prof->name));
    if (prof && prof->uses_types() && o.type.empty() && prof->radius_rules.empty())
        throw usage_error(trf("profile {} sizes facilities by type: give ", prof->name), param{"type"}, tr(" T (the facility type to site)"));

    core::OutputFolder outdir(in.output, in.overwrite, trf("output folder {}", name("output")));
    auto layers_in = read_analysis_layers(in, prof ? prof->type_field : "", !o.type.empty(), progress);
    out.warnings = std::move(layers_in.warnings);
    if (layers_in.network) timings["network_load"] = layers_in.network_load_s;
    if (o.objective == SiteObjective::population && layers_in.population_field.empty())
        throw usage_error(trf("residential layer '{}' of '{}' has no population field: give ", layers_in.residential.name(),
                              layers::redact_connection(in.residential)),
                          param{"population_field"}, tr(" F or "), param{"objective"}, " area");

    // Candidates: a layer, or a grid inside the given polygons.
    layers::Layer candidates;
    std::string candidates_source = o.candidates;
    if (!o.candidates.empty()) {
        candidates = read_metric_layer(o.candidates, "candidates", layers_in.imports, layers_in.crs, out.warnings,
                                       step_progress(progress, tr("reading candidates")));
    } else {
        auto within = read_metric_layer(o.within, "within", layers_in.imports, layers_in.crs, out.warnings);
        candidates = grid_candidates(within, o.grid_m, o.site_area_m2);
        candidates_source = "grid " + core::fixed(o.grid_m, 1) + " m within " + layers::redact_connection(o.within);
    }
    if (candidates.size() == 0)
        throw error(o.candidates.empty() ? trf("the grid of {} {} m has no point inside {} '{}'", name("grid_m"), core::fixed(o.grid_m, 1),
                                               name("within"), layers::redact_connection(o.within))
                                         : trf("candidate layer '{}' of {} '{}' has no features", candidates.name(), name("candidates"),
                                               layers::redact_connection(o.candidates)));
    std::vector<double> cost;
    if (!o.cost_field.empty()) {
        if (candidates.field_index(o.cost_field) < 0)
            throw usage_error(trf("candidate layer '{}' has no field '{}' (", candidates.name(), o.cost_field), param{"cost_field"}, ")");
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            auto v = layers::value_to_double(candidates.value(i, o.cost_field));
            if (!v || !std::isfinite(*v) || *v < 0)
                throw error(trf("candidate {} of layer '{}' has no usable cost in field '{}' (a number ≥ 0 expected)",
                                candidates.features()[i].fid, candidates.name(), o.cost_field));
            cost.push_back(*v);
        }
    } else if (o.budget) {
        throw usage_error(param{"budget"}, tr(" needs "), param{"cost_field"}, tr(" F (the candidates' cost)"));
    }
    timings["read"] = step.lap();

    // Existing facilities (of the sited type) and the coverage before.
    std::vector<FacilityRef> existing = layers_in.facility_refs();
    if (!o.type.empty())
        existing.erase(std::remove_if(existing.begin(), existing.end(), [&](const FacilityRef& f) { return f.type != o.type; }),
                       existing.end());
    RadiusChoice choice;
    if (!prof) choice.radius_m = o.radius_m;
    choice.profile = prof;
    choice.quad_segs = o.quad_segs;
    std::optional<NetworkGrowth> growth;
    CoverageRun before;
    before.residential = std::move(layers_in.residential);
    before.crs = layers_in.crs;
    before.population_field = layers_in.population_field;
    before.service = mode_service_areas(existing, choice, layers_in, in.network, growth, timings);
    const std::vector<std::int64_t> unattached_existing = growth ? growth->unattached_facilities : std::vector<std::int64_t>{};
    before.compute(nullptr, "");
    if (!(before.residential_area_m2 > 0))
        throw error(trf("residential layer '{}' of '{}' has no area ({} feature(s), none a polygon with area)", before.residential.name(),
                        layers::redact_connection(in.residential), before.residential.size()));
    timings["coverage_before"] = step.lap();

    // Candidates' service areas, each sized on its own (no dissolving among candidates).
    std::optional<Profile> candidate_profile = profile;
    if (candidate_profile) candidate_profile->dissolve = false;
    RadiusChoice cchoice = choice;
    cchoice.profile = candidate_profile ? &*candidate_profile : nullptr;
    std::vector<FacilityRef> crefs;
    std::map<std::int64_t, std::size_t> candidate_of_fid;
    const int ctype = o.type.empty() && !layers_in.type_field.empty() ? candidates.field_index(layers_in.type_field) : -1;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& f = candidates.features()[i];
        std::string type = !o.type.empty() ? o.type : ctype >= 0 ? layers::value_to_string(f.values[ctype]) : "";
        crefs.push_back({f.fid, f.geometry.get(), type});
        candidate_of_fid[f.fid] = i;
    }
    if (candidate_of_fid.size() != candidates.size()) throw error(trf("candidate layer '{}' repeats feature ids", candidates.name()));
    std::optional<NetworkGrowth> cgrowth;
    ServiceAreas csa = mode_service_areas(crefs, cchoice, layers_in, in.network, cgrowth, timings);
    const std::size_t nunits = csa.units.size();
    std::vector<std::size_t> unit_candidate(nunits);
    for (std::size_t u = 0; u < nunits; ++u) unit_candidate[u] = candidate_of_fid.at(csa.units[u].facility_ids.front());
    timings["candidate_service_areas"] = step.lap();
    if (nunits == 0)
        throw error(trf("none of the {} candidate(s) of '{}' gets a service area", candidates.size(), candidates_source) +
                    (csa.ignored.empty() ? std::string() : trf(" (e.g. candidate {}: {})", csa.ignored.front().id, reason_text(csa.ignored.front().reason))));

    // The demand: uncovered parts of parcels, split by the candidates' service areas.
    auto regions_owned = uncovered_regions(before);
    std::vector<const GEOSGeometry*> regions, careas;
    for (const auto& g : regions_owned) regions.push_back(g.get());
    for (const auto& a : csa.areas) careas.push_back(a.get());
    // Pieces keep no geometry, except those of parcels overlapping earlier ones (their area
    // counts only the part no earlier parcel holds, as in coverage).
    std::vector<geo::GeomPtr> unique;
    if (before.result.overlapping_parcels > 0) {
        std::vector<const GEOSGeometry*> parcels;
        for (const auto& f : before.residential.features()) parcels.push_back(f.geometry.get());
        unique = geo::overlap_free_parts(parcels);
    }
    std::vector<const GEOSGeometry*> plain = regions, overlapped(regions.size(), nullptr);
    for (std::size_t i = 0; i < unique.size(); ++i)
        if (unique[i]) std::swap(plain[i], overlapped[i]);
    auto pieces = geo::split_by_service_areas(plain, careas, false);
    if (!unique.empty())
        for (auto& pc : geo::split_by_service_areas(overlapped, careas, true)) pieces.push_back(std::move(pc));
    std::vector<double> piece_pop(pieces.size()), piece_area(pieces.size());
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        const auto& pc = pieces[k];
        const auto i = pc.region;
        const double parcel_area = before.result.parcels[i].area_m2;
        piece_pop[k] = before.placed_by_point[i] ? before.population[i]
                                                 : parcel_area > 0 ? before.population[i] * pc.area_m2 / parcel_area : 0.0;
        piece_area[k] = pc.area_m2;
        if (!unique.empty() && unique[i] && pc.geometry) piece_area[k] = geo::area(geo::intersection(pc.geometry.get(), unique[i].get()).get());
    }
    const bool by_pop = o.objective == SiteObjective::population;
    SiteInstance inst;
    inst.candidates = nunits;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        double w = by_pop ? piece_pop[k] : piece_area[k];
        if (!(w > 0)) continue;
        inst.weight.push_back(w);
        inst.covers.push_back(pieces[k].areas);
    }
    const std::size_t raw_elements = inst.weight.size();
    inst.merge_equal_sets();
    if (!cost.empty())
        for (std::size_t u = 0; u < nunits; ++u) inst.cost.push_back(cost[unit_candidate[u]]);
    timings["demand_pieces"] = step.lap();

    // The goal in the objective's units.
    const double total_w = by_pop ? before.total_population : before.residential_area_m2;
    const double before_w = by_pop ? before.covered_population : before.covered_area_m2;
    SiteGoal goal;
    if (o.add) goal.add = static_cast<std::size_t>(*o.add);
    goal.budget = o.budget;
    double need = 0;
    if (o.target) {
        need = *o.target * total_w - before_w;
        goal.target = std::max(need, 0.0);
    }
    double coverable = 0;
    for (double w : inst.weight) coverable += w;

    std::vector<double> curve;
    const std::size_t curve_n = o.curve_sites > 0 ? static_cast<std::size_t>(o.curve_sites) : 0;
    SiteSolution greedy = solve_greedy(inst, goal, curve_n, &curve);
    if (o.curve_sites == 0) {  // default: twice the chosen, at least 10
        std::size_t n = std::min(nunits, std::max<std::size_t>(10, 2 * greedy.chosen.size()));
        if (n > curve.size()) solve_greedy(inst, SiteGoal{n, std::nullopt, std::nullopt}, n, &curve, false);
    }
    timings["solve_greedy"] = greedy.seconds;
    std::optional<SiteSolution> exact;
    if (o.exact) {
        exact = solve_exact(inst, goal, o.time_limit_s, o.solver_threads, &greedy);
        timings["solve_exact"] = exact->seconds;
    }
    const SiteSolution& sol = exact && !(exact->status == "infeasible") ? *exact : greedy;
    step.lap();

    // The coverage after: the coverage engine on the existing facilities plus the chosen sites,
    // as `coverage` computes it on site.gpkg:facilities_after.
    std::vector<FacilityRef> after_refs = existing;
    for (auto u : sol.chosen) after_refs.push_back(crefs[unit_candidate[u]]);
    CoverageRun after;
    after.residential = std::move(before.residential);
    after.crs = before.crs;
    after.population_field = before.population_field;
    std::optional<NetworkGrowth> agrowth;
    after.service = mode_service_areas(after_refs, choice, layers_in, in.network, agrowth, timings);
    after.compute(nullptr, "");
    timings["coverage_after"] = step.lap();

    const double model_after = before_w + sol.gain;
    const double engine_after = by_pop ? after.covered_population : after.covered_area_m2;
    if (std::abs(model_after - engine_after) > 1e-6 * std::max(1.0, total_w))
        out.warnings.push_back(trf("the coverage engine gives {} after, the siting model {} (chosen sites touching existing parks or each "
                                   "other are dissolved with them, which can change their size class)",
                                   core::fixed(engine_after, 3), core::fixed(model_after, 3)));

    // Outputs.
    using layers::FieldType;
    std::vector<char> chosen_unit(nunits, 0);
    for (auto u : sol.chosen) chosen_unit[u] = 1;
    const std::string type_field = layers_in.type_field;
    layers::Layer sites("sites",
                        {{"rank", FieldType::integer, "序号"},
                         {"candidate_fid", FieldType::integer, "候选编号"},
                         {"rule", FieldType::string, "规则"},
                         {"radius_m", FieldType::real, "服务半径"},
                         {"site_area_m2", FieldType::real, "用地面积"},
                         {"marginal_gain", FieldType::real, "边际增量"},
                         {"cumulative_gain", FieldType::real, "累计增量"},
                         {"ratio_after", FieldType::real, "覆盖率"},
                         {"cost", FieldType::real, "成本"}},
                        before.crs, "Geometry");
    layers::Layer site_areas("site_service_areas", {{"rank", FieldType::integer, "序号"}, {"radius_m", FieldType::real, "服务半径"}},
                             before.crs, "MultiPolygon");
    layers::Layer after_fac("facilities_after",
                            {{"origin", FieldType::string, "来源"}, {"source_fid", FieldType::integer, "原编号"}}, before.crs, "Geometry");
    if (!type_field.empty()) after_fac.add_field({type_field, FieldType::string, "类型"});
    for (const auto& f : existing) {
        std::vector<layers::Value> v{std::string("existing"), f.id};
        if (!type_field.empty()) v.push_back(f.type);
        after_fac.add({static_cast<std::int64_t>(after_fac.size() + 1), geo::clone(f.geometry), std::move(v)});
    }
    json sites_json = json::array();
    std::ostringstream sites_csv;
    sites_csv << core::csv_header({"rank", "candidate_fid", "rule", "radius_m", "site_area_m2", "marginal_gain", "cumulative_gain",
                                   "ratio_after", "cost"},
                                  in.csv_header);
    double cum = 0;
    for (std::size_t r = 0; r < sol.chosen.size(); ++r) {
        const auto u = sol.chosen[r];
        const auto& unit = csa.units[u];
        const auto ci = unit_candidate[u];
        const auto& cf = candidates.features()[ci];
        cum += sol.marginal[r];
        const double c = cost.empty() ? 1.0 : cost[ci];
        const auto rank = static_cast<std::int64_t>(r + 1);
        sites.add({rank, geo::clone(cf.geometry.get()),
                   {rank, cf.fid, unit.rule, unit.radius_m, unit.area_m2, sol.marginal[r], cum, ratio(before_w + cum, total_w), c}});
        if (csa.areas[u]) site_areas.add({rank, geo::clone(csa.areas[u].get()), {rank, unit.radius_m}});
        std::vector<layers::Value> v{std::string("site"), cf.fid};
        if (!type_field.empty()) v.push_back(crefs[ci].type);
        after_fac.add({static_cast<std::int64_t>(after_fac.size() + 1), geo::clone(cf.geometry.get()), std::move(v)});
        sites_json.push_back({{"rank", rank}, {"candidate_fid", cf.fid}, {"rule", unit.rule}, {"radius_m", unit.radius_m},
                              {"site_area_m2", unit.area_m2}, {"marginal_gain", sol.marginal[r]}, {"cumulative_gain", cum},
                              {"ratio_after", ratio(before_w + cum, total_w)}, {"cost", c}});
        sites_csv << core::csv_row({std::to_string(rank), std::to_string(cf.fid), unit.rule, core::fixed(unit.radius_m, 3),
                                    core::fixed(unit.area_m2, 3), core::fixed(sol.marginal[r], 6), core::fixed(cum, 6),
                                    core::fixed(ratio(before_w + cum, total_w), 9), core::fixed(c, 6)});
    }
    double newly_area = 0, newly_pop = 0;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        const auto& pc = pieces[k];
        if (std::none_of(pc.areas.begin(), pc.areas.end(), [&](std::uint32_t u) { return chosen_unit[u] != 0; })) continue;
        newly_area += piece_area[k];
        newly_pop += piece_pop[k];
    }
    // The newly covered land: each parcel's uncovered part within the chosen sites' service
    // areas, by the coverage engine.
    layers::Layer newly("newly_covered", {{"parcel_fid", FieldType::integer, "地块编号"}, {"area_m2", FieldType::real, "面积"},
                                          {"population", FieldType::real, "人口"}},
                        before.crs, "MultiPolygon");
    {
        std::vector<const GEOSGeometry*> chosen_areas;
        for (auto u : sol.chosen) chosen_areas.push_back(csa.areas[u].get());
        auto nc = geo::compute_coverage(regions, chosen_areas);
        for (std::size_t i = 0; i < regions.size(); ++i) {
            auto& pc = nc.parcels[i];
            if (!(pc.covered_m2 > 0)) continue;
            const double share = before.result.parcels[i].area_m2 > 0 ? pc.covered_m2 / before.result.parcels[i].area_m2 : 0.0;
            const auto fid = after.residential.features()[i].fid;
            geo::GeomPtr g = pc.state == geo::ParcelCoverage::State::full ? geo::clone(regions[i]) : std::move(pc.covered);
            if (g) newly.add({fid, std::move(g), {fid, pc.covered_m2, before.population[i] * share}});
        }
    }
    layers::Layer still("still_uncovered", {{"parcel_fid", FieldType::integer, "地块编号"}, {"uncovered_m2", FieldType::real, "未覆盖面积"}},
                        before.crs, "MultiPolygon");
    {
        std::vector<const GEOSGeometry*> parcels;
        for (const auto& f : after.residential.features()) parcels.push_back(f.geometry.get());
        auto part = geo::uncovered_parts(parcels, after.result);
        for (std::size_t i = 0; i < parcels.size(); ++i) {
            auto& pc = after.result.parcels[i];
            const auto fid = after.residential.features()[i].fid;
            using S = geo::ParcelCoverage::State;
            if (pc.area_m2 <= 0) continue;
            if (pc.state == S::none) still.add({fid, geo::clone(parcels[i]), {fid, pc.area_m2}});
            else if (pc.state == S::partial && part[i]) still.add({fid, std::move(part[i]), {fid, pc.area_m2 - pc.covered_m2}});
        }
    }
    std::ostringstream curve_csv;
    curve_csv << core::csv_header({"sites", "covered", "ratio"}, in.csv_header) << "0," << core::fixed(before_w, 6) << ',' << core::fixed(ratio(before_w, total_w), 9) << '\n';
    json curve_json = json::array({{{"sites", 0}, {"covered", before_w}, {"ratio", ratio(before_w, total_w)}}});
    for (std::size_t k = 0; k < curve.size(); ++k) {
        curve_csv << k + 1 << ',' << core::fixed(before_w + curve[k], 6) << ',' << core::fixed(ratio(before_w + curve[k], total_w), 9) << '\n';
        curve_json.push_back({{"sites", k + 1}, {"covered", before_w + curve[k]}, {"ratio", ratio(before_w + curve[k], total_w)}});
    }

    json& j = out.summary;
    j["objective"] = objective_name(o.objective);
    j["mode"] = mode_name(in.mode);
    j["crs"] = before.crs ? before.crs->label() : "";
    j["profile"] = prof ? json(prof->name) : json(nullptr);
    j["radius_m"] = prof ? json(nullptr) : json(*o.radius_m);
    j["type"] = o.type.empty() ? json(nullptr) : json(o.type);
    j["residential"] = {{"source", in.residential}, {"parcels", after.residential.size()}, {"residential_area_m2", before.residential_area_m2},
                        {"population_field", before.population_field.empty() ? json(nullptr) : json(before.population_field)},
                        {"population", before.population_field.empty() ? json(nullptr) : json(before.total_population)}};
    j["facilities"] = {{"source", in.facilities}, {"counted", before.service.facilities_counted},
                       {"ignored", before.service.ignored.size()}, {"unattached", unattached_existing}};
    json cj = {{"source", candidates_source}, {"candidates", candidates.size()}, {"with_service_area", nunits},
               {"ignored", csa.ignored.size()}, {"unattached", cgrowth ? json(cgrowth->unattached_facilities) : json::array()}};
    json ign = json::array();
    for (std::size_t k = 0; k < csa.ignored.size() && k < 100; ++k) ign.push_back({{"fid", csa.ignored[k].id}, {"reason", csa.ignored[k].reason}});
    cj["ignored_examples"] = ign;
    j["candidates"] = cj;
    j["demand"] = {{"pieces", pieces.size()}, {"elements", raw_elements}, {"elements_merged", inst.weight.size()},
                   {"coverable", coverable}, {"coverable_ratio_after_all", ratio(before_w + coverable, total_w)}};
    j["goal"] = {{"add", o.add ? json(*o.add) : json(nullptr)}, {"target", o.target ? json(*o.target) : json(nullptr)},
                 {"budget", o.budget ? json(*o.budget) : json(nullptr)}};
    j["before"] = figures_json(before);
    j["after"] = figures_json(after);
    j["thresholds"] = threshold_checks(prof, j["after"]);
    j["after"]["model_covered"] = model_after;
    j["newly_covered"] = {{"area_m2", newly_area}, {"population", before.population_field.empty() ? json(nullptr) : json(newly_pop)}};
    j["total"] = total_w;
    j["before_covered"] = before_w;
    j["solver"] = exact ? "exact" : "greedy";
    j["greedy"] = solution_json(greedy, before_w, total_w);
    j["greedy"]["gain_before_interchange"] = greedy.greedy_gain;
    j["greedy"]["swaps"] = greedy.swaps;
    // (English in the JSON; the reports show it in their language.)
    j["greedy"]["guarantee"] = o.target ? N_("at most H(n) ≈ 1 + ln n times the fewest sites (n demand elements)")
                               : o.budget ? N_("at least (1 − 1/e)/2 of the optimum (budgeted)")
                                          // xgettext:no-c-format
                                          : N_("at least (1 − 1/e) ≈ 63.2 % of the optimum");
    if (exact) {
        j["exact"] = solution_json(*exact, before_w, total_w);
        j["exact"]["time_limit_s"] = o.time_limit_s;
        if (o.target) j["greedy"]["excess_sites"] = static_cast<double>(greedy.chosen.size()) - static_cast<double>(exact->chosen.size());
        else j["greedy"]["gap_to_exact"] = exact->gain > 0 ? (exact->gain - greedy.gain) / exact->gain : 0.0;
    }
    if (o.target) {
        j["target"] = {{"ratio", *o.target}, {"need", need}, {"reached", sol.reached}, {"already_met", need <= 0},
                       {"best_ratio_with_all_candidates", ratio(before_w + coverable, total_w)}};
    }
    j["sites"] = sites_json;
    j["curve"] = curve_json;
    j["warnings"] = out.warnings;
    layers_in.imports.add_to(j);

    core::Stopwatch wsw;
    layers::WriteOptions wo;
    wo.spatial_index = in.spatial_index;
    wo.styles = styles::qgis_style;
    layers::write(std::vector<const layers::Layer*>{&sites, &site_areas, &newly, &still, &after_fac},
                  (outdir.path() / "site.gpkg").string(), wo);
    core::write_file_atomically((outdir.path() / "site_sites.csv").string(), sites_csv.str());
    core::write_file_atomically((outdir.path() / "site_curve.csv").string(), curve_csv.str());
    if (o.write_pieces) {
        // Every piece with both weights and the candidates (feature ids) whose service areas cover it.
        std::ostringstream pc;
        pc << core::csv_header({"piece", "parcel_fid", "area_m2", "population", "candidate_fids"}, in.csv_header);
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            std::string fids;
            for (auto u : pieces[k].areas) fids += (fids.empty() ? "" : " ") + std::to_string(candidates.features()[unit_candidate[u]].fid);
            pc << k + 1 << ',' << after.residential.features()[pieces[k].region].fid << ',' << core::fixed(piece_area[k], 9) << ','
               << core::fixed(piece_pop[k], 9) << ',' << fids << '\n';
        }
        core::write_file_atomically((outdir.path() / "site_pieces.csv").string(), pc.str());
    }
    {
        // A map file for `planmap render`: the sheet of the sites, beside the GeoPackage it draws.
        std::ostringstream m;
        const char* key = by_pop ? "population_coverage_ratio" : "coverage_ratio";
        m << "# planmap render site.map.toml -o site.pdf: the new sites, their service areas, the land they newly\n"
          << "# cover and the land still uncovered.\n"
          << "title = \"新增设施选址图 " << sol.chosen.size() << " new site(s)\"\n"
          << "subtitle = \"" << (by_pop ? "人口覆盖率 population coverage " : "服务半径覆盖率 coverage ")
          << core::fixed(100 * j["before"][key].get<double>(), 2) << "% → " << core::fixed(100 * j["after"][key].get<double>(), 2)
          << "%\"\n\n[paper]\nsize = \"A3\"\norientation = \"landscape\"\n";
        for (const char* l : {"site_service_areas", "newly_covered", "still_uncovered", "facilities_after", "sites"})
            m << "\n[[layer]]\nname = \"" << l << "\"\nsource = \"site.gpkg\"\nlayer = \"" << l << "\"\nstyle = \"site\"\n";
        core::write_file_atomically((outdir.path() / "site.map.toml").string(), m.str());
    }
    timings["write"] = wsw.seconds();
    timings["total"] = total.seconds();
    j["timings_s"] = timings;
    core::write_file_atomically((outdir.path() / "site.json").string(), j.dump(2) + "\n");
    outdir.commit();
    if (!in.html.empty()) {
        core::Stopwatch sw;
        ReportInput report{"site", j, prof, (fs::path(in.output) / "site.gpkg").string(), {}, {}};
        report.parameters = {
            {name("facilities"), layers::redact_connection(in.facilities)},
            {name("residential"), layers::redact_connection(in.residential)},
            {o.candidates.empty() ? name("grid_m") : name("candidates"), layers::redact_connection(candidates_source)},
            {prof ? name("profile") : name("radius_m"), prof ? o.profile : core::fixed(o.radius_m.value_or(0), 1) + " m"},
            {name("objective"), objective_name(o.objective)},
            {o.target ? name("target") : name("add"), o.target ? core::fixed(*o.target, 4) : o.add ? std::to_string(*o.add) : "(budget)"},
            {"CRS", j["crs"].get<std::string>()},
            {name("output"), in.output}};
        write_html_report(in.html, report);
        j["timings_s"]["report"] = sw.seconds();
    }
    return out;
}

void print_site(std::ostream& out, const SiteResult& r, bool verbose) {
    const json& j = r.summary;
    const bool pop = j["objective"] == "population";
    const std::string unit = pop ? "" : " m²";
    auto pct = [](double v) { return core::fixed(100 * v, 4) + " %"; };
    const double total = j["total"].get<double>();
    out << trf("site ({}, {}{}, {}, {})", j["objective"].get<std::string>(),
               j["profile"].is_null() ? trf("radius {} m", core::fixed(j["radius_m"].get<double>(), 1)) : trf("profile {}", j["profile"].get<std::string>()),
               j["type"].is_null() ? std::string() : trf(", type {}", j["type"].get<std::string>()), j["mode"].get<std::string>(),
               j["crs"].get<std::string>())
        << "\n";
    out << trf("  candidates:       {} ({} with a service area, {} ignored); demand {} element(s) from {} piece(s)",
               j["candidates"]["candidates"].dump(), j["candidates"]["with_service_area"].dump(), j["candidates"]["ignored"].dump(),
               j["demand"]["elements_merged"].dump(), j["demand"]["pieces"].dump())
        << "\n";
    const char* key = pop ? "population_coverage_ratio" : "coverage_ratio";
    out << trf("  before:           {} ({}{} of {}{})", pct(j["before"][key].get<double>()), core::fixed(j["before_covered"].get<double>(), 1),
               unit, core::fixed(total, 1), unit)
        << "\n";
    out << trf("  after:            {} with {} site(s), +{}{}", pct(j["after"][key].get<double>()), j["sites"].size(),
               core::fixed(j[j["solver"].get<std::string>()]["gain"].get<double>(), 1), unit)
        << "\n";
    if (j.contains("target")) {
        const auto& t = j["target"];
        if (t["already_met"].get<bool>()) out << trf("  target:           {} already met", pct(t["ratio"].get<double>())) << "\n";
        else if (t["reached"].get<bool>()) out << trf("  target:           {} reached with {} site(s)", pct(t["ratio"].get<double>()), j["sites"].size()) << "\n";
        else
            out << trf("  target:           {} UNREACHABLE with these candidates: all of them reach {}", pct(t["ratio"].get<double>()),
                       pct(t["best_ratio_with_all_candidates"].get<double>()))
                << "\n";
    }
    print_checks(out, j["thresholds"], tr("  check after "));
    const auto& g = j["greedy"];
    out << trf("  greedy:           {} site(s), gain {}{}", g["sites"].dump(), core::fixed(g["gain"].get<double>(), 1), unit);
    if (g["swaps"].get<std::size_t>() > 0)
        out << trf(" ({} before {} interchange swap(s))", core::fixed(g["gain_before_interchange"].get<double>(), 1), g["swaps"].dump());
    const std::string guarantee = g["guarantee"].get<std::string>();  // marked where it is set
    out << trf(" in {} s ({})", core::fixed(g["seconds"].get<double>(), 3), tr(guarantee.c_str())) << "\n";
    if (j.contains("exact")) {
        const auto& e = j["exact"];
        out << trf("  exact (CBC):      {}, {} site(s), gain {}{}", e["status"].get<std::string>(), e["sites"].dump(),
                   core::fixed(e["gain"].get<double>(), 1), unit);
        if (e["bound"].is_number()) out << trf(", bound {}, gap {}", core::fixed(e["bound"].get<double>(), 1), pct(e["gap"].get<double>()));
        out << trf(" in {} s", core::fixed(e["seconds"].get<double>(), 3)) << "\n";
    }
    std::size_t shown = 0;
    for (const auto& s : j["sites"]) {
        if (shown++ == (verbose ? 100000u : 20u)) {
            out << trf("    … {} more (site_sites.csv)", j["sites"].size() - shown + 1) << "\n";
            break;
        }
        out << trf("    {}. candidate {} ({}, {} m): +{}{} → {}", s["rank"].dump(), s["candidate_fid"].dump(), s["rule"].get<std::string>(),
                   core::fixed(s["radius_m"].get<double>(), 0), core::fixed(s["marginal_gain"].get<double>(), 1), unit,
                   pct(s["ratio_after"].get<double>()))
            << "\n";
    }
    const auto& t = j["timings_s"];
    out << trf("  timings: read {} s, demand pieces {} s, greedy {} s, total {} s", core::fixed(t["read"].get<double>(), 3),
               core::fixed(t["demand_pieces"].get<double>(), 3), core::fixed(t["solve_greedy"].get<double>(), 3),
               core::fixed(t["total"].get<double>(), 3))
        << "\n";
}

}  // namespace planmap::analysis
