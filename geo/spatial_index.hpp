// A static R-tree over feature envelopes (Boost.Geometry, packed with the R* algorithm on
// construction), answering "which items may touch this box".
#pragma once

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <cstddef>
#include <vector>

#include "geo/geos.hpp"

namespace planmap::geo {

class SpatialIndex {
public:
    using Point = boost::geometry::model::point<double, 2, boost::geometry::cs::cartesian>;
    using Box = boost::geometry::model::box<Point>;
    using Value = std::pair<Box, std::size_t>;

    SpatialIndex() = default;
    // Items with empty envelopes are left out.
    explicit SpatialIndex(const std::vector<Envelope>& envelopes);
    // The geometries' envelopes (null and empty geometries left out), with no vector of them kept.
    explicit SpatialIndex(const std::vector<const GEOSGeometry*>& geoms);

    // Ids whose envelope intersects e, in no particular order.
    std::vector<std::size_t> query(const Envelope& e) const;
    template <class Fn>
    void for_each(const Envelope& e, Fn&& fn) const {
        for_each_entry(e, [&](std::size_t id, const Envelope&) { fn(id); });
    }
    // fn(id, its envelope) for the ids whose envelope intersects e.
    template <class Fn>
    void for_each_entry(const Envelope& e, Fn&& fn) const {
        if (e.empty) return;
        Box b(Point(e.minx, e.miny), Point(e.maxx, e.maxy));
        for (auto it = tree_.qbegin(boost::geometry::index::intersects(b)); it != tree_.qend(); ++it) {
            const auto& lo = it->first.min_corner();
            const auto& hi = it->first.max_corner();
            fn(it->second, Envelope{lo.get<0>(), lo.get<1>(), hi.get<0>(), hi.get<1>(), false});
        }
    }
    std::size_t size() const { return tree_.size(); }

private:
    // Packs the items 0..n-1 with envelope_of(i) (empty ones left out) into the tree.
    template <class EnvelopeOf>
    void pack(std::size_t n, EnvelopeOf&& envelope_of);
    boost::geometry::index::rtree<Value, boost::geometry::index::rstar<16>> tree_;
};

}  // namespace planmap::geo
