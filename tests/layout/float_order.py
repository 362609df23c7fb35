#!/usr/bin/python3
"""Floats go forward: a table or figure whose caption's label ("جدول شماره ۲",
"Table 2") is mentioned in the text never stands before that mention in
reading order (page, then column in the section's direction, then height),
in the sample case report in Persian and in English. Read from the layout
dump (VARAQ_LAYOUT_DUMP): caption lines, body lines and column frames.
Table 2 is mentioned low on page 4 and a page-wide table does not fit under
it: it belongs at the top of page 5, not of page 4."""
import json
import os
import re
import subprocess
import sys
import tempfile

SRC = os.environ.get("VQ_SOURCE_DIR", ".")
BIN = os.environ["VQ_BINARY"]
CASE = os.path.join(SRC, "samples", "scleromyxedema-ivig", "case.json")
LABEL = re.compile(r"^\s*(جدول|تصویر|Table|Figure)(?: شماره)? ([۰-۹0-9]+)")
KINDS = {"جدول": "table", "Table": "table", "تصویر": "figure", "Figure": "figure"}
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def mention_of(kind, number):
    """A mention of the float in either language of the text."""
    latin = number.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    fa = {"table": "جدول", "figure": "تصویر"}[kind]
    en = {"table": "Table", "figure": "Figure"}[kind]
    return re.compile(rf"{fa} شماره ({latin}|{latin.translate(PERSIAN_DIGITS)})(?![0-9۰-۹])"
                      rf"|{en} {latin}(?![0-9])")

failures = []


def dump_of(language, tmp):
    data = json.load(open(CASE, encoding="utf-8"))
    data["language"] = language
    path = os.path.join(tmp, f"case-{language}.json")
    json.dump(data, open(path, "w", encoding="utf-8"), ensure_ascii=False)
    dump = os.path.join(tmp, f"dump-{language}.jsonl")
    env = dict(os.environ, VARAQ_LAYOUT_DUMP=dump)
    r = subprocess.run([BIN, "render", "journal-case", path, "-o", os.path.join(tmp, "out.pdf")],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"float_order: render {language} failed: {r.stderr[:400]}")
    return [json.loads(line) for line in open(dump, encoding="utf-8")]


def column(item, frames):
    """The column of a line in reading order, or None outside columns."""
    for f in frames:
        if (f["page"] == item["page"] and f["x"] - 1 <= item["x"] + item["w"] / 2 <= f["x"] + f["w"] + 1
                and f["y"] - 1 <= item["y"] <= f["y"] + f["h"] + 1 and f["cols"] > 1):
            return f["col"]
    return None


def before(a, b, frames):
    """Whether line a is read before line b."""
    if a["page"] != b["page"]:
        return a["page"] < b["page"]
    ca, cb = column(a, frames), column(b, frames)
    if ca is not None and cb is not None and ca != cb:
        return ca < cb
    return a["y"] < b["y"]


def check(language, items):
    frames = [i for i in items if i["kind"] == "frame"]
    lines = [i for i in items if i["kind"] == "line" and i["area"] == "body"]
    checked = 0
    for cap in (l for l in lines if l.get("role") == "caption"):
        m = LABEL.match(cap["text"])
        if not m:
            continue
        label = m.group(0).strip()
        said = mention_of(KINDS[m.group(1)], m.group(2))
        mention = next((l for l in lines if l.get("role") != "caption" and said.search(l["text"])),
                       None)
        if mention is None:
            continue
        checked += 1
        if not before(mention, cap, frames):
            failures.append(f"{language}: {label} stands on page {cap['page']} before its "
                            f"mention on page {mention['page']}")
    if checked == 0:
        failures.append(f"{language}: no caption whose label the text mentions")


with tempfile.TemporaryDirectory() as tmp:
    for language in ("fa", "en"):
        check(language, dump_of(language, tmp))
for f in failures:
    print("FAIL:", f)
print("float_order:", "ok" if not failures else f"{len(failures)} failed")
sys.exit(1 if failures else 0)
