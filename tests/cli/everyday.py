#!/usr/bin/python3
"""Everyday use of `varaq` from the outside, with exact messages: strict by
default (--lenient warns instead), fonts a document asks for and does not
get, --font-path, errors with the source line and a caret, suggestions,
usage errors, `varaq version`."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, failures, run_groups  # noqa: E402

binary = os.path.abspath(os.environ["VQ_BINARY"])


def run(work, *args, **kw):
    return subprocess.run([binary, *args], cwd=work, capture_output=True, **kw)


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


def diagnostics(work):
    write(work, "t.mustache", "<document lang=\"en\">\n\t<p>{{patient.nmae}}</p>\n</document>\n")
    write(work, "d.json", '{"patient": {"name": "Sara"}}')
    r = run(work, "expand", "t.mustache", "d.json")
    check("caret under a template error", (r.returncode, r.stderr.decode()),
          (1, "t.mustache:2:5: error: no value for 'patient.nmae'\n"
              " 2 | \t<p>{{patient.nmae}}</p>\n"
              "   | \t   ^\n"))
    write(work, "l.mustache", "{{#rows}}{{list}}{{/rows}}")
    write(work, "l.json", '{"rows": [{"list": "a"},\n  {"list": [1]}]}')
    r = run(work, "expand", "l.mustache", "l.json")
    check("data-driven error: the data place too", (r.returncode, r.stderr.decode()),
          (1, "l.mustache:1:10: error: 'list' is a list, not a value that can be printed "
              "(data at l.json:2:12)\n"
              " 1 | {{#rows}}{{list}}{{/rows}}\n"
              "   |          ^\n"
              "l.json:2:12: note: the value in the data\n"
              " 2 |   {\"list\": [1]}]}\n"
              "   |            ^\n"))
    write(work, "m.xml", '<document lang="fa">\n  <p>متن <tabel/></p>\n</document>\n')
    r = run(work, "render", "m.xml", "-o", "m.pdf")
    check("caret under a markup error, counted in characters", (r.returncode, r.stderr.decode()),
          (1, "m.xml:2:10: error: unknown element <tabel> (did you mean <table>?)\n"
              " 2 |   <p>متن <tabel/></p>\n"
              "   |          ^\n"))
    r = run(work, "expand", "l.mustache", "-", input=b'{"rows": [{"list": {}}]}')
    check("no excerpt of standard input", (r.returncode, r.stderr.decode()),
          (1, "l.mustache:1:10: error: 'list' is an object, not a value that can be printed "
              "(data at -:1:20)\n"
              " 1 | {{#rows}}{{list}}{{/rows}}\n"
              "   |          ^\n"
              "-:1:20: note: the value in the data\n"))
    r = run(work, "render", "handuot", "d.json", "-o", "x.pdf")
    check("a mistyped bundled template name", (r.returncode, r.stderr.decode()),
          (3, "handuot: error: cannot open file: No such file or directory (nor a bundled "
              "template of that name; did you mean 'handout'?)\n"))
    r = run(work, "expand", "jurnal-case", "d.json")
    check("nearest name", first_line(r.stderr).endswith("did you mean 'journal-case'?)"), True)


def usage(work):
    write(work, "m.xml", '<document lang="en"><p>x</p></document>')
    r = run(work, "render", "m.xml", "-o", "m.pdf", "--dpi", "150")
    check("--dpi without --png", (r.returncode, r.stderr.decode()),
          (2, "varaq render: error: --dpi applies to PNG pages only: add --png\n"
              "Try 'varaq help render'.\n"))
    check("--dpi without --png writes nothing", os.path.exists(os.path.join(work, "m.pdf")), False)
    r = run(work, "version")
    lines = r.stdout.decode().split("\n")
    check("varaq version", (r.returncode, lines[0].startswith("varaq "),
                            lines[1].startswith("ICU ") and "HarfBuzz" in lines[1]), (0, True, True))
    for cmd in ("render", "watch", "batch", "serve", "expand", "text", "fonts"):
        r = run(work, "help", cmd)
        text = r.stdout.decode()
        check(f"help {cmd}: one style", (r.returncode, text.startswith(f"Usage: varaq {cmd}"),
                                        "\nOptions:\n" in text, "\nExit status:" in text,
                                        "standard " in text, "\n  -h, --help " in text,
                                        "\nExamples:\n" in text),
              (0, True, True, True, True, True, True))


NOTO = "/usr/share/fonts/truetype/noto"


def font_path(work):
    fonts = os.path.join(work, "myfonts")
    os.mkdir(fonts)
    shutil.copy(os.path.join(NOTO, "NotoSansArabic-Regular.ttf"), fonts)
    r = run(work, "fonts", "--font-path", "myfonts")
    check("--font-path: listed", (r.returncode, f"Noto Sans Arabic\tRegular\t400\tmyfonts/NotoSansArabic-Regular.ttf"
                                  in r.stdout.decode()), (0, True))
    write(work, "f.xml", '<document lang="fa">\n<p font="Noto Sans Arabic">سلام دنیا</p>\n</document>\n')
    r = run(work, "render", "f.xml", "-o", "f.pdf")
    check("without --font-path the family is unknown", r.returncode, 1)
    r = run(work, "render", "f.xml", "-o", "f.pdf", "--font-path", "myfonts")
    check("--font-path: renders", (r.returncode, r.stderr), (0, b""))
    fonts_used = subprocess.run(["pdffonts", "f.pdf"], cwd=work, capture_output=True, text=True).stdout
    check("--font-path: the user's face is embedded", "NotoSansArabic" in fonts_used, True)
    r = run(work, "render", "f.xml", "-o", "f.pdf", "--font-path", "nofolder")
    check("--font-path: a missing folder", (r.returncode, r.stderr.decode()),
          (3, "nofolder: error: font folder: No such file or directory\n"))
    env = dict(os.environ, VARAQ_FONT_PATH=fonts)
    r = run(work, "render", "f.xml", "-o", "g.pdf", env=env)
    check("VARAQ_FONT_PATH still works", (r.returncode, r.stderr), (0, b""))


LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">
  <rect x="2" y="2" width="36" height="36" fill="#1a6fb0"/>
  <circle cx="80" cy="20" r="14" fill="none" stroke="#c0392b" stroke-width="3"/>
</svg>
"""


def graphics(work):
    """<qr> and SVG figures are drawn as vectors: no image in the PDF, the
    QR code scans back to its value, the SVG's colours are on the page."""
    write(work, "logo.svg", LOGO)
    value = "https://example.org/appointment/1403-0815?p=۱۲"
    write(work, "q.xml", '<document lang="fa">\n<figure src="logo.svg" width="60mm"/>\n'
          f'<p>نوبت بعدی:</p>\n<qr value="{value}" size="30mm"/>\n</document>\n')
    r = run(work, "render", "q.xml", "-o", "q.pdf")
    check("qr + svg: renders", (r.returncode, r.stderr), (0, b""))
    images = subprocess.run(["pdfimages", "-list", "q.pdf"], cwd=work, capture_output=True,
                            text=True).stdout.strip().split("\n")
    check("qr + svg: no raster image in the PDF", len(images), 2)  # the two header lines
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", "q.pdf", "q"], cwd=work)
    if shutil.which("zbarimg"):
        z = subprocess.run(["zbarimg", "-q", "--raw", "q.png"], cwd=work, capture_output=True)
        check("qr: scans back to its value", z.stdout.decode().strip(), value)
    else:
        print("note: zbarimg (zbar-tools) missing: the QR code is not scanned")
    ppm = subprocess.run(["pdftoppm", "-r", "72", "-singlefile", "q.pdf"], cwd=work,
                         capture_output=True).stdout
    check("svg: its blue is drawn", bytes([0x1a, 0x6f, 0xb0]) in ppm, True)
    check("svg: its red is drawn", b"\xc0\x39\x2b" in ppm or b"\xc0\x39\x2c" in ppm, True)
    errors = [
        ('<qr/>', "1:21: error: <qr> needs a non-empty value=\"…\" (the text or link to encode)"),
        ('<qr value="x" size="big"/>',
         "1:35: error: size=\"big\": expected a length in pt, mm, cm, in or %"),
        ('<qr value="' + "x" * 2400 + '"/>',
         "1:21: error: <qr> value is 2400 bytes; a QR code holds at most 2331"),
        ('<figure src="q.xml"/>', "1:21: error: image 'q.xml' is not a PNG or JPEG file"),
    ]
    write(work, "bad.svg", "<svg xmlns='http://www.w3.org/2000/svg'><rect width='10'</svg>")
    write(work, "not.svg", "hello")
    errors.append(('<figure src="not.svg"/>',
                   "1:21: error: image 'not.svg': not an SVG file (no <svg> element at its start)"))
    for body, want in errors:
        write(work, "e.xml", f'<document lang="en">{body}</document>')
        r = run(work, "render", "e.xml", "-o", "e.pdf")
        check(f"error {body[:30]}", (r.returncode, first_line(r.stderr)), (1, "e.xml:" + want))
    write(work, "e.xml", '<document lang="en">\n<figure src="bad.svg"/></document>')
    r = run(work, "render", "e.xml", "-o", "e.pdf")
    check("broken SVG: located error", (r.returncode, first_line(r.stderr).startswith(
        "e.xml:2:1: error: image 'bad.svg': ")), (1, True))
    check("broken SVG: librsvg's trailing newline is not printed", b"\n\n" in r.stderr, False)


SVG_TEXT = """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="90">
  <text x="150" y="35" font-family="{family}" font-size="28" text-anchor="middle">سلام دنیا ۱۲۳</text>
  <text x="150" y="75" font-size="20" text-anchor="middle">Clinic</text>
</svg>
"""


def pdf_fonts(work, pdf):
    out = subprocess.run(["pdffonts", pdf], cwd=work, capture_output=True, text=True).stdout
    return sorted({line.split()[0].split("+")[-1] for line in out.split("\n")[2:] if line})


def svg_text(work):
    """SVG text is drawn with varaq's fonts (bundled, --font-path), never
    the machine's: the same bytes with no system font at all, a family the
    fonts lack falls back to the document's defaults."""
    write(work, "v.svg", SVG_TEXT.format(family="Vazirmatn"))
    write(work, "v.xml", '<document lang="en">\n<p>Logo:</p>\n<figure src="v.svg"/>\n</document>\n')
    r = run(work, "render", "v.xml", "-o", "v.pdf")
    check("svg text: renders", (r.returncode, r.stderr), (0, b""))
    check("svg text: the bundled faces (Persian in Vazirmatn, no family: Noto Serif)",
          pdf_fonts(work, "v.pdf"), ["NotoSerif-Regular", "Vazirmatn-Regular"])
    write(work, "empty.conf", '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n')
    env = dict(os.environ, FONTCONFIG_FILE=os.path.join(work, "empty.conf"))
    r = run(work, "render", "v.xml", "-o", "w.pdf", env=env)
    with open(os.path.join(work, "v.pdf"), "rb") as a, open(os.path.join(work, "w.pdf"), "rb") as b:
        check("svg text: the same bytes with no system font", (r.returncode, a.read() == b.read()),
              (0, True))
    # Noto Sans Arabic is installed on the machine, but is no font of varaq's
    # until --font-path names its folder.
    write(work, "v.svg", SVG_TEXT.format(family="Noto Sans Arabic"))
    r = run(work, "render", "v.xml", "-o", "v.pdf")
    check("svg text: a family varaq lacks falls back to its own defaults",
          (r.returncode, pdf_fonts(work, "v.pdf")), (0, ["NotoSerif-Regular", "Vazirmatn-Regular"]))
    fonts = os.path.join(work, "myfonts")
    os.mkdir(fonts)
    shutil.copy(os.path.join(NOTO, "NotoSansArabic-Regular.ttf"), fonts)
    r = run(work, "render", "v.xml", "-o", "v.pdf", "--font-path", "myfonts")
    check("svg text: a --font-path face", (r.returncode, "NotoSansArabic-Regular" in
                                           pdf_fonts(work, "v.pdf")), (0, True))


def data_images(work):
    """An image whose path came from the data is a data-driven error: the
    message names the data's line and column too, and a note shows it."""
    write(work, "t.mustache", '<document lang="en">\n<p>x</p>\n<figure src="img/{{case.logo}}"/>\n'
          '<figure src="{{case.chart}}"/>\n</document>\n')
    os.mkdir(os.path.join(work, "img"))
    write(work, "img/logo.svg", LOGO)
    write(work, "img/bad.svg", "<svg xmlns='http://www.w3.org/2000/svg'><rect width='10'</svg>")
    write(work, "chart.svg", LOGO)
    write(work, "d.json", '{"case": {\n  "logo": "none.png",\n  "chart": "chart.svg"}}\n')
    r = run(work, "render", "t.mustache", "d.json", "-o", "o.pdf")
    check("a missing image from the data: the data's place too", (r.returncode, r.stderr.decode()),
          (1, "t.mustache:3:1: error: cannot read image 'img/none.png': no such file inside the "
              "allowed folders (data at d.json:2:11)\n"
              " 3 | <figure src=\"img/{{case.logo}}\"/>\n"
              "   | ^\n"
              "d.json:2:11: note: the value in the data\n"
              " 2 |   \"logo\": \"none.png\",\n"
              "   |           ^\n"))
    write(work, "d.json", '{"case": {\n  "logo": "logo.svg",\n  "chart": "img/bad.svg"}}\n')
    r = run(work, "render", "t.mustache", "d.json", "-o", "o.pdf")
    lines = r.stderr.decode().split("\n")
    check("a broken SVG from the data (found at layout): the data's place too",
          (r.returncode, lines[0].startswith("t.mustache:4:1: error: image 'img/bad.svg': "),
           lines[0].endswith(" (data at d.json:3:12)"), lines[3]),
          (1, True, True, "d.json:3:12: note: the value in the data"))
    check("nothing written", os.path.exists(os.path.join(work, "o.pdf")), False)
    write(work, "t.mustache", '<document lang="en">\n<figure src="img/none.png" alt="{{case.logo}}"/>\n'
          '</document>\n')
    r = run(work, "render", "t.mustache", "d.json", "-o", "o.pdf")
    check("a missing image named by the template: no data place", (r.returncode, r.stderr.decode()),
          (1, "t.mustache:2:1: error: cannot read image 'img/none.png': no such file inside the "
              "allowed folders\n"
              " 2 | <figure src=\"img/none.png\" alt=\"{{case.logo}}\"/>\n"
              "   | ^\n"))
    # Any attribute value that came (wholly or partly) from the data: its
    # place too; a bad value the template wrote itself names none.
    write(work, "t.mustache", '<document lang="en">\n<p align="{{case.align}}">x</p>\n'
          '<p color="#{{case.color}}" indent="9q">y</p>\n</document>\n')
    write(work, "d.json", '{"case": {\n  "align": "middle",\n  "color": "12345"}}\n')
    r = run(work, "render", "t.mustache", "d.json", "-o", "o.pdf")
    check("bad align= and color= values from the data: the data's places too",
          (r.returncode, r.stderr.decode()),
          (1, "t.mustache:2:4: error: align=\"middle\": expected one of start, end, center, "
              "justify, left, right (data at d.json:2:12)\n"
              " 2 | <p align=\"{{case.align}}\">x</p>\n"
              "   |    ^\n"
              "d.json:2:12: note: the value in the data\n"
              " 2 |   \"align\": \"middle\",\n"
              "   |            ^\n"
              "t.mustache:3:4: error: color=\"#12345\": expected a colour as #rgb or #rrggbb "
              "(data at d.json:3:12)\n"
              " 3 | <p color=\"#{{case.color}}\" indent=\"9q\">y</p>\n"
              "   |    ^\n"
              "d.json:3:12: note: the value in the data\n"
              " 3 |   \"color\": \"12345\"}}\n"
              "   |            ^\n"
              "t.mustache:3:28: error: indent=\"9q\": expected a length in pt, mm, cm or in\n"
              " 3 | <p color=\"#{{case.color}}\" indent=\"9q\">y</p>\n"
              "   |                            ^\n"
              "t.mustache: error: 3 errors in the markup\n"))
    write(work, "t.mustache", '<document lang="en">\n<qr value="{{case.link}}"/>\n</document>\n')
    write(work, "d.json", '{"case": {"link": "%s"}}\n' % ("x" * 2400))
    r = run(work, "render", "t.mustache", "d.json", "-o", "o.pdf")
    check("a QR value from the data too long to encode: the data's place too",
          (r.returncode, r.stderr.decode().split("\n")[0]),
          (1, "t.mustache:2:1: error: <qr> value is 2400 bytes; a QR code holds at most 2331 "
              "(data at d.json:1:19)"))
    check("nothing written", os.path.exists(os.path.join(work, "o.pdf")), False)


def common_partial(work):
    """templates/common/letterhead.mustache exists, the bundled handout uses
    it, and the example docs/templates.md gives for your own template
    renders as written there."""
    src = os.environ["VQ_SOURCE_DIR"]
    with open(os.path.join(src, "docs/templates.md"), encoding="utf-8") as f:
        doc = f.read()
    start = doc.index('    <document lang="en" font="Noto Serif">')
    end = doc.index("    </document>\n", start) + len("    </document>\n")
    template = "\n".join(line[4:] for line in doc[start:end].split("\n"))
    write(work, "discharge.mustache", template)
    write(work, "d.json", '{"clinic": {"logo": null, "name": "Razi Clinic", "phone": "021-555"},'
          ' "discharged": "2026-03-01"}')
    r = run(work, "render", "discharge.mustache", "d.json", "-o", "d.pdf")
    check("the docs' letterhead example renders", (r.returncode, r.stderr), (0, b""))
    text = subprocess.run(["pdftotext", "-layout", "d.pdf", "-"], cwd=work, capture_output=True,
                          text=True).stdout.split()
    # (Bidi controls that copy-out adds at the end of table cells are left out.)
    words = [w for w in text if w.strip("\u200e\u200f\u202a\u202b\u202c\u202d\u202e")]
    check("letterhead: the date (its smaller line first), name, phone, then the document",
          words, ["Discharged:", "March", "1,", "2026", "Razi", "Clinic", "Phone:", "021-555",
                  "Discharge", "summary", "…"])
    for lang in ("fa", "en"):
        with open(os.path.join(src, f"templates/handout/{lang}.mustache"), encoding="utf-8") as f:
            check(f"handout/{lang} uses the shared letterhead", "{{<letterhead}}" in f.read(), True)


run_groups(fonts, strict_default, diagnostics, usage, font_path, graphics, svg_text, data_images,
           common_partial)
