#!/usr/bin/env bash
# Memory lost per document: `varaq batch` under valgrind's memcheck on N and
# on 2N varied handout records (varied_records.py); what is lost in the
# second run and not in the first is what each of the N more documents
# loses. Prints the bytes and blocks "definitely lost" in each run, the
# bytes per document, and the stack of each loss record the second run
# has (without debugging symbols for Cairo its frames show as ???; a Cairo
# built with -g, put first with LD_LIBRARY_PATH, names them).
#   bench/leak.sh [BUILD_DIR] [N=10]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
n=${2:-10}
varaq="$build/varaq"
command -v valgrind >/dev/null || { echo "bench: valgrind is missing" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
in="$work/in"
python3 "$here/varied_records.py" "$here/../samples/scleromyxedema-ivig/handout.json" $((2 * n)) \
  "$in" >"$work/all.jsonl"
head -n "$n" "$work/all.jsonl" >"$in/n.jsonl"
mv "$work/all.jsonl" "$in/2n.jsonl" # logos are found beside the records

lost() { # RECORDS -> "bytes blocks", and the loss records in $work/RECORDS.log
  rm -rf "$work/out"
  valgrind --leak-check=full --num-callers=16 "$varaq" batch handout "$in/$1.jsonl" \
    -o "$work/out/{#}.pdf" -j 1 >"$work/$1.log" 2>&1
  awk '/definitely lost:/ {gsub(/,/, "", $4); gsub(/,/, "", $7); print $4, $7}' "$work/$1.log"
}
read -r b1 k1 < <(lost n)
read -r b2 k2 < <(lost 2n)
echo "$n documents: $b1 bytes in $k1 blocks definitely lost"
echo "$((2 * n)) documents: $b2 bytes in $k2 blocks definitely lost"
awk -v b1="$b1" -v b2="$b2" -v k1="$k1" -v k2="$k2" -v n="$n" 'BEGIN {
  printf "per document: %.1f bytes in %.2f blocks (each block also costs malloc its header and rounding)\n",
    (b2 - b1) / n, (k2 - k1) / n }'
echo "where ($((2 * n)) documents):"
sed -n '/definitely lost in loss record/,/^==[0-9]*== $/p' "$work/2n.log" | sed 's/^==[0-9]*== /  /'
