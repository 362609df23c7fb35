#!/usr/bin/env python3
"""Copy-out score: how many of a source text's words come back, in order, from
each extractor's text of a PDF (run through copyout.sh, which installs the npm
extractors first; see its header for the options).

Two figures per extractor, both the longest common subsequence of the
source's tokens and the extracted tokens, as a share of the source's tokens:
  words  each token reduced to its letters, marks and digits (punctuation and
         ZWNJ ignored: an extractor that moves a full stop keeps the word);
  exact  whole tokens, punctuation and ZWNJ included.
Both ignore bidi controls (an extractor may add RLM/LRM) and compare NFC.
Arabic presentation forms in the output that the source does not hold are
counted: a correct PDF never yields them, and any fails the gate.
"""
import difflib
import os
import re
import subprocess
import sys
import unicodedata

TOOLS = os.environ.get("VARAQ_COPYOUT_TOOLS", "")
CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                  "\u2066\u2067\u2068\u2069\ufeff"), None)
FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"copyout: {' '.join(cmd[:2])} failed: {r.stderr.strip()[:400]}")
    return r.stdout


def node(engine):
    return lambda pdf: run(["node", os.path.join(TOOLS, "extract.mjs"), engine, pdf])


EXTRACTORS = {
    "pdftotext": lambda pdf: run(["pdftotext", "-enc", "UTF-8", pdf, "-"]),
    "pdf.js": node("pdf.js"),
    "pdfium": node("pdfium"),
    "mupdf": node("mupdf"),
    # Debian 12's MuPDF 1.21 reads RTL glyphs in content-stream order, the
    # opposite of what pdf.js needs: reported, never gated.
    "mutool": lambda pdf: run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf]),
}
GATED = ["pdftotext", "pdf.js", "pdfium", "mupdf"]


def tokens(text):
    return unicodedata.normalize("NFC", text).translate(CONTROLS).split()


def words(text):
    out = []
    for tok in tokens(text):
        tok = "".join(c for c in tok if unicodedata.category(c)[0] in "LMN")
        if tok:
            out.append(tok)
    return out


def common(a, b):
    """Length of the longest common subsequence of a and b, bit-parallel
    (Hyyro 2004: one big-integer step per token of b, so a whole article
    scores in milliseconds)."""
    where = {}
    for i, x in enumerate(a):
        where[x] = where.get(x, 0) | 1 << i
    full = (1 << len(a)) - 1
    row = full
    for y in b:
        hit = row & where.get(y, 0)
        row = ((row + hit) | (row - hit)) & full
    return len(a) - bin(row).count("1")


def share(src, out):
    return 100.0 * common(src, out) / max(1, len(src))


def parse_min(spec):
    if "=" not in spec:
        return dict.fromkeys(GATED, float(spec))
    need = {}
    for part in spec.split(","):
        name, _, value = part.partition("=")
        if name not in EXTRACTORS:
            sys.exit(f"copyout: unknown extractor '{name}' (known: {', '.join(EXTRACTORS)})")
        need[name] = float(value)
    return need


def main(argv):
    need, show, files = dict.fromkeys(GATED, 99.0), None, []
    it = iter(argv)
    for a in it:
        if a == "--min":
            need = parse_min(next(it, ""))
        elif a == "--show":
            show = next(it, "")
            if show not in EXTRACTORS:
                sys.exit(f"copyout: unknown extractor '{show}' (known: {', '.join(EXTRACTORS)})")
        else:
            files.append(a)
    if len(files) != 2:
        sys.exit("usage: copyout.sh SOURCE.txt FILE.pdf [--min PCT|NAME=PCT,...] [--show NAME]")
    src_path, pdf = files
    src = open(src_path, encoding="utf-8").read()
    if show:
        out = EXTRACTORS[show](pdf)
        print(out)
        a, b = words(src), words(out)
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in [o for o in ops if o[0] != "equal"][:40]:
            print(f"{op}: {' '.join(a[i1:i2])[:70]}  =>  {' '.join(b[j1:j2])[:70]}")
        return 0
    src_words, src_tokens = words(src), tokens(src)
    src_forms = len(FORMS.findall(src))
    ok, parts = True, []
    for name, extract in EXTRACTORS.items():
        out = extract(pdf)
        w, e = share(src_words, words(out)), share(src_tokens, tokens(out))
        forms = max(0, len(FORMS.findall(out)) - src_forms)
        parts.append(f"{name}={w:.1f}/{e:.1f}" + (f" forms={forms}" if forms else ""))
        if name in need and (w < need[name] or forms):
            ok = False
    print("copy-out (words/exact %): " + " ".join(parts))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
