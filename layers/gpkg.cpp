#include "layers/gpkg.hpp"

#include <sqlite3.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/info.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "geo/geos.hpp"
#include "layers/gdal.hpp"

namespace planmap::layers::gpkg {

namespace {

void put_u32(std::string& s, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_f64(std::string& s, double v) {
    std::uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((u >> (8 * i)) & 0xFF));
}

// The old path's conversion (OGR's forceTo) for parts that are neither the table's type nor its
// single counterpart (a collection written to a multipolygon table).
void append_forced_wkb(const GEOSGeometry* g, int multi_type, std::string& out) {
    std::string wkb;
    geo::append_wkb(g, wkb);
    OGRGeometry* og = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &og, wkb.size()) != OGRERR_NONE || !og)
        throw geometry_error("WKB");
    OGRGeometryUniquePtr forced(OGRGeometryFactory::forceTo(og, static_cast<OGRwkbGeometryType>(multi_type)));
    std::size_t at = out.size();
    out.resize(at + forced->WkbSize());
    forced->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(out.data() + at), wkbVariantIso);
}

struct Stmt {
    sqlite3_stmt* s = nullptr;
    ~Stmt() { sqlite3_finalize(s); }
};

struct Db {
    sqlite3* db = nullptr;
    std::string shown;
    ~Db() { sqlite3_close(db); }
    std::string error() const { return db ? sqlite3_errmsg(db) : "out of memory"; }
    void exec(const std::string& sql) const {
        char* msg = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
            std::string m = msg ? msg : error();
            sqlite3_free(msg);
            throw io_error(trf("error writing '{}': {}", shown, m));
        }
    }
    void prepare(const std::string& sql, Stmt& st) const {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK)
            throw io_error(trf("error writing '{}': {}", shown, error()));
    }
};

std::string quoted(const std::string& name, char q = '"') {
    std::string s(1, q);
    for (char c : name) s += c == q ? std::string(2, q) : std::string(1, c);
    return s + q;
}

int srs_id_of(const Db& db, const TableTarget& t) {
    Stmt st;
    db.prepare("SELECT srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)", st);
    sqlite3_bind_text(st.s, 1, t.table.c_str(), -1, SQLITE_TRANSIENT);
    return sqlite3_step(st.s) == SQLITE_ROW ? sqlite3_column_int(st.s, 0) : 0;
}

int multi_type_of(const Layer& l) {
    const auto& t = l.geometry_type();
    return t == "MultiPoint" ? 4 : t == "MultiLineString" ? 5 : t == "MultiPolygon" ? 6 : 0;
}

// A run of features encoded together; inserted in order.
struct Chunk {
    std::size_t begin = 0, end = 0;
    std::vector<RowView> rows;  // the rows made by the layer's row source (none when it stores its features)
    std::vector<std::string> blobs;
    geo::Envelope extent;
};

void insert_table(const Db& db, const TableTarget& t) {
    const Layer& layer = *t.layer;
    const bool has_geom = !t.geometry_column.empty();
    const int srs = has_geom ? srs_id_of(db, t) : 0;
    const int multi = multi_type_of(layer);

    // GDAL's triggers (the feature count) would run once per row: set aside, restored after.
    std::vector<std::string> triggers;
    {
        Stmt st;
        db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(?)", st);
        sqlite3_bind_text(st.s, 1, t.table.c_str(), -1, SQLITE_TRANSIENT);
        std::vector<std::string> names;
        while (sqlite3_step(st.s) == SQLITE_ROW) {
            names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0)));
            triggers.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 1)));
        }
        for (const auto& n : names) db.exec("DROP TRIGGER " + quoted(n));
    }

    // Many rows per statement: the statement's own work (and the AUTOINCREMENT bookkeeping GDAL's
    // fid column asks for) once per group instead of once per row.
    const std::size_t n_fields = std::min(layer.fields().size(), t.columns.size());
    std::string head = "INSERT INTO " + quoted(t.table) + " (", row;
    std::size_t n_bound = 0;
    if (has_geom) {
        head += quoted(t.geometry_column);
        row = "?";
        ++n_bound;
    }
    for (std::size_t j = 0; j < n_fields; ++j) {
        head += (n_bound ? ", " : "") + quoted(t.columns[j]);
        row += n_bound ? ", ?" : "?";
        ++n_bound;
    }
    head += ") VALUES ";
    const std::size_t group = n_bound ? std::max<std::size_t>(1, std::min<std::size_t>(64, 30000 / n_bound)) : 1;
    auto insert_sql = [&](std::size_t rows) {
        if (n_bound == 0) return "INSERT INTO " + quoted(t.table) + " DEFAULT VALUES";
        std::string sql = head;
        for (std::size_t r = 0; r < rows; ++r) sql += (r ? ", (" : "(") + row + ")";
        return sql;
    };
    Stmt full, part;
    std::size_t part_rows = 0;
    db.prepare(insert_sql(group), full);

    const auto& feats = layer.features();
    const RowSource& source = layer.row_source();
    const std::size_t count = layer.row_count();
    constexpr std::size_t kChunk = 4096;
    std::size_t next = 0;
    geo::Envelope extent;
    const auto tokens = static_cast<std::size_t>(2 * tbb::info::default_concurrency());
    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void, std::shared_ptr<Chunk>>(tbb::filter_mode::serial_in_order,
                                                       [&](tbb::flow_control& fc) -> std::shared_ptr<Chunk> {
                                                           if (next >= count) {
                                                               fc.stop();
                                                               return nullptr;
                                                           }
                                                           auto c = std::make_shared<Chunk>();
                                                           c->begin = next;
                                                           c->end = next = std::min(count, next + kChunk);
                                                           return c;
                                                       }) &
            tbb::make_filter<std::shared_ptr<Chunk>, std::shared_ptr<Chunk>>(
                tbb::filter_mode::parallel,
                [&](std::shared_ptr<Chunk> c) {
                    if (source) {
                        c->rows.resize(c->end - c->begin);
                        for (std::size_t i = c->begin; i < c->end; ++i) source(i, c->rows[i - c->begin]);
                    }
                    if (!has_geom) return c;
                    c->blobs.resize(c->end - c->begin);
                    for (std::size_t i = c->begin; i < c->end; ++i) {
                        const GEOSGeometry* g = source ? c->rows[i - c->begin].geometry : feats[i].geometry.get();
                        if (!g) continue;
                        try {
                            c->blobs[i - c->begin] = encode_geometry(g, srs, multi);
                        } catch (const geometry_error&) {
                            const std::int64_t fid = source ? c->rows[i - c->begin].fid : feats[i].fid;
                            throw io_error(trf("layer '{}', feature {}: cannot encode geometry", layer.name(), fid));
                        }
                        c->extent.expand(geo::envelope(g));
                        if (source) {  // the blob is all that is needed of it now (a blob is never empty)
                            c->rows[i - c->begin].owned.reset();
                            c->rows[i - c->begin].geometry = nullptr;
                        }
                    }
                    return c;
                }) &
            tbb::make_filter<std::shared_ptr<Chunk>, void>(tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Chunk> c) {
                extent.expand(c->extent);
                for (std::size_t first = c->begin; first < c->end; first += group) {
                    const std::size_t rows = std::min(group, c->end - first);
                    sqlite3_stmt* ins = full.s;
                    if (rows != group) {
                        if (part_rows != rows) {
                            sqlite3_finalize(part.s);
                            part.s = nullptr;
                            db.prepare(insert_sql(rows), part);
                            part_rows = rows;
                        }
                        ins = part.s;
                    }
                    int k = 1;
                    for (std::size_t i = first; i < first + rows; ++i) {
                        const RowView* made = source ? &c->rows[i - c->begin] : nullptr;
                        const std::vector<Value>& values = made ? made->values : feats[i].values;
                        if (has_geom) {
                            const std::string& b = c->blobs[i - c->begin];
                            if (!b.empty())
                                sqlite3_bind_blob(ins, k, b.data(), static_cast<int>(b.size()), SQLITE_STATIC);
                            else
                                sqlite3_bind_null(ins, k);
                            ++k;
                        }
                        for (std::size_t j = 0; j < n_fields; ++j, ++k) {
                            const Value* v = j < values.size() ? &values[j] : nullptr;
                            if (!v || std::holds_alternative<std::monostate>(*v)) sqlite3_bind_null(ins, k);
                            else if (auto* iv = std::get_if<std::int64_t>(v)) sqlite3_bind_int64(ins, k, *iv);
                            else if (auto* dv = std::get_if<double>(v)) sqlite3_bind_double(ins, k, *dv);
                            else {
                                const auto& sv = std::get<std::string>(*v);
                                sqlite3_bind_text(ins, k, sv.data(), static_cast<int>(sv.size()), SQLITE_STATIC);
                            }
                        }
                    }
                    if (sqlite3_step(ins) != SQLITE_DONE)
                        throw io_error(trf("cannot write feature {} of layer '{}' to '{}'", source ? c->rows[first - c->begin].fid : feats[first].fid,
                                           layer.name(), db.shown) +
                                       ": " + db.error());
                    sqlite3_reset(ins);
                }
            }));

    {
        Stmt st;
        db.prepare("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)", st);
        sqlite3_bind_int64(st.s, 1, static_cast<sqlite3_int64>(count));
        sqlite3_bind_text(st.s, 2, t.table.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st.s) != SQLITE_DONE) throw io_error(trf("error writing '{}': {}", db.shown, db.error()));
    }
    if (has_geom && !extent.empty) {
        Stmt st;
        db.prepare("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE lower(table_name) = lower(?)", st);
        sqlite3_bind_double(st.s, 1, extent.minx);
        sqlite3_bind_double(st.s, 2, extent.miny);
        sqlite3_bind_double(st.s, 3, extent.maxx);
        sqlite3_bind_double(st.s, 4, extent.maxy);
        sqlite3_bind_text(st.s, 5, t.table.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st.s) != SQLITE_DONE) throw io_error(trf("error writing '{}': {}", db.shown, db.error()));
    }
    for (const auto& trig : triggers) db.exec(trig);
}

}  // namespace

std::string encode_geometry(const GEOSGeometry* g, int srs_id, int multi_type) {
    auto ctx = geo::geos_context();
    const bool empty = geo::is_empty(g);
    const int type = GEOSGeomTypeId_r(ctx, g);
    const bool point = type == GEOS_POINT;
    std::string out;
    out.reserve(64);
    out += "GP";
    out.push_back(0);  // version 1
    // flags: bit 0 little-endian, bits 1-3 the envelope kind (1: minx maxx miny maxy), bit 4 empty.
    const bool with_envelope = !empty && !point;
    out.push_back(static_cast<char>(0x01 | (with_envelope ? 0x02 : 0) | (empty ? 0x10 : 0)));
    put_u32(out, static_cast<std::uint32_t>(srs_id));
    if (with_envelope) {
        auto e = geo::envelope(g);
        put_f64(out, e.minx);
        put_f64(out, e.maxx);
        put_f64(out, e.miny);
        put_f64(out, e.maxy);
    }
    const int single = multi_type ? multi_type - 3 : -1;  // GEOS: point 0 … polygon 3; WKB: multipoint 4 … multipolygon 6
    const int geos_single = single == 1 ? GEOS_POINT : single == 2 ? GEOS_LINESTRING : single == 3 ? GEOS_POLYGON : -1;
    const int geos_multi = multi_type == 4 ? GEOS_MULTIPOINT : multi_type == 5 ? GEOS_MULTILINESTRING : multi_type == 6 ? GEOS_MULTIPOLYGON : -1;
    if (!multi_type || type == geos_multi) {
        geo::append_wkb(g, out);
    } else if (type == geos_single || (single == 2 && type == GEOS_LINEARRING)) {
        out.push_back(0x01);
        put_u32(out, static_cast<std::uint32_t>(multi_type));
        put_u32(out, 1);
        geo::append_wkb(g, out);
    } else {
        append_forced_wkb(g, multi_type, out);
    }
    return out;
}

std::optional<std::pair<const unsigned char*, std::size_t>> blob_wkb(const unsigned char* blob, std::size_t size) {
    if (size < 8 || blob[0] != 'G' || blob[1] != 'P') return std::nullopt;
    const unsigned char flags = blob[3];
    if (flags & 0x20) return std::nullopt;  // extended (non-standard) geometry type
    static constexpr std::size_t kEnvelopeBytes[8] = {0, 32, 48, 48, 64, 0, 0, 0};
    const unsigned envelope = (flags >> 1) & 0x07;
    if (envelope > 4) return std::nullopt;
    const std::size_t header = 8 + kEnvelopeBytes[envelope];
    if (size <= header) return std::nullopt;
    return std::make_pair(blob + header, size - header);
}

void read_rows(const std::string& file, const RowReader& what, const std::string& shown_path, const RowSink& row) {
    Db db;
    db.shown = shown_path;
    auto fail = [&] { return io_error(trf("error reading '{}': {}", shown_path, what.table + ": " + db.error())); };
    if (sqlite3_open_v2(file.c_str(), &db.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) throw fail();
    std::string sql = "SELECT " + quoted(what.fid_column);
    sql += ", " + (what.geometry_column.empty() ? std::string("NULL") : quoted(what.geometry_column));
    for (const auto& c : what.columns) sql += ", " + quoted(c);
    sql += " FROM " + quoted(what.table) + " ORDER BY " + quoted(what.fid_column);
    Stmt st;
    if (sqlite3_prepare_v2(db.db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) throw fail();
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        std::vector<Value> values(what.columns.size());
        for (std::size_t i = 0; i < what.columns.size(); ++i) {
            const int col = static_cast<int>(i) + 2;
            if (sqlite3_column_type(st.s, col) == SQLITE_NULL) continue;
            switch (what.types[i]) {
                case FieldType::integer: values[i] = static_cast<std::int64_t>(sqlite3_column_int64(st.s, col)); break;
                case FieldType::real: values[i] = sqlite3_column_double(st.s, col); break;
                case FieldType::string: {
                    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st.s, col));
                    values[i] = std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(st.s, col)));
                    break;
                }
            }
        }
        const void* blob = sqlite3_column_blob(st.s, 1);
        const auto n = static_cast<std::size_t>(sqlite3_column_bytes(st.s, 1));
        row(sqlite3_column_int64(st.s, 0), static_cast<const unsigned char*>(blob), blob ? n : 0, std::move(values));
    }
    if (rc != SQLITE_DONE) throw fail();
}

void insert_features(const std::string& file, const std::vector<TableTarget>& targets, const std::string& shown_path) {
    Db db;
    db.shown = shown_path;
    if (sqlite3_open_v2(file.c_str(), &db.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        throw io_error(trf("error writing '{}': {}", shown_path, db.error()));
    // The file is new and in a temporary folder until complete: no journal, no syncs; one transaction.
    db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY");
    db.exec("BEGIN");
    for (const auto& t : targets) insert_table(db, t);
    db.exec("COMMIT");
}

}  // namespace planmap::layers::gpkg
