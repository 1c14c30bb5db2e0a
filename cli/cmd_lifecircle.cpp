// planmap lifecircle: the GB 50180 life-circle audit in straight-line mode, per residential parcel,
// with a compliance table (CSV + JSON) and a parcels layer.
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <sstream>

#include "analysis/inputs.hpp"
#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "cli/report.hpp"
#include "core/files.hpp"
#include "core/stopwatch.hpp"
#include "cli/network_options.hpp"
#include "analysis/coverage_run.hpp"
#include "analysis/html_report.hpp"
#include "core/error.hpp"
#include "analysis/network_mode.hpp"
#include "analysis/lifecircle.hpp"
#include "analysis/network_growth.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"

namespace planmap::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string pct(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f %%", 100 * v);
    return buf;
}

struct Tally {
    std::size_t parcels = 0;
    double area_m2 = 0, population = 0;
};

}  // namespace

void add_lifecircle(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("lifecircle",
                                   "life-circle audit (GB 50180 5/10/15-minute levels), straight-line or walking distances, per parcel");
    struct Opts {
        std::string facilities, residential, profile = "gb50180-life-circle", type_field, population_field, outdir, json, html;
        bool no_repair = false, spatial_index = false;
        analysis::NetworkModeOptions net;
    };
    auto opts = std::make_shared<Opts>();
    cmd->add_option("--facilities", opts->facilities, "facilities with a type attribute: SRC[:layer], points or polygons")
        ->required();
    cmd->add_option("--residential", opts->residential, "residential parcels: SRC[:layer], polygons")->required();
    cmd->add_option("--profile", opts->profile, "life-circle profile: a shipped name or a .toml file (default gb50180-life-circle)");
    cmd->add_option("--type-field", opts->type_field, "facility attribute holding the type (default: the profile's type_field)");
    cmd->add_option("--population-field", opts->population_field,
                    "parcel attribute with the population (default: 'population' when present)");
    cmd->add_option("-o,--output", opts->outdir, "output folder: lifecircle.gpkg and lifecircle_compliance.csv")->required();
    cmd->add_option("--json", opts->json, "write the compliance table as JSON to this file ('-': standard output)");
    cmd->add_option("--html", opts->html,
                    "also write a self-contained HTML report (map, level and type tables and charts, profile) to this file");
    cmd->add_flag("--no-repair", opts->no_repair, "keep invalid residential geometries as they are");
    cmd->add_flag("--spatial-index", opts->spatial_index, "build the GeoPackage R-tree index in the output (off by default)");
    add_network_mode_options(*cmd, opts->net, false);

    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            opts->net.check();
            if (!opts->html.empty()) core::require_output_folder(opts->html, "--html");
            core::Stopwatch total, step;
            auto prof = analysis::find_profile(opts->profile, (fs::path(core::data_dir()) / "profiles").string());
            if (prof.levels.empty() || prof.facilities.empty())
                throw usage_error("profile " + prof.name + " has no life-circle [[level]] and [[facility]] rows");
            std::vector<std::string> warnings;
            // Network mode measures everything in the network's metric CRS.
            std::optional<analysis::LoadedNetwork> network;
            if (opts->net.network_mode()) network = analysis::load_analysis_network(opts->net);
            double t_load = step.lap();
            auto res = analysis::read_metric_layer(opts->residential, "--residential", !opts->no_repair,
                                         network ? std::optional<geo::Crs>(network->crs) : std::nullopt, warnings, progress_callback(ctx.err, ctx.quiet, "reading --residential"));
            auto crs = *res.crs();
            auto fac = analysis::read_metric_layer(opts->facilities, "--facilities", false, crs, warnings, progress_callback(ctx.err, ctx.quiet, "reading --facilities"));
            std::string type_field = opts->type_field.empty() ? prof.type_field : opts->type_field;
            if (fac.field_index(type_field) < 0)
                throw usage_error("facility layer '" + fac.name() + "' has no field '" + type_field + "'");
            std::string pop_field = opts->population_field;
            if (pop_field.empty() && res.field_index("population") >= 0) pop_field = "population";
            if (!pop_field.empty() && res.field_index(pop_field) < 0)
                throw usage_error("residential layer '" + res.name() + "' has no field '" + pop_field + "'");
            double t_read = step.lap();

            std::vector<const GEOSGeometry*> parcels;
            for (const auto& f : res.features()) parcels.push_back(f.geometry.get());
            std::vector<analysis::FacilityRef> refs;
            for (std::size_t i = 0; i < fac.size(); ++i)
                refs.push_back({fac.features()[i].fid, fac.features()[i].geometry.get(),
                                layers::value_to_string(fac.value(i, type_field))});
            analysis::LifeCircleAudit audit;
            if (network) {
                analysis::NetworkAuditOptions no;
                no.attach = opts->net.attach();
                no.blocked = &network->blocked;
                audit = analysis::audit_life_circles_network(network->opened.net, parcels, refs, prof, no);
            } else {
                audit = analysis::audit_life_circles(parcels, refs, prof);
            }
            std::vector<double> area(parcels.size(), 0.0), pop(parcels.size(), 0.0);
            Tally all;
            for (std::size_t p = 0; p < parcels.size(); ++p) {
                if (parcels[p]) area[p] = geo::area(parcels[p]);
                if (!pop_field.empty())
                    if (auto v = layers::value_to_double(res.features()[p].values[res.field_index(pop_field)]); v && std::isfinite(*v))
                        pop[p] = *v;
                if (area[p] <= 0) continue;
                ++all.parcels;
                all.area_m2 += area[p];
                all.population += pop[p];
            }
            if (!(all.area_m2 > 0))
                throw error("residential layer '" + res.name() + "' of '" + opts->residential + "' has no area");
            double t_compute = step.lap();

            // The parcels layer: a distance field per type, a flag per level, the highest level met.
            const auto nt = prof.facilities.size(), nl = prof.levels.size();
            std::vector<int> f_dist(nt), f_level(nl);
            for (std::size_t t = 0; t < nt; ++t)
                f_dist[t] = res.add_field({"d_" + prof.facilities[t].type, layers::FieldType::real, prof.facilities[t].name_zh});
            for (std::size_t l = 0; l < nl; ++l)
                f_level[l] = res.add_field({"ok_" + prof.levels[l].name, layers::FieldType::integer, prof.levels[l].title});
            int f_best = res.add_field({"level_met", layers::FieldType::string, "达标生活圈"});
            int f_missing = res.add_field({"missing", layers::FieldType::string, "缺少设施"});
            std::vector<Tally> types(nt), levels(nl);
            auto& feats = res.features();
            for (std::size_t p = 0; p < feats.size(); ++p) {
                auto& v = feats[p].values;
                std::string missing, best = "none";
                for (std::size_t t = 0; t < nt; ++t) {
                    double d = audit.distance_m[t][p];
                    if (d >= 0) {
                        v[f_dist[t]] = d;
                        if (area[p] > 0) types[t].parcels++, types[t].area_m2 += area[p], types[t].population += pop[p];
                    } else {
                        missing += (missing.empty() ? "" : ",") + prof.facilities[t].type;
                    }
                }
                for (std::size_t l = 0; l < nl; ++l) {
                    bool ok = audit.level_met[l][p];
                    v[f_level[l]] = std::int64_t{ok ? 1 : 0};
                    if (ok) {
                        best = prof.levels[l].name;
                        if (area[p] > 0) levels[l].parcels++, levels[l].area_m2 += area[p], levels[l].population += pop[p];
                    }
                }
                v[f_best] = best;
                v[f_missing] = missing;
            }

            json j;
            j["profile"] = prof.name;
            j["profile_file"] = prof.file;
            j["crs"] = crs.label();
            j["mode"] = opts->net.mode;
            if (network) {
                j["network"] = analysis::describe_network(opts->net, *network);
                json up = json::array();
                for (auto p : audit.unattached_parcels) up.push_back(res.features()[p].fid);
                j["unattached_parcels"] = up;
                j["unattached_facilities"] = audit.unattached_facilities;
            }
            j["parcels"] = all.parcels;
            j["residential_area_m2"] = all.area_m2;
            j["population"] = pop_field.empty() ? json(nullptr) : json(all.population);
            j["facilities_ignored"] = audit.ignored.size();
            j["facilities_invalid"] = audit.facilities_invalid;
            json ign = json::array();
            for (std::size_t k = 0; k < audit.ignored.size() && k < 1000; ++k)
                ign.push_back({{"fid", audit.ignored[k].id}, {"reason", audit.ignored[k].reason}});
            j["ignored"] = ign;
            std::ostringstream csv;
            csv << "kind,level,type,name_zh,radius_m,facilities,parcels,parcel_share,area_m2,area_share,population,"
                   "population_share,citation\n";
            auto row = [&](const std::string& kind, const std::string& level, const std::string& type, const std::string& zh,
                           double radius, std::size_t facilities, const Tally& t, const analysis::Citation& c) {
                json r = {{"level", level},
                          {"radius_m", radius},
                          {"parcels", t.parcels},
                          {"parcel_share", analysis::ratio(t.parcels, all.parcels)},
                          {"area_m2", t.area_m2},
                          {"area_share", analysis::ratio(t.area_m2, all.area_m2)},
                          {"population", t.population},
                          {"population_share", pop_field.empty() ? json(nullptr) : json(analysis::ratio(t.population, all.population))},
                          {"citation", c.text()}};
                if (kind == "type") r["type"] = type, r["name_zh"] = zh, r["facilities"] = facilities;
                char buf[512];
                std::snprintf(buf, sizeof buf, "%s,%s,%s,%s,%.1f,%s,%zu,%.6f,%.4f,%.6f,%.3f,%s,\"%s\"\n", kind.c_str(),
                              level.c_str(), type.c_str(), zh.c_str(), radius,
                              kind == "type" ? std::to_string(facilities).c_str() : "", t.parcels, analysis::ratio(t.parcels, all.parcels),
                              t.area_m2, analysis::ratio(t.area_m2, all.area_m2), t.population,
                              pop_field.empty() ? "" : std::to_string(analysis::ratio(t.population, all.population)).c_str(),
                              c.text().c_str());
                csv << buf;
                return r;
            };
            json jl = json::array(), jt = json::array();
            for (std::size_t l = 0; l < nl; ++l) {
                const auto& lv = prof.levels[l];
                auto r = row("level", lv.name, "", lv.title, lv.radius_m, 0, levels[l], lv.cite);
                json req = json::array();
                for (const auto& f : prof.facilities)
                    if (f.level == lv.name) req.push_back(f.type);
                r["requires"] = req;
                r["title"] = lv.title;
                jl.push_back(r);
            }
            for (std::size_t t = 0; t < nt; ++t) {
                const auto& f = prof.facilities[t];
                jt.push_back(row("type", f.level, f.type, f.name_zh, f.radius_m, audit.facilities_per_type[t], types[t], f.cite));
            }
            j["levels"] = jl;
            j["types"] = jt;
            if (network)
                for (const char* key : {"levels", "types"})
                    for (auto& r : j[key]) r["walking_min"] = r["radius_m"].get<double>() / opts->net.speed;

            fs::create_directories(opts->outdir);
            std::string name = res.name();
            res.set_name("parcels");
            layers::WriteOptions wo;
            wo.spatial_index = opts->spatial_index;
            layers::write(res, (fs::path(opts->outdir) / "lifecircle.gpkg").string(), wo);
            res.set_name(name);
            core::write_file_atomically((fs::path(opts->outdir) / "lifecircle_compliance.csv").string(), csv.str());
            j["thresholds"] = analysis::threshold_checks(&prof, j);
            j["timings_s"] = {{"read", t_read}, {"compute", t_compute}, {"write", step.lap()}};
            if (network) {
                j["timings_s"]["network_load"] = t_load;
                j["timings_s"]["network_snap"] = audit.snap_s;
                j["timings_s"]["network_search"] = audit.search_s;
            }
            j["warnings"] = warnings;
            if (!opts->html.empty()) {
                analysis::ReportInput in{"lifecircle", j, &prof, (fs::path(opts->outdir) / "lifecircle.gpkg").string(), {}};
                in.parameters = {{"--facilities", layers::redact_connection(opts->facilities)}, {"--residential", layers::redact_connection(opts->residential)},
                                 {"--profile", opts->profile}, {"--type-field", type_field},
                                 {"--population-field", pop_field.empty() ? "(none)" : pop_field},
                                 {"CRS", crs.label()}, {"--output", opts->outdir}};
                analysis::write_html_report(opts->html, in);
                j["timings_s"]["report"] = step.lap();
            }
            j["timings_s"]["total"] = total.seconds();
            if (publish_summary(ctx, j, opts->json, warnings) || ctx.quiet) return;
            ctx.out << "life circles (" << prof.name << ", " << (network ? "walking distance along the network" : "straight-line")
                    << ", " << crs.label() << "): " << all.parcels << " parcel(s)\n";
            if (network) {
                ctx.out << "  network: " << network->opened.kind << ", " << network->opened.net.edge_count() << " edges";
                if (network->blocked_edges) ctx.out << ", " << network->blocked_edges << " edge(s) cut by barriers";
                ctx.out << "\n";
                for (const char* what : {"unattached_parcels", "unattached_facilities"}) {
                    const auto& ids = j[what];
                    if (ids.empty()) continue;
                    ctx.out << "  " << ids.size() << (std::string(what) == "unattached_parcels" ? " parcel(s)" : " facilit(ies)")
                            << " not attached (no street within " << opts->net.max_snap << " m):";
                    for (std::size_t k = 0; k < ids.size() && k < 20; ++k) ctx.out << " " << ids[k].get<std::int64_t>();
                    if (ids.size() > 20) ctx.out << " …";
                    ctx.out << "\n";
                }
            }
            for (const auto& r : jl)
                ctx.out << "  " << r["level"].get<std::string>() << " (" << r["title"].get<std::string>() << ", "
                        << r["radius_m"].get<double>() << " m, with every lower level): " << pct(r["parcel_share"])
                        << " of parcels, " << pct(r["area_share"]) << " of area"
                        << (pop_field.empty() ? "" : ", " + pct(r["population_share"]) + " of population") << "\n";
            for (const auto& r : jt)
                ctx.out << "    " << r["type"].get<std::string>() << " " << r["name_zh"].get<std::string>() << " ≤ "
                        << r["radius_m"].get<double>() << " m: " << pct(r["parcel_share"]) << " of parcels ("
                        << r["facilities"].get<std::size_t>() << " facilities)\n";
            if (!audit.ignored.empty())
                ctx.out << "  " << audit.ignored.size() << " facilit" << (audit.ignored.size() == 1 ? "y" : "ies")
                        << " ignored (" << audit.facilities_invalid << " with invalid or empty geometry), e.g. facility "
                        << audit.ignored.front().id << ": " << audit.ignored.front().reason << "\n";
        };
    });
}

}  // namespace planmap::cli
