// The map's vector layers written straight into a PDF content stream, beneath what Cairo draws on
// the same page. Cairo's PDF writer records every operation, replays it twice at the end (an
// analysis pass, then the output pass) and prints each coordinate through printf; for sheets of
// tens of thousands of polygons that is most of the time spent on a PDF. Here the same drawing
// (render/draw.hpp through the Canvas interface) goes to a buffer as PDF operators, coordinates on
// the vector output's 1/100 pt grid, a fill followed by a stroke of the same path as one `B`; Cairo
// then writes the rest of the page (text with its embedded font subsets, furniture) and
// prepend_page_content() puts the buffer under it as the page's first content stream, with an
// incremental update of the file (PDF 1.7, 7.5.6): nothing Cairo wrote is changed.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "render/canvas.hpp"

namespace planmap::render {

class PdfContent final : public Canvas {
public:
    // A page `page_w_mm` × `page_h_mm` whose user units are millimetres from the top-left corner.
    // The drawing starts from Cairo's initial state (black, 2 mm lines, butt caps, miter joins,
    // no dash, nonzero winding).
    PdfContent(double page_w_mm, double page_h_mm);

    void new_path() override;
    void new_sub_path() override;
    void move_to(double x, double y) override;
    void line_to(double x, double y) override;
    void curve_to(double x1, double y1, double x2, double y2, double x3, double y3) override;
    void close_path() override;
    void arc(double xc, double yc, double r, double a0, double a1) override;
    void path_extents(double& x0, double& y0, double& x1, double& y1) override;

    void set_source(const styles::Color& c, double opacity = 1.0) override;
    void set_fill_rule(cairo_fill_rule_t rule) override { want_.even_odd = rule == CAIRO_FILL_RULE_EVEN_ODD; }
    void set_line_width(double w_mm) override { want_.width_mm = w_mm; }
    void set_line_cap(cairo_line_cap_t cap) override { want_.cap = cap; }
    void set_line_join(cairo_line_join_t join) override { want_.join = join; }
    void set_dash(const double* dash_mm, int n) override { want_.dash_mm.assign(dash_mm, dash_mm + (n > 0 ? n : 0)); }

    void save() override;
    void restore() override;
    void fill(bool preserve = false) override;
    void stroke(bool preserve = false) override;
    void clip(bool preserve = false) override;
    void paint(const styles::Color& c) override;

    // The current path kept as a form (a PDF Form XObject: written once, drawn by reference),
    // in its own coordinates (millimetres); the path is consumed. Returns the form's number.
    int define_path_form();
    // Strokes form `n` with the current colour and line style, its coordinates placed on the
    // page by `m` (form millimetres → page millimetres; a rotation and a translation).
    void stroke_form(int n, const cairo_matrix_t& m);

    // The finished stream, deflated; the graphics states (constant alpha) and forms it names, as
    // entries of an /ExtGState and an /XObject dictionary (the forms' numbers `pmF<n> <i> 0 R`
    // left to fill: `forms[i]` is the object of form i). Call once, after the drawing; `output`
    // is the file named in errors.
    struct Stream {
        std::string deflated;
        std::string ext_gstates;
        std::vector<std::string> forms;  // each a whole stream object's dictionary and data
    };
    Stream finish(const std::string& output);

private:
    struct Source {
        double r = 0, g = 0, b = 0, a = 1;
        bool operator==(const Source& o) const { return r == o.r && g == o.g && b == o.b && a == o.a; }
    };
    // The state the drawing asks for (Cairo's) and the state the stream has set (PDF's).
    struct Wanted {
        Source source;
        double width_mm = 2;
        cairo_line_cap_t cap = CAIRO_LINE_CAP_BUTT;
        cairo_line_join_t join = CAIRO_LINE_JOIN_MITER;
        std::vector<double> dash_mm;
        bool even_odd = false;
    };
    struct Set {
        Source fill, stroke;
        double width_mm = -1;  // PDF's default (1 pt) is set at construction
        int cap = 0, join = 0;
        std::vector<double> dash_mm;
    };
    void put(double v, int decimals = 3);
    void point(double x, double y);
    void touch(double x, double y);
    void before_path_change();
    void set_fill(const Source& s);
    void set_stroke();
    void alpha(char op, double a);
    void paint_path(const char* op);
    void end_path();

    double k_;  // pt per mm
    double page_w_mm_, page_h_mm_;
    std::string out_;
    std::string path_;  // operators of the current path
    bool has_point_ = false, closed_ = false;
    double start_x_ = 0, start_y_ = 0;
    double ext_[4] = {1e300, 1e300, -1e300, -1e300};
    Wanted want_;
    Set set_;
    std::vector<std::pair<Wanted, Set>> saved_;
    // A fill of the current path kept back, so that a stroke of the same path joins it in one `B`.
    bool pending_fill_ = false;
    Source pending_source_;
    bool pending_even_odd_ = false;
    std::map<std::pair<char, long>, int> gstates_;  // ('f' fill / 's' stroke, alpha × 10^4) → number
    struct Form {
        std::string content;
        double bbox[4];  // pt
    };
    std::vector<Form> forms_;
};

// Puts `stream` under the first page of the finished PDF file at `path` (as Cairo writes it: a
// classic cross-reference table, the page's /Contents and /Resources as references): appends the
// stream, the page with the stream first in its /Contents, the page's resources with the stream's
// graphics states (when it names any), a cross-reference section and a trailer. Throws io_error
// naming the file if its structure is not as expected.
void prepend_page_content(const std::string& path, const PdfContent::Stream& stream);

}  // namespace planmap::render
