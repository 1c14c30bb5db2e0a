#!/usr/bin/env python3
"""Derives the test fixtures in tests/data/ from the data beside the project (../shared/data).

The fixtures are committed: the suite never needs ../shared. This script documents how each was
made and remakes them (it needs ../shared/data, ogr2ogr and osmium):

  python3 tests/data/make_fixtures.py [SHARED_DATA_DIR]

Sources and licences are listed in tests/data/README.md.
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "data")


def run(*args):
    subprocess.run(args, check=True)


def taizhou():
    """Taizhou's 9 districts (DataV, GCJ-02), simplified to ~0.02° and 4 decimals."""
    out = os.path.join(HERE, "boundaries", "taizhou.geojson")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if os.path.exists(out):
        os.remove(out)
    run("ogr2ogr", "-f", "GeoJSON", out, os.path.join(SHARED, "boundaries", "331000_full.json"), "-simplify", "0.02",
        "-lco", "COORDINATE_PRECISION=4", "-lco", "RFC7946=NO", "-select", "name,adcode", "-nln", "taizhou")
    return out


PLAN_BOUNDARIES = ["331000", "330300", "370100", "620800"]  # Taizhou, Wenzhou, Jinan, Pingliang


def plan_boundaries():
    """The four cities' district boundaries the seed plans select from (DataV, GCJ-02), simplified
    to 0.005° and 4 decimals: small enough to commit, close enough that every plan's checks hold."""
    folder = os.path.join(HERE, "boundaries", "plans")
    os.makedirs(folder, exist_ok=True)
    for code in PLAN_BOUNDARIES:
        out = os.path.join(folder, code + ".geojson")
        if os.path.exists(out):
            os.remove(out)
        run("ogr2ogr", "-f", "GeoJSON", out, os.path.join(SHARED, "boundaries", code + "_full.json"), "-simplify", "0.005",
            "-lco", "COORDINATE_PRECISION=4", "-lco", "RFC7946=NO", "-select", "name,adcode", "-nln", code)
    with open(os.path.join(folder, "SOURCE.txt"), "w", encoding="utf-8") as fo:
        fo.write("tests/data: DataV GeoAtlas district boundaries (GCJ-02), simplified to 0.005 degrees\n")


def gbk(taizhou_json):
    """The same districts as a GBK shapefile in three variants: with a .cpg, with only the DBF's
    code-page byte (LDID 0x4D = CP936), and with neither."""
    base = os.path.join(HERE, "gbk")
    shutil.rmtree(base, ignore_errors=True)
    for sub in ("", "ldid", "nocpg"):
        d = os.path.join(base, sub)
        os.makedirs(d, exist_ok=True)
        shp = os.path.join(d, "taizhou_gbk.shp")
        run("ogr2ogr", "-f", "ESRI Shapefile", shp, taizhou_json, "-lco", "ENCODING=CP936", "-nln", "taizhou_gbk")
        if sub:
            os.remove(os.path.join(d, "taizhou_gbk.cpg"))
            os.remove(os.path.join(d, "taizhou_gbk.prj"))
            with open(os.path.join(d, "taizhou_gbk.dbf"), "r+b") as f:
                f.seek(29)
                f.write(bytes([0x4D if sub == "ldid" else 0]))


def decimate_keep_near(ring, keep_near, step):
    """Every `step`-th vertex of a ring (5 decimals), and every vertex within 0.03° of a point in keep_near."""
    out = []
    for i, p in enumerate(ring):
        near = any(math.hypot(p[0] - q[0], p[1] - q[1]) < 0.03 for q in keep_near)
        if near:
            out.append(list(p))  # as it is: rounding can undo the crossing
        elif i % step == 0 or i == len(ring) - 1:
            out.append([round(p[0], 5), round(p[1], 5)])
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def pingliang():
    """Pingliang's 7 units (DataV, GCJ-02): three polygons self-intersect. Decimated to every 8th
    vertex, except near the three self-intersections, which are kept as they are."""
    src = json.load(open(os.path.join(SHARED, "boundaries", "620800_full.json"), encoding="utf-8"))
    crossings = [(106.49254, 35.732842), (106.072937, 35.447512), (106.048556, 35.48906)]
    feats = []
    for f in src["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        polys = [[decimate_keep_near(r, crossings, 8) for r in poly] for poly in polys]
        geom = {"type": "MultiPolygon", "coordinates": polys} if g["type"] == "MultiPolygon" else {"type": "Polygon", "coordinates": polys[0]}
        feats.append({"type": "Feature", "properties": {"name": f["properties"]["name"], "adcode": f["properties"]["adcode"]},
                      "geometry": geom})
    out = os.path.join(HERE, "boundaries", "pingliang.geojson")
    with open(out, "w", encoding="utf-8") as fo:
        json.dump({"type": "FeatureCollection", "features": feats}, fo, ensure_ascii=False, separators=(",", ":"))


def vectors():
    os.makedirs(os.path.join(HERE, "crs"), exist_ok=True)
    shutil.copyfile(os.path.join(SHARED, "crs", "gcj02_bd09_vectors.csv"), os.path.join(HERE, "crs", "gcj02_bd09_vectors.csv"))


def monaco():
    """The streets of central Monaco (OSM, 2016): a 1.6 x 2 km box, highway ways only, no metadata."""
    os.makedirs(os.path.join(HERE, "osm"), exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        box = os.path.join(tmp, "box.osm.pbf")
        run("osmium", "extract", "-b", "7.415,43.728,7.435,43.746", "-s", "complete_ways",
            os.path.join(SHARED, "osm", "monaco.osm.pbf"), "-o", box, "--overwrite")
        run("osmium", "tags-filter", box, "w/highway", "-o", os.path.join(HERE, "osm", "monaco_centre.osm.pbf"), "--overwrite",
            "-f", "pbf,add_metadata=false")


if __name__ == "__main__":
    t = taizhou()
    plan_boundaries()
    gbk(t)
    pingliang()
    vectors()
    monaco()
