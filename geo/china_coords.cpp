#include "geo/china_coords.hpp"

#include <cmath>
#include <numbers>

namespace planmap::geo {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kA = 6378245.0;                 // Krasovsky 1940 semi-major axis
constexpr double kEe = 0.006693421622965823;     // its first eccentricity squared
constexpr double kBaidu = kPi * 3000.0 / 180.0;
constexpr double kTolDeg = 1e-10;
constexpr int kMaxIter = 50;

double transform_lat(double x, double y) {
    double r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
    r += (20 * std::sin(6 * x * kPi) + 20 * std::sin(2 * x * kPi)) * 2 / 3;
    r += (20 * std::sin(y * kPi) + 40 * std::sin(y / 3 * kPi)) * 2 / 3;
    r += (160 * std::sin(y / 12 * kPi) + 320 * std::sin(y * kPi / 30)) * 2 / 3;
    return r;
}

double transform_lon(double x, double y) {
    double r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
    r += (20 * std::sin(6 * x * kPi) + 20 * std::sin(2 * x * kPi)) * 2 / 3;
    r += (20 * std::sin(x * kPi) + 40 * std::sin(x / 3 * kPi)) * 2 / 3;
    r += (150 * std::sin(x / 12 * kPi) + 300 * std::sin(x / 30 * kPi)) * 2 / 3;
    return r;
}

LonLat gcj_delta(double lon, double lat) {
    double dlon = transform_lon(lon - 105, lat - 35);
    double dlat = transform_lat(lon - 105, lat - 35);
    double rad = lat / 180 * kPi;
    double magic = std::sin(rad);
    magic = 1 - kEe * magic * magic;
    double sq = std::sqrt(magic);
    dlon = dlon * 180 / (kA / sq * std::cos(rad) * kPi);
    dlat = dlat * 180 / (kA * (1 - kEe) / (magic * sq) * kPi);
    return {dlon, dlat};
}

// Solves forward(x) = target by fixed-point iteration x ← x − (forward(x) − target); the
// obfuscation's derivative is within 1e-3 of identity, so this converges fast.
template <class Forward>
LonLat invert(LonLat target, LonLat start, Forward forward) {
    LonLat x = start;
    for (int i = 0; i < kMaxIter; ++i) {
        LonLat f = forward(x);
        double dx = f.lon - target.lon, dy = f.lat - target.lat;
        x.lon -= dx;
        x.lat -= dy;
        if (std::abs(dx) < kTolDeg && std::abs(dy) < kTolDeg) break;
    }
    return x;
}

}  // namespace

bool in_china_bbox(double lon, double lat) {
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

LonLat wgs84_to_gcj02(LonLat p) {
    if (!in_china_bbox(p.lon, p.lat)) return p;
    LonLat d = gcj_delta(p.lon, p.lat);
    return {p.lon + d.lon, p.lat + d.lat};
}

LonLat gcj02_to_wgs84(LonLat p) {
    if (!in_china_bbox(p.lon, p.lat)) return p;
    return invert(p, p, wgs84_to_gcj02);
}

LonLat gcj02_to_bd09(LonLat p) {
    double z = std::sqrt(p.lon * p.lon + p.lat * p.lat) + 0.00002 * std::sin(p.lat * kBaidu);
    double theta = std::atan2(p.lat, p.lon) + 0.000003 * std::cos(p.lon * kBaidu);
    return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

LonLat bd09_to_gcj02(LonLat p) {
    double x = p.lon - 0.0065, y = p.lat - 0.006;
    double z = std::sqrt(x * x + y * y) - 0.00002 * std::sin(y * kBaidu);
    double theta = std::atan2(y, x) - 0.000003 * std::cos(x * kBaidu);
    LonLat approx{z * std::cos(theta), z * std::sin(theta)};
    return invert(p, approx, gcj02_to_bd09);
}

}  // namespace planmap::geo
