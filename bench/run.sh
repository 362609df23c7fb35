#!/usr/bin/env bash
# The speed benchmark (see bench/README.md): typesets the seed's full text
# with `varaq text` and with the floor program, and reports ms per page
# (median of RUNS runs, whole process), peak memory (/usr/bin/time -v) and
# instructions (valgrind --tool=callgrind), with the varaq/floor ratio.
#
#   bench/run.sh [BUILD_DIR] [INPUT.txt]     (RUNS=N to change the 7 runs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
input=${2:-$here/../samples/scleromyxedema-ivig/article.txt}
runs=${RUNS:-7}
varaq=$build/varaq
floor=$build/vq_floor
. "$here/common.sh"
bench_need "$varaq" "$floor" -- valgrind pdfinfo /usr/bin/time

# name, then the command (with OUT for the output file)
measure() {
  local name=$1
  shift
  local cmd=("${@/OUT/$tmp/$name.pdf}")
  "${cmd[@]}" 2>/dev/null
  local pages times=() i t0 t1
  pages=$(pdfinfo "$tmp/$name.pdf" | awk '/^Pages:/ {print $2}')
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    "${cmd[@]}" 2>/dev/null
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | bench_median)
  local rss instr
  rss=$(bench_peak_kib "${cmd[@]}")
  instr=$(bench_instructions "${cmd[@]}")
  echo "$name $pages $median $rss $instr"
}

v=$(measure varaq "$varaq" text "$input" -o OUT --dir auto --align justify)
f=$(measure floor "$floor" "$input" -o OUT)
printf '%-6s %6s %10s %12s %10s %14s\n' "" pages "ms total" "ms per page" "peak MiB" "instructions"
for line in "$v" "$f"; do
  read -r name pages us rss instr <<<"$line"
  awk -v n="$name" -v p="$pages" -v us="$us" -v rss="$rss" -v i="$instr" 'BEGIN {
    printf "%-6s %6d %10.1f %12.2f %10.1f %14.1fM\n", n, p, us / 1000, us / 1000 / p, rss / 1024, i / 1e6 }'
done
read -r _ _ vus vrss vinstr <<<"$v"
read -r _ _ fus frss finstr <<<"$f"
awk -v a="$vinstr" -v b="$finstr" -v ta="$vus" -v tb="$fus" 'BEGIN {
  printf "ratio varaq/floor: instructions %.2fx (target <= 1.3x), time %.2fx\n", a / b, ta / tb }'
awk -v r="$vrss" 'BEGIN { printf "varaq peak memory %.1f MiB (target <= 15 MiB)\n", r / 1024 }'
