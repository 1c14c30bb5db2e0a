#!/usr/bin/env bash
# Demo step: a synthetic city, its park service-radius coverage (公园绿地服务半径覆盖率, profile
# gb-park-radius, per zone) and its GB 50180 life-circle audit.
set -euo pipefail
planmap=${PLANMAP:-build/cli/planmap}
mkdir -p out/coverage
$planmap synth --parcels 5000 --seed 1 -o out/coverage/city.gpkg
$planmap coverage --facilities out/coverage/city.gpkg:parks --residential out/coverage/city.gpkg:residential \
  --profile gb-park-radius --zones out/coverage/city.gpkg:zones --zone-field name \
  -o out/coverage/park_radius --overwrite --json out/coverage/park_radius.json
$planmap lifecircle --facilities out/coverage/city.gpkg:facilities --residential out/coverage/city.gpkg:residential \
  -o out/coverage/lifecircle --overwrite --json out/coverage/lifecircle.json
echo "== out/coverage/park_radius/coverage_zones.csv"
cat out/coverage/park_radius/coverage_zones.csv
