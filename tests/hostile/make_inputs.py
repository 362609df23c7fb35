#!/usr/bin/env python3
"""Writes the hostile inputs of run.sh into a folder: images whose header
declares far more pixels than their bytes hold, text that grows work, and
templates that repeat. Nothing here is large on disk except where the case
is the size itself."""
import json
import os
import struct
import sys
import zlib

out = sys.argv[1]
src = sys.argv[2]  # the source tree (for a real JPEG)


def write(name, data, mode="wb"):
    with open(os.path.join(out, name), mode) as f:
        f.write(data)


def png(w, h, idat=None):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))

    if idat is None:
        raw = b"".join(b"\0" + b"\x80\x20\x20" * w for _ in range(h))
        idat = zlib.compress(raw)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def jpeg_with_size(w, h):
    """The bundled test JPEG with its frame header claiming w × h."""
    d = bytearray(open(os.path.join(src, "tests/markup/data/red.jpg"), "rb").read())
    i = 2
    while i < len(d):
        m = d[i + 1]
        ln = d[i + 2] << 8 | d[i + 3]
        if 0xC0 <= m <= 0xCF and m not in (0xC4, 0xC8, 0xCC):
            d[i + 5:i + 9] = struct.pack(">HH", h, w)
            return bytes(d)
        i += 2 + ln
    raise SystemExit("no SOF in red.jpg")


write("small.png", png(8, 6))
# 20000 × 20000 declared, a few bytes of data: refused from the header.
write("bomb.png", png(20000, 20000, idat=zlib.compress(b"\0" * 100)))
write("bomb.jpg", jpeg_with_size(30000, 30000))
write("wide.jpg", jpeg_with_size(12000, 12000))  # 144 MP: allowed with --max-pixels
os.makedirs(os.path.join(out, "data"), exist_ok=True)
os.makedirs(os.path.join(out, "outside"), exist_ok=True)
write("outside/secret.png", png(4, 4))

fig = '<document><section><figure src="{{img}}" width="40mm"/><p>{{text}}</p></section></document>\n'
write("data/fig.mustache", fig, "w")
write("data/plain.mustache", "<document><section><p>{{{text}}}</p></section></document>\n", "w")

# Templates whose work grows with the data, not the template.
lst = json.dumps({"a": list(range(1000)), "text": "x"})
write("data/list.json", lst, "w")
write("data/empty4.mustache", "<document><section><p>{{#a}}{{#a}}{{#a}}{{#a}}{{/a}}{{/a}}{{/a}}{{/a}}x</p></section></document>\n", "w")
write("data/nest3.mustache", "<document><section><p>{{#a}}{{#a}}{{#a}}x {{/a}}{{/a}}{{/a}}</p></section></document>\n", "w")
write("data/bom.json", "\ufeff" + json.dumps({"text": "with a byte order mark"}), "w")
write("data/pages.json", json.dumps({"text": "<p>x</p><page-break/>" * 20001}), "w")
write("data/blocks.mustache", "<document><section>{{{text}}}</section></document>\n", "w")

# Text that grows layout's work.
write("data/marks.json", json.dumps({"text": "a" + "\u0301" * 200000}), "w")
write("data/hyphens.json", json.dumps({"text": "a-" * 50000}), "w")
write("data/field.json", json.dumps({"text": "x" * 100000}), "w")
write("data/mg.json", json.dumps({"text": "5 mg " * 100000}), "w")
write("data/para_ok.json", json.dumps({"text": "word " * 6000}), "w")
row = "<tr>" + "<td>1</td>" * 100 + "</tr>"
write("data/table.json", json.dumps({"text": "<table>" + row * 1000 + "</table>"}), "w")
