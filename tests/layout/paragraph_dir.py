#!/usr/bin/python3
"""Each paragraph's direction matches its text, in both templates x fa/en.

The sample's case report and handout are rendered with "language" fa and
en (the case report's body is Persian in both: with en it sits in an
English article) and the layout dump (VARAQ_LAYOUT_DUMP) gives every drawn
line with its paragraph and the paragraph's direction. A paragraph of the
body whose letters are mostly right to left (isolated spans left out) must
be right to left, and one whose letters are mostly left to right must be
left to right; ties go to the first strong letter. Table cells and
captions are left out: a table sets its cells' direction (cell_dir) for
the table as a whole, and a caption opens with the article's own label
("Figure 1.") whatever language its text is in.
With en, the Persian paragraphs must also be in a Persian face with their
digits as written (Persian digits stay Persian).

usage: paragraph_dir.py   (env: VQ_BINARY, VQ_SOURCE_DIR)
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

ROOT = os.environ.get("VQ_SOURCE_DIR", ".")
SAMPLE = os.path.join(ROOT, "samples", "scleromyxedema-ivig")
ISOLATED = re.compile("[\u2066\u2067\u2068][^\u2069]*\u2069?")


def text_dir(text):
    rtl = ltr = 0
    first = None
    for c in ISOLATED.sub("", text):
        b = unicodedata.bidirectional(c)
        if b in ("R", "AL"):
            rtl += 1
            first = first or "rtl"
        elif b == "L":
            ltr += 1
            first = first or "ltr"
    if rtl == ltr:
        return first
    return "rtl" if rtl > ltr else "ltr"


def render(binary, tmp, template, data, language):
    d = json.load(open(os.path.join(SAMPLE, data), encoding="utf-8"))
    d["language"] = language
    src = os.path.join(tmp, "%s-%s.json" % (template, language))
    json.dump(d, open(src, "w", encoding="utf-8"), ensure_ascii=False)
    dump = os.path.join(tmp, "dump.jsonl")
    env = dict(os.environ, VARAQ_LAYOUT_DUMP=dump)
    subprocess.run([binary, "render", template, src, "-o", os.path.join(tmp, "out.pdf")],
                   check=True, env=env)
    paras = {}
    for line in open(dump, encoding="utf-8"):
        item = json.loads(line)
        if (item.get("kind") != "line" or item.get("area") == "furniture" or item.get("in", 0) or
                item.get("role") == "caption"):
            continue
        key = (item["page"], item["para"])
        p = paras.setdefault(key, {"dir": item["dir"], "text": ""})
        p["text"] += item["text"]
    return list(paras.values()), os.path.join(tmp, "out.pdf")


def main():
    binary = os.environ.get("VQ_BINARY", "build/varaq")
    failures = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for template, data in (("journal-case", "case.json"), ("handout", "handout.json")):
            for language in ("fa", "en"):
                paras, pdf = render(binary, tmp, template, data, language)
                for p in paras:
                    want = text_dir(p["text"])
                    if want is None:
                        continue
                    checked += 1
                    if p["dir"] != want:
                        failures += 1
                        print("FAIL %s %s: %s paragraph set %s: %s" %
                              (template, language, want, p["dir"], p["text"][:80]))
                if template == "journal-case" and language == "en":
                    fonts = subprocess.run(["pdffonts", pdf], check=True, capture_output=True,
                                           text=True).stdout
                    if "Amiri" not in fonts and "Vazirmatn" not in fonts:
                        failures += 1
                        print("FAIL journal-case en: no Persian face in the PDF")
                    body = [p for p in paras if p["dir"] == "rtl" and len(p["text"]) > 200]
                    latin_only = [p for p in body if re.search("[\u06f0-\u06f9]", p["text"]) is None
                                  and re.search("[0-9]", p["text"])]
                    if not body or len(latin_only) == len(body):
                        failures += 1
                        print("FAIL journal-case en: Persian body paragraphs lost their "
                              "Persian digits")
    print("%d paragraphs checked" % checked)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
