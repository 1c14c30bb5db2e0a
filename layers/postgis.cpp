#include "layers/postgis.hpp"

#include <cmath>
#include <cstdio>
#include <algorithm>
#include <cctype>
#include <string_view>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "layers/gdal.hpp"

namespace planmap::layers {

namespace {

bool starts_ci(std::string_view s, std::size_t at, std::string_view word) {
    if (s.size() - at < word.size() || at > s.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[at + i])) != word[i]) return false;
    return true;
}

bool space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Length of a "postgresql://" or "postgres://" scheme at `at`, 0 when none.
std::size_t uri_scheme(std::string_view s, std::size_t at) {
    if (starts_ci(s, at, "postgresql://")) return 13;
    if (starts_ci(s, at, "postgres://")) return 11;
    return 0;
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding as libpq does for URIs; nullopt for a bad escape.
std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) return std::nullopt;
        int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool secret_key(const std::string& key) {
    auto k = lower(key);
    return k == "password" || k == "sslpassword";
}

// A URI (the text up to the next white space) with its secrets hidden.
std::string redact_uri(std::string uri, std::size_t scheme) {
    // user:password@ — the user information ends at the first '@' before any '/'.
    std::size_t end = uri.find_first_of("@/", scheme);
    if (end != std::string::npos && uri[end] == '@') {
        std::size_t colon = uri.find(':', scheme);
        if (colon < end) uri.replace(colon + 1, end - colon - 1, "***");
    }
    std::size_t q = uri.find('?', scheme);
    if (q == std::string::npos) return uri;
    std::string out = uri.substr(0, q + 1);
    std::size_t i = q + 1;
    while (i <= uri.size()) {
        std::size_t amp = std::min(uri.find('&', i), uri.size());
        std::string param = uri.substr(i, amp - i);
        std::size_t eq = param.find('=');
        std::string key = param.substr(0, eq);
        auto decoded = percent_decode(key);
        if (eq != std::string::npos && secret_key(decoded.value_or(key))) param = key + "=***";
        out += param;
        if (amp < uri.size()) out += '&';
        i = amp + 1;
    }
    return out;
}

// A keyword-form value as libpq reads it: as it is when that is unambiguous, else 'quoted' with
// backslash escapes.
std::string keyword_value(const std::string& v) {
    bool plain = !v.empty() && std::none_of(v.begin(), v.end(), [](char c) { return space(c) || c == '\'' || c == '\\'; });
    if (plain) return v;
    std::string q = "'";
    for (char c : v) {
        if (c == '\\' || c == '\'') q += '\\';
        q += c;
    }
    return q + "'";
}

}  // namespace

bool is_postgis(const std::string& source) {
    return source.rfind("PG:", 0) == 0 || uri_scheme(source, 0) > 0;
}

int Rows::column(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return static_cast<int>(i);
    return -1;
}

std::string pg_keyword_form(const std::string& connection) {
    std::string body = connection.rfind("PG:", 0) == 0 ? connection.substr(3) : connection;
    std::size_t scheme = uri_scheme(body, 0);
    if (scheme == 0) return connection;
    auto bad = [&](const std::string& why) {
        return usage_error(trf("malformed PostgreSQL URI '{}': {}", redact_connection(connection), why));
    };
    auto decode = [&](std::string_view s) {
        auto d = percent_decode(s);
        if (!d) throw bad(tr("bad percent-encoding"));
        return *d;
    };
    std::string rest = body.substr(scheme), query;
    if (auto q = rest.find('?'); q != std::string::npos) query = rest.substr(q + 1), rest.resize(q);
    std::vector<std::pair<std::string, std::string>> kv;
    if (auto at = rest.find_first_of("@/"); at != std::string::npos && rest[at] == '@') {
        std::string userinfo = rest.substr(0, at);
        rest.erase(0, at + 1);
        auto colon = userinfo.find(':');
        if (!userinfo.substr(0, colon).empty()) kv.emplace_back("user", decode(userinfo.substr(0, colon)));
        if (colon != std::string::npos) kv.emplace_back("password", decode(userinfo.substr(colon + 1)));
    }
    std::string hostspec = rest.substr(0, rest.find('/'));
    if (auto slash = rest.find('/'); slash != std::string::npos && slash + 1 < rest.size())
        kv.emplace_back("dbname", decode(rest.substr(slash + 1)));
    // host[:port] or [ipv6][:port], comma-separated.
    std::string hosts, ports;
    bool any_host = false, any_port = false;
    std::size_t i = 0;
    while (!hostspec.empty() && i <= hostspec.size()) {
        std::size_t comma = std::min(hostspec.find(',', i), hostspec.size());
        std::string one = hostspec.substr(i, comma - i), host, port;
        if (!one.empty() && one[0] == '[') {
            auto close = one.find(']');
            if (close == std::string::npos) throw bad(tr("unclosed '[' in the host"));
            host = one.substr(1, close - 1);
            if (close + 1 < one.size()) {
                if (one[close + 1] != ':') throw bad(tr("unexpected text after ']'"));
                port = one.substr(close + 2);
            }
        } else {
            auto colon = one.find(':');
            host = one.substr(0, colon);
            if (colon != std::string::npos) port = one.substr(colon + 1);
        }
        host = decode(host);
        any_host |= !host.empty();
        any_port |= !port.empty();
        hosts += (i ? "," : "") + host;
        ports += (i ? "," : "") + port;
        i = comma + 1;
    }
    if (any_host) kv.emplace_back("host", hosts);
    if (any_port) kv.emplace_back("port", ports);
    for (std::size_t j = 0; !query.empty() && j <= query.size();) {
        std::size_t amp = std::min(query.find('&', j), query.size());
        std::string param = query.substr(j, amp - j);
        j = amp + 1;
        if (param.empty()) continue;
        auto eq = param.find('=');
        if (eq == std::string::npos) throw bad(tr("parameter without '='"));
        std::string key = decode(param.substr(0, eq)), value = decode(param.substr(eq + 1));
        if (key == "ssl" && value == "true") key = "sslmode", value = "require";
        kv.emplace_back(key, value);
    }
    std::string out = "PG:";
    for (const auto& [k, v] : kv) out += (out.size() > 3 ? " " : "") + k + "=" + keyword_value(v);
    return out;
}

std::string safe_message(const std::string& text) {
    std::string r = redact_connection(text), out;
    out.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
        if (r[i] != '\n' && r[i] != '\r') {
            out += r[i];
            continue;
        }
        while (i + 1 < r.size() && space(r[i + 1])) ++i;
        while (!out.empty() && space(out.back())) out.pop_back();
        if (i + 1 < r.size() && !out.empty()) out += "; ";
    }
    return out;
}

std::string redact_connection(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        if (std::size_t scheme = uri_scheme(text, i)) {
            std::size_t end = i;
            while (end < n && !space(text[end])) ++end;
            out += redact_uri(text.substr(i, end - i), scheme);
            i = end;
            continue;
        }
        std::size_t kw = starts_ci(text, i, "sslpassword") ? 11 : starts_ci(text, i, "password") ? 8 : 0;
        if (kw) {
            std::size_t j = i + kw;
            while (j < n && space(text[j])) ++j;
            if (j < n && text[j] == '=') {
                ++j;
                while (j < n && space(text[j])) ++j;
                std::size_t v = j;
                if (v < n && text[v] == '\'') {
                    for (++v; v < n && text[v] != '\''; ++v)
                        if (text[v] == '\\' && v + 1 < n) ++v;
                    if (v < n) ++v;
                } else {
                    for (; v < n && !space(text[v]); ++v)
                        if (text[v] == '\\' && v + 1 < n) ++v;
                }
                if (v > j) {
                    out.append(text, i, j - i);
                    out += "***";
                    i = v;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

PgDatabase::PgDatabase(const std::string& connection) : connection_(connection) {
    ensure_gdal();
    if (!is_postgis(connection))
        throw usage_error(trf("'{}' is not a PostgreSQL connection string (PG:…)", redact_connection(connection)));
    GdalErrorCapture cap;
    const char* drivers[] = {"PostgreSQL", nullptr};
    // No table scan: only statements and queries are run here.
    std::string conn = pg_keyword_form(connection);
    if (conn.find("tables=") == std::string::npos) conn += " tables=spatial_ref_sys";
    ds_.reset(GDALDataset::Open(conn.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, nullptr, nullptr));
    if (!ds_)
        throw io_error(safe_message(trf("cannot connect to '{}': {}", connection,
                                        cap.message().empty() ? tr("not a PostgreSQL database") : cap.message())));
    // Literals mean the same on a legacy server (standard_conforming_strings=off) and in any
    // client encoding set by the environment.
    exec("SET standard_conforming_strings = on; SET client_encoding = 'UTF8'");
}

PgDatabase::~PgDatabase() = default;

void PgDatabase::exec(const std::string& sql) {
    GdalErrorCapture cap;
    OGRLayer* l = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (l) ds_->ReleaseResultSet(l);
    if (!cap.message().empty()) throw io_error(safe_message(trf("PostgreSQL at '{}': {}", connection_, cap.message())));
}

Rows PgDatabase::query(const std::string& sql) {
    GdalErrorCapture cap;
    OGRLayer* l = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (!cap.message().empty() || !l) {
        if (l) ds_->ReleaseResultSet(l);
        throw io_error(safe_message(trf("PostgreSQL at '{}': {}", connection_,
                                        cap.message().empty() ? tr("the query returned no result set") : cap.message())));
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
    if (!cap.message().empty()) throw io_error(safe_message(trf("PostgreSQL at '{}': {}", connection_, cap.message())));
    return rows;
}

std::optional<PgTableInfo> pg_table_info(const std::string& connection, const std::string& layer) {
    ensure_gdal();
    GdalErrorCapture cap;
    const char* drivers[] = {"PostgreSQL", nullptr};
    std::string conn = pg_keyword_form(connection);
    GDALDatasetUniquePtr ds(GDALDataset::Open(conn.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
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
    if (name.find('\0') != std::string::npos) throw usage_error(tr("a name for PostgreSQL holds a NUL byte"));
    std::string q = "\"";
    for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string sql_literal(const std::string& text) {
    if (text.find('\0') != std::string::npos) throw usage_error(tr("a text for PostgreSQL holds a NUL byte"));
    bool backslash = text.find('\\') != std::string::npos;
    std::string q = backslash ? "E'" : "'";
    for (char c : text) {
        if (c == '\'' || (backslash && c == '\\')) q += c;
        q += c;
    }
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
