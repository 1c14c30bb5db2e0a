#!/usr/bin/env bash
# The main job: sets up (scripts/setup.sh), then imports and converts the real district
# boundaries of the seed cities into out/, printing what each holds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
planmap=build/cli/planmap
mkdir -p out/boundaries
for code in 331000 330300 370100 620800; do
  src=data/boundaries/$code.geojson
  echo "== $src (GCJ-02) -> out/boundaries/${code}_cgcs2000.gpkg"
  $planmap convert "$src" "out/boundaries/${code}_cgcs2000.gpkg" --s-crs GCJ02 --t-crs EPSG:4490
  $planmap convert "$src" "out/boundaries/${code}_gk.gpkg" --s-crs GCJ02 --t-crs auto --quiet
  $planmap info "out/boundaries/${code}_gk.gpkg"
done
echo "demo: outputs in out/"
