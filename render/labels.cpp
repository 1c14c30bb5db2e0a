#include "render/labels.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <optional>

#include "render/halo.hpp"
#include "render/page_tiles.hpp"

namespace planmap::render {

namespace bg = boost::geometry;

bool CollisionIndex::free(const Box& b) const {
    BBox q(Pt(b.x0, b.y0), Pt(b.x1, b.y1));
    for (auto it = tree_.qbegin(bg::index::intersects(q)); it != tree_.qend(); ++it) {
        Box o{bg::get<bg::min_corner, 0>(*it), bg::get<bg::min_corner, 1>(*it), bg::get<bg::max_corner, 0>(*it),
              bg::get<bg::max_corner, 1>(*it)};
        if (o.intersects(b)) return false;  // strict: touching edges do not collide
    }
    return true;
}

void CollisionIndex::insert(const Box& b) { tree_.insert(BBox(Pt(b.x0, b.y0), Pt(b.x1, b.y1))); }

namespace {

TextSpec text_spec(const styles::LabelSymbolizer& s) {
    TextSpec t;
    t.family = s.family;
    t.size_pt = s.size_pt;
    t.bold = s.bold;
    t.wrap_mm = s.max_width_mm;
    t.align = PANGO_ALIGN_CENTER;
    return t;
}

// Splits UTF-8 text into code points (enough for Chinese and Latin place names).
std::vector<std::string> code_points(const std::string& s) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        out.push_back(s.substr(i, n));
        i += n;
    }
    return out;
}

struct Polyline {
    std::vector<std::pair<double, double>> p;
    std::vector<double> cum;  // cumulative length
    explicit Polyline(std::vector<std::pair<double, double>> pts) : p(std::move(pts)) {
        cum.assign(p.size(), 0);
        for (std::size_t i = 1; i < p.size(); ++i) cum[i] = cum[i - 1] + std::hypot(p[i].first - p[i - 1].first, p[i].second - p[i - 1].second);
    }
    double length() const { return cum.empty() ? 0 : cum.back(); }
    std::pair<double, double> at(double d) const {
        if (d <= 0) return p.front();
        if (d >= length()) return p.back();
        auto it = std::upper_bound(cum.begin(), cum.end(), d);
        std::size_t i = static_cast<std::size_t>(it - cum.begin());
        double seg = cum[i] - cum[i - 1];
        double t = seg > 0 ? (d - cum[i - 1]) / seg : 0;
        return {p[i - 1].first + t * (p[i].first - p[i - 1].first), p[i - 1].second + t * (p[i].second - p[i - 1].second)};
    }
};

Box glyph_box(double cx, double cy, double w, double h, double angle) {
    double c = std::fabs(std::cos(angle)), s = std::fabs(std::sin(angle));
    double hw = (w * c + h * s) / 2, hh = (w * s + h * c) / 2;
    return {cx - hw, cy - hh, cx + hw, cy + hh};
}

bool box_inside_polygon(const Box& b, const GEOSPreparedGeometry* prep) {
    auto r = geo::make_polygon({{b.x0, b.y0}, {b.x1, b.y0}, {b.x1, b.y1}, {b.x0, b.y1}, {b.x0, b.y0}});
    return GEOSPreparedCovers_r(geo::geos_context(), prep, r.get()) == 1;
}

bool place_line(PangoContext* ctx, const LabelRequest& req, const Box& frame, CollisionIndex& index, PlacedLabel& out) {
    const auto& sym = *req.sym;
    auto chars = code_points(req.text);
    if (chars.empty() || req.pts.size() < 2) return false;
    TextSpec ts = text_spec(sym);
    ts.wrap_mm = 0;
    std::vector<double> adv;
    double h = 0;
    for (const auto& ch : chars) {
        auto l = make_layout(ctx, ch, ts);
        Size s = layout_size(l.get());
        adv.push_back(s.w);
        h = std::max(h, s.h);
    }
    auto pts = req.pts;
    double dx = pts.back().first - pts.front().first, dy = pts.back().second - pts.front().second;
    bool vertical = sym.vertical && std::fabs(dx) < 0.5 * std::fabs(dy);
    if (vertical ? dy < 0 : dx < 0) std::reverse(pts.begin(), pts.end());
    const Polyline forward(pts);
    std::reverse(pts.begin(), pts.end());
    const Polyline backward(pts);
    double total = vertical ? h * 0.95 * static_cast<double>(chars.size()) : std::accumulate(adv.begin(), adv.end(), 0.0);
    double len = forward.length();
    if (len < total * 1.05) return false;
    for (double share : {0.5, 0.35, 0.65, 0.2, 0.8}) {
        double start = len * share - total / 2;
        if (start < 0 || start + total > len) continue;
        // Text reads left to right (top to bottom when vertical) along the stretch it sits on,
        // whatever the line's overall direction: a curving line may run the other way there.
        const auto a0 = forward.at(start), a1 = forward.at(start + total);
        const bool flip = vertical ? a1.second < a0.second : a1.first < a0.first;
        const Polyline& line = flip ? backward : forward;
        if (flip) start = len - start - total;
        std::vector<PlacedGlyph> glyphs;
        std::vector<Box> boxes;
        bool ok = true;
        double d = start;
        double prev_angle = 0;
        for (std::size_t i = 0; i < chars.size() && ok; ++i) {
            double a = vertical ? h * 0.95 : adv[i];
            auto p0 = line.at(d), p1 = line.at(d + a);
            auto c = line.at(d + a / 2);
            double angle = vertical ? 0 : std::atan2(p1.second - p0.second, p1.first - p0.first);
            if (!vertical && i > 0) {
                double diff = std::fabs(std::remainder(angle - prev_angle, 2 * M_PI));
                if (diff > M_PI / 5) ok = false;  // too sharp a bend for readable text
            }
            prev_angle = angle;
            Box b = vertical ? Box{c.first - h / 2, c.second - a / 2, c.first + h / 2, c.second + a / 2}
                             : glyph_box(c.first, c.second, adv[i], h * 0.9, angle);
            if (!b.within(frame) || !index.free(b)) ok = false;
            glyphs.push_back({chars[i], c.first, c.second, angle});
            boxes.push_back(b);
            d += a;
        }
        if (!ok) continue;
        for (const auto& b : boxes) index.insert(b);
        out.glyphs = std::move(glyphs);
        out.boxes = std::move(boxes);
        return true;
    }
    return false;
}

bool place_block(PangoContext* ctx, const LabelRequest& req, const Box& frame, CollisionIndex& index, PlacedLabel& out) {
    const auto& sym = *req.sym;
    LayoutPtr layout = make_layout(ctx, req.text, text_spec(sym));
    Size s = layout_size(layout.get());
    std::vector<std::pair<double, double>> centres;  // candidate centres of the label box
    geo::PreparedPtr prep;
    if (sym.placement == styles::Placement::interior && req.polygon) {
        prep = geo::prepare(req.polygon.get());
        auto e = geo::envelope(req.polygon.get());
        if (!e.empty && s.w > (e.maxx - e.minx) * 0.9) {
            // Too wide for the polygon on one line: wrap to the polygon's width.
            TextSpec ts = text_spec(sym);
            ts.wrap_mm = (e.maxx - e.minx) * 0.85;
            if (sym.max_width_mm > 0) ts.wrap_mm = std::min(ts.wrap_mm, sym.max_width_mm);
            layout = make_layout(ctx, req.text, ts);
            s = layout_size(layout.get());
        }
        if (e.empty || e.maxx - e.minx < s.w || e.maxy - e.miny < s.h) return false;
        auto anchor = req.pts.front();
        centres.push_back(anchor);
        const int n = 6;
        std::vector<std::pair<double, double>> grid;
        for (int i = 0; i <= n; ++i)
            for (int j = 0; j <= n; ++j)
                grid.emplace_back(e.minx + s.w / 2 + (e.maxx - e.minx - s.w) * i / n, e.miny + s.h / 2 + (e.maxy - e.miny - s.h) * j / n);
        std::sort(grid.begin(), grid.end(), [&](const auto& a, const auto& b) {
            return std::hypot(a.first - anchor.first, a.second - anchor.second) < std::hypot(b.first - anchor.first, b.second - anchor.second);
        });
        centres.insert(centres.end(), grid.begin(), grid.end());
    } else {
        auto p = req.pts.front();
        double off = std::max(sym.offset_mm, req.marker_radius_mm > 0 ? req.marker_radius_mm + 0.8 : 0.0);
        if (off <= 0) centres.push_back(p);
        double gx = off + s.w / 2, gy = off + s.h / 2;
        for (auto [ux, uy] : {std::pair{1.0, 0.0}, {-1.0, 0.0}, {0.0, -1.0}, {0.0, 1.0}, {1.0, -1.0}, {1.0, 1.0}, {-1.0, -1.0}, {-1.0, 1.0}}) {
            if (off <= 0 && ux == 0 && uy == 0) continue;
            centres.emplace_back(p.first + ux * gx, p.second + uy * (ux == 0 ? gy : s.h / 2 + off * 0.5));
        }
    }
    for (auto [cx, cy] : centres) {
        Box b{cx - s.w / 2, cy - s.h / 2, cx + s.w / 2, cy + s.h / 2};
        if (!b.within(frame) || !index.free(b)) continue;
        if (prep && !box_inside_polygon(b, prep.get())) continue;
        index.insert(b);
        out.layout = std::move(layout);
        out.x = b.x0;
        out.y = b.y0;
        out.boxes.push_back(b);
        return true;
    }
    return false;
}

// Where a leader starts: a point of the feature inside the frame (the label anchor when it is).
std::optional<std::pair<double, double>> leader_anchor(const LabelRequest& req, const Box& frame) {
    auto inside = [&](std::pair<double, double> p) { return p.first > frame.x0 && p.first < frame.x1 && p.second > frame.y0 && p.second < frame.y1; };
    if (req.pts.size() >= 2) {
        const Polyline line(req.pts);
        for (double share : {0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9, 0.0, 1.0})
            if (auto p = line.at(line.length() * share); inside(p)) return p;
        return std::nullopt;
    }
    if (req.pts.empty()) return std::nullopt;
    if (inside(req.pts.front())) return req.pts.front();
    if (!req.polygon) return std::nullopt;
    auto f = geo::make_polygon({{frame.x0, frame.y0}, {frame.x1, frame.y0}, {frame.x1, frame.y1}, {frame.x0, frame.y1}, {frame.x0, frame.y0}});
    auto visible = geo::intersection(req.polygon.get(), f.get());
    if (!visible || geo::is_empty(visible.get())) return std::nullopt;
    auto pos = geo::point_on_surface(visible.get());
    double x = 0, y = 0;
    GEOSGeomGetX_r(geo::geos_context(), pos.get(), &x), GEOSGeomGetY_r(geo::geos_context(), pos.get(), &y);
    return std::pair{x, y};
}

// The fallback for a label that found no place on its feature: a horizontal block right beside
// the feature's anchor, else at a free place on rings of growing radius around it with a leader
// line that crosses no placed label.
bool place_with_leader(PangoContext* ctx, const LabelRequest& req, const Box& frame, CollisionIndex& index, PlacedLabel& out) {
    auto anchor = leader_anchor(req, frame);
    if (!anchor) return false;
    const auto [ax, ay] = *anchor;
    LayoutPtr layout = make_layout(ctx, req.text, text_spec(*req.sym));
    const Size s = layout_size(layout.get());
    auto take = [&](const Box& b) {
        index.insert(b);
        out.moved = true;
        out.layout = std::move(layout);
        out.x = b.x0, out.y = b.y0;
        out.boxes.push_back(b);
    };
    const double r0 = req.marker_radius_mm + 0.8;
    for (auto [ux, uy] : {std::pair{1.0, 0.0}, {-1.0, 0.0}, {0.0, -1.0}, {0.0, 1.0}, {1.0, -1.0}, {1.0, 1.0}, {-1.0, -1.0}, {-1.0, 1.0}}) {
        double cx = ax + ux * (r0 + s.w / 2), cy = ay + uy * (r0 + s.h / 2);
        Box b{cx - s.w / 2, cy - s.h / 2, cx + s.w / 2, cy + s.h / 2};
        if (b.within(frame) && index.free(b)) return take(b), true;
    }
    constexpr double tick = 0.3;  // half-size of the boxes that keep the leader clear of labels
    // First a leader that crosses no label; failing that, the nearest free place whatever the
    // leader crosses (a name across a leader reads better than no name).
    for (bool clear_leader : {true, false}) {
        for (double r : {5.0, 8.0, 12.0, 17.0, 24.0, 33.0, 45.0, 60.0, 80.0, 105.0, 135.0}) {
            for (int k = 0; k < 16; ++k) {
                // Upper right first (the usual side for a callout), then around the anchor.
                double a = -M_PI / 4 + (k % 2 ? 1 : -1) * ((k + 1) / 2) * M_PI / 8;
                double ux = std::cos(a), uy = std::sin(a);
                double cx = ax + ux * r + (std::fabs(ux) > 0.35 ? std::copysign(s.w / 2, ux) : 0);
                double cy = ay + uy * r + (std::fabs(uy) > 0.35 ? std::copysign(s.h / 2, uy) : 0);
                Box b{cx - s.w / 2, cy - s.h / 2, cx + s.w / 2, cy + s.h / 2};
                if (!b.within(frame) || !index.free(b)) continue;
                double ex = std::clamp(ax, b.x0, b.x1), ey = std::clamp(ay, b.y0, b.y1);
                double len = std::hypot(ex - ax, ey - ay);
                double sx = ax + (len > 0 ? (ex - ax) / len : 0) * req.marker_radius_mm, sy = ay + (len > 0 ? (ey - ay) / len : 0) * req.marker_radius_mm;
                std::vector<Box> ticks;
                int n = static_cast<int>(std::ceil(len));
                bool clear = true;
                for (int j = 1; j < n && clear; ++j) {
                    double t = static_cast<double>(j) / n;
                    double px = ax + t * (ex - ax), py = ay + t * (ey - ay);
                    Box tb{px - tick, py - tick, px + tick, py + tick};
                    if (tb.intersects(b)) break;
                    if (index.free(tb)) ticks.push_back(tb);
                    else clear = !clear_leader;
                }
                if (!clear) continue;
                for (const auto& tb : ticks) index.insert(tb);
                out.leader = true;
                out.leader_from = {sx, sy}, out.leader_to = {ex, ey};
                take(b);
                return true;
            }
        }
    }
    return false;
}

// Whether drawing on `cr` ends in a vector file (text stays text).
bool vector_target(cairo_t* cr) {
    auto t = cairo_surface_get_type(cairo_get_target(cr));
    return t == CAIRO_SURFACE_TYPE_PDF || t == CAIRO_SURFACE_TYPE_SVG;
}

}  // namespace

LabelResult place_labels(PangoContext* ctx, std::vector<LabelRequest>& requests, const Box& frame, CollisionIndex& obstacles) {
    std::vector<std::size_t> order(requests.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return requests[a].sym->priority > requests[b].sym->priority; });
    LabelResult res;
    std::vector<std::size_t> retry;  // labels with a leader that found no place on their feature
    for (std::size_t i : order) {
        auto& req = requests[i];
        if (req.text.empty() || req.pts.empty()) {
            ++res.skipped;
            continue;
        }
        PlacedLabel pl;
        pl.request = &req;
        bool ok = req.sym->placement == styles::Placement::line && req.pts.size() >= 2 ? place_line(ctx, req, frame, obstacles, pl)
                                                                                      : place_block(ctx, req, frame, obstacles, pl);
        if (ok) res.placed.push_back(std::move(pl));
        else if (req.sym->leader) retry.push_back(i);
        else ++res.skipped;
    }
    // Second pass, in priority order: every label on its feature has had its chance first.
    for (std::size_t i : retry) {
        PlacedLabel pl;
        pl.request = &requests[i];
        if (place_with_leader(ctx, requests[i], frame, obstacles, pl)) {
            res.leaders += pl.leader ? 1 : 0;
            res.placed.push_back(std::move(pl));
        } else {
            ++res.skipped;
            res.unplaced.push_back(&requests[i]);
        }
    }
    return res;
}

void draw_labels(cairo_t* cr, PangoContext* ctx, const LabelResult& result, PdfContent* beneath) {
    struct Item {
        const PlacedLabel* label;
        std::vector<LayoutPtr> glyph_layouts;
    };
    std::vector<Item> items;
    items.reserve(result.placed.size());
    for (const auto& pl : result.placed) {
        Item it{&pl, {}};
        if (!pl.layout) {
            TextSpec ts = text_spec(*pl.request->sym);
            ts.wrap_mm = 0;
            for (const auto& g : pl.glyphs) it.glyph_layouts.push_back(make_layout(ctx, g.text, ts));
        }
        items.push_back(std::move(it));
    }
    // Visits each piece of text of a label with the transformation set up (top-left at 0, 0).
    auto for_each_piece = [&](const Item& it, auto&& fn) {
        const PlacedLabel& pl = *it.label;
        if (pl.layout) {
            cairo_save(cr);
            cairo_translate(cr, pl.x, pl.y);
            fn(pl.layout.get());
            cairo_restore(cr);
            return;
        }
        for (std::size_t i = 0; i < pl.glyphs.size(); ++i) {
            const auto& g = pl.glyphs[i];
            PangoLayout* l = it.glyph_layouts[i].get();
            Size s = layout_size(l);
            cairo_save(cr);
            cairo_translate(cr, g.cx, g.cy);
            cairo_rotate(cr, g.angle);
            cairo_translate(cr, -s.w / 2, -s.h / 2);
            fn(l);
            cairo_restore(cr);
        }
    };
    // Leaders under everything else of the labels: a hairline from a dot on the feature.
    CairoCanvas on_cr(cr);
    Canvas& under = beneath ? static_cast<Canvas&>(*beneath) : on_cr;
    for (const auto& pl : result.placed) {
        if (!pl.leader) continue;
        under.save();
        under.set_source(pl.request->sym->color, 0.85);
        under.set_dash(nullptr, 0);
        under.set_line_width(0.18);
        under.set_line_cap(CAIRO_LINE_CAP_ROUND);
        under.move_to(pl.leader_from.first, pl.leader_from.second);
        under.line_to(pl.leader_to.first, pl.leader_to.second);
        under.stroke();
        if (pl.request->marker_radius_mm <= 0) {
            under.arc(pl.leader_from.first, pl.leader_from.second, 0.45, 0, 2 * M_PI);
            under.fill();
        }
        under.restore();
    }
    // Halos first, label by label (stamped glyph by glyph, see halo.hpp), then the text on top.
    // A translucent halo colour is drawn opaque into a group painted once with its alpha, so that
    // overlapping glyph halos do not darken.
    HaloStamps on_page(cr), below(cr, beneath);
    std::vector<bool> done(items.size(), false);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& sym = *items[i].label->request->sym;
        if (done[i] || sym.halo_mm <= 0 || sym.halo_color.a <= 0) continue;
        bool group = sym.halo_color.a < 1;
        HaloStamps& stamps = beneath && !group ? below : on_page;
        if (group) cairo_push_group(cr);
        for (std::size_t j = i; j < items.size(); ++j) {
            const auto& o = *items[j].label->request->sym;
            if (done[j] || o.halo_mm != sym.halo_mm || !(o.halo_color == sym.halo_color)) continue;
            done[j] = true;
            for_each_piece(items[j], [&](PangoLayout* l) { stamps.draw(l, sym.halo_color, sym.halo_mm); });
        }
        stamps.flush();
        if (group) {
            cairo_pop_group_to_source(cr);
            cairo_paint_with_alpha(cr, sym.halo_color.a);
        }
    }
    // PDF: the texts too are drawn in page tiles (see page_tiles.hpp), after all halos.
    std::optional<PageTiles> text_tiles;
    if (wants_page_tiles(cairo_get_target(cr))) text_tiles.emplace(cr);
    const bool vector = vector_target(cr);
    for (const auto& it : items) {
        const styles::Color color = it.label->request->sym->color;
        set_source(cr, color);
        // Glyph by glyph (curved or stacked): in a vector file the glyphs are not extracted as
        // text (PDF: marked with an empty /ActualText; SVG: outlines), and the whole text is
        // written once more, invisible, at the label's middle, so that text search and
        // extraction find the name as one word rather than as scattered characters.
        const bool outlines = vector && !it.label->layout && !it.label->glyphs.empty();
        if (outlines) {
            TextSpec ts = text_spec(*it.label->request->sym);
            ts.wrap_mm = 0;
            LayoutPtr run = make_layout(ctx, it.label->request->text, ts);
            Size rs = layout_size(run.get());
            const auto& mid = it.label->glyphs[it.label->glyphs.size() / 2];
            double x = mid.cx - rs.w / 2, y = mid.cy - rs.h / 2;
            // Not fully transparent: Cairo drops drawing with a clear source (alpha below 1/256).
            const styles::Color ghost{color.r, color.g, color.b, 0.01};
            auto show_run = [l = run.get(), ghost](cairo_t* c, double x0, double y0) {
                set_source(c, ghost);
                cairo_move_to(c, x0, y0);
                pango_cairo_show_layout(c, l);
            };
            if (text_tiles) {
                cairo_matrix_t m = text_tiles->to_page();
                double box[4];
                transform_box(m, x, y, rs.w, rs.h, box);
                text_tiles->add(box[0], box[1], box[2], box[3], [show_run, m, x, y, keep = std::make_shared<LayoutPtr>(std::move(run))](cairo_t* c) {
                    cairo_transform(c, &m);
                    show_run(c, x, y);
                });
            } else {
                cairo_save(cr);
                show_run(cr, x, y);
                cairo_restore(cr);
                set_source(cr, color);
            }
        }
        // PDF keeps the glyphs as text (a font's glyph is written once, each use is a few bytes)
        // that extraction skips; SVG gets their outlines.
        auto show = [outlines, pdf = text_tiles.has_value()](cairo_t* c, PangoLayout* l) {
            cairo_move_to(c, 0, 0);
            if (!outlines) return pango_cairo_show_layout(c, l);
            if (pdf) return show_layout_glyphs_only(c, l);
            pango_cairo_layout_path(c, l);
            cairo_fill(c);
        };
        for_each_piece(it, [&](PangoLayout* l) {
            if (text_tiles) {
                PangoRectangle ink;
                pango_layout_get_extents(l, &ink, nullptr);
                cairo_matrix_t m = text_tiles->to_page();
                double box[4];
                transform_box(m, ink.x / double(PANGO_SCALE), ink.y / double(PANGO_SCALE), ink.width / double(PANGO_SCALE),
                              ink.height / double(PANGO_SCALE), box);
                text_tiles->add(box[0], box[1], box[2], box[3], [l, m, color, show](cairo_t* c) {
                    cairo_transform(c, &m);
                    set_source(c, color);
                    show(c, l);
                });
                return;
            }
            show(cr, l);
        });
    }
    if (text_tiles) text_tiles->flush();
}

}  // namespace planmap::render
