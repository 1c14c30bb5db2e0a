#include "geo/network_search.hpp"

#include <algorithm>

#include "geo/error.hpp"

namespace planmap::geo {

namespace {
constexpr std::uint32_t kSettled = Network::none - 1;
constexpr std::uint32_t kArity = 4;  // a 4-ary heap: shallower than binary, children share a cache line
}  // namespace

NetworkSearch::NetworkSearch(const Network& net)
    : net_(net), dist_(net.node_count()), stamp_(net.node_count(), 0), heap_pos_(net.node_count()) {}

void NetworkSearch::sift_up(std::uint32_t i) {
    auto item = heap_[i];
    while (i > 0) {
        std::uint32_t parent = (i - 1) / kArity;
        if (heap_[parent].first <= item.first) break;
        heap_[i] = heap_[parent];
        heap_pos_[heap_[i].second] = i;
        i = parent;
    }
    heap_[i] = item;
    heap_pos_[item.second] = i;
}

void NetworkSearch::sift_down(std::uint32_t i) {
    auto item = heap_[i];
    const auto n = static_cast<std::uint32_t>(heap_.size());
    while (true) {
        std::uint32_t first = i * kArity + 1;
        if (first >= n) break;
        std::uint32_t last = std::min(first + kArity, n), best = first;
        for (std::uint32_t c = first + 1; c < last; ++c)
            if (heap_[c].first < heap_[best].first) best = c;
        if (heap_[best].first >= item.first) break;
        heap_[i] = heap_[best];
        heap_pos_[heap_[i].second] = i;
        i = best;
    }
    heap_[i] = item;
    heap_pos_[item.second] = i;
}

void NetworkSearch::relax(std::uint32_t n, double d) {
    if (d > limit_) return;
    if (stamp_[n] != run_) {
        stamp_[n] = run_;
        dist_[n] = d;
        heap_.emplace_back(d, n);
        sift_up(static_cast<std::uint32_t>(heap_.size() - 1));
    } else if (d < dist_[n] && heap_pos_[n] != kSettled) {
        dist_[n] = d;
        heap_[heap_pos_[n]].first = d;
        sift_up(heap_pos_[n]);
    }
}

void NetworkSearch::run(std::span<const Seed> seeds, double limit_m, const EdgeMask* blocked) {
    if (!(limit_m >= 0)) throw usage_error("the search distance must be a non-negative number of metres");
    if (++run_ == 0) {  // the stamp wrapped: forget everything
        std::fill(stamp_.begin(), stamp_.end(), 0);
        run_ = 1;
    }
    limit_ = limit_m;
    blocked_ = blocked && !blocked->empty() ? blocked : nullptr;
    heap_.clear();
    reached_.clear();
    edge_seeds_.clear();
    for (const auto& s : seeds) {
        if (s.edge != Network::none) {
            if (s.edge >= net_.edge_count()) throw usage_error("seed on edge " + std::to_string(s.edge) + ", which does not exist");
            if (blocked_ && (*blocked_)[s.edge]) continue;
            const auto& e = net_.edge(s.edge);
            double a = std::clamp(std::min(s.from_m, s.to_m), 0.0, e.length_m);
            double b = std::clamp(std::max(s.from_m, s.to_m), a, e.length_m);
            edge_seeds_.push_back(Seed::on_edge(s.edge, a, b, s.start_m));
            relax(e.u, s.start_m + a);
            relax(e.v, s.start_m + (e.length_m - b));
        } else {
            if (s.node >= net_.node_count()) throw usage_error("seed at node " + std::to_string(s.node) + ", which does not exist");
            relax(s.node, s.start_m);
        }
    }
    std::sort(edge_seeds_.begin(), edge_seeds_.end(), [](const Seed& a, const Seed& b) { return a.edge < b.edge; });

    while (!heap_.empty()) {
        const auto [d, u] = heap_.front();
        heap_pos_[u] = kSettled;
        auto last = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) {
            heap_[0] = last;
            sift_down(0);
        }
        reached_.push_back(u);
        for (const auto& a : net_.arcs(u)) {
            if (blocked_ && (*blocked_)[a.edge]) continue;
            relax(a.to, d + a.length_m);
        }
    }
}

std::vector<EdgePart> NetworkSearch::reachable_parts() const {
    std::vector<EdgePart> out;
    if (edge_stamp_.size() != net_.edge_count()) edge_stamp_.assign(net_.edge_count(), 0);
    if (++edge_run_ == 0) {
        std::fill(edge_stamp_.begin(), edge_stamp_.end(), 0);
        edge_run_ = 1;
    }
    std::vector<std::pair<double, double>> iv;
    auto emit = [&](std::uint32_t e) {
        if (edge_stamp_[e] == edge_run_ || (blocked_ && (*blocked_)[e])) return;
        edge_stamp_[e] = edge_run_;
        const auto& ed = net_.edge(e);
        const double len = ed.length_m;
        iv.clear();
        if (double du = distance(ed.u); du <= limit_) iv.emplace_back(0.0, std::min(len, limit_ - du));
        if (double dv = distance(ed.v); dv <= limit_) iv.emplace_back(std::max(0.0, len - (limit_ - dv)), len);
        auto range = std::equal_range(edge_seeds_.begin(), edge_seeds_.end(), Seed::on_edge(e, 0, 0),
                                      [](const Seed& a, const Seed& b) { return a.edge < b.edge; });
        for (auto it = range.first; it != range.second; ++it) {
            double r = limit_ - it->start_m;
            if (r >= 0) iv.emplace_back(std::max(0.0, it->from_m - r), std::min(len, it->to_m + r));
        }
        std::sort(iv.begin(), iv.end());
        for (std::size_t i = 0; i < iv.size();) {
            double a = iv[i].first, b = iv[i].second;
            std::size_t j = i + 1;
            while (j < iv.size() && iv[j].first <= b) b = std::max(b, iv[j++].second);
            if (b > a) out.push_back({e, a, b});
            i = j;
        }
    };
    for (auto u : reached_)
        for (const auto& a : net_.arcs(u)) emit(a.edge);
    for (const auto& s : edge_seeds_) emit(s.edge);
    return out;
}

double NetworkSearch::total_length(const std::vector<EdgePart>& parts) {
    double s = 0;
    for (const auto& p : parts) s += p.to_m - p.from_m;
    return s;
}

}  // namespace planmap::geo
