#include "geo/spatial_index.hpp"

namespace planmap::geo {

template <class EnvelopeOf>
void SpatialIndex::pack(std::size_t n, EnvelopeOf&& envelope_of) {
    std::vector<Value> values;
    values.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Envelope e = envelope_of(i);
        if (!e.empty) values.emplace_back(Box(Point(e.minx, e.miny), Point(e.maxx, e.maxy)), i);
    }
    tree_ = decltype(tree_)(values.begin(), values.end());  // bulk loading (packing)
}

SpatialIndex::SpatialIndex(const std::vector<Envelope>& envelopes) {
    pack(envelopes.size(), [&](std::size_t i) { return envelopes[i]; });
}

SpatialIndex::SpatialIndex(const std::vector<const GEOSGeometry*>& geoms) {
    pack(geoms.size(), [&](std::size_t i) { return envelope(geoms[i]); });
}

std::vector<std::size_t> SpatialIndex::query(const Envelope& e) const {
    std::vector<std::size_t> out;
    for_each(e, [&](std::size_t i) { out.push_back(i); });
    return out;
}

}  // namespace planmap::geo
