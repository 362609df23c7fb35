#!/usr/bin/env python3
"""Writes the size-scaled seed corpus of each fuzz target into OUT/NAME/:
the same inputs at sizes from small up to the documented limits of
docs/limits.md, and one step past each limit. The seeds are generated, not
committed; ctest replays them through every target (tests/fuzz), and a
fuzzing run can start from them so that mutations reach large inputs:

    python3 fuzz/make_scaled.py build-fuzz/scaled
    ./build-fuzz/fuzz/fuzz_layout -max_len=400000 fuzz/corpus/layout build-fuzz/scaled/layout

usage: make_scaled.py OUT [NAME...]"""
import json
import os
import sys

PARAGRAPH = 32768  # bytes of text in one paragraph
MARKS = 32  # combining marks on one character
CELLS = 10000  # cells in one table
NESTING = 64  # partials nested

out = sys.argv[1]
only = set(sys.argv[2:])
FA = "بیمار با ضایعات پوستی مراجعه کرد "  # 62 bytes of Persian words
EN = "The patient presented with skin lesions "


def fill(unit, size):
    """unit repeated to exactly size bytes of UTF-8 (cut at a character)."""
    text = unit * (size // len(unit.encode()) + 1)
    b = text.encode()[:size]
    return b.decode(errors="ignore")


def texts(scale):
    """Paragraph texts of about scale bytes, each a kind of hostile text."""
    return {
        "fa": fill(FA, scale),
        "en": fill(EN, scale),
        "nospace": "x" * scale,  # emergency breaking
        "hyphens": "a-" * (scale // 2),  # was quadratic in line breaking
        "mg": "5 mg " * (scale // 5),  # unit scanning
        "mixed": fill("دوز 5 mg روزانه IVIG ", scale),
    }


SCALES = [1024, 8192, PARAGRAPH - 64, PARAGRAPH + 64]


def table(rows, cols):
    row = "<tr>" + "<td>1</td>" * cols + "</tr>"
    return "<table>" + row * rows + "</table>"


def marks(n):
    return "a" + "\u0301" * n + " b"


def doc(body, lang="fa"):
    return f'<document lang="{lang}"><section>{body}</section></document>'


def blocks():
    """Markup bodies from small to each limit and just past it."""
    for s in SCALES:
        for kind, t in texts(s).items():
            yield f"p_{kind}_{s}", f"<p>{t}</p>"
    for n in (MARKS, MARKS + 1):
        yield f"marks_{n}", f"<p>{marks(n)}</p>"
    for rows, cols in ((10, 10), (100, 10), (1000, 10), (100, 100), (1001, 10)):
        yield f"table_{rows}x{cols}", table(rows, cols)
    for n in (10, 100, 1000):
        yield f"pages_{n}", "<p>x</p><page-break/>" * n
    for n in (100, 1000):
        yield f"paragraphs_{n}", f"<p>{EN * 4}</p>" * n
    depth = 200  # boxes nested: the markup parser's own depth
    yield f"boxes_{depth}", "<box>" * depth + "<p>x</p>" + "</box>" * depth


def write(name, key, data):
    if only and name not in only:
        return
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, key), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


for key, body in blocks():
    write("markup", key, doc(body))
    write("layout", key, doc(body))

# The paragraph engine: 4 option bytes (direction, width, split, digits).
for s in SCALES:
    for kind, t in texts(s).items():
        b = t.encode()
        write("paragraph", f"{kind}_{s}", bytes([0x01, 200, 100, 1]) + b)
        write("paragraph", f"{kind}_{s}_narrow", bytes([0x22, 3, 7, 0]) + b)
for n in (MARKS, MARKS + 1):
    write("paragraph", f"marks_{n}", bytes([0, 200, 0, 0]) + marks(n).encode())

# Templates: sections that multiply, up to the step budget (64 MiB) and
# past it; partials nested to the limit and past it. Half the input is
# also read as data by fuzz_template, so the data rides in the second half.
for n in (10, 100, 400):
    t = "{{#a}}{{#a}}{{#a}}x{{/a}}{{/a}}{{/a}}"
    data = json.dumps({"a": list(range(n))})
    write("template", f"nest3_{n}", t + data)
    write("template", f"empty4_{n}", "{{#a}}{{#a}}{{#a}}{{#a}}{{/a}}{{/a}}{{/a}}{{/a}}" + data)
for n in (NESTING - 2, NESTING + 2):
    # fuzz_template's partial p recurses once per element of a.
    nested = {"a": None}
    for _ in range(n):
        nested = {"a": [nested]}
    write("template", f"partials_{n}", "{{>p}}" + json.dumps(nested))
for s in (1024, 65536, 1 << 20):
    write("template", f"text_{s}", "{{x}}" * (s // 5))

# End to end: a flag byte, then JSON data for the fixed template (fuzz_render.c).
def render(key, data, flags=3, template=None):
    body = json.dumps(data, ensure_ascii=False).encode()
    if template is not None:
        body = template.encode() + b"\0" + body
    write("render", key, bytes([flags]) + body)


figures = [{"src": s, "caption": "c", "width": "20mm"} for s in ("a.png", "b.jpg", "c.svg")]
for s in SCALES:
    for kind, t in texts(s).items():
        render(f"para_{kind}_{s}", {"title": "t", "paragraphs": [t], "figures": figures})
    unit = "<b>ب</b> <i>x</i> "
    render(f"raw_{s}", {"raw": unit * (s // 5)})  # 5 bytes of text a unit
for n in (10, 1000, CELLS // 2, CELLS // 2 + 1):
    # two cells a row, plus the header row
    render(f"rows_{n}", {"table": True, "rows": [{"a": "x", "b": i} for i in range(n - 1)]})
for n in (10, 100, 1000):
    render(f"figures_{n}", {"figures": figures * n}, flags=3)
render("figures_png", {"figures": figures}, flags=3 | 4)
render("items_1000", {"list": True, "items": ["li"] * 1000})
render("paragraphs_1000", {"paragraphs": [EN * 4] * 1000})
render("pages_1000", {"raw": "x</p><page-break/><p>" * 1000})
for n in (10, 100, 400):
    render(f"template_nest3_{n}", {"a": list(range(n))}, flags=0,
           template="<document><section><p>{{#a}}{{#a}}{{#a}}x {{/a}}{{/a}}{{/a}}</p></section></document>")
