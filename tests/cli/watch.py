#!/usr/bin/python3
"""`varaq watch` from the outside: it renders, then renders again when the
data, the template (also saved the way editors save: a new file renamed
over the old), a partial, a partial that did not exist yet, or an image
changes; an error is printed and the watch goes on, keeping the last good
PDF; files beside the inputs that the render never read change nothing;
a font added to or replaced in a --font-path or $VARAQ_FONT_PATH folder
renders again."""
import glob
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, failures, run_groups  # noqa: E402

binary = os.path.abspath(os.environ["VQ_BINARY"])


def write(work, name, text, replace=False):
    """replace: write a new file and rename it over the old one (vim, most
    editors' safe save)."""
    path = os.path.join(work, name)
    target = path + ".new~" if replace else path
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    if replace:
        os.replace(target, path)


class Watch:
    def __init__(self, work, *args, env=None):
        # A file written in the 20 ms before a render starts counts as
        # changed during it (the kernel's file clock is coarse): one more
        # render, which the checks below do not expect.
        time.sleep(0.1)
        self.proc = subprocess.Popen([binary, "watch", *args], cwd=work, stderr=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, text=True, env=env)
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))

    def until(self, pattern, timeout=30):
        """The lines up to and including the first that matches pattern."""
        got = []
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            got.append(line)
            self.seen.append(line)
            if re.fullmatch(pattern, line):
                return got
        got.append(f"(no line matching {pattern!r} within {timeout} s)")
        return got

    def quiet(self, seconds):
        """The lines printed within seconds (none expected)."""
        got = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                got.append(self.lines.get(timeout=0.1))
            except queue.Empty:
                pass
        return got

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)


WROTE = r"varaq watch: wrote out\.pdf: 1 page in [0-9.]+ s"
KEPT = "varaq watch: out.pdf not updated; waiting for a change"


def text(work):
    return subprocess.run(["pdftotext", "-layout", "out.pdf", "-"], cwd=work, capture_output=True,
                          text=True).stdout.split()


def rerenders(work):
    os.mkdir(os.path.join(work, "img"))
    write(work, "t.mustache", '<document lang="en">\n<p>Hello {{name}}</p>\n{{> foot}}\n'
          '<figure src="{{logo}}" width="20mm"/>\n</document>\n')
    write(work, "foot.mustache", "<p>foot one</p>\n")
    write(work, "d.json", '{"name": "Sara", "logo": "img/logo.svg"}')
    logo = ('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
            '<rect width="20" height="20" fill="#{}"/></svg>')
    write(work, "img/logo.svg", logo.format("1a6fb0"))
    w = Watch(work, "t.mustache", "d.json", "-o", "out.pdf")
    try:
        first = w.until(WROTE)
        check("first render: one line", (len(first), bool(re.fullmatch(WROTE, first[-1]))),
              (1, True))
        check("first render: text", text(work), ["Hello", "Sara", "foot", "one"])

        write(work, "d.json", '{"name": "Ali", "logo": "img/logo.svg"}')
        check("data changed", w.until(WROTE)[0], "varaq watch: d.json changed")
        check("data changed: text", text(work), ["Hello", "Ali", "foot", "one"])

        write(work, "t.mustache", '<document lang="en">\n<p>Hi {{name}}</p>\n{{> foot}}\n'
              '<figure src="{{logo}}" width="20mm"/>\n</document>\n', replace=True)
        check("template saved by rename", w.until(WROTE)[0], "varaq watch: t.mustache changed")
        check("template saved by rename: text", text(work), ["Hi", "Ali", "foot", "one"])

        write(work, "foot.mustache", "<p>foot two</p>\n")
        check("partial changed", w.until(WROTE)[0], "varaq watch: foot.mustache changed")
        check("partial changed: text", text(work), ["Hi", "Ali", "foot", "two"])

        with open(os.path.join(work, "out.pdf"), "rb") as f:
            good = f.read()
        write(work, "foot.mustache", "<p>{{bad}</p>\n")
        check("an error does not stop it", w.until(re.escape(KEPT)),
              ["varaq watch: foot.mustache changed",
               "foot.mustache:1:4: error: unterminated tag: no closing '}}'",
               " 1 | <p>{{bad}</p>",
               "   |    ^",
               KEPT])
        with open(os.path.join(work, "out.pdf"), "rb") as f:
            check("the last good PDF is kept", f.read() == good, True)
        check("still running after the error", w.proc.poll(), None)

        write(work, "foot.mustache", "<p>foot three</p>\n{{> later}}\n")
        check("a partial that does not exist yet", w.until(re.escape(KEPT))[:2],
              ["varaq watch: foot.mustache changed",
               "foot.mustache:2:1: error: partial 'later' not found"])
        write(work, "later.mustache", "<p>later</p>\n")
        check("it appears", w.until(WROTE)[0], "varaq watch: later.mustache changed")
        check("it appears: text", text(work), ["Hi", "Ali", "foot", "three", "later"])

        write(work, "img/logo.svg", logo.format("c0392b"))
        check("image changed", w.until(WROTE)[0], "varaq watch: logo.svg changed")
        ppm = subprocess.run(["pdftoppm", "-r", "72", "-singlefile", "out.pdf"], cwd=work,
                             capture_output=True).stdout
        check("image changed: the new colour is drawn", b"\xc0\x39\x2b" in ppm, True)

        write(work, "notes.txt", "not an input\n")
        write(work, "img/other.svg", logo.format("000000"))
        check("files the render did not read change nothing", w.quiet(1.5), [])
        check("still running at the end", w.proc.poll(), None)
    finally:
        rc = w.stop()
    check("SIGTERM stops it", rc, -signal.SIGTERM)
    check("no temporary file left", glob.glob(os.path.join(work, "*tmp*")), [])


NOTO = "/usr/share/fonts/truetype/noto"


def fonts_used(work):
    out = subprocess.run(["pdffonts", "out.pdf"], cwd=work, capture_output=True, text=True).stdout
    return sorted({line.split()[0].split("+")[-1] for line in out.split("\n")[2:] if line})


def font_folders(work):
    """A font added to, replaced in or removed from a --font-path folder (or
    one of $VARAQ_FONT_PATH) renders again; other files there do not."""
    for name in ("myfonts", "envfonts"):
        os.mkdir(os.path.join(work, name))
    write(work, "t.xml", '<document lang="fa">\n<p font="Noto Sans Arabic">سلام</p>\n</document>\n')
    sans = os.path.join(NOTO, "NotoSansArabic-Regular.ttf")
    w = Watch(work, "t.xml", "-o", "out.pdf", "--font-path", "myfonts")
    try:
        check("--font-path: the family is missing at first", w.until(re.escape(KEPT))[0],
              "t.xml:2:28: error: no font family 'Noto Sans Arabic'; the families are Amiri, "
              "Noto Serif, Vazirmatn (see 'varaq fonts') (--lenient draws it anyway)")
        shutil.copy(sans, os.path.join(work, "myfonts", "SANS.TTF"))
        check("--font-path: a font added", w.until(WROTE)[0], "varaq watch: SANS.TTF changed")
        os.rename(os.path.join(work, "myfonts", "SANS.TTF"), os.path.join(work, "myfonts", "sans.ttf"))
        # (the old name goes first)
        check("--font-path: a font renamed", w.until(WROTE)[0], "varaq watch: SANS.TTF changed")
        check("--font-path: it is used", fonts_used(work), ["NotoSansArabic-Regular"])
        bold = os.path.join(work, "myfonts", "bold.ttf.new~")
        shutil.copy(os.path.join(NOTO, "NotoSansArabic-Bold.ttf"), bold)
        check("--font-path: a file of another name changes nothing", w.quiet(1.5), [])
        os.replace(bold, os.path.join(work, "myfonts", "sans.ttf"))
        lines = w.until(f"{WROTE}|{re.escape(KEPT)}")
        check("--font-path: a font replaced (by rename)", lines[0], "varaq watch: sans.ttf changed")
        check("--font-path: the new face is used", fonts_used(work), ["NotoSansArabic-Bold"])
        write(work, "myfonts/README", "not a font\n")
        check("--font-path: a file that is no font changes nothing", w.quiet(1.5), [])
    finally:
        w.stop()
    env = dict(os.environ, VARAQ_FONT_PATH=os.path.join(work, "envfonts"))
    w = Watch(work, "t.xml", "-o", "out.pdf", env=env)
    try:
        w.until(re.escape(KEPT))
        shutil.copy(sans, os.path.join(work, "envfonts", "sans.ttf"))
        check("VARAQ_FONT_PATH: a font added", w.until(WROTE)[0], "varaq watch: sans.ttf changed")
        os.remove(os.path.join(work, "envfonts", "sans.ttf"))
        check("VARAQ_FONT_PATH: a font removed", w.until(re.escape(KEPT))[0],
              "varaq watch: sans.ttf changed")
    finally:
        w.stop()


def png_pages(work):
    """--png: the pages by name; a shorter document leaves no page of the
    longer one behind."""
    write(work, "t.xml", '<document lang="en"><p>one</p><page-break/><p>two</p></document>')
    w = Watch(work, "t.xml", "--png", "--dpi", "20", "-o", "p-%d.png")
    try:
        check("png: the pages by name", w.until(r"varaq watch: wrote .*")[-1].split(" in ")[0],
              "varaq watch: wrote p-1.png to p-2.png")
        write(work, "t.xml", '<document lang="en"><p>one</p></document>')
        lines = w.until(r"varaq watch: wrote .*")
        check("png: one page now", (lines[0], lines[-1].split(" in ")[0]),
              ("varaq watch: t.xml changed", "varaq watch: wrote p-1.png"))
        check("png: page 2 is gone", sorted(os.listdir(work)), ["p-1.png", "t.xml"])
    finally:
        w.stop()


def usage(work):
    write(work, "d.json", "{}")
    for args, message in [
        (["t.mustache", "-", "-o", "out.pdf"],
         "varaq watch: error: watch reads files: '-' (standard input) cannot be watched"),
        (["t.mustache", "d.json", "-o", "-"],
         "varaq watch: error: -o needs a file: each render replaces it"),
        (["t.mustache", "d.json", "-o", "out.pdf", "--dpi", "72"],
         "varaq watch: error: --dpi applies to PNG pages only: add --png"),
    ]:
        r = subprocess.run([binary, "watch", *args], cwd=work, capture_output=True, text=True,
                           timeout=30)
        check(f"usage: {args}", (r.returncode, r.stderr),
              (2, message + "\nTry 'varaq help watch'.\n"))


run_groups(rerenders, font_folders, png_pages, usage)
