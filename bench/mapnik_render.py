#!/usr/bin/python3
"""Renders a render-benchmark map with Mapnik (python3-mapnik, Debian) to PNG or PDF (Cairo), the
same classes (MNR 2021 palette), outlines and interior labels as planmap's sheet, and with
STREETS.gpkg the streets of bench/make_roads.py in the style of bench/bench_roads.toml (casing,
fill line and the name along the line); prints the seconds the rendering took inside this process
(bench/render_bench.sh times the whole process). One format per process.
Usage: mapnik_render.py png|pdf DATA.gpkg PALETTE.toml WIDTH_MM HEIGHT_MM DPI OUT [STREETS.gpkg ROADS_STYLE.toml]"""
import re, sys, time, tomllib
from xml.sax.saxutils import escape

import mapnik

fmt, data, palette = sys.argv[1], sys.argv[2], sys.argv[3]
w_mm, h_mm, dpi, out = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), sys.argv[7]
streets, streets_style = (sys.argv[8], sys.argv[9]) if len(sys.argv) > 9 else (None, None)
classes = re.findall(r'name = "([^"]+)"\ncolor = "(#[0-9A-Fa-f]{6})"', open(palette, encoding="utf-8").read())
SRS = "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs"


def px(mm, scale):
    return mm / 25.4 * 72 * scale


def street_rules(scale):
    """Mapnik rules for bench/bench_roads.toml: per grade the casing and fill lines, then the name."""
    style = tomllib.load(open(streets_style, "rb"))
    lines, labels = "", ""
    for r in style["rule"]:
        flt = " and ".join("[%s] = '%s'" % (k, escape(v)) for k, v in r["filter"].items())
        syms = "".join(
            '<LineSymbolizer stroke="%s" stroke-width="%.3f" stroke-linecap="%s"/>' % (l["color"], px(l["width_mm"], scale), l.get("cap", "butt"))
            for l in [r["line"]] + r.get("lines", []))
        lines += "<Rule><Filter>%s</Filter>%s</Rule>" % (flt, syms)
        lb = r["label"]
        labels += ('<Rule><Filter>%s</Filter><TextSymbolizer face-name="Noto Sans CJK SC Regular" size="%.2f" fill="%s" '
                   'halo-fill="white" halo-radius="%.2f" placement="line">[%s]</TextSymbolizer></Rule>'
                   % (flt, lb["size_pt"] * scale, lb.get("color", "#000000"), px(lb.get("halo_mm", 0), scale), lb["field"]))
    return lines, labels


def build(width_px, height_px, scale):
    """The map as Mapnik XML: one rule per class (fill + outline) and an interior label rule; the
    streets above (lines, then their names)."""
    rules = "".join(
        '<Rule><Filter>[ydyh] = \'%s\'</Filter><PolygonSymbolizer fill="%s"/>'
        '<LineSymbolizer stroke="#7F7F7F" stroke-width="%.3f"/></Rule>' % (escape(n), c, px(0.08, scale))
        for n, c in classes)
    def ogr(path):
        return (f'<Datasource><Parameter name="type">ogr</Parameter><Parameter name="file">{escape(path)}</Parameter>'
                '<Parameter name="layer_by_index">0</Parameter></Datasource>')
    street_styles = street_layers = ""
    if streets:
        s_lines, s_labels = street_rules(scale)
        street_styles = f'<Style name="streets">{s_lines}</Style><Style name="street-names">{s_labels}</Style>'
        street_layers = f'<Layer name="streets" srs="{SRS}"><StyleName>streets</StyleName><StyleName>street-names</StyleName>{ogr(streets)}</Layer>'

    xml = f"""<Map srs="{SRS}" background-color="white">
<Style name="landuse">{rules}</Style>
<Style name="labels"><Rule><Filter>[name] != ''</Filter>
<TextSymbolizer face-name="Noto Sans CJK SC Regular" size="{6 * scale:.2f}" fill="black" halo-fill="white"
 halo-radius="{px(0.3, scale):.2f}" placement="point">[name]</TextSymbolizer></Rule></Style>{street_styles}
<Layer name="landuse" srs="{SRS}"><StyleName>landuse</StyleName><StyleName>labels</StyleName>{ogr(data)}</Layer>
{street_layers}</Map>"""
    m = mapnik.Map(width_px, height_px)
    mapnik.load_map_from_string(m, xml)
    m.zoom_all()
    return m


t0 = time.perf_counter()
if fmt == "png":
    # The sheet's pixel size.
    wpx, hpx = round(w_mm / 25.4 * dpi), round(h_mm / 25.4 * dpi)
    m = build(wpx, hpx, dpi / 72.0)
    im = mapnik.Image(wpx, hpx)
    mapnik.render(m, im, 1.0)
    im.save(out, "png32")
else:
    # PDF through Cairo: the page in points.
    m = build(round(w_mm / 25.4 * 72), round(h_mm / 25.4 * 72), 1.0)
    mapnik.render_to_file(m, out, "pdf")
print("%.3f" % (time.perf_counter() - t0))
