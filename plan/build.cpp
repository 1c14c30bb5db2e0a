// Evaluating a plan: base data read and converted, elements built in dependency order in the
// metric analysis CRS, checks run, one layer per kind in the output CRS.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "geo/construct.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"
#include "plan/plan.hpp"

namespace planmap::plan {

std::size_t PlanBuild::errors() const {
    return static_cast<std::size_t>(
        std::count_if(checks.begin(), checks.end(), [](const CheckResult& c) { return !c.passed && c.severity == "error"; }));
}

std::size_t PlanBuild::warnings_failed() const {
    return static_cast<std::size_t>(std::count_if(
        checks.begin(), checks.end(), [](const CheckResult& c) { return !c.passed && c.severity == "warning"; }));
}

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

bool is_polygonal(const GEOSGeometry* g) { return geo::dimension(g) == 2; }

// Name matching that works with both boundary sources: exact, or equal once the trailing
// administrative suffix (区/县/市) is ignored on either side.
bool name_matches(const std::string& have, const std::string& want) {
    if (have == want) return true;
    static const std::vector<std::string> suffixes = {"区", "县", "市"};
    auto strip = [&](const std::string& s) {
        for (const auto& x : suffixes)
            if (s.size() > x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0) return s.substr(0, s.size() - x.size());
        return s;
    };
    return !have.empty() && strip(have) == strip(want);
}

class Evaluator {
public:
    Evaluator(const Plan& plan, PlanBuild& out) : plan_(plan), out_(out) {}

    [[noreturn]] void fail(const PlanElement& e, const std::string& msg) const {
        throw file_error(plan_.file, e.line, "element '" + e.id + "': " + msg);
    }

    void read_bases() {
        for (const auto& b : plan_.bases) {
            layers::ReadOptions ro;
            if (!b.layer.empty()) ro.layer = b.layer;
            try {
                if (!b.crs.empty()) ro.source_crs = geo::Crs::parse(b.crs);
            } catch (const crs_error& e) {
                throw file_error(plan_.file, b.line, "base '" + b.id + "': " + e.what());
            }
            // A source given in place of the plan's path may be any source GDAL reads (the
            // reader names what is wrong with it) and is only ever shown redacted.
            const std::string shown = b.replaced ? layers::redact_connection(b.resolved) : b.resolved;
            if (!b.replaced && !std::filesystem::exists(b.resolved))
                throw file_error(plan_.file, b.line,
                                 "base '" + b.id + "': '" + b.resolved + "' does not exist (run scripts/setup.sh to fill data/)");
            layers::Layer l;
            try {
                l = layers::read_layer(b.resolved, ro);
            } catch (const error& e) {
                throw file_error(plan_.file, b.line, "base '" + b.id + "': " + e.what());
            }
            if (!l.crs()) throw file_error(plan_.file, b.line, "base '" + b.id + "': the data has no CRS; give 'crs'");
            bool selected = std::any_of(plan_.elements.begin(), plan_.elements.end(), [&](const PlanElement& e) {
                return e.geometry.source == PlanGeometry::Source::select && e.geometry.base == b.id;
            });
            if (selected && l.field_index(b.name_field) < 0)
                throw file_error(plan_.file, b.line, "base '" + b.id + "': no field '" + b.name_field + "' in " + shown);
            out_.files_read.push_back(shown);
            out_.notes.insert(out_.notes.end(), l.notes.begin(), l.notes.end());
            bases_.emplace(b.id, std::move(l));
        }
    }

    // The metric CRS: around the centre of the plan's district (or of the first authored
    // coordinate / first base layer when there is none).
    geo::Crs choose_analysis_crs() {
        std::optional<std::pair<double, double>> centre;
        const PlanElement* d = plan_.district.empty() ? nullptr : plan_.find(plan_.district);
        if (d && d->geometry.source == PlanGeometry::Source::select) {
            const layers::Layer& l = bases_.at(d->geometry.base);
            geo::Envelope env;
            for (auto i : selected(*d)) env.expand(geo::envelope(l.features()[i].geometry.get()));
            double x = (env.minx + env.maxx) / 2, y = (env.miny + env.maxy) / 2;
            geo::Transformer(*l.crs(), geo::Crs::wgs84()).transform_point(x, y);
            centre = {x, y};
        }
        for (const auto& e : plan_.elements)
            if (!centre && !e.geometry.parts.empty()) {
                auto p = e.geometry.parts.front().front();
                geo::Transformer(geo::Crs::parse(plan_.coordinates_crs), geo::Crs::wgs84()).transform_point(p.first, p.second);
                centre = p;
            }
        if (!centre && !bases_.empty()) {
            const layers::Layer& l = bases_.begin()->second;
            auto env = l.extent();
            double x = (env.minx + env.maxx) / 2, y = (env.miny + env.maxy) / 2;
            geo::Transformer(*l.crs(), geo::Crs::wgs84()).transform_point(x, y);
            centre = {x, y};
        }
        if (!centre) throw file_error(plan_.file, 1, "plan: no geometry to place the plan");
        return geo::analysis_crs_for(centre->first, centre->second);
    }

    void evaluate(const geo::Crs& analysis) {
        for (auto& [id, l] : bases_)
            for (const auto& w : l.reproject(analysis)) out_.warnings.push_back("base '" + id + "': " + w);
        authored_ = std::make_unique<geo::Transformer>(geo::Crs::parse(plan_.coordinates_crs), analysis);
        for (const PlanElement* e : dependency_order(plan_)) {
            geo::GeomPtr g;
            try {
                g = build(*e);
                if (g) g = post_process(*e, std::move(g));
            } catch (const geometry_error& ex) {
                fail(*e, ex.what());
            } catch (const crs_error& ex) {
                fail(*e, ex.what());
            }
            if (g) {
                if (geo::is_empty(g.get())) fail(*e, "the geometry is empty");
                std::string why = geo::invalid_reason(g.get());
                if (!why.empty()) fail(*e, "invalid geometry: " + why);
                if (!e->within.empty()) check_within(*e, g.get());
            }
            geoms_[e->id] = std::move(g);
        }
    }

    const GEOSGeometry* geom(const std::string& id) const {
        auto it = geoms_.find(id);
        return it == geoms_.end() ? nullptr : it->second.get();
    }
    std::map<std::string, geo::GeomPtr>& geoms() { return geoms_; }

private:
    std::vector<std::size_t> selected(const PlanElement& e) const {
        const auto& g = e.geometry;
        const layers::Layer& l = bases_.at(g.base);
        const PlanBase* b = nullptr;
        for (const auto& x : plan_.bases)
            if (x.id == g.base) b = &x;
        std::string field = g.field.empty() ? b->name_field : g.field;
        if (l.field_index(field) < 0) fail(e, "base '" + g.base + "' has no field '" + field + "'");
        std::vector<std::size_t> out;
        if (g.select_all) {
            for (std::size_t i = 0; i < l.size(); ++i)
                if (l.features()[i].geometry) out.push_back(i);
            if (out.empty()) fail(e, "base '" + g.base + "' has no geometries");
        }
        for (const auto& want : g.values) {
            std::size_t before = out.size();
            for (std::size_t i = 0; i < l.size(); ++i) {
                std::string have = layers::value_to_string(l.value(i, field));
                if ((g.field.empty() ? name_matches(have, want) : have == want) && l.features()[i].geometry)
                    out.push_back(i);
            }
            if (out.size() == before) fail(e, "no feature of base '" + g.base + "' has " + field + " = '" + want + "'");
        }
        return out;
    }

    const GEOSGeometry* need(const PlanElement& e, const std::string& id) const {
        const GEOSGeometry* g = geom(id);
        if (!g) fail(e, "element '" + id + "' has no geometry");
        return g;
    }

    geo::GeomPtr authored_point(std::pair<double, double> p) const {
        authored_->transform_point(p.first, p.second);
        if (!std::isfinite(p.first) || !std::isfinite(p.second)) throw crs_error("a coordinate cannot be transformed");
        return geo::make_point(p.first, p.second);
    }

    std::vector<std::pair<double, double>> authored_coords(std::vector<LonLat> pts) const {
        for (auto& p : pts) authored_->transform_point(p.first, p.second);
        return pts;
    }

    geo::GeomPtr build(const PlanElement& e) {
        using S = PlanGeometry::Source;
        const auto& g = e.geometry;
        switch (g.source) {
            case S::none: return nullptr;
            case S::point: return authored_point(g.parts[0][0]);
            case S::points: {
                std::vector<geo::GeomPtr> pts;
                for (const auto& p : g.parts) pts.push_back(authored_point(p[0]));
                return geo::make_collection(GEOS_MULTIPOINT, std::move(pts));
            }
            case S::line: return geo::make_linestring(authored_coords(g.parts[0]));
            case S::lines: {
                std::vector<geo::GeomPtr> ls;
                for (const auto& p : g.parts) ls.push_back(geo::make_linestring(authored_coords(p)));
                return geo::make_collection(GEOS_MULTILINESTRING, std::move(ls));
            }
            case S::polygon: return geo::make_polygon(authored_coords(g.parts[0]));
            case S::select: {
                const layers::Layer& l = bases_.at(g.base);
                std::vector<geo::GeomPtr> parts;
                for (auto i : selected(e)) parts.push_back(geo::clone(l.features()[i].geometry.get()));
                return parts.size() == 1 ? std::move(parts.front()) : geo::union_all(std::move(parts));
            }
            case S::op: return build_op(e);
        }
        return nullptr;
    }

    std::vector<const GEOSGeometry*> member_geoms(const PlanElement& e) const {
        std::vector<const GEOSGeometry*> out;
        for (const auto& m : e.geometry.members) out.push_back(need(e, m));
        return out;
    }

    geo::GeomPtr build_op(const PlanElement& e) {
        const auto& g = e.geometry;
        const std::string& op = g.op;
        if (op == "union") {
            std::vector<geo::GeomPtr> parts;
            for (const auto* m : member_geoms(e)) parts.push_back(geo::clone(m));
            return geo::union_all(std::move(parts));
        }
        if (op == "hull") {
            std::vector<geo::GeomPtr> parts;
            for (const auto* m : member_geoms(e)) parts.push_back(geo::clone(m));
            auto all = geo::make_collection(GEOS_GEOMETRYCOLLECTION, std::move(parts));
            return geo::convex_hull(all.get());
        }
        if (op == "buffer") return geo::buffer(need(e, g.of), g.distance_m);
        if (op == "corridor") {
            const GEOSGeometry* line = need(e, g.of);
            if (geo::dimension(line) != 1) fail(e, "a corridor needs a line, '" + g.of + "' is a " + geo::geometry_type(line));
            return geo::corridor(line, g.distance_m, g.side);
        }
        if (op == "polygon") return geo::polygon_of_ring(need(e, g.of));
        if (op == "boundary") {
            const GEOSGeometry* p = need(e, g.of);
            if (!is_polygonal(p)) fail(e, "'" + g.of + "' is not a polygon");
            return geo::outline(p);
        }
        if (op == "largest_part") return geo::largest_part(need(e, g.of));
        if (op == "clip") return geo::clip(need(e, g.of), need(e, g.by));
        if (op == "difference") {
            auto r = geo::clone(need(e, g.of));
            for (const auto* m : member_geoms(e)) r = geo::difference_keep(r.get(), m);
            return r;
        }
        if (op == "annulus") return geo::annulus(need(e, g.outer), need(e, g.inner));
        if (op == "chain") return geo::chain_lines(member_geoms(e), g.snap_m);
        if (op == "enclosed_ring") return geo::enclosed_ring(member_geoms(e));
        if (op == "voronoi") return voronoi_cell(e);
        fail(e, "unknown op '" + op + "'");
    }

    std::pair<double, double> seed_of(const PlanElement& e) const {
        if (e.geometry.seed) {
            auto p = e.geometry.seed.value();
            authored_->transform_point(p.first, p.second);
            return p;
        }
        const GEOSGeometry* s = need(e, e.geometry.seed_ref);
        if (geo::geometry_type(s) != "Point") fail(e, "seed '" + e.geometry.seed_ref + "' is not a point");
        auto c = geo::coords(s);
        return c.front();
    }

    // All cells of one boundary are made at once, from every voronoi element naming it.
    geo::GeomPtr voronoi_cell(const PlanElement& e) {
        const std::string& key = e.geometry.boundary;
        if (!cells_.count(key)) {
            const GEOSGeometry* boundary = need(e, key);
            if (!is_polygonal(boundary)) fail(e, "the Voronoi boundary '" + key + "' is not a polygon");
            std::vector<const PlanElement*> group;
            std::vector<std::pair<double, double>> seeds;
            auto prepared = geo::prepare(boundary);
            for (const auto& x : plan_.elements) {
                if (x.geometry.op != "voronoi" || x.geometry.boundary != key) continue;
                auto s = seed_of(x);
                auto p = geo::make_point(s.first, s.second);
                if (GEOSPreparedCovers_r(geo::geos_context(), prepared.get(), p.get()) != 1)
                    fail(x, "seed lies outside '" + key + "' (" + core::fixed(distance(boundary, p.get()), 0) + " m away)");
                group.push_back(&x);
                seeds.push_back(s);
            }
            std::vector<geo::GeomPtr> cells;
            try {
                cells = geo::voronoi_partition(seeds, boundary);
            } catch (const geometry_error& ex) {
                fail(e, ex.what());
            }
            auto& m = cells_[key];
            for (std::size_t i = 0; i < group.size(); ++i) m[group[i]->id] = std::move(cells[i]);
        }
        return geo::clone(cells_[key].at(e.id).get());
    }

    static double distance(const GEOSGeometry* a, const GEOSGeometry* b) {
        double d = 0;
        GEOSDistance_r(geo::geos_context(), a, b, &d);
        return d;
    }

    geo::GeomPtr post_process(const PlanElement& e, geo::GeomPtr g) {
        const auto& s = e.geometry;
        if (s.buffer_m > 0) g = geo::buffer(g.get(), s.buffer_m);
        if (!s.clip.empty()) g = geo::clip(g.get(), need(e, s.clip));
        if (s.smooth > 0) {
            if (geo::dimension(g.get()) != 1) fail(e, "'smooth' applies to lines, this is a " + geo::geometry_type(g.get()));
            g = geo::chaikin_smooth(g.get(), s.smooth);
        }
        return g;
    }

    void check_within(const PlanElement& e, const GEOSGeometry* g) const {
        const GEOSGeometry* w = need(e, e.within);
        if (GEOSCovers_r(geo::geos_context(), w, g) == 1) return;
        std::string what = geo::dimension(g) == 0 ? "point" : "geometry";
        if (geo::dimension(g) == 0) {
            // Name the first point outside, in the authored coordinates.
            for (std::size_t i = 0; i < e.geometry.parts.size(); ++i) {
                auto p = authored_point(e.geometry.parts[i][0]);
                if (GEOSCovers_r(geo::geos_context(), w, p.get()) != 1) {
                    const auto& ll = e.geometry.parts[i][0];
                    fail(e, "point (" + core::fixed(ll.first, 5) + ", " + core::fixed(ll.second, 5) + ") lies outside '" + e.within +
                                "' (" + core::fixed(distance(w, p.get()), 0) + " m away)");
                }
            }
        }
        auto outside = geo::difference(g, w);
        std::string amount = geo::dimension(g) == 2 ? core::fixed(geo::area(outside.get()) / 1e6, 3) + " km²"
                                                    : core::fixed(geo::length(outside.get()), 0) + " m";
        fail(e, what + " leaves '" + e.within + "' (" + amount + " of it outside)");
    }

    const Plan& plan_;
    PlanBuild& out_;
    std::map<std::string, layers::Layer> bases_;
    std::unique_ptr<geo::Transformer> authored_;
    std::map<std::string, geo::GeomPtr> geoms_;
    std::map<std::string, std::map<std::string, geo::GeomPtr>> cells_;
};

// ---- checks ----

class Checker {
public:
    Checker(const Plan& plan, std::map<std::string, geo::GeomPtr>& geoms) : plan_(plan), geoms_(geoms) {}

    CheckResult run(const PlanCheck& c) {
        CheckResult r;
        r.name = c.name;
        r.type = c.type;
        r.severity = c.severity;
        r.line = c.line;
        if (c.type == "count") count(c, r);
        else if (c.type == "partition") partition(c, r);
        else if (c.type == "inside") inside(c, r);
        else if (c.type == "disjoint") disjoint(c, r);
        else if (c.type == "closed_ring") closed_ring(c, r);
        if (!r.passed && !c.message.empty()) r.detail = c.message + " (" + r.detail + ")";
        return r;
    }

private:
    [[noreturn]] void fail(const PlanCheck& c, const std::string& msg) const {
        throw file_error(plan_.file, c.line, "check '" + c.name + "': " + msg);
    }

    std::vector<const PlanElement*> select(const PlanSelector& s) const { return select_elements(plan_, s); }

    const GEOSGeometry* geom(const PlanCheck& c, const std::string& id) const {
        auto it = geoms_.find(id);
        if (it == geoms_.end() || !it->second) fail(c, "element '" + id + "' has no geometry");
        return it->second.get();
    }

    void count(const PlanCheck& c, CheckResult& r) const {
        auto els = select(c.select);
        r.passed = true;
        r.detail = std::to_string(els.size()) + " element(s)";
        if (c.expect) {
            r.detail += ", expected " + std::to_string(*c.expect);
            r.passed = static_cast<long long>(els.size()) == *c.expect;
        }
        if (!c.names.empty()) {
            std::multiset<std::string> have, want(c.names.begin(), c.names.end());
            for (const auto* e : els) have.insert(e->name_zh);
            std::vector<std::string> missing, extra;
            std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(missing));
            std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::back_inserter(extra));
            auto list = [](const std::vector<std::string>& v) {
                std::string s;
                for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
                return s;
            };
            if (!missing.empty()) r.detail += "; missing " + list(missing);
            if (!extra.empty()) r.detail += "; not expected " + list(extra);
            r.passed = r.passed && missing.empty() && extra.empty();
        }
    }

    void partition(const PlanCheck& c, CheckResult& r) const {
        auto els = select(c.select);
        if (els.empty()) fail(c, "no members selected");
        const GEOSGeometry* whole = geom(c, c.of);
        double whole_area = geo::area(whole);
        double sum = 0, overlap = 0;
        std::vector<geo::GeomPtr> parts;
        for (const auto* e : els) {
            const GEOSGeometry* g = geom(c, e->id);
            if (!is_polygonal(g)) fail(c, "member '" + e->id + "' is not a polygon");
            sum += geo::area(g);
            parts.push_back(geo::clone(g));
        }
        auto u = geo::union_all(std::move(parts));
        double union_area = geo::area(u.get());
        overlap = std::max(0.0, sum - union_area);  // area counted more than once
        auto sym = geo::take(GEOSSymDifference_r(geo::geos_context(), u.get(), whole), "symmetric difference");
        double mismatch = geo::area(sym.get());
        double rel = mismatch / whole_area;
        double rel_overlap = overlap / whole_area;
        r.passed = rel <= c.area_tolerance && rel_overlap <= c.overlap_tolerance;
        r.detail = std::to_string(els.size()) + " member(s) cover " + core::fixed(union_area / 1e6, 2) + " km² of " +
                   core::fixed(whole_area / 1e6, 2) + " km²; mismatch " + core::fixed(100 * rel, 3) + "% (max " +
                   core::fixed(100 * c.area_tolerance, 3) + "%), overlap " + core::fixed(100 * rel_overlap, 4) + "% (max " +
                   core::fixed(100 * c.overlap_tolerance, 4) + "%)";
    }

    // a inside b: area (or length, or points) of a outside b grown by the tolerance.
    bool is_inside(const GEOSGeometry* a, const GEOSGeometry* b, double tol_m, std::string& why) const {
        geo::GeomPtr grown;
        if (tol_m > 0) grown = geo::buffer(b, tol_m);
        const GEOSGeometry* container = grown ? grown.get() : b;
        if (GEOSCovers_r(geo::geos_context(), container, a) == 1) return true;
        auto out = geo::difference(a, container);
        int dim = geo::dimension(a);
        if (dim == 2) {
            double share = geo::area(out.get()) / geo::area(a);
            if (share <= 1e-9) return true;  // numerical noise along shared boundaries
            why = core::fixed(100 * share, 3) + "% of its area outside";
        } else if (dim == 1) {
            why = core::fixed(geo::length(out.get()), 0) + " m of it outside";
        } else {
            double d = 0;
            GEOSDistance_r(geo::geos_context(), a, container, &d);
            why = core::fixed(d, 0) + " m outside";
        }
        return false;
    }

    void inside(const PlanCheck& c, CheckResult& r) const {
        std::vector<std::pair<std::string, std::string>> pairs = c.pairs;
        if (!c.within.empty())
            for (const auto* e : select(c.select)) pairs.emplace_back(e->id, c.within);
        if (pairs.empty()) fail(c, "no elements selected");
        std::vector<std::string> bad;
        for (const auto& [a, b] : pairs) {
            std::string why;
            if (!is_inside(geom(c, a), geom(c, b), c.tolerance_m, why)) bad.push_back(a + " not inside " + b + ": " + why);
        }
        r.passed = bad.empty();
        r.detail = std::to_string(pairs.size() - bad.size()) + " of " + std::to_string(pairs.size()) + " inside";
        for (const auto& b : bad) r.detail += "; " + b;
    }

    void disjoint(const PlanCheck& c, CheckResult& r) const {
        auto a = select(c.select);
        PlanSelector os;
        os.ids = c.other;
        auto b = select(os);
        std::vector<std::string> bad;
        std::size_t pairs = 0;
        for (const auto* x : a)
            for (const auto* y : b) {
                ++pairs;
                const GEOSGeometry* gx = geom(c, x->id);
                const GEOSGeometry* gy = geom(c, y->id);
                if (is_polygonal(gx) && is_polygonal(gy)) {
                    auto i = geo::intersection(gx, gy);
                    double ov = geo::area(i.get());
                    if (ov > c.tolerance_m2) bad.push_back(x->id + " overlaps " + y->id + " by " + core::fixed(ov, 0) + " m²");
                } else if (GEOSIntersects_r(geo::geos_context(), gx, gy) == 1) {
                    bad.push_back(x->id + " meets " + y->id);
                }
            }
        r.passed = bad.empty();
        r.detail = std::to_string(pairs - bad.size()) + " of " + std::to_string(pairs) + " pair(s) disjoint";
        for (const auto& s : bad) r.detail += "; " + s;
    }

    void closed_ring(const PlanCheck& c, CheckResult& r) const {
        auto els = select(c.select);
        if (els.empty()) fail(c, "no elements selected");
        std::vector<std::string> bad;
        for (const auto* e : els) {
            std::string why;
            if (!geo::is_closed_ring(geom(c, e->id), c.tolerance_m, &why)) bad.push_back(e->id + ": " + why);
        }
        r.passed = bad.empty();
        r.detail = std::to_string(els.size() - bad.size()) + " of " + std::to_string(els.size()) + " closed";
        for (const auto& s : bad) r.detail += "; " + s;
    }

    const Plan& plan_;
    std::map<std::string, geo::GeomPtr>& geoms_;
};

// ---- output ----

std::string layer_geometry_type(const std::vector<const GEOSGeometry*>& gs) {
    std::set<std::string> types;
    std::set<int> dims;
    for (const auto* g : gs) {
        if (!g) continue;
        types.insert(geo::geometry_type(g));
        dims.insert(geo::dimension(g));
    }
    if (types.empty()) return "None";
    if (types.size() == 1 && *types.begin() != "GeometryCollection") return *types.begin();
    if (dims.size() == 1 && !types.count("GeometryCollection")) {
        int d = *dims.begin();
        return d == 0 ? "MultiPoint" : (d == 1 ? "MultiLineString" : "MultiPolygon");
    }
    return "Unknown";
}

std::vector<layers::Layer> make_layers(const Plan& plan, std::map<std::string, geo::GeomPtr>& geoms, const geo::Crs& analysis,
                               const geo::Crs& output) {
    std::map<std::string, std::vector<const PlanElement*>> by_kind;
    for (const auto& e : plan.elements)
        if (!e.helper && geoms[e.id]) by_kind[e.kind].push_back(&e);
    geo::Transformer to_output(analysis, output);
    std::vector<layers::Layer> layers;
    for (const auto& [kind, els] : by_kind) {
        std::vector<layers::Field> fields = {{"id", layers::FieldType::string, ""},         {"kind", layers::FieldType::string, ""},
                                     {"name_zh", layers::FieldType::string, ""},    {"name_en", layers::FieldType::string, ""},
                                     {"parent", layers::FieldType::string, ""},     {"precision", layers::FieldType::string, ""},
                                     {"source_ref", layers::FieldType::string, ""}, {"inferred", layers::FieldType::integer, ""}};
        // Attribute fields: integer when every value is, real when every value is numeric.
        std::vector<std::string> names;
        std::map<std::string, layers::FieldType> types;
        for (const auto* e : els)
            for (const auto& [k, v] : e->attributes) {
                layers::FieldType t = std::holds_alternative<std::int64_t>(v) ? layers::FieldType::integer
                              : std::holds_alternative<double>(v)     ? layers::FieldType::real
                                                                      : layers::FieldType::string;
                auto it = types.find(k);
                if (it == types.end()) {
                    names.push_back(k);
                    types[k] = t;
                } else if (it->second != t) {
                    bool numeric = it->second != layers::FieldType::string && t != layers::FieldType::string;
                    it->second = numeric ? layers::FieldType::real : layers::FieldType::string;
                }
            }
        for (const auto& n : names) fields.push_back({n, types[n], ""});
        std::vector<const GEOSGeometry*> gs;
        for (const auto* e : els) gs.push_back(geoms[e->id].get());
        layers::Layer layer(kind, fields, output, layer_geometry_type(gs));
        for (const auto* e : els) {
            layers::Feature f;
            f.fid = static_cast<std::int64_t>(layer.size()) + 1;
            if (geoms[e->id]) f.geometry = to_output.transform(geoms[e->id].get());
            f.values = {e->id, e->kind, e->name_zh, e->name_en, e->parent, e->precision, e->source_ref,
                        static_cast<std::int64_t>(e->inferred ? 1 : 0)};
            for (const auto& n : names) {
                auto it = std::find_if(e->attributes.begin(), e->attributes.end(), [&](const auto& a) { return a.first == n; });
                layers::Value v;
                if (it != e->attributes.end()) {
                    v = it->second;
                    if (types[n] == layers::FieldType::real && std::holds_alternative<std::int64_t>(v))
                        v = static_cast<double>(std::get<std::int64_t>(v));
                    if (types[n] == layers::FieldType::string) v = layers::value_to_string(v);
                }
                f.values.push_back(v);
            }
            layer.add(std::move(f));
        }
        layers.push_back(std::move(layer));
    }
    return layers;
}

}  // namespace

PlanBuild build_plan(const Plan& plan, const BuildOptions& options) {
    PlanBuild out;
    Evaluator ev(plan, out);
    auto t0 = Clock::now();
    ev.read_bases();
    out.timings_ms.emplace_back("read", ms_since(t0));
    auto t1 = Clock::now();
    geo::Crs analysis = ev.choose_analysis_crs();
    out.analysis_crs = analysis;
    ev.evaluate(analysis);
    out.timings_ms.emplace_back("evaluate", ms_since(t1));
    auto t2 = Clock::now();
    Checker checker(plan, ev.geoms());
    for (const auto& c : plan.checks) out.checks.push_back(checker.run(c));
    // Indicators the plan itself can evaluate; a count indicator is also a check (the counts the
    // text states: a miss of severity error fails the build).
    for (const auto& ind : plan.indicators) {
        out.indicators.push_back(evaluate_indicator(plan, ind, ev.geoms()));
        const auto& r = out.indicators.back();
        if (ind.evaluate != "count") continue;
        CheckResult c;
        c.name = ind.id + " " + ind.name_zh;
        c.type = "indicator count";
        c.severity = ind.severity;
        c.passed = r.status == "met";
        c.detail = r.why + ", the text states " + core::fixed(ind.target->value, 0);
        c.line = ind.line;
        out.checks.push_back(std::move(c));
    }
    out.timings_ms.emplace_back("checks", ms_since(t2));
    auto t3 = Clock::now();
    geo::Crs output = options.analysis_crs_output ? analysis : geo::Crs::cgcs2000();
    out.output_crs = output;
    out.layers = make_layers(plan, ev.geoms(), analysis, output);
    for (const auto& l : out.layers) out.counts[l.name()] = l.size();
    for (const auto& e : plan.elements)
        if (!e.helper && !ev.geom(e.id)) out.unplaced.push_back(&e);
    out.timings_ms.emplace_back("layers", ms_since(t3));
    return out;
}

std::vector<std::pair<std::string, std::string>> plan_metadata(const Plan& plan) {
    std::vector<std::pair<std::string, std::string>> out = {{"PLAN_ID", plan.id}};
    if (!plan.name_zh.empty()) out.emplace_back("PLAN_NAME_ZH", plan.name_zh);
    if (!plan.name_en.empty()) out.emplace_back("PLAN_NAME_EN", plan.name_en);
    if (!plan.period.empty()) out.emplace_back("PLAN_PERIOD", plan.period);
    if (!plan.source.empty()) out.emplace_back("PLAN_SOURCE", plan.source);
    return out;
}

std::optional<Plan> plan_identity(const std::map<std::string, std::string>& metadata) {
    auto get = [&](const char* key) {
        auto it = metadata.find(key);
        return it == metadata.end() ? std::string() : it->second;
    };
    if (get("PLAN_ID").empty()) return std::nullopt;
    Plan p;
    p.id = get("PLAN_ID");
    p.name_zh = get("PLAN_NAME_ZH");
    p.name_en = get("PLAN_NAME_EN");
    p.period = get("PLAN_PERIOD");
    p.source = get("PLAN_SOURCE");
    return p;
}

void throw_failed_checks(const Plan& plan, const PlanBuild& built) {
    if (!built.errors()) return;
    for (const auto& c : built.checks)
        if (!c.passed && c.severity == "error")
            throw file_error(plan.file, c.line, "check '" + c.name + "' failed: " + c.detail + " (" +
                                                    std::to_string(built.errors()) + " failed check(s); nothing written)");
}

}  // namespace planmap::plan
