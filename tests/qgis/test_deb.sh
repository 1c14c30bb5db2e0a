#!/usr/bin/env bash
# The Debian package: CPack makes the .deb from the build folder; it declares the runtime
# libraries it needs (dpkg-shlibdeps), unpacks into a clean folder tree, and the planmap there
# runs and finds its shipped profiles and styles in <root>/usr/share/planmap, not in the source tree.
#   bash tests/qgis/test_deb.sh BUILD_DIR      (exit 77: dpkg-deb, dpkg-shlibdeps or cpack missing)
set -euo pipefail
build=$(cd "$1" && pwd)
for tool in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed: skipped"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL $*"; exit 1; }

(cd "$build" && cpack -G DEB -B "$tmp/pkg") >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$tmp"/pkg/planmap_*.deb)
echo "ok   cpack made $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"
depends=$(dpkg-deb --field "$deb" Depends)
for lib in libgdal libgeos libproj libcairo2 libpango fonts-noto-cjk libc6; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
echo "ok   Depends: $depends"
contents=$(dpkg-deb --contents "$deb")
[[ "$contents" == *"./usr/share/planmap/profiles/gb-park-radius.toml"* ]] || fail "profiles not packaged"
[[ "$contents" == *"./usr/share/planmap/styles/data/coverage.toml"* ]] || fail "styles not packaged"

root="$tmp/root"
dpkg -x "$deb" "$root"
planmap="$root/usr/bin/planmap"
version=$(env -u PLANMAP_DATA_DIR -u PLANMAP_STYLES "$planmap" --version)
[[ "$version" == "planmap "* ]] || fail "planmap --version printed '$version'"
echo "ok   $version from the unpacked package"

# The installed data is used: a profile and a style edited in the unpacked tree change the results.
sed -i 's/radius_m = 500/radius_m = 499/' "$root/usr/share/planmap/profiles/gb-park-radius.toml"
sed -i 's/#F2F0EB/#F2F0EC/' "$root/usr/share/planmap/styles/data/coverage.toml"
cd "$tmp"
env -u PLANMAP_DATA_DIR -u PLANMAP_STYLES "$planmap" synth --parcels 100 -o city.gpkg -q
env -u PLANMAP_DATA_DIR -u PLANMAP_STYLES "$planmap" coverage --facilities city.gpkg:parks --residential city.gpkg:residential \
  --profile gb-park-radius -o run --json run.json -q
grep -Eq '"radius_m": 499(\.0)?,' run.json || fail "the unpacked planmap did not read its own profiles/"
echo "ok   profiles read from $root/usr/share/planmap"
python=/usr/bin/python3; [[ -x $python ]] || python=python3
styles=$("$python" -c "
import sqlite3
db = sqlite3.connect('run/coverage.gpkg')
print(db.execute(\"SELECT styleQML FROM layer_styles WHERE f_table_name = 'parcels'\").fetchone()[0])")
[[ "$styles" == *"242,240,236"* ]] || fail "the installed styles/data did not reach coverage.gpkg's layer_styles"
echo "ok   styles read from $root/usr/share/planmap/styles/data"
echo "test_deb: passed"
