#!/usr/bin/env python3
"""Kashida and hyphenation through the CLI and the markup.

- A justified Persian text (the sample article's first Persian paragraphs)
  with kashida on lengthens words, and they copy out exactly as with
  kashida off once the invisible ZWJ (the text of a tatweel glyph, drawn
  where the face has no kashida composite for the letter) is left aside (poppler's pdftotext, in order; bidi
  marks and punctuation aside, which poppler places differently at line
  ends that moved). A word that took tatweels is wider in poppler's word
  boxes than the same word with kashida off. With kashida off the only ZWJ
  is Amiri's own tatweel after a lam (lam before kaf).
- In Vazirmatn every kashida of that text is a composite glyph (the letter
  with its stroke, fonts/convert.py): no ZWJ at all, the words copy out
  exactly as with kashida off.
- Every tatweel sits inside a word: no copied word starts or ends with ZWJ.
- No word of fewer than three letters takes a kashida.
- kashida="off" and hyphenate="off" in markup turn them off; a bad value is
  an error at its place.
"""
import os, re, subprocess, sys, tempfile

varaq = os.environ["VQ_BINARY"]
src = os.environ["VQ_SOURCE_DIR"]
tmp = tempfile.mkdtemp()
fails = []


def run(*args, ok=True):
    r = subprocess.run([varaq, *args], capture_output=True, text=True)
    if ok and r.returncode != 0:
        sys.exit(f"FAIL varaq {' '.join(args)}: exit {r.returncode}: {r.stderr}")
    return r


def text_of(pdf):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True,
                          text=True, check=True).stdout


MARKS = r"[\u061c\u200d\u200e\u200f\u202a-\u202e.,:;\u060c\u061b()\u00ab\u00bb]"


def word_boxes(pdf):
    """Poppler's words, marks and punctuation left aside, each with its width (pt)."""
    xhtml = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-"],
                           capture_output=True, text=True, check=True).stdout
    out = []
    for x0, x1, w in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" '
                                r'yMax="[\d.]+">([^<]*)</word>', xhtml):
        w = "".join(re.sub(MARKS, "", w).split())
        if w:
            out.append((w, float(x1) - float(x0)))
    return out


def lengthened(on, off):
    """The words drawn wider (by over 0.5 pt) with kashida on than the same
    occurrence of the word with kashida off (poppler lists the words of
    lines whose ends moved in another order); None when the two PDFs do not
    give the same words."""
    widths = {}
    for w, x in word_boxes(off):
        widths.setdefault(w, []).append(x)
    longer = []
    for w, x in word_boxes(on):
        if not widths.get(w):
            return None
        if x > widths[w].pop(0) + 0.5:
            longer.append(w)
    return longer if not any(widths.values()) else None


article = open(os.path.join(src, "samples/scleromyxedema-ivig/article.txt"), encoding="utf-8").read()
paras = [p for p in article.split("\n\n")
         if sum("\u0600" <= c <= "\u06ff" for c in p) > 0.9 * sum(c.isalpha() for c in p)
         and not re.search(r"[A-Za-z]", p) and len(p.split()) >= 20]
assert paras, "no plain Persian paragraphs in the sample"
body = os.path.join(tmp, "fa.txt")
open(body, "w", encoding="utf-8").write("\n\n".join(paras))

for font in ("Vazirmatn", "Amiri"):
    on, off = os.path.join(tmp, f"on-{font}.pdf"), os.path.join(tmp, f"off-{font}.pdf")
    run("text", body, "-o", on, "--dir", "rtl", "--align", "justify", "--font", font, "--width", "90")
    run("text", body, "-o", off, "--dir", "rtl", "--align", "justify", "--font", font, "--width", "90",
        "--kashida", "off")
    t_on, t_off = text_of(on), text_of(off)
    longer = lengthened(on, off)
    n = len(longer or [])
    if n < 10:
        fails.append(f"{font}: only {n} words lengthened with kashida on")
    # Amiri draws lam before kaf with a tatweel of its own shaping, which
    # copies out as the kashida tatweel does (ZWJ after the lam): no other.
    if re.search("(?<!\u0644)\u200d", t_off):
        fails.append(f"{font}: tatweels with --kashida off")
    # Bidi marks and punctuation poppler puts differently at line ends
    # (where kashida moved a break) are left aside: letters must match.
    def words(t):
        return re.sub(r"[\u061c\u200e\u200f\u202a-\u202e.,:;\u060c\u061b]", " ", t).split()
    w_on = words(t_on.replace("\u200d", ""))
    w_off = words(t_off.replace("\u200d", ""))
    if w_on != w_off:
        diff = [(a, b) for a, b in zip(w_on, w_off) if a != b][:5]
        fails.append(f"{font}: words differ with kashida on: {diff} ({len(w_on)} vs {len(w_off)})")
    edge = [w for w in t_on.split() if w.startswith("\u200d") or w.endswith("\u200d")]
    if edge:
        fails.append(f"{font}: tatweel at a word's edge: {edge[:3]}")
    # A word of one or two letters (از, با, در) is never lengthened: a
    # kashida there reads as a gap, not as a stretched word.
    short = [w for w in longer or [] if sum(c.isalpha() for c in w) < 3]
    if short:
        fails.append(f"{font}: kashida in words of fewer than three letters: {short[:5]}")
    # Vazirmatn has a composite for every letter form a kashida lengthens
    # here: the word's text is its letters alone.
    if font == "Vazirmatn" and "\u200d" in t_on:
        fails.append(f"{font}: {t_on.count(chr(0x200d))} ZWJ with kashida on (a tatweel glyph, "
                     "not a composite): " + str([w for w in t_on.split() if "\u200d" in w][:3]))
    print(f"{font}: {n} words lengthened, {t_on.count(chr(0x200d))} ZWJ, "
          f"{len(w_on)} words the same as without kashida")

# The switches in markup.
para = " ".join(" ".join(paras).split()[:80])
def doc(attrs):
    return (f'<document lang="fa" dir="rtl"><page size="A5"/><section>'
            f'<p align="justify" {attrs}>{para}</p></section></document>')
x = os.path.join(tmp, "d.xml")
plain = os.path.join(tmp, "plain.pdf")
open(x, "w", encoding="utf-8").write(doc('kashida="off" hyphenate="off"'))
run("render", x, "-o", plain)
for attrs, want in (("", True), ('kashida="off"', False), ('kashida="on" hyphenate="off"', True)):
    open(x, "w", encoding="utf-8").write(doc(attrs))
    run("render", x, "-o", os.path.join(tmp, "d.pdf"))
    has = bool(lengthened(os.path.join(tmp, "d.pdf"), plain))
    if has != want:
        fails.append(f"markup {attrs or '(default)'}: tatweels {has}, expected {want}")
x = os.path.join(tmp, "bad.xml")
open(x, "w", encoding="utf-8").write(doc('kashida="maybe"'))
r = run("render", x, "-o", os.path.join(tmp, "bad.pdf"), ok=False)
if r.returncode != 1 or "kashida=\"maybe\"" not in r.stderr or "1:" not in r.stderr:
    fails.append(f"bad kashida value: exit {r.returncode}, {r.stderr.strip()!r}")
r = run("text", body, "-o", os.path.join(tmp, "x.pdf"), "--kashida", "maybe", ok=False)
if r.returncode != 2 or "--kashida must be on or off" not in r.stderr:
    fails.append(f"--kashida maybe: exit {r.returncode}, {r.stderr.strip()!r}")

for f in fails:
    print("FAIL", f)
sys.exit(1 if fails else 0)
