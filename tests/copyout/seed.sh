#!/usr/bin/env bash
# The sample's article text (samples/scleromyxedema-ivig/article.txt) typeset
# whole with `varaq text --dir auto --align justify`, scored by
# tools/copyout/copyout.sh (words in order, per extractor).
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SOURCE_DIR:?}"
seed=$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/article.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$VQ_BINARY" text "$seed" -o "$tmp/seed.pdf" --dir auto --align justify
"$VQ_SOURCE_DIR/tools/copyout/copyout.sh" "$seed" "$tmp/seed.pdf" \
  --min pdftotext=98,pdf.js=99.3,pdfium=99,mupdf=99.2
