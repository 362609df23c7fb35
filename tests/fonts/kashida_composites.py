#!/usr/bin/python3
"""The kashida composites fonts/convert.py adds to the bundled faces.

For every composite vqk<letter>.<step> of each bundled Persian face: it
comes after the blank glyphs (the glyph ids before it are those of the
source font and the blanks), its advance is the letter's plus the stroke
of its step (step k: k half tatweels, rounded to font units; from one
tatweel, the least a word takes, to two, the most), and its outline's bounding
box covers the letter's and the stroke's whole length. Noto Serif (no
Arabic) has none.
"""
import os, re, struct, sys

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

src = os.environ["VQ_SOURCE_DIR"]
STEPS_PER_TATWEEL, STEPS = 2, range(2, 5)
TATWEEL = {"Vazirmatn": "uni0640", "Amiri": "uni0640.1"}
fails = []


def post_names(font):
    """Glyph names of a format 2 post table (fontTools names CID-keyed
    glyphs cidNNNNN instead)."""
    data = font.reader["post"]
    count = struct.unpack(">H", data[32:34])[0]
    index = struct.unpack(">%dH" % count, data[34:34 + 2 * count])
    pos, extra = 34 + 2 * count, []
    while pos < len(data):
        n = data[pos]
        extra.append(data[pos + 1:pos + 1 + n].decode("latin-1"))
        pos += 1 + n
    from fontTools.ttLib.standardGlyphOrder import standardGlyphOrder
    return [standardGlyphOrder[i] if i < 258 else extra[i - 258] for i in index]


for face in ("Vazirmatn-Regular", "Vazirmatn-Bold", "Amiri-Regular", "Amiri-Bold",
             "NotoSerif-Regular"):
    font = TTFont(os.path.join(src, "fonts", face + ".otf"))
    names = post_names(font)
    order = font.getGlyphOrder()
    advance = [font["hmtx"][g][0] for g in order]
    glyphs = font.getGlyphSet()

    def bounds(gid):
        pen = BoundsPen(glyphs)
        glyphs[order[gid]].draw(pen)
        return pen.bounds

    comps = [(gid, m) for gid, n in enumerate(names) for m in [re.fullmatch(r"vqk(\d+)\.(\d+)", n)]
             if m]
    family = face.split("-")[0]
    if family not in TATWEEL:
        if comps:
            fails.append(f"{face}: {len(comps)} kashida composites in a face without Arabic")
        continue
    if len(comps) < 100:
        fails.append(f"{face}: only {len(comps)} kashida composites")
        continue
    tatweel = advance[names.index(TATWEEL[family])]
    if comps[0][0] != names.index("vqblank7") + 1 or comps[-1][0] != len(names) - 1:
        fails.append(f"{face}: composites are not the last glyphs, after the blanks")
    steps = len(STEPS)
    if sorted({int(m.group(2)) for _, m in comps}) != list(STEPS):
        fails.append(f"{face}: steps {sorted({int(m.group(2)) for _, m in comps})}")
    checked = 0
    for i, (gid, m) in enumerate(comps):
        letter, k = int(m.group(1)), int(m.group(2))
        if k != STEPS[i % steps] or (k > STEPS[0] and int(comps[i - 1][1].group(1)) != letter):
            fails.append(f"{face}: {names[gid]} out of order")
            break
        length = round(k * tatweel / STEPS_PER_TATWEEL)
        if advance[gid] != advance[letter] + length:
            fails.append(f"{face}: {names[gid]} advance {advance[gid]}, "
                         f"not {advance[letter]} + {length}")
        lb, cb = bounds(letter), bounds(gid)
        if not cb or (lb and (cb[0] > lb[0] or cb[1] > lb[1] or cb[2] < lb[2] or cb[3] < lb[3])):
            fails.append(f"{face}: {names[gid]} does not cover {names[letter]}: {cb} vs {lb}")
        # The stroke reaches past the letter's advance on the right, to the
        # end of the composite's advance (where the next letter joins).
        if cb[2] < advance[gid]:
            fails.append(f"{face}: {names[gid]} stroke ink {cb[0]}..{cb[2]} "
                         f"does not reach {advance[gid]}")
        checked += 1
    print(f"{face}: {checked} composites of {checked // steps} letter forms, {steps} steps "
          f"of {tatweel / STEPS_PER_TATWEEL:g} units")

for f in fails[:20]:
    print("FAIL", f)
sys.exit(1 if fails else 0)
