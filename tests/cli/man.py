#!/usr/bin/python3
"""The man pages and the bash completion say what the help says: man/ is
what tools/man.py makes from `varaq help`, groff reads every page without a
warning, and completion/varaq.bash offers exactly the commands and options
the help lists (and completes them in a real bash)."""
import importlib.util
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, failures, finish  # noqa: E402

binary = os.path.abspath(os.environ["VQ_BINARY"])
src = os.environ["VQ_SOURCE_DIR"]


spec = importlib.util.spec_from_file_location("man", os.path.join(src, "tools/man.py"))
man = importlib.util.module_from_spec(spec)
spec.loader.exec_module(man)

r = subprocess.run([sys.executable, os.path.join(src, "tools/man.py"), binary, "--check"],
                   capture_output=True, text=True)
check("man/ is what the help says (run tools/man.py build/varaq)", (r.returncode, r.stdout), (0, ""))

pages, commands = man.pages(binary)
for name in sorted(pages):
    r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", os.path.join(src, "man", name)],
                       capture_output=True, text=True)
    check(f"groff reads man/{name} without a warning", (r.returncode, r.stderr), (0, ""))
check("a page for every command", sorted(pages),
      sorted(["varaq.1"] + [f"varaq-{c}.1" for c, _ in commands if c not in ("version", "help")]))

completion = os.path.join(src, "completion/varaq.bash")


def bash(script, path=None):
    env = dict(os.environ)
    if path:
        env["PATH"] = path + ":" + env["PATH"]
    return subprocess.run(["bash", "-c", f"source '{completion}'\n{script}"], capture_output=True,
                          text=True, env=env).stdout


def complete(*words):
    """What bash offers for the last word of `varaq WORDS...`."""
    line = " ".join(f"'{w}'" for w in ("varaq",) + words)
    out = bash(f"COMP_WORDS=({line}); COMP_CWORD={len(words)}; _varaq\n"
               'printf "%s\\n" "${COMPREPLY[@]}"', path=os.path.dirname(binary))
    return sorted(x for x in out.split("\n") if x)


for cmd, _ in commands:
    if cmd in ("version", "help"):
        continue
    want = man.option_names(subprocess.run([binary, "help", cmd], capture_output=True,
                                           text=True).stdout)
    got = set(bash(f"_varaq_options {cmd}").split())
    check(f"completion: the options of {cmd} (missing, not in the help)",
          (sorted(want - got), sorted(got - want)), ([], []))
main_words = set(c for c, _ in commands) | {"--help", "--version"}
check("completion: the commands", complete(""), sorted(main_words))
check("completion: a command", complete("wa"), ["watch"])
check("completion: an option", complete("render", "--font-"), ["--font-path"])
check("completion: --dir's values", complete("text", "--dir", ""), ["auto", "ltr", "rtl"])
check("completion: a bundled template", complete("render", "han"), ["handout"])
check("completion: the fonts for --font",
      "Vazirmatn" in complete("text", "--font", "V"), True)

finish()
