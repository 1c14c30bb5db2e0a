#include "analysis/lifecircle_run.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <sstream>

#include "analysis/coverage_run.hpp"
#include "analysis/html_report.hpp"
#include "analysis/network_growth.hpp"
#include "analysis/report_text.hpp"
#include "analysis/run_map.hpp"
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

constexpr const char* kLifecircleFacilityStyle = "lifecircle_facilities.style.toml";

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

void LifecircleOptions::check() const {
    inputs.check(false);
    if (profile.empty()) throw usage_error(param{"profile"}, tr(" is required"));
}

LifecircleResult run_lifecircle(const LifecircleOptions& o, const Progress& progress) {
    o.check();
    const auto& in = o.inputs;
    const auto name = [&](const std::string& p) { return parameter_name(in.names, p); };
    core::Stopwatch total, step;
    LifecircleResult out;
    out.profile = find_profile(o.profile, (fs::path(core::data_dir()) / "profiles").string());
    const Profile& prof = out.profile;
    if (prof.levels.empty() || prof.facilities.empty())
        throw usage_error(trf("profile {} has no life-circle [[level]] and [[facility]] rows", prof.name));
    // The output folder is written whole beside the target and put in place when complete.
    core::OutputFolder outdir(in.output, in.overwrite, "output folder " + name("output"));
    auto layers_in = read_analysis_layers(in, prof.type_field, true, progress);
    out.network = layers_in.network.has_value();
    out.warnings = std::move(layers_in.warnings);
    if (auto repairs = layers_in.imports.summary_line(); !repairs.empty())
        out.warnings.push_back(repairs);
    const auto& network = layers_in.network;
    auto& res = layers_in.residential;
    const auto& crs = layers_in.crs;
    const std::string& type_field = layers_in.type_field;
    const std::string& pop_field = layers_in.population_field;
    double t_read = layers_in.read_s;
    step.lap();

    std::vector<const GEOSGeometry*> parcels;
    for (const auto& f : res.features()) parcels.push_back(f.geometry.get());
    const auto refs = layers_in.facility_refs();
    auto& audit = out.audit;
    if (network) {
        NetworkAuditOptions no;
        no.attach = in.network.attach();
        no.blocked = &network->blocked;
        audit = audit_life_circles_network(network->opened.net, parcels, refs, prof, no);
    } else {
        audit = audit_life_circles(parcels, refs, prof);
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
    if (!(all.area_m2 > 0)) throw error(trf("residential layer '{}' of '{}' has no area", res.name(), in.residential));
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

    json& j = out.summary;
    j["profile"] = prof.name;
    j["profile_file"] = prof.file;
    j["crs"] = crs.label();
    j["mode"] = mode_name(in.mode);
    if (network) {
        j["network"] = describe_network(in.network, *network);
        json up = json::array();
        for (auto p : audit.unattached_parcels) up.push_back(res.features()[p].fid);
        j["unattached_parcels"] = up;
        j["unattached_facilities"] = audit.unattached_facilities;
    }
    j["parcels"] = all.parcels;
    j["residential_area_m2"] = all.area_m2;
    j["population"] = pop_field.empty() ? json(nullptr) : json(all.population);
    add_ignored_facilities(j, audit.ignored, audit.facilities_invalid);
    std::string csv = core::csv_header({"kind", "level", "type", "name_zh", "radius_m", "facilities", "parcels", "parcel_share",
                                        "area_m2", "area_share", "population", "population_share", "citation"},
                                       in.csv_header);
    auto row = [&](const std::string& kind, const std::string& level, const std::string& type, const std::string& zh,
                   double radius, std::size_t facilities, const Tally& t, const Citation& c) {
        json r = {{"level", level},
                  {"radius_m", radius},
                  {"parcels", t.parcels},
                  {"parcel_share", ratio(static_cast<double>(t.parcels), static_cast<double>(all.parcels))},
                  {"area_m2", t.area_m2},
                  {"area_share", ratio(t.area_m2, all.area_m2)},
                  {"population", t.population},
                  {"population_share", pop_field.empty() ? json(nullptr) : json(ratio(t.population, all.population))},
                  {"citation", c.text()}};
        if (kind == "type") r["type"] = type, r["name_zh"] = zh, r["facilities"] = facilities;
        csv += core::csv_row({kind, level, type, zh, core::fixed(radius, 1), kind == "type" ? std::to_string(facilities) : "",
                              std::to_string(t.parcels), core::fixed(ratio(static_cast<double>(t.parcels), static_cast<double>(all.parcels)), 6), core::fixed(t.area_m2, 4),
                              core::fixed(ratio(t.area_m2, all.area_m2), 6), core::fixed(t.population, 3),
                              pop_field.empty() ? "" : core::fixed(ratio(t.population, all.population), 6), c.text()});
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
            for (auto& r : j[key]) r["walking_min"] = r["radius_m"].get<double>() / in.network.speed_m_per_min;

    // Every facility by type, or why it does not count, for the sheet and the report.
    const layers::Layer fac_map = lifecircle_facilities_layer(layers_in.facilities, type_field, prof, audit);
    std::optional<double> max_snap;
    if (network) max_snap = in.network.max_snap_m;
    const std::string fac_style = lifecircle_facility_style(prof, max_snap);
    const styles::Style fac_style_parsed = styles::parse_style(fac_style, kLifecircleFacilityStyle);
    j["facilities_by_status"] = facilities_by_status(fac_map);
    j["thresholds"] = threshold_checks(&prof, j);

    std::string layer_name = res.name();
    res.set_name("parcels");
    layers::WriteOptions wo;
    wo.spatial_index = in.spatial_index;
    wo.styles = [&](const layers::Layer& l) {  // the layers open styled in QGIS
        return &l == &fac_map ? styles::qgis_style_from(fac_style_parsed, l) : styles::qgis_style(l);
    };
    layers::write(std::vector<const layers::Layer*>{&res, &fac_map}, (outdir.path() / "lifecircle.gpkg").string(), wo);
    res.set_name(layer_name);
    core::write_file_atomically((outdir.path() / "lifecircle_compliance.csv").string(), csv);
    {
        // The sheet: parcels by the level met, the facilities by type, the statistics box.
        core::write_file_atomically((outdir.path() / kLifecircleFacilityStyle).string(), fac_style);
        std::string subtitle = (prof.title.empty() ? prof.name : prof.title) +
                               (network ? " · 步行网络距离 along the walking network" : " · 直线距离 straight-line");
        core::write_file_atomically(
            (outdir.path() / "lifecircle.map.toml").string(),
            run_map_toml("# planmap render lifecircle.map.toml -o lifecircle.pdf: the life-circle sheet of this run (written by planmap "
                         "lifecircle).\n",
                         "生活圈服务设施分析图 Life-circle facilities", subtitle, "lifecircle.gpkg",
                         {{"parcels", "parcels", "lifecircle"}, {"facilities", "facilities", kLifecircleFacilityStyle}},
                         lifecircle_stats(j)));
    }
    outdir.commit();
    j["timings_s"] = {{"read", t_read}, {"compute", t_compute}, {"write", step.lap()}};
    if (network) {
        j["timings_s"]["network_load"] = layers_in.network_load_s;
        j["timings_s"]["network_snap"] = audit.snap_s;
        j["timings_s"]["network_search"] = audit.search_s;
    }
    layers_in.imports.add_to(j);
    j["warnings"] = out.warnings;
    if (!in.html.empty()) {
        ReportInput report{"lifecircle", j, &prof, (fs::path(in.output) / "lifecircle.gpkg").string(), {}, {}};
        report.facility_style = (fs::path(in.output) / kLifecircleFacilityStyle).string();
        report.parameters = {{name("facilities"), layers::redact_connection(in.facilities)},
                             {name("residential"), layers::redact_connection(in.residential)},
                             {name("profile"), o.profile},
                             {name("type_field"), type_field},
                             {name("population_field"), pop_field.empty() ? "(none)" : pop_field},
                             {"CRS", crs.label()},
                             {name("output"), in.output}};
        write_html_report(in.html, report);
        j["timings_s"]["report"] = step.lap();
    }
    j["timings_s"]["total"] = total.seconds();
    return out;
}

void print_lifecircle(std::ostream& out, const LifecircleResult& r) {
    const auto& j = r.summary;
    const bool with_population = !j["population"].is_null();
    out << trf("life circles ({}, {}, {}): {} parcel(s)", r.profile.name,
               r.network ? tr("walking distance along the network") : tr("straight-line"), j["crs"].get<std::string>(),
               j["parcels"].get<std::size_t>())
        << "\n";
    if (r.network) {
        const auto& n = j["network"];
        out << trf("  network: {}, {} edges", n["kind"].get<std::string>(), n["edges"].get<std::size_t>());
        if (n["blocked_edges"].get<std::size_t>()) out << trf(", {} edge(s) cut by barriers", n["blocked_edges"].get<std::size_t>());
        out << "\n";
        for (const char* what : {"unattached_parcels", "unattached_facilities"}) {
            const auto& ids = j[what];
            if (ids.empty()) continue;
            const bool parcels = std::string(what) == "unattached_parcels";
            out << trf(parcels ? N_("  {} parcel(s) not attached (no street within {} m):")
                               : N_("  {} facilit(ies) not attached (no street within {} m):"),
                       ids.size(), n["max_snap_m"].get<double>());
            for (std::size_t k = 0; k < ids.size() && k < 20; ++k) out << " " << ids[k].get<std::int64_t>();
            if (ids.size() > 20) out << " …";
            out << "\n";
        }
    }
    for (const auto& l : j["levels"])
        out << trf("  {} ({}, {} m, with every lower level): {} of parcels, {} of area", l["level"].get<std::string>(),
                   l["title"].get<std::string>(), l["radius_m"].get<double>(), pct(l["parcel_share"]), pct(l["area_share"]))
            << (with_population ? trf(", {} of population", pct(l["population_share"])) : "") << "\n";
    for (const auto& t : j["types"])
        out << trf("    {} {} ≤ {} m: {} of parcels ({} facilities)", t["type"].get<std::string>(), t["name_zh"].get<std::string>(),
                   t["radius_m"].get<double>(), pct(t["parcel_share"]), t["facilities"].get<std::size_t>())
            << "\n";
    const auto& ignored = r.audit.ignored;
    if (!ignored.empty())
        out << trf(ignored.size() == 1 ? N_("  {} facility ignored ({} with invalid or empty geometry), e.g. facility {}: {}")
                                       : N_("  {} facilities ignored ({} with invalid or empty geometry), e.g. facility {}: {}"),
                   ignored.size(), r.audit.facilities_invalid, ignored.front().id, reason_text(ignored.front().reason))
            << "\n";
}

}  // namespace planmap::analysis
