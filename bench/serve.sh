#!/usr/bin/env bash
# varaq serve under load: wrk (Debian package) on loopback POSTs the sample
# handout; prints requests/s, p50/p90/p99 latency, errors, and the server's
# resident memory before and after. Then checks a sample of answers:
# byte-identical to `varaq render` and `qpdf --check` clean.
#   bench/serve.sh [BUILD_DIR] [SECONDS=30] [CONNECTIONS=8] [JOBS=2]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
secs=${2:-30}
conns=${3:-8}
jobs=${4:-2}
varaq="$build/varaq"
sample="$here/../samples/scleromyxedema-ivig/handout.json"
work=$(mktemp -d)
"$varaq" serve --listen 127.0.0.1:0 -j "$jobs" 2>"$work/log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q listening "$work/log" && break; sleep 0.1; done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$work/log")
url="http://127.0.0.1:$port"
rss() { awk '/VmRSS/ {print int($2 / 1024) " MiB"}' "/proc/$pid/status"; }
"$varaq" render handout "$sample" -o "$work/alone.pdf"
qpdf --check "$work/alone.pdf" >/dev/null && echo "the expected PDF passes qpdf --check"
curl -s --data-binary @"$sample" -o "$work/first.pdf" "$url/render/handout"
echo "RSS after one request: $(rss)"
# Every answer is compared with the expected bytes inside wrk (render.lua).
wrk -t 2 -c "$conns" -d "${secs}s" --latency -s "$here/render.lua" "$url" -- "$sample" \
  "$work/alone.pdf" | grep -E "Requests/sec|requests|p50|p90|p99|Latency  "
echo "RSS after the run: $(rss)"
curl -s "$url/metrics" | grep -E "^varaq_(documents|errors)_total|code=\"200\""
kill -TERM $pid
wait $pid && echo "SIGTERM: exit 0"
