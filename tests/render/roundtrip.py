#!/usr/bin/python3
"""Round trip: the seed's Persian paragraphs (and a sentence with ZWNJ,
lam-alef and ezafe words) typeset with `varaq text` and read back with
poppler's pdftotext give the same words in the same order, and named words
byte for byte.

usage: roundtrip.py   (env: VQ_BINARY, VQ_SOURCE_DIR)
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from copytext import BIDI, in_order, typeset_and_read, words  # noqa: E402

SEED = os.path.join(os.environ.get("VQ_SOURCE_DIR", "."), "samples", "scleromyxedema-ivig",
                    "article.txt")
EXTRA = "این پروندهٔ بیمار نشان می‌دهد که علائم بیماری با درمان بهتر می‌شود و لازم نیست لایه‌ها را برداریم."
EXACT = ["می\u200cشود", "علائم", "پرونده\u0654", "لازم", "لایه\u200cها"]
ARABIC = re.compile("[\u0600-\u06ff]")
LATIN = re.compile("[A-Za-z]")


def check(binary, source, font, min_share=1.0):
    """Typesets source in font; returns the problems found (empty: none).
    min_share < 1 accepts that share of the words back in order instead of all
    of them."""
    problems = []
    out = typeset_and_read(binary, source, "--dir", "auto", "--align", "justify", "--font", font)
    got, want = words(out), words(source)
    share = in_order(want, got) / len(want)
    if min_share < 1.0 and share < min_share:
        problems.append(f"{font}: {100 * share:.1f} % of the words back in order, "
                        f"want {100 * min_share:.1f} %")
    elif min_share == 1.0 and got != want:
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                problems.append(f"{font}: word {i}: got {g!r}, want {w!r}; context: "
                                f"{' '.join(want[max(0, i - 3):i + 3])}")
                break
        problems.append(f"{font}: {len(got)} words back, {len(want)} written")
    plain = out.translate(BIDI).split()
    for w in EXACT:
        if w not in plain and w + "." not in plain:
            problems.append(f"{font}: missing exact word {w!r} ({w.encode('utf-8').hex()})")
    if re.search("[\ufb50-\ufdff\ufe70-\ufefe]", out):
        problems.append(f"{font}: presentation forms in the extracted text")
    return problems


def main():
    binary = os.environ["VQ_BINARY"]
    paragraphs = [p.strip() for p in open(SEED, encoding="utf-8").read().split("\n\n")]
    # Persian paragraphs with no Latin letters: their words come back in order.
    persian = [p for p in paragraphs if ARABIC.search(p) and not LATIN.search(p)]
    assert len(persian) >= 20, len(persian)
    source = "\n\n".join(persian + [EXTRA]) + "\n"
    # The default Persian face: every word. Amiri, the Naskh face, moves
    # letters sideways with GPOS offsets and pdftotext parts a word at such a
    # gap ("تحر یک", docs/copyout.md): 97 % there, named words exact.
    problems = check(binary, source, "Vazirmatn") + check(binary, source, "Amiri", 0.97)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
