// A PostgreSQL/PostGIS database reached through GDAL's PostgreSQL driver ("PG:" connection
// strings): statements, queries returning typed rows (with their geometry), and quoting.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geos.hpp"
#include "layers/feature.hpp"

class GDALDataset;

namespace planmap::layers {

// True for PostgreSQL connection strings: "PG:…" (keyword or URI form) and bare
// "postgresql://…" / "postgres://…" URIs.
bool is_postgis(const std::string& source);

// The connection in GDAL's keyword form, "PG:key='value' …", the form GDAL options such as
// tables= can be appended to. URIs ("PG:postgresql://user:pw@host:port/db?k=v", with or without
// "PG:"; user, password, hosts, ports, database and parameters percent-decoded as libpq does) are
// converted; a keyword form is returned as it is. usage_error for a malformed URI.
std::string pg_keyword_form(const std::string& connection);

// `text` (a connection string, or any message that may quote one) with every secret hidden as
// "***": the value of password= and sslpassword= in keyword form (any case, spaces around '=',
// quoted values with backslash escapes), and in URIs the password of user:password@ and
// password=/sslpassword= parameters (percent-encoded keys too). Linear in the text's length.
// Nothing else changes; PGPASSWORD and service/pgpass files keep secrets out of the string.
std::string redact_connection(const std::string& text);

// A message that may quote a connection string or carry libpq's multi-line text, made fit to print:
// redacted, and its lines joined with "; " (an error stays one line).
std::string safe_message(const std::string& text);

// Runs f(); a planmap exception leaves it with its message passed through safe_message (same
// class for usage, io, CRS and geometry errors; others of planmap::error as planmap::error).
template <class F>
decltype(auto) with_redacted_errors(F&& f) {
    try {
        return f();
    } catch (const usage_error& e) {
        throw usage_error(safe_message(e.what()));
    } catch (const io_error& e) {
        throw io_error(safe_message(e.what()));
    } catch (const crs_error& e) {
        throw crs_error(safe_message(e.what()));
    } catch (const geometry_error& e) {
        throw geometry_error(safe_message(e.what()));
    } catch (const error& e) {
        throw error(safe_message(e.what()));
    }
}

struct Rows {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> values;  // one per row, one per column
    std::vector<geo::GeomPtr> geometries;    // one per row when the result has a geometry column
    int column(const std::string& name) const;  // -1 when absent
};

class PgDatabase {
public:
    // Opens the database for update (any form is_postgis accepts); io_error naming the connection
    // (without its password) on failure. The session runs with standard_conforming_strings on.
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

// SQL quoting as libpq's PQescapeIdentifier and PQescapeLiteral do: "ident" with '"' doubled, and
// 'literal' with quotes doubled, written E'…' with backslashes doubled when the text holds one, so
// it reads back the same whatever standard_conforming_strings says. usage_error for a NUL byte.
std::string sql_ident(const std::string& name);
std::string sql_literal(const std::string& text);
// A double as SQL text that reads back to the same value ('Infinity' for infinities).
std::string sql_number(double v);

}  // namespace planmap::layers
