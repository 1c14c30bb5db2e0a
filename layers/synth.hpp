// A deterministic synthetic city for scale work and tests, in CGCS2000 3-degree Gauss-Krüger
// (EPSG:4549, central meridian 120°E): a grid of blocks between streets, residential parcels with
// population, parks of realistic sizes (some made of adjacent patches), life-circle facility
// points, a river crossed by a few bridges, and zones.
#pragma once

#include <cstdint>
#include <string>

#include "layers/feature.hpp"

namespace planmap::layers {

struct SynthOptions {
    std::size_t parcels = 10000;  // residential parcels to generate (exactly this many)
    std::uint64_t seed = 1;
    double origin_x = 620000;     // south-west corner, EPSG:4549 metres
    double origin_y = 3160000;
};

// Layers: residential (id, population, land_use, block), parks (id, name, area_m2, patch),
// facilities (id, type, name), streets (id, class, bridge), river (name), zones (name).
// The same options always give the same city, coordinate for coordinate.
Dataset synth_city(const SynthOptions& options);

}  // namespace planmap::layers
