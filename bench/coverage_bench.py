#!/usr/bin/python3
"""Side-by-side benchmark of park service-radius coverage (profile gb-park-radius) on synthetic
cities: planmap, PostGIS (a throwaway server started here on loopback) and GeoPandas.

Usage: /usr/bin/python3 bench/coverage_bench.py [--sizes 20000,100000] [--scaling 10000,100000,1000000]
                                                [--no-geopandas] [--keep DIR]

Installs the packages listed in scripts/bench-packages.txt when missing (as root, with apt-get).
Every tool computes the same figures: parks dissolved (touching patches are one park), sized
(>= 5000 m2 -> 500 m, 2000-5000 m2 -> 300 m), buffered with 16 segments per quarter circle, and
the share of residential area (and of population, by covered share) inside the buffers.
The synthetic parcels do not overlap, so per-parcel sums equal the union's area for every tool.
"""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLANMAP = os.environ.get("PLANMAP", os.path.join(ROOT, "build", "cli", "planmap"))


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def ensure_packages():
    with open(os.path.join(ROOT, "scripts", "bench-packages.txt")) as f:
        pkgs = [l.split()[0] for l in f if l.strip() and not l.startswith("#")]
    missing = [p for p in pkgs if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if missing:
        if os.geteuid() != 0:
            sys.exit("missing packages (install them as root): " + " ".join(missing))
        print("installing", " ".join(missing), flush=True)
        subprocess.run(["apt-get", "install", "-y"] + missing, check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def pg_bin():
    for v in ("17", "16", "15", "14", "13"):
        p = f"/usr/lib/postgresql/{v}/bin"
        if os.path.exists(p + "/initdb"):
            return p
    sys.exit("PostgreSQL server binaries not found")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class PgServer:
    """initdb in a temporary folder, started on a unix socket and 127.0.0.1:<free port>."""

    def __init__(self, workdir):
        self.bin = pg_bin()
        self.dir = os.path.join(workdir, "pg")
        os.makedirs(self.dir)
        self.root = os.geteuid() == 0
        self.user = "postgres" if self.root else os.environ.get("USER", "postgres")
        if self.root:
            shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        data = os.path.join(self.dir, "data")
        self.owner(f"{self.bin}/initdb -A trust -U {self.user} -E UTF8 --no-locale -D {data}")
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c shared_buffers=512MB -c work_mem=256MB -c max_parallel_workers_per_gather=2 "
                "-c jit=off")
        self.owner(f"{self.bin}/pg_ctl -D {data} -w -t 120 -l {self.dir}/log -o '{opts}' start")
        self.data = data
        self.psql("CREATE EXTENSION postgis;")

    def owner(self, command):
        if self.root:
            return sh(["runuser", "-u", "postgres", "--", "sh", "-c", command])
        return sh(["sh", "-c", command])

    def conn(self):
        return f"PG:host={self.dir} port={self.port} dbname=postgres user={self.user}"

    def psql(self, sql):
        out = sh([f"{self.bin}/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.dir, "-p", str(self.port),
                  "-U", self.user, "-d", "postgres", "-c", sql])
        return out.stdout.strip()

    def stop(self):
        self.owner(f"{self.bin}/pg_ctl -D {self.data} -m fast -w stop")


def time_v(cmd):
    """Runs cmd under /usr/bin/time -v: (wall seconds, peak RSS MiB, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return wall, rss, p.stdout


def run_planmap(city, out, quiet_json):
    cmd = [PLANMAP, "coverage", "--facilities", city + ":parks", "--residential", city + ":residential",
           "--profile", "gb-park-radius", "-o", out, "--json", quiet_json]
    wall, rss, _ = time_v(cmd)
    with open(quiet_json) as f:
        j = json.load(f)
    return wall, rss, j


POSTGIS_SQL = """
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
DROP TABLE IF EXISTS buf;
CREATE UNLOGGED TABLE buf AS
  WITH clusters AS (SELECT unnest(ST_ClusterIntersecting(geom)) AS g FROM parks),
       dissolved AS (SELECT ST_UnaryUnion(g) AS geom FROM clusters)
  SELECT ST_Buffer(geom, CASE WHEN ST_Area(geom) >= 5000 THEN 500 ELSE 300 END, 'quad_segs=16') AS geom
  FROM dissolved WHERE ST_Area(geom) >= 2000;
CREATE INDEX ON buf USING gist (geom);
ANALYZE buf;
WITH per AS (
  SELECT r.population AS pop, ST_Area(r.geom) AS a,
    CASE WHEN EXISTS (SELECT 1 FROM buf b WHERE ST_Contains(b.geom, r.geom)) THEN ST_Area(r.geom)
         ELSE COALESCE(ST_Area(ST_Intersection(r.geom,
                (SELECT ST_Union(ST_ClipByBox2D(b.geom, r.geom::box2d)) FROM buf b WHERE ST_Intersects(b.geom, r.geom)))), 0)
    END AS c
  FROM residential r)
SELECT sum(c) / sum(a), sum(pop * c / a) / sum(pop) FROM per;
"""


def run_postgis(pg, city):
    t0 = time.perf_counter()
    sh(["ogr2ogr", "-f", "PostgreSQL", pg.conn(), city, "residential", "parks", "-lco", "GEOMETRY_NAME=geom",
        "-lco", "SPATIAL_INDEX=GIST", "-overwrite", "--config", "PG_USE_COPY", "YES"])
    pg.psql("ANALYZE residential; ANALYZE parks;")
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = pg.psql(POSTGIS_SQL)
    query = time.perf_counter() - t0
    ratio, pop_ratio = (float(x) for x in out.splitlines()[-1].split("|"))
    return load, query, ratio, pop_ratio


def run_geopandas(city):
    import geopandas as gpd
    from shapely.ops import unary_union

    t0 = time.perf_counter()
    parcels = gpd.read_file(city, layer="residential")
    parks = gpd.read_file(city, layer="parks")
    read = time.perf_counter() - t0
    t0 = time.perf_counter()
    merged = unary_union(list(parks.geometry))  # touching patches merge into one polygon
    polys = list(merged.geoms) if merged.geom_type == "MultiPolygon" else [merged]
    sized = gpd.GeoSeries(polys, crs=parks.crs)
    area = sized.area
    radius = area.apply(lambda a: 500 if a >= 5000 else (300 if a >= 2000 else 0))
    keep = radius > 0
    buffers = sized[keep].buffer(radius[keep], resolution=16)
    cover = unary_union(list(buffers))
    parts = gpd.GeoDataFrame(geometry=list(cover.geoms) if cover.geom_type == "MultiPolygon" else [cover], crs=parks.crs)
    pairs = gpd.sjoin(parcels[["population", "geometry"]], parts, predicate="intersects")
    left = parcels.geometry.loc[pairs.index].reset_index(drop=True)
    right = parts.geometry.loc[pairs["index_right"].values].reset_index(drop=True)
    covered = left.intersection(right).area
    covered.index = pairs.index
    c = covered.groupby(level=0).sum().reindex(parcels.index, fill_value=0.0)
    a = parcels.geometry.area
    ratio = c.sum() / a.sum()
    pop_ratio = (parcels["population"] * c / a).sum() / parcels["population"].sum()
    compute = time.perf_counter() - t0
    return read, compute, ratio, pop_ratio


def record(row):
    """Appends one result to $BENCH_RESULTS (JSON lines) for bench/peers.sh's table."""
    if os.environ.get("BENCH_RESULTS"):
        with open(os.environ["BENCH_RESULTS"], "a") as f:
            f.write(json.dumps(row) + "\n")


def rel(a, b):
    return abs(a - b) / abs(b) if b else abs(a - b)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="20000,100000")
    ap.add_argument("--scaling", default="10000,100000,1000000", help="planmap-only sizes for the scaling check ('' to skip)")
    ap.add_argument("--no-geopandas", action="store_true")
    ap.add_argument("--geopandas-max", type=int, default=0, help="run GeoPandas only up to this many parcels (0: every size)")
    ap.add_argument("--keep", help="keep the work folder here")
    args = ap.parse_args()
    ensure_packages()
    if not os.path.exists(PLANMAP):
        sys.exit(f"{PLANMAP} not found: build first (cmake -S . -B build -G Ninja && ninja -C build)")
    work = args.keep or tempfile.mkdtemp(prefix="planmap-bench-")
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)  # the database server runs as its own account
    print(f"planmap coverage benchmark, profile gb-park-radius, {os.cpu_count()} cores, work folder {work}", flush=True)
    pg = PgServer(work)
    try:
        for n in [int(s) for s in args.sizes.split(",") if s]:
            city = os.path.join(work, f"city{n}.gpkg")
            sh([PLANMAP, "synth", "--parcels", str(n), "--seed", "1", "-o", city, "-q"])
            print(f"\n== synthetic city, {n} parcels (seed 1)", flush=True)
            wall, rss, j = run_planmap(city, os.path.join(work, f"out{n}"), os.path.join(work, f"planmap{n}.json"))
            t = j["timings_s"]
            load, query, pg_ratio, pg_pop = run_postgis(pg, city)
            print(f"  planmap   read {t['read']:7.3f} s  compute {t['compute']:7.3f} s  write {t['write']:7.3f} s  "
                  f"command {wall:7.3f} s  peak RSS {rss:7.1f} MiB")
            print(f"  PostGIS   load {load:7.3f} s  query   {query:7.3f} s  load+query {load + query:7.3f} s")
            gp = None
            if not args.no_geopandas and (not args.geopandas_max or n <= args.geopandas_max):
                gp = run_geopandas(city)
                print(f"  GeoPandas read {gp[0]:7.3f} s  compute {gp[1]:7.3f} s  total {gp[0] + gp[1]:7.3f} s")
            print(f"  ratios    PostGIS query / planmap compute = {query / t['compute']:6.1f}x   "
                  f"PostGIS load+query / planmap command = {(load + query) / wall:5.2f}x" +
                  (f"   GeoPandas compute / planmap compute = {gp[1] / t['compute']:6.1f}x" if gp else ""))
            print(f"  coverage_ratio             planmap {j['coverage_ratio']:.12f}  PostGIS {pg_ratio:.12f}  "
                  f"rel.diff {rel(j['coverage_ratio'], pg_ratio):.1e}" +
                  (f"  GeoPandas {gp[2]:.12f} rel.diff {rel(gp[2], pg_ratio):.1e}" if gp else ""))
            print(f"  population_coverage_ratio  planmap {j['population_coverage_ratio']:.12f}  PostGIS {pg_pop:.12f}  "
                  f"rel.diff {rel(j['population_coverage_ratio'], pg_pop):.1e}" +
                  (f"  GeoPandas {gp[3]:.12f} rel.diff {rel(gp[3], pg_pop):.1e}" if gp else ""), flush=True)
            record({"bench": "coverage", "parcels": n, "planmap_compute_s": t["compute"], "planmap_command_s": wall,
                    "postgis_query_s": query, "postgis_load_query_s": load + query, "planmap_peak_mib": rss,
                    "geopandas_compute_s": float(gp[1]) if gp else None, "geopandas_total_s": float(gp[0] + gp[1]) if gp else None,
                    "geopandas_same_figures": bool(max(rel(gp[2], pg_ratio), rel(gp[3], pg_pop)) < 1e-9) if gp else None,
                    "same_figures": bool(max(rel(j["coverage_ratio"], pg_ratio), rel(j["population_coverage_ratio"], pg_pop)) < 1e-9)})
    finally:
        pg.stop()
    sizes = [int(s) for s in args.scaling.split(",") if s]
    if sizes:
        print("\n== planmap scaling (compute time per parcel should stay flat; peak RSS under 2 GiB at 1M)")
        base = None
        for n in sizes:
            city = os.path.join(work, f"city{n}.gpkg")
            if not os.path.exists(city):
                sh([PLANMAP, "synth", "--parcels", str(n), "--seed", "1", "-o", city, "-q"])
            wall, rss, j = run_planmap(city, os.path.join(work, f"out{n}"), os.path.join(work, f"planmap{n}.json"))
            t = j["timings_s"]
            per = t["compute"] / n * 1e6
            base = base or per
            print(f"  {n:8d} parcels  read {t['read']:7.3f} s  compute {t['compute']:7.3f} s ({per:5.2f} us/parcel, "
                  f"{per / base:4.2f}x of the smallest)  write {t['write']:7.3f} s  command {wall:7.3f} s  "
                  f"peak RSS {rss:7.1f} MiB  coverage {j['coverage_ratio']:.6f}", flush=True)
            if not args.keep:
                os.remove(city)
                shutil.rmtree(os.path.join(work, f"out{n}"), ignore_errors=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
