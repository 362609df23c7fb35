#!/usr/bin/env python3
"""How the work behind the markup limits grows (docs/limits.md): a
paragraph's text (32 KiB), combining marks (32 a character) and table cells
(10000), each at 1x, 2x and 4x a size up to the limit. For each run: wall
time and peak RSS of the CLI, and, with --callgrind, the instructions of
the whole run and of each stage (inclusive), which are not noisy on a
shared machine. Growth is the 4x/1x ratio: 4 is linear, 16 quadratic.

    python3 bench/limits_scaling.py build/varaq [--callgrind] [--only NAME]"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

STAGES = [
    "vq_template_render_ex", "vq_markup_parse_opts", "vq_layout_render",
    "vq_text_normalize", "vq_text_bidi", "vq_text_itemize", "vq_text_shape",
    "vq_text_find_breaks", "vq_text_break_lines", "vq_text_build_lines",
    "lay_build_table", "vq_canvas_draw_line", "vq_canvas_finish",
]
FA = "بیمار با ضایعات پوستی مراجعه کرد "
EN = "The patient presented with skin lesions "


def fill(unit, size):
    b = (unit * (size // len(unit.encode()) + 1)).encode()[:size]
    return b.decode(errors="ignore")


def row(cols):
    return "<tr>" + "<td>1</td>" * cols + "</tr>"


# name -> (template body, sizes, data for a size)
CASES = {
    "para_fa": ("p", [8192, 16384, 32704], lambda n: fill(FA, n)),
    "para_en": ("p", [8192, 16384, 32704], lambda n: fill(EN, n)),
    "para_nospace": ("p", [8192, 16384, 32704], lambda n: "x" * n),
    "para_hyphens": ("p", [8192, 16384, 32704], lambda n: "a-" * (n // 2)),
    "para_mg": ("p", [8192, 16384, 32700], lambda n: "5 mg " * (n // 5)),
    # clusters of a base and 31 marks (62 bytes of marks each)
    "marks_31": ("p", [8192, 16384, 32704],
                 lambda n: ("a" + "\u0301" * 31 + " ") * (n // 65)),
    "table_cells": ("blocks", [2500, 5000, 10000],
                    lambda n: "<table>" + row(10) * (n // 10) + "</table>"),
}


def stage_costs(out_file):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", out_file],
                          capture_output=True, text=True).stdout
    total = 0
    m = re.search(r"([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS", text)
    if m:
        total = int(m.group(1).replace(",", ""))
    costs = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+\S*:(\w+)", line)
        if m and m.group(2) in STAGES and m.group(2) not in costs:
            costs[m.group(2)] = int(m.group(1).replace(",", ""))
    return total, costs


def main():
    varaq = os.path.abspath(sys.argv[1])
    callgrind = "--callgrind" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    tmp = tempfile.mkdtemp()
    tpl = {
        "p": "<document><section><p>{{{text}}}</p></section></document>\n",
        "blocks": "<document><section>{{{text}}}</section></document>\n",
    }
    for k, v in tpl.items():
        open(os.path.join(tmp, k + ".mustache"), "w").write(v)
    print("| case | size | exit | seconds | peak KiB | instructions | " + " | ".join(STAGES) + " |")
    results = {}
    for name, (t, sizes, make) in CASES.items():
        if only and name != only:
            continue
        for n in sizes:
            data = os.path.join(tmp, f"{name}_{n}.json")
            json.dump({"text": make(n)}, open(data, "w"), ensure_ascii=False)
            cmd = [varaq, "render", os.path.join(tmp, t + ".mustache"), data, "-o",
                   os.path.join(tmp, "out.pdf")]
            start = time.time()
            r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
            secs = time.time() - start
            peak = r.stderr.strip().splitlines()[-1]
            total, costs = 0, {}
            if callgrind:
                cg = os.path.join(tmp, "cg.out")
                subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg] + cmd,
                               capture_output=True)
                total, costs = stage_costs(cg)
            results[(name, n)] = (total, costs)
            print(f"| {name} | {n} | {r.returncode} | {secs:.2f} | {peak} | {total} | "
                  + " | ".join(str(costs.get(s, "")) for s in STAGES) + " |", flush=True)
        if callgrind:
            a, b = results[(name, sizes[0])], results[(name, sizes[-1])]
            growth = {s: b[1][s] / a[1][s] for s in STAGES if a[1].get(s) and b[1].get(s)}
            print(f"| {name} growth {sizes[-1] / sizes[0]:.0f}x | | | | | {b[0] / max(a[0], 1):.2f} | "
                  + " | ".join(f"{growth[s]:.2f}" if s in growth else "" for s in STAGES) + " |",
                  flush=True)


main()
