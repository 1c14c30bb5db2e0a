#!/usr/bin/env bash
# Makes the ZIP that QGIS's Plugins › Manage and Install Plugins › Install from ZIP accepts:
# planmap_processing/ (metadata.txt with planmap's version, icon, LICENSE, the provider's Python).
#   bash scripts/package_qgis_plugin.sh [OUT.zip]     (default: build/planmap_processing.zip)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/planmap_processing.zip}
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
version=$(sed -n 's/^project(planmap VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r "$root/qgis/planmap_processing" "$stage/"
find "$stage" -name '__pycache__' -prune -exec rm -rf {} +
sed -i "s/^version=.*/version=$version/" "$stage/planmap_processing/metadata.txt"
rm -f "$out"
python=/usr/bin/python3; [[ -x $python ]] || python=python3
(cd "$stage" && "$python" -m zipfile -c "$out" planmap_processing)
echo "wrote $out (planmap_processing $version)"
