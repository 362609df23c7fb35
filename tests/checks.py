"""What the script tests share: check() records a mismatch between what a
command gave and what it should give, finish() prints the mismatches and the
count and exits 1 when there is any, run_groups() runs groups of checks each
in a folder of its own and then finishes. A script puts tests/ on sys.path
and imports these."""
import shutil
import sys
import tempfile

failures = []
_count = 0


def check(what, got, want):
    global _count
    _count += 1
    if got != want:
        failures.append(f"{what}:\n  want {want!r}\n  got  {got!r}")


def finish():
    for f in failures:
        print("FAIL", f)
    print(f"{_count - len(failures)} of {_count} checks pass")
    sys.exit(1 if failures else 0)


def run_groups(*groups):
    """Calls each group with a new empty folder (removed after), then finish()."""
    for group in groups:
        work = tempfile.mkdtemp()
        try:
            group(work)
        finally:
            shutil.rmtree(work)
    finish()
