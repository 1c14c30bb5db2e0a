#!/usr/bin/env python3
"""Regenerates the bad-input corpus in files/ (committed; run only to change it).

Each case is a folder; cases.toml says what planmap must do with it. Shapefiles are written with
ogr2ogr (gdal-bin) and then damaged byte by byte here.
"""
import json
import os
import shutil
import struct
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, "files")

POLYS = """id,name,WKT
1,椒江区,"POLYGON((121.40 28.60,121.50 28.60,121.50 28.70,121.40 28.70,121.40 28.60))"
2,路桥区,"POLYGON((121.30 28.50,121.40 28.50,121.40 28.60,121.30 28.60,121.30 28.50))"
3,黄岩区,"POLYGON((121.20 28.50,121.30 28.50,121.30 28.60,121.20 28.60,121.20 28.50))"
"""


def case(name):
    d = os.path.join(FILES, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def write(path, data, mode="w"):
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        f.write(data)


def shapefile(d, encoding="CP936", srs="EPSG:4490"):
    csv = os.path.join(d, "src.csv")
    write(csv, POLYS)
    args = ["ogr2ogr", "-q", os.path.join(d, "a.shp"), csv, "-nln", "a", "-lco", "ENCODING=" + encoding]
    if srs:
        args += ["-a_srs", srs]
    subprocess.run(args, check=True)
    os.remove(csv)


def dbf(path, rows, width=20, name=b"NAME"):
    """A minimal dBASE III file with one character field (NAME, or raw bytes) holding raw bytes."""
    header_len = 32 + 32 + 1
    rec_len = 1 + width
    out = struct.pack("<B3BIHH20x", 3, 124, 1, 1, len(rows), header_len, rec_len)
    out += struct.pack("<11sc4xBB14x", name, b"C", width, 0)
    out += b"\x0d"
    for r in rows:
        out += b" " + r.ljust(width, b" ")[:width]
    out += b"\x1a"
    write(path, out, "wb")


def main():
    shutil.rmtree(FILES, ignore_errors=True)
    os.makedirs(FILES)

    d = case("shp_missing_shx"); shapefile(d); os.remove(os.path.join(d, "a.shx"))
    d = case("shp_missing_dbf"); shapefile(d); os.remove(os.path.join(d, "a.dbf"))
    d = case("shp_truncated_shp"); shapefile(d)
    p = os.path.join(d, "a.shp"); data = open(p, "rb").read(); write(p, data[: len(data) // 2], "wb")
    d = case("shp_truncated_dbf"); shapefile(d)
    p = os.path.join(d, "a.dbf"); data = open(p, "rb").read(); write(p, data[: len(data) // 2], "wb")
    d = case("shp_bad_prj"); shapefile(d); write(os.path.join(d, "a.prj"), "PROJCS[garbage")
    d = case("shp_no_prj"); shapefile(d, srs=None)
    d = case("shp_gbk_nocpg"); shapefile(d); os.remove(os.path.join(d, "a.cpg"))
    d = case("shp_mixed_encoding"); shapefile(d); os.remove(os.path.join(d, "a.cpg"))
    dbf(os.path.join(d, "a.dbf"), ["椒江区".encode("gbk"), "路桥区".encode("utf-8"), "黄岩区".encode("gbk")])

    d = case("csv_nan_inf_huge")
    write(os.path.join(d, "p.csv"), 'id,WKT\n1,"POINT (nan nan)"\n2,"POINT (1e308 1e308)"\n3,"POINT (inf 0)"\n4,"POINT (121.4 28.6)"\n')
    fc = '{"type":"FeatureCollection","features":[%s]}'
    d = case("geojson_empty_null")
    write(os.path.join(d, "e.geojson"), fc % ('{"type":"Feature","properties":{"id":1},"geometry":null},'
                                              '{"type":"Feature","properties":{"id":2},"geometry":{"type":"Polygon","coordinates":[]}}'))
    d = case("geojson_self_intersecting")
    write(os.path.join(d, "s.geojson"), fc % '{"type":"Feature","properties":{"id":7},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}}')
    d = case("geojson_unclosed_ring")
    write(os.path.join(d, "u.geojson"), fc % '{"type":"Feature","properties":{"id":3},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}')
    d = case("geojson_zero_features")
    write(os.path.join(d, "z.geojson"), fc % "")
    d = case("geojson_truncated")
    write(os.path.join(d, "t.geojson"), (fc % '{"type":"Feature","properties":{"id":1},"geometry":{"type":"Point","coordinates":[1,2]}}')[:60])
    d = case("gpkg_truncated")
    subprocess.run(["ogr2ogr", "-q", os.path.join(d, "g.gpkg"), os.path.join(FILES, "geojson_self_intersecting", "s.geojson")], check=True)
    p = os.path.join(d, "g.gpkg"); data = open(p, "rb").read(); write(p, data[:3000], "wb")
    d = case("empty_file")
    write(os.path.join(d, "x.shp"), "")
    d = case("empty_folder")
    write(os.path.join(d, "README"), "a folder with no data in it\n")
    d = case("good_geojson")
    write(os.path.join(d, "g.geojson"), fc % '{"type":"Feature","properties":{"id":1,"name":"椒江"},"geometry":{"type":"Point","coordinates":[121.4,28.6]}}')

    plan = '[plan]\nid = "t"\nname_zh = "测试"\nname_en = "Test"\nsource = "test"\n'

    def zone(i, of):
        return (f'\n[[element]]\nid = "{i}"\nkind = "zone"\nname_zh = "区"\nname_en = "Zone"\n'
                f'precision = "schematic"\nsource_ref = "x"\nop = "buffer"\nof = "{of}"\ndistance_m = 10\n')
    write(os.path.join(case("plan_syntax_error"), "plan.toml"), plan + '\n[[element]]\nid = "a\nkind = "node"\n')
    write(os.path.join(case("plan_cycle"), "plan.toml"), plan + zone("a", "b") + zone("b", "a"))
    write(os.path.join(case("plan_unknown_kind"), "plan.toml"),
          plan + '\n[[element]]\nid = "p"\nkind = "spaceport"\nname_zh = "港"\nname_en = "Port"\n'
          'precision = "indicative"\nsource_ref = "x"\npoint = [121.4, 28.6]\n')

    # A map sheet whose style file is broken, and one whose layer source does not exist.
    good = os.path.join(FILES, "good_geojson", "g.geojson")
    d = case("map_bad_style")
    shutil.copy(good, os.path.join(d, "g.geojson"))
    write(os.path.join(d, "bad_style.toml"), 'name = "broken"\n\n[[rule]]\ntitle = "x"\nfill = { color = "#zzzzzz" }\n')
    write(os.path.join(d, "map.toml"), 'title = "测试"\n\n[[layer]]\nname = "g"\nsource = "g.geojson"\nstyle = "bad_style.toml"\n')
    d = case("map_missing_source")
    write(os.path.join(d, "map.toml"), 'title = "测试"\n\n[[layer]]\nname = "g"\nsource = "nowhere.geojson"\nstyle = "boundary"\n')
    # Roles with the wrong geometry: residential land given as points.
    d = case("coverage_points_as_residential")
    write(os.path.join(d, "parks.geojson"), fc % '{"type":"Feature","properties":{"id":1},"geometry":{"type":"Polygon","coordinates":[[[121.40,28.60],[121.41,28.60],[121.41,28.61],[121.40,28.61],[121.40,28.60]]]}}')
    write(os.path.join(d, "homes.geojson"), fc % '{"type":"Feature","properties":{"id":1},"geometry":{"type":"Point","coordinates":[121.405,28.605]}}')
    safety_cases()
    field_data_cases()
    geometry_cases()
    gpkg_blob_cases()


def field_data_cases():
    """Field data as it arrives: encodings that contradict their .cpg, no .prj at all."""
    def shapefile_from(d, csv_text, encoding, t_srs=None):
        csv = os.path.join(d, "src.csv")
        write(csv, csv_text)
        args = ["ogr2ogr", "-q", os.path.join(d, "a.shp"), csv, "-nln", "a", "-lco", "ENCODING=" + encoding]
        args += ["-s_srs", "EPSG:4490", "-t_srs", t_srs] if t_srs else ["-a_srs", "EPSG:4490"]
        subprocess.run(args, check=True)
        os.remove(csv)
        if t_srs:
            os.remove(os.path.join(d, "a.prj"))

    named = POLYS.replace("id,name,WKT", "id,名称,WKT")
    # GBK bytes (field names and values) under a .cpg that says UTF-8, and the reverse.
    d = case("shp_cpg_utf8_over_gbk"); shapefile_from(d, named, "CP936"); write(os.path.join(d, "a.cpg"), "UTF-8\n")
    d = case("shp_cpg_gbk_over_utf8"); shapefile_from(d, named, "UTF-8"); write(os.path.join(d, "a.cpg"), "936\n")
    # GBK field names over ASCII values, no .cpg and no code-page byte: only the names tell.
    d = case("shp_gbk_field_names")
    shapefile_from(d, POLYS.replace("id,name,WKT", "id,名称,WKT").replace("椒江区", "JJ").replace("路桥区", "LQ")
                   .replace("黄岩区", "HY"), "CP936")
    os.remove(os.path.join(d, "a.cpg"))
    p = os.path.join(d, "a.dbf"); data = bytearray(open(p, "rb").read()); data[29] = 0; write(p, bytes(data), "wb")
    # Bytes valid in no encoding the file could be in (Latin-1 under a .cpg that says UTF-8).
    d = case("shp_undecodable_bytes"); shapefile(d); write(os.path.join(d, "a.cpg"), "UTF-8\n")
    dbf(os.path.join(d, "a.dbf"), [b"Caf\xe9", b"plain", b"na\xefve"], name=b"NOM\xc9")
    # Projected data without a .prj: zone-prefixed 3-degree (zone 40) and 6-degree (zone 21)
    # Gauss-Krüger, and 3-degree without the zone (central meridian 120°E).
    d = case("shp_gk3_zone40_no_prj"); shapefile_from(d, POLYS, "UTF-8", "EPSG:4528")
    d = case("shp_gk6_zone21_no_prj"); shapefile_from(d, POLYS, "UTF-8", "EPSG:4499")
    d = case("shp_gk3_cm120_no_prj"); shapefile_from(d, POLYS, "UTF-8", "EPSG:4549")
    # An atlas whose index layer has no .prj (zone-prefixed 3-degree, zone 40).
    d = case("atlas_index_no_prj"); shapefile_from(d, POLYS, "UTF-8", "EPSG:4528")
    shutil.copy(os.path.join(FILES, "good_geojson", "g.geojson"), os.path.join(d, "g.geojson"))
    write(os.path.join(d, "map.toml"), 'title = "测试"\n\n[[layer]]\nname = "g"\nsource = "g.geojson"\nstyle = "boundary"\n')


def safety_cases():
    """Hostile or careless use: outputs naming inputs, spreadsheet formulas in names, deep TOML."""
    fc = '{"type":"FeatureCollection","features":[%s]}'

    def square(x, y, d, props):
        ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
        return '{"type":"Feature","properties":%s,"geometry":{"type":"Polygon","coordinates":[%s]}}' % (props, ring)

    def point(x, y, props):
        return '{"type":"Feature","properties":%s,"geometry":{"type":"Point","coordinates":[%s,%s]}}' % (props, x, y)

    parks = fc % ",".join([point(121.401, 28.601, '{"id":1,"type":"kindergarten"}'),
                           point(121.409, 28.609, '{"id":2,"type":"elderly_care"}')])
    homes = fc % ",".join([square(121.400, 28.600, 0.002, '{"id":1,"population":100}'),
                           square(121.405, 28.605, 0.002, '{"id":2,"population":50}'),
                           square(121.420, 28.620, 0.002, '{"id":3,"population":10}')])
    names = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "plain, \"quoted\""]
    zones = fc % ",".join(square(121.399 + 0.006 * i, 28.599, 0.006, '{"id":%d,"name":%s}' % (i + 1, json.dumps(n, ensure_ascii=False)))
                          for i, n in enumerate(names))

    d = case("analysis_inputs")
    write(os.path.join(d, "parks.geojson"), parks)
    write(os.path.join(d, "homes.geojson"), homes)
    write(os.path.join(d, "zones.geojson"), zones)
    os.makedirs(os.path.join(d, "run"))
    write(os.path.join(d, "run", "homes.geojson"), homes)
    os.makedirs(os.path.join(d, "old"))
    write(os.path.join(d, "old", "notes.txt"), "an earlier run's folder, with a file of the analyst's\n")
    # A zone name that is not UTF-8 (a GBK name in a file that claims UTF-8).
    bad = (fc % square(121.399, 28.599, 0.03, '{"id":1,"name":"@@@"}')).encode("utf-8").replace(b"@@@", "椒江".encode("gbk"))
    write(os.path.join(d, "zones_bad_utf8.geojson"), bad, "wb")

    # A GeoPackage with two layers, for convert b.gpkg b.gpkg.
    d = case("two_layer_gpkg")
    src = os.path.join(FILES, "good_geojson", "g.geojson")
    subprocess.run(["ogr2ogr", "-q", os.path.join(d, "b.gpkg"), src, "-nln", "zones"], check=True)
    subprocess.run(["ogr2ogr", "-q", "-update", os.path.join(d, "b.gpkg"), src, "-nln", "roads"], check=True)

    # Life-circle profile whose labels are formulas and whose citation is longer than 511 bytes.
    d = case("lifecircle_hostile_profile")
    write(os.path.join(d, "parks.geojson"), parks)
    write(os.path.join(d, "homes.geojson"), homes)
    clause = "Table 3.0.4 " + "x" * 600 + " END"
    write(os.path.join(d, "profile.toml"),
          'name = "hostile"\ntitle = "=1+1"\ntype_field = "type"\n\n'
          '[[level]]\nname = "-5min"\ntitle = "=HYPERLINK(\\"http://evil.example\\")"\nminutes = 5\nradius_m = 300\n'
          'standard = "GB 50180-2018"\nclause = "%s"\nconfidence = "M"\n\n'
          '[[facility]]\ntype = "kindergarten"\nname_zh = "@幼儿园, \\"quoted\\""\nlevel = "-5min"\nradius_m = 300\n'
          'standard = "GB 50180-2018"\nclause = "Appendix C"\nconfidence = "M"\n' % clause)

    # TOML that crashed the parser: ~40,000 dotted key parts (80 KB), in a map, a plan and a profile.
    deep_key = "a" + ".a" * 40000 + " = 1\n"
    d = case("toml_deep_nesting")
    shutil.copy(src, os.path.join(d, "g.geojson"))
    write(os.path.join(d, "map.toml"), 'title = "测试"\n\n' + deep_key)
    write(os.path.join(d, "plan.toml"), '[plan]\nid = "t"\n' + deep_key)
    write(os.path.join(d, "profile.toml"), 'name = "deep"\n' + deep_key)
    write(os.path.join(d, "arrays.toml"), 'name = "deep"\nradius = ' + "[" * 20000 + "]" * 20000 + "\n")
    write(os.path.join(d, "parks.geojson"), parks)
    write(os.path.join(d, "homes.geojson"), homes)

    # A profile name far beyond a label's length (copied into every ignored facility's reason).
    d = case("profile_huge_name")
    write(os.path.join(d, "profile.toml"), 'name = "%s"\ntype_field = "type"\n\n[[radius]]\nradius_m = 300\n'
          'standard = "x"\nclause = "y"\nconfidence = "M"\n' % ("n" * 300))
    write(os.path.join(d, "parks.geojson"), parks)
    write(os.path.join(d, "homes.geojson"), homes)


def geometry_cases():
    """Field data with broken geometries, in EPSG:4549 metres so every figure is computed by hand."""
    x0, y0 = 640000, 3165000
    crs = '"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}},'

    def layer(*features):
        return '{"type":"FeatureCollection",%s"features":[%s]}' % (crs, ",".join(features))

    def feature(fid, props, gtype, coords):
        ring = lambda r: "[%s]" % ",".join("[%s,%s]" % (x if isinstance(x, str) else x0 + x, y0 + y) for x, y in r)
        if gtype == "LineString":
            body = ring(coords)
        else:
            body = "[%s]" % ring(coords)
        return '{"type":"Feature","id":%d,"properties":%s,"geometry":{"type":"%s","coordinates":%s}}' % (
            fid, json.dumps(props, ensure_ascii=False), gtype, body)

    def square(fid, props, xa, ya, xb, yb):
        return feature(fid, props, "Polygon", [(xa, ya), (xb, ya), (xb, yb), (xa, yb), (xa, ya)])

    # A bow-tie park of two 10,000 m² triangles (make-valid keeps both: 20,000 m²); housing A
    # (10,000 m², 100 people) lies within 150 m of its east edge, housing B (40,000 m², 300 people)
    # 800 m away: with a 300 m radius A is covered whole, B not at all: 0.2 of the area, 0.25 of
    # the people.
    bowtie = feature(1, {"name": "bow-tie park"}, "Polygon", [(0, 0), (200, 200), (200, 0), (0, 200), (0, 0)])
    d = case("coverage_bowtie_park")
    write(os.path.join(d, "parks.geojson"), layer(bowtie))
    write(os.path.join(d, "homes.geojson"), layer(square(1, {"population": 100}, 250, 50, 350, 150),
                                                  square(2, {"population": 300}, 1000, 0, 1100, 400)))

    # Parcels of 100 + 100 + 50 people within 300 m of a square park; the third is a flat ring
    # (no area after repair), placed by its point.
    d = case("coverage_degenerate_parcels")
    write(os.path.join(d, "parks.geojson"), layer(square(1, {"name": "park"}, 0, 0, 100, 100)))
    write(os.path.join(d, "homes.geojson"), layer(square(1, {"population": 100}, 150, 0, 200, 50),
                                                  square(2, {"population": 100}, 0, 150, 50, 200),
                                                  feature(3, {"population": 50}, "Polygon", [(120, 120), (180, 120), (150, 120), (120, 120)])))

    # A facility with NaN coordinates beside a good one: left out and listed, the good one counted.
    d = case("coverage_nan_facility")
    write(os.path.join(d, "parks.geojson"), layer(square(1, {"name": "park"}, 0, 0, 100, 100),
                                                  feature(2, {"name": "broken"}, "Polygon", [(0, 0), (10, 0), ("NaN", 10), (0, 0)])))
    write(os.path.join(d, "homes.geojson"), layer(square(1, {"population": 10}, 150, 0, 200, 50)))

    # Zones: a self-intersecting one (two triangles, a parcel in each) and a square one far away.
    # The parcels of 400 m² each are within 300 m of the park, the far one (10,000 m²) is not.
    d = case("coverage_invalid_zone")
    write(os.path.join(d, "parks.geojson"), layer(square(1, {"name": "park"}, 0, 0, 100, 100)))
    write(os.path.join(d, "homes.geojson"), layer(square(1, {"population": 10}, 110, 90, 130, 110),
                                                  square(2, {"population": 20}, 270, 90, 290, 110),
                                                  square(3, {"population": 30}, 1050, 50, 1150, 150)))
    write(os.path.join(d, "zones.geojson"), layer(
        feature(1, {"name": "bowtie"}, "Polygon", [(100, 0), (300, 200), (300, 0), (100, 200), (100, 0)]),
        square(2, {"name": "square"}, 1000, 0, 1200, 200)))


def gpkg_blob_cases():
    """A GeoPackage whose blobs other tools wrote badly: bytes that are no geometry, a ring left
    open, a polygon with Z (read straight through SQLite, these take OGR's path or become notes)."""
    import sqlite3
    import struct
    d = case("gpkg_odd_blobs")
    src = os.path.join(d, "src.geojson")
    ring = '[[[%d,0],[%d,0],[%d,10],[%d,10],[%d,0]]]'
    write(src, '{"type":"FeatureCollection","features":[' + ",".join(
        '{"type":"Feature","properties":{"id":%d},"geometry":{"type":"Polygon","coordinates":%s}}' % (i, ring % (10 * i, 10 * i + 10, 10 * i + 10, 10 * i, 10 * i))
        for i in range(1, 5)) + ']}')
    g = os.path.join(d, "g.gpkg")
    subprocess.run(["ogr2ogr", "-q", "-f", "GPKG", g, src, "-nln", "parcels", "-a_srs", "EPSG:4549", "-lco", "SPATIAL_INDEX=NO",
                    "-lco", "FID=fid"], check=True)
    os.remove(src)

    def blob(wkb):
        return b"GP\x00\x01" + struct.pack("<i", 4549) + wkb

    open_ring = struct.pack("<BII", 1, 3, 1) + struct.pack("<I", 4) + struct.pack("<8d", 20, 0, 30, 0, 30, 10, 20, 10)
    z = struct.pack("<BII", 1, 1003, 1) + struct.pack("<I", 5) + struct.pack("<15d", 30, 0, 5, 40, 0, 5, 40, 10, 5, 30, 10, 5, 30, 0, 5)
    con = sqlite3.connect(g)
    con.execute("UPDATE parcels SET geom = ? WHERE fid = 1", (b"\x00\x11\x22\x33",))
    con.execute("UPDATE parcels SET geom = ? WHERE fid = 2", (blob(open_ring),))
    con.execute("UPDATE parcels SET geom = ? WHERE fid = 3", (blob(z),))
    con.commit()
    con.close()


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["--safety"]:  # only the cases above (the rest stay as committed)
        safety_cases()
    elif sys.argv[1:] == ["--field-data"]:  # only the encoding and missing-CRS cases
        field_data_cases()
    elif sys.argv[1:] == ["--geometry"]:  # only the broken-geometry cases
        geometry_cases()
    elif sys.argv[1:] == ["--gpkg-blobs"]:  # only the GeoPackage blob case
        gpkg_blob_cases()
    else:
        main()
