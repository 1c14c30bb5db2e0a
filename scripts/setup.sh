#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for planmap (idempotent: skips what is present):
#   1. installs the Debian packages in scripts/packages.txt that are missing;
#   2. fills data/ (ignored by git) with the demo data: links to ../shared/data when it is
#      beside the project, otherwise real district boundaries and township names from the npm
#      registry (scripts/fetch_data.py);
#   3. configures and builds into build/ (BUILD_TYPE, default RelWithDebInfo).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need=()
while read -r pkg cmd; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  [[ -n "${cmd:-}" ]] && command -v "$cmd" >/dev/null 2>&1 && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done < scripts/packages.txt
if ((${#need[@]})); then
  echo "setup: installing ${need[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "setup: Debian packages present"
fi

python3 scripts/fetch_data.py --root "$root"

build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
echo "setup: built $build_dir/cli/planmap"
