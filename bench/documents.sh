#!/usr/bin/env bash
# The two sample documents as a user renders them: the journal case report
# (templates/journal-case, 7 pages, its last page's number in its citation
# line) and the A5 patient handout. For each: instructions (valgrind --tool=callgrind,
# stable on a shared machine), CPU milliseconds (user + system, median of
# RUNS whole-process runs, default 7) and peak memory (/usr/bin/time -v);
# then the journal's instructions over the floor's (bench/floor.c on the
# article's text, as in run.sh). See bench/README.md.
#
#   bench/documents.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
runs=${RUNS:-7}
sample=$here/../samples/scleromyxedema-ivig
. "$here/common.sh"
bench_need "$build/varaq" "$build/vq_floor" -- valgrind /usr/bin/time

# name, then the command
measure() {
  local name=$1
  shift
  "$@" >/dev/null 2>&1
  local cpu=() i
  for ((i = 0; i < runs; i++)); do
    cpu+=($(/usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%d", ($1 + $2) * 1000}'))
  done
  local median rss instr
  median=$(printf '%s\n' "${cpu[@]}" | bench_median)
  rss=$(bench_peak_kib "$@")
  instr=$(bench_instructions "$@")
  awk -v n="$name" -v ms="$median" -v rss="$rss" -v i="$instr" 'BEGIN {
    printf "%-8s %10.1fM %8d ms %10.1f MiB\n", n, i / 1e6, ms, rss / 1024 }'
  echo "$instr" >"$tmp/$name.instr"
}

printf '%-8s %11s %11s %14s\n' "" instructions "CPU median" "peak memory"
measure journal "$build/varaq" render journal-case "$sample/case.json" -o "$tmp/journal.pdf"
measure handout "$build/varaq" render handout "$sample/handout.json" -o "$tmp/handout.pdf"
floor=$(bench_instructions "$build/vq_floor" "$sample/article.txt" -o "$tmp/floor.pdf")
awk -v a="$(cat "$tmp/journal.instr")" -v b="$floor" 'BEGIN {
  printf "floor %.1fM instructions; journal / floor: %.2fx (goal <= 1.5x)\n", b / 1e6, a / b }'
