#!/usr/bin/env bash
# varaq batch: handouts per second, CPU time per handout, and the done-when
# check: every output of an N-record batch passes `qpdf --check` and is
# byte-identical to the same record rendered alone with `varaq render`.
# The records are varied (varied_records.py: Persian and English, A4 and
# A5, one to four pages, about one in four with a PNG or JPEG logo).
#   bench/batch.sh [BUILD_DIR] [N=1000] [JOBS...=1 2]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
n=${2:-1000}
shift $(($# > 2 ? 2 : $#)) || true
jobs=("$@")
[ ${#jobs[@]} -eq 0 ] && jobs=(1 2)
varaq="$build/varaq"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
in="$work/in"
python3 "$here/varied_records.py" "$here/../samples/scleromyxedema-ivig/handout.json" "$n" \
  "$in" >"$work/day.jsonl"
mv "$work/day.jsonl" "$in/day.jsonl" # logos are found beside the records
load() { cut -d' ' -f1-3 /proc/loadavg; }

for j in "${jobs[@]}"; do
  rm -rf "$work/out"
  l0=$(load)
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
    "$varaq" batch handout "$in/day.jsonl" -o "$work/out/{patient.file_number}.pdf" -j "$j" \
    2>"$work/log" || { cat "$work/log"; exit 1; }
  read -r secs user sys kb <"$work/time"
  awk -v n="$n" -v j="$j" -v s="$secs" -v u="$user" -v y="$sys" -v kb="$kb" -v l0="$l0" \
    -v l1="$(load)" 'BEGIN {
    printf "-j %d: %d handouts in %.1f s = %.0f/s wall; CPU %.2f ms per handout (user+sys) = %.0f/s on 2 cores if all theirs; peak %.0f MiB; load average %s -> %s\n",
      j, n, s, n / s, 1000 * (u + y) / n, 2 * n / (u + y), kb / 1024, l0, l1 }'
done
pages=$(for f in "$work"/out/*.pdf; do pdfinfo "$f" | awk '/^Pages/ {print $2}'; done |
  sort -n | uniq -c | awk '{printf "%s%d with %d", (NR > 1 ? ", " : ""), $1, $2}')
echo "pages per output: $pages"

# Every output whole and identical to the record rendered alone (two at a time).
check() {
  local i=$1 num
  num=$(printf 'VR-%05d' "$i")
  sed -n "${i}p" "$in/day.jsonl" >"$in/alone-$i.json"
  "$varaq" render handout "$in/alone-$i.json" -o "$in/alone-$i.pdf" 2>/dev/null ||
    echo "record $i: render alone failed"
  cmp -s "$in/alone-$i.pdf" "$work/out/$num.pdf" || echo "record $i: not identical"
  qpdf --check "$work/out/$num.pdf" >/dev/null 2>&1 || echo "record $i: qpdf --check fails"
  rm -f "$in/alone-$i.json" "$in/alone-$i.pdf"
}
export -f check
export varaq in work
seq "$n" | xargs -P 2 -I{} bash -c 'check {}' >"$work/problems"
echo "$n outputs checked against the record rendered alone: $(wc -l <"$work/problems") problems"
cat "$work/problems"
