// A PostgreSQL/PostGIS database reached through GDAL's PostgreSQL driver ("PG:" connection
// strings): statements, queries returning typed rows (with their geometry), and quoting.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo/crs.hpp"
#include "geo/geos.hpp"
#include "layers/feature.hpp"

class GDALDataset;

namespace planmap::layers {

// True for "PG:…" connection strings.
bool is_postgis(const std::string& source);

struct Rows {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> values;  // one per row, one per column
    std::vector<geo::GeomPtr> geometries;    // one per row when the result has a geometry column
    int column(const std::string& name) const;  // -1 when absent
};

class PgDatabase {
public:
    // Opens the database for update; io_error naming the connection (without its password) on failure.
    explicit PgDatabase(const std::string& connection);
    ~PgDatabase();
    PgDatabase(const PgDatabase&) = delete;
    PgDatabase& operator=(const PgDatabase&) = delete;

    // Runs statements (no result); io_error with the server's message on failure.
    void exec(const std::string& sql);
    // Runs a query and returns all its rows.
    Rows query(const std::string& sql);
    const std::string& connection() const { return connection_; }

private:
    std::string connection_;
    std::unique_ptr<GDALDataset> ds_;
};

// What GDAL knows of a PostgreSQL table: its name ("schema.table" outside public), key and
// geometry columns and CRS; nullopt when the layer cannot be opened.
struct PgTableInfo {
    std::string table, fid_column, geometry_column;
    std::optional<geo::Crs> crs;
};
std::optional<PgTableInfo> pg_table_info(const std::string& connection, const std::string& layer);

// SQL quoting: "ident" and 'literal'.
std::string sql_ident(const std::string& name);
std::string sql_literal(const std::string& text);
// A double as SQL text that reads back to the same value ('Infinity' for infinities).
std::string sql_number(double v);
// The connection string with any password=… hidden, for messages.
std::string redact_connection(const std::string& connection);

}  // namespace planmap::layers
