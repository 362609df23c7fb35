#!/usr/bin/env bash
# The sample patient handout (handout template, Persian, a medication table
# and label/value lines): each of its Persian strings must come back from
# the PDF with its words in order (mean and worst string per extractor,
# --min-para; see tools/copyout/score.py). The whole text is not gated: the
# template puts the strings in another order than the data holds them.
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SOURCE_DIR:?}"
data=$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/handout.json
tools=$VQ_SOURCE_DIR/tools/copyout
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$tools/sample_text.py" "$data" >"$tmp/handout.txt"
"$VQ_BINARY" render handout "$data" -o "$tmp/handout.pdf"
"$tools/copyout.sh" "$tmp/handout.txt" "$tmp/handout.pdf" --min 0 \
  --min-para pdftotext=99.5/99,pdf.js=99.5/99,pdfium=99.5/99,mupdf=99.5/99
