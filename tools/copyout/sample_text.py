#!/usr/bin/env python3
"""The text a sample's data puts on the page, for copyout.sh to score: every
string of DATA.json that holds Persian letters, in document order, one
paragraph each (blank-line separated), optionally only under the top-level
keys named.

  sample_text.py DATA.json [KEY ...] [--only NAME] [--skip NAME] [--items NAME] > SOURCE.txt

Strings keyed "en" are left out (the Persian page does not show them).
--only NAME keeps the strings found under a key NAME at any depth (the case
report's prose is `sections --only paragraphs`: no headings, table cells or
captions). --skip NAME leaves out those under a key NAME. --items NAME
keeps only the items of the lists under a key NAME, one paragraph per item
(all its strings, a line each): the case report's floats are `sections
--items tables --items figures`, its text around them `sections --skip
tables --skip figures` (copyout.sh --floats). Each option may be repeated."""
import json
import sys


def persian(s):
    return any("\u0600" <= c <= "\u06ff" for c in s)


def walk(x, out, opts, inside):
    if isinstance(x, str):
        if persian(x) and inside:
            out.append(x)
    elif isinstance(x, list):
        for y in x:
            walk(y, out, opts, inside)
    elif isinstance(x, dict):
        for k, v in x.items():
            if k == "en" or k in opts["skip"]:
                continue
            if k in opts["items"] and isinstance(v, list):
                for item in v:
                    block = []
                    walk(item, block, opts, True)
                    if block:
                        out.append("\n".join(block))
            elif k not in opts["items"]:
                walk(v, out, opts, inside or k in opts["only"])


def main(argv):
    opts = {"only": set(), "skip": set(), "items": set()}
    rest = []
    it = iter(argv)
    for a in it:
        if a in ("--only", "--skip", "--items"):
            name = next(it, None)
            if not name:
                sys.exit(f"sample_text.py: {a} wants a key name")
            opts[a[2:]].add(name)
        else:
            rest.append(a)
    if not rest:
        sys.exit("usage: sample_text.py DATA.json [KEY ...] [--only NAME] [--skip NAME] "
                 "[--items NAME]")
    data = json.load(open(rest[0], encoding="utf-8"))
    out = []
    everything = not opts["only"] and not opts["items"]
    for key in rest[1:] or list(data):
        walk(data.get(key), out, opts, everything)
    sys.stdout.write("\n\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
