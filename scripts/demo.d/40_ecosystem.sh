#!/usr/bin/env bash
# Demo step: the coverage of a synthetic city as a self-contained HTML report, and its GeoPackage
# with QGIS styles (layer_styles) as ogrinfo lists it.
set -euo pipefail
planmap=${PLANMAP:-build/cli/planmap}
mkdir -p out/ecosystem
$planmap synth --parcels 3000 --seed 7 -o out/ecosystem/city.gpkg -q
$planmap coverage --facilities out/ecosystem/city.gpkg:parks --residential out/ecosystem/city.gpkg:residential \
  --profile gb55014 --zones out/ecosystem/city.gpkg:zones --zone-field name \
  -o out/ecosystem/coverage --overwrite --html out/ecosystem/coverage_report.html -q
$planmap lifecircle --facilities out/ecosystem/city.gpkg:facilities --residential out/ecosystem/city.gpkg:residential \
  -o out/ecosystem/lifecircle --overwrite --html out/ecosystem/lifecircle_report.html -q
echo "== reports: out/ecosystem/coverage_report.html, out/ecosystem/lifecircle_report.html"
if command -v ogrinfo > /dev/null; then
  echo "== QGIS styles in out/ecosystem/coverage/coverage.gpkg"
  ogrinfo -ro -q out/ecosystem/coverage/coverage.gpkg -sql "SELECT f_table_name, styleName, useAsDefault FROM layer_styles"
fi
