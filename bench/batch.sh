#!/usr/bin/env bash
# varaq batch: handouts per second, and the done-when check: every output of
# an N-record batch passes `qpdf --check` and is byte-identical to the same
# record rendered alone with `varaq render`.
#   bench/batch.sh [BUILD_DIR] [N=1000] [JOBS...=1 2]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
n=${2:-1000}
shift $(( $# > 2 ? 2 : $# )) || true
jobs=("$@")
[ ${#jobs[@]} -eq 0 ] && jobs=(1 2)
varaq="$build/varaq"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/records.py" "$here/../samples/scleromyxedema-ivig/handout.json" "$n" >"$work/day.jsonl"

for j in "${jobs[@]}"; do
  rm -rf "$work/out"
  /usr/bin/time -f "%e %M" -o "$work/time" \
    "$varaq" batch handout "$work/day.jsonl" -o "$work/out/{patient.file_number}.pdf" -j "$j" \
    2>"$work/log"
  read -r secs kb <"$work/time"
  echo "-j $j: $n handouts in $secs s = $(python3 -c "print(round($n / $secs))")/s, peak $((kb / 1024)) MiB"
done

# Every output whole and identical to the record rendered alone.
bad=0
i=0
while IFS= read -r line; do
  i=$((i + 1))
  num=$(printf 'SM-%06d' $((i - 1)))
  printf '%s\n' "$line" >"$work/one.json"
  "$varaq" render handout "$work/one.json" -o "$work/one.pdf"
  cmp -s "$work/one.pdf" "$work/out/$num.pdf" || { echo "differs: record $i"; bad=$((bad + 1)); }
  qpdf --check "$work/out/$num.pdf" >/dev/null 2>&1 || { echo "qpdf: record $i"; bad=$((bad + 1)); }
done <"$work/day.jsonl"
echo "$i outputs checked: $bad problems"
