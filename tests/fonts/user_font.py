#!/usr/bin/python3
"""A user's TrueType face (--font-path, VARAQ_FONT_PATH) is embedded like the
bundled faces: one CID-keyed CFF font resource, not Cairo 1.16's pair of an
8-bit TrueType subset and a CID TrueType subset (PDF viewers break copied
text at each switch between the two). Measured with Debian's Noto Sans
Arabic (fonts-noto-core): the text copied out by pdftotext comes back in
order, numbers and dates included; `500 mg/day` is drawn whole in the face
its Latin letters fall back to (Noto Sans Arabic has none), so it reads back
in order too.

usage: user_font.py   (env: VQ_BINARY)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

BINARY = os.environ["VQ_BINARY"]
FACE = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"
TEXT = ("داروی بیمار روزانه 500 mg/day است و فشار خون 120/80 بود؛ "
        "بیمار در تاریخ 1403/01/01 مرخص شد.")
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
problems = []


def check(ok, what):
    if not ok:
        problems.append(what)


def fonts(pdf):
    """(name without subset tag, type) of each font pdffonts lists."""
    out = subprocess.run(["pdffonts", pdf], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        name = line.split()[0].split("+", 1)[-1]
        kind = re.search(r"(CID Type 0C|CID TrueType|TrueType|Type 1C|Type 1|Type 3)", line)
        rows.append((name, kind.group(1) if kind else "?"))
    return rows


def words(text):
    return BIDI.sub("", text).split()


def render(tmp, name, extra, env=None):
    xml = os.path.join(tmp, "doc.xml")
    pdf = os.path.join(tmp, name + ".pdf")
    open(xml, "w", encoding="utf-8").write(
        '<document lang="fa" title="آزمون">\n'
        f'<p font="Noto Sans Arabic">{TEXT}</p>\n'
        '</document>\n')
    r = subprocess.run([BINARY, "render", xml, "-o", pdf] + extra, capture_output=True, text=True,
                       env=env)
    check(r.returncode == 0 and r.stderr == "", f"{name}: exit {r.returncode}: {r.stderr}")
    if r.returncode:
        return
    got = fonts(pdf)
    mine = [k for n, k in got if n.startswith("NotoSansArabic")]
    check(mine == ["CID Type 0C"], f"{name}: Noto Sans Arabic embedded as {mine} ({got})")
    text = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True,
                          text=True).stdout
    check(words(text) == words(TEXT), f"{name}: pdftotext gives {words(text)}")


def main():
    if not os.path.exists(FACE):
        print(f"user_font: {FACE} is missing (Debian fonts-noto-core)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "myfonts")
        os.mkdir(folder)
        shutil.copy(FACE, folder)
        render(tmp, "font-path", ["--font-path", folder])
        render(tmp, "env", [], dict(os.environ, VARAQ_FONT_PATH=folder))
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
