#include "network/whole.hpp"

#include <algorithm>
#include <cmath>

namespace planmap::network {

NetworkChains::NetworkChains(const Network& net, const EdgeMask* blocked) {
    const bool masked = blocked && !blocked->empty();
    auto usable = [&](std::uint32_t e) { return !masked || !(*blocked)[e]; };
    const auto nodes = static_cast<std::uint32_t>(net.node_count());
    const auto edge_count = static_cast<std::uint32_t>(net.edge_count());
    // Inside a street: exactly two usable arcs, on two different edges, to two other distinct nodes
    // (parallel edges and loops make a junction, as in OSMnx's simplification).
    interior_.assign(nodes, 0);
    for (std::uint32_t n = 0; n < nodes; ++n) {
        const Network::Arc* a[2] = {nullptr, nullptr};
        int count = 0;
        for (const auto& arc : net.arcs(n))
            if (usable(arc.edge)) {
                if (count < 2) a[count] = &arc;
                ++count;
            }
        interior_[n] = count == 2 && a[0]->edge != a[1]->edge && a[0]->to != a[1]->to && a[0]->to != n && a[1]->to != n;
    }
    chain_of_.assign(edge_count, Network::none);
    slot_.assign(edge_count, 0);
    start_.push_back(0);
    auto walk = [&](std::uint32_t from, Network::Arc arc) {
        const auto c = static_cast<std::uint32_t>(ends_.size());
        std::uint32_t node = from;
        double at = 0;
        while (true) {
            const auto& ed = net.edge(arc.edge);
            chain_of_[arc.edge] = c;
            slot_[arc.edge] = edges_.size();
            edges_.push_back({arc.edge, ed.u == node, at, ed.length_m});
            at += ed.length_m;
            node = arc.to;
            if (!interior_[node] || node == from) break;  // a junction, or round a ring
            for (const auto& next : net.arcs(node))
                if (usable(next.edge) && next.edge != arc.edge) {
                    arc = next;
                    break;
                }
        }
        ends_.emplace_back(from, node);
        length_.push_back(at);
        start_.push_back(edges_.size());
    };
    for (std::uint32_t n = 0; n < nodes; ++n) {
        if (interior_[n]) continue;
        for (const auto& arc : net.arcs(n))
            if (usable(arc.edge) && chain_of_[arc.edge] == Network::none) walk(n, arc);
    }
    // Rings without any junction: start at an edge's u node.
    for (std::uint32_t e = 0; e < edge_count; ++e) {
        if (!usable(e) || chain_of_[e] != Network::none) continue;
        const auto u = net.edge(e).u;
        for (const auto& arc : net.arcs(u))
            if (arc.edge == e) {
                walk(u, arc);
                break;
            }
    }
}

std::vector<EdgePart> whole_edge_parts(const Network& net, const NetworkChains& chains, const NetworkSearch& search,
                                       std::span<const Seed> seeds) {
    const double limit = search.limit_m();
    // Sources inside streets, as stretches along their chain.
    struct Cut {
        std::uint32_t chain;
        double lo, hi;
        bool operator<(const Cut& o) const { return chain != o.chain ? chain < o.chain : lo < o.lo; }
    };
    std::vector<Cut> cuts;
    auto along = [&](std::uint32_t edge, double a, double b) {
        const auto& ce = chains.entry(edge);
        a = std::clamp(a, 0.0, ce.length_m);
        b = std::clamp(b, a, ce.length_m);
        if (ce.forward) cuts.push_back({chains.chain_of(edge), ce.at_m + a, ce.at_m + b});
        else cuts.push_back({chains.chain_of(edge), ce.at_m + ce.length_m - b, ce.at_m + ce.length_m - a});
    };
    for (const auto& s : seeds) {
        if (!(s.start_m <= limit)) continue;
        if (s.edge != Network::none) {
            if (s.edge < net.edge_count() && chains.chain_of(s.edge) != Network::none)
                along(s.edge, std::min(s.from_m, s.to_m), std::max(s.from_m, s.to_m));
        } else if (s.node < net.node_count() && chains.interior(s.node)) {
            for (const auto& arc : net.arcs(s.node))
                if (chains.chain_of(arc.edge) != Network::none) {
                    const double at = net.edge(arc.edge).u == s.node ? 0.0 : net.edge(arc.edge).length_m;
                    along(arc.edge, at, at);
                    break;
                }
        }
    }
    std::sort(cuts.begin(), cuts.end());

    // The streets touched by the search: those of the reached nodes' edges and of the sources.
    std::vector<std::uint32_t> touched;
    for (auto n : search.reached())
        for (const auto& arc : net.arcs(n))
            if (auto c = chains.chain_of(arc.edge); c != Network::none) touched.push_back(c);
    for (const auto& cut : cuts) touched.push_back(cut.chain);
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());

    std::vector<EdgePart> out;
    std::vector<std::pair<double, double>> keep;
    for (auto c : touched) {
        const double len = chains.length_m(c);
        const bool first_in = std::isfinite(search.distance(chains.first_node(c)));
        const bool last_in = std::isfinite(search.distance(chains.last_node(c)));
        auto range = std::equal_range(cuts.begin(), cuts.end(), Cut{c, 0, 0},
                                      [](const Cut& a, const Cut& b) { return a.chain < b.chain; });
        keep.clear();
        if (range.first == range.second) {
            if (first_in && last_in) keep.emplace_back(0.0, len);
        } else {
            // From the first junction to the first source, every source's stretch and what lies
            // between two sources, from the last source to the last junction.
            if (first_in) keep.emplace_back(0.0, range.first->lo);
            double lo = range.first->lo, hi = range.first->hi;
            for (auto it = range.first; it != range.second; ++it) hi = std::max(hi, it->hi);
            keep.emplace_back(lo, hi);
            if (last_in) keep.emplace_back(hi, len);
        }
        // Merge the kept stretches and cut them back into edge parts.
        std::sort(keep.begin(), keep.end());
        for (std::size_t i = 0; i < keep.size();) {
            double a = keep[i].first, b = keep[i].second;
            std::size_t j = i + 1;
            while (j < keep.size() && keep[j].first <= b) b = std::max(b, keep[j++].second);
            i = j;
            if (!(b > a)) continue;
            for (const auto& ce : chains.edges(c)) {
                const double x = std::max(a, ce.at_m), y = std::min(b, ce.at_m + ce.length_m);
                if (!(y > x)) continue;
                if (ce.forward) out.push_back({ce.edge, x - ce.at_m, y - ce.at_m});
                else out.push_back({ce.edge, ce.at_m + ce.length_m - y, ce.at_m + ce.length_m - x});
            }
        }
    }
    return out;
}

JunctionLocator::JunctionLocator(const Network& net, const NetworkChains& chains, const EdgeMask* blocked) : net_(net) {
    const bool masked = blocked && !blocked->empty();
    std::vector<geo::Envelope> boxes;
    geo::Envelope all;
    for (std::uint32_t n = 0; n < net.node_count() && net.has_geometry(); ++n) {
        if (chains.interior(n)) continue;
        bool usable = false;
        for (const auto& arc : net.arcs(n)) usable = usable || !masked || !(*blocked)[arc.edge];
        if (!usable) continue;
        const XY p = net.node_xy(n);
        nodes_.push_back(n);
        boxes.push_back({p.x, p.y, p.x, p.y, false});
        all.expand(boxes.back());
    }
    index_ = geo::SpatialIndex(boxes);
    if (!all.empty) extent_diag_ = std::hypot(all.maxx - all.minx, all.maxy - all.miny);
}

std::optional<JunctionLocator::Hit> JunctionLocator::nearest(XY p, double max_m) const {
    if (nodes_.empty()) return std::nullopt;
    const double limit = std::isfinite(max_m) ? max_m : extent_diag_ + std::hypot(p.x, p.y);
    for (double r = std::min(limit, 50.0);; r = std::min(limit, r * 2)) {
        std::optional<Hit> best;
        index_.for_each(geo::Envelope{p.x - r, p.y - r, p.x + r, p.y + r, false}, [&](std::size_t i) {
            const XY q = net_.node_xy(nodes_[i]);
            const double d = std::hypot(q.x - p.x, q.y - p.y);
            if (!best || d < best->distance || (d == best->distance && nodes_[i] < best->node)) best = Hit{nodes_[i], d};
        });
        // A hit farther than r may hide a nearer node outside the box: widen until it cannot.
        if (best && best->distance <= r) return best->distance <= max_m ? best : std::nullopt;
        if (r >= limit) return std::nullopt;
    }
}

}  // namespace planmap::network
