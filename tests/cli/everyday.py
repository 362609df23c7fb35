#!/usr/bin/python3
"""Everyday use of `varaq` from the outside, with exact messages: strict by
default (--lenient warns instead), fonts a document asks for and does not
get, usage errors, `varaq version`."""
import os
import shutil
import subprocess
import sys
import tempfile

binary = os.path.abspath(os.environ["VQ_BINARY"])
failures = []
checks = 0


def run(work, *args, **kw):
    return subprocess.run([binary, *args], cwd=work, capture_output=True, **kw)


def check(what, got, want):
    global checks
    checks += 1
    if got != want:
        failures.append(f"{what}:\n  want {want!r}\n  got  {got!r}")


def write(work, name, data):
    with open(os.path.join(work, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def first_line(b):
    return b.decode("utf-8", "replace").split("\n")[0]


def fonts(work):
    write(work, "f.xml", '<document lang="fa">\n<p>سلام</p>\n<p font="B Nazanin">متن</p>\n</document>\n')
    families = "Amiri, Noto Serif, Vazirmatn"
    r = run(work, "render", "f.xml", "-o", "f.pdf")
    check("unknown family: error", (r.returncode, first_line(r.stderr)),
          (1, f"f.xml:3:21: error: no font family 'B Nazanin'; the families are {families} "
              "(see 'varaq fonts') (--lenient draws it anyway)"))
    check("unknown family: nothing written", os.path.exists(os.path.join(work, "f.pdf")), False)
    r = run(work, "render", "f.xml", "-o", "f.pdf", "--lenient")
    check("unknown family, --lenient: a warning", (r.returncode, first_line(r.stderr)),
          (0, f"f.xml:3:21: warning: no font family 'B Nazanin'; the families are {families} "
              "(see 'varaq fonts')"))
    write(work, "i.xml", '<document lang="fa">\n<p>دارو <i>Rituximab</i> و <i>متن</i></p>\n</document>\n')
    r = run(work, "render", "i.xml", "-o", "i.pdf", "--lenient")
    check("no italic face for Latin: a warning", (r.returncode, r.stderr.decode()),
          (0, "i.xml:2:12: warning: font family 'Vazirmatn' has no italic face; "
              "italic text is drawn upright\n"))
    write(work, "j.xml", '<document lang="fa">\n<p>دارو <i>متن</i></p>\n</document>\n')
    r = run(work, "render", "j.xml", "-o", "j.pdf")
    check("Persian in <i>: upright is right, no warning", (r.returncode, r.stderr), (0, b""))


def strict_default(work):
    write(work, "t.mustache", '<document lang="en">\n<p>{{patient.nmae}}</p>\n</document>\n')
    write(work, "d.json", '{"patient": {"name": "Sara"}}')
    r = run(work, "render", "t.mustache", "d.json", "-o", "t.pdf")
    check("strict by default", (r.returncode, first_line(r.stderr)),
          (1, "t.mustache:2:4: error: no value for 'patient.nmae'"))
    r = run(work, "render", "t.mustache", "d.json", "-o", "t.pdf", "--lenient")
    check("--lenient warns", (r.returncode, r.stderr.decode()),
          (0, "t.mustache:2:4: warning: no value for 'patient.nmae' (left empty: --lenient)\n"))


for group in (fonts, strict_default):
    work = tempfile.mkdtemp()
    try:
        group(work)
    finally:
        shutil.rmtree(work)

for f in failures:
    print("FAIL", f)
print(f"{checks - len(failures)} of {checks} checks pass")
sys.exit(1 if failures else 0)
