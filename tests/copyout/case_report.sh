#!/usr/bin/env bash
# The sample case report typeset with the journal-case template (two columns,
# Amiri, tables, figures): the Persian strings of its sections, in order,
# must come back from the PDF at least at these figures (words in order, per
# extractor). pdftotext is low while the body's line pitch (1.55 em) exceeds
# poppler's 1.5 em limit for lines of one block: see docs/copyout.md.
set -euo pipefail
: "${VQ_BINARY:?}" "${VQ_SOURCE_DIR:?}"
case_json=$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/case.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every string under "sections" that holds Persian letters, in document order.
/usr/bin/python3 - "$case_json" "$tmp/body.txt" <<'PY'
import json, sys
out = []
def walk(x):
    if isinstance(x, str):
        out.append(x)
    elif isinstance(x, list):
        for y in x:
            walk(y)
    elif isinstance(x, dict):
        for v in x.values():
            walk(v)
walk(json.load(open(sys.argv[1], encoding="utf-8")).get("sections", []))
body = [s for s in out if any("\u0600" <= c <= "\u06ff" for c in s)]
open(sys.argv[2], "w", encoding="utf-8").write("\n\n".join(body))
PY
"$VQ_BINARY" render journal-case "$case_json" -o "$tmp/case.pdf"
"$VQ_SOURCE_DIR/tools/copyout/copyout.sh" "$tmp/body.txt" "$tmp/case.pdf" \
  --min pdftotext=90,pdf.js=95,pdfium=97,mupdf=98
