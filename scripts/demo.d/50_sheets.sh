#!/usr/bin/env bash
# Demo step: planning map sheets (PDF + PNG) into out/sheets/ — one per district boundary set
# (step 10), an atlas of one city's counties, each plan GeoPackage in out/plans/ and the coverage
# and life-circle runs in out/coverage/ and out/network_coverage/ when those steps have run — then out/INDEX.md and out/index.html listing
# everything in out/.
set -euo pipefail
planmap=${PLANMAP:-build/cli/planmap}
root=$(pwd)
sheets=out/sheets
mkdir -p "$sheets/maps"
dpi=${SHEET_DPI:-150}

city_name() {
  case "$1" in
    331000) echo "台州市" ;; 330300) echo "温州市" ;; 370100) echo "济南市" ;; 620800) echo "平凉市" ;; *) echo "$1" ;;
  esac
}

# Both outputs of one map file.
render_both() {  # MAP STEM
  $planmap render "$1" -o "$sheets/$2.pdf" --quiet
  $planmap render "$1" -o "$sheets/$2.png" --dpi "$dpi" --quiet
  echo "  $sheets/$2.pdf, $sheets/$2.png"
}

shopt -s nullglob
for gpkg in out/boundaries/*_cgcs2000.gpkg; do
  code=$(basename "$gpkg" _cgcs2000.gpkg)
  name=$(city_name "$code")
  map="$sheets/maps/boundaries_$code.toml"
  cat > "$map" <<TOML
title = "${name}行政区划图"
subtitle = "Administrative divisions (adcode $code), CGCS2000"
[paper]
size = "A3"
orientation = "landscape"
[[layer]]
name = "counties"
source = "$root/$gpkg"
style = "boundary"
[inset]
source = "$root/$gpkg"
[grid]
show = true
[title_block]
project = "${name}国土空间总体规划"
drawing_no = "XZ-$code"
date = "$(date +%Y-%m)"
TOML
  echo "== $gpkg -> sheet"
  render_both "$map" "boundaries_$code"
done

# An atlas: one sheet per county of the first city.
first=(out/boundaries/*_cgcs2000.gpkg)
if ((${#first[@]})); then
  code=$(basename "${first[0]}" _cgcs2000.gpkg)
  echo "== atlas of ${first[0]} by county -> $sheets/atlas_$code/"
  $planmap atlas "$sheets/maps/boundaries_$code.toml" --index "${first[0]}" --field name -o "$sheets/atlas_$code" --overwrite --quiet
  ls "$sheets/atlas_$code" | sed 's/^/  /'
fi

plans=(out/plans/*.gpkg)
if ((${#plans[@]})); then
  for plan in "${plans[@]}"; do
    stem=$(basename "$plan" .gpkg)
    echo "== plan $plan -> structure sheet"
    $planmap render --plan "$plan" -o "$sheets/plan_$stem.pdf" --quiet
    $planmap render --plan "$plan" -o "$sheets/plan_$stem.png" --dpi "$dpi" --quiet
    echo "  $sheets/plan_$stem.pdf, $sheets/plan_$stem.png"
  done
else
  echo "== no plan layers in out/plans/ (plans step not run): plan sheets skipped"
fi

# The coverage and life-circle runs write their own sheets (OUTDIR/*.map.toml): facilities by size
# class or type, the statistics box with the profile's thresholds.
run_sheet() {  # MAP STEM
  if [[ -f "$1" ]]; then
    echo "== $1 -> sheet"
    render_both "$1" "$2"
  else
    echo "== no $1 (its run did not take place): $2 sheet skipped"
  fi
}
run_sheet out/coverage/park_radius/coverage.map.toml coverage
run_sheet out/coverage/lifecircle/lifecircle.map.toml lifecircle
run_sheet out/network_coverage/park_radius/coverage.map.toml coverage_network
run_sheet out/network_coverage/lifecircle/lifecircle.map.toml lifecircle_network

# The index of everything in out/.
python3 - <<'PY'
import html, os
rows = []
for d, _, files in sorted(os.walk("out")):
    for f in sorted(files):
        p = os.path.join(d, f)
        if f in ("INDEX.md", "index.html") or "/bench" in p or "/maps/" in p:
            continue
        rows.append((p[len("out/"):], os.path.getsize(p)))
with open("out/INDEX.md", "w", encoding="utf-8") as md:
    md.write("# planmap demo outputs\n\n| file | bytes |\n|---|---|\n")
    for p, n in rows:
        md.write(f"| [{p}]({p}) | {n:,} |\n")
with open("out/index.html", "w", encoding="utf-8") as h:
    h.write("<!doctype html><meta charset=utf-8><title>planmap demo outputs</title><h1>planmap demo outputs</h1>\n")
    for p, n in rows:
        if p.endswith(".png"):
            h.write(f'<figure style="display:inline-block;margin:8px"><a href="{html.escape(p)}"><img src="{html.escape(p)}" width=360></a>'
                    f"<figcaption>{html.escape(p)}</figcaption></figure>\n")
    h.write("<ul>\n" + "".join(f'<li><a href="{html.escape(p)}">{html.escape(p)}</a> ({n:,} bytes)</li>\n' for p, n in rows) + "</ul>\n")
print(f"index: out/INDEX.md and out/index.html list {len(rows)} file(s)")
PY
