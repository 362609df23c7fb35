#!/usr/bin/env bash
# varaq text output: same bytes for the same input, the creation date from
# SOURCE_DATE_EPOCH, a structurally valid PDF (qpdf --check), every font an
# embedded subset with a ToUnicode map, one font resource per face, and the
# bad-input cases (invalid UTF-8 names its byte offset, an empty file gives
# one empty page, a width <= 0 is a usage error), path-drawn glyphs written once
# each as Form XObjects.
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SOURCE_DIR:?}"
seed=$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/article.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

unset SOURCE_DATE_EPOCH
"$VQ_BINARY" text "$seed" -o "$tmp/a.pdf" --dir auto --align justify
"$VQ_BINARY" text "$seed" -o "$tmp/b.pdf" --dir auto --align justify
cmp -s "$tmp/a.pdf" "$tmp/b.pdf" || fail "two runs gave different bytes"
pdfinfo "$tmp/a.pdf" | grep -q '^CreationDate: *Sat Jan  1 00:00:00 2000 UTC$' ||
  fail "no fixed creation date: $(pdfinfo "$tmp/a.pdf" | grep CreationDate)"

SOURCE_DATE_EPOCH=1700000000 "$VQ_BINARY" text "$seed" -o "$tmp/c.pdf" --dir auto --align justify
pdfinfo "$tmp/c.pdf" | grep -q '^CreationDate: *Tue Nov 14 22:13:20 2023 UTC$' ||
  fail "SOURCE_DATE_EPOCH not honoured: $(pdfinfo "$tmp/c.pdf" | grep CreationDate)"
cmp -s "$tmp/a.pdf" "$tmp/c.pdf" && fail "SOURCE_DATE_EPOCH changed nothing"

qpdf --check "$tmp/a.pdf" >"$tmp/qpdf.txt" 2>&1 || { cat "$tmp/qpdf.txt"; fail "qpdf --check"; }
grep -q 'No syntax or stream encoding errors found' "$tmp/qpdf.txt" || fail "qpdf: $(cat "$tmp/qpdf.txt")"

# pdffonts: name type encoding emb sub uni ...; a subset name is ABCDEF+Name.
pdffonts "$tmp/a.pdf" | tail -n +3 >"$tmp/fonts.txt"
[ -s "$tmp/fonts.txt" ] || fail "no fonts"
while read -r name type1 type2 type3 enc emb sub uni rest; do
  [ "$type1 $type2 $type3" = "CID Type 0C" ] || fail "font $name is not CID-keyed CFF: $type1 $type2 $type3"
  [ "$emb $sub $uni" = "yes yes yes" ] || fail "font $name: emb/sub/uni = $emb $sub $uni"
  [[ $name =~ ^[A-Z]{6}\+ ]] || fail "font $name is not a subset"
done <"$tmp/fonts.txt"
# One resource per face: no face appears twice.
dups=$(sed 's/^[A-Z]*+//' "$tmp/fonts.txt" | awk '{print $1}' | sort | uniq -d)
[ -z "$dups" ] || fail "face split into several font resources: $dups"

# Every glyph has its own text: no ActualText spans (pdf.js ignores them and
# splits its items there), even where Amiri draws shadda + fatha as two glyphs
# of one cluster or a tanwin as a glyph of its own.
printf 'مُحَمَّد معمولاً پروندهٔ لایه‌ها\n' >"$tmp/marks.txt"
for font in Vazirmatn Amiri; do
  "$VQ_BINARY" text "$tmp/marks.txt" -o "$tmp/marks.pdf" --font "$font"
  qpdf --qdf --object-streams=disable "$tmp/marks.pdf" "$tmp/marks-qdf.pdf"
  n=$(grep -a -c ActualText "$tmp/marks-qdf.pdf" || true)
  [ "$n" = 0 ] || fail "$font: $n ActualText spans"
done

# A glyph drawn with two texts: an English '-' and brackets, then the same
# glyphs in a right-to-left paragraph, where '-' between letters copies out
# as RLM + '-' and each bracket is the mirrored one's glyph. Cairo keeps a
# glyph's first text and would wrap the others in ActualText; they go on
# blank glyphs of the same width instead, with no ActualText.
printf 'IVIG-prednisolone (SM) test.\n\nعلائم عضلانی-اسکلتی (شدید) داشت.\n' >"$tmp/twice.txt"
for font in Vazirmatn Amiri; do
  "$VQ_BINARY" text "$tmp/twice.txt" -o "$tmp/twice.pdf" --dir auto --font "$font"
  qpdf --qdf --object-streams=disable "$tmp/twice.pdf" "$tmp/twice-qdf.pdf"
  n=$(grep -a -c ActualText "$tmp/twice-qdf.pdf" || true)
  [ "$n" = 0 ] || fail "$font, a glyph with two texts: $n ActualText spans"
done

# Poppler reads a page in the direction most of its letters have. An English
# paragraph set right to left above a Persian one outweighs it, and poppler
# read the page left to right, the Persian sentences cut at their full stops
# and turned round; the mostly Latin lines of a right-to-left paragraph carry
# invisible Arabic letter marks that tip the page (render/line.c, push_tip).
persian='اسکلرومیگزوما یک موسینوزیس نادر پیشرونده پوستی است. درمان اسکلرومیگزوما دشوار است. در این گزارش مورد، بیمار مبتلا معرفی میشود.'
printf '%s\n\n%s\n' 'Scleromyxedema (SM), a rare progressive cutaneous mucinosis with a systemic involvement, presents with progressive dermal mucin depositions, causing skin thickening. In addition to the skin involvement and paraproteinemia, patients with SM also have other complications.' "$persian" >"$tmp/tip.txt"
"$VQ_BINARY" text "$tmp/tip.txt" -o "$tmp/tip.pdf" --dir rtl --align justify --kashida off
got=$(pdftotext -enc UTF-8 "$tmp/tip.pdf" - | perl -CS -pe 's/[\x{061C}\x{200D}-\x{200F}\x{202A}-\x{202C}]//g' | tr -s ' \n\f' ' ')
[[ $got == *"$persian"* ]] || fail "a Persian paragraph under an English one set right to left: pdftotext gave '$got'"

# Amiri sets some letters sideways of their pen position (reh after yeh
# 0.12 em right, waw after a narrowed gaf 0.29 em left) and draws lam before
# kaf with a tatweel of its own: each word still comes back whole (ZWJ and
# bidi marks aside), with no ActualText.
words='الکترومیوگرافی تعریف نورولوژیک تزریق تحریک مرکز اولتراسونوگرافی'
printf '%s\n' "$words" >"$tmp/sideways.txt"
"$VQ_BINARY" text "$tmp/sideways.txt" -o "$tmp/sideways.pdf" --font Amiri
got=$(pdftotext -enc UTF-8 "$tmp/sideways.pdf" - | perl -CS -pe 's/[\x{200D}\x{200E}\x{200F}\x{202A}-\x{202C}]//g' | tr -s ' \n\f' ' ' |
  sed 's/^ //; s/ $//')
[ "$got" = "$words" ] || fail "Amiri sideways letters: pdftotext gave '$got'"
qpdf --qdf --object-streams=disable "$tmp/sideways.pdf" "$tmp/sideways-qdf.pdf"
n=$(grep -a -c ActualText "$tmp/sideways-qdf.pdf" || true)
[ "$n" = 0 ] || fail "Amiri sideways letters: $n ActualText spans"

# The same over the whole case report (Amiri, justified with kashida): no
# word of its prose comes back from pdftotext cut in two. Letters set 0.08
# to 0.12 em sideways split words where no carrier of their width was left
# (ten space glyphs for a whole document: "سر یع", "ارز یابی", "رو یکرد"),
# or where poppler had started a new word just before (a glyph under 0.1 em
# wide such as Amiri's medial khah: "اثر بخشی", 0.083 em).
"$VQ_BINARY" render journal-case "$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/case.json" \
  -o "$tmp/case.pdf"
/usr/bin/python3 "$VQ_SOURCE_DIR/tools/copyout/sample_text.py" \
  "$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/case.json" sections --only paragraphs >"$tmp/prose.txt"
pdftotext -enc UTF-8 "$tmp/case.pdf" "$tmp/case.txt"
split=$(/usr/bin/python3 - "$tmp/prose.txt" "$tmp/case.txt" <<'PY'
import sys, unicodedata
def words(path):
    out = []
    for tok in open(path, encoding="utf-8").read().split():
        tok = "".join(c for c in unicodedata.normalize("NFC", tok)
                      if unicodedata.category(c)[0] in "LMN")
        if tok:
            out.append(tok)
    return out
vocab, got = set(words(sys.argv[1])), words(sys.argv[2])
print(" | ".join(a + " " + b for a, b in zip(got, got[1:])
                 if (a not in vocab or b not in vocab) and a + b in vocab))
PY
)
[ -z "$split" ] || fail "case report, words split by pdftotext: $split"

# Invalid UTF-8: the error names the byte offset (the 0xff is byte 6).
printf 'abc\nd\xffe\n' >"$tmp/bad.txt"
set +e
"$VQ_BINARY" text "$tmp/bad.txt" -o "$tmp/bad.pdf" 2>"$tmp/err.txt"
rc=$?
set -e
[ $rc -eq 1 ] || fail "invalid UTF-8: exit $rc"
grep -qF "bad.txt:2:2: error: invalid UTF-8 at byte 5" "$tmp/err.txt" || fail "message: $(cat "$tmp/err.txt")"
[ ! -e "$tmp/bad.pdf" ] || fail "a failed run left an output file"

# An empty file gives one empty page.
: >"$tmp/empty.txt"
"$VQ_BINARY" text "$tmp/empty.txt" -o "$tmp/empty.pdf"
pdfinfo "$tmp/empty.pdf" | grep -q '^Pages: *1$' || fail "empty file: not one page"
[ -z "$(pdftotext "$tmp/empty.pdf" - | tr -d '\f\n ')" ] || fail "empty file: text on the page"

# Glyphs drawn as paths (marks in right-to-left runs) are stamps: each
# outline is one Form XObject however often it is drawn, and every use is a
# Do in the page; the page's resources name each XObject once (qpdf warns
# of duplicated keys otherwise).
line='مُحَمَّد معمولاً پروندهٔ'
printf '%s\n' "$line" >"$tmp/once.txt"
for i in $(seq 20); do printf '%s\n\n' "$line"; done >"$tmp/often.txt"
for font in Vazirmatn Amiri; do
  counts=
  for f in once often; do
    "$VQ_BINARY" text "$tmp/$f.txt" -o "$tmp/$f.pdf" --font "$font"
    qpdf --check "$tmp/$f.pdf" >"$tmp/qpdf.txt" 2>&1 || fail "$font $f: qpdf --check"
    ! grep -q WARNING "$tmp/qpdf.txt" || fail "$font $f: $(grep -m1 WARNING "$tmp/qpdf.txt")"
    qpdf --qdf --object-streams=disable "$tmp/$f.pdf" "$tmp/$f-qdf.pdf"
    counts="$counts $(grep -a -c '/Subtype /Form' "$tmp/$f-qdf.pdf" || true)/$(grep -a -c ' Do$' "$tmp/$f-qdf.pdf" || true)"
  done
  read -r once often <<<"$counts"
  forms=${once%/*}
  [ "$forms" -gt 0 ] && [ "$once" = "$forms/$forms" ] && [ "$often" = "$forms/$((20 * forms))" ] ||
    fail "$font: forms/uses once $once, 20 times $often (want n/n and n/20n)"
done

# A width <= 0 is a usage error.
for w in 0 -5; do
  set +e
  "$VQ_BINARY" text "$seed" -o "$tmp/w.pdf" --width "$w" 2>"$tmp/err.txt"
  rc=$?
  set -e
  [ $rc -eq 2 ] || fail "--width $w: exit $rc"
  grep -qF "varaq text: error: --width must be a number of millimetres above 0, not '$w'" "$tmp/err.txt" ||
    fail "--width $w message: $(cat "$tmp/err.txt")"
done
echo "ok"
