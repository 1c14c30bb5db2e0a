#!/usr/bin/env bash
# Demo step: import the real district boundaries (GCJ-02) and convert them to CGCS2000 lon/lat
# and to the Gauss-Krüger analysis CRS.
set -euo pipefail
planmap=${PLANMAP:-build/cli/planmap}
mkdir -p out/boundaries
for code in 331000 330300 370100 620800; do
  src=data/boundaries/$code.geojson
  echo "== $src (GCJ-02) -> out/boundaries/${code}_cgcs2000.gpkg"
  $planmap convert "$src" "out/boundaries/${code}_cgcs2000.gpkg" --s-crs GCJ02 --t-crs EPSG:4490
  $planmap convert "$src" "out/boundaries/${code}_gk.gpkg" --s-crs GCJ02 --t-crs auto --quiet
  $planmap info "out/boundaries/${code}_gk.gpkg"
done
