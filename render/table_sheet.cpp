#include "render/table_sheet.hpp"

#include <cairo-pdf.h>

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "render/text.hpp"

namespace planmap::render {

namespace {

constexpr double kPageW = 297, kPageH = 210, kMargin = 12;

struct Laid {
    std::vector<std::vector<LayoutPtr>> cells;  // header first
    std::vector<double> heights;
    double total = 0;
};

Laid lay_out(PangoContext* ctx, const TableSheet& s, const std::vector<double>& col_mm, double size_pt) {
    Laid l;
    const double pad = 1.2;
    auto row = [&](const std::vector<std::string>& cells, bool bold) {
        std::vector<LayoutPtr> out;
        double h = 0;
        for (std::size_t c = 0; c < col_mm.size(); ++c) {
            TextSpec spec;
            spec.size_pt = size_pt;
            spec.bold = bold;
            spec.wrap_mm = col_mm[c] - 2 * pad;
            out.push_back(make_layout(ctx, c < cells.size() ? cells[c] : std::string(), spec));
            h = std::max(h, layout_size(out.back().get()).h + 2 * pad);
        }
        l.cells.push_back(std::move(out));
        l.heights.push_back(h);
        l.total += h;
    };
    row(s.header, true);
    for (const auto& r : s.rows) row(r, false);
    return l;
}

}  // namespace

double write_table_sheet(const TableSheet& s, const std::string& output) {
    if (s.widths.size() != s.header.size()) throw usage_error("table sheet: one width per column");
    const double table_w = kPageW - 2 * kMargin;
    const double sum = std::accumulate(s.widths.begin(), s.widths.end(), 0.0);
    std::vector<double> col_mm;
    for (double w : s.widths) col_mm.push_back(table_w * w / sum);

    auto ctx = make_text_context();
    TextSpec title_spec;
    title_spec.size_pt = 16;
    title_spec.bold = true;
    title_spec.wrap_mm = table_w;
    auto title = make_layout(ctx.get(), s.title, title_spec);
    TextSpec sub_spec;
    sub_spec.size_pt = 9;
    sub_spec.wrap_mm = table_w;
    auto subtitle = make_layout(ctx.get(), s.subtitle, sub_spec);
    TextSpec foot_spec;
    foot_spec.size_pt = 7;
    foot_spec.family = serif_family;
    foot_spec.wrap_mm = table_w;
    auto footer = make_layout(ctx.get(), s.footer, foot_spec);
    const double top = kMargin + layout_size(title.get()).h + 2 + layout_size(subtitle.get()).h + 4;
    const double bottom = kPageH - kMargin - layout_size(footer.get()).h - 3;

    // The font shrinks (to 6 pt at least) until the table fits one page; a longer table goes on
    // over further pages, each with the title and the header row.
    double size = 9;
    Laid laid = lay_out(ctx.get(), s, col_mm, size);
    while (laid.total > bottom - top && size > 6) {
        size -= 0.5;
        laid = lay_out(ctx.get(), s, col_mm, size);
    }

    core::AtomicFile tmp{std::filesystem::path(output)};
    const double k = 72.0 / 25.4;
    SurfacePtr surface(cairo_pdf_surface_create(tmp.path().c_str(), kPageW * k, kPageH * k));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, s.title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "planmap");
    {
        CairoPtr cr(cairo_create(surface.get()));
        cairo_scale(cr.get(), k, k);
        const styles::Color ink{0.11, 0.14, 0.15, 1}, rule{0.6, 0.62, 0.6, 1}, head{0.9, 0.92, 0.89, 1};
        cairo_set_line_width(cr.get(), 0.2);
        auto draw_row = [&](std::size_t r, double y) {
            const double h = laid.heights[r];
            if (r == 0) {
                set_source(cr.get(), head);
                cairo_rectangle(cr.get(), kMargin, y, table_w, h);
                cairo_fill(cr.get());
            }
            double x = kMargin;
            for (std::size_t c = 0; c < laid.cells[r].size(); ++c) {
                const bool marked = r > 0 && c + 1 == laid.cells[r].size() && r - 1 < s.row_marks.size() && s.row_marks[r - 1];
                if (marked) {
                    set_source(cr.get(), *s.row_marks[r - 1], 0.35);
                    cairo_rectangle(cr.get(), x, y, col_mm[c], h);
                    cairo_fill(cr.get());
                }
                draw_layout(cr.get(), laid.cells[r][c].get(), x + 1.2, y + 1.2, ink);
                x += col_mm[c];
            }
            set_source(cr.get(), rule);
            cairo_move_to(cr.get(), kMargin, y + h);
            cairo_line_to(cr.get(), kMargin + table_w, y + h);
            cairo_stroke(cr.get());
        };
        // One page: title, subtitle, footer, the header row, then rows from `first` while they fit.
        std::size_t next = 1;
        while (next < laid.cells.size() || next == 1) {
            draw_layout(cr.get(), title.get(), kMargin, kMargin, ink);
            draw_layout(cr.get(), subtitle.get(), kMargin, kMargin + layout_size(title.get()).h + 2, ink);
            draw_layout(cr.get(), footer.get(), kMargin, kPageH - kMargin - layout_size(footer.get()).h, ink);
            double y = top;
            draw_row(0, y);
            y += laid.heights[0];
            do {  // at least one row per page, even one taller than the page
                if (next >= laid.cells.size()) break;
                draw_row(next, y);
                y += laid.heights[next++];
            } while (next < laid.cells.size() && y + laid.heights[next] <= bottom);
            set_source(cr.get(), rule);
            cairo_rectangle(cr.get(), kMargin, top, table_w, y - top);
            cairo_stroke(cr.get());
            if (next >= laid.cells.size()) break;
            cairo_show_page(cr.get());
        }
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw io_error(trf("drawing {} failed: {}", output, cairo_status_to_string(cairo_status(cr.get()))));
    }
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw io_error(trf("cannot write {}: {}", output, cairo_status_to_string(cairo_surface_status(surface.get()))));
    surface.reset();
    tmp.commit();
    return size;
}

}  // namespace planmap::render
