#!/usr/bin/python3
"""Independent solution of a `planmap site` instance: reads the demand pieces planmap wrote
(site_pieces.csv: piece, parcel_fid, area_m2, population, candidate_fids), builds the maximal
covering model itself (PuLP, solved by the CBC of Debian's coinor-cbc), and, when small enough,
solves it by brute force over every selection. Prints one JSON object.

Usage: site_peer.py PIECES.csv --objective population|area (--add K | --target-need W)
                    [--time-limit S] [--brute-max N]
"""
import argparse
import itertools
import json
import math
import shutil
import sys
import time

import pulp


def read_pieces(path, objective):
    col = "population" if objective == "population" else "area_m2"
    sets = {}
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
        i_w, i_c = header.index(col), header.index("candidate_fids")
        for line in f:
            cells = line.rstrip("\n").split(",")
            w = float(cells[i_w])
            if not w > 0:
                continue
            cands = tuple(sorted(int(c) for c in cells[i_c].split()))
            sets[cands] = sets.get(cands, 0.0) + w
    return sets


def solve_pulp(sets, add, need, time_limit):
    cands = sorted({c for s in sets for c in s})
    sense = pulp.LpMinimize if need is not None else pulp.LpMaximize
    prob = pulp.LpProblem("site", sense)
    x = {c: pulp.LpVariable(f"x{c}", cat="Binary") for c in cands}
    covered = []
    for k, (s, w) in enumerate(sets.items()):
        if len(s) == 1:
            covered.append(w * x[s[0]])
        else:
            y = pulp.LpVariable(f"y{k}", lowBound=0, upBound=1)
            prob += y <= pulp.lpSum(x[c] for c in s)
            covered.append(w * y)
    if need is not None:
        prob += pulp.lpSum(x.values())
        prob += pulp.lpSum(covered) >= need
    else:
        prob += pulp.lpSum(covered)
        prob += pulp.lpSum(x.values()) <= add
    t = time.perf_counter()
    # Debian's PuLP has no bundled CBC: the coinor-cbc binary.
    status = prob.solve(pulp.COIN_CMD(path=shutil.which("cbc") or "/usr/bin/cbc", msg=0, timeLimit=time_limit))
    seconds = time.perf_counter() - t
    chosen = sorted(c for c in cands if (x[c].value() or 0) > 0.5)
    gain = sum(w for s, w in sets.items() if any(c in chosen for c in s))
    return {"status": pulp.LpStatus[status], "gain": gain, "sites": len(chosen), "chosen": chosen, "seconds": seconds}


def brute_force(sets, add, need, max_combinations):
    cands = sorted({c for s in sets for c in s})
    bit = {c: 1 << i for i, c in enumerate(cands)}
    masks = [(sum(bit[c] for c in s), w) for s, w in sets.items()]

    def gain_of(sel):
        m = 0
        for c in sel:
            m |= bit[c]
        return sum(w for s, w in masks if s & m)

    sizes = range(0, len(cands) + 1) if need is not None else [min(add, len(cands))]
    total = sum(math.comb(len(cands), k) for k in sizes) if need is None else 2 ** len(cands)
    if total > max_combinations:
        return None
    t = time.perf_counter()
    if need is not None:
        for k in sizes:
            for sel in itertools.combinations(cands, k):
                if gain_of(sel) >= need - 1e-9 * max(1.0, abs(need)):
                    return {"sites": k, "gain": gain_of(sel), "seconds": time.perf_counter() - t}
        return {"sites": None, "gain": gain_of(cands), "seconds": time.perf_counter() - t}
    best = 0.0
    for sel in itertools.combinations(cands, sizes[0]):
        best = max(best, gain_of(sel))
    return {"gain": best, "seconds": time.perf_counter() - t}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pieces")
    ap.add_argument("--objective", default="population", choices=["population", "area"])
    ap.add_argument("--add", type=int)
    ap.add_argument("--target-need", type=float)
    ap.add_argument("--time-limit", type=float, default=600)
    ap.add_argument("--brute-max", type=int, default=3_000_000)
    a = ap.parse_args()
    t = time.perf_counter()
    sets = read_pieces(a.pieces, a.objective)
    read_s = time.perf_counter() - t
    out = {"elements": len(sets), "candidates": len({c for s in sets for c in s}), "read_s": read_s}
    out["pulp"] = solve_pulp(sets, a.add, a.target_need, a.time_limit)
    out["brute_force"] = brute_force(sets, a.add, a.target_need, a.brute_max)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
