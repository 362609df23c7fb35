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
input=${2:-samples/scleromyxedema-ivig/article.txt}
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

# Median wall time of RUNS whole-process runs (after one warm-up), and the
# peak resident set of one run.
runs=${RUNS:-5}
measure() {
  local name=$1; shift
  "$@" >/dev/null 2>&1
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  local peak
  peak=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/{printf "%.1f", $2/1024}')
  printf '%-12s %6s ms (median of %s)   peak %s MiB\n' "$name" "$median" "$runs" "$peak"
}
echo "varaq text vs WeasyPrint $(weasyprint --version | head -1 | awk '{print $NF}'), same text:"
measure "varaq" "$build/varaq" text "$input" -o "$out/v.pdf" --dir auto --align justify
measure "WeasyPrint" weasyprint "$out/seed.html" "$out/w.pdf"
echo "pages: varaq $(pdfinfo "$out/v.pdf" | awk '/^Pages/{print $2}'), WeasyPrint $(pdfinfo "$out/w.pdf" | awk '/^Pages/{print $2}')"
