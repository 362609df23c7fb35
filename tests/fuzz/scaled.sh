#!/bin/sh
# Replays the size-scaled seeds of one fuzz target (fuzz/make_scaled.py
# writes them, from small up to each documented limit and one step past):
# every one must go through its target without a crash, a hang or a leak.
#   scaled.sh REPLAY-PROGRAM NAME   (run from the source tree)
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 fuzz/make_scaled.py "$T" "$2"
exec "$1" "$T/$2"
