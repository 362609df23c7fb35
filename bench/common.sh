# Shared by the benchmark scripts (sourced, not run): checks for what a
# script needs, a scratch folder removed on exit, and the three figures
# every benchmark reports the same way.

# bench_need FILE... -- COMMAND...: the built programs, then the commands.
bench_need() {
  local f
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    [ -x "$1" ] || { echo "bench: $1 is missing (cmake --build the build folder)" >&2; exit 2; }
    shift
  done
  [ $# -gt 0 ] && shift
  for f in "$@"; do
    command -v "$f" >/dev/null || { echo "bench: $f is missing" >&2; exit 2; }
  done
}

# A scratch folder in $tmp, removed on exit; outputs dated at the epoch so
# they are the same bytes every run.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=0

# Instructions of one run of the command (callgrind: stable on a shared machine).
bench_instructions() {
  valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind.out" "$@" 2>&1 >/dev/null |
    awk '/Collected :/ {print $NF}'
}

# Peak resident memory of one run, in KiB.
bench_peak_kib() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}'
}

# The median of the numbers on standard input, one per line.
bench_median() {
  sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
