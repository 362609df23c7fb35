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
# Tables and figures are scored as floats (--floats): each whole and in
# order, wherever the page puts it. Table 2 (page-wide, mentioned in the
# last paragraph of the discussion, low on page 4) stands at the top of
# page 5, the first place after its mention where it fits. The page's
# English references outweigh its Persian, and poppler takes one direction
# per page: pdftotext read the table left to right, cell by cell (92.9),
# until the page was tipped right to left (render/pagedir.c).
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SOURCE_DIR:?}"
case_json=$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/case.json
tools=$VQ_SOURCE_DIR/tools/copyout
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$tools/sample_text.py" "$case_json" sections --skip tables --skip figures >"$tmp/body.txt"
/usr/bin/python3 "$tools/sample_text.py" "$case_json" sections --items tables --items figures >"$tmp/floats.txt"
/usr/bin/python3 "$tools/sample_text.py" "$case_json" sections --only paragraphs >"$tmp/prose.txt"
"$VQ_BINARY" render journal-case "$case_json" -o "$tmp/case.pdf"
"$tools/copyout.sh" "$tmp/body.txt" "$tmp/case.pdf" --floats "$tmp/floats.txt" \
  --min pdftotext=98,pdf.js=97,pdfium=98.5,mupdf=99.2 \
  --para-source "$tmp/prose.txt" \
  --min-para pdftotext=99.5/99.5,pdf.js=99.5/98,pdfium=99/96,mupdf=99.5/97
