#!/usr/bin/env bash
# Every string the sources mark for translation (tr, trf, N_) has a Chinese translation: the
# strings are extracted afresh from the sources (not from po/planmap.pot, which may be stale), the
# module catalogues po/zh_CN/*.po are joined as the build joins them, and msgcmp fails on any
# string missing, untranslated or fuzzy (two modules translating one string differently are
# joined as fuzzy, so they fail too).
set -euo pipefail
src=${1:?source dir}
cd "$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
modules=(core geo layers network plan styles render analysis cli)
xgettext --language=C++ --from-code=UTF-8 --keyword= --keyword=tr:1,1t --keyword=tr:2,2t --keyword=trf:1 --keyword=N_:1 \
  -o "$tmp/fresh.pot" $(find "${modules[@]}" -maxdepth 2 \( -name '*.cpp' -o -name '*.hpp' \) | sort)
n=$(grep -c '^msgid "' "$tmp/fresh.pot" || true)
echo "strings marked for translation: $((n - 1))"
(( n > 1 )) || { echo "no marked strings found: the extraction is broken"; exit 1; }
for po in po/zh_CN/*.po; do msgfmt --check -o /dev/null "$po"; done
msgcat --to-code=UTF-8 -o "$tmp/zh_CN.po" po/zh_CN/*.po
if ! msgcmp "$tmp/zh_CN.po" "$tmp/fresh.pot" 2> "$tmp/missing"; then
  grep -c 'this message' "$tmp/missing" | sed 's/^/untranslated or missing strings: /'
  # Name each string, as msgcmp's "<stdin>:N" positions in the temporary template are of no use.
  grep -o 'fresh.pot:[0-9]*' "$tmp/missing" | cut -d: -f2 | while read -r line; do
    sed -n "${line}p" "$tmp/fresh.pot"
  done | head -50
  exit 1
fi
echo "all translated"
