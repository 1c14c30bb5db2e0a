#!/usr/bin/env bash
# Siting benchmark: `planmap site` (greedy with lazy gains, and --exact: CBC through its C
# interface) against an independent solution of the same instance: bench/site_peer.py reads the
# demand pieces planmap wrote (--pieces), builds the maximal covering model itself in PuLP and
# solves it with Debian's CBC binary, and on small instances also by brute force over every
# selection. Synthetic cities (`planmap synth`), candidates on a grid over the city (--grid, square
# sites of --site-area m², sized by the gb-park-radius profile), existing parks as facilities.
# Prints per case: pieces, greedy and exact gains and times, the peer's optimum, whether exact =
# peer (1e-6 relative), the greedy's gap, brute force where run.
# Usage: bash bench/site_bench.sh [--cases tiny,small,medium,large] [--threads N] [--time-limit S]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PLANMAP=${PLANMAP:-$root/build/cli/planmap}
PY=/usr/bin/python3  # Debian's python3-pulp
cases=tiny,small,medium,large
threads=2
time_limit=300
while (($#)); do
  case "$1" in
    --cases) cases=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --time-limit) time_limit=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x $PLANMAP ]] || { echo "build planmap first" >&2; exit 1; }
$PY -c 'import pulp' 2>/dev/null || { echo "needs python3-pulp and coinor-cbc (apt-get install python3-pulp coinor-cbc)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The grid spacing giving about N candidates over the city's zones.
spacing_for() {  # city.gpkg N
  $PY - "$1" "$2" <<'EOF'
import math, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
x0, y0, x1, y1 = con.execute("select min_x, min_y, max_x, max_y from gpkg_contents where table_name='zones'").fetchone()
print(round(math.sqrt((x1 - x0) * (y1 - y0) / float(sys.argv[2])), 1))
EOF
}

printf '%-7s %8s %6s %3s %9s %10s %8s %10s %8s %-10s %10s %8s %6s %10s %9s\n' case parcels cands K pieces greedy g_s exact x_s status peer p_s equal greedy_gap brute
run_case() {  # name parcels candidates K site_area
  local name=$1 parcels=$2 ncand=$3 k=$4 area=$5
  local city=$work/city_$parcels.gpkg
  [[ -f $city ]] || "$PLANMAP" -q synth --parcels "$parcels" -o "$city"
  local spacing
  spacing=$(spacing_for "$city" "$ncand")
  local out=$work/site_$name
  "$PLANMAP" -q --threads "$threads" site --facilities "$city:parks" --residential "$city:residential" \
    --grid "$spacing" --within "$city:zones" --site-area "$area" --profile gb-park-radius --add "$k" \
    --exact --time-limit "$time_limit" --pieces -o "$out" --json "$work/$name.json"
  local peer
  peer=$($PY "$root/bench/site_peer.py" "$out/site_pieces.csv" --objective population --add "$k" --time-limit "$time_limit")
  $PY - "$work/$name.json" "$peer" "$name" "$parcels" "$k" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1])); p = json.loads(sys.argv[2])
g, x, pe, bf = s["greedy"], s["exact"], p["pulp"], p["brute_force"]
equal = abs(x["gain"] - pe["gain"]) <= 1e-6 * max(1.0, abs(pe["gain"]))
gap = (pe["gain"] - g["gain"]) / pe["gain"] if pe["gain"] > 0 else 0.0
brute = "-" if bf is None else ("=" if abs(bf["gain"] - pe["gain"]) <= 1e-6 * max(1.0, pe["gain"]) else "DIFF %.3f" % bf["gain"])
print("%-7s %8s %6d %3s %9d %10.1f %8.3f %10.1f %8.3f %-10s %10.1f %8.3f %6s %9.4f%% %9s" % (
    sys.argv[3], sys.argv[4], s["candidates"]["with_service_area"], sys.argv[5], s["demand"]["pieces"], g["gain"], g["seconds"],
    x["gain"], x["seconds"], x["status"], pe["gain"], pe["seconds"], "yes" if equal else "NO", 100 * gap, brute))
t = s["timings_s"]
print("        planmap timings (s): " + ", ".join("%s %.3f" % (k, v) for k, v in sorted(t.items())), file=sys.stderr)
print("        exact bound %.3f, gap %.2e; before %.4f -> after %.4f (population coverage)" % (
    x["bound"] if x["bound"] is not None else float("nan"), x["gap"] if x["gap"] is not None else float("nan"),
    s["before"]["population_coverage_ratio"], s["after"]["population_coverage_ratio"]), file=sys.stderr)
EOF
}

IFS=, read -ra want <<<"$cases"
for c in "${want[@]}"; do
  case $c in
    tiny) run_case tiny 400 14 3 6000 ;;
    small) run_case small 2000 60 5 3000 ;;
    medium) run_case medium 10000 300 10 3000 ;;
    large) run_case large 100000 2000 20 3000 ;;
    *) echo "unknown case $c" >&2; exit 2 ;;
  esac
done
