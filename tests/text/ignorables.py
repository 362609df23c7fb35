#!/usr/bin/python3
"""Default-ignorable characters draw nothing and move nothing, in every
bundled face, and ZWNJ still copies out.

Each line is typeset twice with `varaq text` (once as written, once with the
ignorables left out), rasterised with pdftoppm, and the pixels must be the
same. The ignorables sit where they change neither joining nor ligatures
(after a letter that never joins to the left, between words, around Latin),
so any difference is ink or width of their own.

usage: ignorables.py   (env: VQ_BINARY)
"""
import os
import subprocess
import sys
import tempfile

ZWNJ, ZWJ, WJ, ZWSP, BOM, CGJ = "\u200c", "\u200d", "\u2060", "\u200b", "\ufeff", "\u034f"
LRI, RLI, FSI, PDI, LRM, RLM = "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"
IGNORABLES = set(ZWNJ + ZWJ + WJ + ZWSP + BOM + CGJ + LRI + RLI + FSI + PDI + LRM + RLM +
                 "\u180e\u2061\u2062\u2063\u2064\ufe0f")

# (direction, line): every ignorable may be removed without changing joins
# or bidi levels (isolates hold text of the level it has anyway; LRM/RLM
# only where they agree with their neighbours), so that the runs are the
# same too.
LINES = [
    ("rtl", "دارو" + ZWNJ + "ها و " + "داد" + ZWNJ + "ند " + WJ + "را" + WJ + " و " + LRI +
     "IVIG" + PDI + " ده آرد" + ZWSP + "ها"),
    ("rtl", "ورود" + ZWNJ + " دو" + ZWJ + " " + BOM + "روز" + CGJ + " و ۱۲ " + RLM + "درد" +
     "\u2061" + "ها" + RLM + " رود"),
    ("ltr", "dose" + ZWNJ + " a" + WJ + "b c" + ZWJ + "d e" + ZWSP + "f g" + CGJ + "h " + RLI +
     "زرد" + PDI + " i " + FSI + "ده" + PDI + " x" + LRM + " 5" + "\u2062" + "0 mg" + "\u180e"),
]
FACES = ["Vazirmatn", "Amiri", "Noto Serif"]


def strip(s):
    return "".join(c for c in s if c not in IGNORABLES)


def pixels(binary, tmp, name, text, direction, face):
    src = os.path.join(tmp, name + ".txt")
    pdf = os.path.join(tmp, name + ".pdf")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    subprocess.run([binary, "text", src, "-o", pdf, "--dir", direction, "--font", face,
                    "--size", "20"], check=True)
    png = subprocess.run(["pdftoppm", "-r", "150", "-gray", "-y", "0", "-H", "300", pdf],
                         check=True, capture_output=True).stdout
    text_out = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True).stdout
    return png, text_out.decode("utf-8")


def main():
    binary = os.environ.get("VQ_BINARY", "build/varaq")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for face in FACES:
            for i, (direction, line) in enumerate(LINES):
                key = "%s-%d" % (face.replace(" ", ""), i)
                a, text_a = pixels(binary, tmp, key + "a", line, direction, face)
                b, _ = pixels(binary, tmp, key + "b", strip(line), direction, face)
                if a != b:
                    diff = sum(1 for x, y in zip(a, b) if x != y) + abs(len(a) - len(b))
                    print("FAIL %s line %d: %d bytes of pixels differ with the ignorables" %
                          (face, i, diff))
                    failures += 1
                if ZWNJ in line and ZWNJ not in text_a:
                    print("FAIL %s line %d: ZWNJ does not copy out: %r" % (face, i, text_a))
                    failures += 1
    if failures:
        return 1
    print("ok: %d lines x %d faces draw the same with and without ignorables" %
          (len(LINES), len(FACES)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
