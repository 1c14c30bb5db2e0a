#include "geo/crs.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/i18n.hpp"
#include "geo/china_coords.hpp"
#include "geo/proj.hpp"

namespace planmap::geo {

namespace {

ProjContextPtr new_context() {
    ProjContextPtr ctx(proj_context_create());
    proj_log_level(ctx.get(), PJ_LOG_NONE);
    return ctx;
}

std::string upper_alnum(const std::string& s) {
    std::string out;
    for (char c : s)
        if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    auto e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<int> id_code(PJ_CONTEXT* ctx, PJ* pj) {
    const char* auth = proj_get_id_auth_name(pj, 0);
    const char* code = proj_get_id_code(pj, 0);
    if (auth && code && std::string(auth) == "EPSG") {
        try {
            return std::stoi(code);
        } catch (...) {
        }
    }
    (void)ctx;
    return std::nullopt;
}

bool is_geographic_type(PJ_TYPE t) {
    return t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS || t == PJ_TYPE_GEOGRAPHIC_CRS;
}

}  // namespace

Crs Crs::from_epsg(int code) { return parse("EPSG:" + std::to_string(code)); }

Crs Crs::parse(const std::string& raw) {
    std::string text = trim(raw);
    if (text.empty()) throw crs_error(tr("empty CRS string"));
    std::string key = upper_alnum(text);
    if (key == "GCJ02" || key == "GCJ" || key == "AMAP" || key == "GCJ02LONLAT") {
        Crs c = wgs84();
        c.kind_ = Kind::gcj02;
        c.name_ = "GCJ02";
        return c;
    }
    if (key == "BD09" || key == "BD09LL" || key == "BAIDU") {
        Crs c = wgs84();
        c.kind_ = Kind::bd09;
        c.name_ = "BD09";
        return c;
    }
    std::string source = text;
    if (std::all_of(text.begin(), text.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
        source = "EPSG:" + text;
    else if (text.size() < 4096 && text.find('[') == std::string::npos && text.find('{') == std::string::npos &&
             text.find(':') == std::string::npos && text.find('+') != 0) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(text, ec)) {
            std::ifstream in(text, std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            source = trim(ss.str());
            if (source.empty()) throw crs_error(trf("CRS file '{}' is empty", text));
        }
    }
    auto ctx = new_context();
    PjPtr pj(proj_create(ctx.get(), source.c_str()), PjDeleter{ctx.get()});
    if (!pj || !proj_is_crs(pj.get()))
        throw crs_error(trf("unknown CRS '{}'", text.size() > 80 ? text.substr(0, 80) + "…" : text));
    if (proj_get_type(pj.get()) == PJ_TYPE_BOUND_CRS) {
        PjPtr base(proj_get_source_crs(ctx.get(), pj.get()), PjDeleter{ctx.get()});
        if (base) pj = std::move(base);
    }
    Crs c;
    c.kind_ = Kind::proj;
    const char* name = proj_get_name(pj.get());
    c.name_ = name ? name : "unnamed";
    c.epsg_ = id_code(ctx.get(), pj.get());
    if (!c.epsg_) {
        int* confidence = nullptr;
        PjListPtr list(proj_identify(ctx.get(), pj.get(), "EPSG", nullptr, &confidence));
        if (list && proj_list_get_count(list.get()) > 0 && confidence && confidence[0] >= 70) {
            PjPtr best(proj_list_get(ctx.get(), list.get(), 0), PjDeleter{ctx.get()});
            c.epsg_ = id_code(ctx.get(), best.get());
        }
        if (confidence) proj_int_list_destroy(confidence);
    }
    c.geographic_ = is_geographic_type(proj_get_type(pj.get()));
    PjPtr datum(proj_crs_get_datum_forced(ctx.get(), pj.get()), PjDeleter{ctx.get()});
    if (datum) c.datum_epsg_ = id_code(ctx.get(), datum.get());
    const char* wkt = proj_as_wkt(ctx.get(), pj.get(), PJ_WKT2_2019, nullptr);
    if (!wkt) throw crs_error(trf("CRS '{}' cannot be expressed as WKT", text));
    c.definition_ = wkt;
    return c;
}

std::string Crs::label() const {
    if (kind_ == Kind::gcj02) return "GCJ02";
    if (kind_ == Kind::bd09) return "BD09";
    if (epsg_) return "EPSG:" + std::to_string(*epsg_);
    return name_;
}

bool Crs::same_as(const Crs& o) const {
    if (kind_ != o.kind_) return false;
    if (epsg_ && o.epsg_) return *epsg_ == *o.epsg_;
    return definition_ == o.definition_;
}

struct Transformer::Impl {
    Crs::Kind pre = Crs::Kind::proj;
    Crs::Kind post = Crs::Kind::proj;
    ProjContextPtr ctx;
    PjPtr op;
    bool identity = false;
    std::vector<std::string> warnings;
};

Transformer::Transformer(const Crs& from, const Crs& to) : impl_(std::make_unique<Impl>()) {
    impl_->pre = from.kind();
    impl_->post = to.kind();
    if (from.same_as(to)) {
        impl_->identity = true;
        return;
    }
    if (from.definition() == to.definition()) return;  // only the pseudo steps differ
    impl_->ctx = new_context();
    auto* ctx = impl_->ctx.get();
    PjPtr src(proj_create(ctx, from.definition().c_str()), PjDeleter{ctx});
    PjPtr dst(proj_create(ctx, to.definition().c_str()), PjDeleter{ctx});
    if (!src || !dst) throw crs_error(trf("cannot use CRS {} or {}", from.label(), to.label()));
    PjPtr op(proj_create_crs_to_crs_from_pj(ctx, src.get(), dst.get(), nullptr, nullptr), PjDeleter{ctx});
    if (!op) throw crs_error(trf("no transformation from {} to {}", from.label(), to.label()));
    PjPtr norm(proj_normalize_for_visualization(ctx, op.get()), PjDeleter{ctx});
    if (!norm) throw crs_error(trf("cannot normalise axis order from {} to {}", from.label(), to.label()));
    impl_->op = std::move(norm);
    auto legacy = [](std::optional<int> d) { return d && (*d == 6214 || *d == 6610); };
    if ((legacy(from.datum_epsg()) || legacy(to.datum_epsg())) && from.datum_epsg() != to.datum_epsg() &&
        proj_coordoperation_has_ballpark_transformation(ctx, impl_->op.get())) {
        impl_->warnings.push_back(trf("no datum shift is known between {} and {} (Beijing 1954 / Xian 1980): coordinates "
                                      "may be off by tens to hundreds of metres",
                                      from.label(), to.label()));
    }
}

Transformer::~Transformer() = default;
Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;

bool Transformer::is_identity() const noexcept { return impl_->identity; }
const std::vector<std::string>& Transformer::warnings() const noexcept { return impl_->warnings; }

namespace {
template <class Fn>
void apply(double* x, double* y, std::size_t n, Fn fn) {
    for (std::size_t i = 0; i < n; ++i) {
        LonLat p = fn(LonLat{x[i], y[i]});
        x[i] = p.lon;
        y[i] = p.lat;
    }
}
}  // namespace

std::size_t Transformer::transform(double* x, double* y, std::size_t n) const {
    if (impl_->identity || n == 0) return 0;
    if (impl_->pre == Crs::Kind::gcj02) apply(x, y, n, gcj02_to_wgs84);
    if (impl_->pre == Crs::Kind::bd09) apply(x, y, n, bd09_to_wgs84);
    if (impl_->op) {
        proj_errno_reset(impl_->op.get());
        proj_trans_generic(impl_->op.get(), PJ_FWD, x, sizeof(double), n, y, sizeof(double), n, nullptr, 0, 0,
                           nullptr, 0, 0);
    }
    if (impl_->post == Crs::Kind::gcj02) apply(x, y, n, wgs84_to_gcj02);
    if (impl_->post == Crs::Kind::bd09) apply(x, y, n, wgs84_to_bd09);
    std::size_t failed = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
            x[i] = y[i] = std::numeric_limits<double>::infinity();
            ++failed;
        }
    }
    return failed;
}

void Transformer::transform_point(double& x, double& y) const {
    if (transform(&x, &y, 1)) throw crs_error(tr("coordinate cannot be transformed"));
}

GeomPtr Transformer::transform(const GEOSGeometry* g) const {
    if (impl_->identity) return clone(g);
    std::size_t failed = 0;
    auto out = transform_coords(g, [&](double* x, double* y, std::size_t n) { failed += transform(x, y, n); });
    if (failed) throw crs_error(trf("{} coordinate(s) cannot be transformed", failed));
    return out;
}

Crs analysis_crs_for(double lon, double lat) {
    if (lon >= 73.5 && lon < 136.5 && lat >= 3 && lat <= 54) {
        int zone_cm = static_cast<int>(std::lround(lon / 3.0)) * 3;  // 75 … 135
        zone_cm = std::clamp(zone_cm, 75, 135);
        return Crs::from_epsg(4534 + (zone_cm - 75) / 3);
    }
    int zone = std::clamp(static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1, 1, 60);
    return Crs::from_epsg((lat >= 0 ? 32600 : 32700) + zone);
}

}  // namespace planmap::geo
