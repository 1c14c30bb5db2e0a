#!/usr/bin/env python3
"""Reachable street length and service-area polygon within a distance: planmap vs an OSMnx
walking graph built offline from the same OSM file.

  osmnx_check.py PLANMAP FILE.osm.pbf WORKDIR [--distance 1200] [--width 25] LON,LAT ...

The OSMnx graph: osmium-tool keeps the highway ways, osmnx.graph_from_xml reads them unsimplified
(all ways two-way), the edges failing OSMnx 1.2.3's 'walk' filter are dropped with its own
regular expressions (substring matches: highway!~"abandoned|bus_guideway|construction|cycleway|
motor|planned|platform|proposed|raceway", area!~yes, access!~private, foot!~no,
service!~private), nodes left without edges are dropped, then the graph is simplified
(osmnx.simplify_graph) and made undirected (osmnx.get_undirected).

Two comparisons per origin, both from the same start:
  exact   planmap `isochrone --from LON,LAT` reach_length_m / area_m2 (streets partly within the
          distance counted up to the cut point) vs the OSMnx graph with the origin inserted at the
          nearest point of its nearest edge, counting the same partial edges.
  whole   planmap whole_edge_length_m / whole_edge_area_m2 (streets between junctions counted when
          both ends are within the distance) vs nx.ego_graph from that same inserted origin.
  node    the plain OSMnx recipe, nx.ego_graph around the node nearest the origin (osmnx.distance.
          nearest_nodes), vs planmap `isochrone --start-at node` (the nearest junction: the same start)
          whole_edge_length_m / whole_edge_area_m2; and, last column, planmap's default whole-edge
          length (start at the nearest street point) vs that ego graph: the start moves to the node,
          which may lie far along the street (its distance is printed).
Areas: union of --width buffers.
Run with Debian's /usr/bin/python3 (python3-osmnx).
"""
import json
import math
import os
import re
import subprocess
import sys
import warnings

warnings.filterwarnings("ignore")

args = sys.argv[1:]
distance = float(args[args.index("--distance") + 1]) if "--distance" in args else 1200.0
width = float(args[args.index("--width") + 1]) if "--width" in args else 25.0
plain = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or args[i - 1] not in ("--distance", "--width"))]
planmap, pbf, work = plain[:3]
origins = [tuple(map(float, p.split(","))) for p in plain[3:]]

import networkx as nx
import osmnx as ox
from shapely.geometry import LineString, Point
from shapely.ops import substring, unary_union

# --- The OSMnx walking graph -----------------------------------------------------------------
hw_pbf = os.path.join(work, "highways.osm.pbf")
hw_xml = os.path.join(work, "highways.osm")
subprocess.run(["osmium", "tags-filter", "-O", "-o", hw_pbf, pbf, "w/highway"], check=True, capture_output=True)
subprocess.run(["osmium", "cat", "-O", "-o", hw_xml, hw_pbf], check=True, capture_output=True)
ox.settings.useful_tags_way = list(dict.fromkeys(list(ox.settings.useful_tags_way) + ["highway", "area", "access", "foot", "service"]))
WALK = {  # OSMnx 1.2.3 osm_filter 'walk' (downloader._get_osm_filter) with settings.default_access
    "highway": "abandoned|bus_guideway|construction|cycleway|motor|planned|platform|proposed|raceway",
    "area": "yes", "access": "private", "foot": "no", "service": "private",
}


def walkable(d):
    for key, pattern in WALK.items():
        values = d.get(key)
        for v in values if isinstance(values, list) else [values]:
            if v is not None and re.search(pattern, str(v)):
                return False
    return True


raw = ox.graph_from_xml(hw_xml, bidirectional=True, simplify=False, retain_all=True)
G = nx.MultiDiGraph(**raw.graph)  # the walkable edges, keyed from 0 again as simplify_graph expects
G.add_edges_from((u, v, d) for u, v, d in raw.edges(data=True) if walkable(d))
G.add_nodes_from((n, raw.nodes[n]) for n in list(G.nodes))  # nodes of dropped ways only are left out
G = ox.simplify_graph(G)
Gp = ox.project_graph(G)
U = ox.get_undirected(Gp)
crs = Gp.graph["crs"]
component = {}
for c in nx.connected_components(U):
    for n in c:
        component[n] = len(c)
largest = max(component.values())


def edge_geometry(g, u, v, d):
    if "geometry" in d:
        line = d["geometry"]
        # the stored geometry runs from one end to the other, in either order
        if Point(line.coords[0]).distance(Point(g.nodes[u]["x"], g.nodes[u]["y"])) > 1e-6:
            line = LineString(list(line.coords)[::-1])
        return line
    return LineString([(g.nodes[u]["x"], g.nodes[u]["y"]), (g.nodes[v]["x"], g.nodes[v]["y"])])


def with_origin(x, y):
    """U with a node "o" at the nearest point of the nearest edge (that edge split there)."""
    u, v, k = ox.distance.nearest_edges(Gp, x, y)
    d = U.get_edge_data(u, v)
    key = min(d, key=lambda kk: edge_geometry(U, u, v, d[kk]).distance(Point(x, y)))
    data = d[key]
    line = edge_geometry(U, u, v, data)
    at = line.project(Point(x, y))
    scale = data["length"] / line.length if line.length > 0 else 1.0
    H = U.copy()
    H.remove_edge(u, v, key)
    H.add_node("o", x=line.interpolate(at).x, y=line.interpolate(at).y)
    H.add_edge("o", u, length=at * scale, geometry=LineString(list(reversed(substring(line, 0, at).coords))) if at > 0 else None)
    H.add_edge("o", v, length=(line.length - at) * scale, geometry=substring(line, at, line.length) if at < line.length else None)
    return H, "o", Point(x, y).distance(line)


def figures(g, start):
    """(exact length, exact area, ego-graph length, ego-graph area) from node `start` of g."""
    dist = nx.single_source_dijkstra_path_length(g, start, cutoff=distance, weight="length")
    exact_len, exact_geoms, ego_len, ego_geoms = 0.0, [], 0.0, []
    for a, b, d in g.edges(data=True):
        da, db, L = dist.get(a), dist.get(b), d["length"]
        if da is None and db is None:
            continue
        line = d.get("geometry") or LineString([(g.nodes[a]["x"], g.nodes[a]["y"]), (g.nodes[b]["x"], g.nodes[b]["y"])])
        if Point(line.coords[0]).distance(Point(g.nodes[a]["x"], g.nodes[a]["y"])) > 1e-6:
            line = LineString(list(line.coords)[::-1])
        if da is not None and db is not None:
            ego_len += L
            ego_geoms.append(line)
        ra = min(L, distance - da) if da is not None else 0.0
        rb = min(L, distance - db) if db is not None else 0.0
        exact_len += min(L, ra + rb)
        s = line.length / L if L > 0 else 1.0
        if ra + rb >= L:
            exact_geoms.append(line)
        else:
            if ra > 0:
                exact_geoms.append(substring(line, 0, ra * s))
            if rb > 0:
                exact_geoms.append(substring(line, line.length - rb * s, line.length))
    area = lambda geoms: unary_union([x.buffer(width) for x in geoms]).area if geoms else 0.0
    return exact_len, area(exact_geoms), ego_len, area(ego_geoms)


# --- planmap ---------------------------------------------------------------------------------
def run_planmap(snap):
    cmd = [planmap, "isochrone", "--network", pbf, "--distance", str(distance), "--width", str(width), "-q", "--start-at", snap,
           "-o", os.path.join(work, "iso.gpkg"), "--json", os.path.join(work, "iso.json")]
    for lon, lat in origins:
        cmd += ["--from", f"{lon},{lat}"]
    subprocess.run(cmd, check=True)
    return json.load(open(os.path.join(work, "iso.json")))["per_source"]


pm, pm_node = run_planmap("edge"), run_planmap("node")


def pct(a, b):
    return (a - b) / b * 100 if b else (0.0 if a == 0 else float("nan"))


print(f"OSMnx walking graph: {U.number_of_nodes()} nodes, {U.number_of_edges()} edges, "
      f"{sum(d['length'] for *_, d in U.edges(data=True)) / 1000:.1f} km; largest component {largest} nodes")
print("lengths in km, areas in km2; diff = planmap vs OSMnx; snap: planmap's / OSMnx's distance from the origin to the "
      "network (m); node: distance to OSMnx's nearest node (m), 'c' when it is not in the largest component")
head = (f"{'origin':>20} {'snap':>9} | {'exact':>6} {'osmnx':>6} {'diff':>6} {'area':>6} {'osmnx':>6} {'diff':>6} | "
        f"{'whole':>6} {'ego':>6} {'diff':>6} {'area':>6} {'ego':>6} {'diff':>6} | "
        f"{'node':>5} {'pm@n':>6} {'ego@n':>6} {'diff':>6} {'area':>6} {'ego@n':>6} {'diff':>6} | {'dflt':>6}")
print(head)
worst = {k: 0.0 for k in ("exact length", "exact area", "whole length", "whole area", "node length", "node area", "default vs node")}
for (lon, lat), p, q in zip(origins, pm, pm_node):
    if not p["attached"] or not q["attached"]:
        print(f"{lon:>9.5f},{lat:>9.5f} unattached by planmap: no street within --max-snap (500 m); not compared")
        continue
    x, y = ox.projection.project_geometry(Point(lon, lat), to_crs=crs)[0].coords[0]
    H, o, snap = with_origin(x, y)
    el, ea, wl, wa = figures(H, o)
    n, dn = ox.distance.nearest_nodes(Gp, x, y, return_dist=True)
    _, _, nl, na = figures(U, n)
    row = {
        "exact length": pct(p["reach_length_m"], el), "exact area": pct(p["area_m2"], ea),
        "whole length": pct(p["whole_edge_length_m"], wl), "whole area": pct(p["whole_edge_area_m2"], wa),
        "node length": pct(q["whole_edge_length_m"], nl), "node area": pct(q["whole_edge_area_m2"], na),
        "default vs node": pct(p["whole_edge_length_m"], nl),
    }
    for k, v in row.items():
        if not math.isnan(v):
            worst[k] = max(worst[k], abs(v))
    mark = "c" if component[n] < largest else " "
    print(f"{lon:>9.5f},{lat:>9.5f} {p['snap_m']:>4.0f}/{snap:<4.0f} | "
          f"{p['reach_length_m'] / 1e3:>6.2f} {el / 1e3:>6.2f} {row['exact length']:>+5.1f}% "
          f"{p['area_m2'] / 1e6:>6.3f} {ea / 1e6:>6.3f} {row['exact area']:>+5.1f}% | "
          f"{p['whole_edge_length_m'] / 1e3:>6.2f} {wl / 1e3:>6.2f} {row['whole length']:>+5.1f}% "
          f"{p['whole_edge_area_m2'] / 1e6:>6.3f} {wa / 1e6:>6.3f} {row['whole area']:>+5.1f}% | "
          f"{dn:>4.0f}{mark} {q['whole_edge_length_m'] / 1e3:>6.2f} {nl / 1e3:>6.2f} {row['node length']:>+5.1f}% "
          f"{q['whole_edge_area_m2'] / 1e6:>6.3f} {na / 1e6:>6.3f} {row['node area']:>+5.1f}% | {row['default vs node']:>+5.1f}%")
print("largest differences: " + ", ".join(f"{k} {v:.1f}%" for k, v in worst.items()))
