#!/usr/bin/env bash
# The sample case report typeset with the journal-case template (two columns,
# Amiri, tables, figures). Every Persian string of its sections (headings,
# prose, table cells, captions), in order, must come back from the PDF at
# least at these figures (words in order, per extractor); and each paragraph
# of its prose on its own (mean and worst paragraph, --min-para; see
# tools/copyout/score.py). Figures measured: docs/copyout.md (kashida on,
# the template's default). pdf.js's worst paragraph was 85.0 before Amiri's
# sideways letters went on carriers (render/line.c): a waw set 0.29 em left
# of its pen after a narrowed gaf ended pdf.js's item inside
# "الکترومیوگرافی", and a raised meem after a kashida tatweel opened a new
# text position there.
# The whole-text floors count the order of the page: Table 2 (a page-wide
# table of Persian text) floats to the top of page 5, after the conclusion
# and the first references it precedes in the data, so its words are out of
# order there; each paragraph's floor is not affected.
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SOURCE_DIR:?}"
case_json=$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/case.json
tools=$VQ_SOURCE_DIR/tools/copyout
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$tools/sample_text.py" "$case_json" sections >"$tmp/body.txt"
/usr/bin/python3 "$tools/sample_text.py" "$case_json" sections --only paragraphs >"$tmp/prose.txt"
"$VQ_BINARY" render journal-case "$case_json" -o "$tmp/case.pdf"
"$tools/copyout.sh" "$tmp/body.txt" "$tmp/case.pdf" \
  --min pdftotext=87,pdf.js=92.5,pdfium=94,mupdf=94.5 \
  --para-source "$tmp/prose.txt" \
  --min-para pdftotext=98.5/95,pdf.js=98.5/88,pdfium=99/96,mupdf=99.5/97
