#!/usr/bin/env bash
# Demo step: park coverage and the life-circle audit of the synthetic city along its streets (the
# river is crossed only at bridges), beside the straight-line figures: the gap is how much the
# straight-line figure over-claims.
set -euo pipefail
planmap=${PLANMAP:-build/cli/planmap}
city=out/coverage/city.gpkg
mkdir -p out/network_coverage
[[ -f $city ]] || $planmap synth --parcels 5000 --seed 1 -o $city
# The summary printed by coverage ends with the straight-line figure on the same inputs and the gap.
# 80 m either side of the reachable streets reaches the middle of the city's 160 m blocks.
$planmap coverage --facilities $city:parks --residential $city:residential --profile gb-park-radius \
  --zones $city:zones --zone-field name --mode network --network $city:streets --width 80 \
  -o out/network_coverage/park_radius --overwrite --json out/network_coverage/park_radius.json
$planmap lifecircle --facilities $city:facilities --residential $city:residential \
  --mode network --network $city:streets -o out/network_coverage/lifecircle --overwrite --json out/network_coverage/lifecircle.json
