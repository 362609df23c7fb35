#!/usr/bin/python3
"""Runs every Mustache spec case (without lambdas) through `varaq expand`:
the template is written as main.mustache, partials as NAME.mustache beside
it, the data as data.json; stdout must match the expected text byte for
byte and the exit status must be 0."""
import json
import os
import subprocess
import sys
import tempfile

source = os.environ.get("VQ_SOURCE_DIR", ".")
binary = os.path.abspath(os.environ["VQ_BINARY"])
spec_dir = os.path.join(source, "tests", "spec", "mustache")

cases = failed = 0
for name in sorted(os.listdir(spec_dir)):
    if not name.endswith(".json") or name == "~lambdas.json":
        continue
    with open(os.path.join(spec_dir, name), encoding="utf-8") as f:
        spec = json.load(f)
    for test in spec["tests"]:
        cases += 1
        with tempfile.TemporaryDirectory() as work:
            with open(os.path.join(work, "main.mustache"), "w", encoding="utf-8", newline="") as f:
                f.write(test["template"])
            for partial, text in test.get("partials", {}).items():
                path = os.path.join(work, partial + ".mustache")
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
            with open(os.path.join(work, "data.json"), "w", encoding="utf-8") as f:
                json.dump(test["data"], f)
            run = subprocess.run([binary, "expand", "--spec", "main.mustache", "data.json"], cwd=work,
                                 capture_output=True)
        expected = test["expected"].encode("utf-8")
        if run.returncode != 0 or run.stdout != expected:
            failed += 1
            print(f"FAIL {name}: {test['name']}: exit {run.returncode}")
            print(f"  expected {expected!r}\n  got      {run.stdout!r}")
            if run.stderr:
                print(f"  stderr   {run.stderr.decode(errors='replace').strip()}")

print(f"{cases - failed} of {cases} spec cases pass through the CLI")
if cases != 184:
    print(f"expected 184 cases, found {cases}")
    sys.exit(1)
sys.exit(1 if failed else 0)
