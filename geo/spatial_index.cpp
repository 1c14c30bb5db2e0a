#include "geo/spatial_index.hpp"

namespace planmap::geo {

SpatialIndex::SpatialIndex(const std::vector<Envelope>& envelopes) {
    std::vector<Value> values;
    values.reserve(envelopes.size());
    for (std::size_t i = 0; i < envelopes.size(); ++i) {
        const auto& e = envelopes[i];
        if (e.empty) continue;
        values.emplace_back(Box(Point(e.minx, e.miny), Point(e.maxx, e.maxy)), i);
    }
    tree_ = decltype(tree_)(values.begin(), values.end());  // bulk loading (packing)
}

SpatialIndex::SpatialIndex(const std::vector<const GEOSGeometry*>& geoms) {
    std::vector<Value> values;
    values.reserve(geoms.size());
    for (std::size_t i = 0; i < geoms.size(); ++i) {
        const Envelope e = envelope(geoms[i]);
        if (!e.empty) values.emplace_back(Box(Point(e.minx, e.miny), Point(e.maxx, e.maxy)), i);
    }
    tree_ = decltype(tree_)(values.begin(), values.end());  // bulk loading (packing)
}

std::vector<std::size_t> SpatialIndex::query(const Envelope& e) const {
    std::vector<std::size_t> out;
    for_each(e, [&](std::size_t i) { out.push_back(i); });
    return out;
}

}  // namespace planmap::geo
