#!/usr/bin/env bash
# The main job: sets up (scripts/setup.sh), then runs every step in scripts/demo.d/ in order
# (boundaries, plan layers, coverage, map sheets …), writing into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PLANMAP=build/cli/planmap
mkdir -p out
for step in scripts/demo.d/*.sh; do
  echo "### demo step $(basename "$step")"
  bash "$step"
done
echo "demo: outputs in out/"
