#include "render/web_map.hpp"

#include <cairo-svg.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/text.hpp"
#include "layers/io.hpp"
#include "render/detail/sheet_paint.hpp"
#include "styles/qgis.hpp"

namespace planmap::render {

namespace {

constexpr double px_per_mm = 96 / 25.4;

// Cairo's stream callback: appends to a string (never throws into Cairo).
cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    try {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
    } catch (...) {
        return CAIRO_STATUS_WRITE_ERROR;
    }
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

// Cairo's document (user units: page mm) as an element for HTML: no XML declaration, the ids
// inside prefixed (Cairo numbers its glyphs, clips and patterns from 1 in every document), a root
// of its own (id, role, size in CSS px over a viewBox in mm) with a title and a description.
std::string inline_svg(std::string doc, const std::string& id, double w_mm, double h_mm, double w_px, double h_px,
                       const std::string& title, const std::string& desc) {
    auto start = doc.find("<svg");
    auto root_end = doc.find('>', start);
    if (start == std::string::npos || root_end == std::string::npos) throw io_error(tr("the SVG map has no <svg> element"));
    doc.erase(0, root_end + 1);
    replace_all(doc, "id=\"", "id=\"" + id + "-");
    replace_all(doc, "href=\"#", "href=\"#" + id + "-");
    replace_all(doc, "url(#", "url(#" + id + "-");
    return "<svg id=\"" + styles::xml_escape(id) + "\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" "
           "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"" + core::fixed(w_px, 0) + "px\" height=\"" + core::fixed(h_px, 0) +
           "px\" viewBox=\"0 0 " + core::fixed(w_mm, 3) + " " + core::fixed(h_mm, 3) + "\" version=\"1.1\">\n<title>" +
           styles::xml_escape(title) + "</title>\n<desc>" + styles::xml_escape(desc) + "</desc>" + doc;
}

}  // namespace

WebMap render_web_map(const LoadedMap& map, const WebMapOptions& o) {
    geo::Envelope ext;
    for (const auto& l : map.layers)
        if (map.spec.fit_layer.empty() || l.spec.name == map.spec.fit_layer) ext.expand(l.data.extent());
    if (ext.empty) throw io_error(trf("map '{}': the layers have no features to draw", map.spec.title));
    // The frame takes the data's shape at the full width, unless that is too tall or too low.
    detail::Page page;
    page.layout = detail::Layout::web;
    page.furniture = o.furniture;
    page.legend_w_mm = o.legend_width_px / px_per_mm;
    page.gap_mm = 3 * std::sqrt(o.furniture);
    const double edges = 2 * detail::web_edge_mm;
    double fw = o.width_px / px_per_mm - page.legend_w_mm - page.gap_mm - edges;
    if (fw < 20)
        throw usage_error(trf("width_px {} leaves no room for the map beside the legend (legend_width_px {})", core::fixed(o.width_px, 0),
                              core::fixed(o.legend_width_px, 0)));
    double aspect = std::max(ext.maxy - ext.miny, 1.0) / std::max(ext.maxx - ext.minx, 1.0);
    double fh = fw * aspect, max_h = o.max_height_px / px_per_mm - edges, min_h = std::min(o.min_height_px / px_per_mm - edges, max_h);
    if (fh > max_h) fh = max_h, fw = std::max(20.0, fh / aspect);
    fh = std::max(fh, min_h);
    page.width_mm = fw + page.gap_mm + page.legend_w_mm + edges;
    page.height_mm = fh + edges;

    WebMap out;
    out.width_px = std::round(page.width_mm * px_per_mm);
    out.height_px = std::round(page.height_mm * px_per_mm);
    std::string doc;
    {
        // Device units are page mm: paths are written as drawn, without a transform each.
        SurfacePtr surface(cairo_svg_surface_create_for_stream(append, &doc, page.width_mm, page.height_mm));
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            throw io_error(trf("cannot create the SVG map: {}", cairo_status_to_string(cairo_surface_status(surface.get()))));
        CairoPtr cr(cairo_create(surface.get()));
        // Paths snap to 1/32 mm (1/8 px), exact in binary: short numbers in the file.
        detail::paint_map(cr.get(), map, SheetOptions{}, page, out.report, 1.0 / 32);
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw io_error(trf("drawing the SVG map failed: {}", cairo_status_to_string(cairo_status(cr.get()))));
        cr.reset();
        cairo_surface_finish(surface.get());
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            throw io_error(trf("cannot write the SVG map: {}", cairo_status_to_string(cairo_surface_status(surface.get()))));
    }
    std::string desc = map.spec.legend_title + ":";
    for (std::size_t i = 0; i < out.report.legend.size(); ++i) desc += (i ? "; " : " ") + out.report.legend[i];
    out.svg = inline_svg(std::move(doc), o.id, page.width_mm, page.height_mm, out.width_px, out.height_px,
                         o.title.empty() ? map.spec.title : o.title, desc);
    out.report.format = "svg";
    out.report.width_px = static_cast<int>(out.width_px), out.report.height_px = static_cast<int>(out.height_px);
    out.report.page_w_mm = page.width_mm, out.report.page_h_mm = page.height_mm;
    out.report.warnings = map.warnings;
    return out;
}

LoadedMap load_file_map(const std::string& path, const std::vector<std::string>& layer_names, const std::string& style) {
    layers::Dataset ds = layers::read(path);
    styles::Style st = styles::load_style(styles::resolve_style(style, ""));
    LoadedMap m{{}, geo::Crs::wgs84(), {}, std::nullopt, {}};
    m.spec.file = path;
    m.spec.sheet_number = false;
    for (const auto& name : layer_names) {
        if (!ds.find(name)) continue;
        LayerSpec ls;
        ls.name = name, ls.source = path, ls.layer = name, ls.style = style;
        layers::Layer& l = ds.layer(name);
        if (!l.crs()) throw io_error(trf("{}: layer '{}' has no CRS", path, name));
        if (m.layers.empty()) m.crs = *l.crs();
        for (const auto& n : l.notes)
            m.warnings.push_back(trf("layer {}, feature {}: {} -> {}", name, n.fid, tr(n.reason.c_str()), tr(n.action.c_str())));
        if (!l.crs()->same_as(m.crs))
            for (const auto& w : l.reproject(m.crs)) m.warnings.push_back(w);
        m.layers.push_back({ls, std::move(l), st});
    }
    return m;
}

}  // namespace planmap::render
