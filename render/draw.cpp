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
void add_seq(Canvas& cv, const GEOSCoordSequence* seq, const View& v, bool close, int orient = 0) {
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
        cv.move_to(v.px(buf[0]), v.py(buf[1]));
        for (unsigned int i = 1; i < n; ++i) cv.line_to(v.px(buf[2 * i]), v.py(buf[2 * i + 1]));
    } else {
        // Snapped to an invisible grid (1/100 pt in vector output), repeated points dropped: far
        // smaller PDFs for dense boundaries drawn at small scales.
        const double q = 1 / v.snap_mm;
        double lx = std::round(v.px(buf[0]) * q), ly = std::round(v.py(buf[1]) * q);
        cv.move_to(lx / q, ly / q);
        for (unsigned int i = 1; i < n; ++i) {
            double x = std::round(v.px(buf[2 * i]) * q), y = std::round(v.py(buf[2 * i + 1]) * q);
            if (x == lx && y == ly) continue;
            cv.line_to(x / q, y / q);
            lx = x, ly = y;
        }
    }
    if (close) cv.close_path();
}
}  // namespace

void add_path(Canvas& cv, const GEOSGeometry* g, const View& v, bool polygons_only, bool oriented) {
    auto ctx = geo::geos_context();
    for_each_part(g, [&](const GEOSGeometry* p) {
        int type = GEOSGeomTypeId_r(ctx, p);
        if (type == GEOS_POLYGON) {
            add_seq(cv, GEOSGeom_getCoordSeq_r(ctx, GEOSGetExteriorRing_r(ctx, p)), v, true, oriented ? 1 : 0);
            int holes = GEOSGetNumInteriorRings_r(ctx, p);
            for (int i = 0; i < holes; ++i) add_seq(cv, GEOSGeom_getCoordSeq_r(ctx, GEOSGetInteriorRingN_r(ctx, p, i)), v, true, oriented ? -1 : 0);
        } else if (!polygons_only && (type == GEOS_LINESTRING || type == GEOS_LINEARRING)) {
            add_seq(cv, GEOSGeom_getCoordSeq_r(ctx, p), v, false);
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

void apply_line_style(Canvas& cv, const styles::LineSymbolizer& l) {
    cv.set_source(l.color, l.opacity);
    cv.set_line_width(l.width_mm);
    cv.set_line_cap(l.cap == styles::Cap::butt ? CAIRO_LINE_CAP_BUTT : l.cap == styles::Cap::round ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_SQUARE);
    cv.set_line_join(l.join == styles::Join::miter ? CAIRO_LINE_JOIN_MITER : l.join == styles::Join::round ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_BEVEL);
    cv.set_dash(l.dash_mm.empty() ? nullptr : l.dash_mm.data(), static_cast<int>(l.dash_mm.size()));
}

void fill_current_path(Canvas& cv, const styles::FillSymbolizer& f, cairo_fill_rule_t rule) {
    cv.set_fill_rule(rule);
    if (f.color.a > 0 && f.opacity > 0) {
        cv.set_source(f.color, f.opacity);
        cv.fill(true);
    }
    if (f.hatch == styles::Hatch::none) return;
    double x0, y0, x1, y1;
    cv.path_extents(x0, y0, x1, y1);
    cv.save();
    cv.clip(true);
    cv.new_path();
    cv.set_source(f.hatch_color);
    cv.set_line_width(f.hatch_width_mm);
    cv.set_dash(nullptr, 0);
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
            cv.move_to(nx * d + dx * tlo, ny * d + dy * tlo);
            cv.line_to(nx * d + dx * thi, ny * d + dy * thi);
        }
        cv.stroke();
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
                    cv.new_sub_path();
                    cv.arc(x, y, f.hatch_width_mm * 1.5, 0, 2 * M_PI);
                }
            cv.fill();
            break;
        case styles::Hatch::none: break;
    }
    cv.restore();
}

void draw_arrow(Canvas& cv, const Path& in, const styles::ArrowSymbolizer& a) {
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
    cv.new_path();
    cv.move_to(left[0].first, left[0].second);
    for (std::size_t i = 1; i < left.size(); ++i) cv.line_to(left[i].first, left[i].second);
    cv.line_to(base.first + nx * hw, base.second + ny * hw);
    cv.line_to(tip.first, tip.second);
    cv.line_to(base.first - nx * hw, base.second - ny * hw);
    for (std::size_t i = right.size(); i-- > 0;) cv.line_to(right[i].first, right[i].second);
    cv.close_path();
    cv.set_fill_rule(CAIRO_FILL_RULE_WINDING);
    cv.set_source(a.color, a.opacity);
    if (a.outline_width_mm > 0 && a.outline.a > 0) {
        cv.fill(true);
        cv.set_source(a.outline);
        cv.set_line_width(a.outline_width_mm);
        cv.set_line_join(CAIRO_LINE_JOIN_ROUND);
        cv.set_dash(nullptr, 0);
        cv.stroke();
    } else {
        cv.fill();
    }
}

void draw_marker(Canvas& cv, double x, double y, double d, const styles::MarkerSymbolizer& m) {
    double r = d / 2;
    auto shape = [&](double rr) {
        cv.new_path();
        switch (m.shape) {
            case styles::MarkerShape::circle: cv.arc(x, y, rr, 0, 2 * M_PI); break;
            case styles::MarkerShape::square: cv.rectangle(x - rr, y - rr, 2 * rr, 2 * rr); break;
            case styles::MarkerShape::diamond:
                cv.move_to(x, y - rr), cv.line_to(x + rr, y), cv.line_to(x, y + rr), cv.line_to(x - rr, y);
                break;
            case styles::MarkerShape::triangle:
                cv.move_to(x, y - rr), cv.line_to(x + rr * 0.866, y + rr * 0.5), cv.line_to(x - rr * 0.866, y + rr * 0.5);
                break;
            case styles::MarkerShape::star:
                for (int i = 0; i < 10; ++i) {
                    double a = -M_PI / 2 + i * M_PI / 5, q = (i % 2) ? rr * 0.42 : rr;
                    if (i == 0) cv.move_to(x + q * std::cos(a), y + q * std::sin(a));
                    else cv.line_to(x + q * std::cos(a), y + q * std::sin(a));
                }
                break;
        }
        cv.close_path();
    };
    cv.set_dash(nullptr, 0);
    for (int i = m.rings; i >= 1; --i) {  // outer rings first
        shape(r * (1 + 0.45 * i));
        cv.set_source(m.fill, 0.25);
        cv.fill(true);
        cv.set_source(m.fill);
        cv.set_line_width(std::max(0.15, m.stroke_width_mm));
        cv.stroke();
    }
    shape(r);
    cv.set_source(m.fill);
    if (m.stroke_width_mm > 0 && m.stroke.a > 0) {
        cv.fill(true);
        cv.set_source(m.stroke);
        cv.set_line_width(m.stroke_width_mm);
        cv.stroke();
    } else {
        cv.fill();
    }
}

}  // namespace planmap::render
