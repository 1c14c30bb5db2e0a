#!/usr/bin/env bash
# Every peer comparison in one run, then one table of ratios:
#   coverage  planmap coverage --profile gb-park-radius vs PostGIS (load + query), 100k and 1M parcels,
#             and GeoPandas (read + compute) up to 100k (bench/coverage_bench.py; figures compared to 1e-9)
#   network   multi-source search, 1,000 sources x 1,200 m, vs networkx and pgRouting
#             (bench/network_bench.sh; every distance compared to 1e-6 m)
#   sheets    the A1 land-use and street sheets, PNG and PDF, vs Mapnik (bench/render_bench.sh)
# with the machine's load average at the start and at the end (a busy machine makes every ratio
# suspect). Each script's own output is kept in the log folder.
#   bash bench/peers.sh [--sizes 100000,1000000] [--log DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=100000,1000000
log=out/bench/peers
while (($#)); do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    *) echo "usage: bash bench/peers.sh [--sizes N,N] [--log DIR]" >&2; exit 2 ;;
  esac
done
mkdir -p "$log"
export BENCH_RESULTS=$log/results.jsonl
: >"$BENCH_RESULTS"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
echo "== coverage vs PostGIS ($sizes parcels)"; /usr/bin/python3 bench/coverage_bench.py --sizes "$sizes" --scaling '' --geopandas-max 100000 >"$log/coverage.txt" 2>&1 || { tail "$log/coverage.txt"; exit 1; }
echo "== network vs networkx and pgRouting"; bash bench/network_bench.sh >"$log/network.txt" 2>&1 || { tail "$log/network.txt"; exit 1; }
echo "== sheets vs Mapnik"; bash bench/render_bench.sh >"$log/render.txt" 2>&1 || { tail "$log/render.txt"; exit 1; }
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/python3 - "$BENCH_RESULTS" "$started" "$load_start" "$load_end" <<'PY'
import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"\nplanmap peer benchmarks, {sys.argv[2]}, {os.cpu_count()} cores; load average at start {sys.argv[3]}, at end {sys.argv[4]}")
print(f"{'comparison':<62} {'planmap':>10} {'peer':>10} {'ratio':>8} {'target':>8}  ok  figures")
def line(what, pm, peer, ratio, target, ok, figures):
    print(f"{what:<62} {pm:>10.3f} {peer:>10.3f} {ratio:>8} {target:>8}  {'yes' if ok else 'NO ':<3} {figures}")
for r in rows:
    if r["bench"] == "coverage":
        same = "identical" if r["same_figures"] else "DIFFER"
        q = r["postgis_query_s"] / r["planmap_compute_s"]
        c = r["postgis_load_query_s"] / r["planmap_command_s"]
        line(f"coverage {r['parcels']:,} parcels: compute vs PostGIS query", r["planmap_compute_s"], r["postgis_query_s"], f"{q:.1f}x", ">=10x", q >= 10, same)
        line(f"coverage {r['parcels']:,} parcels: command vs PostGIS load+query", r["planmap_command_s"], r["postgis_load_query_s"], f"{c:.2f}x", ">=3x", c >= 3, same)
        if r.get("geopandas_total_s") is not None:
            g = r["geopandas_total_s"] / r["planmap_command_s"]
            line(f"coverage {r['parcels']:,} parcels: command vs GeoPandas read+compute", r["planmap_command_s"], r["geopandas_total_s"], f"{g:.1f}x", "-", True,
                 "identical" if r["geopandas_same_figures"] else "DIFFER")
    elif r["bench"] == "network":
        nx = r["networkx_search_s"] / r["planmap_search_s"]
        line(f"network {r['graph']}: search vs networkx", r["planmap_search_s"], r["networkx_search_s"], f"{nx:.0f}x", ">=50x", nx >= 50, r["agree"])
        if r["pgrouting_search_s"] is not None:
            pg = r["pgrouting_search_s"] / r["planmap_search_s"]
            line(f"network {r['graph']}: search vs pgRouting", r["planmap_search_s"], r["pgrouting_search_s"], f"{pg:.0f}x", ">=100x", pg >= 100, r["agree"])
    elif r["bench"] == "render":
        png = r["planmap_png_s"] / r["mapnik_png_s"]
        pdf = r["planmap_pdf_s"] / r["mapnik_pdf_s"]
        line(f"sheet {r['map']}: PNG vs Mapnik", r["planmap_png_s"], r["mapnik_png_s"], f"{png:.2f}x", "-", True, "")
        line(f"sheet {r['map']}: PDF vs Mapnik", r["planmap_pdf_s"], r["mapnik_pdf_s"], f"{pdf:.2f}x", "<=0.5x", pdf <= 0.5, "")
print("(ratios: peer time / planmap time, except sheets: planmap time / Mapnik time; seconds)")
PY
