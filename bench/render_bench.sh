#!/usr/bin/env bash
# Render benchmark: two maps rendered by planmap and by Mapnik (python3-mapnik, Debian) to an A1
# portrait PNG at DPI and to PDF, side by side in one run; prints times and planmap/Mapnik ratios.
#   land use  COLS x ROWS parcels (default 250 x 200 = 50,000) in the MNR 2021 palette, every
#             LABEL_EVERY-th with a Chinese label (6 pt, halo): many small polygons, point labels
#             (bench/make_landuse.py)
#   streets   STREET_COLS x STREET_ROWS land-use blocks (default 60 x 50 = 3,000, 16 vertices each)
#             under the streets along their edges, about 2,000 named segments in three grades
#             (casing and fill line, the Chinese name along the line, bench/bench_roads.toml):
#             fewer, larger polygons and many line labels (bench/make_roads.py)
# Times are seconds of whole processes, the best of RUNS (default 5): planmap is one
# `planmap render` process per output (start-up, reading the GeoPackage, drawing, writing); Mapnik
# is one `python3 bench/mapnik_render.py` process per output (interpreter start-up, import of
# mapnik, reading, drawing, writing). With BENCH_RESULTS set, one JSON line per map is appended.
#   bash bench/render_bench.sh [COLS ROWS LABEL_EVERY DPI]
set -euo pipefail
cd "$(dirname "$0")/.."
cols=${1:-250} rows=${2:-200} every=${3:-10} dpi=${4:-300}
scols=${STREET_COLS:-60} srows=${STREET_ROWS:-50}
planmap=${PLANMAP:-build/cli/planmap}
work=${BENCH_DIR:-out/bench}
runs=${RUNS:-5}
mkdir -p "$work"
command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c "import mapnik" 2>/dev/null || {
  echo "render_bench: python3-mapnik is not installed (apt-get install python3-mapnik)"; exit 1; }

# The data.
if [[ ! -f "$work/landuse_${cols}x${rows}.gpkg" ]]; then
  python3 bench/make_landuse.py "$cols" "$rows" "$every" "$work/landuse.geojson"
  $planmap convert "$work/landuse.geojson" "$work/landuse_${cols}x${rows}.gpkg" --quiet
  rm -f "$work/landuse.geojson"
fi
if [[ ! -f "$work/streets_${scols}x${srows}.gpkg" ]]; then
  python3 bench/make_roads.py "$scols" "$srows" "$work/blocks.geojson" "$work/streets.geojson"
  $planmap convert "$work/blocks.geojson" "$work/blocks_${scols}x${srows}.gpkg" --quiet
  $planmap convert "$work/streets.geojson" "$work/streets_${scols}x${srows}.gpkg" --quiet
  rm -f "$work/blocks.geojson" "$work/streets.geojson"
fi
landuse="$work/landuse_${cols}x${rows}.gpkg" blocks="$work/blocks_${scols}x${srows}.gpkg" streets="$work/streets_${scols}x${srows}.gpkg"

# The sheets: the shipped palette on field ydyh, labels from field name (6 pt, point, halo).
sed 's/^label = .*$/label = { field = "name", size_pt = 6, placement = "point", halo_mm = 0.3 }/' styles/data/mnr2021_landuse.toml > "$work/bench_landuse.toml"
cp bench/bench_roads.toml "$work/bench_roads.toml"
sheet() {  # title subtitle layer-tables...
  printf 'title = "%s"\nsubtitle = "%s"\nperiod = "2021—2035年"\n[paper]\nsize = "A1"\norientation = "portrait"\n[frame]\nmargin = 0.0\n' "$1" "$2"
  shift 2
  while (($#)); do printf '[[layer]]\nname = "%s"\nsource = "%s"\nstyle = "%s"\n' "$1" "$(realpath "$2")" "$3"; shift 3; done
}
sheet "土地利用规划图（基准测试）" "${cols} x ${rows} parcels, MNR 2021 palette" landuse "$landuse" bench_landuse.toml > "$work/landuse.toml"
sheet "道路规划图（基准测试）" "${scols} x ${srows} blocks, named streets" \
  blocks "$blocks" bench_landuse.toml streets "$streets" bench_roads.toml > "$work/streets.toml"

now() { date +%s.%N; }
best() { sort -n | head -1; }
# Seconds a command takes, its output discarded.
timed() { local t0 t1; t0=$(now); "$@" >/dev/null; t1=$(now); awk "BEGIN{print $t1 - $t0}"; }

# bench NAME MAP.toml LABEL MAPNIK-ARGS...: RUNS rounds of the four renders, then the table.
bench() {
  local name=$1 map=$2 what=$3
  shift 3
  local pm_png=() pm_pdf=() mk_png=() mk_pdf=() i
  for ((i = 0; i < runs; i++)); do
    pm_png+=("$(timed $planmap render "$map" -o "$work/planmap_$name.png" --dpi "$dpi" --quiet)")
    pm_pdf+=("$(timed $planmap render "$map" -o "$work/planmap_$name.pdf" --quiet)")
    mk_png+=("$(timed /usr/bin/python3 bench/mapnik_render.py png "$@" 594 841 "$dpi" "$work/mapnik_$name.png" "${extra[@]}")")
    mk_pdf+=("$(timed /usr/bin/python3 bench/mapnik_render.py pdf "$@" 594 841 "$dpi" "$work/mapnik_$name.pdf" "${extra[@]}")")
  done
  local p1 p2 m1 m2
  p1=$(printf '%s\n' "${pm_png[@]}" | best) p2=$(printf '%s\n' "${pm_pdf[@]}" | best)
  m1=$(printf '%s\n' "${mk_png[@]}" | best) m2=$(printf '%s\n' "${mk_pdf[@]}" | best)
  echo "render benchmark: $what, A1 portrait, PNG at ${dpi} dpi; whole processes, best of ${runs}"
  printf '%-6s %12s %12s %8s\n' output planmap_s mapnik_s ratio
  printf '%-6s %12.2f %12.2f %8.2f\n' PNG "$p1" "$m1" "$(awk "BEGIN{print $p1 / $m1}")"
  printf '%-6s %12.2f %12.2f %8.2f\n' PDF "$p2" "$m2" "$(awk "BEGIN{print $p2 / $m2}")"
  if [[ -n ${BENCH_RESULTS:-} ]]; then
    printf '{"bench": "render", "map": "%s", "planmap_png_s": %s, "mapnik_png_s": %s, "planmap_pdf_s": %s, "mapnik_pdf_s": %s}\n' \
      "$what" "$p1" "$m1" "$p2" "$m2" >>"$BENCH_RESULTS"
  fi
  ls -l "$work/planmap_$name.png" "$work/planmap_$name.pdf" "$work/mapnik_$name.png" "$work/mapnik_$name.pdf" | awk '{print "  " $5 " bytes  " $9}'
}

extra=()
bench landuse "$work/landuse.toml" "land use A1, $((cols * rows)) parcels, $(((cols * rows + every - 1) / every)) labels" \
  "$landuse" styles/data/mnr2021_landuse.toml
extra=("$streets" bench/bench_roads.toml)
nseg=$(ogrinfo -so -al "$streets" 2>/dev/null | awk -F': ' '/Feature Count/{print $2; exit}')
bench streets "$work/streets.toml" "streets A1, $((scols * srows)) blocks, $nseg named street segments" \
  "$blocks" styles/data/mnr2021_landuse.toml
