#!/usr/bin/env bash
# The ezafe (hamza above, U+0654) on a heh that joins the letter before it
# is a mark glyph of its own, drawn as a path with its text on a zero-width
# carrier (docs/copyout.md, step 7). On a justified line pdf.js read the
# space before such a word short of its width, found the rest as a gap at
# the heh after the zero-width mark and made the mark a word of its own
# ("جلسه ٔ"): every word must come back whole in all four extractors.
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/marks.txt" <<'TEXT'
گفت این کار را فردا انجام می‌دهیم و سپس افزود که جلسهٔ بعدی در روز دوشنبه برگزار می‌شود و همهٔ اعضا باید حاضر باشند و.
TEXT
"$VQ_BINARY" text "$tmp/marks.txt" -o "$tmp/marks.pdf" --dir rtl --align justify --kashida off
"$VQ_SOURCE_DIR/tools/copyout/copyout.sh" "$tmp/marks.txt" "$tmp/marks.pdf" --min 100
