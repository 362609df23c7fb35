#!/usr/bin/python3
"""The libraries a varaq process loads before main. Those loaded with
dlopen when first needed (librsvg, libmicrohttpd, libicui18n, libjpeg,
libqrencode) are not among them. The executable names libm, libc and
libstdc++ before its other libraries (CMakeLists.txt: the dynamic loader then finds most symbols at
the first few libraries of its search order). That order must not change
which library any symbol comes from: no other library the process loads
may define a symbol of those three (the loader's own, which libc's private
symbols point to and which comes after libc either way, aside).

    link_order.py [sanitized]   (a sanitizer build keeps its runtime first:
                                 then only that is said)"""
import os
import re
import subprocess
import sys

binary = os.path.abspath(os.environ["VQ_BINARY"])
RUNTIMES = ("libm.so", "libc.so", "libstdc++.so")

needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]",
                    subprocess.run(["readelf", "-d", binary], capture_output=True,
                                   text=True, check=True).stdout)
LAZY = ("librsvg", "libmicrohttpd", "libicui18n", "libjpeg", "libqrencode")
linked = [n for n in needed if n.startswith(LAZY)]
if linked:
    sys.exit(f"linked, though loaded when first needed: {linked}")
if len(sys.argv) > 1 and sys.argv[1] in ("1", "ON", "sanitized"):
    print(f"sanitizer build: the runtimes are not named first ({needed[:3]})")
    sys.exit(0)
if [n.split(".so")[0] + ".so" for n in needed[:3]] != list(RUNTIMES):
    sys.exit(f"the first libraries named are {needed[:3]}, not libm, libc, libstdc++")

# The search order the loader uses for the executable's symbols.
env = dict(os.environ, LD_DEBUG="scopes")
err = subprocess.run([binary, "--version"], capture_output=True, text=True, env=env).stderr
scope = next(line for line in err.splitlines() if "scope 0:" in line)
libs = [w for w in scope.split() if w.startswith("/") and os.path.abspath(w) != binary]
if len(libs) < 10:
    sys.exit(f"the loader's search order is too short: {libs}")
early = [lib for lib in libs if os.path.basename(lib).startswith(LAZY)]
if early:
    sys.exit(f"loaded before main, though loaded when first needed: {early}")


def defined(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True,
                         text=True, check=True).stdout
    return {f[2] for f in (line.split() for line in out.splitlines())
            if len(f) >= 3 and f[1] != "A"}


runtimes = [lib for lib in libs if os.path.basename(lib).startswith(RUNTIMES)]
if len(runtimes) != 3:
    sys.exit(f"not three runtimes in the search order: {runtimes}")
theirs = set().union(*(defined(lib) for lib in runtimes))
problems = []
for lib in libs:
    if lib in runtimes or os.path.basename(lib).startswith("ld-linux"):
        continue
    both = sorted(defined(lib) & theirs)
    if both:
        problems.append(f"{lib} also defines {', '.join(both[:5])}")
if problems:
    sys.exit("\n".join(problems))
print(f"{len(libs)} libraries; libm, libc and libstdc++ first; no symbol of theirs defined elsewhere")
