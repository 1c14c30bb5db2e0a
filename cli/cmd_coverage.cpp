// planmap coverage: the share of residential land (and population) within the service areas of
// facilities, by a fixed radius or a rule profile (公园绿地服务半径覆盖率 and its relatives).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>

#include "analysis/inputs.hpp"
#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "cli/report.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "core/stopwatch.hpp"
#include "cli/network_options.hpp"
#include "analysis/coverage_run.hpp"
#include "analysis/postgis_engine.hpp"
#include "analysis/html_report.hpp"
#include "layers/postgis.hpp"
#include "geo/coverage.hpp"
#include "analysis/network_mode.hpp"
#include "core/error.hpp"
#include "analysis/network_growth.hpp"
#include "analysis/service_areas.hpp"

namespace planmap::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The network part of the summary: the network, what could not be attached, and the gap between
// the straight-line figures on the same inputs and the network figures.
void add_network_figures(json& j, const analysis::CoverageRun& run, const analysis::NetworkModeOptions& o, const analysis::LoadedNetwork& n,
                         const analysis::NetworkGrowth& g, std::pair<double, double> straight) {
    j["network"] = analysis::describe_network(o, n);
    j["network"]["width_m"] = o.width;
    j["network"]["reach_length_m"] = g.reach_length_m;
    j["unattached_facilities"] = g.unattached_facilities;
    for (auto& rule : j["service_areas"]) rule["walking_min"] = rule["radius_m"].get<double>() / o.speed;
    const auto [sl_area, sl_pop] = straight;
    json sl = {{"covered_area_m2", sl_area}, {"coverage_ratio", analysis::ratio(sl_area, run.residential_area_m2)}};
    json gap = {{"covered_area_m2", sl_area - run.covered_area_m2},
                {"coverage_ratio", analysis::ratio(sl_area, run.residential_area_m2) - analysis::ratio(run.covered_area_m2, run.residential_area_m2)}};
    if (run.population_field.empty() || !(run.total_population > 0)) {
        sl["covered_population"] = nullptr;
        sl["population_coverage_ratio"] = nullptr;
        gap["covered_population"] = nullptr;
        gap["population_coverage_ratio"] = nullptr;
    } else {
        sl["covered_population"] = sl_pop;
        sl["population_coverage_ratio"] = analysis::ratio(sl_pop, run.total_population);
        gap["covered_population"] = sl_pop - run.covered_population;
        gap["population_coverage_ratio"] = analysis::ratio(sl_pop, run.total_population) - analysis::ratio(run.covered_population, run.total_population);
    }
    j["straight_line"] = sl;
    j["gap"] = gap;
}

void print_network_figures(std::ostream& out, const json& j) {
    const auto& n = j["network"];
    out << "  network:          " << n["kind"].get<std::string>() << ", " << n["edges"].get<std::size_t>() << " edges, "
        << core::fixed(n["length_m"].get<double>() / 1000, 1) << " km";
    if (n["blocked_edges"].get<std::size_t>()) out << ", " << n["blocked_edges"].get<std::size_t>() << " edge(s) cut by barriers";
    out << "; service areas reach " << core::fixed(n["width_m"].get<double>(), 1) << " m either side of the reachable streets\n";
    const auto& un = j["unattached_facilities"];
    if (!un.empty()) {
        out << "  unattached:       " << un.size() << " facilit" << (un.size() == 1 ? "y" : "ies") << " (no street within "
            << core::fixed(n["max_snap_m"].get<double>(), 1) << " m):";
        for (std::size_t k = 0; k < un.size() && k < 20; ++k) out << " " << un[k].get<std::int64_t>();
        if (un.size() > 20) out << " …";
        out << "\n";
    }
    out << "  straight-line:    coverage ratio " << core::fixed(100 * j["straight_line"]["coverage_ratio"].get<double>(), 4)
        << " % on the same inputs; gap (straight-line − network) " << core::fixed(100 * j["gap"]["coverage_ratio"].get<double>(), 4)
        << " points";
    if (j["gap"]["population_coverage_ratio"].is_number())
        out << ", population " << core::fixed(100 * j["gap"]["population_coverage_ratio"].get<double>(), 4) << " points";
    out << "\n";
    const auto& t = j["timings_s"];
    out << "  network timings:  load " << core::fixed(t["network_load"].get<double>(), 3) << " s, snap "
        << core::fixed(t["network_snap"].get<double>(), 3) << " s, search " << core::fixed(t["network_search"].get<double>(), 3)
        << " s, polygons " << core::fixed(t["network_polygons"].get<double>(), 3) << " s\n";
}

}  // namespace

void add_coverage(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "coverage", "service-radius coverage of residential land (公园绿地服务半径覆盖率), exact, per parcel and zone");
    struct Opts {
        std::string facilities, residential, profile, population_field, zones, zone_field, type_field, outdir, json, html, engine = "embedded", db;
        double radius_m = 0;
        int quad_segs = 16;
        bool no_repair = false, spatial_index = false;
        analysis::NetworkModeOptions net;
    };
    auto opts = std::make_shared<Opts>();
    cmd->add_option("--facilities", opts->facilities, "facilities (parks, schools …): SRC[:layer], points or polygons")
        ->required();
    cmd->add_option("--residential", opts->residential, "residential parcels (居住用地): SRC[:layer], polygons")->required();
    auto* radius = cmd->add_option("--radius", opts->radius_m, "one service radius for every facility, in metres");
    auto* profile = cmd->add_option("--profile", opts->profile,
                                    "rule profile: a shipped name (gb-park-radius, gb-park-radius-historic, "
                                    "green-300-park-500, gb55014, gb50180-life-circle) or a .toml file");
    radius->excludes(profile);
    cmd->add_option("--population-field", opts->population_field,
                    "parcel attribute with the population (default: 'population' when present)");
    cmd->add_option("--type-field", opts->type_field, "facility attribute with the type, overriding the profile's type_field");
    auto* zones = cmd->add_option("--zones", opts->zones, "zones for per-zone figures: SRC[:layer], polygons");
    auto* zone_field = cmd->add_option("--zone-field", opts->zone_field, "zone attribute naming each zone");
    zones->needs(zone_field);
    zone_field->needs(zones);
    cmd->add_option("--quad-segs", opts->quad_segs, "buffer segments per quarter circle (default 16, as PostGIS quad_segs=16)")
        ->check(CLI::Range(1, 1000));
    cmd->add_option("-o,--output", opts->outdir, "output folder: coverage.gpkg and coverage_zones.csv")->required();
    cmd->add_option("--json", opts->json, "write the summary as JSON to this file ('-': standard output)");
    cmd->add_option("--html", opts->html,
                    "also write a self-contained HTML report (map, zone tables and charts, profile, checks) to this file");
    cmd->add_option("--engine", opts->engine,
                    "where the figures are computed: embedded (default, in-process) or postgis (as SQL in the --db database)")
        ->check(CLI::IsMember({"embedded", "postgis"}));
    cmd->add_option("--db", opts->db,
                    "PostGIS database for --engine postgis: a PG:… connection string (default: the --residential "
                    "connection when it is PG:…); the inputs are loaded into a scratch schema, dropped afterwards");
    cmd->add_flag("--no-repair", opts->no_repair, "keep invalid residential geometries as they are");
    cmd->add_flag("--spatial-index", opts->spatial_index,
                  "build GeoPackage R-tree indexes in the output (off by default: GDAL 3.6 needs ~2 s per 100k features)");
    add_network_mode_options(*cmd, opts->net, true);

    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            if (opts->radius_m == 0 && opts->profile.empty()) throw usage_error("coverage needs --radius M or --profile P");
            if (opts->profile.empty() && !(opts->radius_m > 0)) throw usage_error("--radius must be positive (metres)");
            opts->net.check();
            if (!opts->html.empty()) core::require_output_folder(opts->html, "--html");
            core::Stopwatch total, step;
            std::optional<analysis::Profile> prof;
            if (!opts->profile.empty()) prof = analysis::find_profile(opts->profile, (fs::path(core::data_dir()) / "profiles").string());
            if (prof && prof->radius_rules.empty() && prof->facilities.empty())
                throw usage_error("profile " + prof->name + " has thresholds only; it cannot size service areas");

            std::vector<std::string> warnings;
            analysis::CoverageRun run;
            // Network mode measures everything in the network's metric CRS.
            std::optional<analysis::LoadedNetwork> network;
            if (opts->net.network_mode()) {
                network = analysis::load_analysis_network(opts->net);
                run.timings["network_load"] = network->load_s;
                step.lap();
            }
            run.residential = analysis::read_metric_layer(opts->residential, "--residential", !opts->no_repair,
                                                network ? std::optional<geo::Crs>(network->crs) : std::nullopt, warnings, progress_callback(ctx.err, ctx.quiet, "reading --residential"));
            run.crs = *run.residential.crs();
            layers::Layer facilities = analysis::read_metric_layer(opts->facilities, "--facilities", false, run.crs, warnings, progress_callback(ctx.err, ctx.quiet, "reading --facilities"));
            std::optional<layers::Layer> zones;
            if (!opts->zones.empty()) zones = analysis::read_metric_layer(opts->zones, "--zones", true, run.crs, warnings, progress_callback(ctx.err, ctx.quiet, "reading --zones"));

            std::string type_field = !opts->type_field.empty() ? opts->type_field : (prof ? prof->type_field : "");
            if (!type_field.empty() && facilities.field_index(type_field) < 0)
                throw usage_error("facility layer '" + facilities.name() + "' has no field '" + type_field + "'");
            run.population_field = opts->population_field;
            if (run.population_field.empty() && run.residential.field_index("population") >= 0) run.population_field = "population";
            if (!run.population_field.empty() && run.residential.field_index(run.population_field) < 0)
                throw usage_error("residential layer '" + run.residential.name() + "' has no field '" + run.population_field + "'");
            if (zones && zones->field_index(opts->zone_field) < 0)
                throw usage_error("zone layer '" + zones->name() + "' has no field '" + opts->zone_field + "'");
            run.timings["read"] = step.lap();

            // Service areas, then the parcels against them.
            std::vector<analysis::FacilityRef> refs;
            refs.reserve(facilities.size());
            for (std::size_t i = 0; i < facilities.size(); ++i) {
                const auto& f = facilities.features()[i];
                std::string type = type_field.empty() ? "" : layers::value_to_string(facilities.value(i, type_field));
                refs.push_back({f.fid, f.geometry.get(), std::move(type)});
            }
            analysis::RadiusChoice choice;
            if (!prof) choice.radius_m = opts->radius_m;
            choice.profile = prof ? &*prof : nullptr;
            choice.quad_segs = opts->quad_segs;
            std::map<std::string, std::string> db_inputs;
            std::optional<analysis::NetworkGrowth> growth;
            std::optional<std::pair<double, double>> straight;
            if (opts->engine == "postgis") {
                if (network) throw usage_error("--engine postgis computes straight-line coverage; drop --mode network or use the embedded engine");
                std::string db = !opts->db.empty() ? opts->db
                                 : layers::is_postgis(opts->residential) ? opts->residential
                                                                        : std::string();
                if (db.empty()) throw usage_error("--engine postgis needs --db PG:… (or a PG:… --residential source)");
                if (!layers::is_postgis(db)) throw usage_error("--db '" + layers::redact_connection(db) + "' is not a PG:… connection string");
                run.engine = "postgis";
                analysis::PostgisCoverage pg{db, type_field, opts->zone_field, false, opts->residential, opts->facilities};
                db_inputs = analysis::compute_coverage_postgis(run, facilities, zones ? &*zones : nullptr, choice, pg);
            } else {
                core::Stopwatch parts;
                if (network) {
                    run.service = analysis::size_service_units(refs, choice);
                    analysis::NetworkGrowOptions go;
                    go.attach = opts->net.attach();
                    go.width_m = opts->net.width;
                    go.quad_segs = opts->quad_segs;
                    go.blocked = &network->blocked;
                    growth = analysis::grow_along_network(network->opened.net, run.service, go);
                    run.timings["network_snap"] = growth->snap_s;
                    run.timings["network_search"] = growth->search_s;
                    run.timings["network_polygons"] = growth->polygons_s;
                } else {
                    run.service = analysis::straight_line_service_areas(refs, choice);
                }
                run.timings["compute_service_areas"] = parts.lap();
                run.compute(zones ? &*zones : nullptr, opts->zone_field);
                run.timings["compute_parcels"] = parts.lap();
                // The straight-line figures on the same inputs, to show how much they over-claim.
                if (network) {
                    straight = run.covered_with(analysis::straight_line_service_areas(refs, choice));
                    run.timings["straight_line_reference"] = parts.lap();
                }
            }
            run.timings["compute"] = step.lap();
            if (!(run.residential_area_m2 > 0))
                throw error("residential layer '" + run.residential.name() + "' of '" + layers::redact_connection(opts->residential) + "' has no area (" +
                            std::to_string(run.residential.size()) + " feature(s), none a polygon with area)");

            fs::create_directories(opts->outdir);
            run.write(opts->outdir, run.timings, opts->spatial_index);
            run.timings["write"] = step.lap();
            run.timings["total"] = total.seconds();

            json j = run.summary(prof ? &*prof : nullptr, opts->radius_m, opts->quad_segs);
            j["residential"]["source"] = layers::redact_connection(opts->residential);
            j["facilities_source"] = layers::redact_connection(opts->facilities);
            j["mode"] = opts->net.mode;
            if (network) add_network_figures(j, run, opts->net, *network, *growth, *straight);
            j["warnings"] = warnings;
            if (!db_inputs.empty()) j["db_inputs"] = db_inputs;
            if (!opts->html.empty()) {
                core::Stopwatch sw;
                analysis::ReportInput in{"coverage", j, prof ? &*prof : nullptr, (fs::path(opts->outdir) / "coverage.gpkg").string(), {}};
                in.parameters = {{"--facilities", layers::redact_connection(opts->facilities)}, {"--residential", layers::redact_connection(opts->residential)},
                                 {prof ? "--profile" : "--radius", prof ? opts->profile : std::to_string(opts->radius_m) + " m"},
                                 {"--population-field", run.population_field.empty() ? "(none)" : run.population_field},
                                 {"--zones", opts->zones.empty() ? "(none)" : layers::redact_connection(opts->zones) + " (field " + opts->zone_field + ")"},
                                 {"--quad-segs", std::to_string(opts->quad_segs)},
                                 {"--engine", run.engine + (run.engine == "postgis" ? " " + layers::redact_connection(opts->db.empty() ? opts->residential : opts->db) : "")},
                                 {"CRS", j["crs"].get<std::string>()},
                                 {"--output", opts->outdir}};
                analysis::write_html_report(opts->html, in);
                j["timings_s"]["report"] = sw.seconds();
            }
            if (publish_summary(ctx, j, opts->json, warnings)) return;
            if (ctx.quiet) return;
            run.print(ctx.out, j, ctx.verbose);
            if (network) print_network_figures(ctx.out, j);
        };
    });
}

}  // namespace planmap::cli
