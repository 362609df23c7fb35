#!/usr/bin/python3
"""docs/architecture.md's module table against the source: for each src/
folder, the stages its files include ("includes (stages)") and the
libraries whose headers they include ("other libraries") are exactly the
ones its #include lines name. Prints each mismatch; exits 1 on any.

usage: architecture.py   (env: VQ_SOURCE_DIR)
"""
import os
import re
import sys

ROOT = os.environ.get("VQ_SOURCE_DIR", ".")
SRC = os.path.join(ROOT, "src")
DOC = os.path.join(ROOT, "docs", "architecture.md")
# A library's headers, by the start of the include path, and the name the
# table gives it.
LIBRARIES = [("hb", "HarfBuzz"), ("cairo", "Cairo"), ("ft2build", "FreeType"),
             ("unicode/", "ICU"), ("jansson", "jansson"), ("expat", "expat"),
             ("jpeglib", "libjpeg"), ("qrencode", "libqrencode"), ("librsvg/", "librsvg"),
             ("microhttpd", "libmicrohttpd"), ("hyphen", "libhyphen")]


def includes(stage):
    """(stages, libraries) the files of src/STAGE include."""
    stages, libs = set(), set()
    folder = os.path.join(SRC, stage)
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".c", ".h")):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                m = re.match(r'\s*#\s*include\s*"([a-z_]+)/', line)
                if m and m.group(1) not in (stage, "varaq"):
                    stages.add(m.group(1))
                m = re.match(r"\s*#\s*include\s*<([^>]+)>", line)
                if m:
                    libs.update(lib for prefix, lib in LIBRARIES if m.group(1).startswith(prefix))
    return stages, libs


def table():
    """{stage: (stages column, libraries column)} from the Modules table."""
    rows = {}
    with open(DOC, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\| `src/([a-z_]+)` \|", line)
            if m:
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                rows[m.group(1)] = (cells[2], cells[3])
    return rows


def main():
    rows = table()
    stages = sorted(d for d in os.listdir(SRC) if os.path.isdir(os.path.join(SRC, d)))
    problems = []
    for stage in stages:
        if stage not in rows:
            problems.append(f"src/{stage}: no row in the table")
            continue
        used, libs = includes(stage)
        stage_cell, lib_cell = rows[stage]
        # Stage names outside parentheses ("`text/style.h` alone" names text).
        named = set(re.findall(r"[a-z_]+", re.sub(r"\([^)]*\)", "", stage_cell))) & set(stages)
        for s in sorted(used - named):
            problems.append(f"src/{stage}: includes {s}/ headers, the table does not say so")
        for s in sorted(named - used):
            problems.append(f"src/{stage}: the table names {s}, no file includes its headers")
        for lib in sorted(libs):
            if lib not in lib_cell:
                problems.append(f"src/{stage}: includes {lib} headers, not under other libraries")
        # The libraries named (outside parentheses: "no Cairo") are all used.
        plain = re.sub(r"\([^)]*\)", "", lib_cell)
        for _, lib in LIBRARIES:
            if re.search(r"\b" + lib + r"\b", plain) and lib not in libs:
                problems.append(f"src/{stage}: the table names {lib}, no file includes its headers")
    for stage in sorted(set(rows) - set(stages)):
        problems.append(f"src/{stage}: in the table, no such folder")
    for p in problems:
        print(p)
    print(f"{len(stages)} stages, {len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
