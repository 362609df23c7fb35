#!/usr/bin/python3
"""`varaq serve` smoke test: starts on a free loopback port, renders a PDF
(byte-identical to `varaq render`) and a PNG page, answers bad data with
located JSON errors (422), unknown templates and paths (404), a body over
the limit (413), too many requests at once (503), a render over the time
limit (504), an image outside the data folder (422), counts it all in
/metrics (with the process's CPU time and memory), drains on SIGTERM
(exit 0), listens on IPv6 ([::1]:PORT), and hands over to a fresh worker
process after --recycle documents (to keep memory flat) without a failed
request."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, failures, finish  # noqa: E402

binary = os.path.abspath(os.environ["VQ_BINARY"])
source = os.environ["VQ_SOURCE_DIR"]
sample_path = os.path.join(source, "samples/scleromyxedema-ivig/handout.json")
sample = open(sample_path, "rb").read()


def start(*args):
    p = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", *args],
                         stderr=subprocess.PIPE)
    line = p.stderr.readline().decode()
    m = re.match(r"varaq serve: listening on http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        p.kill()
        raise SystemExit(f"serve did not start: {line!r}")
    return p, int(m.group(1))


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, r.getheader("Content-Type"), data


def wait_in_flight(port, n, seconds=30, record=True):
    deadline = time.time() + seconds
    while time.time() < deadline:
        m = request(port, "GET", "/metrics")[2].decode()
        if f"varaq_requests_in_flight {n}\n" in m:
            return True
        time.sleep(0.05)
    if record:
        failures.append(f"requests in flight never reached {n}")
    return False


def slow_request(port):
    """A POST whose body is still coming. Tried again when the server has not
    counted it after 5 s: twice in CI (a sanitizer build, and a parallel run)
    it was never counted in 30 s, though it is at once on every run alone."""
    for attempt in range(4):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"POST /render/handout HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n{")
        if wait_in_flight(port, 2, 5, record=attempt == 3):  # it and the /metrics request
            return s
        s.close()
        wait_in_flight(port, 1)
    return None


def stop(p, what):
    p.send_signal(signal.SIGTERM)
    try:
        _, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        err = b""
    check(what + ": SIGTERM exits 0", p.returncode, 0)
    return err.decode()


def workers(pid):
    """The supervisor's worker processes, by pid."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(w) for w in f.read().split()]
    except OSError:
        return []


def recycle(expected):
    """--recycle 3: the worker answers its third document with "Connection:
    close", a new worker takes the socket over and the old one leaves once
    that connection has closed; the client sees no failure."""
    p, port = start("-j", "1", "--recycle", "3")
    try:
        deadline = time.time() + 30
        while time.time() < deadline and not workers(p.pid):
            time.sleep(0.05)
        first = workers(p.pid)
        check("recycle: one worker process at first", len(first), 1)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        answers = []
        for i in range(3):
            c.request("POST", "/render/handout", body=sample)
            r = c.getresponse()
            answers.append((r.status, r.read() == expected, r.getheader("Connection")))
        c.close()
        check("recycle: three renders on one kept-alive connection, the third closes it",
              answers, [(200, True, None), (200, True, None), (200, True, "close")])
        deadline = time.time() + 30
        while time.time() < deadline and (len(workers(p.pid)) != 1 or
                                          set(workers(p.pid)) & set(first)):
            time.sleep(0.05)
        now = workers(p.pid)
        check("recycle: the first worker left, another serves", (len(now), set(now) & set(first)),
              (1, set()))
        status, _, pdf = request(port, "POST", "/render/handout", sample)
        check("recycle: the new worker renders the same bytes", (status, pdf == expected),
              (200, True))
        m = request(port, "GET", "/metrics")[2].decode()
        check("recycle: the counters go on across the hand-over",
              re.search(r"^varaq_documents_total (\d+)$", m, re.M).group(1), "4")
    finally:
        err = stop(p, "recycling server")
    check("recycle: SIGTERM drains the worker in service", err.strip().splitlines()[-1],
          "varaq serve: SIGTERM: stopped after 5 requests (4 documents)")
    check("recycle: the hand-over is logged",
          bool(re.search(r"^varaq serve: worker \d+ handed over after 3 documents$", err, re.M)), True)
    p, port = start("-j", "1", "--recycle", "0")
    try:
        status, _, pdf = request(port, "POST", "/render/handout", sample)
        check("--recycle 0: one process renders, no worker process",
              (status, pdf == expected, workers(p.pid)), (200, True, []))
    finally:
        err = stop(p, "--recycle 0 server")
    check("--recycle 0: SIGTERM drains", err.strip().splitlines()[-1],
          "varaq serve: SIGTERM: stopped after 1 requests (1 documents)")


def main():
    work = tempfile.mkdtemp()
    alone = os.path.join(work, "alone.pdf")
    subprocess.run([binary, "render", "handout", sample_path, "-o", alone], check=True)
    p, port = start("-j", "2")
    try:
        check("healthz", request(port, "GET", "/healthz"), (200, "text/plain; charset=utf-8",
                                                           b"ok\n"))
        check("templates", request(port, "GET", "/templates")[2],
              b'{"templates":["handout","journal-case"]}\n')
        status, ctype, pdf = request(port, "POST", "/render/handout", sample)
        check("render: status and type", (status, ctype), (200, "application/pdf"))
        check("render: the bytes of varaq render", pdf == open(alone, "rb").read(), True)
        status, ctype, png = request(port, "POST", "/render/handout?format=png&page=1&dpi=30",
                                     sample)
        check("png", (status, ctype, png[:4]), (200, "image/png", b"\x89PNG"))
        check("png: past the last page", request(port, "POST", "/render/handout?format=png&page=9",
                                                 sample)[0], 400)
        bad = json.loads(sample)
        bad["patient"]["age"] = "forty"
        body = json.dumps(bad, ensure_ascii=False, indent=1).encode()
        line = body.decode().splitlines().index('  "age": "forty"') + 1
        status, ctype, data = request(port, "POST", "/render/handout", body)
        check("bad record: 422 JSON", (status, ctype), (422, "application/json"))
        check("bad record: located error", json.loads(data)["error"],
              {"pointer": "/patient/age", "message": "expected an integer", "line": line,
               "column": 10})
        status, _, data = request(port, "POST", "/render/handout", b'{"language": ')
        check("bad JSON: 422", (status, json.loads(data)["error"]["message"]),
              (422, "unexpected token near end of file"))
        check("unknown template", request(port, "POST", "/render/nope", sample)[:2],
              (404, "application/json"))
        check("no file outside the template folders",
              request(port, "POST", "/render/..%2F..%2Fetc%2Fpasswd", sample)[0], 404)
        check("no file outside the template folders (dots)",
              request(port, "POST", "/render/../handout", sample)[0], 404)
        check("GET on /render", request(port, "GET", "/render/handout")[0], 405)
        check("unknown path", request(port, "GET", "/etc/passwd")[0], 404)
        m = request(port, "GET", "/metrics")[2].decode()
        check("metrics: documents", re.search(r"^varaq_documents_total (\d+)$", m, re.M).group(1),
              "2")
        check("metrics: 422s", 'varaq_requests_total{code="422"} 2' in m, True)
        check("metrics: histogram", "varaq_request_duration_seconds_count" in m, True)
        check("metrics: the process's CPU time and memory",
              [bool(re.search(rf"^{k} [0-9.]+$", m, re.M)) for k in
               ("process_cpu_seconds_total", "process_resident_memory_bytes")], [True, True])
    finally:
        err = stop(p, "main server")
    check("drain message", err.strip().splitlines()[-1].startswith("varaq serve: SIGTERM: stopped"),
          True)

    # Limits: body size, requests at once, render time.
    p, port = start("-j", "1", "--max-body", "1000", "--max-requests", "1", "--timeout", "1")
    try:
        status, _, data = request(port, "POST", "/render/handout", sample)
        check("body over --max-body", (status, json.loads(data)["error"]["message"]),
              (413, "the body is larger than 1000 bytes"))
        # A request whose body is still coming holds the one place.
        wait_in_flight(port, 1)  # only the /metrics request asking
        s = slow_request(port)
        status, _, data = request(port, "POST", "/render/handout", b"{}")
        check("over --max-requests", (status, json.loads(data)["error"]["message"]),
              (503, "too many requests at once"))
        if s:
            s.close()
        wait_in_flight(port, 1)
        small = json.dumps({"language": "fa"}).encode()
        status, _, data = request(port, "POST", "/render/handout", small)
        check("a small request still fits (schema error, 422)", status, 422)
    finally:
        stop(p, "limits server")

    p, port = start("-j", "1", "--timeout", "1")
    try:
        status, _, data = request(port, "POST", "/render/handout", sample)
        check("render over --timeout", (status, json.loads(data)["error"]["message"]),
              (504, "the render took longer than the time limit"))
        m = request(port, "GET", "/metrics")[2].decode()
        check("the render was stopped, not finished (metrics)",
              (re.search(r"^varaq_renders_cancelled_total (\d+)$", m, re.M).group(1),
               re.search(r"^varaq_documents_total (\d+)$", m, re.M).group(1)), ("1", "0"))
    finally:
        stop(p, "timeout server")

    # Images only from the data folder.
    data_dir = os.path.join(work, "data")
    os.mkdir(data_dir)
    with_logo = json.loads(sample)
    with_logo["clinic"]["logo"] = os.path.join(source, "tests/layout/img/page.png")
    p, port = start("--data", data_dir)
    try:
        body = json.dumps(with_logo)
        status, _, data = request(port, "POST", "/render/handout", body.encode())
        logo_at = body.index('"' + with_logo["clinic"]["logo"])
        check("image outside the data folder (its place in the request, no server path)",
              (status, json.loads(data)["error"]["message"]),
              (422, "cannot read image '" + with_logo["clinic"]["logo"] + "': no such file inside "
               f"the allowed folders (data at 1:{logo_at + 1})"))
    finally:
        stop(p, "data server")
    p, port = start()
    try:
        check("no --data: no image at all", request(port, "POST", "/render/handout",
                                                    json.dumps(with_logo).encode())[0], 422)
    finally:
        stop(p, "no-data server")

    recycle(open(alone, "rb").read())

    # IPv6: [ADDR]:PORT (where the machine has an IPv6 loopback).
    try:
        socket.socket(socket.AF_INET6).bind(("::1", 0))
        have_ipv6 = True
    except OSError:
        have_ipv6 = False
        print("no IPv6 loopback here: [::1] not tried")
    p = subprocess.Popen([binary, "serve", "--listen", "[::1]:0", "-j", "1"],
                         stderr=subprocess.PIPE)
    line = p.stderr.readline().decode()
    m = re.match(r"varaq serve: listening on http://\[::1\]:(\d+)/", line)
    check("IPv6: listening line", bool(m), have_ipv6)
    if m:
        c = http.client.HTTPConnection("::1", int(m.group(1)), timeout=60)
        c.request("POST", "/render/handout", body=sample)
        r = c.getresponse()
        check("IPv6: render, the bytes of varaq render",
              (r.status, r.read() == open(alone, "rb").read()), (200, True))
        c.close()
    if have_ipv6:
        stop(p, "IPv6 server")
    else:
        p.wait(timeout=60)
    for bad in ("::1:8080", "[::1]", "[::1]8080", "[]:8080", "[::1]:70000", "localhost:80"):
        r = subprocess.run([binary, "serve", "--listen", bad], capture_output=True)
        check(f"--listen {bad}: usage error", (r.returncode, r.stderr.decode().splitlines()[0]),
              (2, "varaq serve: error: --listen needs ADDR:PORT with a numeric address, such "
                  f"as 127.0.0.1:8080 or [::1]:8080 ({bad})"))

    finish()


main()
