#!/usr/bin/env bash
# Render benchmark: the same large land-use map (default 250 x 200 = 50,000 parcels in the MNR 2021
# palette, 5,000 Chinese labels) rendered by planmap and by Mapnik (python3-mapnik, Debian) to an A1
# PNG at 300 dpi and to PDF, side by side in one run; prints times and planmap/Mapnik ratios.
#   bash bench/render_bench.sh [COLS ROWS LABEL_EVERY DPI]
set -euo pipefail
cd "$(dirname "$0")/.."
cols=${1:-250} rows=${2:-200} every=${3:-10} dpi=${4:-300}
planmap=${PLANMAP:-build/cli/planmap}
work=${BENCH_DIR:-out/bench}
mkdir -p "$work"
command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c "import mapnik" 2>/dev/null || {
  echo "render_bench: python3-mapnik is not installed (apt-get install python3-mapnik)"; exit 1; }
if [[ ! -f "$work/landuse_${cols}x${rows}.gpkg" ]]; then
  python3 bench/make_landuse.py "$cols" "$rows" "$every" "$work/landuse.geojson"
  $planmap convert "$work/landuse.geojson" "$work/landuse_${cols}x${rows}.gpkg" --quiet
  rm -f "$work/landuse.geojson"
fi
data="$work/landuse_${cols}x${rows}.gpkg"
cat > "$work/landuse.toml" <<TOML
title = "土地利用规划图（基准测试）"
subtitle = "${cols} x ${rows} parcels, MNR 2021 palette"
period = "2021—2035年"
[paper]
size = "A1"
orientation = "portrait"
[frame]
margin = 0.0
[[layer]]
name = "landuse"
source = "$(realpath "$data")"
style = "bench_landuse.toml"
TOML
# The shipped palette on field ydyh, labels from field name (6 pt, interior, halo).
sed 's/^label = .*$/label = { field = "name", size_pt = 6, placement = "point", halo_mm = 0.3 }/' styles/data/mnr2021_landuse.toml > "$work/bench_landuse.toml"

now() { date +%s.%N; }
best() { sort -n | head -1; }
runs=${RUNS:-5}
pm_png=() pm_pdf=() mk_png=() mk_pdf=()
for ((i = 0; i < runs; i++)); do
  t0=$(now); $planmap render "$work/landuse.toml" -o "$work/planmap.png" --dpi "$dpi" --quiet; t1=$(now)
  $planmap render "$work/landuse.toml" -o "$work/planmap.pdf" --quiet; t2=$(now)
  pm_png+=("$(awk "BEGIN{print $t1 - $t0}")") pm_pdf+=("$(awk "BEGIN{print $t2 - $t1}")")
  read -r a b < <(/usr/bin/python3 bench/mapnik_render.py "$data" styles/data/mnr2021_landuse.toml 594 841 "$dpi" "$work/mapnik")
  mk_png+=("$a") mk_pdf+=("$b")
done
p1=$(printf '%s\n' "${pm_png[@]}" | best) p2=$(printf '%s\n' "${pm_pdf[@]}" | best)
m1=$(printf '%s\n' "${mk_png[@]}" | best) m2=$(printf '%s\n' "${mk_pdf[@]}" | best)
echo "render benchmark: $((cols * rows)) parcels, $(((cols * rows + every - 1) / every)) labels, A1 portrait, PNG at ${dpi} dpi; best of ${runs}"
printf '%-6s %12s %12s %8s\n' output planmap_s mapnik_s ratio
printf '%-6s %12.2f %12.2f %8.2f\n' PNG "$p1" "$m1" "$(awk "BEGIN{print $p1 / $m1}")"
printf '%-6s %12.2f %12.2f %8.2f\n' PDF "$p2" "$m2" "$(awk "BEGIN{print $p2 / $m2}")"
if [[ -n ${BENCH_RESULTS:-} ]]; then
  printf '{"bench": "render", "map": "land use A1, %d parcels, %d labels", "planmap_png_s": %s, "mapnik_png_s": %s, "planmap_pdf_s": %s, "mapnik_pdf_s": %s}\n' \
    "$((cols * rows))" "$(((cols * rows + every - 1) / every))" "$p1" "$m1" "$p2" "$m2" >>"$BENCH_RESULTS"
fi
ls -l "$work"/planmap.png "$work"/planmap.pdf "$work"/mapnik.png "$work"/mapnik.pdf | awk '{print "  " $5 " bytes  " $9}'
