#!/usr/bin/python3
"""Tagged PDF: the structure tree of both samples and of a small markup file.

- pdfinfo -struct lists the elements: headings, paragraphs, lists with their
  labels and bodies, tables with header cells (scope) and data cells,
  figures, captions, footnotes (Note) and links, all under one Document.
- The elements are in reading order (pdfinfo -struct-text): every Persian
  paragraph of the case report's sections and of the handout's sections is
  found, in order, in the structure's paragraphs; poppler prints each
  element's glyphs in drawing order, so a right-to-left run comes out
  reversed: Persian words are compared by their letters, sorted. The case
  report's English abstract comes back exactly, word for word in order
  (poppler joins an element's lines without a space: compared without
  spaces).
- The catalog has /Lang, /MarkInfo and DisplayDocTitle; English elements in
  the Persian case report have /Lang (en); a figure has the alternate text
  of its markup; running headers are no element's content.
- qpdf --check passes (the attributes are an incremental update).
- --untagged writes the same pages with no structure tree.

usage: structure.py   (env: VQ_BINARY, VQ_SOURCE_DIR)
"""
import json
import os
import re
import subprocess
import sys
import tempfile

BINARY = os.environ["VQ_BINARY"]
SOURCE = os.environ["VQ_SOURCE_DIR"]
SAMPLE = os.path.join(SOURCE, "samples", "scleromyxedema-ivig")
problems = []


def check(ok, what):
    if not ok:
        problems.append(what)


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def elements(pdf):
    """(depth, role, attribute lines) for each element of pdfinfo -struct."""
    out, cur = [], None
    for line in run("pdfinfo", "-struct", pdf).splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        text = line.strip()
        if text.startswith("/") and cur:
            cur[2].append(text)
        elif text and not text.startswith("Object "):
            cur = (depth, text.split()[0].rstrip(":"), [])
            out.append(cur)
    return out


def leaf_texts(pdf):
    """The text of each element that holds content, in structure order."""
    texts, cur = [], None
    for line in run("pdfinfo", "-struct-text", pdf).splitlines():
        s = line.strip()
        if s.startswith('"'):
            texts.append(s.strip('"'))
    return texts


def keys(text):
    """Words by their letters, sorted: the same whatever order poppler read
    a run's glyphs in."""
    out = []
    for tok in text.split():
        letters = "".join(sorted(c for c in tok if c.isalpha()))
        if len(letters) > 1:
            out.append(letters)
    return out


def in_order(name, paras, leaves, least):
    """Each paragraph (a list of keys) is found in an element from where the
    previous one was found on (a paragraph cut by a page or a note is two
    elements: most of its first words suffice)."""
    at, found = 0, 0
    for words in paras:
        head = words[:12]
        for j in range(at, len(leaves)):
            if sum(w in leaves[j] for w in head) >= 0.75 * len(head):
                at, found = j, found + 1
                break
    check(len(paras) >= least and found == len(paras),
          f"{name}: {found} of {len(paras)} Persian paragraphs found in structure order")


def bare(s):
    """Without spaces and hyphens (a hyphenated line end shows one)."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", s)


def persian(s):
    return any("\u0600" <= c <= "\u06ff" for c in s)


def objects(pdf):
    """The PDF's objects as qpdf's JSON gives them (after the update)."""
    d = json.loads(run("qpdf", "--json=2", "--json-key=qpdf", pdf))["qpdf"][1]
    return [v["value"] for v in d.values() if isinstance(v.get("value"), dict)]


def struct_elems(objs):
    return [o for o in objs if o.get("/Type") == "/StructElem"]


def alts(objs):
    return [o["/Alt"][2:] for o in struct_elems(objs) if "/Alt" in o]


def catalog_checks(name, pdf, lang):
    r = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    check(r.returncode == 0 and "No syntax or stream encoding errors" in r.stdout,
          f"{name}: qpdf --check: {r.stdout[-300:]} {r.stderr[-300:]}")
    info = run("pdfinfo", pdf)
    check(re.search(r"^Tagged:\s+yes$", info, re.M), f"{name}: pdfinfo says not tagged")
    objs = objects(pdf)
    cat = [o for o in objs if o.get("/Type") == "/Catalog"]
    check(len(cat) == 1, f"{name}: {len(cat)} catalogs")
    if cat:
        c = cat[0]
        check(c.get("/Lang") == "u:" + lang, f"{name}: catalog /Lang {c.get('/Lang')}")
        check(c.get("/MarkInfo") == {"/Marked": True}, f"{name}: catalog /MarkInfo {c.get('/MarkInfo')}")
        check(c.get("/ViewerPreferences") == {"/DisplayDocTitle": True},
              f"{name}: catalog /ViewerPreferences {c.get('/ViewerPreferences')}")
    return objs


def case_report(tmp):
    pdf = os.path.join(tmp, "case.pdf")
    case = os.path.join(SAMPLE, "case.json")
    subprocess.run([BINARY, "render", "journal-case", case, "-o", pdf], check=True)
    q = catalog_checks("case report", pdf, "fa")
    els = elements(pdf)
    roles = [e[1] for e in els]
    check(roles[0] == "Document" and roles.count("Document") == 1,
          f"case report: one Document at the root: {roles[:3]}")
    for role, least in [("Sect", 2), ("H1", 1), ("H2", 5), ("P", 40), ("Table", 2), ("TR", 10),
                        ("TH", 6), ("TD", 20), ("Figure", 3), ("Caption", 5), ("Note", 5),
                        ("Link", 1)]:
        check(roles.count(role) >= least, f"case report: {roles.count(role)} {role}, want >= {least}")
    th = [e for e in els if e[1] == "TH"]
    check(all("/Scope /Column" in e[2] for e in th), "case report: a TH without /Scope /Column")
    # The English abstract page's section says it is English.
    en = [o["/S"] for o in struct_elems(q) if o.get("/Lang") == "u:en"]
    check("/Sect" in en, f"case report: elements with /Lang (en): {en}")
    # Figures: alternate text (the sample's alt is null: the caption).
    data = json.load(open(case, encoding="utf-8"))
    captions = []

    def walk(x):
        if isinstance(x, dict):
            if "caption" in x and "image" in x:
                captions.append(x["caption"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(data)
    got = alts(q)
    check(got == captions, f"case report: figure /Alt {got} != captions {captions}")

    # Reading order: each Persian body paragraph of the sections is found in the
    # structure's content elements, in order.
    body = [p for sec in data["sections"] for part in sec.get("parts", [])
            for p in part.get("paragraphs", [])]
    paras = [keys(s) for s in body if len(s) > 80 and persian(s)]
    texts = leaf_texts(pdf)
    leaves = [set(keys(t)) for t in texts]
    in_order("case report", paras, leaves, 16)
    # Left-to-right text reads back exactly, in order.
    stream = "".join(bare(t) for t in texts)
    at = 0
    for p in data["abstract"]["en"]:
        i = stream.find(bare(p), at)
        check(i >= 0, f"case report: English abstract not found word for word after {at}: {p[:60]}")
        at = max(at, i)
    # The running header (journal name, page number) is no element's text.
    header = keys("مجله دانشگاه علوم پزشکی مازندران")
    check(not any(set(header) <= leaf for leaf in leaves),
          "case report: the running header is inside an element")


def handout(tmp):
    pdf = os.path.join(tmp, "handout.pdf")
    subprocess.run([BINARY, "render", "handout", os.path.join(SAMPLE, "handout.json"), "-o", pdf],
                   check=True)
    catalog_checks("handout", pdf, "fa")
    els = elements(pdf)
    roles = [e[1] for e in els]
    for role, least in [("H1", 1), ("H2", 3), ("P", 20), ("L", 2), ("LI", 5), ("Lbl", 5),
                        ("LBody", 5), ("Table", 1), ("TH", 1), ("TD", 10)]:
        check(roles.count(role) >= least, f"handout: {roles.count(role)} {role}, want >= {least}")
    data = json.load(open(os.path.join(SAMPLE, "handout.json"), encoding="utf-8"))
    # Section paragraphs, then the warning signs and the advice (list items).
    paras = [keys(p["fa"]) for sec in data["sections"] for p in sec.get("paragraphs", [])]
    paras += [keys(i["fa"]) for i in data["warning_signs"] + data["advice"]]
    in_order("handout", paras, [set(keys(t)) for t in leaf_texts(pdf)], 8)
    # Each LI holds its label, then its body.
    for i, e in enumerate(els):
        if e[1] == "LI":
            kids = [k[1] for k in els[i + 1:i + 3]]
            check(kids == ["Lbl", "LBody"], f"handout: LI children {kids}")


def markup(tmp):
    """A figure's alt, an English paragraph's /Lang in a Persian document."""
    xml = os.path.join(tmp, "doc.xml")
    pdf = os.path.join(tmp, "doc.pdf")
    open(xml, "w", encoding="utf-8").write(
        '<document lang="fa" title="آزمون">\n'
        '<h1>عنوان</h1>\n'
        '<p>یک بند فارسی.</p>\n'
        '<p lang="en" dir="ltr">An English paragraph.</p>\n'
        '<figure placeholder="نمودار" alt="نمودار فشار خون در ده روز"><caption>نمودار ۱</caption></figure>\n'
        '</document>\n')
    subprocess.run([BINARY, "render", xml, "-o", pdf], check=True)
    q = objects(pdf)
    check(alts(q) == ["نمودار فشار خون در ده روز"], f"markup: /Alt {alts(q)}")
    langs = [(o["/S"], o["/Lang"]) for o in struct_elems(q) if "/Lang" in o]
    check(langs == [("/P", "u:en")], f"markup: elements with /Lang: {langs}")
    roles = [e[1] for e in elements(pdf)]
    check(roles == ["Document", "Sect", "H1", "P", "P", "Figure", "Caption"] or
          roles == ["Document", "H1", "P", "P", "Figure", "Caption"],
          f"markup: structure {roles}")


def figures(tmp):
    """A document that starts with an image figure, and one with an SVG
    figure, are tagged (Cairo 1.16 drops a page's structure tags when an
    unclipped paint is the first thing drawn on it)."""
    png = os.path.join(SOURCE, "tests", "layout", "img", "page.png")
    svg = os.path.join(tmp, "chart.svg")
    open(svg, "w", encoding="utf-8").write(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<rect width="40" height="20" fill="#36c" opacity="0.5"/></svg>\n')
    for name, src in [("png", png), ("svg", svg)]:
        xml = os.path.join(tmp, name + ".xml")
        pdf = os.path.join(tmp, name + ".pdf")
        open(xml, "w", encoding="utf-8").write(
            '<document lang="fa" title="آزمون">\n'
            f'<figure src="{src}" alt="نمودار {name}"><caption>نمودار ۱</caption></figure>\n'
            '<p>یک بند فارسی.</p>\n'
            f'<figure src="{src}" alt="نمودار دوم"/>\n'
            '</document>\n')
        r = subprocess.run([BINARY, "render", xml, "-o", pdf, "--root", tmp,
                            "--root", os.path.dirname(png)],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"{name} figure: exit {r.returncode}: {r.stderr}")
        if r.returncode:
            continue
        info = run("pdfinfo", pdf)
        check(re.search(r"^Tagged:\s+yes$", info, re.M), f"{name} figure: not tagged")
        roles = [e[1] for e in elements(pdf)]
        check(roles == ["Document", "Figure", "Caption", "P", "Figure"],
              f"{name} figure: structure {roles}")
        check(alts(objects(pdf)) == [f"نمودار {name}", "نمودار دوم"],
              f"{name} figure: /Alt {alts(objects(pdf))}")


def untagged(tmp):
    # --untagged leaves the structure out (and only that: same page count).
    pdf = os.path.join(tmp, "untagged.pdf")
    subprocess.run([BINARY, "render", "handout", os.path.join(SAMPLE, "handout.json"), "-o", pdf,
                    "--untagged"], check=True)
    info = run("pdfinfo", pdf)
    check(re.search(r"^Tagged:\s+no$", info, re.M), "--untagged: pdfinfo says tagged")
    check(b"/StructTreeRoot" not in open(pdf, "rb").read(), "--untagged: a /StructTreeRoot")
    tagged = run("pdfinfo", os.path.join(tmp, "handout.pdf"))
    pages = [re.search(r"^Pages:\s+(\d+)", t, re.M).group(1) for t in (info, tagged)]
    check(pages[0] == pages[1], f"--untagged: pages {pages[0]}, tagged {pages[1]}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        case_report(tmp)
        handout(tmp)
        untagged(tmp)
        markup(tmp)
        figures(tmp)
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
