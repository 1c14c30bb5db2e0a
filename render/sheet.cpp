#include "render/sheet.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "layers/io.hpp"
#include "render/detail/sheet_paint.hpp"
#include "render/draw.hpp"
#include "render/labels.hpp"
#include "render/pdf_content.hpp"
#include "render/png_writer.hpp"
#include "render/sheet_number.hpp"
#include "render/text.hpp"

namespace planmap::render {

namespace fs = std::filesystem;
using styles::Color;

namespace {

std::string resolve_source(const std::string& source, const std::string& dir) {
    if (source.find(':') != std::string::npos && !fs::exists(source) && source.rfind("PG:", 0) == 0) return source;
    fs::path p(source);
    if (p.is_relative() && !dir.empty() && !fs::exists(p)) p = fs::path(dir) / p;
    return p.string();
}

layers::Layer read_spec_layer(const LayerSpec& s, const std::string& dir, const std::string& map_file) {
    layers::ReadOptions ro;
    ro.layer = s.layer;
    if (!s.s_crs.empty()) ro.source_crs = geo::Crs::parse(s.s_crs);
    std::string path = resolve_source(s.source, dir);
    if (!fs::exists(path) && path.rfind("PG:", 0) != 0)
        throw file_error(map_file.empty() ? path : map_file, s.line, trf("layer '{}': source not found: {}", s.name, path));
    layers::Layer l = layers::read_layer(path, ro);
    if (!l.crs()) throw file_error(map_file.empty() ? path : map_file, s.line, trf("layer '{}' has no CRS; give s_crs", s.name));
    return l;
}

// 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8 × 10^k at or above v.
double nice_scale(double v) {
    static const double steps[] = {1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10};
    double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double s : steps)
        if (s * p >= v * (1 - 1e-9)) return s * p;
    return 10 * p;
}

// 1, 2, 5 × 10^k nearest below v.
double nice_step(double v) {
    double p = std::pow(10.0, std::floor(std::log10(v)));
    double m = v / p;
    return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

std::string thousands(long long v) {
    std::string s = std::to_string(v), out;
    int n = 0;
    for (auto it = s.rbegin(); it != s.rend(); ++it) {
        if (n && n % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
        out.insert(out.begin(), *it);
        ++n;
    }
    return out;
}

std::string distance_label(double m) {
    char buf[32];
    if (m >= 1000) std::snprintf(buf, sizeof buf, "%g km", m / 1000);
    else std::snprintf(buf, sizeof buf, "%g m", m);
    return buf;
}

const Color black{0, 0, 0, 1}, white{1, 1, 1, 1};

// Cairo's PDF writer copies the whole CFF table of each CJK font it embeds (about 15 MB for a Noto
// CJK face) into a fresh buffer twice, once to tell a CID font and once to subset it. Above
// glibc's mmap threshold every copy lands in newly mapped pages, each faulted in one by one; kept
// in the heap instead, a freed buffer's pages serve the next copy. Set once for the process. (The
// `planmap` executable uses mimalloc, see CMakeLists.txt; this serves builds without it.)
void keep_large_blocks() {
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 64 << 20);
        mallopt(M_TRIM_THRESHOLD, 128 << 20);
    });
}

// Height of the page strips a rule's polygons are drawn in, one path per strip (mm).
constexpr double strip_mm = 20;

struct LegendEntry {
    std::string title;
    const styles::Rule* rule = nullptr;
};

// One sheet being drawn: page geometry, fonts and helpers shared by the parts of the layout.
class SheetPainter {
public:
    SheetPainter(cairo_t* cr, const LoadedMap& map, const SheetOptions& opt, const detail::Page& page, RenderReport& rep, double snap_mm,
                 PdfContent* layers)
        : cr_(cr), cairo_(cr), layers_(layers ? *static_cast<Canvas*>(layers) : cairo_), direct_(layers), map_(map), opt_(opt), page_(page), rep_(rep), text_(make_text_context()) {
        view_.snap_mm = snap_mm;
        W_ = page.width_mm, H_ = page.height_mm, m_ = map.spec.paper.margin_mm;
        f_ = page.furniture > 0 ? page.furniture : std::min(W_, H_) / 297.0;  // 1 on A3
    }

    void draw();
    void draw_web();

private:
    double pt(double base) const { return std::max(5.0, base * std::sqrt(f_)); }
    LayoutPtr text(const std::string& s, double size_pt, bool bold = false, const char* family = sans_family, double wrap = 0,
                   PangoAlignment align = PANGO_ALIGN_LEFT) {
        TextSpec t;
        t.family = family, t.size_pt = size_pt, t.bold = bold, t.wrap_mm = wrap, t.align = align;
        return make_layout(text_.get(), s, t);
    }
    void compute_view();
    void draw_frame_content();
    void draw_layers(std::vector<LabelRequest>& labels);
    void draw_grid();
    Box draw_north_arrow(bool measure_only);
    Box draw_scale_bar(bool measure_only);
    void draw_legend(double x, double y, double w, double h);
    void draw_swatch(const styles::Rule& r, double x, double y, double w, double h);
    void draw_inset(double x, double y, double w, double h);
    double draw_stats(double x, double bottom, double w, bool measure_only);
    double draw_title_block(double x, double bottom, double w);

    cairo_t* cr_;
    CairoCanvas cairo_;  // cr_ for the draw helpers
    Canvas& layers_;     // the page's background and the map's layers: cairo_, or PDF content beneath
    PdfContent* direct_;  // that PDF content (leaders and halos go there too), or none
    const LoadedMap& map_;
    const SheetOptions& opt_;
    const detail::Page& page_;
    RenderReport& rep_;
    PangoContextPtr text_;
    double W_, H_, m_, f_;
    View view_;
    double scale_ = 0;
    geo::Envelope world_;  // frame extent in the drawing CRS
    std::vector<LegendEntry> legend_;
};

void SheetPainter::compute_view() {
    geo::Envelope ext;
    if (opt_.focus) {
        ext = *opt_.focus;
    } else {
        for (const auto& l : map_.layers)
            if (map_.spec.fit_layer.empty() ? l.spec.fit : l.spec.name == map_.spec.fit_layer) ext.expand(l.data.extent());
    }
    if (ext.empty) throw io_error(trf("map '{}': the layers have no features to draw", map_.spec.title));
    double ew = std::max(ext.maxx - ext.minx, 1.0), eh = std::max(ext.maxy - ext.miny, 1.0);
    double k = 1 - 2 * map_.spec.fit_margin;
    if (map_.spec.scale && !opt_.focus) scale_ = *map_.spec.scale;
    else {
        scale_ = std::max(ew / (view_.fw * k), eh / (view_.fh * k)) * 1000.0;
        if (page_.layout == detail::Layout::sheet) scale_ = nice_scale(scale_);  // web maps fit the data exactly
    }
    view_.mm_per_unit = 1000.0 / scale_;
    double cx = (ext.minx + ext.maxx) / 2, cy = (ext.miny + ext.maxy) / 2;
    double hw = view_.fw / view_.mm_per_unit / 2, hh = view_.fh / view_.mm_per_unit / 2;
    view_.wx0 = cx - hw;
    view_.wy1 = cy + hh;
    world_ = {cx - hw, cy - hh, cx + hw, cy + hh, false};
}

void SheetPainter::draw_layers(std::vector<LabelRequest>& labels) {
    auto ctx = geo::geos_context();
    std::map<const styles::Rule*, std::size_t> used;
    for (const auto& L : map_.layers) {
        const auto& feats = L.data.features();
        std::vector<std::size_t> ids = L.data.index().query(world_);
        std::sort(ids.begin(), ids.end());
        std::vector<std::pair<std::size_t, const styles::Rule*>> todo;
        todo.reserve(ids.size());
        for (std::size_t i : ids) {
            if (!feats[i].geometry) continue;
            int r = L.style.match(L.data, i);
            if (r < 0) {
                ++rep_.features_unstyled;
                continue;
            }
            todo.emplace_back(i, &L.style.rules[static_cast<std::size_t>(r)]);
            ++used[&L.style.rules[static_cast<std::size_t>(r)]];
        }
        rep_.features_drawn += todo.size();
        // Pass 1: fills; 2: lines; 3: arrows; 4: markers (and label requests).
        // A fill and a plain outline share one path (a neighbour's fill covering half of a shared
        // edge is made good by the neighbour's own outline, drawn in the same stroke).
        auto one_pass = [&](const styles::Rule* r, const GEOSGeometry* g) {
            int t = GEOSGeomTypeId_r(ctx, g);
            return r->fill && r->line && r->line->offset_mm == 0 && (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON);
        };
        // Features are drawn rule by rule in the style's order (feature order within a rule), so
        // the polygons of one rule are one path: one fill (nonzero winding over rings oriented
        // shells one way, holes the other) and, for plain outlines, one stroke.
        std::set<const styles::Rule*> stroked_with_fill;
        std::stable_sort(todo.begin(), todo.end(), [&](const auto& a, const auto& b) { return a.second < b.second; });
        for (std::size_t k = 0; k < todo.size();) {
            const styles::Rule* rule = todo[k].second;
            std::size_t e = k;
            while (e < todo.size() && todo[e].second == rule) ++e;
            if (rule->fill) {
                bool all_one_pass = true;
                // One path per horizontal strip of the page (features by the middle of their
                // height): a raster band then replays only the strips it crosses, not every
                // vertex of the rule.
                std::vector<std::pair<long, std::size_t>> strips;
                strips.reserve(e - k);
                for (std::size_t j = k; j < e; ++j) {
                    const GEOSGeometry* g = feats[todo[j].first].geometry.get();
                    all_one_pass = all_one_pass && one_pass(rule, g);
                    double y0 = 0, y1 = 0;
                    GEOSGeom_getYMin_r(ctx, g, &y0), GEOSGeom_getYMax_r(ctx, g, &y1);
                    strips.emplace_back(std::lround(std::floor(view_.py((y0 + y1) / 2) / strip_mm)), j);
                }
                std::stable_sort(strips.begin(), strips.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
                for (std::size_t a = 0; a < strips.size();) {
                    std::size_t b = a;
                    layers_.new_path();
                    for (; b < strips.size() && strips[b].first == strips[a].first; ++b)
                        add_path(layers_, feats[todo[strips[b].second].first].geometry.get(), view_, true, true);
                    fill_current_path(layers_, *rule->fill, CAIRO_FILL_RULE_WINDING);
                    if (all_one_pass) {
                        apply_line_style(layers_, *rule->line);
                        layers_.stroke();
                    }
                    layers_.new_path();
                    a = b;
                }
                if (all_one_pass) stroked_with_fill.insert(rule);
            }
            k = e;
        }
        for (auto& item : todo) {
            const auto i = item.first;
            const auto* rule = item.second;
            auto stroke = [&](const styles::LineSymbolizer& ls) {
                layers_.new_path();
                if (ls.offset_mm != 0) {
                    for_each_part(feats[i].geometry.get(), [&](const GEOSGeometry* part) {
                        int t = GEOSGeomTypeId_r(ctx, part);
                        if (t != GEOS_LINESTRING) return add_path(layers_, part, view_);
                        auto off = geo::take_nullable(GEOSOffsetCurve_r(ctx, part, ls.offset_mm / view_.mm_per_unit, 8, GEOSBUF_JOIN_ROUND, 5.0));
                        if (off) add_path(layers_, off.get(), view_);
                    });
                } else {
                    add_path(layers_, feats[i].geometry.get(), view_);
                }
                apply_line_style(layers_, ls);
                layers_.stroke();
            };
            if (rule->line && !stroked_with_fill.count(rule)) stroke(*rule->line);
            for (const auto& ls : rule->extra_lines) stroke(ls);
        }
        for (auto& item : todo) {
            const auto i = item.first;
            const auto* rule = item.second;
            if (!rule->arrow) continue;
            for_each_part(feats[i].geometry.get(), [&](const GEOSGeometry* part) {
                if (GEOSGeomTypeId_r(ctx, part) == GEOS_LINESTRING) draw_arrow(layers_, page_coords(GEOSGeom_getCoordSeq_r(ctx, part), view_), *rule->arrow);
            });
        }
        for (auto& [i, rule] : todo) {
            const GEOSGeometry* g = feats[i].geometry.get();
            int gt = GEOSGeomTypeId_r(ctx, g);
            bool pointish = gt == GEOS_POINT || gt == GEOS_MULTIPOINT;
            double marker_d = 0;
            std::vector<std::pair<double, double>> anchors;
            std::string txt = rule->label ? layers::value_to_string(L.data.value(i, rule->label->field)) : std::string();
            bool polygonal = gt == GEOS_POLYGON || gt == GEOS_MULTIPOLYGON;
            bool block_label = !txt.empty() && (pointish || rule->label->placement == styles::Placement::point ||
                                                (rule->label->placement == styles::Placement::interior && !polygonal));
            if (rule->marker || block_label) {
                if (pointish) {
                    for_each_part(g, [&](const GEOSGeometry* part) {
                        auto p = page_coords(GEOSGeom_getCoordSeq_r(ctx, part), view_);
                        if (!p.empty()) anchors.push_back(p.front());
                    });
                } else {
                    auto pos = geo::point_on_surface(g);
                    double x = 0, y = 0;
                    GEOSGeomGetX_r(ctx, pos.get(), &x), GEOSGeomGetY_r(ctx, pos.get(), &y);
                    anchors.push_back({view_.px(x), view_.py(y)});
                }
            }
            if (rule->marker) {
                const auto& m = *rule->marker;
                marker_d = m.size_mm;
                if (!m.size_field.empty()) {
                    auto v = layers::value_to_double(L.data.value(i, m.size_field));
                    marker_d = v && *v > 0 ? m.size_mm * std::sqrt(*v / m.size_value) : 0;
                }
                if (marker_d > 0)
                    for (auto [x, y] : anchors) draw_marker(layers_, x, y, marker_d, m);
            }
            if (txt.empty()) continue;
            const auto& ls = *rule->label;
            LabelRequest req;
            req.text = txt;
            req.sym = &ls;
            req.layer = L.spec.name;
            req.fid = feats[i].fid;
            req.marker_radius_mm = marker_d / 2;
            if (ls.placement == styles::Placement::line && !pointish) {
                // The longest line part (or the exterior ring of a polygon) in page mm.
                Path best;
                double best_len = 0;
                for_each_part(g, [&](const GEOSGeometry* part) {
                    int t = GEOSGeomTypeId_r(ctx, part);
                    const GEOSGeometry* line = t == GEOS_POLYGON ? GEOSGetExteriorRing_r(ctx, part) : part;
                    if (t != GEOS_POLYGON && t != GEOS_LINESTRING) return;
                    Path p = page_coords(GEOSGeom_getCoordSeq_r(ctx, line), view_);
                    double len = 0;
                    for (std::size_t k = 1; k < p.size(); ++k) len += std::hypot(p[k].first - p[k - 1].first, p[k].second - p[k - 1].second);
                    if (len > best_len) best_len = len, best = std::move(p);
                });
                req.pts = std::move(best);
            } else if (ls.placement == styles::Placement::interior && polygonal) {
                req.polygon = to_page(g, view_);
                auto pos = geo::point_on_surface(req.polygon.get());
                double x = 0, y = 0;
                GEOSGeomGetX_r(ctx, pos.get(), &x), GEOSGeomGetY_r(ctx, pos.get(), &y);
                req.pts = {{x, y}};
            } else {
                if (anchors.empty()) continue;
                req.pts = {anchors.front()};
            }
            labels.push_back(std::move(req));
        }
    }
    // Legend: the titled rules that drew something, per layer and rule order, without repeats.
    std::set<std::string> seen;
    for (const auto& L : map_.layers) {
        for (const auto& r : L.style.rules) {
            if (!used.count(&r) || r.title.empty()) continue;
            if (seen.insert(r.title).second) {
                rep_.classes_drawn.push_back(r.title);
                if (L.spec.legend) legend_.push_back({r.title, &r});
            }
        }
    }
}

void SheetPainter::draw_grid() {
    if (!map_.spec.grid) return;
    double step = map_.spec.grid_spacing_m > 0 ? map_.spec.grid_spacing_m : nice_step((world_.maxx - world_.minx) / 5);
    // The lines with the layers (beneath the labels' halos), their figures on cr_.
    Canvas& lines = layers_;
    lines.save();
    lines.set_source({0.2, 0.2, 0.2, 0.55});
    lines.set_line_width(0.12);
    double dash[] = {1.5, 1.0};
    lines.set_dash(dash, 2);
    cairo_save(cr_);
    double fs = pt(6);
    for (double x = std::ceil(world_.minx / step) * step; x < world_.maxx; x += step) {
        double px = view_.px(x);
        lines.move_to(px, view_.fy), lines.line_to(px, view_.fy + view_.fh);
        auto l = text(thousands(std::llround(x)), fs, false, sans_family);
        Size s = layout_size(l.get());
        if (px - s.w / 2 > view_.fx && px + s.w / 2 < view_.fx + view_.fw) draw_layout(cr_, l.get(), px - s.w / 2, view_.fy - s.h - 0.3, black);
    }
    for (double y = std::ceil(world_.miny / step) * step; y < world_.maxy; y += step) {
        double py = view_.py(y);
        lines.move_to(view_.fx, py), lines.line_to(view_.fx + view_.fw, py);
        auto l = text(thousands(std::llround(y)), fs, false, sans_family);
        Size s = layout_size(l.get());
        if (py - s.w / 2 > view_.fy && py + s.w / 2 < view_.fy + view_.fh) {
            cairo_save(cr_);
            cairo_translate(cr_, view_.fx - 0.3, py);
            cairo_rotate(cr_, -M_PI / 2);
            draw_layout(cr_, l.get(), -s.w / 2, -s.h, black);
            cairo_restore(cr_);
        }
    }
    lines.stroke();
    lines.restore();
    cairo_new_path(cr_);
    cairo_restore(cr_);
}

Box SheetPainter::draw_north_arrow(bool measure_only) {
    double size = 14 * std::sqrt(f_);
    bool rose = !map_.spec.wind.empty();
    double R = rose ? size * 1.25 : size * 0.6;
    double cx = view_.fx + view_.fw - R - 4 * std::sqrt(f_), cy = view_.fy + R + 4 * std::sqrt(f_) + pt(8) * 0.5;
    Box b{cx - R - 1.5, cy - R - pt(8) * 0.6 - 1.5, cx + R + 1.5, cy + R + 1.5};
    if (!map_.spec.north_arrow && !rose) return {};
    if (measure_only) return b;
    cairo_save(cr_);
    cairo_set_dash(cr_, nullptr, 0, 0);
    if (rose) {
        cairo_arc(cr_, cx, cy, R, 0, 2 * M_PI);
        set_source(cr_, white, 0.8);
        cairo_fill(cr_);
        auto polygon = [&](const std::vector<double>& f, bool dashed) {
            double mx = *std::max_element(map_.spec.wind.begin(), map_.spec.wind.end());
            for (double v : map_.spec.wind_summer) mx = std::max(mx, v);
            if (mx <= 0) return;
            for (int i = 0; i <= 16; ++i) {
                double a = (i % 16) * M_PI / 8 - M_PI / 2;  // N up, clockwise
                double r = R * 0.95 * f[static_cast<std::size_t>(i % 16)] / mx;
                if (i == 0) cairo_move_to(cr_, cx + r * std::cos(a), cy + r * std::sin(a));
                else cairo_line_to(cr_, cx + r * std::cos(a), cy + r * std::sin(a));
            }
            cairo_close_path(cr_);
            double dash[] = {1.2, 0.8};
            cairo_set_dash(cr_, dashed ? dash : nullptr, dashed ? 2 : 0, 0);
            cairo_set_line_width(cr_, 0.3);
            cairo_set_source_rgb(cr_, dashed ? 0.1 : 0.05, dashed ? 0.3 : 0.05, dashed ? 0.7 : 0.05);
            cairo_stroke(cr_);
        };
        // 16 spokes
        cairo_set_line_width(cr_, 0.1);
        cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
        for (int i = 0; i < 16; ++i) {
            double a = i * M_PI / 8 - M_PI / 2;
            cairo_move_to(cr_, cx, cy), cairo_line_to(cr_, cx + R * std::cos(a), cy + R * std::sin(a));
        }
        cairo_stroke(cr_);
        polygon(map_.spec.wind, false);
        if (!map_.spec.wind_summer.empty()) polygon(map_.spec.wind_summer, true);
        cairo_set_dash(cr_, nullptr, 0, 0);
    }
    // The arrow: a split needle, left half filled.
    double h = size * 0.55, w = size * 0.18;
    cairo_move_to(cr_, cx, cy - h), cairo_line_to(cr_, cx - w, cy + h * 0.6), cairo_line_to(cr_, cx, cy + h * 0.3), cairo_close_path(cr_);
    set_source(cr_, black);
    cairo_fill(cr_);
    cairo_move_to(cr_, cx, cy - h), cairo_line_to(cr_, cx + w, cy + h * 0.6), cairo_line_to(cr_, cx, cy + h * 0.3), cairo_close_path(cr_);
    set_source(cr_, white);
    cairo_fill_preserve(cr_);
    set_source(cr_, black);
    cairo_set_line_width(cr_, 0.25);
    cairo_stroke(cr_);
    auto n = text("N", pt(8), true);
    Size s = layout_size(n.get());
    draw_layout(cr_, n.get(), cx - s.w / 2, cy - h - s.h, black, &white, 0.4);
    cairo_restore(cr_);
    return b;
}

Box SheetPainter::draw_scale_bar(bool measure_only) {
    // Bar length: a round distance near a quarter of the frame width.
    double target_m = view_.fw * 0.25 / view_.mm_per_unit;
    double len_m = nice_step(target_m);
    double len_mm = len_m * view_.mm_per_unit;
    double fs = pt(7);
    double pad = 2 * std::sqrt(f_);
    double bar_h = 1.6 * std::sqrt(f_);
    bool numeric_shown = page_.layout == detail::Layout::sheet;  // a screen has no true scale
    auto numeric = text(numeric_shown ? "比例尺 1:" + thousands(std::llround(scale_)) : std::string(), fs);
    Size ns = numeric_shown ? layout_size(numeric.get()) : Size{0, -pad / 2};
    auto unit_label = text(distance_label(len_m), fs * 0.9);
    Size us = layout_size(unit_label.get());
    double w = std::max(len_mm + us.w + 2 * pad, ns.w + 2 * pad), h = ns.h + bar_h + us.h + 3 * pad;
    double x = view_.fx + 3 * std::sqrt(f_), y = view_.fy + view_.fh - h - 3 * std::sqrt(f_);
    Box b{x, y, x + w, y + h};
    if (measure_only) return b;
    cairo_save(cr_);
    cairo_set_dash(cr_, nullptr, 0, 0);
    cairo_rectangle(cr_, x, y, w, h);
    set_source(cr_, white, 0.85);
    cairo_fill(cr_);
    if (numeric_shown) draw_layout(cr_, numeric.get(), x + pad, y + pad, black);
    double by = y + pad + ns.h + pad * 0.5;
    int segs = 4;
    for (int i = 0; i < segs; ++i) {
        cairo_rectangle(cr_, x + pad + len_mm * i / segs, by, len_mm / segs, bar_h);
        set_source(cr_, i % 2 ? white : black);
        cairo_fill_preserve(cr_);
        set_source(cr_, black);
        cairo_set_line_width(cr_, 0.15);
        cairo_stroke(cr_);
    }
    auto zero = text("0", fs * 0.9);
    draw_layout(cr_, zero.get(), x + pad - layout_size(zero.get()).w / 2, by + bar_h, black);
    draw_layout(cr_, unit_label.get(), x + pad + len_mm - us.w / 2, by + bar_h, black);
    cairo_restore(cr_);
    return b;
}

void SheetPainter::draw_swatch(const styles::Rule& r, double x, double y, double w, double h) {
    cairo_save(cr_);
    if (r.fill) {
        cairo_rectangle(cr_, x, y, w, h);
        fill_current_path(cairo_, *r.fill);
        if (r.line) apply_line_style(cairo_, *r.line);
        else cairo_set_source_rgb(cr_, 0.3, 0.3, 0.3), cairo_set_line_width(cr_, 0.15), cairo_set_dash(cr_, nullptr, 0, 0);
        cairo_set_line_width(cr_, std::min(r.line ? r.line->width_mm : 0.15, h / 4));
        cairo_stroke(cr_);
    } else if (r.arrow) {
        auto a = *r.arrow;
        double k = h / std::max(a.head_width_mm, a.start_width_mm);
        a.start_width_mm *= k, a.end_width_mm *= k, a.head_width_mm *= k, a.head_length_mm = std::min(a.head_length_mm * k, w / 3);
        draw_arrow(cairo_, {{x, y + h / 2}, {x + w, y + h / 2}}, a);
    } else if (r.line || !r.extra_lines.empty()) {
        auto draw = [&](const styles::LineSymbolizer& ls) {
            auto l = ls;
            l.width_mm = std::min(l.width_mm, h * 0.8);
            apply_line_style(cairo_, l);
            double off = std::clamp(ls.offset_mm, -h / 2, h / 2);
            cairo_move_to(cr_, x, y + h / 2 - off), cairo_line_to(cr_, x + w, y + h / 2 - off);
            cairo_stroke(cr_);
        };
        if (r.line) draw(*r.line);
        for (const auto& ls : r.extra_lines) draw(ls);
    } else if (r.marker) {
        auto m = *r.marker;
        double d = std::min(m.size_mm, h);
        m.rings = std::min(m.rings, 1);
        draw_marker(cairo_, x + w / 2, y + h / 2, d / (1 + 0.45 * m.rings), m);
    } else if (r.label) {
        auto l = text("注记", r.label->size_pt * 0.8, r.label->bold, r.label->family.c_str());
        Size s = layout_size(l.get());
        draw_layout(cr_, l.get(), x + (w - s.w) / 2, y + (h - s.h) / 2, r.label->color, &r.label->halo_color, r.label->halo_mm);
    }
    cairo_restore(cr_);
}

void SheetPainter::draw_legend(double x, double y, double w, double h) {
    auto title = text(map_.spec.legend_title, pt(11), true);
    Size ts = layout_size(title.get());
    draw_layout(cr_, title.get(), x + (w - ts.w) / 2, y, black);
    double top = y + ts.h * 1.3;
    double avail = h - (top - y);
    std::size_t n = legend_.size();
    if (n == 0 || avail <= 0) return;
    // Font size and columns so that every entry fits.
    double fs = pt(8);
    int cols = 1;
    auto row_h = [&](double size) { return pt_to_mm(size) * 1.9; };
    while (true) {
        std::size_t per = static_cast<std::size_t>(std::max(1.0, std::floor(avail / row_h(fs))));
        cols = static_cast<int>((n + per - 1) / per);
        if (cols <= 2 || fs <= 4) break;
        fs *= 0.9;
    }
    if (cols > 2) cols = static_cast<int>(std::ceil(static_cast<double>(n) / std::max(1.0, std::floor(avail / row_h(fs)))));
    std::size_t per = (n + static_cast<std::size_t>(cols) - 1) / static_cast<std::size_t>(cols);
    double col_w = w / cols;
    double sw = std::min(10.0 * std::sqrt(f_), col_w * 0.3), sh = pt_to_mm(fs) * 1.25;
    for (std::size_t i = 0; i < n; ++i) {
        int c = static_cast<int>(i / per);
        double ex = x + c * col_w, ey = top + static_cast<double>(i % per) * row_h(fs);
        draw_swatch(*legend_[i].rule, ex, ey, sw, sh);
        auto l = text(legend_[i].title, fs, false, sans_family);
        pango_layout_set_width(l.get(), static_cast<int>((col_w - sw - 2.5) * PANGO_SCALE));
        pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
        Size s = layout_size(l.get());
        draw_layout(cr_, l.get(), ex + sw + 1.5, ey + (sh - s.h) / 2, black);
        rep_.legend.push_back(legend_[i].title);
    }
}

void SheetPainter::draw_inset(double x, double y, double w, double h) {
    cairo_save(cr_);
    cairo_rectangle(cr_, x, y, w, h);
    set_source(cr_, white);
    cairo_fill_preserve(cr_);
    set_source(cr_, black);
    cairo_set_line_width(cr_, 0.25);
    cairo_stroke(cr_);
    geo::Envelope e = map_.inset->extent();
    e.expand(world_);
    double pad = 0.06;
    double ew = (e.maxx - e.minx) * (1 + 2 * pad), eh = (e.maxy - e.miny) * (1 + 2 * pad);
    View v;
    v.fx = x, v.fy = y, v.fw = w, v.fh = h;
    v.mm_per_unit = std::min(w / ew, h / eh);
    double cx = (e.minx + e.maxx) / 2, cy = (e.miny + e.maxy) / 2;
    v.wx0 = cx - w / v.mm_per_unit / 2;
    v.wy1 = cy + h / v.mm_per_unit / 2;
    cairo_rectangle(cr_, x, y, w, h);
    cairo_clip(cr_);
    cairo_new_path(cr_);
    for (const auto& f : map_.inset->features()) {
        if (!f.geometry) continue;
        add_path(cairo_, f.geometry.get(), v);
    }
    cairo_set_fill_rule(cr_, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_source_rgb(cr_, 0.9, 0.9, 0.88);
    cairo_fill_preserve(cr_);
    cairo_set_source_rgb(cr_, 0.35, 0.35, 0.35);
    cairo_set_line_width(cr_, 0.15);
    cairo_stroke(cr_);
    cairo_rectangle(cr_, v.px(world_.minx), v.py(world_.maxy), (world_.maxx - world_.minx) * v.mm_per_unit, (world_.maxy - world_.miny) * v.mm_per_unit);
    cairo_set_source_rgb(cr_, 0.85, 0, 0);
    cairo_set_line_width(cr_, 0.4);
    cairo_stroke(cr_);
    cairo_restore(cr_);
    auto cap = text("位置示意图", pt(7));
    draw_layout(cr_, cap.get(), x + 1, y + 0.5, black, &white, 0.3);
}

// The statistics box of the map file: per row the label and its figure, then (for a checked
// figure) the requirement with the outcome in colour, and the clause it comes from. Returns its
// height; draws nothing when measuring.
double SheetPainter::draw_stats(double x, double bottom, double w, bool measure_only) {
    if (!map_.spec.stats || map_.spec.stats->rows.empty()) return 0;
    const auto& st = *map_.spec.stats;
    const double pad = 1.5 * std::sqrt(f_), fs = pt(7.5), small = pt(6.5);
    const Color pass{0.12, 0.48, 0.2, 1}, fail{0.69, 0, 0.13, 1}, grey{0.35, 0.35, 0.35, 1};
    struct Row {
        LayoutPtr label, value, check, clause;
    };
    std::vector<Row> rows;
    auto title = text(st.title, pt(9), true, sans_family, w - 2 * pad);
    double h = pad + layout_size(title.get()).h + pad * 0.6;
    std::vector<double> heights;
    for (const auto& r : st.rows) {
        Row row;
        row.value = text(r.value, fs, true);
        double vw = layout_size(row.value.get()).w;
        row.label = text(r.label, fs, false, sans_family, std::max(10.0, w - 2 * pad - vw - 2));
        double rh = std::max(layout_size(row.label.get()).h, layout_size(row.value.get()).h);
        if (!r.requirement.empty() || !r.status.empty()) {
            std::string word = r.status == "pass" ? "达标 PASS" : r.status == "fail" ? "未达标 FAIL" : r.status == "n/a" ? "未评价 n/a" : "";
            std::string s2 = r.requirement.empty() ? word : "要求 required " + r.requirement + (word.empty() ? "" : " · " + word);
            row.check = text(s2, small, !word.empty(), sans_family, w - 2 * pad);
            rh += layout_size(row.check.get()).h;
        }
        if (!r.clause.empty()) {
            row.clause = text("依据 clause: " + r.clause, small, false, serif_family, w - 2 * pad);
            rh += layout_size(row.clause.get()).h;
        }
        heights.push_back(rh + pad * 0.8);
        h += heights.back();
        rows.push_back(std::move(row));
    }
    h += pad * 0.4;
    if (measure_only) return h;
    const double y0 = bottom - h;
    cairo_save(cr_);
    cairo_set_dash(cr_, nullptr, 0, 0);
    cairo_rectangle(cr_, x, y0, w, h);
    set_source(cr_, white);
    cairo_fill_preserve(cr_);
    set_source(cr_, black);
    cairo_set_line_width(cr_, 0.3);
    cairo_stroke(cr_);
    double y = y0 + pad;
    draw_layout(cr_, title.get(), x + pad, y, black);
    y += layout_size(title.get()).h + pad * 0.6;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = st.rows[i];
        auto& row = rows[i];
        cairo_set_line_width(cr_, 0.1);
        set_source(cr_, grey);
        cairo_move_to(cr_, x + pad, y - pad * 0.3), cairo_line_to(cr_, x + w - pad, y - pad * 0.3);
        cairo_stroke(cr_);
        Size ls = layout_size(row.label.get()), vs = layout_size(row.value.get());
        draw_layout(cr_, row.label.get(), x + pad, y, black);
        const Color& vc = r.status == "pass" ? pass : r.status == "fail" ? fail : black;
        draw_layout(cr_, row.value.get(), x + w - pad - vs.w, y, vc);
        double yy = y + std::max(ls.h, vs.h);
        if (row.check) {
            draw_layout(cr_, row.check.get(), x + pad, yy, r.status == "pass" ? pass : r.status == "fail" ? fail : grey);
            yy += layout_size(row.check.get()).h;
        }
        if (row.clause) draw_layout(cr_, row.clause.get(), x + pad, yy, grey);
        y += heights[i];
        rep_.stats.push_back(r.label + ": " + r.value);
    }
    cairo_restore(cr_);
    return h;
}

double SheetPainter::draw_title_block(double x, double bottom, double w) {
    const auto& tb = map_.spec.title_block;
    std::string scale_txt = "1:" + thousands(std::llround(scale_));
    std::vector<std::pair<std::string, std::string>> rows = {
        {"设计单位", tb.institute}, {"项目名称", tb.project}, {"图名", map_.spec.title + opt_.title_suffix},
        {"图号", tb.drawing_no},   {"比例", scale_txt},       {"图幅号", rep_.sheet_number.empty() ? "—" : rep_.sheet_number},
        {"规划期限", map_.spec.period}, {"日期", tb.date}};
    double fs = pt(7);
    double rh = pt_to_mm(fs) * 2.1;
    double label_w = w * 0.3;
    int nrows = static_cast<int>(rows.size()) + 2;  // + signature labels and names
    double h = rh * nrows;
    double y = bottom - h;
    cairo_save(cr_);
    cairo_set_dash(cr_, nullptr, 0, 0);
    set_source(cr_, black);
    cairo_set_line_width(cr_, 0.35);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_stroke(cr_);
    cairo_set_line_width(cr_, 0.15);
    for (int i = 1; i < nrows; ++i) cairo_move_to(cr_, x, y + rh * i), cairo_line_to(cr_, x + w, y + rh * i);
    cairo_move_to(cr_, x + label_w, y), cairo_line_to(cr_, x + label_w, y + rh * static_cast<double>(rows.size()));
    for (int c = 1; c < 4; ++c) cairo_move_to(cr_, x + w * c / 4, y + rh * static_cast<double>(rows.size())), cairo_line_to(cr_, x + w * c / 4, y + h);
    cairo_stroke(cr_);
    auto cell = [&](const std::string& s, double cx, double cy, double cw, bool bold) {
        if (s.empty()) return;
        auto l = text(s, fs, bold);
        pango_layout_set_width(l.get(), static_cast<int>((cw - 1.5) * PANGO_SCALE));
        pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
        pango_layout_set_alignment(l.get(), PANGO_ALIGN_CENTER);
        Size s2 = layout_size(l.get());
        draw_layout(cr_, l.get(), cx + 0.75, cy + (rh - s2.h) / 2, black);
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        cell(rows[i].first, x, y + rh * static_cast<double>(i), label_w, true);
        cell(rows[i].second, x + label_w, y + rh * static_cast<double>(i), w - label_w, false);
    }
    const char* sig[] = {"设计", "校对", "审核", "审定"};
    const std::string* names[] = {&tb.design, &tb.check, &tb.review, &tb.approve};
    for (int c = 0; c < 4; ++c) {
        cell(sig[c], x + w * c / 4, y + rh * static_cast<double>(rows.size()), w / 4, true);
        cell(*names[c], x + w * c / 4, y + rh * static_cast<double>(rows.size() + 1), w / 4, false);
    }
    cairo_restore(cr_);
    return h;
}

// Inside the frame: layers, grid, labels (clear of the north arrow and scale bar), then those two.
void SheetPainter::draw_frame_content() {
    layers_.save();
    layers_.rectangle(view_.fx, view_.fy, view_.fw, view_.fh);
    layers_.clip();
    std::vector<LabelRequest> requests;
    draw_layers(requests);
    layers_.restore();
    draw_grid();
    CollisionIndex index;
    Box na = draw_north_arrow(true), sb = draw_scale_bar(true);
    if (na.x1 > na.x0) index.insert(na);
    index.insert(sb);
    Box frame{view_.fx, view_.fy, view_.fx + view_.fw, view_.fy + view_.fh};
    auto placed = place_labels(text_.get(), requests, frame, index);
    cairo_save(cr_);
    cairo_rectangle(cr_, view_.fx, view_.fy, view_.fw, view_.fh);
    cairo_clip(cr_);
    // Leaders and halos go beneath with the layers when those are written directly (PDF).
    PdfContent* beneath = direct_;
    if (beneath) {
        beneath->save();
        beneath->rectangle(view_.fx, view_.fy, view_.fw, view_.fh);
        beneath->clip();
    }
    draw_labels(cr_, text_.get(), placed, beneath);
    if (beneath) beneath->restore();
    cairo_restore(cr_);
    rep_.labels_placed = placed.placed.size();
    rep_.labels_skipped = placed.skipped;
    rep_.labels_leader = placed.leaders;
    for (const auto* r : placed.unplaced) rep_.labels_unplaced.push_back(r->text + " (" + r->layer + ")");
    if (opt_.collect_details) {
        for (const auto& pl : placed.placed) {
            LabelInfo li;
            li.text = pl.request->text, li.layer = pl.request->layer, li.fid = pl.request->fid;
            li.interior = pl.request->sym->placement == styles::Placement::interior && pl.request->polygon && !pl.moved;
            li.leader = pl.leader;
            for (const auto& b : pl.boxes) li.box.insert(li.box.end(), {b.x0, b.y0, b.x1, b.y1});
            if (li.interior) li.polygon_wkt = geo::to_wkt(pl.request->polygon.get());
            rep_.labels.push_back(std::move(li));
        }
    }
    draw_north_arrow(false);
    draw_scale_bar(false);
}

void SheetPainter::draw() {
    // Page and borders.
    layers_.paint(white);
    double inner_x = m_, inner_y = m_, inner_w = W_ - 2 * m_, inner_h = H_ - 2 * m_;
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_set_line_width(cr_, 0.7 * std::sqrt(f_));
    cairo_rectangle(cr_, inner_x, inner_y, inner_w, inner_h);
    cairo_stroke(cr_);
    double gap = 4 * std::sqrt(f_);

    // Title band.
    auto title = text(map_.spec.title + opt_.title_suffix, pt(20), true, sans_family, inner_w - 2 * gap, PANGO_ALIGN_CENTER);
    Size ts = layout_size(title.get());
    double y = inner_y + gap;
    draw_layout(cr_, title.get(), inner_x + gap, y, black);
    y += ts.h;
    std::string sub = map_.spec.subtitle;
    if (!map_.spec.period.empty()) sub += (sub.empty() ? "" : "  ") + std::string("规划期限：") + map_.spec.period;
    if (!sub.empty()) {
        auto st = text(sub, pt(10), false, serif_family, inner_w - 2 * gap, PANGO_ALIGN_CENTER);
        draw_layout(cr_, st.get(), inner_x + gap, y + 0.5, black);
        y += layout_size(st.get()).h + 0.5;
    }
    y += gap * 0.6;

    // Map frame and side panel.
    double panel_w = std::clamp(inner_w * 0.24, 52.0, 140.0);
    bool grid = map_.spec.grid;
    double grid_pad = grid ? pt_to_mm(pt(6)) * 1.6 : 0;
    view_.fx = inner_x + gap + grid_pad;
    view_.fy = y + grid_pad;
    view_.fw = inner_w - panel_w - 3 * gap - grid_pad;
    view_.fh = inner_y + inner_h - gap - view_.fy;
    if (view_.fw < 20 || view_.fh < 20) throw usage_error(tr("the paper is too small for the map frame"));
    compute_view();
    rep_.scale = scale_;
    if (map_.spec.sheet_number) {
        double lon = (world_.minx + world_.maxx) / 2, lat = (world_.miny + world_.maxy) / 2;
        geo::Transformer(map_.crs, geo::Crs::cgcs2000()).transform_point(lon, lat);
        const auto& s = nearest_series(scale_);
        rep_.sheet_series = s.denominator;
        if (std::isfinite(lon) && std::isfinite(lat) && std::fabs(lat) < 88) rep_.sheet_number = sheet_number(lon, lat, s.denominator);
    }

    draw_frame_content();
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_set_line_width(cr_, 0.35 * std::sqrt(f_));
    cairo_set_dash(cr_, nullptr, 0, 0);
    cairo_rectangle(cr_, view_.fx, view_.fy, view_.fw, view_.fh);
    cairo_stroke(cr_);

    // Panel: legend on top, inset, title block at the bottom.
    double px = view_.fx + view_.fw + gap + grid_pad * 0, pw = inner_x + inner_w - gap - px;
    double ptop = view_.fy - grid_pad, pbottom = inner_y + inner_h - gap;
    cairo_set_line_width(cr_, 0.25);
    double tb_h = draw_title_block(px, pbottom, pw);
    double inset_h = 0;
    if (map_.spec.inset && map_.inset) {
        inset_h = pw * 0.8;
        draw_inset(px, pbottom - tb_h - gap - inset_h, pw, inset_h);
        inset_h += gap;
    }
    double stats_h = draw_stats(px, pbottom - tb_h - gap - inset_h, pw, true);
    if (stats_h > 0) {
        if (pbottom - tb_h - gap - inset_h - stats_h - ptop < 30)
            throw usage_error(trf("the statistics box ({} rows) leaves no room for the legend on this paper: use fewer rows or a larger paper",
                                  map_.spec.stats->rows.size()));
        draw_stats(px, pbottom - tb_h - gap - inset_h, pw, false);
        stats_h += gap;
    }
    draw_legend(px, ptop, pw, pbottom - tb_h - gap - inset_h - stats_h - ptop);
}

void SheetPainter::draw_web() {
    layers_.paint(white);
    const double edge = detail::web_edge_mm;
    view_.fx = edge, view_.fy = edge;
    view_.fw = W_ - page_.legend_w_mm - page_.gap_mm - 2 * edge;
    view_.fh = H_ - 2 * edge;
    if (view_.fw < 20 || view_.fh < 20) throw usage_error(tr("the page is too small for the map frame"));
    compute_view();
    rep_.scale = scale_;
    draw_frame_content();
    cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr_, 0.25);
    cairo_set_dash(cr_, nullptr, 0, 0);
    cairo_rectangle(cr_, view_.fx, view_.fy, view_.fw, view_.fh);
    cairo_stroke(cr_);
    draw_legend(view_.fx + view_.fw + page_.gap_mm, view_.fy, page_.legend_w_mm, view_.fh);
}

}  // namespace

void detail::paint_map(cairo_t* cr, const LoadedMap& map, const SheetOptions& options, const Page& page, RenderReport& report,
                       double snap_mm, PdfContent* layers) {
    SheetPainter painter(cr, map, options, page, report, snap_mm, layers);
    if (page.layout == Layout::web) painter.draw_web();
    else painter.draw();
}

LoadedMap load_map_data(const MapSpec& spec) {
    LoadedMap m{spec, geo::Crs::wgs84(), {}, std::nullopt, {}};
    for (const auto& ls : spec.layers) {
        LoadedLayer L{ls, read_spec_layer(ls, spec.dir, spec.file), styles::load_style(styles::resolve_style(ls.style, spec.dir))};
        for (const auto& n : L.data.notes)
            m.warnings.push_back(trf("layer {}, feature {}: {} -> {}", ls.name, n.fid, tr(n.reason.c_str()), tr(n.action.c_str())));
        m.layers.push_back(std::move(L));
    }
    if (spec.crs == "auto") {
        geo::Envelope all;
        // One transformation per distinct CRS of the layers: building one searches PROJ's database.
        std::vector<std::pair<const geo::Crs*, geo::Transformer>> to_wgs84;
        for (const auto& L : m.layers) {
            auto e = L.data.extent();
            if (e.empty) continue;
            double xs[2] = {e.minx, e.maxx}, ys[2] = {e.miny, e.maxy};
            const geo::Crs& crs = *L.data.crs();
            auto t = std::find_if(to_wgs84.begin(), to_wgs84.end(), [&crs](const auto& c) { return c.first->same_as(crs); });
            if (t == to_wgs84.end()) t = to_wgs84.emplace(to_wgs84.end(), &crs, geo::Transformer(crs, geo::Crs::wgs84()));
            t->second.transform(xs, ys, 2);
            all.expand({xs[0], ys[0], xs[1], ys[1], false});
        }
        if (all.empty) throw io_error(trf("map '{}': the layers have no features to draw", spec.title));
        m.crs = geo::analysis_crs_for((all.minx + all.maxx) / 2, (all.miny + all.maxy) / 2);
    } else {
        m.crs = geo::Crs::parse(spec.crs);
    }
    for (auto& L : m.layers)
        if (!L.data.crs()->same_as(m.crs))
            for (const auto& w : L.data.reproject(m.crs)) m.warnings.push_back(w);
    if (spec.inset) {
        auto l = read_spec_layer(spec.inset_layer, spec.dir, spec.file);
        if (!l.crs()->same_as(m.crs)) l.reproject(m.crs);
        m.inset = std::move(l);
    }
    return m;
}

RenderReport render_sheet(const LoadedMap& map, const std::string& output, const SheetOptions& options) {
    RenderReport rep;
    rep.output = output;
    std::string ext = fs::path(output).extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".pdf" && ext != ".png" && ext != ".svg") throw usage_error(trf("output '{}' must end in .pdf, .png or .svg", output));
    rep.format = ext.substr(1);
    if (options.dpi < 10 || options.dpi > 1200) throw usage_error(param{"dpi"}, tr(" must be 10 to 1200"));
    const auto& paper = map.spec.paper;
    rep.page_w_mm = paper.width_mm, rep.page_h_mm = paper.height_mm;
    core::AtomicFile tmp{fs::path(output)};

    const double pt_per_mm = 72.0 / 25.4;
    SurfacePtr surface;
    double k = pt_per_mm;
    if (rep.format == "pdf") {
        surface.reset(cairo_pdf_surface_create(tmp.path().c_str(), paper.width_mm * pt_per_mm, paper.height_mm * pt_per_mm));
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, (map.spec.title + options.title_suffix).c_str());
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "planmap");
    } else if (rep.format == "svg") {
        surface.reset(cairo_svg_surface_create(tmp.path().c_str(), paper.width_mm * pt_per_mm, paper.height_mm * pt_per_mm));
    } else {
        k = options.dpi / 25.4;
        rep.width_px = static_cast<int>(std::lround(paper.width_mm * k));
        rep.height_px = static_cast<int>(std::lround(paper.height_mm * k));
        cairo_rectangle_t extents{0, 0, static_cast<double>(rep.width_px), static_cast<double>(rep.height_px)};
        surface.reset(cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &extents));
    }
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw io_error(trf("cannot create {}: {}", output, cairo_status_to_string(cairo_surface_status(surface.get()))));
    // Path coordinates snap to 1/100 pt in vector output and 1/16 px in PNG.
    double snap = rep.format == "png" ? 25.4 / options.dpi / 16 : 0.01 / pt_per_mm;
    // PDF: the background and the map's layers are written directly, beneath the rest of the page
    // that Cairo writes (render/pdf_content.hpp).
    std::optional<PdfContent> direct;
    if (rep.format == "pdf") direct.emplace(paper.width_mm, paper.height_mm);
    auto paint = [&](cairo_surface_t* target, RenderReport& r) {
        CairoPtr cr(cairo_create(target));
        cairo_scale(cr.get(), k, k);
        if (rep.format == "png") cairo_set_antialias(cr.get(), CAIRO_ANTIALIAS_FAST);
        detail::paint_map(cr.get(), map, options, {paper.width_mm, paper.height_mm}, r, snap, direct ? &*direct : nullptr);
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) throw io_error(trf("drawing {} failed: {}", output, cairo_status_to_string(cairo_status(cr.get()))));
    };
    auto t0 = std::chrono::steady_clock::now();
    paint(surface.get(), rep);
    auto t1 = std::chrono::steady_clock::now();
    rep.draw_s = std::chrono::duration<double>(t1 - t0).count();
    if (rep.format == "png") {
        // One worker per core (up to 4) for large sheets; drawing is deterministic, so every
        // worker's recording is the same sheet.
        double pixels = static_cast<double>(rep.width_px) * rep.height_px;
        int workers = pixels > 4e6 ? static_cast<int>(std::min(4u, std::max(1u, std::thread::hardware_concurrency()))) : 1;
        auto another = [&] {
            cairo_rectangle_t extents{0, 0, static_cast<double>(rep.width_px), static_cast<double>(rep.height_px)};
            SurfacePtr rec(cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &extents));
            RenderReport scratch;
            paint(rec.get(), scratch);
            return rec;
        };
        write_png_bands(surface.get(), another, workers, rep.width_px, rep.height_px, options.dpi, tmp.path().string());
    } else {
        // The direct content is compressed on a second thread while Cairo writes its part.
        std::future<PdfContent::Stream> stream;
        if (direct) stream = std::async(std::launch::async, [&direct, &output] { return direct->finish(output); });
        keep_large_blocks();
        cairo_surface_finish(surface.get());
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            throw io_error(trf("cannot write {}: {}", output, cairo_status_to_string(cairo_surface_status(surface.get()))));
        if (direct) prepend_page_content(tmp.path().string(), stream.get());
    }
    surface.reset();
    rep.output_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    tmp.commit();
    rep.warnings = map.warnings;
    for (const auto& l : rep.labels_unplaced)
        rep.warnings.push_back(trf("label {} found no place on the sheet, not even with a leader line", l));
    return rep;
}

}  // namespace planmap::render
