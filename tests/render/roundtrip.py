#!/usr/bin/python3
"""Round trip: the seed's Persian paragraphs (and a sentence with ZWNJ,
lam-alef and ezafe words) typeset with `varaq text` and read back with
poppler's pdftotext give the same words in the same order, and named words
byte for byte.

usage: roundtrip.py   (env: VQ_BINARY, VQ_SHARED_DIR)
"""
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

SEED = os.path.join(os.environ.get("VQ_SHARED_DIR", "../shared"), "seed",
                    "000_2066f89c7301a210.txt")
EXTRA = "این پروندهٔ بیمار نشان می‌دهد که علائم بیماری با درمان بهتر می‌شود و لازم نیست لایه‌ها را برداریم."
EXACT = ["می\u200cشود", "علائم", "پرونده\u0654", "لازم", "لایه\u200cها"]
BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)
ARABIC = re.compile("[\u0600-\u06ff]")
LATIN = re.compile("[A-Za-z]")


def words(text):
    out = []
    for tok in unicodedata.normalize("NFC", text).translate(BIDI).split():
        tok = "".join(c for c in tok if unicodedata.category(c)[0] in "LMN" or c == "\u200c")
        if tok:
            out.append(tok)
    return out


def main():
    binary = os.environ["VQ_BINARY"]
    paragraphs = [p.strip() for p in open(SEED, encoding="utf-8").read().split("\n\n")]
    # Persian paragraphs with no Latin letters: their words come back in order.
    persian = [p for p in paragraphs if ARABIC.search(p) and not LATIN.search(p)]
    assert len(persian) >= 20, len(persian)
    source = "\n\n".join(persian + [EXTRA]) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "persian.txt")
        pdf = os.path.join(tmp, "persian.pdf")
        open(src, "w", encoding="utf-8").write(source)
        subprocess.run([binary, "text", src, "-o", pdf, "--dir", "auto", "--align", "justify"],
                       check=True)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True,
                             capture_output=True, text=True).stdout
    got, want = words(out), words(source)
    failed = False
    if got != want:
        failed = True
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                print(f"word {i}: got {g!r}, want {w!r}; context: {' '.join(want[max(0, i - 3):i + 3])}")
                break
        print(f"{len(got)} words back, {len(want)} written")
    plain = out.translate(BIDI)
    for w in EXACT:
        if w not in plain.split() and w + "." not in plain.split():
            print(f"missing exact word {w!r} ({w.encode('utf-8').hex()})")
            failed = True
    if re.search("[\ufb50-\ufdff\ufe70-\ufefe]", out):
        print("presentation forms in the extracted text")
        failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
