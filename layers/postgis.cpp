#include "layers/postgis.hpp"

#include <cmath>
#include <cstdio>
#include <regex>

#include "core/error.hpp"
#include "layers/gdal.hpp"

namespace planmap::layers {

bool is_postgis(const std::string& source) { return source.rfind("PG:", 0) == 0; }

int Rows::column(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return static_cast<int>(i);
    return -1;
}

std::string redact_connection(const std::string& connection) {
    static const std::regex pw(R"((password\s*=\s*)('[^']*'|\S+))", std::regex::icase);
    return std::regex_replace(connection, pw, "$1***");
}

PgDatabase::PgDatabase(const std::string& connection) : connection_(connection) {
    ensure_gdal();
    if (!is_postgis(connection)) throw usage_error("'" + connection + "' is not a PostgreSQL connection string (PG:…)");
    GdalErrorCapture cap;
    const char* drivers[] = {"PostgreSQL", nullptr};
    // LIST_ALL_TABLES=NO and no table scan: only statements and queries are run here.
    std::string conn = connection + (connection.find("tables=") == std::string::npos ? " tables=spatial_ref_sys" : "");
    ds_.reset(GDALDataset::Open(conn.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, nullptr, nullptr));
    if (!ds_)
        throw io_error("cannot connect to '" + redact_connection(connection) +
                       "': " + (cap.message().empty() ? "not a PostgreSQL database" : cap.message()));
}

PgDatabase::~PgDatabase() = default;

void PgDatabase::exec(const std::string& sql) {
    GdalErrorCapture cap;
    OGRLayer* l = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (l) ds_->ReleaseResultSet(l);
    if (!cap.message().empty()) throw io_error("PostgreSQL at '" + redact_connection(connection_) + "': " + cap.message());
}

Rows PgDatabase::query(const std::string& sql) {
    GdalErrorCapture cap;
    OGRLayer* l = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (!cap.message().empty() || !l) {
        if (l) ds_->ReleaseResultSet(l);
        throw io_error("PostgreSQL at '" + redact_connection(connection_) +
                       "': " + (cap.message().empty() ? "the query returned no result set" : cap.message()));
    }
    Rows rows;
    OGRFeatureDefn* defn = l->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) rows.columns.push_back(defn->GetFieldDefn(i)->GetNameRef());
    bool has_geometry = defn->GetGeomFieldCount() > 0;
    for (auto& f : *l) {
        std::vector<Value> vals(rows.columns.size());
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            if (!f->IsFieldSetAndNotNull(i)) continue;
            switch (defn->GetFieldDefn(i)->GetType()) {
                case OFTInteger:
                case OFTInteger64: vals[i] = static_cast<std::int64_t>(f->GetFieldAsInteger64(i)); break;
                case OFTReal: vals[i] = f->GetFieldAsDouble(i); break;
                default: vals[i] = std::string(f->GetFieldAsString(i)); break;
            }
        }
        rows.values.push_back(std::move(vals));
        if (has_geometry) {
            geo::GeomPtr g;
            if (OGRGeometry* og = f->GetGeometryRef(); og && !og->IsEmpty()) {
                std::vector<unsigned char> buf(og->WkbSize());
                og->exportToWkb(wkbNDR, buf.data(), wkbVariantIso);
                g = geo::from_wkb(buf.data(), buf.size());
            }
            rows.geometries.push_back(std::move(g));
        }
    }
    ds_->ReleaseResultSet(l);
    if (!cap.message().empty()) throw io_error("PostgreSQL at '" + redact_connection(connection_) + "': " + cap.message());
    return rows;
}

std::optional<PgTableInfo> pg_table_info(const std::string& connection, const std::string& layer) {
    ensure_gdal();
    GdalErrorCapture cap;
    const char* drivers[] = {"PostgreSQL", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
    if (!ds) return std::nullopt;
    OGRLayer* l = ds->GetLayerByName(layer.c_str());
    if (!l) return std::nullopt;
    PgTableInfo info{l->GetName(), l->GetFIDColumn(), l->GetGeometryColumn(), std::nullopt};
    if (const OGRSpatialReference* srs = l->GetSpatialRef()) {
        char* wkt = nullptr;
        const char* opts[] = {"FORMAT=WKT2_2019", nullptr};
        if (srs->exportToWkt(&wkt, opts) == OGRERR_NONE && wkt) {
            try {
                info.crs = geo::Crs::parse(wkt);
            } catch (const std::exception&) {
            }
        }
        CPLFree(wkt);
    }
    return info;
}

std::string sql_ident(const std::string& name) {
    std::string q = "\"";
    for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string sql_literal(const std::string& text) {
    std::string q = "'";
    for (char c : text) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
}

std::string sql_number(double v) {
    if (std::isinf(v)) return v > 0 ? "'Infinity'::float8" : "'-Infinity'::float8";
    if (std::isnan(v)) return "'NaN'::float8";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return std::string(buf) + "::float8";
}

}  // namespace planmap::layers
