#include "analysis/postgis_engine.hpp"

#include <unistd.h>

#include <cmath>
#include <random>
#include <regex>
#include <unordered_map>
#include <sstream>

#include "analysis/inputs.hpp"
#include "core/i18n.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/signal_cleanup.hpp"
#include "core/stopwatch.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"

namespace planmap::analysis {

namespace {

using layers::sql_ident;
using layers::sql_literal;
using layers::sql_number;

constexpr const char* scratch_prefix = "planmap_run_";

// A fresh scratch schema name, also the application_name of every session of the run (so a
// cleanup can find them, and `db clean` can tell a live run from a leftover).
std::string scratch_name() {
    std::random_device rd;
    std::ostringstream name;
    name << scratch_prefix << ::getpid() << '_' << std::hex << rd();
    return name.str();
}

// The scratch schema: created on construction, dropped on destruction (unless kept).
class ScratchSchema {
public:
    ScratchSchema(layers::PgDatabase& db, std::string name, bool keep) : db_(db), keep_(keep), name_(std::move(name)) {
        db_.exec("CREATE SCHEMA " + sql_ident(name_));
    }
    ~ScratchSchema() {
        if (keep_) return;
        try {
            db_.exec("DROP SCHEMA IF EXISTS " + sql_ident(name_) + " CASCADE");
        } catch (const std::exception&) {
            // Nothing more can be done here; the schema name says what it was (`planmap db clean`).
        }
    }
    ScratchSchema(const ScratchSchema&) = delete;
    ScratchSchema& operator=(const ScratchSchema&) = delete;
    const std::string& name() const { return name_; }
    std::string operator()(const std::string& table) const { return sql_ident(name_) + "." + sql_ident(table); }

private:
    layers::PgDatabase& db_;
    bool keep_;
    std::string name_;
};

// On a signal: ends every session of the run (the running query with it) from a new session,
// then drops the scratch schema.
void interrupt_run(const std::string& connection, const std::string& name, bool keep) {
    layers::PgDatabase admin(connection);
    admin.query("SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = " +
                sql_literal(name) + " AND pid <> pg_backend_pid()");
    if (!keep) admin.exec("DROP SCHEMA IF EXISTS " + sql_ident(name) + " CASCADE");
}

// Writes a layer as schema.table with a generic geometry column; rows keep the layer's order
// (ogc_fid 1 … n).
void load(layers::Layer& layer, const ScratchSchema& s, const std::string& table, const std::string& connection) {
    std::string name = layer.name(), type = layer.geometry_type();
    layer.set_name(s.name() + "." + table);
    layer.set_geometry_type("Unknown");
    try {
        layers::write(layer, connection);
    } catch (...) {
        layer.set_name(name);
        layer.set_geometry_type(type);
        throw;
    }
    layer.set_name(name);
    layer.set_geometry_type(type);
}

// How the rows of a scratch table are keyed: ogc_fid 1 … n in layer order (loaded), or the
// source table's key = the feature ids GDAL read (in place).
struct Keys {
    bool in_place = false;
    std::unordered_map<std::int64_t, std::size_t> index;  // in place: key → feature index
    std::size_t at(std::int64_t k) const {
        if (!in_place) return static_cast<std::size_t>(k - 1);
        auto it = index.find(k);
        if (it == index.end()) throw io_error(trf("PostgreSQL returned an unknown row key {}", k));
        return it->second;
    }
};

// The connection without GDAL's tables= and the run's application_name (in keyword form), to
// compare databases.
std::string strip_tables(const std::string& conn) {
    static const std::regex tables(R"(\s*(tables|application_name)=\S+)");
    std::string s = std::regex_replace(layers::pg_keyword_form(conn), tables, "");
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

// A PG: table of the database `connection`, in the run's CRS and read without repairs, is used
// through a view with the columns the SQL needs; anything else is loaded. `field` (may be empty)
// is the attribute the SQL reads.
Keys place(layers::Layer& layer, const std::string& source, const ScratchSchema& s, const std::string& table,
           const std::string& connection, const std::string& field, layers::PgDatabase& db) {
    Keys keys;
    auto spec = layers::SourceSpec::parse(source);
    bool candidate = layers::is_postgis(spec.path) && strip_tables(spec.path) == strip_tables(connection) && layer.notes.empty() &&
                     layer.invalid_geometries == 0 && layer.crs();
    if (candidate) {
        auto info = layers::pg_table_info(spec.path, spec.layer.value_or(layer.name()));
        if (info && info->crs && info->crs->same_as(*layer.crs()) && !info->fid_column.empty() && !info->geometry_column.empty()) {
            std::string from;
            auto dot = info->table.find('.');
            from = dot == std::string::npos ? sql_ident(info->table)
                                            : sql_ident(info->table.substr(0, dot)) + "." + sql_ident(info->table.substr(dot + 1));
            db.exec("CREATE VIEW " + s(table) + " AS SELECT t." + sql_ident(info->fid_column) + "::bigint AS ogc_fid, t." +
                    sql_ident(info->geometry_column) + " AS wkb_geometry" + (field.empty() ? "" : ", t." + sql_ident(field)) +
                    " FROM " + from + " t");
            keys.in_place = true;
            for (std::size_t i = 0; i < layer.size(); ++i) keys.index[layer.features()[i].fid] = i;
            return keys;
        }
    }
    load(layer, s, table, connection);
    return keys;
}

double num(const layers::Value& v) { return layers::value_to_double(v).value_or(0.0); }
std::int64_t integer(const layers::Value& v) { return std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : 0; }
std::string text(const layers::Value& v) { return layers::value_to_string(v); }

// A numeric SQL expression for attribute `field` of alias `t`: NULL when missing or not a finite number.
std::string number_expr(const layers::Layer& layer, const std::string& t, const std::string& field) {
    int idx = layer.field_index(field);
    std::string col = t + "." + sql_ident(field);
    std::string v = layer.fields()[idx].type == layers::FieldType::string
                        ? "(CASE WHEN btrim(" + col + ") ~ " + sql_literal(R"(^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$)") +
                              " THEN btrim(" + col + ")::float8 END)"
                        : col + "::float8";
    return "(CASE WHEN " + v + " IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) THEN NULL ELSE " + v + " END)";
}

}  // namespace

std::map<std::string, std::string> compute_coverage_postgis(CoverageRun& run, layers::Layer& facilities, layers::Layer* zone_layer,
                                                            const analysis::RadiusChoice& choice, const PostgisCoverage& opt) {
    core::Stopwatch sw;
    // Every session of the run carries the scratch schema's name as its application_name; on
    // SIGINT/SIGTERM/SIGHUP they are ended and the schema dropped before the signal takes effect.
    // The guard outlives the schema object, so a signal during the normal drop is covered too.
    const std::string name = scratch_name();
    const std::string conn = layers::pg_keyword_form(opt.connection) + " application_name=" + name;
    core::SignalCleanup on_signal([&opt, name](int) { interrupt_run(opt.connection, name, opt.keep_schema); });
    layers::PgDatabase db(conn);
    ScratchSchema s(db, name, opt.keep_schema);
    Keys res_keys = place(run.residential, opt.residential_source, s, "res", conn, run.population_field, db);
    Keys fac_keys = place(facilities, opt.facilities_source, s, "fac", conn, opt.type_field, db);
    std::map<std::string, std::string> how = {{"residential", res_keys.in_place ? "in place" : "loaded"},
                                              {"facilities", fac_keys.in_place ? "in place" : "loaded"}};
    if (zone_layer) load(*zone_layer, s, "zones", conn), how["zones"] = "loaded";
    run.timings["load_db"] = sw.lap();

    // The rules as a table: the first matching row (by ord) gives the radius.
    std::ostringstream rules;
    rules << "CREATE TABLE " << s("rules") << " (ord int, label text, type text, min_area float8, max_area float8, radius float8);\n";
    std::vector<std::string> rows;
    auto rule_row = [&](const std::string& label, const std::optional<std::string>& type, double lo, double hi, double r) {
        rows.push_back("(" + std::to_string(rows.size()) + ", " + sql_literal(label) + ", " +
                       (type ? sql_literal(*type) : std::string("NULL")) + ", " + sql_number(lo) + ", " + sql_number(hi) + ", " +
                       sql_number(r) + ")");
    };
    const analysis::Profile* prof = choice.profile;
    if (choice.radius_m) {
        rule_row("fixed radius", std::nullopt, -INFINITY, INFINITY, *choice.radius_m);
    } else if (!prof->radius_rules.empty()) {
        for (const auto& r : prof->radius_rules)
            rule_row(analysis::rule_name(r), r.type, r.min_area_m2, r.max_area_m2, r.radius_m);
    } else {
        for (const auto& f : prof->facilities) rule_row("type " + f.type, f.type, -INFINITY, INFINITY, f.radius_m);
    }
    if (!rows.empty()) {
        rules << "INSERT INTO " << s("rules") << " VALUES ";
        for (std::size_t i = 0; i < rows.size(); ++i) rules << (i ? ", " : "") << rows[i];
        rules << ";";
    }
    db.exec(rules.str());

    // Usable facilities; the rest are reported with the reason.
    std::string type_expr = opt.type_field.empty() ? "''::text" : "COALESCE(f." + sql_ident(opt.type_field) + "::text, '')";
    db.exec("CREATE TABLE " + s("fac_in") + " AS SELECT f.ogc_fid AS k, f.wkb_geometry AS g, " + type_expr + " AS type FROM " +
            s("fac") + " f;\n"
            "CREATE TABLE " + s("fac_ok") + " AS SELECT k, g, type, GeometryType(g) IN ('POINT', 'MULTIPOINT') AS is_point FROM " +
            s("fac_in") + " WHERE g IS NOT NULL AND NOT ST_IsEmpty(g) AND GeometryType(g) IN ('POINT', 'MULTIPOINT', "
            "'POLYGON', 'MULTIPOLYGON') AND ST_IsValid(g);");
    auto bad = db.query(
        "SELECT k, CASE WHEN g IS NULL THEN 'no geometry' WHEN ST_IsEmpty(g) THEN 'empty geometry' "
        "WHEN GeometryType(g) NOT IN ('POINT', 'MULTIPOINT', 'POLYGON', 'MULTIPOLYGON') THEN 'geometry type ' || "
        "substr(ST_GeometryType(g), 4) || ' (points or polygons expected)' ELSE 'invalid geometry: ' || ST_IsValidReason(g) END "
        "AS reason FROM " + s("fac_in") + " WHERE k NOT IN (SELECT k FROM " + s("fac_ok") + ") ORDER BY k");
    auto fid_of = [&](std::int64_t k) { return facilities.features().at(fac_keys.at(k)).fid; };
    analysis::ServiceAreas& sa = run.service;
    sa = {};
    for (const auto& r : bad.values) sa.ignored.push_back({fid_of(integer(r[0])), text(r[1])});
    sa.facilities_invalid = bad.values.size();

    // Candidates: touching park patches dissolved into one park when the profile says so.
    bool dissolve = prof && prof->dissolve && !prof->uses_types();
    if (dissolve)
        db.exec("CREATE TABLE " + s("cand") + " AS SELECT min(k) AS first, array_agg(k ORDER BY k) AS members, "
                "ST_UnaryUnion(ST_Collect(g)) AS g, (array_agg(type ORDER BY k))[1] AS type, false AS is_point FROM "
                "(SELECT k, g, type, ST_ClusterDBSCAN(g, 0, 1) OVER () AS cid FROM " + s("fac_ok") +
                " WHERE NOT is_point) c GROUP BY cid UNION ALL SELECT k, ARRAY[k], g, type, true FROM " + s("fac_ok") +
                " WHERE is_point");
    else
        db.exec("CREATE TABLE " + s("cand") + " AS SELECT k AS first, ARRAY[k] AS members, g, type, is_point FROM " + s("fac_ok"));
    db.exec("ALTER TABLE " + s("cand") + " ADD COLUMN area float8; UPDATE " + s("cand") +
            " SET area = CASE WHEN is_point THEN 0 ELSE ST_Area(g) END;");
    // Sizing by the rules, then the buffers.
    std::string match = "SELECT r.* FROM " + s("rules") +
                        " r WHERE (r.type IS NULL OR r.type = c.type) AND c.area >= r.min_area AND c.area < r.max_area "
                        "ORDER BY r.ord LIMIT 1";
    db.exec("CREATE TABLE " + s("units") + " AS SELECT row_number() OVER (ORDER BY c.is_point, c.first) AS u, c.members, "
            "c.area, r.radius, r.label, ST_Buffer(c.g, r.radius, 'quad_segs=" + std::to_string(choice.quad_segs) +
            "') AS g FROM " + s("cand") + " c JOIN LATERAL (" + match + ") r ON true WHERE r.radius > 0;\n"
            "CREATE INDEX ON " + s("units") + " USING gist (g); ANALYZE " + s("units") + ";");
    auto unmatched = db.query("SELECT array_to_string(c.members, ',') AS members, c.area, c.type FROM " + s("cand") +
                              " c WHERE NOT EXISTS (" + match + ") ORDER BY c.is_point, c.first");
    for (const auto& r : unmatched.values) {
        std::vector<std::int64_t> members;
        std::stringstream ms(text(r[0]));
        for (std::string m; std::getline(ms, m, ',');) members.push_back(std::stoll(m));
        std::string why = analysis::unmatched_reason(*prof, num(r[1]), text(r[2]), members.size());
        auto kind = analysis::unmatched_kind(*prof, num(r[1]), text(r[2]));
        for (auto k : members) sa.ignored.push_back({fid_of(k), why, kind, num(r[1])});
    }
    auto units = db.query("SELECT array_to_string(members, ',') AS members, area, radius, label, g FROM " + s("units") +
                          " ORDER BY u");
    for (std::size_t i = 0; i < units.values.size(); ++i) {
        const auto& r = units.values[i];
        analysis::ServiceUnit unit;
        std::stringstream ms(text(r[0]));
        for (std::string m; std::getline(ms, m, ',');) unit.facility_ids.push_back(fid_of(std::stoll(m)));
        unit.area_m2 = num(r[1]);
        unit.radius_m = num(r[2]);
        unit.rule = text(r[3]);
        sa.facilities_counted += unit.facility_ids.size();
        sa.units.push_back(std::move(unit));
        sa.areas.push_back(std::move(units.geometries[i]));
    }
    auto fa = db.query("SELECT COALESCE(sum(area), 0) AS a FROM " + s("cand") + " WHERE NOT is_point");
    sa.facility_area_m2 = num(fa.values.at(0).at(0));
    run.timings["compute_service_areas"] = sw.lap();

    // Parcels: population, zone, the part no earlier parcel overlaps, and the local union of the
    // service areas touching each one.
    std::string pop = run.population_field.empty() ? "0::float8" : number_expr(run.residential, "p", run.population_field);
    std::string zone = zone_layer ? "(SELECT z.ogc_fid FROM " + s("zones") +
                                        " z WHERE z.wkb_geometry && ST_PointOnSurface(p.wkb_geometry) AND "
                                        "ST_Intersects(z.wkb_geometry, ST_PointOnSurface(p.wkb_geometry)) ORDER BY z.ogc_fid LIMIT 1)"
                                  : "NULL::int";
    db.exec("CREATE TABLE " + s("parcels") + " AS SELECT p.ogc_fid AS k, p.wkb_geometry AS g, COALESCE(ST_Area(p.wkb_geometry), 0) AS a, " +
            pop + " AS pop, CASE WHEN p.wkb_geometry IS NULL OR ST_IsEmpty(p.wkb_geometry) THEN NULL ELSE " + zone +
            " END AS zone FROM " + s("res") + " p;\n"
            // A parcel with a geometry but no area is placed by its point on surface.
            "ALTER TABLE " + s("parcels") + " ADD COLUMN pt geometry, ADD COLUMN pt_cov boolean NOT NULL DEFAULT false;\n"
            "UPDATE " + s("parcels") + " SET pt = ST_PointOnSurface(g) WHERE a <= 0 AND g IS NOT NULL AND NOT ST_IsEmpty(g);\n"
            "UPDATE " + s("parcels") + " p SET pt_cov = EXISTS (SELECT 1 FROM " + s("units") +
            " u WHERE u.g && p.pt AND ST_Intersects(u.g, p.pt)) WHERE p.pt IS NOT NULL;\n"
            "CREATE INDEX ON " + s("parcels") + " USING gist (g); ANALYZE " + s("parcels") + ";\n"
            "CREATE TABLE " + s("local") + " AS SELECT p.k, p.g, p.a, "
            "(SELECT ST_Union(u.g) FROM " + s("units") + " u WHERE u.g && p.g AND ST_Intersects(u.g, p.g)) AS su, "
            "(SELECT ST_Union(q.g) FROM " + s("parcels") + " q WHERE q.k < p.k AND q.g && p.g AND "
            "ST_Area(ST_Intersection(q.g, p.g)) > 0) AS earlier FROM " + s("parcels") + " p WHERE p.a > 0;\n"
            "CREATE TABLE " + s("cov") + " AS SELECT k, a, su, piece, cg, "
            "CASE WHEN full_ THEN a ELSE COALESCE(ST_Area(cg), 0) END AS covered, COALESCE(ST_Area(piece), a) AS unique_a, full_ "
            "FROM (SELECT k, a, su, g, CASE WHEN earlier IS NULL THEN NULL ELSE ST_Difference(g, earlier) END AS piece, "
            "su IS NOT NULL AND ST_Covers(su, g) AS full_, CASE WHEN su IS NULL THEN NULL ELSE ST_Intersection(g, su) END AS cg "
            "FROM " + s("local") + ") x;\n"
            "UPDATE " + s("cov") + " SET full_ = true WHERE covered >= a;\n"
            "ALTER TABLE " + s("cov") + " ADD COLUMN unique_cov float8, ADD COLUMN state text;\n"
            "UPDATE " + s("cov") + " SET covered = CASE WHEN full_ THEN a WHEN covered > 0 THEN covered ELSE 0 END, "
            "unique_cov = CASE WHEN full_ THEN unique_a WHEN covered <= 0 THEN 0 WHEN piece IS NULL THEN covered "
            "ELSE ST_Area(ST_Intersection(piece, su)) END, "
            "state = CASE WHEN full_ THEN 'full' WHEN covered > 0 THEN 'partial' ELSE 'none' END;");

    auto per = db.query("SELECT p.k, p.a, p.pop, p.zone, c.covered, c.unique_a, c.unique_cov, c.state, "
                        "(p.pt IS NOT NULL)::int AS placed, p.pt_cov::int AS pt_cov, "
                        "CASE WHEN c.state = 'partial' THEN c.cg END AS g FROM " + s("parcels") + " p LEFT JOIN " + s("cov") +
                        " c ON c.k = p.k ORDER BY p.k");
    auto unc = db.query("SELECT c.k, ST_Difference(p.g, c.cg) AS g FROM " + s("cov") + " c JOIN " + s("parcels") +
                        " p ON p.k = c.k WHERE c.state = 'partial' ORDER BY c.k");
    auto totals = db.query(
        "SELECT COALESCE(sum(c.unique_a), 0) AS a, COALESCE(sum(c.unique_cov), 0) AS c, COALESCE(sum(p.pop), 0) AS pop, "
        "COALESCE(sum(CASE WHEN p.a > 0 THEN COALESCE(p.pop, 0) * COALESCE(c.covered, 0) / p.a "
        "WHEN p.pt_cov THEN COALESCE(p.pop, 0) ELSE 0 END), 0) AS cpop, "
        "count(*) FILTER (WHERE c.unique_a < c.a) AS overlapping, count(*) FILTER (WHERE p.pop IS NULL) AS missing FROM " +
        s("parcels") + " p LEFT JOIN " + s("cov") + " c ON c.k = p.k");
    std::optional<layers::Rows> by_zone;
    if (zone_layer)
        by_zone = db.query("SELECT COALESCE(p.zone, 0) AS zone, count(*) AS parcels, COALESCE(sum(c.unique_a), 0) AS a, "
                           "COALESCE(sum(c.unique_cov), 0) AS c, COALESCE(sum(p.pop), 0) AS pop, "
                           "COALESCE(sum(CASE WHEN p.a > 0 THEN COALESCE(p.pop, 0) * COALESCE(c.covered, 0) / p.a "
        "WHEN p.pt_cov THEN COALESCE(p.pop, 0) ELSE 0 END), 0) "
                           "AS cpop FROM " + s("parcels") + " p LEFT JOIN " + s("cov") + " c ON c.k = p.k GROUP BY 1 ORDER BY 1");
    run.timings["compute_parcels"] = sw.lap();

    // The figures into the run, in the embedded engine's shapes.
    const std::size_t n = run.residential.size();
    if (per.values.size() != n)
        throw io_error(trf("PostgreSQL returned {} parcel rows for {} parcels", per.values.size(), n));
    run.result = {};
    run.result.parcels.resize(n);
    run.population.assign(n, 0.0);
    run.placed_by_point.assign(n, 0);
    run.point_covered.assign(n, 0);
    if (zone_layer) run.zone_of.assign(n, -1);
    using S = geo::ParcelCoverage::State;
    for (std::size_t row = 0; row < n; ++row) {
        const auto& r = per.values[row];
        const std::size_t i = res_keys.at(integer(r[0]));
        auto& pc = run.result.parcels[i];
        pc.area_m2 = num(r[1]);
        run.population[i] = num(r[2]);
        if (zone_layer && std::holds_alternative<std::int64_t>(r[3])) run.zone_of[i] = static_cast<int>(integer(r[3]) - 1);
        pc.covered_m2 = num(r[4]);
        pc.unique_area_m2 = std::holds_alternative<double>(r[5]) ? num(r[5]) : 0.0;
        pc.unique_covered_m2 = num(r[6]);
        std::string state = text(r[7]);
        pc.state = state == "full" ? S::full : state == "partial" ? S::partial : S::none;
        run.placed_by_point[i] = integer(r[8]) == 1;
        run.point_covered[i] = integer(r[9]) == 1;
        if (pc.state == S::partial) pc.covered = std::move(per.geometries[row]);
    }
    run.uncovered.clear();
    run.uncovered.resize(run.result.parcels.size());
    for (std::size_t i = 0; i < unc.values.size(); ++i) {
        auto k = res_keys.at(integer(unc.values[i][0]));
        if (unc.geometries[i] && !geo::is_empty(unc.geometries[i].get())) run.uncovered.at(k) = std::move(unc.geometries[i]);
    }
    const auto& t = totals.values.at(0);
    run.result.residential_area_m2 = run.residential_area_m2 = num(t[0]);
    run.result.covered_area_m2 = run.covered_area_m2 = num(t[1]);
    run.total_population = num(t[2]);
    run.covered_population = num(t[3]);
    run.result.overlapping_parcels = static_cast<std::size_t>(integer(t[4]));
    run.population_missing = run.population_field.empty() ? 0 : static_cast<std::size_t>(integer(t[5]));
    if (!zone_layer) return how;
    run.zones.clear();
    for (std::size_t z = 0; z < zone_layer->size(); ++z)
        run.zones.push_back({layers::value_to_string(zone_layer->value(z, opt.zone_field))});
    run.zones.push_back({"(outside every zone)"});
    for (const auto& r : by_zone->values) {
        auto z = integer(r[0]);
        auto& zf = run.zones[z <= 0 ? run.zones.size() - 1 : static_cast<std::size_t>(z - 1)];
        zf.parcels = static_cast<std::size_t>(integer(r[1]));
        zf.residential_area_m2 = num(r[2]);
        zf.covered_area_m2 = num(r[3]);
        zf.population = num(r[4]);
        zf.covered_population = num(r[5]);
    }
    if (run.zones.back().parcels == 0) run.zones.pop_back();
    return how;
}

std::vector<ScratchSchemaInfo> scratch_schemas(const std::string& connection) {
    layers::PgDatabase db(connection);
    auto rows = db.query("SELECT n.nspname::text AS name, EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = "
                         "n.nspname::text) AS in_use FROM pg_namespace n WHERE n.nspname LIKE " +
                         sql_literal(std::string(scratch_prefix) + "%") + " ORDER BY 1");
    std::vector<ScratchSchemaInfo> out;
    for (const auto& r : rows.values) {
        std::string name = text(r[0]);
        if (name.rfind(scratch_prefix, 0) != 0) continue;  // LIKE's '_' matches any character
        out.push_back({name, text(r[1]) == "1" || text(r[1]) == "t" || text(r[1]) == "true"});
    }
    return out;
}

std::vector<std::string> drop_scratch_schemas(const std::string& connection) {
    std::vector<std::string> dropped;
    layers::PgDatabase db(connection);
    for (const auto& s : scratch_schemas(connection)) {
        if (s.in_use) continue;
        db.exec("DROP SCHEMA IF EXISTS " + sql_ident(s.name) + " CASCADE");
        dropped.push_back(s.name);
    }
    return dropped;
}

}  // namespace planmap::analysis
