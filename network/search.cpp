#include "network/search.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>

#include "core/error.hpp"
#include "core/i18n.hpp"

namespace planmap::network {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
// Bucket width: a fraction of the limit, so a search has at most this many buckets.
constexpr double kBuckets = 256;
constexpr double kMinDelta = 1.0;
// Searches with at least this many seeds on networks with at least this many nodes use two threads.
constexpr std::size_t kParallelSeeds = 64;
constexpr std::size_t kParallelNodes = 50000;
}  // namespace

bool NetworkSearch::two_threads(std::size_t seeds) const {
    return parallel_ && seeds >= kParallelSeeds && net_.node_count() >= kParallelNodes &&
           tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism) >= 2;
}

NetworkSearch::NetworkSearch(const Network& net, bool parallel)
    : net_(net),
      chunk_(std::clamp<std::uint32_t>(std::bit_ceil(static_cast<std::uint32_t>(net.node_count() / 2048 + 1)), 32, 256)),
      parallel_(parallel) {
    dist_ = detail::WorkArray<double>(net_.node_count(), true);
    std::fill(dist_.data(), dist_.data() + dist_.size(), kInf);
    d_ = dist_.data();
    reached_ = detail::WorkArray<std::uint32_t>(net_.node_count(), false);
    if (two_threads(kParallelSeeds)) helper_.reset(new NetworkSearch(net_, *this));
}

NetworkSearch::NetworkSearch(const Network& net, NetworkSearch& owner)
    : net_(net), d_(owner.d_), chunk_(owner.chunk_), reached_(net.node_count(), false) {}
NetworkSearch::~NetworkSearch() = default;
NetworkSearch::NetworkSearch(NetworkSearch&&) noexcept = default;

std::uint32_t NetworkSearch::new_chunk() {
    if (free_chunks_ != Network::none) {
        const std::uint32_t c = free_chunks_;
        free_chunks_ = chunk_next_[c];
        return c;
    }
    if (std::size_t(used_chunks_ + 1) * chunk_ > pool_.size()) {
        // Start small on small networks (a search there must not cost more than the graph), then
        // double; the entries in use move along (they are addressed by chunk index).
        const std::size_t chunks = pool_.size() ? 2 * pool_.size() / chunk_
                                                : std::clamp<std::size_t>(net_.node_count() / 1024, 4, 64);
        detail::WorkArray<QueueItem> bigger(chunks * chunk_, false);
        std::copy(pool_.data(), pool_.data() + std::size_t(used_chunks_) * chunk_, bigger.data());
        pool_ = std::move(bigger);
        chunk_next_.resize(chunks);
    }
    return used_chunks_++;
}

inline void NetworkSearch::push(std::size_t bucket, double d, std::uint32_t n) {
    Bucket& b = buckets_[bucket];
    if (b.fill == chunk_) {
        const std::uint32_t c = new_chunk();
        chunk_next_[c] = Network::none;
        if (b.tail == Network::none) b.head = c;
        else chunk_next_[b.tail] = c;
        b.tail = c;
        b.fill = 0;
    }
    pool_[std::size_t(b.tail) * chunk_ + b.fill++] = {d, n};
}

template <bool Shared>
inline void NetworkSearch::relax(std::uint32_t n, double d) {
    if (d > limit_) return;
    if constexpr (Shared) {
        std::atomic_ref<double> slot(d_[n]);
        double old = slot.load(std::memory_order_relaxed);
        do {
            if (d >= old) return;
        } while (!slot.compare_exchange_weak(old, d, std::memory_order_relaxed));
        if (old == kInf) list(n);  // reached for the first time (by this thread: it alone saw infinity)
    } else {
        const double old = d_[n];
        if (d >= old) return;
        if (old == kInf) list(n);  // reached for the first time
        d_[n] = d;
    }
    push(static_cast<std::size_t>(d * inv_delta_), d, n);
}

void NetworkSearch::begin(double limit_m, const EdgeMask* blocked) {
    // Forget the previous run: every node it reached is listed in the owner's reached_ (the
    // second thread's are added to it after each run).
    if (!dist_.size()) reached_count_ = 0;
    for (auto n : reached()) d_[n] = kInf;
    limit_ = limit_m;
    delta_ = std::max(kMinDelta, limit_m / kBuckets);
    inv_delta_ = 1.0 / delta_;
    const std::size_t nb = static_cast<std::size_t>(limit_m * inv_delta_) + 2;
    buckets_.assign(std::max(buckets_.size(), nb), Bucket{Network::none, Network::none, chunk_});
    free_chunks_ = Network::none;
    used_chunks_ = 0;
    blocked_ = blocked && !blocked->empty() ? blocked : nullptr;
    reached_count_ = 0;
    edge_seeds_.clear();
}

void NetworkSearch::run(std::span<const Seed> seeds, double limit_m, const EdgeMask* blocked) {
    if (!(limit_m >= 0) || !std::isfinite(limit_m))
        throw usage_error(tr("the search distance must be a finite non-negative number of metres"));
    for (const auto& s : seeds) {
        if (s.edge != Network::none ? s.edge >= net_.edge_count() : s.node >= net_.node_count())
            throw usage_error(tr("a search seed refers to an edge or node that does not exist"));
    }
    begin(limit_m, blocked);
    if (!two_threads(seeds.size()) || !helper_) {
        run_serial<false>(seeds);
    } else {
        // Two groups of neighbouring seeds (node order follows a Hilbert curve, so close indices are
        // close on the ground): their searches overlap only along the border between them.
        std::vector<Seed> sorted(seeds.begin(), seeds.end());
        auto where = [this](const Seed& s) { return s.edge != Network::none ? net_.edge(s.edge).u : s.node; };
        std::sort(sorted.begin(), sorted.end(), [&](const Seed& a, const Seed& b) { return where(a) < where(b); });
        std::span<const Seed> first(sorted.data(), sorted.size() / 2), second(sorted.data() + sorted.size() / 2, sorted.size() - sorted.size() / 2);
        helper_->begin(limit_m, blocked);
        tbb::parallel_invoke([&] { run_serial<true>(first); }, [&] { helper_->run_serial<true>(second); });
        for (auto n : helper_->reached()) list(n);  // each node was first reached by one thread only
        edge_seeds_.insert(edge_seeds_.end(), helper_->edge_seeds_.begin(), helper_->edge_seeds_.end());
        std::sort(edge_seeds_.begin(), edge_seeds_.end(), [](const Seed& a, const Seed& b) { return a.edge < b.edge; });
    }
}

template <bool Shared>
void NetworkSearch::run_serial(std::span<const Seed> seeds) {
    const std::size_t nb = static_cast<std::size_t>(limit_ * inv_delta_) + 2;
    for (const auto& s : seeds) {
        if (s.edge != Network::none) {
            if (blocked_ && (*blocked_)[s.edge]) continue;
            const auto& e = net_.edge(s.edge);
            double a = std::clamp(std::min(s.from_m, s.to_m), 0.0, e.length_m);
            double b = std::clamp(std::max(s.from_m, s.to_m), a, e.length_m);
            edge_seeds_.push_back(Seed::on_edge(s.edge, a, b, s.start_m));
            relax<Shared>(e.u, s.start_m + a);
            relax<Shared>(e.v, s.start_m + (e.length_m - b));
        } else {
            relax<Shared>(s.node, s.start_m);
        }
    }
    std::sort(edge_seeds_.begin(), edge_seeds_.end(), [](const Seed& a, const Seed& b) { return a.edge < b.edge; });

    for (std::size_t i = 0; i < nb; ++i) drain<Shared>(i);
}

// Takes bucket i's entries chunk by chunk, in order; entries the relaxations add to bucket i itself
// (improvements within the bucket) are appended to its tail and taken in turn.
template <bool Shared>
void NetworkSearch::drain(std::size_t i) {
    Bucket& b = buckets_[i];
    while (b.head != Network::none) {
        const std::uint32_t c = b.head;
        const QueueItem* items = pool_.data() + std::size_t(c) * chunk_;
        for (std::uint32_t k = 0;; ++k) {
            const std::uint32_t count = c == b.tail ? b.fill : chunk_;
            if (k >= count) break;
            // The nodes of a chunk are known in advance: fetch their data ahead of use (the arc
            // range 16 entries ahead, the arcs and distance 8 ahead).
            if (k + 16 < count) net_.prefetch_offsets(items[k + 16].node);
            if (k + 8 < count) {
                net_.prefetch_arcs(items[k + 8].node);
                __builtin_prefetch(d_ + items[k + 8].node);
            }
            const std::uint32_t u = items[k].node;
            const double d = items[k].dist;
            // Skipped when queued again since with a shorter distance (by either thread).
            const double now = Shared ? std::atomic_ref<double>(d_[u]).load(std::memory_order_relaxed) : d_[u];
            if (d != now) continue;
            if (blocked_) {
                for (const auto& a : net_.arcs(u))
                    if (!(*blocked_)[a.edge]) relax<Shared>(a.to, d + a.length_m);
            } else {
                for (const auto& a : net_.arcs(u)) relax<Shared>(a.to, d + a.length_m);
            }
            items = pool_.data() + std::size_t(c) * chunk_;  // the pool may have grown
        }
        if (c == b.tail) {
            b.head = b.tail = Network::none;
            b.fill = chunk_;
        } else {
            b.head = chunk_next_[c];
        }
        chunk_next_[c] = free_chunks_;
        free_chunks_ = c;
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
    for (auto u : reached())
        for (const auto& a : net_.arcs(u)) emit(a.edge);
    for (const auto& s : edge_seeds_) emit(s.edge);
    return out;
}

double NetworkSearch::total_length(const std::vector<EdgePart>& parts) {
    double s = 0;
    for (const auto& p : parts) s += p.to_m - p.from_m;
    return s;
}

}  // namespace planmap::network
