// The surface the map's vector drawing goes to (render/draw.hpp, the sheet's layers): a Cairo
// context, or the content stream of a PDF page written directly (render/pdf_content.hpp). The
// operations are Cairo's, in page millimetres, with Cairo's meaning: the path is not part of the
// saved state, fill and stroke consume the path unless `preserve`, a clip intersects the current
// clip with the path under the current fill rule.
#pragma once

#include "render/cairo.hpp"
#include "styles/color.hpp"

namespace planmap::render {

class Canvas {
public:
    virtual ~Canvas() = default;

    virtual void new_path() = 0;
    virtual void new_sub_path() = 0;
    virtual void move_to(double x, double y) = 0;
    virtual void line_to(double x, double y) = 0;
    virtual void curve_to(double x1, double y1, double x2, double y2, double x3, double y3) = 0;
    virtual void close_path() = 0;
    // Circular arc, angles in radians increasing clockwise on the page (cairo_arc).
    virtual void arc(double xc, double yc, double r, double a0, double a1) = 0;
    virtual void rectangle(double x, double y, double w, double h) {
        move_to(x, y), line_to(x + w, y), line_to(x + w, y + h), line_to(x, y + h), close_path();
    }
    // Bounding box of the current path (x0, y0, x1, y1).
    virtual void path_extents(double& x0, double& y0, double& x1, double& y1) = 0;

    virtual void set_source(const styles::Color& c, double opacity = 1.0) = 0;
    virtual void set_fill_rule(cairo_fill_rule_t rule) = 0;
    virtual void set_line_width(double w_mm) = 0;
    virtual void set_line_cap(cairo_line_cap_t cap) = 0;
    virtual void set_line_join(cairo_line_join_t join) = 0;
    virtual void set_dash(const double* dash_mm, int n) = 0;

    virtual void save() = 0;
    virtual void restore() = 0;
    virtual void fill(bool preserve = false) = 0;
    virtual void stroke(bool preserve = false) = 0;
    virtual void clip(bool preserve = false) = 0;
    // Fills the whole surface with `c` (cairo_paint).
    virtual void paint(const styles::Color& c) = 0;
};

// Forwards to a cairo_t (not owned).
class CairoCanvas final : public Canvas {
public:
    explicit CairoCanvas(cairo_t* cr) : cr_(cr) {}

    void new_path() override { cairo_new_path(cr_); }
    void new_sub_path() override { cairo_new_sub_path(cr_); }
    void move_to(double x, double y) override { cairo_move_to(cr_, x, y); }
    void line_to(double x, double y) override { cairo_line_to(cr_, x, y); }
    void curve_to(double x1, double y1, double x2, double y2, double x3, double y3) override { cairo_curve_to(cr_, x1, y1, x2, y2, x3, y3); }
    void close_path() override { cairo_close_path(cr_); }
    void arc(double xc, double yc, double r, double a0, double a1) override { cairo_arc(cr_, xc, yc, r, a0, a1); }
    void rectangle(double x, double y, double w, double h) override { cairo_rectangle(cr_, x, y, w, h); }
    void path_extents(double& x0, double& y0, double& x1, double& y1) override { cairo_path_extents(cr_, &x0, &y0, &x1, &y1); }

    void set_source(const styles::Color& c, double opacity = 1.0) override { cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a * opacity); }
    void set_fill_rule(cairo_fill_rule_t rule) override { cairo_set_fill_rule(cr_, rule); }
    void set_line_width(double w_mm) override { cairo_set_line_width(cr_, w_mm); }
    void set_line_cap(cairo_line_cap_t cap) override { cairo_set_line_cap(cr_, cap); }
    void set_line_join(cairo_line_join_t join) override { cairo_set_line_join(cr_, join); }
    void set_dash(const double* dash_mm, int n) override { cairo_set_dash(cr_, dash_mm, n, 0); }

    void save() override { cairo_save(cr_); }
    void restore() override { cairo_restore(cr_); }
    void fill(bool preserve = false) override { preserve ? cairo_fill_preserve(cr_) : cairo_fill(cr_); }
    void stroke(bool preserve = false) override { preserve ? cairo_stroke_preserve(cr_) : cairo_stroke(cr_); }
    void clip(bool preserve = false) override { preserve ? cairo_clip_preserve(cr_) : cairo_clip(cr_); }
    void paint(const styles::Color& c) override {
        set_source(c);
        cairo_paint(cr_);
    }

private:
    cairo_t* cr_;
};

}  // namespace planmap::render
