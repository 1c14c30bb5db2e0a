#!/usr/bin/env python3
"""Reachable street length and service-area polygon within a distance: planmap vs an OSMnx
walking graph built offline from the same OSM file.

  osmnx_check.py PLANMAP FILE.osm.pbf WORKDIR [--distance 1200] [--width 25] LON,LAT ...

The OSMnx graph: osmium-tool keeps the highway ways that pass OSMnx's 'walk' filter (no
motorway, cycleway, construction, platform…, foot=no, access/service=private, area=yes), then
osmnx.graph_from_xml (all ways two-way, simplified). OSMnx: the ego graph within the distance
(by length) around the node nearest each origin; its edges' length and the union of 25 m buffers
around them. planmap: `isochrone --from LON,LAT`, whose figures also count the parts of edges up
to the exact cut point. Run with Debian's /usr/bin/python3 (python3-osmnx).
"""
import json
import os
import subprocess
import sys

args = sys.argv[1:]
distance = float(args[args.index("--distance") + 1]) if "--distance" in args else 1200.0
width = float(args[args.index("--width") + 1]) if "--width" in args else 25.0
plain = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or args[i - 1] not in ("--distance", "--width"))]
planmap, pbf, work = plain[:3]
origins = [tuple(map(float, p.split(","))) for p in plain[3:]]

import networkx as nx
import osmnx as ox

hw = os.path.join(work, "highways.osm.pbf")
walk = os.path.join(work, "walk.osm")
subprocess.run(["osmium", "tags-filter", "-O", "-o", hw, pbf, "w/highway"], check=True, capture_output=True)
subprocess.run(["osmium", "tags-filter", "-O", "-i", "-o", walk, hw,
                "w/highway=abandoned,bus_guideway,construction,cycleway,motorway,motorway_link,planned,platform,proposed,raceway",
                "w/foot=no", "w/service=private", "w/access=private", "w/area=yes"], check=True, capture_output=True)
G = ox.graph_from_xml(walk, bidirectional=True, simplify=True, retain_all=True)
Gp = ox.project_graph(G)
U = ox.get_undirected(Gp)

cmd = [planmap, "isochrone", "--network", pbf, "--distance", str(distance), "--width", str(width), "-q",
       "-o", os.path.join(work, "iso.gpkg"), "--json", os.path.join(work, "iso.json")]
for lon, lat in origins:
    cmd += ["--from", f"{lon},{lat}"]
subprocess.run(cmd, check=True)
pm = json.load(open(os.path.join(work, "iso.json")))["per_source"]

print(f"{'origin':>22} | {'planmap km':>10} {'osmnx km':>9} {'diff':>6} {'+partial':>9} {'diff':>6} | "
      f"{'planmap km2':>11} {'osmnx km2':>9} {'diff':>6}")
worst = 0.0
for (lon, lat), p in zip(origins, pm):
    x, y = ox.projection.project_geometry(__import__("shapely.geometry", fromlist=["Point"]).Point(lon, lat),
                                          to_crs=Gp.graph["crs"])[0].coords[0]
    n = ox.distance.nearest_nodes(Gp, x, y)
    sub = nx.ego_graph(U, n, radius=distance, distance="length")
    length = sum(d["length"] for _, _, d in sub.edges(data=True))
    # The same graph counting the edges leaving the ego graph up to the cut point, as planmap does.
    dist = nx.single_source_dijkstra_path_length(U, n, cutoff=distance, weight="length")
    partial = 0.0
    for a, b, d in U.edges(data=True):
        da, db, L = dist.get(a), dist.get(b), d["length"]
        if da is None and db is None:
            continue
        ra = min(L, distance - da) if da is not None else 0.0
        rb = min(L, distance - db) if db is not None else 0.0
        partial += min(L, ra + rb)
    if sub.number_of_edges():
        edges = ox.graph_to_gdfs(sub, nodes=False)
        area = edges.buffer(width).unary_union.area
    else:
        area = 0.0
    dl = (p["reach_length_m"] - length) / length * 100 if length else float("nan")
    dp = (p["reach_length_m"] - partial) / partial * 100 if partial else float("nan")
    da = (p["area_m2"] - area) / area * 100 if area else float("nan")
    worst = max(worst, abs(dl), abs(da))
    print(f"{lon:>10.5f},{lat:>10.5f} | {p['reach_length_m'] / 1000:>10.2f} {length / 1000:>9.2f} {dl:>+5.1f}% "
          f"{partial / 1000:>9.2f} {dp:>+5.1f}% | "
          f"{p['area_m2'] / 1e6:>11.3f} {area / 1e6:>9.3f} {da:>+5.1f}%")
print(f"largest difference {worst:.1f}%")
