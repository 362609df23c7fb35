#!/usr/bin/python3
"""`varaq batch` from the outside: record formats (JSON Lines, array,
folder, stdin), output names (fields, {#}, escapes, repeats), bad records
located in their file while the batch goes on, --fail-fast, exit status,
no progress line off a terminal, byte-identical outputs to `varaq render`,
SIGTERM finishing the document in hand without partial files, a second
signal removing the temporary files of the documents in hand, and an ignored
SIGINT staying ignored."""
import copy
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, failures, finish  # noqa: E402

binary = os.path.abspath(os.environ["VQ_BINARY"])
source = os.environ["VQ_SOURCE_DIR"]
sample = json.load(open(os.path.join(source, "samples/scleromyxedema-ivig/handout.json"),
                        encoding="utf-8"))


def record(number, **patient):
    r = copy.deepcopy(sample)
    r["patient"]["file_number"] = number
    r["patient"].update(patient)
    return r


def line(r):
    return json.dumps(r, ensure_ascii=False)


def batch(work, *args, stdin=None):
    return subprocess.run([binary, "batch", *args], cwd=work, capture_output=True, input=stdin)


def files(work, folder="out"):
    path = os.path.join(work, folder)
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def same_as_alone(work, rec, pdf, what):
    with open(os.path.join(work, "alone.json"), "w", encoding="utf-8") as f:
        f.write(line(rec))
    r = subprocess.run([binary, "render", "handout", "alone.json", "-o", "alone.pdf"], cwd=work,
                       capture_output=True)
    check(what + ": render alone", r.returncode, 0)
    a = open(os.path.join(work, "alone.pdf"), "rb").read()
    b = open(os.path.join(work, pdf), "rb").read()
    check(what + ": byte-identical to the record rendered alone", a == b, True)
    q = subprocess.run(["qpdf", "--check", os.path.join(work, pdf)], capture_output=True)
    check(what + ": qpdf --check", q.returncode, 0)


def test_jsonl(work):
    recs = [record("A-1"), record("A-2", age="forty"), record("../x"), record("A-1"),
            record("A-5")]
    text = "\n".join(line(r) for r in recs) + "\n\n" + '{"language": "fa",\n'
    open(os.path.join(work, "day.jsonl"), "w", encoding="utf-8").write(text)
    r = batch(work, "handout", "day.jsonl", "-o", "out/{patient.file_number}.pdf", "-j", "2")
    check("jsonl: exit status", r.returncode, 1)
    age_col = line(recs[1]).index('"forty"') + 1
    err = r.stderr.decode().splitlines()
    check("jsonl: errors (any order across workers), then the summary", sorted(err[:-1]), sorted([
        "day.jsonl:3:1: error: the output pattern's {patient.file_number} is '../x', "
        "which would leave the output folder",
        "day.jsonl:4:1: error: the output name 'out/A-1.pdf' repeats that of record 1 (line 1)",
        f"day.jsonl:2:{age_col}: error: /patient/age: expected an integer",
        "day.jsonl:7:18: error: string or '}' expected near end of file",
    ]))
    check("jsonl: summary", err[-1].split(" (")[0], "varaq batch: 2 of 6 records written, 4 failed")
    check("jsonl: outputs", files(work), ["A-1.pdf", "A-5.pdf"])
    check("jsonl: nothing escaped", os.path.exists(os.path.join(work, "x.pdf")), False)
    check("jsonl: no progress line off a terminal", "\r" in r.stderr.decode(), False)
    same_as_alone(work, recs[0], "out/A-1.pdf", "jsonl record 1")
    same_as_alone(work, recs[4], "out/A-5.pdf", "jsonl record 5")


def test_array_and_number(work):
    recs = [record("B-1"), record("B-2", age=-1.5)]
    text = "[\n  " + line(recs[0]) + ",\n  " + line(recs[1]) + "\n]\n"
    open(os.path.join(work, "all.json"), "w", encoding="utf-8").write(text)
    r = batch(work, "handout", "all.json", "-o", "nums/{#}.pdf", "-j", "1")
    col = 3 + line(recs[1]).index("-1.5")
    check("array: exit status", r.returncode, 1)
    check("array: error at the element's place", r.stderr.decode().splitlines()[0],
          f"all.json:3:{col}: error: /patient/age: expected an integer")
    check("array: {#} names", files(work, "nums"), ["1.pdf"])
    same_as_alone(work, recs[0], "nums/1.pdf", "array record 1")
    bad = batch(work, "handout", "all.json", "-o", "same.pdf")
    check("pattern without a field: usage error", bad.returncode, 2)
    check("pattern without a field: message", bad.stderr.decode().splitlines()[0],
          "varaq batch: error: the output pattern 'same.pdf' names every record the same: "
          "add {#} or a field such as {patient.file_number}")


def test_folder_and_stdin(work):
    os.mkdir(os.path.join(work, "cases"))
    for n in ("c2", "c1"):
        open(os.path.join(work, "cases", n + ".json"), "w", encoding="utf-8").write(
            json.dumps(record(n.upper()), ensure_ascii=False, indent=1))
    open(os.path.join(work, "cases", "notes.txt"), "w").write("not a record")
    r = batch(work, "handout", "cases", "-o", "f/{#}-{patient.file_number}.pdf")
    check("folder: exit status", (r.returncode, r.stderr.decode()),
          (0, r.stderr.decode().splitlines()[-1] + "\n"))
    check("folder: records in name order", files(work, "f"), ["1-C1.pdf", "2-C2.pdf"])
    r = batch(work, "handout", "-", "-o", "s/{patient.file_number}.pdf",
              stdin=(line(record("S-1")) + "\n").encode())
    check("stdin: exit status", r.returncode, 0)
    check("stdin: output", files(work, "s"), ["S-1.pdf"])
    same_as_alone(work, record("S-1"), "s/S-1.pdf", "stdin record")


def test_fail_fast(work):
    recs = [record("F-1", age="x")] + [record(f"F-{i}") for i in range(2, 6)]
    open(os.path.join(work, "ff.jsonl"), "w", encoding="utf-8").write(
        "\n".join(line(r) for r in recs))
    r = batch(work, "handout", "ff.jsonl", "-o", "ff/{patient.file_number}.pdf", "-j", "1",
              "--fail-fast")
    check("fail-fast: exit status", r.returncode, 1)
    check("fail-fast: nothing after the failure", files(work, "ff"), [])
    check("fail-fast: summary", r.stderr.decode().splitlines()[-1],
          "varaq batch: stopped at the first failure (--fail-fast): 0 of 5 records written")


def test_sigterm(work):
    n = 400
    open(os.path.join(work, "many.jsonl"), "w", encoding="utf-8").write(
        "\n".join(line(record(f"T-{i}")) for i in range(n)))
    p = subprocess.Popen([binary, "batch", "handout", "many.jsonl", "-o", "t/{#}.pdf", "-j", "2"],
                         cwd=work, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and len(files(work, "t")) < 2:
        time.sleep(0.02)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=120)
    check("SIGTERM: exit status", p.returncode, 128 + signal.SIGTERM)
    out = files(work, "t")
    check("SIGTERM: stopped early", 0 < len(out) < n, True)
    check("SIGTERM: no temporary or partial file", [f for f in out if not f.endswith(".pdf")], [])
    last = err.decode().splitlines()[-1]
    check("SIGTERM: says how far it got",
          last.startswith(f"varaq batch: interrupted by SIGTERM after {len(out)} of {n} records "
                          f"({len(out)} written, 0 failed)"), True)
    bad = [f for f in out
           if subprocess.run(["qpdf", "--check", os.path.join(work, "t", f)],
                             capture_output=True).returncode != 0]
    check("SIGTERM: every output whole", bad, [])


def test_shared_options(work):
    """render's template, schema and font options, parsed by the same code."""
    open(os.path.join(work, "o.jsonl"), "w", encoding="utf-8").write(line(record("O-1")) + "\n")
    r = batch(work, "handout", "o.jsonl", "-o", "o/{#}.pdf", "--no-schema", "--lenient",
              "--font-path", work, "--root", work)
    check("shared options: exit status", r.returncode, 0)
    check("shared options: output", files(work, "o"), ["1.pdf"])
    r = batch(work, "handout", "o.jsonl", "-o", "o/{#}.pdf", "--font-path")
    check("--font-path without a folder", (r.returncode, r.stderr.decode().splitlines()[0]),
          (2, "varaq batch: error: --font-path needs a folder"))
    r = batch(work, "handout", "o.jsonl", "-o", "o/{#}.pdf", "--max-pixels", "nan")
    check("--max-pixels nan", (r.returncode, r.stderr.decode().splitlines()[0]),
          (2, "varaq batch: error: --max-pixels needs a number from 1 to 1000000000"))


def test_second_signal(work, sig):
    """A second Ctrl-C or SIGTERM stops at once: the documents in hand are
    dropped and their temporary files removed (the process's cleanup), the
    process dies of the signal, and what was written is whole."""
    name = signal.Signals(sig).name
    long = record("L")
    long["warning_signs"] = long["warning_signs"] * 100  # 18 pages: in hand for a while
    n = 100
    open(os.path.join(work, "long.jsonl"), "w", encoding="utf-8").write(
        "\n".join(line(dict(long, patient=dict(long["patient"], file_number=f"L-{i}")))
                  for i in range(n)))
    p = subprocess.Popen([binary, "batch", "handout", "long.jsonl", "-o", "l/{#}.pdf", "-j", "2"],
                         cwd=work, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    # Wait until a document is in hand: its temporary file is there.
    while time.time() < deadline and not [f for f in files(work, "l") if ".tmp-" in f]:
        time.sleep(0.002)
    had_temp = [f for f in files(work, "l") if ".tmp-" in f] != []
    # Two signals sent close together may arrive as one: the second is sent
    # again until the process is gone.
    p.send_signal(sig)
    while True:
        try:
            p.communicate(timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            p.send_signal(sig)
    check(f"second {name}: a document was in hand", had_temp, True)
    check(f"second {name}: dies of the signal", p.returncode, -sig)
    out = files(work, "l")
    check(f"second {name}: no temporary file left", [f for f in out if ".tmp-" in f], [])
    check(f"second {name}: stopped early", len(out) < n, True)
    bad = [f for f in out
           if subprocess.run(["qpdf", "--check", os.path.join(work, "l", f)],
                             capture_output=True).returncode != 0]
    check(f"second {name}: every output whole", bad, [])


def test_second_sigint(work):
    test_second_signal(work, signal.SIGINT)


def test_second_sigterm(work):
    test_second_signal(work, signal.SIGTERM)


def test_ignored_sigint(work):
    """A batch started with SIGINT ignored (nohup, a background job of a
    script) is not stopped by it."""
    n = 12
    open(os.path.join(work, "bg.jsonl"), "w", encoding="utf-8").write(
        "\n".join(line(record(f"G-{i}")) for i in range(n)))
    p = subprocess.Popen([binary, "batch", "handout", "bg.jsonl", "-o", "g/{#}.pdf", "-j", "1"],
                         cwd=work, stderr=subprocess.PIPE,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    deadline = time.time() + 60
    while time.time() < deadline and not files(work, "g"):
        time.sleep(0.01)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    check("ignored SIGINT: the batch goes on", (p.returncode, len(files(work, "g"))), (0, n))


def main():
    for t in (test_jsonl, test_array_and_number, test_folder_and_stdin, test_fail_fast,
              test_sigterm, test_shared_options, test_second_sigint, test_second_sigterm,
              test_ignored_sigint):
        with tempfile.TemporaryDirectory() as work:
            t(work)
    finish()


main()
