#!/usr/bin/env python3
"""A deterministic synthetic street network for benchmarks: a jittered grid, ~EDGES edges.

  gen_grid.py EDGES OUT.csv [--spacing M] [--seed S]
writes OUT.csv (u,v,length_m) and OUT.nodes.csv (node,lon,lat; around 120.15E 30.25N).
Nodes sit on a grid of SPACING metres (default 100) moved by up to 20% of it; 4% of the grid
edges are left out and 3% of the cells get a diagonal; every length is the straight distance
times a factor in [1, 1.15) (streets are not straight), rounded to the millimetre.
"""
import math
import random
import sys


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    target, out = int(args[0]), args[1]
    spacing = float(args[args.index("--spacing") + 1]) if "--spacing" in args else 100.0
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
    rng = random.Random(seed)
    side = max(2, int(math.sqrt(target / (2 * 0.96 + 0.03))) + 1)
    xs, ys = [], []
    for j in range(side):
        for i in range(side):
            xs.append(i * spacing + rng.uniform(-0.2, 0.2) * spacing)
            ys.append(j * spacing + rng.uniform(-0.2, 0.2) * spacing)

    def nid(i, j):
        return j * side + i + 1

    lines = ["u,v,length_m"]
    used = set()

    def edge(a, b):
        d = math.hypot(xs[a - 1] - xs[b - 1], ys[a - 1] - ys[b - 1]) * rng.uniform(1.0, 1.15)
        lines.append(f"{a},{b},{d:.3f}")
        used.add(a)
        used.add(b)

    for j in range(side):
        for i in range(side):
            if i + 1 < side and rng.random() >= 0.04:
                edge(nid(i, j), nid(i + 1, j))
            if j + 1 < side and rng.random() >= 0.04:
                edge(nid(i, j), nid(i, j + 1))
            if i + 1 < side and j + 1 < side and rng.random() < 0.03:
                edge(nid(i, j), nid(i + 1, j + 1))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    lat0, lon0 = 30.25, 120.15
    m_per_deg_lat = 111320.0
    m_per_deg_lon = 111320.0 * math.cos(math.radians(lat0))
    stem = out[:-4] if out.endswith(".csv") else out
    with open(stem + ".nodes.csv", "w") as f:
        f.write("node,lon,lat\n")
        for n in sorted(used):
            f.write(f"{n},{lon0 + xs[n - 1] / m_per_deg_lon:.9f},{lat0 + ys[n - 1] / m_per_deg_lat:.9f}\n")
    print(f"{out}: {len(lines) - 1} edges, {len(used)} nodes, grid {side}x{side}, spacing {spacing:g} m, seed {seed}")


if __name__ == "__main__":
    main()
