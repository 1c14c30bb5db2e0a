#include "render/draw.hpp"

#include <algorithm>
#include <cmath>

#include "render/text.hpp"

namespace planmap::render {

void for_each_part(const GEOSGeometry* g, const std::function<void(const GEOSGeometry*)>& fn) {
    auto ctx = geo::geos_context();
    int type = GEOSGeomTypeId_r(ctx, g);
    if (type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; ++i) for_each_part(GEOSGetGeometryN_r(ctx, g, i), fn);
        return;
    }
    fn(g);
}

Path page_coords(const GEOSCoordSequence* seq, const View& v) {
    auto ctx = geo::geos_context();
    unsigned int n = 0;
    GEOSCoordSeq_getSize_r(ctx, seq, &n);
    std::vector<double> buf(static_cast<std::size_t>(n) * 2);
    if (n) GEOSCoordSeq_copyToBuffer_r(ctx, seq, buf.data(), 0, 0);
    Path out(n);
    for (unsigned int i = 0; i < n; ++i) out[i] = {v.px(buf[2 * i]), v.py(buf[2 * i + 1])};
    return out;
}

namespace {
// orient: 0 as stored, +1 / -1 the ring's signed area (in page space) made positive / negative.
void add_seq(cairo_t* cr, const GEOSCoordSequence* seq, const View& v, bool close, int orient = 0) {
    auto ctx = geo::geos_context();
    unsigned int n = 0;
    GEOSCoordSeq_getSize_r(ctx, seq, &n);
    if (n < 2) return;
    thread_local std::vector<double> buf;
    buf.resize(static_cast<std::size_t>(n) * 2);
    GEOSCoordSeq_copyToBuffer_r(ctx, seq, buf.data(), 0, 0);
    if (orient != 0) {
        double a = 0;
        for (unsigned int i = 0; i + 1 < n; ++i) a += buf[2 * i] * buf[2 * i + 3] - buf[2 * i + 2] * buf[2 * i + 1];
        // World y runs up, page y down: the page area has the opposite sign.
        if ((-a > 0 ? 1 : -1) != orient)
            for (unsigned int i = 0, j = n - 1; i < j; ++i, --j) std::swap(buf[2 * i], buf[2 * j]), std::swap(buf[2 * i + 1], buf[2 * j + 1]);
    }
    if (v.snap_mm <= 0) {
        cairo_move_to(cr, v.px(buf[0]), v.py(buf[1]));
        for (unsigned int i = 1; i < n; ++i) cairo_line_to(cr, v.px(buf[2 * i]), v.py(buf[2 * i + 1]));
    } else {
        // Snapped to an invisible grid (1/100 pt in vector output), repeated points dropped: far
        // smaller PDFs for dense boundaries drawn at small scales.
        const double q = 1 / v.snap_mm;
        double lx = std::round(v.px(buf[0]) * q), ly = std::round(v.py(buf[1]) * q);
        cairo_move_to(cr, lx / q, ly / q);
        for (unsigned int i = 1; i < n; ++i) {
            double x = std::round(v.px(buf[2 * i]) * q), y = std::round(v.py(buf[2 * i + 1]) * q);
            if (x == lx && y == ly) continue;
            cairo_line_to(cr, x / q, y / q);
            lx = x, ly = y;
        }
    }
    if (close) cairo_close_path(cr);
}
}  // namespace

void add_path(cairo_t* cr, const GEOSGeometry* g, const View& v, bool polygons_only, bool oriented) {
    auto ctx = geo::geos_context();
    for_each_part(g, [&](const GEOSGeometry* p) {
        int type = GEOSGeomTypeId_r(ctx, p);
        if (type == GEOS_POLYGON) {
            add_seq(cr, GEOSGeom_getCoordSeq_r(ctx, GEOSGetExteriorRing_r(ctx, p)), v, true, oriented ? 1 : 0);
            int holes = GEOSGetNumInteriorRings_r(ctx, p);
            for (int i = 0; i < holes; ++i) add_seq(cr, GEOSGeom_getCoordSeq_r(ctx, GEOSGetInteriorRingN_r(ctx, p, i)), v, true, oriented ? -1 : 0);
        } else if (!polygons_only && (type == GEOS_LINESTRING || type == GEOS_LINEARRING)) {
            add_seq(cr, GEOSGeom_getCoordSeq_r(ctx, p), v, false);
        }
    });
}

geo::GeomPtr to_page(const GEOSGeometry* g, const View& v) {
    return geo::transform_coords(g, [&v](double* x, double* y, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = v.px(x[i]);
            y[i] = v.py(y[i]);
        }
    });
}

void apply_line_style(cairo_t* cr, const styles::LineSymbolizer& l) {
    set_source(cr, l.color, l.opacity);
    cairo_set_line_width(cr, l.width_mm);
    cairo_set_line_cap(cr, l.cap == styles::Cap::butt ? CAIRO_LINE_CAP_BUTT : l.cap == styles::Cap::round ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_SQUARE);
    cairo_set_line_join(cr, l.join == styles::Join::miter ? CAIRO_LINE_JOIN_MITER : l.join == styles::Join::round ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_BEVEL);
    cairo_set_dash(cr, l.dash_mm.empty() ? nullptr : l.dash_mm.data(), static_cast<int>(l.dash_mm.size()), 0);
}

void fill_current_path(cairo_t* cr, const styles::FillSymbolizer& f, cairo_fill_rule_t rule) {
    cairo_set_fill_rule(cr, rule);
    if (f.color.a > 0 && f.opacity > 0) {
        set_source(cr, f.color, f.opacity);
        cairo_fill_preserve(cr);
    }
    if (f.hatch == styles::Hatch::none) return;
    double x0, y0, x1, y1;
    cairo_path_extents(cr, &x0, &y0, &x1, &y1);
    cairo_save(cr);
    cairo_clip_preserve(cr);
    cairo_new_path(cr);
    set_source(cr, f.hatch_color);
    cairo_set_line_width(cr, f.hatch_width_mm);
    cairo_set_dash(cr, nullptr, 0, 0);
    double s = f.hatch_spacing_mm;
    auto lines = [&](double angle_deg) {
        // Parallel lines at `angle_deg` covering the extents, anchored to the page origin so that
        // neighbouring polygons' hatches line up.
        double a = angle_deg * M_PI / 180, dx = std::cos(a), dy = std::sin(a);
        double nx = -dy, ny = dx;  // normal
        double corners[4][2] = {{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}};
        double lo = 1e300, hi = -1e300, tlo = 1e300, thi = -1e300;
        for (auto& c : corners) {
            double d = c[0] * nx + c[1] * ny, t = c[0] * dx + c[1] * dy;
            lo = std::min(lo, d), hi = std::max(hi, d), tlo = std::min(tlo, t), thi = std::max(thi, t);
        }
        for (double d = std::floor(lo / s) * s; d <= hi; d += s) {
            cairo_move_to(cr, nx * d + dx * tlo, ny * d + dy * tlo);
            cairo_line_to(cr, nx * d + dx * thi, ny * d + dy * thi);
        }
        cairo_stroke(cr);
    };
    switch (f.hatch) {
        case styles::Hatch::horizontal: lines(0); break;
        case styles::Hatch::vertical: lines(90); break;
        case styles::Hatch::diagonal: lines(-45); break;
        case styles::Hatch::backdiagonal: lines(45); break;
        case styles::Hatch::cross: lines(0), lines(90); break;
        case styles::Hatch::diagonal_cross: lines(45), lines(-45); break;
        case styles::Hatch::dots:
            for (double x = std::floor(x0 / s) * s; x <= x1; x += s)
                for (double y = std::floor(y0 / s) * s; y <= y1; y += s) {
                    cairo_new_sub_path(cr);
                    cairo_arc(cr, x, y, f.hatch_width_mm * 1.5, 0, 2 * M_PI);
                }
            cairo_fill(cr);
            break;
        case styles::Hatch::none: break;
    }
    cairo_restore(cr);
}

void draw_arrow(cairo_t* cr, const Path& in, const styles::ArrowSymbolizer& a) {
    // Drop repeated points, then build the outline: left side forward, the head, right side back.
    Path p;
    for (const auto& q : in)
        if (p.empty() || std::hypot(q.first - p.back().first, q.second - p.back().second) > 1e-6) p.push_back(q);
    if (p.size() < 2) return;
    std::vector<double> cum(p.size(), 0);
    for (std::size_t i = 1; i < p.size(); ++i) cum[i] = cum[i - 1] + std::hypot(p[i].first - p[i - 1].first, p[i].second - p[i - 1].second);
    double total = cum.back();
    double head = std::min(a.head_length_mm, total * 0.5);
    double body = total - head;
    // Cut the line where the head starts.
    Path shaft;
    std::vector<double> shaft_d;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (cum[i] < body) {
            shaft.push_back(p[i]);
            shaft_d.push_back(cum[i]);
            continue;
        }
        double seg = cum[i] - cum[i - 1];
        double t = seg > 0 ? (body - cum[i - 1]) / seg : 0;
        shaft.push_back({p[i - 1].first + t * (p[i].first - p[i - 1].first), p[i - 1].second + t * (p[i].second - p[i - 1].second)});
        shaft_d.push_back(body);
        break;
    }
    if (shaft.size() < 2) shaft = {p.front(), p.front()}, shaft_d = {0, 0};
    auto width_at = [&](double d) { return a.start_width_mm + (a.end_width_mm - a.start_width_mm) * (body > 0 ? d / body : 1); };
    auto normal = [&](std::size_t i) {
        std::size_t i0 = i == 0 ? 0 : i - 1, i1 = i + 1 < shaft.size() ? i + 1 : i;
        double dx = shaft[i1].first - shaft[i0].first, dy = shaft[i1].second - shaft[i0].second;
        double len = std::hypot(dx, dy);
        if (len == 0) {
            dx = p.back().first - p.front().first, dy = p.back().second - p.front().second, len = std::hypot(dx, dy);
        }
        return std::pair{-dy / len, dx / len};
    };
    Path left, right;
    for (std::size_t i = 0; i < shaft.size(); ++i) {
        auto [nx, ny] = normal(i);
        double w = width_at(shaft_d[i]) / 2;
        left.push_back({shaft[i].first + nx * w, shaft[i].second + ny * w});
        right.push_back({shaft[i].first - nx * w, shaft[i].second - ny * w});
    }
    auto tip = p.back();
    auto base = shaft.back();
    double dx = tip.first - base.first, dy = tip.second - base.second, len = std::hypot(dx, dy);
    double nx = len > 0 ? -dy / len : 0, ny = len > 0 ? dx / len : 0;
    double hw = a.head_width_mm / 2;
    cairo_new_path(cr);
    cairo_move_to(cr, left[0].first, left[0].second);
    for (std::size_t i = 1; i < left.size(); ++i) cairo_line_to(cr, left[i].first, left[i].second);
    cairo_line_to(cr, base.first + nx * hw, base.second + ny * hw);
    cairo_line_to(cr, tip.first, tip.second);
    cairo_line_to(cr, base.first - nx * hw, base.second - ny * hw);
    for (std::size_t i = right.size(); i-- > 0;) cairo_line_to(cr, right[i].first, right[i].second);
    cairo_close_path(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    set_source(cr, a.color, a.opacity);
    if (a.outline_width_mm > 0 && a.outline.a > 0) {
        cairo_fill_preserve(cr);
        set_source(cr, a.outline);
        cairo_set_line_width(cr, a.outline_width_mm);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_dash(cr, nullptr, 0, 0);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
}

void draw_marker(cairo_t* cr, double x, double y, double d, const styles::MarkerSymbolizer& m) {
    double r = d / 2;
    auto shape = [&](double rr) {
        cairo_new_path(cr);
        switch (m.shape) {
            case styles::MarkerShape::circle: cairo_arc(cr, x, y, rr, 0, 2 * M_PI); break;
            case styles::MarkerShape::square: cairo_rectangle(cr, x - rr, y - rr, 2 * rr, 2 * rr); break;
            case styles::MarkerShape::diamond:
                cairo_move_to(cr, x, y - rr), cairo_line_to(cr, x + rr, y), cairo_line_to(cr, x, y + rr), cairo_line_to(cr, x - rr, y);
                break;
            case styles::MarkerShape::triangle:
                cairo_move_to(cr, x, y - rr), cairo_line_to(cr, x + rr * 0.866, y + rr * 0.5), cairo_line_to(cr, x - rr * 0.866, y + rr * 0.5);
                break;
            case styles::MarkerShape::star:
                for (int i = 0; i < 10; ++i) {
                    double a = -M_PI / 2 + i * M_PI / 5, q = (i % 2) ? rr * 0.42 : rr;
                    if (i == 0) cairo_move_to(cr, x + q * std::cos(a), y + q * std::sin(a));
                    else cairo_line_to(cr, x + q * std::cos(a), y + q * std::sin(a));
                }
                break;
        }
        cairo_close_path(cr);
    };
    cairo_set_dash(cr, nullptr, 0, 0);
    for (int i = m.rings; i >= 1; --i) {  // outer rings first
        shape(r * (1 + 0.45 * i));
        set_source(cr, m.fill, 0.25);
        cairo_fill_preserve(cr);
        set_source(cr, m.fill);
        cairo_set_line_width(cr, std::max(0.15, m.stroke_width_mm));
        cairo_stroke(cr);
    }
    shape(r);
    set_source(cr, m.fill);
    if (m.stroke_width_mm > 0 && m.stroke.a > 0) {
        cairo_fill_preserve(cr);
        set_source(cr, m.stroke);
        cairo_set_line_width(cr, m.stroke_width_mm);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
}

}  // namespace planmap::render
