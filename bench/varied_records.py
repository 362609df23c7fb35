#!/usr/bin/python3
"""Writes N varied handout records (JSON Lines) to stdout and the logos they
name into FOLDER (the records file must be written there too: a logo is
relative to the data file's folder).

    varied_records.py SAMPLE.json N FOLDER [SEED]

Every record differs from the sample in its patient (name in both
languages, age, file number), date, language (about half Persian, half
English), paper (A4 or A5), which sections, medications, advice, warning
signs and appointments it keeps and in what order, and whether it has a
logo (about one in four: three PNGs of different sizes and colour types
written here, and the JPEG from the test images). Some records repeat their
lists to run over two or three pages. The output depends only on N and
SEED, so a run can be repeated."""
import copy
import datetime
import json
import os
import random
import shutil
import struct
import sys
import zlib

sample_path, n, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1403
sample = json.load(open(sample_path, encoding="utf-8"))
rng = random.Random(seed)
os.makedirs(folder, exist_ok=True)


def png(path, w, h, colour_type, pixel):
    """A w x h PNG, every row drawn by pixel(x, y) -> bytes."""
    rows = b"".join(b"\0" + b"".join(pixel(x, y) for x in range(w)) for y in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, colour_type, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


png(os.path.join(folder, "logo-rgb.png"), 120, 60, 2,
    lambda x, y: bytes((40 + x, 80 + y, 160)))
png(os.path.join(folder, "logo-alpha.png"), 64, 64, 6,
    lambda x, y: bytes((200, 30, 30, 255 if (x - 32) ** 2 + (y - 32) ** 2 < 900 else 0)))
png(os.path.join(folder, "logo-grey.png"), 300, 80, 0, lambda x, y: bytes(((x * 7 + y) % 256,)))
here = os.path.dirname(os.path.abspath(sys.argv[0]))
shutil.copy(os.path.join(here, "../tests/layout/img/page.jpg"), os.path.join(folder, "logo.jpg"))
logos = ["logo-rgb.png", "logo-alpha.png", "logo-grey.png", "logo.jpg"]

people = [("مریم کاظمی", "Maryam Kazemi"), ("علی رضایی", "Ali Rezaei"),
          ("زهرا حسینی", "Zahra Hosseini"), ("محمدرضا نوری", "Mohammadreza Nouri"),
          ("فاطمه‌سادات موسوی", "Fatemeh-Sadat Mousavi"), ("حسین قاسمی", "Hossein Ghasemi"),
          ("نرگس امیری", "Narges Amiri"), ("John O'Neill", "John O'Neill"),
          ("سارا یزدانی‌پور", "Sara Yazdanipour"), ("رضا کریمی", "Reza Karimi")]
extra_paragraphs = [
    {"fa": "اگر دوزی را فراموش کردید، به محض یادآوری بخورید؛ اما اگر زمان دوز بعدی نزدیک است، "
           "آن را نخورید و دوز را دو برابر نکنید.",
     "en": "If you forget a dose, take it as soon as you remember; if the next dose is near, "
           "skip it and do not double the dose."},
    {"fa": "نتیجه آزمایش CBC و آنزیم‌های کبد (ALT، AST) را در ویزیت بعدی همراه بیاورید.",
     "en": "Bring the results of the CBC and liver enzyme tests (ALT, AST) to your next visit."},
    {"fa": "فشار خون هدف شما کمتر از 130/80 است؛ روزانه 2 بار اندازه بگیرید و یادداشت کنید.",
     "en": "Your target blood pressure is below 130/80; measure it twice a day and write it down."},
]


def pick(items, lo):
    """A random non-empty selection of items, in a random order."""
    k = rng.randint(lo, len(items))
    return rng.sample(items, k)


for i in range(n):
    r = copy.deepcopy(sample)
    fa, en = people[i % len(people)]
    r["language"] = "fa" if rng.random() < 0.5 else "en"
    r["page_size"] = "A5" if rng.random() < 0.3 else "A4"
    r["patient"] = {"name": {"fa": fa, "en": en}, "file_number": f"VR-{i + 1:05d}",
                    "age": rng.randint(0, 99)}
    day = datetime.date(2016, 1, 1) + datetime.timedelta(days=rng.randint(0, 3000))
    r["date"] = day.isoformat()
    r["clinic"]["logo"] = rng.choice(logos) if rng.random() < 0.25 else None
    sections = pick(r["sections"], 0)
    for s in sections:
        s["paragraphs"] = s["paragraphs"] + rng.sample(extra_paragraphs, rng.randint(0, 2))
    r["sections"] = sections
    r["medications"] = pick(r["medications"], 1)
    r["advice"] = pick(r["advice"], 1)
    r["warning_signs"] = pick(r["warning_signs"], 1)
    appts = pick(r["appointments"], 1)
    for a in appts:
        a["date"] = (day + datetime.timedelta(days=rng.randint(1, 120))).isoformat()
        a["time"] = f"{rng.randint(7, 17):02d}:{rng.choice([0, 15, 30, 45]):02d}"
    r["appointments"] = appts
    if rng.random() < 0.08:  # a long one: two or three pages
        times = rng.randint(2, 4)
        r["warning_signs"] = r["warning_signs"] * times
        r["sections"] = r["sections"] * times or [sample["sections"][0]] * times
        r["appointments"] = r["appointments"] * times
    print(json.dumps(r, ensure_ascii=False))
