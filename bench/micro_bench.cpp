// Google Benchmark micro-benchmarks of planmap's inner loops (built with -DPLANMAP_BUILD_BENCH=ON;
// never part of ctest). Peer comparisons live in the bench/*.py and *.sh scripts.
#include <benchmark/benchmark.h>

#include <vector>

#include "geo/china_coords.hpp"
#include "geo/coverage.hpp"
#include "geo/crs.hpp"
#include "layers/synth.hpp"

using namespace planmap;

static void BM_Gcj02ToWgs84(benchmark::State& state) {
    geo::LonLat p{121.44, 28.68};
    for (auto _ : state) {
        auto w = geo::gcj02_to_wgs84(p);
        benchmark::DoNotOptimize(w);
    }
}
BENCHMARK(BM_Gcj02ToWgs84);

static void BM_TransformCgcs2000ToGaussKruger(benchmark::State& state) {
    geo::Transformer t(geo::Crs::from_epsg(4490), geo::Crs::from_epsg(4549));
    std::vector<double> x(10000), y(10000);
    for (auto _ : state) {
        for (std::size_t i = 0; i < x.size(); ++i) {
            x[i] = 121.0 + 1e-4 * static_cast<double>(i);
            y[i] = 28.5;
        }
        t.transform(x.data(), y.data(), x.size());
        benchmark::DoNotOptimize(x.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(x.size()));
}
BENCHMARK(BM_TransformCgcs2000ToGaussKruger);

static void BM_CoverageCompute(benchmark::State& state) {
    layers::SynthOptions o;
    o.parcels = static_cast<std::size_t>(state.range(0));
    auto city = layers::synth_city(o);
    std::vector<const GEOSGeometry*> parcels, parks;
    for (const auto& f : city.layer("residential").features()) parcels.push_back(f.geometry.get());
    for (const auto& f : city.layer("parks").features()) parks.push_back(f.geometry.get());
    std::vector<double> radius(parks.size(), 500.0);
    auto areas = geo::buffer_service_areas(parks, radius);
    std::vector<const GEOSGeometry*> raw;
    for (const auto& a : areas) raw.push_back(a.get());
    geo::CoverageOptions opt;
    opt.keep_geometries = false;
    opt.cores = geo::buffer_cores(parks, radius);
    for (auto _ : state) {
        auto r = geo::compute_coverage(parcels, raw, opt);
        benchmark::DoNotOptimize(r.covered_area_m2);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CoverageCompute)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
