#include "layers/crs_hints.hpp"

#include <cmath>
#include <numbers>

#include "core/i18n.hpp"
#include "geo/china_coords.hpp"
#include "layers/feature.hpp"

namespace planmap::layers {

namespace {

// Northings of Gauss-Krüger coordinates in China (about 3°N to 55°N) and the distance from the
// central meridian an easting may have (a 6-degree zone is about 330 km wide each side at 20°N).
constexpr double kMinNorthing = 300'000, kMaxNorthing = 6'100'000;
constexpr double kFalseEasting = 500'000, kMaxOffset = 350'000;
// China in longitude/latitude, for the Web Mercator test.
constexpr double kChinaWest = 73, kChinaEast = 136, kChinaSouth = 3, kChinaNorth = 54;

// The EPSG series of the Chinese Gauss-Krüger CRSs of one datum.
struct Series {
    const char* datum;
    int zone3_25;  // 3-degree zone-prefixed, zone 25 (75°E); zones 25–45 follow
    int zone6_13;  // 6-degree zone-prefixed, zone 13 (75°E); zones 13–23 follow
    int cm3_75;    // 3-degree, no zone in x, central meridian 75°E; 78°E … 135°E follow
};
// CGCS2000 first (the national datum since 2008), then the older Xian 1980 and Beijing 1954.
constexpr Series kSeries[] = {{"CGCS2000", 4513, 4491, 4534}, {"Xian 1980", 2349, 2327, 2370}, {"Beijing 1954", 2401, 21413, 2422}};

const char* kLegacyDatums =
    N_("Xian 1980 and Beijing 1954 differ from CGCS2000 by a datum shift planmap has no parameters for "
       "(tens of metres or more): take them only when the data's source says so");

bool between(double v, double lo, double hi) { return v >= lo && v <= hi; }

int zone_of(double x) { return static_cast<int>(std::floor(x / 1e6)); }

// The zone number in front of x when both ends of the extent carry the same one in [first, last].
int prefixed_zone(const geo::Envelope& e, int first, int last) {
    int z = zone_of(e.minx);
    if (z != zone_of(e.maxx) || z < first || z > last) return 0;
    double base = z * 1e6 + kFalseEasting;
    return between(e.minx - base, -kMaxOffset, kMaxOffset) && between(e.maxx - base, -kMaxOffset, kMaxOffset) ? z : 0;
}

double mercator_x(double lon) { return 6378137.0 * lon * std::numbers::pi / 180; }
double mercator_y(double lat) { return 6378137.0 * std::log(std::tan(std::numbers::pi / 4 + lat * std::numbers::pi / 360)); }

}  // namespace

std::string CrsCandidate::code() const {
    std::string s = "EPSG:" + std::to_string(epsg);
    return epsg_last == epsg ? s : s + "…EPSG:" + std::to_string(epsg_last);
}

std::string CrsHints::summary() const {
    if (empty()) return {};
    std::string looks, codes;
    for (std::size_t i = 0; i < readings.size(); ++i) looks += (i ? tr(" or ") : "") + readings[i];
    for (std::size_t i = 0; i < candidates.size(); ++i)
        codes += (i ? tr(", ") : "") + candidates[i].code() + " (" + candidates[i].name + ")";
    std::string s = trf("its coordinates look like {}: {}", looks, codes);
    for (const auto& c : cautions) s += tr("; ") + c;
    return s;
}

CrsHints crs_hints(const geo::Envelope& e) {
    CrsHints h;
    if (e.empty || !std::isfinite(e.minx) || !std::isfinite(e.maxx) || !std::isfinite(e.miny) || !std::isfinite(e.maxy))
        return h;
    auto add = [&](int epsg, int last, std::string name) { h.candidates.push_back({epsg, last, std::move(name)}); };

    if (between(e.minx, -180, 180) && between(e.maxx, -180, 180) && between(e.miny, -90, 90) && between(e.maxy, -90, 90)) {
        bool china = geo::in_china_bbox(e.minx, e.miny) && geo::in_china_bbox(e.maxx, e.maxy);
        h.readings.push_back(china ? tr("longitude/latitude in China") : tr("longitude/latitude"));
        if (china) add(4490, 4490, "China Geodetic Coordinate System 2000");
        add(4326, 4326, "WGS 84");
        if (china)
            h.cautions.push_back(tr("CGCS2000 and WGS 84 agree to about a metre; data from AMap, Tencent or other online maps "
                                    "in China may be GCJ-02 (give GCJ02), from Baidu BD-09 (BD09)"));
        return h;
    }
    bool northings = between(e.miny, kMinNorthing, kMaxNorthing) && between(e.maxy, kMinNorthing, kMaxNorthing);
    if (northings) {
        if (int z = prefixed_zone(e, 25, 45)) {
            h.readings.push_back(trf("3-degree Gauss-Krüger with the zone in x (zone {}, central meridian {}°E)", z, 3 * z));
            for (const auto& s : kSeries)
                add(s.zone3_25 + z - 25, s.zone3_25 + z - 25, std::string(s.datum) + " / 3-degree Gauss-Kruger zone " + std::to_string(z));
        } else if (int z6 = prefixed_zone(e, 13, 23)) {
            h.readings.push_back(trf("6-degree Gauss-Krüger with the zone in x (zone {}, central meridian {}°E)", z6, 6 * z6 - 3));
            for (const auto& s : kSeries)
                add(s.zone6_13 + z6 - 13, s.zone6_13 + z6 - 13, std::string(s.datum) + " / Gauss-Kruger zone " + std::to_string(z6));
        } else if (between(e.minx, kFalseEasting - kMaxOffset, kFalseEasting + kMaxOffset) &&
                   between(e.maxx, kFalseEasting - kMaxOffset, kFalseEasting + kMaxOffset)) {
            h.readings.push_back(tr("Gauss-Krüger eastings without a zone in x"));
            for (const auto& s : kSeries)
                add(s.cm3_75, s.cm3_75 + 20, std::string(s.datum) + " / 3-degree Gauss-Kruger CM 75E…135E");
            h.cautions.push_back(tr("the central meridian is not in the coordinates: take the code whose meridian (75°E, 78°E … "
                                    "135°E, one code each in that order) is nearest the data's place"));
        }
        if (!h.empty()) h.cautions.push_back(tr(kLegacyDatums));
    }
    if (between(e.minx, mercator_x(kChinaWest), mercator_x(kChinaEast)) &&
        between(e.maxx, mercator_x(kChinaWest), mercator_x(kChinaEast)) &&
        between(e.miny, mercator_y(kChinaSouth), mercator_y(kChinaNorth)) &&
        between(e.maxy, mercator_y(kChinaSouth), mercator_y(kChinaNorth))) {
        h.readings.push_back(tr("Web Mercator over China"));
        add(3857, 3857, "WGS 84 / Pseudo-Mercator");
        h.cautions.push_back(tr("Web Mercator from online maps in China is often GCJ-02 shifted as well"));
    }
    return h;
}

crs_error missing_crs_error(const Layer& layer, const std::string& parameter, const std::string& source) {
    std::string hint = crs_hints(layer.extent()).summary();
    std::string layer_text = source.empty() ? trf("layer '{}'", layer.name()) : trf("layer '{}' of '{}'", layer.name(), source);
    std::string tail = hint.empty() ? "" : tr("; ") + hint;
    if (parameter.empty()) return crs_error(trf("{} has no CRS", layer_text) + tail);
    return crs_error(trf("{} has no CRS; give its source CRS (", layer_text), param{parameter}, tr(")") + tail);
}

}  // namespace planmap::layers
