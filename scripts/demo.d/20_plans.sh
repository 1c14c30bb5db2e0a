#!/usr/bin/env bash
# Demo step: build the five seed plans (plans/*.toml) into plan-structure layers on the real
# district boundaries: out/plans/NAME.gpkg (one layer per element kind, CGCS2000 lon/lat) and
# out/plans/NAME.report.json (checks, counts, data source, timings).
set -euo pipefail
planmap=${PLANMAP:-build/cli/planmap}
mkdir -p out/plans
for name in jiaojiang luqiao pingliang jinan wenzhou; do
  echo "== plans/$name.toml -> out/plans/$name.gpkg"
  $planmap build "plans/$name.toml" -o "out/plans/$name.gpkg" --report "out/plans/$name.report.json"
done
