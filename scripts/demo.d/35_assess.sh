#!/usr/bin/env bash
# Demo step: the five seed plans' indicators (planmap assess): out/assess/NAME/indicators.{json,csv,
# html,pdf} with every quantitative target of the text, counts, areas and lengths measured on the
# plan's layers. Jiaojiang's park-coverage target (76.45 % -> 90 %) is evaluated once more on the
# synthetic city of the coverage step, to show the mechanism: out/assess/jiaojiang_synthetic_city/
# (a synthetic city, not Jiaojiang's land use).
set -euo pipefail
planmap=${PLANMAP:-build/cli/planmap}
mkdir -p out/assess
for name in jiaojiang luqiao pingliang jinan wenzhou; do
  echo "== plans/$name.toml -> out/assess/$name/"
  $planmap assess "plans/$name.toml" -o "out/assess/$name" --overwrite -q
  python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['counts']; print('   ', ', '.join(f'{k} {v}' for k, v in c.items()))" \
    "out/assess/$name/indicators.json"
done
if [[ -f out/coverage/city.gpkg ]]; then
  echo "== plans/jiaojiang.toml on the synthetic city -> out/assess/jiaojiang_synthetic_city/"
  $planmap assess plans/jiaojiang.toml --data residential=out/coverage/city.gpkg:residential \
    --data parks=out/coverage/city.gpkg:parks -o out/assess/jiaojiang_synthetic_city --overwrite | grep -E "park_radius_coverage|indicators:"
fi
