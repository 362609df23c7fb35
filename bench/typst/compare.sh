#!/usr/bin/env bash
# The journal case report, cold, against Typst: `varaq render journal-case
# case.json` and `typst compile journal.typ` (the same content and fonts,
# see journal.typ), each a whole new process, in turn A B A B ... RUNS times
# after one warm-up of each. Prints for each the median CPU time (user +
# system, steadier than wall time on a shared machine), median wall time,
# peak memory and pages, then the ratios typst / varaq of the medians.
# Needs the typst CLI (TYPST=path, default `typst` on PATH); nothing in the
# build or the tests needs it.
#   bench/typst/compare.sh [BUILD_DIR] [RUNS=9]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
runs=${2:-9}
typst=${TYPST:-typst}
command -v "$typst" >/dev/null || {
  echo "typst not found: set TYPST=/path/to/typst" >&2
  exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case=$root/samples/scleromyxedema-ivig/case.json
cp "$here/journal.typ" "$case" "$work/"

varaq_cmd=("$build/varaq" render journal-case "$case" -o "$work/varaq.pdf")
typst_cmd=("$typst" compile --font-path "$root/fonts" "$work/journal.typ" "$work/typst.pdf")
# time one run: "cpu_ms wall_ms peak_kib" appended to $1
once() {
  local out=$1
  shift
  /usr/bin/time -f "%U %S %e %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" ||
    { cat "$work/err" >&2; exit 1; }
  awk '{printf "%.1f %.1f %d\n", 1000 * ($1 + $2), 1000 * $3, $4}' "$work/t" >>"$out"
}
once /dev/null "${varaq_cmd[@]}"
once /dev/null "${typst_cmd[@]}"
for _ in $(seq "$runs"); do
  once "$work/varaq" "${varaq_cmd[@]}"
  once "$work/typst" "${typst_cmd[@]}"
done
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
report() {
  local name=$1 file=$2 pdf=$3
  printf '%-7s CPU %6.1f ms  wall %7.1f ms  peak %5.1f MiB  %s pages\n' "$name" \
    "$(cut -d' ' -f1 "$file" | median)" "$(cut -d' ' -f2 "$file" | median)" \
    "$(cut -d' ' -f3 "$file" | median | awk '{print $1 / 1024}')" \
    "$(pdfinfo "$pdf" | awk '/^Pages/ {print $2}')"
}
echo "$runs runs each, in turn; medians; load average $(cut -d' ' -f1-3 /proc/loadavg)"
report varaq "$work/varaq" "$work/varaq.pdf"
report "$("$typst" --version | cut -d' ' -f1-2)" "$work/typst" "$work/typst.pdf"
awk -v vc="$(cut -d' ' -f1 "$work/varaq" | median)" -v tc="$(cut -d' ' -f1 "$work/typst" | median)" \
  -v vw="$(cut -d' ' -f2 "$work/varaq" | median)" -v tw="$(cut -d' ' -f2 "$work/typst" | median)" \
  'BEGIN {printf "typst / varaq: CPU %.2fx, wall %.2fx\n", tc / vc, tw / vw}'
