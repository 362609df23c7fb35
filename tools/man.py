#!/usr/bin/python3
"""The man pages in man/ from the help varaq prints, so the two cannot
disagree: varaq.1 from `varaq --help` (plus the sections below that only the
man page has) and varaq-COMMAND.1 from `varaq help COMMAND`. The help text
has one layout (Usage:, paragraphs, Options:, Examples:, Exit status:),
which maps onto man(7) sections.

    tools/man.py build/varaq            rewrite man/*.1
    tools/man.py build/varaq --check    exit 1 and show the difference when
                                        man/ is not what the help says
"""
import difflib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAN_DIR = os.path.join(os.path.dirname(HERE), "man")

# What only the overview page says: where things are found.
EXTRA = {
    "FILES": [
        ("PREFIX/share/varaq/templates/NAME/main.mustache",
         "a bundled template (journal-case, handout), each with schema.json and README.md; "
         "also looked for in templates/ beside the varaq executable"),
        ("PREFIX/share/varaq/templates/common/",
         "partials shared by every template, looked up after the template's own folder "
         "(letterhead.mustache: a clinic's header)"),
        ("PREFIX/share/varaq/fonts/",
         "the bundled fonts (Vazirmatn, Amiri, Noto Serif); also fonts/ beside the executable"),
    ],
    "ENVIRONMENT": [
        ("VARAQ_FONT_PATH",
         "more font folders (.otf, .ttf), separated by ':'; searched after --font-path"),
        ("SOURCE_DATE_EPOCH",
         "the creation date written into the PDF (seconds since 1970), for reproducible output"),
    ],
}


def help_text(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True, check=True)
    return r.stdout


def esc(text):
    """troff-safe text: backslashes, hyphens as copyable minus signs, and no
    line that starts with a control character."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line[:1] in (".", "'") else line
                     for line in text.split("\n"))


def blocks(text):
    """Paragraphs (lists of lines) separated by blank lines."""
    out, cur = [], []
    for line in text.rstrip("\n").split("\n"):
        if line.strip():
            cur.append(line)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def prose(lines):
    """A paragraph: running text, with its indented lines (examples, tables)
    kept as they are."""
    out, text = [], []
    for line in lines:
        if line.startswith("  "):
            if text:
                out.append(esc(" ".join(text)))
                text = []
            out.append(".nf\n" + esc(line) + "\n.fi")
        else:
            text.append(line.strip())
    if text:
        out.append(esc(" ".join(text)))
    return ".PP\n" + "\n".join(out)


def options(lines):
    """Options: entries; an entry starts with two blanks and '-', its text
    follows after two blanks or on the lines indented below it."""
    entries = []
    for line in lines:
        if re.match(r"  -", line):
            m = re.match(r"  (\S.*?)(?:  +(\S.*))?$", line)
            entries.append([m.group(1), [m.group(2)] if m.group(2) else []])
        elif entries:
            entries[-1][1].append(line.strip())
    out = []
    for head, text in entries:
        out.append(".TP\n.B " + esc(head) + "\n" + esc(" ".join(text)))
    return "\n".join(out)


def option_names(help):
    """The options a help lists (for the completion check)."""
    names = set()
    section = False
    for line in help.split("\n"):
        if line in ("Options:",):
            section = True
            continue
        if section and not line.strip():
            section = False
        if section and re.match(r"  -", line):
            column = re.split(r"(?<=\S)  +", line.strip(), maxsplit=1)[0]
            names.update(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", column))
    return names


def page(name, title, summary, help, overview=False, commands=()):
    parts = blocks(help)
    usage = parts.pop(0)
    out = [f'.TH {title} 1 "" "varaq" "User Commands"',
           ".\\\" Made by tools/man.py from the help varaq prints; edit the help, then run it.",
           ".nh",
           ".SH NAME", esc(name) + " \\- " + esc(summary),
           ".SH SYNOPSIS", ".nf"]
    for line in usage:
        out.append(esc(re.sub(r"^(Usage:)?\s+", "", line)))
    out += [".fi", ".SH DESCRIPTION"]
    sections = {"options": [], "examples": [], "exit": [], "more": []}
    described = []
    for b in parts:
        head = b[0]
        if head == "Options:":
            sections["options"] = b[1:]
        elif head == "Commands:":
            sections["commands"] = b[1:]
        elif head == "Examples:":
            sections["examples"] = b[1:]
        elif head.startswith("Exit status:"):
            sections["exit"] = [" ".join(x.strip() for x in b)[len("Exit status:"):].strip()]
        elif sections["options"]:
            sections["more"].append(b)
        else:
            described.append(b)
    out += [prose(b) for b in described + sections["more"]]
    if overview:
        out.append(".SH COMMANDS")
        for cmd, text in commands:
            ref = f"varaq\\-{cmd}(1)" if cmd not in ("version", "help") else ""
            out.append(f".TP\n.B {esc(cmd)}\n{esc(text)}" + (f"; see\n.BR {ref[:-3]} (1)" if ref
                                                            else ""))
    if sections["options"]:
        out += [".SH OPTIONS", options(sections["options"])]
    if overview:
        for title_, rows in EXTRA.items():
            out.append(".SH " + title_)
            for head, text in rows:
                out.append(".TP\n.B " + esc(head) + "\n" + esc(text))
    if sections["examples"]:
        out += [".SH EXAMPLES", ".nf"] + [esc(line.strip()) for line in sections["examples"]]
        out.append(".fi")
    if sections["exit"]:
        out += [".SH EXIT STATUS", esc(sections["exit"][0])]
    out.append(".SH SEE ALSO")
    if overview:
        refs = [c for c, _ in commands if c not in ("version", "help")]
        out += [f".BR varaq\\-{c} (1)" + ("," if i + 1 < len(refs) else "")
                for i, c in enumerate(refs)]
    else:
        out.append(".BR varaq (1)")
    out.append(".PP\nThe documents in the source: README.md, docs/templates.md (the template "
               "language), docs/markup.md (the markup), docs/limits.md.")
    return "\n".join(out) + "\n"


def pages(binary):
    main = help_text(binary, "--help")
    commands = []
    in_commands = False
    for line in main.split("\n"):
        if line == "Commands:":
            in_commands = True
            continue
        if in_commands and not line.strip():
            break
        if in_commands:
            cmd, text = line.strip().split(None, 1)
            commands.append((cmd, text.strip()))
    result = {"varaq.1": page("varaq", "VARAQ", "fill case data into templates and typeset "
                              "it as PDF", main, overview=True, commands=commands)}
    for cmd, summary in commands:
        if cmd in ("version", "help"):
            continue
        result[f"varaq-{cmd}.1"] = page(f"varaq-{cmd}", f"VARAQ-{cmd.upper()}", summary,
                                        help_text(binary, "help", cmd))
    return result, commands


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binary, check = sys.argv[1], "--check" in sys.argv[2:]
    wanted, _ = pages(binary)
    stale = []
    for name, text in sorted(wanted.items()):
        path = os.path.join(MAN_DIR, name)
        have = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if have == text:
            continue
        if check:
            stale.append(name)
            sys.stdout.writelines(difflib.unified_diff(
                have.splitlines(True), text.splitlines(True), f"man/{name}", "from the help"))
        else:
            os.makedirs(MAN_DIR, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"wrote man/{name}")
    extra = sorted(set(n for n in os.listdir(MAN_DIR) if n.endswith(".1")) - set(wanted)) \
        if os.path.isdir(MAN_DIR) else []
    if check and (stale or extra):
        print(f"man/ differs from the help ({', '.join(stale + extra)}): "
              "run tools/man.py build/varaq", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
