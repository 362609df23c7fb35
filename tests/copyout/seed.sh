#!/usr/bin/env bash
# The sample's article text (samples/scleromyxedema-ivig/article.txt) typeset
# whole with `varaq text --dir auto --align justify`, scored by
# tools/copyout/copyout.sh (words in order, per extractor), and exact tokens:
# kashida is on, and a tatweel's ZWJ left in a copied word made it inexact
# (88.5 / 99.1 / 88.9 / 91.0 before the letters beside the tatweels carried
# their gap, docs/copyout.md step 17).
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SOURCE_DIR:?}"
seed=$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/article.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$VQ_BINARY" text "$seed" -o "$tmp/seed.pdf" --dir auto --align justify
"$VQ_SOURCE_DIR/tools/copyout/copyout.sh" "$seed" "$tmp/seed.pdf" \
  --min pdftotext=98,pdf.js=99.3,pdfium=99,mupdf=99.2 \
  --min-exact pdftotext=95.2,pdf.js=98.9,pdfium=96,mupdf=98
