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

With --paragraphs, each paragraph of the source (blocks separated by a blank
line) is also scored on its own: the share of its words that come back in
order. Paragraphs may come back in another order than the source's (a
figure caption floats, a table's cells follow its caption): each is placed
where the window of the output that holds most of its words starts, the
paragraphs are put in that order, and a paragraph's share is the part of its
words that the longest common subsequence of that text and the output keeps.
A paragraph whose lines are interleaved with others (columns read across) or
cut and turned around (a page read left to right) loses words. The mean and
the worst paragraph are printed per extractor (para=MEAN/WORST), and
--min-para NAME=MEAN/WORST,... gates them. --para-source FILE takes the
paragraphs from FILE instead of SOURCE (the case report's prose, while
SOURCE holds every string of its sections, table cells included).

--floats FILE: tables and figures, one block each (blank-line separated),
that are not in SOURCE. A layout may move a float away from the text that
leads to it (to the top of the next column or page), and a reader who
copies that page gets it where it stands: each block is placed where the
window of the output that holds most of its words starts, among SOURCE's
words as the output has them, and the words and exact figures are taken
over SOURCE with the blocks so placed. A float must still come back whole
and in order: its cells read in the wrong order, or its lines interleaved
with the text beside it, lose words as any paragraph does.
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


def aligned(a, b):
    """Which positions of a the longest common subsequence of a and b keeps."""
    return [j is not None for j in matched(a, b)]


def matched(a, b):
    """Where in b each position of a is matched by the longest common
    subsequence of a and b (None: not kept): the bit-parallel rows of
    common(), kept, then walked back (a[:i] against b[:j] has as many in
    common as row j has zero bits below bit i)."""
    where = {}
    for i, x in enumerate(a):
        where[x] = where.get(x, 0) | 1 << i
    full = (1 << len(a)) - 1
    rows = [full]
    for y in b:
        row = rows[-1]
        hit = row & where.get(y, 0)
        rows.append(((row + hit) | (row - hit)) & full)

    def lcs(i, j):
        return bin(~rows[j] & ((1 << i) - 1)).count("1")

    kept = [None] * len(a)
    i, j = len(a), len(b)
    while i > 0 and j > 0:
        here = lcs(i, j)
        if a[i - 1] == b[j - 1] and here == lcs(i - 1, j - 1) + 1:
            kept[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif lcs(i, j - 1) == here:
            j -= 1
        else:
            i -= 1
    return kept


def paragraphs(src):
    """The words of each paragraph of src (blank-line separated, non-empty)."""
    return [w for w in (words(p) for p in re.split(r"\n[ \t]*\n", src)) if w]


def found_at(para, out, after):
    """Where a window of out as long as the paragraph that holds most of its
    words starts: the first such window at or after `after` (where the
    paragraph before it was found), else the first of all (a short table
    cell's words also occur elsewhere)."""
    need = {}
    for w in para:
        need[w] = need.get(w, 0) + 1
    size = len(para)
    have, hits, starts = {}, 0, []
    for j, w in enumerate(out):
        if w in need:
            have[w] = have.get(w, 0) + 1
            hits += have[w] <= need[w]
        if j >= size:
            old = out[j - size]
            if old in need:
                hits -= have[old] <= need[old]
                have[old] -= 1
        starts.append((hits, max(0, j - size + 1)))
    best = max((h for h, _ in starts), default=0)
    at = [st for h, st in starts if h == best]
    return next((st for st in at if st >= after), at[0] if at else 0)


def per_paragraph(paras, out):
    """Each paragraph's share of words kept in order, %, in source order."""
    where, after = [], 0
    for p in paras:
        after = found_at(p, out, after)
        where.append(after)
    order = sorted(range(len(paras)), key=lambda k: (where[k], k))
    kept = aligned([w for k in order for w in paras[k]], out)
    shares, at = [0.0] * len(paras), 0
    for k in order:
        shares[k] = 100.0 * sum(kept[at:at + len(paras[k])]) / len(paras[k])
        at += len(paras[k])
    return shares


def with_floats(src, floats, out):
    """src (a list of tokens) with each float (a list of tokens) put where
    the output holds it: after the last token of src that the output has
    before the float's window."""
    at_out = matched(src, out)
    placed = []
    for f in floats:
        start = found_at(f, out, 0)
        before = [i for i, j in enumerate(at_out) if j is not None and j < start]
        placed.append((before[-1] + 1 if before else 0, f))
    seq, done = [], 0
    for at, f in sorted(placed, key=lambda p: p[0]):
        seq += src[done:at] + f
        done = at
    return seq + src[done:]


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


def parse_min_para(spec):
    need = {}
    for part in spec.split(","):
        name, _, value = part.partition("=")
        mean, _, worst = value.partition("/")
        if name not in EXTRACTORS:
            sys.exit(f"copyout: unknown extractor '{name}' (known: {', '.join(EXTRACTORS)})")
        try:
            need[name] = (float(mean), float(worst or 0))
        except ValueError:
            sys.exit(f"copyout: --min-para wants NAME=MEAN/WORST, not '{part}'")
    return need


def main(argv):
    need, show, files = dict.fromkeys(GATED, 99.0), None, []
    by_para, need_para, para_src, need_exact = False, {}, None, {}
    floats_src = None
    it = iter(argv)
    for a in it:
        if a == "--min":
            need = parse_min(next(it, ""))
        elif a == "--min-exact":
            need_exact = parse_min(next(it, ""))
        elif a == "--paragraphs":
            by_para = True
        elif a == "--min-para":
            by_para, need_para = True, parse_min_para(next(it, ""))
        elif a == "--floats":
            floats_src = next(it, None)
        elif a == "--para-source":
            by_para, para_src = True, next(it, None)
        elif a == "--show":
            show = next(it, "")
            if show not in EXTRACTORS:
                sys.exit(f"copyout: unknown extractor '{show}' (known: {', '.join(EXTRACTORS)})")
        else:
            files.append(a)
    if len(files) != 2:
        sys.exit("usage: copyout.sh SOURCE.txt FILE.pdf [--min PCT|NAME=PCT,...] [--show NAME]\n"
                 "       [--min-exact NAME=PCT,...] [--paragraphs]\n"
                 "       [--min-para NAME=MEAN/WORST,...] [--para-source FILE]\n"
                 "       [--floats FILE]")
    src_path, pdf = files
    src = open(src_path, encoding="utf-8").read()
    psrc = open(para_src, encoding="utf-8").read() if para_src else src
    blocks = []
    if floats_src:
        blocks = [b for b in re.split(r"\n[ \t]*\n", open(floats_src, encoding="utf-8").read())
                  if words(b)]
    if show:
        out = EXTRACTORS[show](pdf)
        print(out)
        b = words(out)
        a = with_floats(words(src), [words(f) for f in blocks], b)
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in [o for o in ops if o[0] != "equal"][:40]:
            print(f"{op}: {' '.join(a[i1:i2])[:70]}  =>  {' '.join(b[j1:j2])[:70]}")
        if by_para:
            paras = paragraphs(psrc)
            shares = per_paragraph(paras, b)
            worst = sorted(range(len(paras)), key=lambda k: shares[k])[:8]
            for k in worst:
                print(f"paragraph {k + 1}: {shares[k]:.1f} %  {' '.join(paras[k])[:60]}")
        return 0
    src_words, src_tokens = words(src), tokens(src)
    src_forms = len(FORMS.findall(src)) + sum(len(FORMS.findall(f)) for f in blocks)
    paras = paragraphs(psrc) if by_para else []
    ok, parts = True, []
    for name, extract in EXTRACTORS.items():
        out = extract(pdf)
        out_words, out_tokens = words(out), tokens(out)
        w = share(with_floats(src_words, [words(f) for f in blocks], out_words), out_words)
        e = share(with_floats(src_tokens, [tokens(f) for f in blocks], out_tokens), out_tokens)
        forms = max(0, len(FORMS.findall(out)) - src_forms)
        part = f"{name}={w:.1f}/{e:.1f}"
        if paras:
            shares = per_paragraph(paras, out_words)
            mean, worst = sum(shares) / len(shares), min(shares)
            part += f" para={mean:.1f}/{worst:.1f}"
            floor = need_para.get(name)
            if floor and (mean < floor[0] or worst < floor[1]):
                ok = False
        parts.append(part + (f" forms={forms}" if forms else ""))
        if name in need and (w < need[name] or forms):
            ok = False
        if name in need_exact and e < need_exact[name]:
            ok = False
    print("copy-out (words/exact %): " + " ".join(parts))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
