#!/usr/bin/python3
"""`varaq expand` from the outside: the exact message and exit status of
every error class (template syntax, data, files), strict mode, and atomic
output (a failed run leaves no file and keeps an older one)."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, failures, run_groups  # noqa: E402

binary = os.path.abspath(os.environ["VQ_BINARY"])


def run(work, *args, user=None, program=None):
    cmd = [program or binary, "expand", *args]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    return subprocess.run(cmd, cwd=work, capture_output=True)


def write(work, name, data):
    with open(os.path.join(work, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def first_line(stderr):
    """The first line of stderr, with its newline."""
    text = stderr.decode("utf-8", "replace")
    return text[:text.index("\n") + 1] if "\n" in text else text


def expect_error(work, what, template, data, message, status=1, args=()):
    """Writes t.mustache and d.json (unless None) and checks stderr."""
    if template is not None:
        write(work, "t.mustache", template)
    if data is not None:
        write(work, "d.json", data)
    r = run(work, "t.mustache", "d.json", *args)
    check(what + " (exit status)", r.returncode, status)
    # The message line; the source excerpt under it is checked in
    # tests/cli/everyday.py.
    check(what + " (message)", first_line(r.stderr), message)
    check(what + " (no output)", r.stdout, b"")


def template_errors(work):
    e = lambda what, tpl, msg: expect_error(work, what, tpl, "{}", msg)
    e("unclosed section", "Hello\n{{#authors}}\n  {{name}}\n",
      "t.mustache:4:1: error: unclosed section 'authors' (opened at 2:1)\n")
    e("unclosed inverted section", "{{^x}}", "t.mustache:1:7: error: unclosed inverted section 'x' (opened at 1:1)\n")
    e("unclosed block", "a {{$b}}", "t.mustache:1:9: error: unclosed block 'b' (opened at 1:3)\n")
    e("unclosed parent", "{{<p}}", "t.mustache:1:7: error: unclosed parent 'p' (opened at 1:1)\n")
    e("mismatched close", "{{#a}}\n  {{#b}}{{/a}}{{/b}}",
      "t.mustache:2:9: error: closing tag 'a' does not match section 'b' (opened at 2:3)\n")
    e("close without open", "x\n{{/a}}", "t.mustache:2:1: error: closing tag 'a' without an open section\n")
    bad_delim = ("error: bad set-delimiter tag: expected two delimiters separated by a space, "
                 "without '=' or spaces in them, as in {{=<% %>=}}\n")
    e("one delimiter", "x {{=<%=}}", "t.mustache:1:3: " + bad_delim)
    e("three delimiters", "{{=< % >=}}", "t.mustache:1:1: " + bad_delim)
    e("'=' in a delimiter", "\n {{=<= =>=}}", "t.mustache:2:2: " + bad_delim)
    e("unterminated tag", "line\n  {{name\n", "t.mustache:2:3: error: unterminated tag: no closing '}}'\n")
    e("unterminated triple mustache", "{{{name}}", "t.mustache:1:1: error: unterminated tag: no closing '}}}'\n")
    e("unterminated set-delimiter tag", "{{=<% %>}}", "t.mustache:1:1: error: unterminated tag: no closing '=}}'\n")
    e("unterminated tag, new delimiters", "{{=<% %>=}}\n<%x%>\n<% y",
      "t.mustache:3:1: error: unterminated tag: no closing '%>'\n")
    e("empty tag", "a {{ }}", "t.mustache:1:3: error: empty tag: a name is missing between '{{' and '}}'\n")
    e("invalid UTF-8 in template", b"ok\n\xd8\xa7b\xffc {{x}}\n",
      "t.mustache:2:3: error: invalid UTF-8 byte sequence\n")
    e("NUL in template", b"ab\0", "t.mustache:1:3: error: NUL byte in template\n")
    for name in ("a/b", "..", "a\\b"):
        e(f"bad partial name {name}", "{{> " + name + "}}",
          f"t.mustache:1:1: error: bad partial name '{name}': it may not contain '/', '\\' or '..'\n")
    e("sections too deep", "{{#a}}" * 101,
      "t.mustache:1:601: error: sections nested deeper than 100 levels\n")
    write(work, "self.mustache", "x{{>self}}")
    e("endless partial recursion", "{{>self}}",
      "self.mustache:1:2: error: partials nested deeper than 64 levels\n")
    os.unlink(os.path.join(work, "self.mustache"))


def data_errors(work):
    e = lambda what, data, msg: expect_error(work, what, "{{a}}", data, msg)
    e("invalid JSON", '{"a": 1,\n "b": [1, 2,]\n}\n', "d.json:2:13: error: unexpected token near ']'\n")
    e("unterminated JSON", '{"a": "x', "d.json:1:8: error: premature end of input near '\"x'\n")
    e("duplicate key", '{"a": 1, "a": 2}', "d.json:1:12: error: duplicate object key near '\"a\"'\n")
    e("empty data file", "", "d.json:1: error: unexpected token near end of file\n")
    e("invalid UTF-8 in data", b'{\n  "a": "\xd8\xa7x\xc3"}\n', "d.json:2:11: error: invalid UTF-8 byte sequence\n")


def file_errors(work):
    write(work, "t.mustache", "{{a}}")
    write(work, "d.json", "{}")
    r = run(work, "missing.mustache", "d.json")
    check("missing template", (r.returncode, r.stderr),
          (3, b"missing.mustache: error: cannot open file: No such file or directory\n"))
    r = run(work, "missing", "d.json")
    # No suggestion near the name: the folders looked in are listed (a
    # program run from outside PREFIX/bin learns where it looked).
    beside = os.path.join(os.path.dirname(os.path.abspath(os.environ["VQ_BINARY"])), "templates")
    want = ("missing: error: cannot open file: No such file or directory "
            f"(nor a bundled template of that name in {beside} or ").encode()
    check("missing bundled template: where it looked", (r.returncode, r.stderr[:len(want)]),
          (3, want))
    r = run(work, "t.mustache", "missing.json")
    check("missing data", (r.returncode, r.stderr),
          (3, b"missing.json: error: cannot open file: No such file or directory\n"))
    os.mkdir(os.path.join(work, "folder.json"))
    r = run(work, "t.mustache", "folder.json")
    check("data is a folder", (r.returncode, r.stderr),
          (3, b"folder.json: error: cannot read file: Is a directory\n"))
    os.mkdir(os.path.join(work, "p.mustache"))
    write(work, "u.mustache", "{{>p}}")
    r = run(work, "u.mustache", "d.json")
    check("partial is a folder", (r.returncode, r.stderr),
          (3, b"p.mustache: error: cannot read file: Is a directory\n"))
    # Unreadable files: permissions do not stop root, so as root the check
    # runs as 'nobody' (setpriv), with a copy of the binary in the scratch
    # folder (the build folder may be closed to others).
    write(work, "secret.json", "{}")
    write(work, "secret.mustache", "x")
    os.chmod(os.path.join(work, "secret.json"), 0)
    os.chmod(os.path.join(work, "secret.mustache"), 0)
    user = program = None
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            print("note: running as root without setpriv: unreadable-file checks skipped")
            return
        user = 65534
        program = os.path.join(work, "varaq")
        shutil.copy(binary, program)
        os.chmod(program, 0o755)
        os.chmod(work, 0o755)
    r = run(work, "t.mustache", "secret.json", user=user, program=program)
    check("unreadable data", (r.returncode, r.stderr),
          (3, b"secret.json: error: cannot open file: Permission denied\n"))
    r = run(work, "secret.mustache", "d.json", user=user, program=program)
    check("unreadable template", (r.returncode, r.stderr),
          (3, b"secret.mustache: error: cannot open file: Permission denied\n"))


def strict_mode(work):
    write(work, "d.json", '{"patient": {"name": "A & B", "age": null}, "list": [1]}')
    lenient = b" (left empty: --lenient)\n"
    cases = [
        ("{{patient.name}}", [], 0, b"A &amp; B", b""),
        ("{{patient.age}}|", [], 0, b"|", b""),
        ("line\n  {{patient.nmae}}", [], 1, b"",
         b"t.mustache:2:3: error: no value for 'patient.nmae'\n"),
        ("line\n  {{patient.nmae}}", ["--strict"], 1, b"",
         b"t.mustache:2:3: error: no value for 'patient.nmae'\n"),
        ("line\n  {{patient.nmae}}|", ["--lenient"], 0, b"line\n  |",
         b"t.mustache:2:3: warning: no value for 'patient.nmae'" + lenient),
        ("line\n  {{patient.nmae}}|", ["--spec"], 0, b"line\n  |", b""),
        ("{{#missing}}x{{/missing}}", [], 1, b"",
         b"t.mustache:1:1: error: no value for 'missing'\n"),
        ("{{^missing}}x{{/missing}}", ["--lenient"], 0, b"x",
         b"t.mustache:1:1: warning: no value for 'missing'" + lenient),
        ("a{{>nothere}}b", [], 1, b"",
         b"t.mustache:1:2: error: partial 'nothere' not found\n"),
        ("a{{>nothere}}b", ["--lenient"], 0, b"ab",
         b"t.mustache:1:2: warning: partial 'nothere' not found" + lenient),
        ("a{{>nothere}}b", ["--spec"], 0, b"ab", b""),
        ("{{list}}", [], 1, b"",
         b"t.mustache:1:1: error: 'list' is a list, not a value that can be printed"
         b" (data at d.json:1:53)\n"),
        ("{{#list}}{{.}}{{/list}}\n{{#list}}{{patient}}{{/list}}", [], 1, b"",
         b"t.mustache:2:10: error: 'patient' is an object, not a value that can be printed"
         b" (data at d.json:1:13)\n"),
    ]
    for tpl, args, status, out, err in cases:
        write(work, "t.mustache", tpl)
        r = run(work, "t.mustache", "d.json", *args)
        got_err = first_line(r.stderr).encode() if status else r.stderr
        check(f"strict {tpl!r} {args}", (r.returncode, r.stdout, got_err), (status, out, err))


def atomic_output(work):
    write(work, "t.mustache", "v={{a}}\n")
    write(work, "good.json", '{"a": 1.10}')
    write(work, "bad.json", '{"a": ')
    out = os.path.join(work, "out", "result.txt")
    os.mkdir(os.path.join(work, "out"))
    r = run(work, "t.mustache", "good.json", "-o", "out/result.txt")
    check("-o writes the file", (r.returncode, r.stdout, r.stderr), (0, b"", b""))
    check("-o file content", open(out, "rb").read(), b"v=1.1\n")
    write(work, "out/result.txt", "older")
    r = run(work, "t.mustache", "bad.json", "-o", "out/result.txt")
    check("failed run exit status", r.returncode, 1)
    check("failed run keeps the older file", open(out, "rb").read(), b"older")
    check("failed run leaves no temporary file", sorted(os.listdir(os.path.join(work, "out"))),
          ["result.txt"])
    os.unlink(out)
    r = run(work, "t.mustache", "bad.json", "--output", "out/result.txt")
    check("failed run creates no file", os.listdir(os.path.join(work, "out")), [])
    with open("/dev/full", "wb") as full:
        r = subprocess.run([binary, "expand", "t.mustache", "good.json"], cwd=work,
                           stdout=full, stderr=subprocess.PIPE)
    check("standard output full", (r.returncode, r.stderr),
          (3, b"varaq: error: cannot write to standard output: No space left on device\n"))
    r = run(work, "t.mustache", "good.json", "-o", "nodir/result.txt")
    check("output folder missing", (r.returncode, r.stderr),
          (3, b"nodir/result.txt: error: cannot create file: No such file or directory\n"))


def usage(work):
    for args, msg in [([], b"expected TEMPLATE and DATA.json"),
                      (["a"], b"expected TEMPLATE and DATA.json"),
                      (["a", "b", "c"], b"unexpected argument 'c'"),
                      (["a", "b", "--bogus"], b"unknown option '--bogus'"),
                      (["a", "b", "-o"], b"option '-o' needs a file name")]:
        r = run(work, *args)
        check(f"usage {args}", (r.returncode, r.stderr),
              (2, b"varaq expand: error: " + msg + b"\nTry 'varaq help expand'.\n"))
    r = subprocess.run([binary, "help", "expand"], capture_output=True)
    check("help expand", (r.returncode, r.stdout.startswith(b"Usage: varaq expand TEMPLATE")),
          (0, True))


run_groups(template_errors, data_errors, file_errors, strict_mode, atomic_output, usage)
