#include "layers/synth.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace planmap::layers {

namespace {

constexpr double kPitch = 160;        // block pitch: 140 m block + 20 m street
constexpr double kStreet = 20;
constexpr double kBlock = kPitch - kStreet;
constexpr double kRiverHalfWidth = 35;
constexpr double kRiverAmplitude = 120;
constexpr double kRiverWavelength = 2400;
constexpr int kZoneBlocks = 16;       // zones are 16 × 16 blocks
constexpr int kBridgeEvery = 9;       // every 9th north-south street crosses the river

// SplitMix64: a small, portable, fully specified generator (the same city on every platform).
struct Rng {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double between(double a, double b) { return a + (b - a) * uniform(); }
};

Rng block_rng(std::uint64_t seed, int c, int r) {
    Rng g{seed * 0x2545F4914F6CDD1Dull ^ (static_cast<std::uint64_t>(c) << 32) ^ static_cast<std::uint64_t>(r)};
    g.next();
    return g;
}

struct FacilityType {
    const char* type;
    const char* name_zh;
    double per_block;  // probability of one such facility per block
};
// Densities chosen so that each life-circle level is partly met (a useful test city).
constexpr FacilityType kFacilityTypes[] = {
    {"kindergarten", "幼儿园", 0.08},        {"elderly_care", "托老所", 0.05},
    {"community_station", "社区服务站", 0.08}, {"fitness", "室外综合健身场地", 0.10},
    {"primary_school", "小学", 0.03},        {"market", "菜市场", 0.035},
    {"bus_stop", "公交车站", 0.08},          {"middle_school", "初中", 0.008},
    {"health_center", "社区卫生服务中心", 0.008}, {"culture_center", "文化活动中心", 0.006},
};

geo::GeomPtr rect(double x0, double y0, double x1, double y1) {
    return geo::make_polygon({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}});
}

}  // namespace

Dataset synth_city(const SynthOptions& opt) {
    const std::size_t n = opt.parcels;
    const double blocks_needed = std::max(1.0, std::ceil(static_cast<double>(n) / 9.0 / 0.8));
    const int cols = std::max(3, static_cast<int>(std::ceil(std::sqrt(blocks_needed))));
    const int rows_est = std::max(3, static_cast<int>(std::ceil(blocks_needed / cols)) + 1);
    const double ox = opt.origin_x, oy = opt.origin_y;
    const double river_mid = oy + kPitch * (rows_est / 2) + kPitch / 2;
    auto river_y = [&](double x) {
        return river_mid + kRiverAmplitude * std::sin(2 * std::numbers::pi * (x - ox) / kRiverWavelength);
    };
    // Does the river band (with a margin) come within [y0, y1] somewhere in [x0, x1]?
    auto near_river = [&](double x0, double x1, double y0, double y1, double margin) {
        double lo = 1e300, hi = -1e300;
        for (int k = 0; k <= 16; ++k) {
            double y = river_y(x0 + (x1 - x0) * k / 16.0);
            lo = std::min(lo, y);
            hi = std::max(hi, y);
        }
        return y1 >= lo - kRiverHalfWidth - margin && y0 <= hi + kRiverHalfWidth + margin;
    };

    auto crs = geo::Crs::from_epsg(4549);
    using FT = FieldType;
    Layer residential("residential",
                      {{"id", FT::integer, ""}, {"population", FT::integer, "人口"}, {"land_use", FT::string, "用地"},
                       {"block", FT::integer, ""}},
                      crs, "Polygon");
    Layer parks("parks", {{"id", FT::integer, ""}, {"name", FT::string, ""}, {"area_m2", FT::real, ""}, {"patch", FT::integer, ""}},
                crs, "Polygon");
    Layer facilities("facilities", {{"id", FT::integer, ""}, {"type", FT::string, ""}, {"name", FT::string, ""}}, crs, "Point");
    Layer streets("streets", {{"id", FT::integer, ""}, {"class", FT::string, ""}, {"bridge", FT::integer, ""}}, crs,
                  "LineString");
    Layer river("river", {{"name", FT::string, ""}}, crs, "Polygon");
    Layer zones("zones", {{"name", FT::string, ""}}, crs, "Polygon");
    residential.features().reserve(n);

    std::int64_t park_id = 0, fac_id = 0;
    int rows = 0;
    for (int r = 0; residential.size() < n; ++r) {
        rows = r + 1;
        for (int c = 0; c < cols && residential.size() < n; ++c) {
            const double bx = ox + c * kPitch + kStreet / 2, by = oy + r * kPitch + kStreet / 2;
            if (near_river(bx, bx + kBlock, by, by + kBlock, 15)) continue;
            Rng g = block_rng(opt.seed, c, r);
            const std::int64_t block = static_cast<std::int64_t>(r) * cols + c;
            double u = g.uniform();
            auto add_park = [&](double x0, double y0, double x1, double y1, int patch) {
                auto geom = rect(x0, y0, x1, y1);
                double a = geo::area(geom.get());
                parks.add({-1, std::move(geom), {park_id, "park-" + std::to_string(park_id), a, std::int64_t{patch}}});
            };
            if (u < 0.025) {  // a block park, ~1.96 ha
                add_park(bx, by, bx + kBlock, by + kBlock, 1), ++park_id;
            } else if (u < 0.040) {  // one park of two adjacent patches of 4500 m² each (9000 m² dissolved)
                add_park(bx + 25, by + 20, bx + 70, by + 120, 1);
                add_park(bx + 70, by + 20, bx + 115, by + 120, 2), ++park_id;
            } else if (u < 0.060) {  // a community park, 3600 m²
                add_park(bx + 40, by + 40, bx + 100, by + 100, 1), ++park_id;
            } else if (u < 0.075) {  // a pocket green, 1200 m²
                add_park(bx + 50, by + 50, bx + 80, by + 90, 1), ++park_id;
            } else if (u >= 0.15) {  // residential: 3 × 3 parcels with jittered lot lines
                double xs[4] = {bx, bx + kBlock * (1.0 / 3 + g.between(-0.06, 0.06)),
                                bx + kBlock * (2.0 / 3 + g.between(-0.06, 0.06)), bx + kBlock};
                double ys[4] = {by, by + kBlock * (1.0 / 3 + g.between(-0.06, 0.06)),
                                by + kBlock * (2.0 / 3 + g.between(-0.06, 0.06)), by + kBlock};
                for (int j = 0; j < 3 && residential.size() < n; ++j)
                    for (int i = 0; i < 3 && residential.size() < n; ++i) {
                        double x0 = xs[i], x1 = xs[i + 1], y0 = ys[j], y1 = ys[j + 1];
                        geo::GeomPtr geom;
                        if (g.uniform() < 0.15) {  // a corner cut off (a small plaza or a bend in the lot line)
                            double cut = g.between(5, 15);
                            geom = geo::make_polygon({{x0, y0}, {x1 - cut, y0}, {x1, y0 + cut}, {x1, y1}, {x0, y1}, {x0, y0}});
                        } else {
                            geom = rect(x0, y0, x1, y1);
                        }
                        double density = g.between(0.015, 0.055);  // persons per m²
                        auto pop = static_cast<std::int64_t>(std::llround(geo::area(geom.get()) * density));
                        auto id = static_cast<std::int64_t>(residential.size());
                        residential.add({-1, std::move(geom), {id, pop, std::string("R2"), block}});
                    }
            }
            for (const auto& ft : kFacilityTypes) {
                if (g.uniform() >= ft.per_block) continue;
                double x = bx + g.between(5, kBlock - 5), y = by + g.between(5, kBlock - 5);
                facilities.add({-1, geo::make_point(x, y), {fac_id, std::string(ft.type), std::string(ft.name_zh) + "-" + std::to_string(fac_id)}});
                ++fac_id;
            }
        }
    }

    // Streets: one segment per block edge; north-south streets cross the river only at bridges.
    std::int64_t street_id = 0;
    const double x_end = ox + cols * kPitch, y_end = oy + rows * kPitch;
    for (int r = 0; r <= rows; ++r)
        for (int c = 0; c < cols; ++c) {
            double y = oy + r * kPitch, x0 = ox + c * kPitch;
            if (near_river(x0, x0 + kPitch, y, y, 0)) continue;
            streets.add({-1, geo::make_linestring({{x0, y}, {x0 + kPitch, y}}),
                         {street_id++, std::string(r % 5 == 0 ? "primary" : "local"), std::int64_t{0}}});
        }
    for (int c = 0; c <= cols; ++c)
        for (int r = 0; r < rows; ++r) {
            double x = ox + c * kPitch, y0 = oy + r * kPitch;
            bool crosses = near_river(x, x, y0, y0 + kPitch, 0);
            if (crosses && c % kBridgeEvery != kBridgeEvery / 2) continue;
            streets.add({-1, geo::make_linestring({{x, y0}, {x, y0 + kPitch}}),
                         {street_id++, std::string(c % 5 == 0 ? "primary" : "local"), std::int64_t{crosses ? 1 : 0}}});
        }

    // The river, a sinuous band across the whole city.
    {
        std::vector<std::pair<double, double>> ring;
        for (double x = ox - 200; x <= x_end + 200; x += 20) ring.emplace_back(x, river_y(x) - kRiverHalfWidth);
        for (std::size_t k = ring.size(); k-- > 0;) {
            auto [x, y] = ring[k];
            ring.emplace_back(x, y + 2 * kRiverHalfWidth);
        }
        ring.push_back(ring.front());
        river.add({-1, geo::make_polygon(ring), {std::string("river")}});
    }

    // Zones: squares of kZoneBlocks × kZoneBlocks blocks.
    const double zsize = kZoneBlocks * kPitch;
    for (int zr = 0; oy + zr * zsize < y_end; ++zr)
        for (int zc = 0; ox + zc * zsize < x_end; ++zc) {
            char name[32];
            std::snprintf(name, sizeof name, "zone-%02d-%02d", zr + 1, zc + 1);
            zones.add({-1, rect(ox + zc * zsize, oy + zr * zsize, ox + (zc + 1) * zsize, oy + (zr + 1) * zsize), {std::string(name)}});
        }

    Dataset ds;
    ds.source = "synth";
    ds.layers.push_back(std::move(residential));
    ds.layers.push_back(std::move(parks));
    ds.layers.push_back(std::move(facilities));
    ds.layers.push_back(std::move(streets));
    ds.layers.push_back(std::move(river));
    ds.layers.push_back(std::move(zones));
    return ds;
}

}  // namespace planmap::layers
