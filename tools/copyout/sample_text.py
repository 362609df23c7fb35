#!/usr/bin/env python3
"""The text a sample's data puts on the page, for copyout.sh to score: every
string of DATA.json that holds Persian letters, in document order, one
paragraph each (blank-line separated), optionally only under the top-level
keys named.

  sample_text.py DATA.json [KEY ...] [--only NAME] > SOURCE.txt

Strings keyed "en" are left out (the Persian page does not show them).
--only NAME keeps the strings found under a key NAME at any depth (the case
report's prose is `sections --only paragraphs`: no headings, table cells or
captions)."""
import json
import sys


def persian(s):
    return any("\u0600" <= c <= "\u06ff" for c in s)


def walk(x, out, only, inside):
    if isinstance(x, str):
        if persian(x) and inside:
            out.append(x)
    elif isinstance(x, list):
        for y in x:
            walk(y, out, only, inside)
    elif isinstance(x, dict):
        for k, v in x.items():
            if k != "en":
                walk(v, out, only, inside or k == only)


def main(argv):
    only = None
    if "--only" in argv:
        at = argv.index("--only")
        only = argv[at + 1] if at + 1 < len(argv) else None
        argv = argv[:at] + argv[at + 2:]
    if not argv or ("--only" in sys.argv and not only):
        sys.exit("usage: sample_text.py DATA.json [KEY ...] [--only NAME]")
    data = json.load(open(argv[0], encoding="utf-8"))
    out = []
    for key in argv[1:] or list(data):
        walk(data.get(key), out, only, only is None)
    sys.stdout.write("\n\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
