#!/usr/bin/env bash
# The seed typeset whole with `varaq text --dir auto --align justify`, scored
# by ../shared/tools/copyout/copyout.sh (words in order, per extractor).
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SHARED_DIR:?}"
seed=$VQ_SHARED_DIR/seed/000_2066f89c7301a210.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$VQ_BINARY" text "$seed" -o "$tmp/seed.pdf" --dir auto --align justify
"$VQ_SHARED_DIR/tools/copyout/copyout.sh" "$seed" "$tmp/seed.pdf" \
  --min pdftotext=95,pdf.js=92,pdfium=97,mupdf=95
