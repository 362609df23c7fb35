#!/usr/bin/python3
"""`varaq render` of markup with several errors: every error the parser can
go on after is printed, in order, each with its source line and a caret,
then a count; the exit status is 1 and no output file is written. The same
for markup a template makes (the errors at the template's lines)."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

binary = os.path.abspath(os.environ["VQ_BINARY"])


def render(work, *args):
    return subprocess.run([binary, "render", *args, "-o", "out.pdf"], cwd=work,
                          capture_output=True)


def write(work, name, text):
    with open(os.path.join(work, name), "w", encoding="utf-8") as f:
        f.write(text)


def markup_file(work):
    write(work, "doc.xml", '<document lang="en">\n'
                           '<p>First <bold>bold</bold> word.</p>\n'
                           '<p space-after="3px">Second.</p>\n'
                           '<ul><p>not an item</p></ul>\n'
                           '</document>\n')
    r = render(work, "doc.xml")
    check("markup: exit status", r.returncode, 1)
    check("markup: every error, in order", r.stderr.decode(),
          "doc.xml:2:10: error: unknown element <bold> (did you mean <ol>?)\n"
          " 2 | <p>First <bold>bold</bold> word.</p>\n"
          "   |          ^\n"
          'doc.xml:3:4: error: space-after="3px": expected a length in pt, mm, cm or in\n'
          ' 3 | <p space-after="3px">Second.</p>\n'
          "   |    ^\n"
          "doc.xml:4:5: error: <p> is not allowed in <ul>\n"
          " 4 | <ul><p>not an item</p></ul>\n"
          "   |     ^\n"
          "doc.xml: error: 3 errors in the markup\n")
    check("markup: no output", os.path.exists(os.path.join(work, "out.pdf")), False)


def one_error(work):
    # One error alone is printed as before: no count.
    write(work, "one.xml", '<document>\n  <tabel><tr><td/></tr></tabel>\n</document>\n')
    r = render(work, "one.xml")
    check("one error", (r.returncode, r.stderr.decode()),
          (1, "one.xml:2:3: error: unknown element <tabel> (did you mean <table>?)\n"
              " 2 |   <tabel><tr><td/></tr></tabel>\n"
              "   |   ^\n"))


def template_markup(work):
    write(work, "t.mustache", '<document lang="en">\n'
                              '<p>{{name}} <bold>x</bold></p>\n'
                              '{{#items}}\n'
                              '<p align="{{align}}">{{text}}</p>\n'
                              '{{/items}}\n'
                              '</document>\n')
    write(work, "d.json", '{"name": "Ann", "items": [{"align": "middle", "text": "a"},\n'
                          ' {"align": "start", "text": "b"}, {"align": "centre", "text": "c"}]}\n')
    r = render(work, "t.mustache", "d.json")
    bad = ('error: align="%s": expected one of start, end, center, justify, left, right '
           '(data at d.json:%s)\n')
    line = ' 4 | <p align="{{align}}">{{text}}</p>\n   |    ^\n'
    check("template: every error at its template line, each item's at its data place",
          (r.returncode, r.stderr.decode()),
          (1, "t.mustache:2:13: error: unknown element <bold> (did you mean <ol>?)\n"
              " 2 | <p>{{name}} <bold>x</bold></p>\n"
              "   |             ^\n"
              "t.mustache:4:4: " + bad % ("middle", "1:37") + line +
              "d.json:1:37: note: the value in the data\n"
              ' 1 | {"name": "Ann", "items": [{"align": "middle", "text": "a"},\n'
              "   |                                     ^\n"
              "t.mustache:4:4: " + bad % ("centre", "2:45") + line +
              "d.json:2:45: note: the value in the data\n"
              ' 2 |  {"align": "start", "text": "b"}, {"align": "centre", "text": "c"}]}\n'
              "   |                                             ^\n"
              "t.mustache: error: 3 errors in the markup\n"))
    check("template: no output", os.path.exists(os.path.join(work, "out.pdf")), False)


def too_many(work):
    write(work, "many.xml", "<document><p>" + "<blink/>" * 30 + "</p></document>")
    r = render(work, "many.xml")
    lines = r.stderr.decode().split("\n")
    errors = [l for l in lines if ": error: " in l]
    check("too many: 20 errors and the count", len(errors), 21)
    check("too many: the last line", errors[-1],
          "many.xml: error: too many errors in the markup; stopped after 20")


with tempfile.TemporaryDirectory() as work:
    markup_file(work)
    one_error(work)
    template_markup(work)
    too_many(work)
finish()
