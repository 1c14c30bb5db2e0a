#!/usr/bin/env bash
# Demo step: the walking network of the Monaco OSM extract, and 15-minute walking isochrones (the
# 15-minute life circle) from a few places, one of them out at sea to show how an unattached
# source is reported.
set -euo pipefail
planmap=${PLANMAP:-build/cli/planmap}
# The whole Monaco extract when the data beside the project is there, else the streets of central
# Monaco that the project ships (tests/data/osm, © OpenStreetMap contributors, ODbL).
pbf=data/osm/monaco.osm.pbf
[[ -f $pbf ]] || pbf=tests/data/osm/monaco_centre.osm.pbf
mkdir -p out/network
echo "== walking network of $pbf -> out/network/monaco.pmnet"
$planmap network build "$pbf" -o out/network/monaco.pmnet
$planmap network export out/network/monaco.pmnet --csv out/network/monaco_edges.csv
cat > out/network/places.geojson <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"id": "casino"}, "geometry": {"type": "Point", "coordinates": [7.4277, 43.7396]}},
 {"type": "Feature", "properties": {"id": "palace"}, "geometry": {"type": "Point", "coordinates": [7.4203, 43.7315]}},
 {"type": "Feature", "properties": {"id": "fontvieille"}, "geometry": {"type": "Point", "coordinates": [7.4165, 43.7282]}},
 {"type": "Feature", "properties": {"id": "at-sea"}, "geometry": {"type": "Point", "coordinates": [7.4600, 43.7200]}}
]}
JSON
echo "== 15-minute isochrones from out/network/places.geojson -> out/network/isochrone_15min.gpkg"
$planmap isochrone --network out/network/monaco.pmnet --from out/network/places.geojson --minutes 15 \
  -o out/network/isochrone_15min.gpkg --json out/network/isochrone_15min.json \
  --distances out/network/distances_15min.csv
