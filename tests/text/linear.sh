#!/usr/bin/env bash
# Line breaking is linear in the paragraph's length, emergency breaking of
# over-long words included. Each input is one paragraph of 300 KB with an
# opportunity every two characters (or none at all); a breaker that rescans
# the word around each opportunity takes minutes here (the old one spent
# 18 s on 100 KB of "a-"), a linear one about a second. Not a timing test:
# the timeout only stops a run that went quadratic.
set -euo pipefail
: "${VQ_BINARY:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
limit=${VQ_LINEAR_TIMEOUT:-60}
rep() { # TEXT COUNT FILE: TEXT repeated COUNT times, one line
  local s=$1 n=$2
  while ((n > 1)); do s=$s$s; n=$((n / 2)); done
  printf '%s\n' "$s" >"$3"
}
check() { # NAME ARGS...: varaq text must finish in time and write a PDF
  local name=$1
  shift
  local rc=0
  timeout "$limit" "$VQ_BINARY" text "$tmp/$name.txt" -o "$tmp/$name.pdf" "$@" || rc=$?
  if ((rc == 124)); then
    echo "FAIL $name: not done after ${limit}s (line breaking not linear?)" >&2
    exit 1
  fi
  ((rc == 0)) || { echo "FAIL $name: exit $rc" >&2; exit 1; }
  [ -s "$tmp/$name.pdf" ] || { echo "FAIL $name: no PDF" >&2; exit 1; }
  echo "ok $name"
}
# 2^17 = 131072 repetitions: 262 KB of "a-" (breaks after every hyphen).
rep 'a-' 131072 "$tmp/hyphens.txt"
check hyphens --align justify
# Persian, right to left, justified: the same with kashida candidates.
rep 'ب-' 131072 "$tmp/hyphens_fa.txt"
check hyphens_fa --dir rtl --align justify
# A protected token (a number with units: no break inside) 262 KB long:
# emergency breaks between graphemes, in linear time too.
rep '1/' 131072 "$tmp/number.txt"
check number --align justify
# No opportunity at all.
rep 'a' 262144 "$tmp/word.txt"
check word
# The first line of the hyphen case ends at a hyphen, not inside a pair.
first=$(pdftotext -l 1 "$tmp/hyphens.pdf" - | head -n 1)
case $first in
  *a-) ;;
  *) echo "FAIL hyphens: first line '$first' does not end in 'a-'" >&2; exit 1 ;;
esac
echo "ok hyphens first line"
