#!/usr/bin/python3
"""Renders the benchmark land-use map with Mapnik (python3-mapnik, Debian) to PNG and PDF (Cairo),
the same classes (MNR 2021 palette), outlines and interior labels as planmap's sheet; prints the
seconds each took. Usage: mapnik_render.py DATA.gpkg PALETTE.toml WIDTH_MM HEIGHT_MM DPI OUT_PREFIX"""
import re, sys, time
import mapnik

data, palette, w_mm, h_mm, dpi, prefix = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
classes = re.findall(r'name = "([^"]+)"\ncolor = "(#[0-9A-Fa-f]{6})"', open(palette, encoding="utf-8").read())

def build(width_px, height_px, scale):
    """The map as Mapnik XML: one rule per class (fill + outline) and an interior label rule."""
    from xml.sax.saxutils import escape
    rules = "".join(
        '<Rule><Filter>[ydyh] = \'%s\'</Filter><PolygonSymbolizer fill="%s"/>'
        '<LineSymbolizer stroke="#7F7F7F" stroke-width="%.3f"/></Rule>' % (escape(n), c, 0.08 / 25.4 * 72 * scale)
        for n, c in classes)
    xml = f"""<Map srs="+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs" background-color="white">
<Style name="landuse">{rules}</Style>
<Style name="labels"><Rule><Filter>[name] != ''</Filter>
<TextSymbolizer face-name="Noto Sans CJK SC Regular" size="{6 * scale:.2f}" fill="black" halo-fill="white"
 halo-radius="{0.3 / 25.4 * 72 * scale:.2f}" placement="point">[name]</TextSymbolizer></Rule></Style>
<Layer name="landuse" srs="+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs"><StyleName>landuse</StyleName><StyleName>labels</StyleName>
<Datasource><Parameter name="type">ogr</Parameter><Parameter name="file">{escape(data)}</Parameter>
<Parameter name="layer_by_index">0</Parameter></Datasource></Layer></Map>"""
    m = mapnik.Map(width_px, height_px)
    mapnik.load_map_from_string(m, xml)
    m.zoom_all()
    return m

# PNG at the sheet's pixel size.
wpx, hpx = round(w_mm / 25.4 * dpi), round(h_mm / 25.4 * dpi)
t0 = time.perf_counter()
m = build(wpx, hpx, dpi / 72.0)
im = mapnik.Image(wpx, hpx)
mapnik.render(m, im, 1.0)
im.save(prefix + ".png", "png32")
t_png = time.perf_counter() - t0
# PDF through Cairo: the page in points.
t0 = time.perf_counter()
m = build(round(w_mm / 25.4 * 72), round(h_mm / 25.4 * 72), 1.0)
mapnik.render_to_file(m, prefix + ".pdf", "pdf")
t_pdf = time.perf_counter() - t0
print("%.3f %.3f" % (t_png, t_pdf))
