#!/usr/bin/env bash
# Walking-network benchmark: 1,000 sources × 1,200 m, multi-source (each node's distance to its
# nearest source), on the OSM extracts (../shared/data/osm/*.pbf or data/osm/*.pbf) and on a
# synthetic ~1M-edge graph (bench/gen_grid.py, deterministic). The SAME exported edge list
# (u,v,length_m) goes to:
#   planmap   `planmap isochrone --network E.csv --from-nodes-file S --distance 1200 --distances`
#             (load = parsing the CSV; also the load of the binary cache from `network build`)
#   networkx  multi_source_dijkstra_path_length with a cutoff (bench/network_peer.py)
#   pgRouting pgr_drivingDistance from one virtual start vertex joined to every source by a
#             0-cost edge (its multi-start "equicost" mode gives wrong distances in 3.4), in a
#             throwaway PostgreSQL cluster in a temporary folder (unix socket only), removed after.
# Prints load and search times, ratios, and whether the three agree on every distance (1e-6 m);
# then, when python3-osmnx and osmium-tool are installed, bench/osmnx_check.py on the OSM files.
# Every search runs --repeat times (default 3; planmap in a fresh process each time) and the best
# time counts, for all three tools alike: the machine is shared, and short runs suffer most.
# Usage: bash bench/network_bench.sh [--edges N] [--sources N] [--distance M] [--repeat N] [--no-pg]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PLANMAP=${PLANMAP:-$root/build/cli/planmap}
PY=/usr/bin/python3
edges_target=1000000
nsources=1000
distance=1200
use_pg=1
repeat=3
while (($#)); do
  case "$1" in
    --edges) edges_target=$2; shift 2 ;;
    --sources) nsources=$2; shift 2 ;;
    --distance) distance=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --no-pg) use_pg=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x $PLANMAP ]] || { echo "build planmap first (bash scripts/setup.sh)" >&2; exit 1; }

# Peers from Debian (bench only: not in scripts/packages.txt).
need=()
$PY -c 'import networkx' 2>/dev/null || need+=(python3-networkx)
if ((use_pg)); then
  dpkg-query -W -f='${Status}' postgresql-15-pgrouting 2>/dev/null | grep -q "ok installed" || need+=(postgresql-15-pgrouting)
  dpkg-query -W -f='${Status}' postgresql-15-postgis-3 2>/dev/null | grep -q "ok installed" || need+=(postgresql-15-postgis-3)
fi
if ((${#need[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  echo "bench: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/planmap-netbench.XXXXXX)
chmod 755 "$work"
PGBIN=/usr/lib/postgresql/15/bin
pgdir=$work/pg
pg_started=0
cleanup() {
  if ((pg_started)); then as_pg "$PGBIN/pg_ctl" -D "$pgdir" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
export PGOPTIONS="-c client_min_messages=warning"
psql_q() { psql -h "$work/sock" -p 54329 -U postgres -d bench -v ON_ERROR_STOP=1 -qAt "$@"; }

if ((use_pg)); then
  mkdir -p "$pgdir" "$work/sock"
  [[ $(id -u) -eq 0 ]] && chown postgres "$pgdir" "$work/sock"
  as_pg "$PGBIN/initdb" -D "$pgdir" -U postgres --auth=trust >/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$pgdir" -l "$pgdir/server.log" -w \
    -o "-k $work/sock -p 54329 -c listen_addresses='' -c shared_buffers=256MB -c work_mem=256MB" start >/dev/null
  pg_started=1
  psql -h "$work/sock" -p 54329 -U postgres -qAt -c "CREATE DATABASE bench" >/dev/null
  psql_q -c "CREATE EXTENSION postgis; CREATE EXTENSION pgrouting;" >/dev/null
  echo "pgRouting $(psql_q -c 'SELECT pgr_version()') on PostgreSQL $(psql_q -c 'SHOW server_version')"
fi
echo "networkx $($PY -c 'import networkx; print(networkx.__version__)'); planmap $($PLANMAP --version | cut -d' ' -f2)"
echo "cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

json() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
min_of() { $PY -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
now() { date +%s.%N; }

results=()
run_graph() {  # name edges.csv
  local name=$1 edges=$2 dir=$work/$1
  mkdir -p "$dir"
  $PY bench/network_peer.py sources "$edges" "$nsources" 7 "$dir/sources.txt"
  local nodes edges_n
  edges_n=$(($(wc -l <"$edges") - 1))

  # planmap: from the CSV, and from its binary cache.
  "$PLANMAP" network build "$edges" -o "$dir/g.pmnet" -q
  local loads=() cache_loads=() searches=() k
  for ((k = 0; k < repeat; k++)); do
    "$PLANMAP" isochrone --network "$edges" --from-nodes-file "$dir/sources.txt" --distance "$distance" \
      --distances "$dir/planmap.csv" --json "$dir/planmap.json" -q
    loads+=("$(json "$dir/planmap.json" "d['timings_s']['load']")")
    searches+=("$(json "$dir/planmap.json" "d['timings_s']['search']")")
    "$PLANMAP" isochrone --network "$dir/g.pmnet" --from-nodes-file "$dir/sources.txt" --distance "$distance" \
      --json "$dir/planmap_cache.json" -q
    cache_loads+=("$(json "$dir/planmap_cache.json" "d['timings_s']['load']")")
    searches+=("$(json "$dir/planmap_cache.json" "d['timings_s']['search']")")
  done
  nodes=$(json "$dir/planmap.json" "d['network']['nodes']")
  local pm_load pm_cache_load pm_search reached
  pm_load=$(min_of "${loads[@]}")
  pm_cache_load=$(min_of "${cache_loads[@]}")
  pm_search=$(min_of "${searches[@]}")
  reached=$(json "$dir/planmap.json" "d['reached_nodes']")

  # networkx
  $PY bench/network_peer.py networkx "$edges" "$dir/sources.txt" "$distance" "$dir/nx.csv" --timings "$dir/nx.json" --repeat "$repeat"
  local nx_load nx_search
  nx_load=$(json "$dir/nx.json" "d['load']")
  nx_search=$(json "$dir/nx.json" "d['search']")
  local agree_nx agree_pg="-"
  agree_nx=$($PY bench/network_peer.py compare "$dir/planmap.csv" "$dir/nx.csv" --tol 1e-6 --cutoff "$distance" | tail -1)

  # pgRouting
  local pg_load="-" pg_search="-"
  if ((use_pg)); then
    local t0 t1
    t0=$(now)
    psql_q -c "DROP TABLE IF EXISTS edges; CREATE TABLE edges (id bigserial PRIMARY KEY, source bigint, target bigint, cost float8);" >/dev/null
    psql_q -c "\\copy edges(source, target, cost) FROM '$edges' WITH (FORMAT csv, HEADER true)"
    psql_q -c "ANALYZE edges;" >/dev/null
    t1=$(now)
    pg_load=$($PY -c "print($t1 - $t0)")
    psql_q -c "DROP TABLE IF EXISTS sources; CREATE TABLE sources (node bigint);" >/dev/null
    psql_q -c "\\copy sources(node) FROM '$dir/sources.txt' WITH (FORMAT csv)"
    # One virtual start vertex (an id no node has) joined to every source by a 0-cost edge.
    psql_q -c "DROP TABLE IF EXISTS edges_all; CREATE TABLE edges_all AS
      SELECT id, source, target, cost FROM edges
      UNION ALL SELECT (SELECT max(id) FROM edges) + row_number() OVER (), (SELECT greatest(max(source), max(target)) + 1 FROM edges), node, 0
      FROM sources;" >/dev/null
    local virtual
    virtual=$(psql_q -c "SELECT greatest(max(source), max(target)) + 1 FROM edges")
    local pg_runs=()
    for ((k = 0; k < repeat; k++)); do
      t0=$(now)
      psql_q -c "DROP TABLE IF EXISTS dd; CREATE TABLE dd AS SELECT node, agg_cost FROM pgr_drivingDistance(
        'SELECT id, source, target, cost FROM edges_all', $virtual, $distance, directed => false);" >/dev/null
      t1=$(now)
      pg_runs+=("$($PY -c "print($t1 - $t0)")")
    done
    pg_search=$(min_of "${pg_runs[@]}")
    { echo "node,dist_m"; psql_q -F, -c "SELECT node, agg_cost FROM dd WHERE node <> $virtual"; } >"$dir/pg.csv"
    agree_pg=$($PY bench/network_peer.py compare "$dir/planmap.csv" "$dir/pg.csv" --tol 1e-6 --cutoff "$distance" | tail -1)
  fi
  results+=("$name|$nodes|$edges_n|$reached|$pm_load|$pm_cache_load|$nx_load|$pg_load|$pm_search|$nx_search|$pg_search|$agree_nx|$agree_pg")
}

shopt -s nullglob
pbfs=(../shared/data/osm/*.pbf)
((${#pbfs[@]})) || pbfs=(data/osm/*.pbf)
for pbf in "${pbfs[@]}"; do
  name=$(basename "$pbf"); name=${name%%.*}
  mkdir -p "$work/$name"
  "$PLANMAP" network build "$pbf" -o "$work/$name/osm.pmnet" -q
  "$PLANMAP" network export "$work/$name/osm.pmnet" --csv "$work/$name/edges.csv" --nodes-csv "$work/$name/nodes_lonlat.csv" -q
  run_graph "$name" "$work/$name/edges.csv"
done
mkdir -p "$work/grid"
$PY bench/gen_grid.py "$edges_target" "$work/grid/grid.csv" --seed 1 >/dev/null
mv "$work/grid/grid.nodes.csv" "$work/grid/nodes_lonlat.csv"  # distances only: no node table
run_graph "grid$edges_target" "$work/grid/grid.csv"

echo
echo "$nsources sources x $distance m, multi-source; times in milliseconds, best of $repeat"
echo "(pm-load: planmap from the CSV, pm-file: from its network file; pg-load: COPY + ANALYZE; pg: the query)"
printf "%-26s %8s %8s %8s | %8s %8s %8s %8s | %8s %8s %8s | %7s %7s | %s\n" \
  graph nodes edges reached "pm-load" "pm-file" "nx-load" "pg-load" "pm" "nx" "pg" "nx/pm" "pg/pm" "agree (nx, pg)"
for r in "${results[@]}"; do
  IFS='|' read -r name nodes edges reached pl pc nl gl ps ns gs an ag <<<"$r"
  $PY - "$name" "$nodes" "$edges" "$reached" "$pl" "$pc" "$nl" "$gl" "$ps" "$ns" "$gs" "$an" "$ag" <<'EOF'
import sys
name, nodes, edges, reached, pl, pc, nl, gl, ps, ns, gs, an, ag = sys.argv[1:]
f = lambda s: "-" if s == "-" else f"{float(s) * 1000:.1f}"
ratio = lambda a, b: "-" if a == "-" else f"{float(a) / float(b):.0f}x"
print(f"{name:<26} {nodes:>8} {edges:>8} {reached:>8} | {f(pl):>8} {f(pc):>8} {f(nl):>8} {f(gl):>8} | "
      f"{f(ps):>8} {f(ns):>8} {f(gs):>8} | {ratio(ns, ps):>7} {ratio(gs, ps):>7} | {an}, {ag}")
import json, os
if os.environ.get("BENCH_RESULTS"):
    with open(os.environ["BENCH_RESULTS"], "a") as out:
        out.write(json.dumps({"bench": "network", "graph": name, "edges": int(edges), "planmap_search_s": float(ps),
                              "networkx_search_s": float(ns), "pgrouting_search_s": None if gs == "-" else float(gs),
                              "agree": an + ", " + ag}) + "\n")
EOF
done

# Optional: reachable length and area against an OSMnx walking graph of the same OSM file.
if $PY -c 'import osmnx' 2>/dev/null && command -v osmium >/dev/null; then
  for pbf in "${pbfs[@]}"; do
    name=$(basename "$pbf"); name=${name%%.*}
    mkdir -p "$work/$name/osmnx"
    origins=$($PY -c "
import csv, random, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
print(' '.join(f'{float(r[1]) + 0.0002:.6f},{float(r[2]) + 0.0001:.6f}' for r in random.Random(11).sample(rows, 10)))" "$work/$name/nodes_lonlat.csv")
    echo
    echo "$name: planmap vs OSMnx (osmnx $($PY -c 'import osmnx; print(osmnx.__version__)')), $distance m from 10 origins near random nodes"
    # shellcheck disable=SC2086
    $PY bench/osmnx_check.py "$PLANMAP" "$pbf" "$work/$name/osmnx" --distance "$distance" $origins 2>&1 | grep -v Warning || true
  done
else
  echo
  echo "OSMnx check skipped (python3-osmnx or osmium-tool not installed)"
fi
