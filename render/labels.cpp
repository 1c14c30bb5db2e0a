#include "render/labels.hpp"

#include <algorithm>
#include <cmath>
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

}  // namespace

LabelResult place_labels(PangoContext* ctx, std::vector<LabelRequest>& requests, const Box& frame, CollisionIndex& obstacles) {
    std::vector<std::size_t> order(requests.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return requests[a].sym->priority > requests[b].sym->priority; });
    LabelResult res;
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
        else ++res.skipped;
    }
    return res;
}

void draw_labels(cairo_t* cr, PangoContext* ctx, const LabelResult& result) {
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
    // Halos first, label by label (stamped glyph by glyph, see halo.hpp), then the text on top.
    // A translucent halo colour is drawn opaque into a group painted once with its alpha, so that
    // overlapping glyph halos do not darken.
    HaloStamps stamps(cr);
    std::vector<bool> done(items.size(), false);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& sym = *items[i].label->request->sym;
        if (done[i] || sym.halo_mm <= 0 || sym.halo_color.a <= 0) continue;
        bool group = sym.halo_color.a < 1;
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
    for (const auto& it : items) {
        const styles::Color color = it.label->request->sym->color;
        set_source(cr, color);
        for_each_piece(it, [&](PangoLayout* l) {
            if (text_tiles) {
                PangoRectangle ink;
                pango_layout_get_extents(l, &ink, nullptr);
                cairo_matrix_t m = text_tiles->to_page();
                double box[4];
                transform_box(m, ink.x / double(PANGO_SCALE), ink.y / double(PANGO_SCALE), ink.width / double(PANGO_SCALE),
                              ink.height / double(PANGO_SCALE), box);
                text_tiles->add(box[0], box[1], box[2], box[3], [l, m, color](cairo_t* c) {
                    cairo_transform(c, &m);
                    set_source(c, color);
                    cairo_move_to(c, 0, 0);
                    pango_cairo_show_layout(c, l);
                });
                return;
            }
            cairo_move_to(cr, 0, 0);
            pango_cairo_show_layout(cr, l);
        });
    }
    if (text_tiles) text_tiles->flush();
}

}  // namespace planmap::render
