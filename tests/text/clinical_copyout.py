#!/usr/bin/python3
"""Copy-out of tests/text/clinical_fa.txt: the Persian clinical sentences
typeset with `varaq text` (one paragraph each, right to left, justified) in
each bundled face and read back with poppler's pdftotext give their words
in order (longest common subsequence over the whole file, words as in
tests/render/roundtrip.py), and every number token of the source comes back
as a word of its own (digits whole, separators kept).

usage: clinical_copyout.py   (env: VQ_BINARY, VQ_SOURCE_DIR)
"""
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

ROOT = os.environ.get("VQ_SOURCE_DIR", ".")
SOURCE = os.path.join(ROOT, "tests", "text", "clinical_fa.txt")
BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
                     None)
# Digit groups joined by the separators a number holds.
NUMBER = re.compile(r"[0-9\u06f0-\u06f9]+(?:[/.,:\u066b\u066c][0-9\u06f0-\u06f9]+)*")
# Floors (words in order, number tokens back whole), measured with poppler
# 22.02 when numbers became isolated phrases: Vazirmatn 100 % / 83 of 85,
# Amiri 98.6 % / 83, Noto Serif (Persian from the fallback face) 93.5 % / 81
# (before: 96.2 / 78, 94.8 / 78, 89.1 / 76). Still lost: "۰، ۱" comes back
# as "،۰۱" and the bare range "۲-۶" as "۲۶" (the hyphen apart). Raise them when
# copy-out improves.
FLOORS = {"Vazirmatn": (0.995, 0.97), "Amiri": (0.98, 0.97), "Noto Serif": (0.93, 0.95)}


def words(text):
    out = []
    for tok in unicodedata.normalize("NFC", text).translate(BIDI).split():
        tok = "".join(c for c in tok if unicodedata.category(c)[0] in "LMN" or c == "\u200c")
        if tok:
            out.append(tok)
    return out


def in_order(a, b):
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def main():
    binary = os.environ.get("VQ_BINARY", "build/varaq")
    sentences = [s for s in open(SOURCE, encoding="utf-8").read().split("\n") if s.strip()]
    source = "\n\n".join(sentences) + "\n"
    numbers = NUMBER.findall(source)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "clinical.txt")
        open(src, "w", encoding="utf-8").write(source)
        for face, (floor_words, floor_numbers) in FLOORS.items():
            pdf = os.path.join(tmp, "clinical.pdf")
            subprocess.run([binary, "text", src, "-o", pdf, "--dir", "rtl", "--align", "justify",
                            "--width", "120", "--font", face], check=True)
            out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True,
                                 capture_output=True, text=True).stdout
            want, got = words(source), words(out)
            share = in_order(want, got) / len(want)
            back = NUMBER.findall(out.translate(BIDI))
            pool = list(back)
            whole = 0
            for n in numbers:
                if n in pool:
                    pool.remove(n)
                    whole += 1
            nshare = whole / len(numbers)
            print("%s: %.1f %% of %d words in order, %d of %d number tokens whole" %
                  (face, 100 * share, len(want), whole, len(numbers)))
            if share < floor_words or nshare < floor_numbers:
                missing = [n for n in numbers if n not in back]
                print("FAIL %s: below the floor (%.2f words, %.2f numbers); numbers not back: %s" %
                      (face, floor_words, floor_numbers, missing[:10]))
                failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
