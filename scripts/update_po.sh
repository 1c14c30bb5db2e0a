#!/usr/bin/env bash
# Refreshes the message catalogues from the sources: po/planmap.pot (every string marked with
# tr(), trf() or N_()) and, per module, po/zh_CN/<module>.po, merging new strings in untranslated
# (msgmerge; existing translations kept, no fuzzy guesses). Then fill in the empty msgstr lines;
# tests/i18n/check_catalogues.sh fails while any is left.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=(core geo layers network plan styles render analysis cli)
xgettext_args=(--language=C++ --from-code=UTF-8 --add-comments=TRANSLATORS: --sort-by-file
               --keyword= --keyword=tr:1,1t --keyword=tr:2,2t --keyword=trf:1 --keyword=N_:1
               --package-name=planmap --msgid-bugs-address=planmap@localhost)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sources() { find "$@" -maxdepth 2 \( -name '*.cpp' -o -name '*.hpp' \) | sort; }
xgettext "${xgettext_args[@]}" -o po/planmap.pot $(sources "${modules[@]}")
for m in "${modules[@]}"; do
  xgettext "${xgettext_args[@]}" --omit-header -o "$tmp/$m.pot" $(sources "$m") || true
  [[ -s "$tmp/$m.pot" ]] || continue
  # A header so msgmerge and msgfmt know the charset.
  { printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'; cat "$tmp/$m.pot"; } > "$tmp/$m.full.pot"
  po=po/zh_CN/$m.po
  if [[ -f $po ]]; then
    msgmerge --quiet --update --no-fuzzy-matching --backup=none --sort-by-file "$po" "$tmp/$m.full.pot"
    msgattrib --no-obsolete -o "$po" "$po"
  else
    msginit --no-translator --locale=zh_CN.UTF-8 --input="$tmp/$m.full.pot" --output-file="$po" 2>/dev/null
    sed -i -e 's/^"Project-Id-Version: .*/"Project-Id-Version: planmap\\n"/' \
           -e 's/^"Last-Translator: .*/"Last-Translator: planmap\\n"/' \
           -e 's/^"Language-Team: .*/"Language-Team: zh_CN\\n"\n"PO-Revision-Date: 2026-12-06 00:00+0800\\n"/' "$po"
  fi
  echo "$po: $(msgfmt --statistics -o /dev/null "$po" 2>&1)"
done
