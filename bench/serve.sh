#!/usr/bin/env bash
# varaq serve under load: wrk (Debian package) on loopback POSTs K varied
# handout records in turn (Persian and English, A4 and A5, some with logos)
# until REQUESTS have been answered, and checks every answer against the
# PDFs `varaq render` writes for those records (render.lua). Prints
# requests/s, p50/p90/p99 latency, errors, the server's CPU time per request
# (utime + stime of its processes: steadier than wall time on a shared
# machine), the load average, and the server's memory (the serving worker's
# RSS and heap in use, all its processes' PSS) after the warm-up, after 1,000
# requests and every 5,000 after. Before and after the load, each record is
# also posted alone and its answer compared with its own
# `varaq render` PDF and checked with `qpdf --check`.
# Options for `varaq serve` (--recycle N) may be given in SERVE_OPTIONS.
#   bench/serve.sh [BUILD_DIR] [REQUESTS=100000] [CONNECTIONS=8] [JOBS=2] [K=40]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
total=${2:-100000}
conns=${3:-8}
jobs=${4:-2}
k=${5:-40}
threads=2
varaq="$build/varaq"
work=$(mktemp -d)
data="$work/data"
pid=
sampler=
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# K records, each rendered alone: the answers must be these bytes.
python3 "$here/varied_records.py" "$here/../samples/scleromyxedema-ivig/handout.json" "$k" \
  "$data" >"$work/records.jsonl"
i=0
while IFS= read -r line; do
  i=$((i + 1))
  printf '%s\n' "$line" >"$data/record-$i.json"
  "$varaq" render handout "$data/record-$i.json" -o "$data/expected-$i.pdf"
  qpdf --check "$data/expected-$i.pdf" >/dev/null || echo "qpdf --check fails: expected-$i.pdf"
done <"$work/records.jsonl"

# shellcheck disable=SC2086
"$varaq" serve --listen 127.0.0.1:0 -j "$jobs" --data "$data" ${SERVE_OPTIONS:-} 2>"$work/log" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/log" && break; sleep 0.1; done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$work/log")
url="http://127.0.0.1:$port"
# The server is a supervisor and its worker processes (one, two while one
# hands over to the next after --recycle documents). Memory: the resident
# memory of the worker in service (the newest), which is what one process
# served with before, and the proportional memory (PSS) of all of them
# added up (the supervisor shares most of its pages with the workers, so
# their RSS added up would count those twice). CPU: utime + stime of each
# (fields 14, 15 of /proc/PID/stat) and the supervisor's cutime + cstime
# (16, 17: the workers that have left).
tree() { echo "$pid" $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); }
rss_kib() {
  local w
  w=$(tree | awk '{print $NF}')
  awk '/VmRSS/ {print $2}' "/proc/$w/status" 2>/dev/null || echo 0
}
pss_kib() {
  local p t=0
  for p in $(tree); do
    t=$((t + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
cpu_s() {
  local p
  for p in $(tree); do cat "/proc/$p/stat" 2>/dev/null; done |
    awk -v hz="$(getconf CLK_TCK)" -v sup="$pid" '{t += $14 + $15} $1 == sup {t += $16 + $17}
      END {printf "%.2f", t / hz}'
}
served() { curl -s "$url/metrics" | awk '/^varaq_documents_total/ {print $2}'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# One by one: each answer is its record's own PDF and qpdf-clean.
one_by_one() {
  local bad=0
  for i in $(seq "$k"); do
    curl -s --data-binary @"$data/record-$i.json" -o "$work/answer.pdf" "$url/render/handout"
    cmp -s "$work/answer.pdf" "$data/expected-$i.pdf" || { echo "record $i: not identical"; bad=$((bad + 1)); }
    qpdf --check "$work/answer.pdf" >/dev/null 2>&1 || { echo "record $i: qpdf --check fails"; bad=$((bad + 1)); }
  done
  echo "$1: $k records posted one by one, $bad problems"
}
echo "RSS after start: $(($(rss_kib) / 1024)) MiB"
one_by_one "before the load"
echo "RSS after $k requests: $(($(rss_kib) / 1024)) MiB"

# RSS and CPU after 1,000 documents and then every 5,000 (EVERY) while wrk
# runs: a leak shows as growth in step with the requests.
every=${EVERY:-5000}
(
  n0=$(served)
  marks=($( ( [ "$every" -gt 1000 ] && echo 1000; seq "$every" "$every" "$total") | sort -n))
  m=0
  while [ $m -lt ${#marks[@]} ]; do
    d=$(served)
    [ -z "$d" ] && break
    if [ $((d - n0)) -ge "${marks[m]}" ]; then
      printf '%s requests answered, RSS %d MiB (%d KiB), PSS of all processes %d KiB, heap in use %s B, CPU %s s, load %s\n' \
        $((d - n0)) $(($(rss_kib) / 1024)) "$(rss_kib)" "$(pss_kib)" \
        "$(curl -s "$url/metrics" | awk '/^varaq_heap_in_use_bytes/ {print $2}')" "$(cpu_s)" "$(load)"
      m=$((m + 1))
    else
      sleep 0.3
    fi
  done
) >"$work/samples" &
sampler=$!
cpu0=$(cpu_s)
n0=$(served)
rss0=$(rss_kib)
echo "load average before: $(load)"
# Each wrk thread stops after its share, but wrk itself waits out -d: it
# gets SIGINT once the server has rendered them all (the rate is timed here).
start=$(date +%s.%N)
wrk -t "$threads" -c "$conns" -d 24h --timeout 30s -s "$here/render.lua" "$url" -- "$data" "$k" \
  $((total / threads)) >"$work/wrk" &
wrk=$!
while kill -0 "$wrk" 2>/dev/null && [ "$(served)" -lt $((n0 + total / threads * threads)) ]; do
  sleep 0.5
done
end=$(date +%s.%N)
kill -INT "$wrk" 2>/dev/null || true
wait "$wrk" || true
grep -E "^(requests|answers|latency)" "$work/wrk"
echo "load average after: $(load)"
kill "$sampler" 2>/dev/null || true
sampler=
cpu1=$(cpu_s)
n1=$(served)
rss1=$(rss_kib)
awk -v t0="$start" -v t1="$end" -v n0="$n0" -v n1="$n1" 'BEGIN {
  printf "%d handouts in %.1f s = %.1f handouts/s (wall clock, loopback, shared machine)\n",
    n1 - n0, t1 - t0, (n1 - n0) / (t1 - t0) }'
awk -v c0="$cpu0" -v c1="$cpu1" -v n0="$n0" -v n1="$n1" 'BEGIN {
  printf "server CPU: %.1f s for %d documents = %.2f ms per request (%.0f/s on 2 cores if all theirs)\n",
    c1 - c0, n1 - n0, 1000 * (c1 - c0) / (n1 - n0), 2 * (n1 - n0) / (c1 - c0) }'
echo "RSS before the load $((rss0 / 1024)) MiB ($rss0 KiB), after $((rss1 / 1024)) MiB ($rss1 KiB); during it:"
sed 's/^/  /' "$work/samples"
one_by_one "after the load"
curl -s "$url/metrics" | grep -E "^varaq_(documents|errors)_total|code=\"(200|5..)\""
kill -TERM "$pid"
wait "$pid" && echo "SIGTERM: exit 0"
pid=
