#!/usr/bin/env bash
# The sample's article text typeset with every paragraph right to left and no
# kashida (`varaq text --dir rtl --align justify --kashida off`, as the
# hold-out corpus of the copy-out goal is measured): words in order and
# exact tokens, per extractor, at least at these figures (docs/copyout.md).
# MuPDF's exact figure holds the RLM glyph before punctuation at an RTL
# run's left edge (96.9 without it). pdf.js and MuPDF words hold the glyphs
# drawn with a second text on blank carriers (98.8 and 98.7 without);
# pdftotext exact the RLM glyph before punctuation inside RTL runs (85.9),
# pdftotext words and exact the tip of page 1 to right to left (98.1/95.8),
# pdf.js exact ALM + the sign at an RTL run's left edge (99.0).
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SOURCE_DIR:?}"
seed=$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/article.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$VQ_BINARY" text "$seed" -o "$tmp/seed.pdf" --dir rtl --align justify --kashida off
"$VQ_SOURCE_DIR/tools/copyout/copyout.sh" "$seed" "$tmp/seed.pdf" \
  --min pdftotext=99.7,pdf.js=99.7,pdfium=98.8,mupdf=99.6 \
  --min-exact pdftotext=97.5,pdf.js=99.1,pdfium=96.8,mupdf=99.4
