#include "layers/io.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <unistd.h>

#include <tbb/task_group.h>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "geo/coverage.hpp"
#include "layers/encoding.hpp"
#include "layers/gdal.hpp"
#include "layers/gpkg.hpp"
#include "layers/postgis.hpp"

namespace planmap::layers {

namespace fs = std::filesystem;

void ensure_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
        CPLSetConfigOption("SHAPE_RESTORE_SHX", "NO");
        CPLSetConfigOption("OGR_ORGANIZE_POLYGONS", "DEFAULT");
    });
}

GdalErrorCapture::GdalErrorCapture() { CPLPushErrorHandlerEx(&GdalErrorCapture::handler, this); }
GdalErrorCapture::~GdalErrorCapture() { CPLPopErrorHandler(); }

void CPL_STDCALL GdalErrorCapture::handler(CPLErr cls, CPLErrorNum, const char* msg) {
    if (cls < CE_Failure) return;
    auto* self = static_cast<GdalErrorCapture*>(CPLGetErrorHandlerUserData());
    if (self) self->message_ = msg ? msg : tr("unknown GDAL error");
}

namespace {

bool is_connection_string(const std::string& s) {
    if (is_postgis(s)) return true;
    auto colon = s.find(':');
    if (colon == std::string::npos || colon < 2) return false;
    std::string prefix = s.substr(0, colon);
    return std::all_of(prefix.begin(), prefix.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
}

std::string lower_ext(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

std::string geometry_type_name(OGRwkbGeometryType t) {
    switch (wkbFlatten(t)) {
        case wkbPoint: return "Point";
        case wkbLineString: return "LineString";
        case wkbPolygon: return "Polygon";
        case wkbMultiPoint: return "MultiPoint";
        case wkbMultiLineString: return "MultiLineString";
        case wkbMultiPolygon: return "MultiPolygon";
        case wkbGeometryCollection: return "GeometryCollection";
        case wkbNone: return "None";
        default: return "Unknown";
    }
}

OGRwkbGeometryType geometry_type_code(const std::string& name) {
    static const std::map<std::string, OGRwkbGeometryType> m = {
        {"Point", wkbPoint},
        {"LineString", wkbLineString},
        {"Polygon", wkbPolygon},
        {"MultiPoint", wkbMultiPoint},
        {"MultiLineString", wkbMultiLineString},
        {"MultiPolygon", wkbMultiPolygon},
        {"GeometryCollection", wkbGeometryCollection},
        {"None", wkbNone}};
    auto it = m.find(name);
    return it == m.end() ? wkbUnknown : it->second;
}

FieldType field_type(OGRFieldType t) {
    switch (t) {
        case OFTInteger:
        case OFTInteger64: return FieldType::integer;
        case OFTReal: return FieldType::real;
        default: return FieldType::string;
    }
}

// The OGR side of reading a geometry (on the reading thread): curves linearised, flattened to 2D,
// rings closed; gives ISO WKB for GEOS (parsed and checked on all cores afterwards).
std::vector<unsigned char> ogr_wkb(OGRGeometry* g, bool& closed_rings) {
    std::unique_ptr<OGRGeometry> linear;
    if (g->hasCurveGeometry()) {
        linear.reset(g->getLinearGeometry());
        g = linear.get();
    }
    if (g->getCoordinateDimension() != 2 || g->IsMeasured()) g->flattenTo2D();
    OGRwkbGeometryType flat = wkbFlatten(g->getGeometryType());
    if (flat == wkbPolygon || flat == wkbMultiPolygon || flat == wkbGeometryCollection) {
        auto before = g->WkbSize();
        g->closeRings();
        closed_rings = g->WkbSize() != before;
    }
    std::vector<unsigned char> buf(g->WkbSize());
    g->exportToWkb(wkbNDR, buf.data(), wkbVariantIso);
    return buf;
}

// The unsigned 32-bit integer at `at` of a WKB buffer written in byte order `ndr` (1: little-endian).
std::uint32_t wkb_uint32(const std::vector<unsigned char>& w, std::size_t at, unsigned char ndr) {
    std::uint32_t v = 0;
    for (std::size_t b = 0; b < 4; ++b) v |= static_cast<std::uint32_t>(w[at + (ndr ? b : 3 - b)]) << (8 * b);
    return v;
}

// Where the one part of a 2D multi-part WKB geometry of one part begins (a MultiPolygon of one
// polygon: the polygon's own WKB, 9 bytes in); 0 for anything else.
std::size_t single_part_offset(const std::vector<unsigned char>& w) {
    constexpr std::size_t kHeader = 9;  // byte order, type, number of parts
    if (w.size() < kHeader + 5) return 0;
    const std::uint32_t type = wkb_uint32(w, 1, w[0]);
    if (type < 4 || type > 6 || wkb_uint32(w, 5, w[0]) != 1) return 0;
    return wkb_uint32(w, kHeader + 1, w[kHeader]) == type - 3 ? kHeader : 0;
}

// Coordinates beyond a billion units are not on Earth in any CRS planmap reads (metres or degrees).
constexpr double kMaxCoordinate = 1e9;

// Checks one geometry; repairs it when asked (geo::make_valid, the one repair). Returns the
// geometry to keep (possibly null). A note's reason and action stay English (they are values in
// JSON reports and matched by the import log); N_ marks them so that what prints them can tr() them.
// Notes and counts of one feature's geometry, made on any thread, merged in feature order.
struct GeometryCheck {
    std::vector<FeatureNote> notes;
    std::size_t invalid = 0;
};

geo::GeomPtr check_geometry(geo::GeomPtr g, const std::string& layer, std::int64_t fid, const ReadOptions& opt, GeometryCheck& out) {
    if (!g) return g;
    auto env = geo::envelope(g.get());
    auto ok = [](double v) { return std::isfinite(v) && std::abs(v) <= kMaxCoordinate; };
    const bool envelope_ok = env.empty || (ok(env.minx) && ok(env.miny) && ok(env.maxx) && ok(env.maxy));
    // Validity is computed once: a valid geometry has finite vertices, so only an invalid one is
    // walked vertex by vertex for a NaN inside a ring (comparisons skip it in the envelope).
    std::string reason = !envelope_ok || env.empty ? std::string() : geo::invalid_reason(g.get());
    bool plausible = envelope_ok;
    if (plausible && !reason.empty())
        geo::transform_coords(g.get(), [&](double* x, double* y, std::size_t n) {
            for (std::size_t i = 0; i < n; ++i) plausible = plausible && ok(x[i]) && ok(y[i]);
        });
    if (!plausible) {
        ++out.invalid;
        out.notes.push_back({layer, fid, N_("coordinate not finite or beyond 1e9 (NaN, infinity or garbage)"), N_("geometry removed")});
        return nullptr;
    }
    if (geo::is_empty(g.get())) {
        out.notes.push_back({layer, fid, N_("empty geometry"), N_("kept (empty)")});
        return g;
    }
    if (reason.empty()) return g;
    ++out.invalid;
    if (!opt.repair) {
        out.notes.push_back({layer, fid, reason, N_("kept invalid")});
        return g;
    }
    try {
        auto fixed = geo::make_valid(g.get());
        if (geo::is_empty(fixed.get()) && opt.keep_collapsed) {
            fixed = geo::make_valid(g.get(), true);
            out.notes.push_back({layer, fid, reason, "repaired: no area left, kept as " + geo::geometry_type(fixed.get())});
        } else {
            out.notes.push_back({layer, fid, reason, geo::is_empty(fixed.get()) ? N_("repaired: nothing left (empty)") : N_("repaired")});
        }
        return fixed;
    } catch (const geometry_error& e) {
        out.notes.push_back({layer, fid, reason, std::string("geometry removed: ") + e.what()});
        return nullptr;
    }
}

// A layer's geometries as read (WKB), converted to GEOS and checked on the other cores while the
// reading goes on, a chunk at a time; finish() puts them into the layer, notes in feature order.
class PendingGeometries {
public:
    PendingGeometries(std::string layer_name, const ReadOptions& opt) : layer_(std::move(layer_name)), opt_(opt) {}
    PendingGeometries(const PendingGeometries&) = delete;
    PendingGeometries& operator=(const PendingGeometries&) = delete;

    // raw: WKB as stored in the file (any dimension or curve, rings perhaps open), not yet through OGR.
    void add(std::size_t feature, std::int64_t fid, std::vector<unsigned char> wkb, bool closed_rings, bool raw = false) {
        if (!filling_) filling_ = &chunks_.emplace_back();
        filling_->items.push_back({feature, fid, std::move(wkb), closed_rings, raw});
        if (filling_->items.size() == kChunk) submit();
    }
    // A note made on the reading thread (a feature without geometry).
    void note(std::size_t feature, FeatureNote n) { notes_.emplace_back(feature, std::move(n)); }

    void finish(Layer& layer) {
        submit();
        tasks_.wait();
        auto& feats = layer.features();
        std::size_t a = 0;
        auto flush_notes_before = [&](std::size_t feature) {
            for (; a < notes_.size() && notes_[a].first < feature; ++a) layer.notes.push_back(std::move(notes_[a].second));
        };
        for (auto& c : chunks_) {
            for (std::size_t k = 0; k < c.items.size(); ++k) {
                flush_notes_before(c.items[k].feature);
                geo::adopt(c.geoms[k]);  // owned by this thread's GEOS context (workers' may end first)
                feats[c.items[k].feature].geometry = std::move(c.geoms[k]);
                layer.invalid_geometries += c.checks[k].invalid;
                for (auto& n : c.checks[k].notes) layer.notes.push_back(std::move(n));
            }
        }
        flush_notes_before(feats.size());
        chunks_.clear();
        notes_.clear();
    }

private:
    static constexpr std::size_t kChunk = 8192;
    static constexpr int kMaxWaiting = 4;
    struct Item {
        std::size_t feature;
        std::int64_t fid;
        std::vector<unsigned char> wkb;
        bool closed_rings;
        bool raw;
    };
    struct Chunk {
        std::vector<Item> items;
        std::vector<geo::GeomPtr> geoms;
        std::vector<GeometryCheck> checks;
    };

    // Hands a full chunk to another core; when the others are behind, converts it here (the WKB
    // waiting to be converted stays bounded, and every core works).
    void submit() {
        if (!filling_) return;
        Chunk* c = filling_;
        filling_ = nullptr;
        if (waiting_.load() >= kMaxWaiting) {
            convert(*c);
            return;
        }
        ++waiting_;
        tasks_.run([this, c] {
            convert(*c);
            --waiting_;
        });
    }

    void convert(Chunk& c) const {
        c.geoms.resize(c.items.size());
        c.checks.resize(c.items.size());
        for (std::size_t k = 0; k < c.items.size(); ++k) {
            auto& item = c.items[k];
            auto& check = c.checks[k];
            geo::GeomPtr geom;
            if (item.raw) geom = direct_geometry(item, opt_.single_parts);
            try {
                if (!geom) {
                    const std::size_t skip = opt_.single_parts ? single_part_offset(item.wkb) : 0;
                    geom = geo::from_wkb(item.wkb.data() + skip, item.wkb.size() - skip);
                }
                if (item.closed_rings) check.notes.push_back({layer_, item.fid, N_("ring not closed"), N_("closed")});
            } catch (const geometry_error& e) {
                ++check.invalid;
                check.notes.push_back({layer_, item.fid, e.what(), N_("geometry removed")});
            }
            std::vector<unsigned char>().swap(item.wkb);
            c.geoms[k] = check_geometry(std::move(geom), layer_, item.fid, opt_, check);
        }
    }

    // WKB straight from a file: a 2D linear geometry goes to GEOS as it is; anything else (Z or M,
    // curves, a ring left open, which GEOS refuses) is put through OGR as other formats are, and
    // left in item.wkb for the usual path.
    static geo::GeomPtr direct_geometry(Item& item, bool single_parts) {
        const auto& w = item.wkb;
        if (w.size() >= 5) {
            const std::uint32_t type = wkb_uint32(w, 1, w[0]);
            if (type >= 1 && type <= 7) {
                try {
                    const std::size_t skip = single_parts ? single_part_offset(w) : 0;
                    return geo::from_wkb(w.data() + skip, w.size() - skip);
                } catch (const geometry_error&) {  // e.g. an open ring: OGR closes it below
                }
            }
        }
        OGRGeometry* g = nullptr;
        if (OGRGeometryFactory::createFromWkb(w.data(), nullptr, &g, w.size()) != OGRERR_NONE || !g) return nullptr;
        OGRGeometryUniquePtr owned(g);
        item.wkb = ogr_wkb(g, item.closed_rings);
        return nullptr;
    }

    std::string layer_;
    const ReadOptions& opt_;
    std::deque<Chunk> chunks_;  // stable addresses while tasks run
    Chunk* filling_ = nullptr;
    std::vector<std::pair<std::size_t, FeatureNote>> notes_;  // (feature index, note), in reading order
    std::atomic<int> waiting_{0};  // chunks handed to other cores and not converted yet
    // Last: when reading fails part-way, its destructor cancels and waits for the conversions
    // before the chunks they work on go.
    tbb::task_group tasks_;
};

Layer make_layer(OGRLayer* l, const ReadOptions& opt) {
    OGRFeatureDefn* defn = l->GetLayerDefn();
    std::vector<Field> fields;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        OGRFieldDefn* fd = defn->GetFieldDefn(i);
        fields.push_back({fd->GetNameRef(), field_type(fd->GetType()), fd->GetAlternativeNameRef()});
    }
    std::optional<geo::Crs> crs = opt.source_crs;
    if (!crs) {
        if (const OGRSpatialReference* srs = l->GetSpatialRef()) {
            char* wkt = nullptr;
            const char* wkt_opts[] = {"FORMAT=WKT2_2019", nullptr};
            if (srs->exportToWkt(&wkt, wkt_opts) == OGRERR_NONE && wkt) {
                std::string text(wkt);
                CPLFree(wkt);
                crs = geo::Crs::parse(text);
            } else if (wkt) {
                CPLFree(wkt);
            }
        }
    }
    return Layer(l->GetName(), std::move(fields), std::move(crs), geometry_type_name(l->GetGeomType()));
}

// geometry_text_field: for CSV, the index of the kept WKT column (to report text GDAL could not parse).
// The geometry is left in `pending` (converted and checked there).
void add_feature(Layer& layer, OGRFeature& f, PendingGeometries& pending, int geometry_text_field = -1) {
    Feature out;
    out.fid = f.GetFID() == OGRNullFID ? static_cast<std::int64_t>(layer.size()) : f.GetFID();
    out.values.resize(layer.fields().size());
    for (std::size_t i = 0; i < layer.fields().size(); ++i) {
        int idx = static_cast<int>(i);
        if (!f.IsFieldSetAndNotNull(idx)) continue;
        switch (layer.fields()[i].type) {
            case FieldType::integer: out.values[i] = static_cast<std::int64_t>(f.GetFieldAsInteger64(idx)); break;
            case FieldType::real: out.values[i] = f.GetFieldAsDouble(idx); break;
            case FieldType::string: out.values[i] = std::string(f.GetFieldAsString(idx)); break;
        }
    }
    const std::size_t index = layer.size();
    if (OGRGeometry* g = f.GetGeometryRef()) {
        bool closed = false;
        auto wkb = ogr_wkb(g, closed);
        pending.add(index, out.fid, std::move(wkb), closed);
    } else if (geometry_text_field >= 0 && f.IsFieldSetAndNotNull(geometry_text_field) &&
               *f.GetFieldAsString(geometry_text_field) != '\0') {
        ++layer.invalid_geometries;
        std::string text = f.GetFieldAsString(geometry_text_field);
        if (text.size() > 60) text = text.substr(0, 60) + "…";
        pending.note(index, {layer.name(), out.fid, "unreadable geometry text '" + text + "'", N_("no geometry")});
    } else if (f.GetDefnRef()->GetGeomFieldCount() > 0) {
        pending.note(index, {layer.name(), out.fid, N_("null geometry"), N_("kept without geometry")});
    }
    layer.add(std::move(out));
}

// The layer's field names and text values as UTF-8, decoded from its encoding (shapefiles are read
// as raw bytes; other formats are UTF-8 already and only checked). Bytes not valid in the encoding
// are kept as "\xNN", counted, and reported in one warning naming the file and a first example.
void decode_texts(Layer& layer, const std::string& path, const ReadOptions& opt) {
    std::optional<TextDecoder> decoder;
    try {
        decoder.emplace(layer.encoding);
    } catch (const io_error& e) {
        if (opt.encoding) throw usage_error(trf("cannot read '{}': {}", path, e.what()) + tr(" ("), param{"encoding"}, tr(")"));
        throw io_error(trf("cannot read '{}': {}", path, e.what()));
    }
    std::string example;
    auto decode = [&](std::string& text, const std::string& where) {
        std::size_t before = decoder->escaped_texts();
        decoder->decode(text);
        if (example.empty() && decoder->escaped_texts() != before) example = where;
    };
    for (auto& f : layer.fields()) {
        decode(f.name, tr("a field name"));
        decode(f.alias, trf("the alias of field '{}'", f.name));
    }
    for (auto& feat : layer.features())
        for (std::size_t i = 0; i < feat.values.size() && i < layer.fields().size(); ++i)
            if (auto* s = std::get_if<std::string>(&feat.values[i]))
                decode(*s, trf("feature {}, field '{}'", feat.fid, layer.fields()[i].name));
    layer.escaped_texts = decoder->escaped_texts();
    if (layer.escaped_texts)
        layer.warnings.push_back(trf("'{}': {} text(s) not valid {} (first: {}); their undecodable bytes are kept as \\xNN; "
                                     "give the encoding when reading if it is another",
                                     path, layer.escaped_texts, layer.encoding, example));
}

void drop_field(Layer& layer, std::size_t index) {
    layer.fields().erase(layer.fields().begin() + static_cast<std::ptrdiff_t>(index));
    for (auto& f : layer.features()) f.values.erase(f.values.begin() + static_cast<std::ptrdiff_t>(index));
}

}  // namespace

namespace {

// A GeoPackage table whose fields are plain numbers and text is read through SQLite directly (GDAL
// gave the schema); false: not such a table, read through OGR.
bool read_gpkg_rows(const std::string& path, OGRLayer& l, Layer& layer, PendingGeometries& pending, const ReadOptions& opt) {
    OGRFeatureDefn* defn = l.GetLayerDefn();
    if (defn->GetGeomFieldCount() > 1 || std::string(l.GetFIDColumn()).empty()) return false;
    gpkg::RowReader what;
    what.table = l.GetName();
    what.fid_column = l.GetFIDColumn();
    if (defn->GetGeomFieldCount() == 1) what.geometry_column = l.GetGeometryColumn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        OGRFieldDefn* fd = defn->GetFieldDefn(i);
        auto t = fd->GetType();
        if (t != OFTInteger && t != OFTInteger64 && t != OFTReal && t != OFTString) return false;
        what.columns.emplace_back(fd->GetNameRef());
        what.types.push_back(field_type(t));
    }
    const GIntBig count = l.GetFeatureCount(FALSE);  // a GeoPackage keeps it: room for the features at once (a bounded hint)
    if (count > 0) layer.features().reserve(static_cast<std::size_t>(std::min<GIntBig>(count, 20'000'000)));
    const bool has_geometry = !what.geometry_column.empty();
    std::size_t done = 0;
    gpkg::read_rows(path, what, path, [&](std::int64_t fid, const unsigned char* blob, std::size_t size, std::vector<Value>&& values) {
        const std::size_t index = layer.size();
        if (blob) {
            if (auto wkb = gpkg::blob_wkb(blob, size)) {
                pending.add(index, fid, std::vector<unsigned char>(wkb->first, wkb->first + wkb->second), false, true);
            } else {
                ++layer.invalid_geometries;
                pending.note(index, {layer.name(), fid, N_("not a GeoPackage geometry"), N_("geometry removed")});
            }
        } else if (has_geometry) {
            pending.note(index, {layer.name(), fid, N_("null geometry"), N_("kept without geometry")});
        }
        layer.add({fid, nullptr, std::move(values)});
        if (opt.progress && ++done % 4096 == 0) opt.progress(done, count > 0 ? static_cast<std::size_t>(count) : 0);
    });
    return true;
}

}  // namespace

SourceSpec SourceSpec::parse(const std::string& text) {
    std::error_code ec;
    if (is_connection_string(text) || fs::exists(text, ec)) {
        // "PG:dbname=x:layer" is ambiguous; PostGIS layers are named with --layer or tables=.
        return {text, std::nullopt};
    }
    auto colon = text.rfind(':');
    if (colon != std::string::npos && colon > 0 && colon + 1 < text.size()) {
        std::string path = text.substr(0, colon);
        if (fs::exists(path, ec)) return {path, text.substr(colon + 1)};
    }
    return {text, std::nullopt};
}

static Dataset read_any(const std::string& path, const ReadOptions& opt) {
    ensure_gdal();
    std::error_code ec;
    bool conn = is_connection_string(path);
    if (!conn && !fs::exists(path, ec)) throw io_error(trf("cannot read '{}': {}", path, tr("no such file or directory")));
    if (!conn && fs::is_regular_file(path, ec) && ::access(path.c_str(), R_OK) != 0)
        throw io_error(trf("cannot read '{}': {}", path, tr("permission denied")));

    std::string ext = lower_ext(path);
    std::optional<EncodingChoice> enc;
    std::vector<std::string> open_opts;
    std::optional<geo::Crs> prj_crs;
    if (ext == ".shp" || ext == ".dbf") {
        fs::path dbf = fs::path(path).replace_extension(".dbf"), prj = fs::path(path).replace_extension(".prj");
        if (!fs::exists(dbf) && !fs::exists(fs::path(path).replace_extension(".DBF")))
            throw io_error(trf("cannot read '{}': its attribute file '{}' is missing", path, dbf.filename().string()));
        if (fs::exists(prj) && !opt.source_crs) {
            try {
                prj_crs = geo::Crs::parse(prj.string());
            } catch (const crs_error& e) {
                throw crs_error(trf("'{}': {}", prj.string(), e.what()));
            }
        }
        enc = shapefile_encoding(path, opt.encoding);
        open_opts.push_back("ENCODING=");  // GDAL passes the bytes through; decode_texts decodes them
    } else if (ext == ".csv") {
        open_opts = {"GEOM_POSSIBLE_NAMES=wkt,WKT,geometry,geom,the_geom",
                     "X_POSSIBLE_NAMES=lon,lng,longitude,x,经度",
                     "Y_POSSIBLE_NAMES=lat,latitude,y,纬度",
                     "KEEP_GEOM_COLUMNS=YES",
                     "AUTODETECT_TYPE=YES"};
    }
    std::vector<const char*> copts;
    for (auto& o : open_opts) copts.push_back(o.c_str());
    copts.push_back(nullptr);

    GdalErrorCapture cap;
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                                              nullptr, copts.data(), nullptr));
    if (!ds)
        throw io_error(trf("cannot open '{}': {}", path, cap.message().empty() ? tr("not a vector data source") : cap.message()));

    Dataset out;
    out.source = path;
    std::string driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    if (opt.layer && !ds->GetLayerByName(opt.layer->c_str())) {
        std::string names;
        for (auto* l : ds->GetLayers()) names += (names.empty() ? "" : ", ") + std::string(l->GetName());
        throw io_error(trf("'{}' has no layer '{}' (layers: {})", path, *opt.layer, names));
    }
    std::map<OGRLayer*, std::size_t> slot;
    for (auto* l : ds->GetLayers()) {
        if (opt.layer && *opt.layer != l->GetName()) continue;
        // QGIS's style table is metadata, not data: read only when asked for by name.
        if (!opt.layer && driver == "GPKG" && std::string(l->GetName()) == "layer_styles") continue;
        Layer layer = make_layer(l, opt);
        if (prj_crs && !layer.crs()) layer.set_crs(prj_crs);
        if (enc && !enc->warning.empty()) layer.warnings.push_back(enc->warning);
        if (enc && !enc->mixed_records.empty()) {
            const auto& mixed = enc->mixed_records;
            std::string ids;
            for (std::size_t k = 0; k < mixed.size() && k < 10; ++k) ids += (k ? ", " : "") + std::to_string(mixed[k]);
            layer.warnings.push_back(trf("mixed attribute encodings in '{}': record(s) {}{} differ from the rest (read as {}); "
                                         "check them or force the encoding when reading",
                                         path, ids, mixed.size() > 10 ? " …" : "", enc->encoding));
        }
        if (enc) {
            layer.encoding = enc->encoding;
            layer.encoding_source = enc->source + " (" + enc->detail + ")";
        } else {
            layer.encoding = "UTF-8";
            layer.encoding_source = "format";
        }
        slot[l] = out.layers.size();
        out.layers.push_back(std::move(layer));
    }
    if (driver == "OSM") {
        // The OSM driver must be read in file order across its layers.
        OGRLayer* from = nullptr;
        std::deque<PendingGeometries> pending;
        for (const auto& layer : out.layers) pending.emplace_back(layer.name(), opt);
        while (true) {
            OGRFeatureUniquePtr f(ds->GetNextFeature(&from, nullptr, nullptr, nullptr));
            if (!f) break;
            auto it = slot.find(from);
            if (it != slot.end()) add_feature(out.layers[it->second], *f, pending[it->second]);
        }
        for (std::size_t i = 0; i < out.layers.size(); ++i) pending[i].finish(out.layers[i]);
    } else {
        for (auto& [l, i] : slot) {
            l->ResetReading();
            Layer& layer = out.layers[i];
            int text_field = -1;
            if (driver == "CSV" && l->GetLayerDefn()->GetGeomFieldCount() > 0) {
                for (const char* name : {"wkt", "geometry", "geom", "the_geom"}) {
                    int idx = layer.field_index(name);
                    if (idx < 0) {
                        std::string upper(name);
                        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                        idx = layer.field_index(upper);
                    }
                    if (idx >= 0) {
                        text_field = idx;
                        break;
                    }
                }
            }
            GIntBig count = opt.progress ? l->GetFeatureCount(FALSE) : -1;
            std::size_t total = count > 0 ? static_cast<std::size_t>(count) : 0, done = 0;
            PendingGeometries pending(layer.name(), opt);
            if (driver == "GPKG" && read_gpkg_rows(path, *l, layer, pending, opt)) {
                pending.finish(layer);
                if (opt.progress) opt.progress(layer.size(), layer.size());
                continue;
            }
            for (auto& f : *l) {
                add_feature(layer, *f, pending, text_field);
                if (opt.progress && ++done % 4096 == 0) opt.progress(done, total);
            }
            pending.finish(layer);
            if (opt.progress) opt.progress(done, done);  // finished
            if (text_field >= 0) drop_field(layer, static_cast<std::size_t>(text_field));
        }
    }
    for (auto& layer : out.layers) decode_texts(layer, path, opt);
    if (!cap.message().empty()) throw io_error(trf("error reading '{}': {}", path, cap.message()));
    return out;
}

Dataset read(const std::string& path, const ReadOptions& opt) {
    if (!is_postgis(path)) return read_any(path, opt);
    // A database: opened in keyword form (URIs converted); no message leaves with its password.
    return with_redacted_errors([&] {
        Dataset ds = read_any(pg_keyword_form(path), opt);
        ds.source = path;
        return ds;
    });
}

Layer read_layer(const std::string& path, const ReadOptions& opt) {
    Dataset ds = read(path, opt);
    if (ds.layers.empty()) throw io_error(redact_connection(trf("'{}' has no layers", path)));
    return std::move(ds.layers.front());
}

Layer read_layer(const SourceSpec& spec, ReadOptions opt) {
    if (spec.layer) opt.layer = spec.layer;
    return read_layer(spec.path, opt);
}

std::string driver_for_path(const std::string& path) {
    if (is_postgis(path)) return "PostgreSQL";
    if (is_connection_string(path)) {
        std::string prefix = path.substr(0, path.find(':'));
        if (prefix == "PG") return "PostgreSQL";
        return prefix;
    }
    std::string ext = lower_ext(path);
    if (ext == ".gpkg") return "GPKG";
    if (ext == ".geojson" || ext == ".json") return "GeoJSON";
    if (ext == ".shp") return "ESRI Shapefile";
    if (ext == ".fgb") return "FlatGeobuf";
    if (ext == ".csv") return "CSV";
    throw usage_error(trf("cannot tell the output format of '{}': use .gpkg, .geojson, .shp, .fgb or .csv", path));
}

std::vector<std::string> shorten_field_names(const std::vector<std::string>& names, std::size_t max_bytes) {
    auto cut = [](const std::string& s, std::size_t n) {
        if (s.size() <= n) return s;
        std::size_t end = n;
        while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;  // UTF-8 boundary
        return s.substr(0, end);
    };
    std::vector<std::string> out;
    std::set<std::string> used;
    for (const auto& n : names) {
        std::string s = cut(n, max_bytes);
        for (int k = 1; used.count(s); ++k) {
            std::string suffix = "_" + std::to_string(k);
            s = cut(n, max_bytes - suffix.size()) + suffix;
        }
        used.insert(s);
        out.push_back(s);
    }
    return out;
}

namespace {

OGRFieldType ogr_type(FieldType t) {
    switch (t) {
        case FieldType::integer: return OFTInteger64;
        case FieldType::real: return OFTReal;
        case FieldType::string: return OFTString;
    }
    return OFTString;
}

// Creates the layer and writes its features through OGR; with `bulk` (GeoPackage), only creates it
// and tells where its rows go (gpkg::insert_features writes them once GDAL has closed the file).
void write_layer(GDALDataset& ds, const Layer& layer, const std::string& driver, const std::string& path,
                 WriteReport& report, bool spatial_index = true, bool in_transaction = false,
                 std::vector<gpkg::TableTarget>* bulk = nullptr) {
    OGRSpatialReference srs;
    OGRSpatialReference* srs_ptr = nullptr;
    if (layer.crs()) {
        if (srs.importFromWkt(layer.crs()->wkt().c_str()) == OGRERR_NONE) {
            srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            srs_ptr = &srs;
        }
    }
    OGRwkbGeometryType gtype = geometry_type_code(layer.geometry_type());
    std::vector<std::string> lco;
    bool shp = driver == "ESRI Shapefile";
    if (shp) lco.push_back("ENCODING=UTF-8");
    if (driver == "GPKG") lco.push_back(spatial_index ? "SPATIAL_INDEX=YES" : "SPATIAL_INDEX=NO");
    if (driver == "GeoJSON") lco.push_back("RFC7946=NO");
    if (driver == "PostgreSQL") lco.push_back("LAUNDER=NO");  // names kept as they are (Chinese, capitals)
    std::vector<const char*> clco;
    for (auto& o : lco) clco.push_back(o.c_str());
    clco.push_back(nullptr);
    OGRLayer* out = ds.CreateLayer(layer.name().c_str(), srs_ptr, gtype, const_cast<char**>(clco.data()));
    if (!out) throw io_error(trf("cannot create layer '{}' in '{}'", layer.name(), path));

    std::vector<std::string> names;
    for (const auto& f : layer.fields()) names.push_back(f.name);
    std::vector<std::string> written = shp ? shorten_field_names(names) : names;
    for (std::size_t i = 0; i < layer.fields().size(); ++i) {
        const auto& f = layer.fields()[i];
        OGRFieldDefn fd(written[i].c_str(), ogr_type(f.type));
        std::string alias = !f.alias.empty() ? f.alias : (written[i] != f.name ? f.name : std::string());
        if (!alias.empty()) fd.SetAlternativeName(alias.c_str());
        if (out->CreateField(&fd) != OGRERR_NONE)
            throw io_error(trf("cannot create field '{}' in layer '{}' of '{}'", f.name, layer.name(), path));
        if (written[i] != f.name) report.renamed_fields.emplace_back(written[i], f.name);
    }
    OGRFeatureDefn* defn = out->GetLayerDefn();
    if (bulk) {
        gpkg::TableTarget t{&layer, out->GetName(), gtype == wkbNone ? std::string() : std::string(out->GetGeometryColumn()), {}};
        for (int i = 0; i < defn->GetFieldCount(); ++i) t.columns.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
        bulk->push_back(std::move(t));
        return;
    }
    const bool transactions = !in_transaction && ds.TestCapability(ODsCTransactions);  // one per layer unless the caller holds one
    if (transactions) ds.StartTransaction();
    RowView made;
    for (std::size_t r = 0; r < layer.row_count(); ++r) {
        if (layer.row_source()) layer.row_source()(r, made);
        const std::int64_t fid = layer.row_source() ? made.fid : layer.features()[r].fid;
        const std::vector<Value>& values = layer.row_source() ? made.values : layer.features()[r].values;
        const GEOSGeometry* geometry = layer.row_source() ? made.geometry : layer.features()[r].geometry.get();
        OGRFeature of(defn);
        for (std::size_t i = 0; i < values.size() && i < layer.fields().size(); ++i) {
            const auto& v = values[i];
            int idx = static_cast<int>(i);
            if (std::holds_alternative<std::int64_t>(v)) of.SetField(idx, static_cast<GIntBig>(std::get<std::int64_t>(v)));
            else if (std::holds_alternative<double>(v)) of.SetField(idx, std::get<double>(v));
            else if (std::holds_alternative<std::string>(v)) of.SetField(idx, std::get<std::string>(v).c_str());
            else of.SetFieldNull(idx);
        }
        if (geometry) {
            auto wkb = geo::to_wkb(geometry);
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g)
                throw io_error(trf("layer '{}', feature {}: cannot encode geometry", layer.name(), fid));
            OGRwkbGeometryType flat = wkbFlatten(gtype);
            if ((flat == wkbMultiPolygon || flat == wkbMultiLineString || flat == wkbMultiPoint) &&
                wkbFlatten(g->getGeometryType()) != flat)
                g = OGRGeometryFactory::forceTo(g, flat);
            of.SetGeometryDirectly(g);
        }
        if (out->CreateFeature(&of) != OGRERR_NONE)
            throw io_error(trf("cannot write feature {} of layer '{}' to '{}'", fid, layer.name(), path));
    }
    if (transactions && ds.CommitTransaction() != OGRERR_NONE)
        throw io_error(trf("cannot commit layer '{}' to '{}'", layer.name(), path));
}

}  // namespace

namespace {

std::string sqlite_text(const std::string& text) {
    std::string q = "'";
    for (char c : text) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
}

// QGIS's layer_styles table (the schema QGIS creates), registered as an attributes table.
void write_layer_styles(GDALDataset& ds, const std::vector<const Layer*>& layers, const StyleProvider& provider,
                        const std::string& path) {
    if (!provider) return;
    std::vector<std::string> rows;
    for (const Layer* l : layers) {
        if (l->geometry_type() == "None") continue;
        auto st = provider(*l);
        if (!st) continue;
        rows.push_back("('', '', " + sqlite_text(l->name()) + ", 'geom', " + sqlite_text(st->name) + ", " + sqlite_text(st->qml) +
                       ", " + sqlite_text(st->sld) + ", 1, " + sqlite_text(st->description) + ", '', NULL, " +
                       "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    }
    if (rows.empty()) return;
    GdalErrorCapture cap;
    auto exec = [&](const std::string& sql) {
        OGRLayer* r = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
        if (r) ds.ReleaseResultSet(r);
        if (!cap.message().empty()) throw io_error(trf("cannot write the QGIS styles of '{}': {}", path, cap.message()));
    };
    exec("CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, f_table_catalog TEXT(256), "
         "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, "
         "styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME)");
    exec("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES ('layer_styles', "
         "'attributes', 'layer_styles', 'QGIS layer styles', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    for (const auto& r : rows)
        exec("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, "
             "styleSLD, useAsDefault, description, owner, ui, update_time) VALUES " + r);
}

}  // namespace

namespace {

// An R-tree per table with geometries, through GDAL's own CreateSpatialIndex (its triggers and
// gpkg_extensions rows as GDAL writes them).
void build_spatial_indexes(const std::string& file, const std::vector<gpkg::TableTarget>& tables, const std::string& path) {
    GdalErrorCapture cap;
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
    if (!ds) throw io_error(trf("error writing '{}': {}", path, cap.message()));
    for (const auto& t : tables) {
        if (t.geometry_column.empty()) continue;
        std::string sql = "SELECT CreateSpatialIndex(" + sqlite_text(t.table) + ", " + sqlite_text(t.geometry_column) + ")";
        OGRLayer* r = ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
        if (r) ds->ReleaseResultSet(r);
    }
    ds.reset();
    if (!cap.message().empty()) throw io_error(trf("error writing '{}': {}", path, cap.message()));
}

}  // namespace

// Into a database (opened in keyword form, URIs converted); messages are redacted by the caller.
static WriteReport write_postgis(const std::vector<const Layer*>& layers, const std::string& path, WriteReport report) {
    GdalErrorCapture cap;
    std::string conn = pg_keyword_form(path);
    GDALDatasetUniquePtr ds(GDALDataset::Open(conn.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
    if (!ds) throw io_error(trf("cannot open '{}' for writing: {}", path, cap.message()));
    // One transaction: a failure part-way leaves none of the layers in the database.
    if (ds->StartTransaction(FALSE) != OGRERR_NONE)
        throw io_error(trf("cannot start a transaction in '{}': {}", path, cap.message()));
    try {
        for (const Layer* l : layers) write_layer(*ds, *l, report.format, path, report, true, true);
        if (!cap.message().empty()) throw io_error(trf("error writing '{}': {}", path, cap.message()));
    } catch (...) {
        ds->RollbackTransaction();
        throw;
    }
    if (ds->CommitTransaction() != OGRERR_NONE) throw io_error(trf("cannot commit the layers to '{}': {}", path, cap.message()));
    ds.reset();
    return report;
}

WriteReport write(const std::vector<const Layer*>& layers, const std::string& path, const WriteOptions& opt) {
    ensure_gdal();
    WriteReport report;
    report.format = opt.format.empty() ? driver_for_path(path) : opt.format;
    bool single = report.format == "GeoJSON" || report.format == "ESRI Shapefile" || report.format == "FlatGeobuf" ||
                  report.format == "CSV";
    if (single && layers.size() != 1)
        throw usage_error(trf("'{}' ({}) holds one layer but there are {}; read one layer (", path, report.format, layers.size()),
                          param{"layer"}, tr(") or write a .gpkg"));
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(report.format.c_str());
    if (!drv) throw io_error(trf("GDAL has no driver '{}'", report.format));

    if (report.format == "PostgreSQL") return with_redacted_errors([&] { return write_postgis(layers, path, report); });

    fs::path target = fs::absolute(path);
    fs::path parent = target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) throw io_error(trf("cannot write '{}': folder '{}' does not exist", path, parent.string()));
    if (fs::is_directory(target, ec)) throw io_error(trf("cannot write '{}': it is a folder", path));
    core::TempDir tmp(parent);
    fs::path tmp_file = tmp.path() / target.filename();
    {
        GdalErrorCapture cap;
        GDALDatasetUniquePtr ds(drv->Create(tmp_file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw io_error(trf("cannot create '{}': {}", path, cap.message()));
        // GeoPackage: GDAL writes the schema, the rows go in in bulk once it has closed the file,
        // then the R-trees are built (faster after the rows than row by row).
        const bool gpkg = report.format == "GPKG";
        std::vector<gpkg::TableTarget> bulk;
        for (const Layer* l : layers)
            write_layer(*ds, *l, report.format, path, report, opt.spatial_index && !gpkg, false, gpkg ? &bulk : nullptr);
        if (gpkg) write_layer_styles(*ds, layers, opt.styles, path);
        for (const auto& [key, value] : opt.metadata) ds->SetMetadataItem(key.c_str(), value.c_str());
        ds->FlushCache(true);
        ds.reset();  // closes the file
        if (!cap.message().empty())
            throw io_error(trf("error writing '{}': {}", path, cap.message().empty() ? tr("close failed") : cap.message()));
        if (gpkg) {
            gpkg::insert_features(tmp_file.string(), bulk, path);
            if (opt.spatial_index) build_spatial_indexes(tmp_file.string(), bulk, path);
        }
    }
    if (report.format == "ESRI Shapefile" && !report.renamed_fields.empty()) {
        fs::path map = tmp_file;
        map.replace_extension(".fields.csv");
        std::ofstream out(map);
        out << "short_name,original_name\n";
        for (const auto& [s, o] : report.renamed_fields) out << core::csv_row({s, o});
        if (!out.flush()) throw io_error(trf("cannot write field map beside '{}'", path));
        report.field_map_path = (parent / map.filename()).string();
    }
    // Everything is complete: move each file into place.
    for (const auto& entry : fs::directory_iterator(tmp.path())) {
        fs::rename(entry.path(), parent / entry.path().filename(), ec);
        if (ec) throw io_error(trf("cannot move '{}' into '{}': {}", entry.path().filename().string(), parent.string(), ec.message()));
    }
    return report;
}

std::map<std::string, std::string> read_metadata(const std::string& path) {
    ensure_gdal();
    GdalErrorCapture cap;
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!ds) throw io_error(cap.message().empty() ? trf("cannot read '{}'", path) : trf("cannot read '{}': {}", path, cap.message()));
    std::map<std::string, std::string> out;
    if (char** items = ds->GetMetadata()) {
        for (char** it = items; *it; ++it) {
            char* key = nullptr;
            const char* value = CPLParseNameValue(*it, &key);
            if (key && value) out.emplace(key, value);
            CPLFree(key);
        }
    }
    return out;
}

WriteReport write(const Dataset& ds, const std::string& path, const WriteOptions& opt) {
    std::vector<const Layer*> layers;
    for (const auto& l : ds.layers) layers.push_back(&l);
    return write(layers, path, opt);
}

WriteReport write(const Layer& layer, const std::string& path, const WriteOptions& opt) {
    return write(std::vector<const Layer*>{&layer}, path, opt);
}

}  // namespace planmap::layers
