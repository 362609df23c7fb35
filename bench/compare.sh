#!/usr/bin/env bash
# Typesets the seed case report with varaq and with WeasyPrint (Debian's
# `weasyprint`: HTML + CSS to PDF, one of the tools people use today) and
# times both as whole processes. The HTML gives WeasyPrint the same job:
# one paragraph per blank-line-separated block, direction by its first strong
# letter, justified, in the bundled Vazirmatn.
#   bench/compare.sh [BUILD_DIR] [INPUT.txt]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
input=${2:-../shared/seed/000_2066f89c7301a210.txt}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
command -v weasyprint >/dev/null || { echo "compare: needs weasyprint (apt-get install weasyprint)" >&2; exit 2; }

/usr/bin/python3 - "$input" "$PWD/fonts" > "$out/seed.html" <<'PY'
import html, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
fonts = sys.argv[2]
print('<!DOCTYPE html><html><head><meta charset="utf-8"><style>')
print('@font-face { font-family: Vazirmatn; src: url("file://%s/Vazirmatn-Regular.otf"); }' % fonts)
print('@page { size: A4; margin: 20mm; } body { font-family: Vazirmatn; font-size: 11pt; }')
print('p { text-align: justify; margin: 0 0 6pt 0; line-height: 1.5; }')
print('</style></head><body>')
for block in re.split(r"\n\s*\n", text):
    block = block.strip()
    if block:
        print('<p dir="auto">%s</p>' % html.escape(block).replace("\n", " "))
print('</body></html>')
PY

echo "varaq text vs WeasyPrint $(weasyprint --version | head -1 | awk '{print $NF}'), same text:"
farm-bench -n 5 --timeout 300 --vs "weasyprint $out/seed.html $out/w.pdf" -- \
    "$build/varaq" text "$input" -o "$out/v.pdf" --dir auto --align justify
echo "pages: varaq $(pdfinfo "$out/v.pdf" | awk '/^Pages/{print $2}'), WeasyPrint $(pdfinfo "$out/w.pdf" | awk '/^Pages/{print $2}')"
