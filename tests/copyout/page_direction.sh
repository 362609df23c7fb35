#!/usr/bin/env bash
# Poppler reads a page in one direction, left to right when its text holds
# at least as many left-to-right letters as right-to-left ones. Page 5 of
# the case report holds Persian Table 2 above the English references: read
# left to right, its cells came back cut at their punctuation and turned
# around ("ملفالان" after "استروئیدها و پلاسمافورز"). The page ends with
# just enough Arabic letter marks to read right to left (render/pagedir.c),
# and no more: a page needs at most (L - R + 16) / 60 + 1 carriers of 60
# (840 on page 5; 58 more are full stops at run edges, step 8 of
# docs/copyout.md). Before, 60 on one line and page 5 read left to right.
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Bidi controls poppler writes around runs, and the marks themselves.
strip() { LC_ALL=C sed 's/\xe2\x80[\x8e\x8f\xaa-\xae]//g; s/\xd8\x9c//g'; }
alms() { grep -o $'\u061c' | wc -l; }
"$VQ_BINARY" render journal-case "$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/case.json" \
  -o "$tmp/case.pdf"
pdftotext -f 5 -l 5 "$tmp/case.pdf" - | strip >"$tmp/page5.txt"
for want in "ملفالان نتایج خوبی را در چندین مورد شدید داشته، اما" \
  "ملفالان، استروئیدها و پلاسمافورز ؛ ایزوترتینوئین، آسیترتین، و"; do
  grep -qF "$want" "$tmp/page5.txt" || {
    echo "page 5 of the case report has no '$want' (read left to right?)" >&2
    exit 1
  }
done
# The bound follows page 5's letters (L and R as pdftotext reads them):
# 480 carriers when it held the references at 8pt, 900 since it holds
# more of them at 7.5pt; 60 more leave room for the full stops.
need=$(pdftotext -f 5 -l 5 "$tmp/case.pdf" - | /usr/bin/python3 -c '
import sys, unicodedata
t = sys.stdin.read().replace("\u061c", "")
d = [unicodedata.bidirectional(c) for c in t]
lr, rl = d.count("L"), d.count("R") + d.count("AL")
print(((lr - rl + 16) // 60 + 1) * 60 if lr >= rl else 0)')
n=$(pdftotext "$tmp/case.pdf" - | alms)
[ "$n" -le $((need + 120)) ] ||
  { echo "case report: $n U+061C in pdftotext's text, want <= $((need + 120))" >&2; exit 1; }
# The seed right to left: only page 1 (its English abstract above the
# Persian one) needs tipping, 16 carriers; one mark ends each line of
# mostly Latin letters (render/line.c, push_tip). Before: 60 on each such
# line, 4,964 in all.
"$VQ_BINARY" text "$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/article.txt" \
  -o "$tmp/seed.pdf" --dir rtl --align justify --kashida off
n=$(pdftotext "$tmp/seed.pdf" - | alms)
[ "$n" -le 1100 ] || { echo "seed --dir rtl: $n U+061C in pdftotext's text, want <= 1100" >&2; exit 1; }
pdftotext -f 1 -l 1 "$tmp/seed.pdf" - | strip | grep -qF "نتیجه گزارش مورد" || {
  echo "seed --dir rtl: page 1 read left to right" >&2
  exit 1
}
