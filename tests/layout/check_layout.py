#!/usr/bin/python3
"""Layout facts read back from the rendered PDFs (pdftotext -bbox-layout),
plus qpdf --check and pdffonts on every PDF made."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SRC = os.environ.get("VQ_SOURCE_DIR", ".")
BIN = os.environ["VQ_BINARY"]
HERE = os.path.join(SRC, "tests", "layout")
OUT = tempfile.mkdtemp(prefix="varaq-layout-")
# Under AddressSanitizer, ctest gives this script the leak suppressions for
# Cairo (tests/lsan.supp, set in tests/CMakeLists.txt).
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


def render(name, *extra):
    out = os.path.join(OUT, name.replace(".xml", ".pdf"))
    r = subprocess.run([BIN, "render", os.path.join(HERE, name), "-o", out, *extra],
                       capture_output=True, text=True)
    if not check(r.returncode == 0, f"{name}: varaq render exit {r.returncode}: {r.stderr}"):
        return None
    pdf_checks(out)
    return out


def pdf_checks(pdf):
    r = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    check(r.returncode == 0, f"{pdf}: qpdf --check: {r.stdout[-300:]}{r.stderr}")
    r = subprocess.run(["pdffonts", pdf], capture_output=True, text=True)
    rows = r.stdout.splitlines()[2:]
    check(rows, f"{pdf}: pdffonts lists no font")
    for row in rows:
        # name type encoding emb sub uni object ID: read from the right
        cols = row.split()
        emb, sub = cols[-5], cols[-4]
        check(emb == "yes" and sub == "yes", f"{pdf}: font not embedded as a subset: {row}")


def pages_of(pdf):
    """[(width, height, [(text, x0, y0, x1, y1)])] per page."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True,
                         text=True).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    root = ET.fromstring(xml)
    pages = []
    for page in root.iter():
        if not page.tag.endswith("page"):
            continue
        words = []
        for w in page.iter():
            if w.tag.endswith("word"):
                words.append((w.text or "", float(w.get("xMin")), float(w.get("yMin")),
                              float(w.get("xMax")), float(w.get("yMax"))))
        pages.append((float(page.get("width")), float(page.get("height")), words))
    return pages


def find(words, text):
    """Words equal to text; poppler gives right-to-left words in visual
    order (reversed), so both spellings count."""
    return [w for w in words if w[0] == text or w[0] == text[::-1]]


def clean(s):
    return s.replace("\u200f", "").replace("\u200e", "")


def test_rtl_table():
    pdf = render("rtl_table.xml")
    if not pdf:
        return
    pages = pages_of(pdf)
    check(len(pages) >= 2, f"rtl_table: expected 2+ pages, got {len(pages)}")
    words = [(clean(w[0]),) + w[1:] for w in pages[0][2]]
    a, b, c = find(words, "آزمایش"), find(words, "نتیجه"), find(words, "واحد")
    if check(a and b and c, "rtl_table: header words on page 1"):
        check(a[0][1] > b[0][1] > c[0][1], "rtl_table: column 1 is rightmost (header)")
    h, m = find(words, "هموگلوبین"), find(words, "مقدار")
    if check(h and m, "rtl_table: body words on page 1"):
        check(h[0][1] > m[0][1], "rtl_table: column 1 is rightmost (body)")
    if len(pages) >= 2:
        words2 = [(clean(w[0]),) + w[1:] for w in pages[1][2]]
        a2 = find(words2, "آزمایش")
        body2 = find(words2, "هموگلوبین")
        if check(a2 and body2, "rtl_table: header row repeated on page 2"):
            check(a2[0][2] < min(w[2] for w in body2), "rtl_table: repeated header on top")


def test_footnotes():
    pdf = render("footnotes.xml")
    if not pdf:
        return
    pages = pages_of(pdf)
    check(len(pages) >= 3, f"footnotes: expected 3+ pages, got {len(pages)}")
    for k, i in enumerate((2, 7, 11), 1):  # notes are numbered in document order
        mark = [(n, w) for n, p in enumerate(pages) for w in p[2] if w[0] == f"Mark{i}word"]
        note = [(n, w) for n, p in enumerate(pages) for w in p[2] if w[0] == f"Note{i}text"]
        if not check(mark and note, f"footnotes: mark and note {i} found"):
            continue
        n_note, w_note = note[0]
        height = pages[n_note][1]
        check(w_note[2] > height * 0.6, f"footnotes: note {i} at the foot of its page")
        # The superscript mark is a word of its own, above the note.
        marks = [w for w in pages[n_note][2] if w[0] == str(k) and w[2] < w_note[2] - 5]
        check(marks, f"footnotes: mark {i} on the page of its note (page {n_note + 1})")
        body_bottom = max(w[4] for w in pages[n_note][2] if w[2] < w_note[2] - 12)
        check(body_bottom < w_note[2], f"footnotes: note {i} below the text")


def test_footnotes_marked():
    """Notes with their own marks: on page 1 at the foot, in document order,
    each after its mark; a hidden mark is not repeated in the text; marked
    notes take no number (the next numbered note is 1); pages are numbered
    from <page first-number="173">."""
    pdf = render("footnotes_marked.xml")
    if not pdf:
        return
    pages = pages_of(pdf)
    check(len(pages) >= 3, f"footnotes_marked: expected 3+ pages, got {len(pages)}")
    for n, (w, h, words) in enumerate(pages):
        head = [x for x in words if x[2] < 40]
        check([x[0] for x in head] == ["Header", str(173 + n), "of", str(len(pages))],
              f"footnotes_marked: page {n + 1} header: {[x[0] for x in head]}")
    width, height, words = pages[0]
    order = ["StarNote", "AffOneNote", "AffTwoNote", "NoMarkNote", "DaggerNote"]
    notes = [find(words, t) for t in order]
    if not check(all(len(x) == 1 for x in notes), f"footnotes_marked: page 1 holds the notes {order}"):
        return
    notes = [x[0] for x in notes]
    check(all(x[2] > height * 0.7 for x in notes), "footnotes_marked: the notes sit at the foot")
    check([x[2] for x in notes] == sorted(x[2] for x in notes) and len({x[2] for x in notes}) == 5,
          f"footnotes_marked: notes in document order, one a line: {[round(x[2]) for x in notes]}")
    body_bottom = max(x[4] for x in words if x[2] < notes[0][2] - 12)
    check(body_bottom < notes[0][2], "footnotes_marked: the notes are below the text")

    def before(note, words=words):  # the word just before a note on its line: its mark
        line = [x for x in words if abs(x[2] - note[2]) < 4 and x[1] < note[1]]
        return max(line, key=lambda x: x[1])[0] if line else ""

    marks = [before(x) for x in notes]
    check(marks == ["*", "1", "2", "", "†"], f"footnotes_marked: marks before the notes: {marks}")
    above = [x[0] for x in words if x[2] < notes[0][2] - 12]
    check("".join(above).count("*") == 1 and "Authorone1*" in "".join(above),
          f"footnotes_marked: the hidden marks only in the authors' superscripts")
    check(any(x[0] == "†" for x in words if x[2] < notes[0][2] - 12),
          "footnotes_marked: the dagger mark is in the text")
    numbered = [(n, x) for n, p in enumerate(pages) for x in p[2] if x[0] == "NumberedNote"]
    if check(len(numbered) == 1, "footnotes_marked: the numbered note is found once"):
        n, note = numbered[0]
        mark = before(note, pages[n][2])
        check(n > 0 and mark == "1",
              f"footnotes_marked: the numbered note is 1 (page {n + 1}, mark {mark!r})")
    lone = [(n, x) for n, p in enumerate(pages) for x in p[2] if x[0] == "LoneNote"]
    check(len(lone) == 1 and lone[0][0] == len(pages) - 1 and lone[0][1][2] > pages[-1][1] * 0.6,
          f"footnotes_marked: a note alone in its paragraph is kept, at the foot of the last page: {lone}")


def test_footnotes_columns():
    pdf = render("footnotes_columns.xml")
    if not pdf:
        return
    pages = pages_of(pdf)
    # Spanning note 1 (from the title section), then notes 2-4 in columns.
    spots = {}
    for n, (width, height, words) in enumerate(pages):
        for w in words:
            m = re.fullmatch(r"(Colnote\d+|Spanning)", w[0])
            if m:
                spots[m.group(1)] = (n, w)
    check(set(spots) == {"Spanning", "Colnote5", "Colnote9", "Colnote12"},
          f"footnotes_columns: notes found: {sorted(spots)}")
    for i, name in ((5, "Colnote5"), (9, "Colnote9"), (12, "Colnote12")):
        if name not in spots:
            continue
        n, note = spots[name]
        width, height, words = pages[n]
        # The note goes with its mark (the paragraph's third sentence); the
        # paragraph may start on the page before.
        para = find(words, f"Para{i}") or (n > 0 and find(pages[n - 1][2], f"Para{i}"))
        check(para, f"footnotes_columns: Para{i} starts on the page of its note or the one before")
        # The note sits in the column of its mark, which ends its paragraph's
        # third sentence: find the mark by number above the note.
        k = (5, 9, 12).index(i) + 2
        marks = [w for w in words if w[0] == str(k) and w[4] < note[2] - 5]
        if check(marks, f"footnotes_columns: mark {k} on the page of its note"):
            same_column = (marks[0][1] < width / 2) == (note[1] < width / 2)
            check(same_column, f"footnotes_columns: note {k} under the column of its mark")
            check(note[2] > max(w[4] for w in words if w[2] < note[2] - 8 and
                                (w[1] < width / 2) == (note[1] < width / 2)),
                  f"footnotes_columns: note {k} below its column's text")


def test_headings():
    pdf = render("headings.xml")
    if not pdf:
        return
    pages = pages_of(pdf)
    check(len(pages) >= 3, f"headings: expected 3+ pages, got {len(pages)}")
    seen = 0
    for width, height, words in pages:
        mid = width / 2
        for w in words:
            if not re.fullmatch(r"Heading\d+", w[0]):
                continue
            seen += 1
            left = (w[1] + w[3]) / 2 < mid
            below = [v for v in words if ((v[1] + v[3]) / 2 < mid) == left and v[2] > w[4] + 1
                     and v[2] < height * 0.92]
            check(below, f"headings: {w[0]} ends a column or page")
    check(seen == 24, f"headings: found {seen} of 24 headings")


def test_balance():
    pdf = render("balance.xml")
    if not pdf:
        return
    pages = pages_of(pdf)
    check(len(pages) == 1, f"balance: expected 1 page, got {len(pages)}")
    width, height, words = pages[0]
    intro = find(words, "مقدمه")
    if not check(intro, "balance: heading found"):
        return
    top = intro[0][2] - 1
    mid = width / 2
    right = [w for w in words if w[2] >= top and w[1] > mid]
    left = [w for w in words if w[2] >= top and w[3] < mid]
    check(intro[0][1] > mid, "balance: first column on the right in RTL")
    if check(right and left, "balance: both columns hold text"):
        rb, lb = max(w[4] for w in right), max(w[4] for w in left)
        check(abs(rb - lb) < 30, f"balance: column bottoms {rb:.1f} and {lb:.1f} differ")
        check(rb < height * 0.8, "balance: the columns do not run to the page foot")


def test_list_fa():
    pdf = render("list_fa.xml")
    if not pdf:
        return
    pages = pages_of(pdf)
    words = [(clean(w[0]),) + w[1:] for w in pages[0][2]]
    numbers = [w for w in words if re.fullmatch(r"\.?[۰-۹]+\.?", w[0])]
    # poppler splits "۱۲." into digits and the full stop, digits in visual order
    values = sorted(int(w[0].strip(".").translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
                    for w in numbers)
    check(values == list(range(1, 13)), f"list_fa: Persian numbers 1-12, got {values}")
    check(not [w for w in words if re.fullmatch(r"\.?[0-9]+\.?", w[0])], "list_fa: no Latin numbers")
    items = find(words, "مورد")
    for n in numbers:
        same = [w for w in items if abs(w[4] - n[4]) < 3]
        if check(same, f"list_fa: item text beside marker {n[0]}"):
            check(n[1] > same[0][3], f"list_fa: marker {n[0]} right of its text")


def test_mixed():
    pdf = render("mixed.xml")
    if not pdf:
        return
    pages = pages_of(pdf)
    check(len(pages) == 3, f"mixed: expected 3 pages, got {len(pages)}")
    for n, (w, h, words) in enumerate(pages):
        texts = [clean(x[0]) for x in words if x[2] > h * 0.85]
        want = "۱۲۳"[n]
        check(want in texts and "۳" in texts, f"mixed: footer of page {n + 1}: {texts}")
    qdf = os.path.join(OUT, "mixed.qdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, qdf], check=True)
    raw = open(qdf, "rb").read()
    check(b"/URI (https://example.org/case)" in raw, "mixed: URL link annotation")
    check(b"/URI (mailto:a@example.org)" in raw, "mixed: mailto link annotation")
    outline = json.loads(subprocess.run(["qpdf", "--json", "--json-key=outlines", pdf],
                                        capture_output=True, text=True).stdout)["outlines"]
    tree = [(o["title"], o["destpageposfrom1"], [(k["title"], k["destpageposfrom1"])
                                                   for k in o["kids"]]) for o in outline]
    check(tree == [("عنوان", 1, [("بخش دوم", 1), ("بخش سوم", 3)])],
          f"mixed: outline of the headings in document order: {tree}")
    check(b"/Dest" in raw, "mixed: internal link")
    again = os.path.join(OUT, "mixed2.pdf")
    subprocess.run([BIN, "render", os.path.join(HERE, "mixed.xml"), "-o", again], check=True)
    check(open(again, "rb").read() == open(pdf, "rb").read(), "mixed: same input, same bytes")
    png = os.path.join(OUT, "mixed-%d.png")
    r = subprocess.run([BIN, "render", os.path.join(HERE, "mixed.xml"), "--png", "-o", png])
    check(r.returncode == 0 and all(os.path.exists(png % i) for i in (1, 2, 3))
          and not os.path.exists(png % 4), "mixed: --png writes one PNG per page")


def test_tall_row():
    pdf = render("tall_row.xml")
    if not pdf:
        return
    pages = pages_of(pdf)
    check(len(pages) >= 3, f"tall_row: a row taller than a page splits ({len(pages)} pages)")
    order = [w[0] for p in pages for w in p[2] if re.fullmatch(r"w\d{3}", w[0])]
    check(order == [f"w{i:03d}" for i in range(400)], "tall_row: every word once, in order")
    for n, p in enumerate(pages):
        check(find(p[2], "Name"), f"tall_row: header row on page {n + 1}")


def test_caption_keep():
    """A table's caption never ends a page: whatever the space left when
    the table starts (at the top of its own section, where no break inside
    the frame is allowed before the row), its first row is on the
    caption's page."""
    bad = []
    for filler in range(20, 40):
        src = os.path.join(OUT, f"caption-{filler}.xml")
        with open(src, "w") as f:
            f.write('<document lang="en"><page size="A5" margin="15mm"/>')
            f.write("<section>" + "<p>Filler line.</p>" * filler + "</section><section>")
            f.write('<table header-rows="1" border="0.5pt"><caption>Captionword table</caption>'
                    "<tr><th>Headword</th><th>Two</th></tr>"
                    + "<tr><td>Rowword</td><td>a<br/>b<br/>c</td></tr>" * 6
                    + "</table></section></document>")
        out = src.replace(".xml", ".pdf")
        r = subprocess.run([BIN, "render", src, "-o", out], capture_output=True, text=True)
        if not check(r.returncode == 0, f"caption_keep: render {filler}: {r.stderr}"):
            continue
        for n, (w, h, words) in enumerate(pages_of(out)):
            cap = find(words, "Captionword")
            if cap and not [x for x in find(words, "Rowword") if x[2] > cap[0][4]]:
                bad.append((filler, n + 1))
    check(not bad, f"caption_keep: caption without its first row on (filler, page) {bad}")


def test_figures():
    pdf = render("figures.xml")
    if not pdf:
        return
    jpeg = open(os.path.join(HERE, "img", "page.jpg"), "rb").read()
    check(jpeg in open(pdf, "rb").read(), "figures: the JPEG file's bytes are embedded as they are")
    listing = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, text=True).stdout
    rows = [r.split() for r in listing.splitlines()[2:]]
    check(len(rows) == 2 and rows[0][8] == "jpeg" and rows[0][3:5] == ["100", "141"],
          f"figures: one JPEG (DCT) image of 100x141 and one PNG: {rows}")
    # 50% of the A5 frame (420 - 2 * 42.52 pt) wide: 167.5 pt for 100 px.
    check(rows and abs(float(rows[0][12]) - 100 * 72 / 167.48) < 1.5,
          f"figures: JPEG drawn at half the frame width: {rows[0] if rows else None}")


def test_dests():
    """Every internal link has its named destination, whatever carries the
    id: a span, a table, a box, a list, a cell, a heading."""
    src = os.path.join(OUT, "dests.xml")
    with open(src, "w") as f:
        f.write('<document lang="en"><p>'
                + "".join(f'<a href="#{i}">{i}</a> ' for i in ("s", "t", "b", "l", "c", "h"))
                + '</p><p>text <span id="s">here</span></p>'
                '<table id="t"><tr><td id="c">x</td></tr></table>'
                '<box id="b"><p>in box</p></box><ul id="l"><li>item</li></ul>'
                '<h2 id="h">Heading</h2><p>end</p></document>')
    out = os.path.join(OUT, "dests.pdf")
    r = subprocess.run([BIN, "render", src, "-o", out], capture_output=True, text=True)
    if not check(r.returncode == 0, f"dests: render: {r.stderr}"):
        return
    pdf_checks(out)
    qdf = out + ".qdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", out, qdf], check=True)
    raw = open(qdf, "rb").read().decode("latin-1")
    links = sorted(re.findall(r"/Dest \((\w+)\)", raw))
    names = re.search(r"/Names \[(.*?)\n  \]", raw, re.S)
    targets = sorted(re.findall(r"^    \((\w+)\)$", names.group(1), re.M)) if names else []
    check(links == sorted("stblch"), f"dests: one link per id: {links}")
    check(targets == sorted("stblch"), f"dests: a destination for every id: {targets}")


def test_errors():
    out = os.path.join(OUT, "missing.pdf")
    doc = os.path.join(OUT, "missing.xml")
    with open(doc, "w") as f:
        f.write('<document lang="en"><figure src="no-such.png"/></document>\n')
    r = subprocess.run([BIN, "render", doc, "-o", out], capture_output=True, text=True)
    check(r.returncode == 1, f"errors: missing image exit {r.returncode}")
    check("no-such.png" in r.stderr, f"errors: message names the image: {r.stderr}")
    check(not os.path.exists(out), "errors: nothing written on error")
    check(not [f for f in os.listdir(OUT) if f.startswith("missing.pdf")], "errors: no temp file")
    bad = os.path.join(OUT, "bad.jpg")
    with open(bad, "wb") as f:
        f.write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00garbage")
    with open(doc, "w") as f:
        f.write('<document lang="en"><figure src="bad.jpg"/></document>\n')
    r = subprocess.run([BIN, "render", doc, "-o", out], capture_output=True, text=True)
    check(r.returncode == 1 and "bad.jpg" in r.stderr, f"errors: corrupt JPEG: {r.stderr}")
    check(not os.path.exists(out), "errors: nothing written for a corrupt image")
    # Through a template: the markup error names the template's line.
    tpl, data = os.path.join(OUT, "bad.mustache"), os.path.join(OUT, "d.json")
    with open(tpl, "w") as f:
        f.write('<document lang="en">\n<p>{{name}}</p>\n  <tabel/>\n</document>\n')
    with open(data, "w") as f:
        f.write('{"name": "x"}\n')
    r = subprocess.run([BIN, "render", tpl, data, "-o", out], capture_output=True, text=True)
    check(r.returncode == 1 and r.stderr.startswith(tpl + ":3:3: error: unknown element <tabel>"),
          f"errors: markup error located in the template: {r.stderr}")
    check(not os.path.exists(out), "errors: nothing written for bad markup")
    with open(tpl, "w") as f:
        f.write('<document lang="en">\n<p>{{name}} {{missing}}</p>\n</document>\n')
    r = subprocess.run([BIN, "render", tpl, data, "-o", out], capture_output=True, text=True)
    check(r.returncode == 1 and r.stderr.startswith(tpl + ":2:13: error: no value for 'missing'"),
          f"errors: strict by default: a missing name is refused: {r.stderr}")
    check(not os.path.exists(out), "errors: nothing written for a missing name")
    r = subprocess.run([BIN, "render", tpl, data, "-o", out, "--lenient"], capture_output=True,
                       text=True)
    check(r.returncode == 0 and os.path.exists(out) and
          r.stderr.startswith(tpl + ":2:13: warning: no value for 'missing' (left empty: --lenient)"),
          f"errors: with --lenient it renders and warns: {r.stderr}")


def test_table_orphans():
    """A table is never cut after its first body row nor before its last:
    wherever the table starts on the page (filler of 0 to 13 lines before
    it), no page holds exactly one body row."""
    rows = "".join("<tr><td>سطر</td><td>%d</td></tr>" % i for i in range(6))
    for n in range(14):
        path = os.path.join(OUT, f"table_orphans_{n}.xml")
        filler = "<br/>".join(["سطر پرکننده"] * n)
        with open(path, "w", encoding="utf-8") as f:
            f.write('<document lang="fa"><page size="105mm 148mm" margin="10mm"/>'
                    f'<p>{filler or "آغاز"}</p>'
                    '<table header-rows="1" width="100%" border="0.5pt">'
                    f'<tr><th>نام</th><th>شماره</th></tr>{rows}</table></document>')
        out = path.replace(".xml", ".pdf")
        r = subprocess.run([BIN, "render", path, "-o", out], capture_output=True, text=True)
        if not check(r.returncode == 0, f"table_orphans {n}: exit {r.returncode}: {r.stderr}"):
            continue
        counts = [len(find([(clean(w[0]),) + w[1:] for w in p[2]], "سطر")) - (
            len(find([(clean(w[0]),) + w[1:] for w in p[2]], "پرکننده"))) for p in pages_of(out)]
        check(1 not in counts, f"table_orphans {n}: a page holds a single body row: {counts}")


def test_paragraph_orphans():
    """No page holds just the first or just the last line of a paragraph
    (orphans and widows): a five-line paragraph after 0 to 29 filler lines
    is never cut 1+4 or 4+1."""
    lines = "<br/>".join(["Mark line"] * 5)
    for n in range(30):
        path = os.path.join(OUT, f"para_orphans_{n}.xml")
        filler = "<br/>".join(["Fill"] * n)
        with open(path, "w", encoding="utf-8") as f:
            f.write('<document lang="en"><page size="105mm 148mm" margin="10mm"/>'
                    f'<p>{filler or "Start"}</p><p>{lines}</p></document>')
        out = path.replace(".xml", ".pdf")
        r = subprocess.run([BIN, "render", path, "-o", out], capture_output=True, text=True)
        if not check(r.returncode == 0, f"para_orphans {n}: exit {r.returncode}: {r.stderr}"):
            continue
        counts = [len(find(p[2], "Mark")) for p in pages_of(out)]
        check(sum(counts) == 5, f"para_orphans {n}: 5 lines in all: {counts}")
        check(1 not in counts, f"para_orphans {n}: a page holds a single line: {counts}")


def test_section_header():
    """A section's own <header> runs on the pages whose body starts in it;
    the others (and every footer here) keep the document's. PDF page labels
    count from <page first-number>."""
    pdf = render("section_header.xml")
    if not pdf:
        return
    pages = pages_of(pdf)
    if not check(len(pages) == 4, f"section_header: expected 4 pages, got {len(pages)}"):
        return
    want = [("DocHead", "Bodyone"), ("SecHead", "Bodytwo"), ("SecHead", "Bodythree"),
            ("DocHead", "Bodyfour")]
    for n, (head, body) in enumerate(want):
        words = sorted(pages[n][2], key=lambda w: (w[2], w[1]))
        top = [w[0] for w in words[:2]]
        check(top == [head, str(5 + n)], f"section_header: page {n + 1} header {top}, want {head} {5 + n}")
        other = "SecHead" if head == "DocHead" else "DocHead"
        check(not find(words, other), f"section_header: page {n + 1} has no {other}")
        check(find(words, body), f"section_header: {body} on page {n + 1}")
        foot = max(words, key=lambda w: w[2])
        check(foot[0] == "DocFoot", f"section_header: page {n + 1} ends with the document footer: {foot[0]}")
    r = subprocess.run(["qpdf", "--json", pdf], capture_output=True, text=True)
    labels = json.loads(r.stdout).get("pagelabels")
    check(labels == [{"index": 0, "label": {"/S": "/D", "/St": 5}}],
          f"section_header: PDF page labels count from 5: {labels}")


def dump_of(name):
    """Renders name with the layout dump on: (items, stderr)."""
    out = os.path.join(OUT, name.replace(".xml", ".pdf"))
    dump = out + ".dump"
    r = subprocess.run([BIN, "render", os.path.join(HERE, name), "-o", out],
                       capture_output=True, text=True, env=dict(os.environ, VARAQ_LAYOUT_DUMP=dump))
    if not check(r.returncode == 0, f"{name}: varaq render exit {r.returncode}: {r.stderr}"):
        return [], r.stderr
    return [json.loads(line) for line in open(dump, encoding="utf-8")], r.stderr


def test_keep_together():
    # The same box near the foot of a page: cut without keep-together,
    # moved whole to the next page with it.
    for name, whole in (("keep_together.xml", True), ("keep_apart.xml", False)):
        items, _ = dump_of(name)
        pages = {it["page"] for it in items if it["kind"] == "box"}
        check((len(pages) == 1) == whole, f"{name}: box on pages {sorted(pages)}")
        last = [it for it in items if it["kind"] == "line" and "Para6" in it["text"]]
        box = [it for it in items if it["kind"] == "box"]
        if whole and last and box:
            check(box[0]["page"] == last[0]["page"] + 1,
                  f"{name}: the kept box starts on the page after the text before it")


def test_list_spacing():
    # An <li>'s own spaces (attribute or style rule) are kept; they collapse
    # with its paragraph's (the larger wins), as between blocks.
    items, _ = dump_of("list_spacing.xml")
    y = {it["text"]: it["slot_y"] for it in items if it["kind"] == "line"}
    h = {it["text"]: it["slot_h"] for it in items if it["kind"] == "line"}
    if not check(len(y) == 7, f"list_spacing: 7 lines, got {sorted(y)}"):
        return

    def gap(a, b):
        return round(y[b] - y[a] - h[a], 2)

    check(gap("one", "two") == 6, f"list_spacing: li space-after 6pt, got {gap('one', 'two')}")
    check(gap("two", "three") == 3, f"list_spacing: style rule 3pt, got {gap('two', 'three')}")
    pgap = gap("para one", "para two")
    check(pgap > 3, f"list_spacing: a <p>'s larger space after wins over 3pt, got {pgap}")
    check(gap("three", "four") == 9, f"list_spacing: li space-before 9pt, got {gap('three', 'four')}")
    check(gap("four", "five") == 0, f"list_spacing: space-after 0pt, got {gap('four', 'five')}")


def test_placeholder():
    # A placeholder draws only its own text, never its caption, and adds
    # nothing it was not asked for.
    items, _ = dump_of("placeholder.xml")
    panels = [it for it in items if it["kind"] == "placeholder"]
    check(len(panels) == 2, f"placeholder: {len(panels)} panels")
    inside = {p["id"]: [it["text"] for it in items if it["in"] == p["id"]] for p in panels}
    texts = list(inside.values())
    check(texts == [["تصویر در دسترس نیست"], []], f"placeholder: panel texts {texts}")


def test_overflow():
    # A column narrower than its widest word widens (the other column pays),
    # or, where the word may be hyphenated (an English ragged cell), keeps
    # its set width down to its widest piece between hyphenation points;
    # a word wider than its paragraph's measure overflows it whole, with a
    # warning, instead of being split.
    items, err = dump_of("overflow.xml")
    lines = [it for it in items if it["kind"] == "line"]
    split = [it["text"] for it in lines if not it["last"] and it["text"] and not it["hyphen"] and
             not it["text"][-1].isspace() and it["after"] and not it["after"].isspace()]
    check(not split, f"overflow: words split without a hyphen: {split}")
    texts = [(it["text"], it["hyphen"]) for it in lines]
    words = [t for t in texts if "mg" not in t[0] and "days" not in t[0]][:3]
    check(words == [("immunoglobulin", False), ("immunoglob", True), ("ulin", False)],
          f"overflow: 'immunoglobulin' whole, then hyphenated: {texts}")
    rows = [it for it in items if it["kind"] == "row"]
    widths = [round(r["cells"][0][1], 2) for r in rows]
    check(len(rows) == 2 and widths[0] == rows[0]["cells"][0][3] and
          rows[1]["cells"][0][2] <= widths[1] < rows[1]["cells"][0][3],
          f"overflow: first column widths {widths}: {[r['cells'] for r in rows]}")
    check(any(it["text"] == "400 mg/kg/day " or it["text"].startswith("400 mg/kg/day") for it in lines),
          f"overflow: '400 mg/kg/day' whole: {[it['text'] for it in lines]}")
    check("wider than its" in err and "overflows it" in err, f"overflow: warning: {err!r}")


def test_dash():
    # A spaced dash (em or en) never starts a line: the line breaks after
    # it ("پلاک ۰ —" / "تلفن: …"), at every measure tried.
    items, _ = dump_of("dash.xml")
    lines = [it for it in items if it["kind"] == "line"]
    starts = [it["text"][:20] for it in lines if it["line"] > 0 and
              it["text"].lstrip(" \u2066\u2067\u2068\u2069")[:1] in "\u2013\u2014"]
    check(not starts, f"dash: lines starting with a dash: {starts[:4]}")
    ends = [it for it in lines if not it["last"] and it["text"].rstrip()[-1:] in "\u2013\u2014"]
    check(ends, "dash: no line ends after a dash (the measures tried never put it there)")


def test_table_tall_rows():
    """A table of tall rows (three lines each) starts on the page it comes
    to when its header and first row fit there, and goes on under its
    repeated header, instead of moving whole and leaving the foot of the
    page blank; one-line rows keep their orphan rule (test_table_orphans)."""
    cell = "<br/>".join(["خط"] * 3)
    rows = "".join(f"<tr><td>دارو {i}</td><td>{cell}</td></tr>" for i in range(3))
    for n in range(12, 24):
        path = os.path.join(OUT, f"table_tall_{n}.xml")
        filler = "<br/>".join(["سطر پرکننده"] * n)
        with open(path, "w", encoding="utf-8") as f:
            f.write('<document lang="fa"><page size="105mm 148mm" margin="10mm"/>'
                    f'<p space-after="0">{filler}</p>'
                    '<table space-before="0" header-rows="1" width="100%" border="0.5pt">'
                    f'<tr><th>نام</th><th>زمان</th></tr>{rows}</table></document>')
        out = path.replace(".xml", ".pdf")
        dump = out + ".dump"
        r = subprocess.run([BIN, "render", path, "-o", out], capture_output=True, text=True,
                           env=dict(os.environ, VARAQ_LAYOUT_DUMP=dump))
        if not check(r.returncode == 0, f"table_tall {n}: exit {r.returncode}: {r.stderr}"):
            continue
        items = [json.loads(line) for line in open(dump, encoding="utf-8")]
        body = [it for it in items if it["area"] == "body" and it["in"] == 0]
        filler_end = max(it["slot_y"] + it["slot_h"] for it in body
                         if it["kind"] == "line" and it["page"] == 1)
        head = next(it for it in body if it["kind"] == "header-row")
        rows_ = [it for it in body if it["kind"] == "row"]
        bottom = 148 / 25.4 * 72 - 10 / 25.4 * 72
        room = bottom - filler_end - 1
        if head["h"] + rows_[0]["h"] <= room:
            check(rows_[0]["page"] == 1,
                  f"table_tall {n}: header and first row fit in {room:.0f} pt of page 1 "
                  f"but the table starts on page {rows_[0]['page']}")
        pages = {it["page"] for it in rows_}
        heads = {it["page"] for it in body if it["kind"] == "header-row"}
        check(pages <= heads, f"table_tall {n}: rows on pages {pages}, headers on {heads}")


def test_table_headers():
    """A table without dir takes its column order from its header cells'
    words, and from all its cells' words when it has no header."""
    pdf = render("table_headers.xml")
    if not pdf:
        return
    words = [(clean(w[0]),) + w[1:] for w in pages_of(pdf)[0][2]]
    drug, dose = find(words, "دارو"), find(words, "دوز")
    pred, mg = find(words, "Prednisolone"), find(words, "50mg/day")
    if check(drug and dose and pred and mg, "table_headers: Persian-headed table's words"):
        check(drug[0][1] > dose[0][1], "table_headers: Persian headers: column 1 on the right")
        check(pred[0][1] > mg[0][1], "table_headers: Persian headers: English body follows")
    test, result = find(words, "Test"), find(words, "Result")
    hb = find(words, "هموگلوبین")
    if check(test and result and hb, "table_headers: English-headed table's words"):
        check(test[0][1] < result[0][1], "table_headers: English headers: column 1 on the left")
        check(hb[0][1] < result[0][1], "table_headers: English headers: Persian body follows")
    fer, ng = find(words, "Ferritin"), find(words, "85")
    if check(fer and ng, "table_headers: headerless table's words"):
        check(fer[0][1] < ng[0][1], "table_headers: no headers: most words (English) decide")


for t in (test_list_spacing, test_table_headers, test_dash, test_table_tall_rows, test_keep_together, test_placeholder, test_overflow, test_section_header, test_rtl_table, test_footnotes, test_footnotes_marked, test_footnotes_columns, test_headings, test_balance,
          test_list_fa, test_mixed, test_figures, test_tall_row, test_caption_keep, test_dests,
          test_errors, test_table_orphans, test_paragraph_orphans):
    t()
if failures:
    print(f"{len(failures)} failure(s); files in {OUT}")
    sys.exit(1)
shutil.rmtree(OUT)
print("all layout checks passed")
