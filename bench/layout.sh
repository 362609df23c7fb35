#!/bin/sh
# Layout cost per page: the seed article's body (its Persian paragraphs, set
# in two columns under a running header with "page N of M") repeated to
# about 6 and to about 120 pages. Prints ms per page for both sizes, their
# ratio (linear cost keeps it near 1) and the peak memory of each run.
# Time is the child's CPU time (user + system), best of 3, so that other
# work on a shared machine does not count; wall time is shown beside it.
#
#   bench/layout.sh [BUILD_DIR] [SEED.txt]
#
# BUILD_DIR defaults to build (a Release build); the seed to the sample
# article's text, samples/scleromyxedema-ivig/article.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
seed=${2:-$here/../samples/scleromyxedema-ivig/article.txt}
exec /usr/bin/python3 - "$build/varaq" "$seed" <<'PY'
import os, re, resource, subprocess, sys, tempfile, time
from xml.sax.saxutils import escape

varaq, seed = sys.argv[1], sys.argv[2]
text = open(seed, encoding="utf-8").read()
# The body: paragraphs with Persian letters that read as running text.
paras = [p.strip() for p in re.split(r"\n\s*\n", text)]
paras = [p.replace("\n", " ") for p in paras if re.search(r"[\u0600-\u06FF]", p) and len(p) > 200]
tmp = tempfile.mkdtemp(prefix="varaq-bench-")

def document(count):
    """The body's paragraphs, cycled until there are count of them, with a
    heading at each new round."""
    body = []
    for i in range(count):
        if i % len(paras) == 0:
            body.append(f"<h2>بخش {i // len(paras) + 1}</h2>")
        body.append(f"<p>{escape(paras[i % len(paras)])}</p>")
    return ('<document lang="fa" dir="rtl" title="محک">\n'
            '<page size="A4" margin="20mm 18mm" column-gap="8mm"/>\n'
            '<header><p align="center">صفحهٔ <page-number/> از <page-count/></p></header>\n'
            '<section columns="2">\n' + "\n".join(body) + "\n</section>\n</document>\n")

def run(reps, tries=3):
    src = os.path.join(tmp, f"bench-{reps}.xml")
    out = os.path.join(tmp, f"bench-{reps}.pdf")
    open(src, "w", encoding="utf-8").write(document(reps))
    best, wall, peak = None, None, 0
    for _ in range(tries):
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.execv(varaq, [varaq, "render", src, "-o", out])
        _, status, usage = os.wait4(pid, 0)
        dt = time.perf_counter() - t0
        if status != 0:
            sys.exit(f"varaq failed on {src}")
        cpu = usage.ru_utime + usage.ru_stime
        best = cpu if best is None else min(best, cpu)
        wall = dt if wall is None else min(wall, dt)
        peak = max(peak, usage.ru_maxrss)
    info = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return pages, best, wall, peak

# Paragraphs per page, from one round of the body, gives the two sizes.
p1 = run(len(paras), tries=1)[0]
per_page = len(paras) / p1
rows = []
for count in (round(6 * per_page), round(120 * per_page)):
    pages, secs, wall, peak = run(count)
    rows.append((count, pages, secs, peak))
    print(f"{count:5d} paragraphs  {pages:4d} pages  CPU {secs * 1000:7.1f} ms "
          f"= {secs * 1000 / pages:5.2f} ms/page  (wall {wall * 1000 / pages:5.2f} ms/page)  "
          f"peak {peak / 1024:5.1f} MiB", flush=True)
ratio = (rows[1][2] / rows[1][1]) / (rows[0][2] / rows[0][1])
print(f"ms/page ratio (large / small): {ratio:.2f}")
PY
