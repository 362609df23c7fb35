#!/usr/bin/python3
"""The TrueType outlines each bundled face keeps for the renderer.

fonts/convert.py stores every glyph's TrueType outline under the private
tags vqgl, vqlo and vqmp (glyf, loca, maxp), and the renderer's FreeType
face reads them instead of the CFF charstrings (src/fonts/fonts_cairo.c).
The PDF embeds the CFF, so the two must draw the same glyph: for every
glyph of every bundled face, the TrueType outline has the CFF outline's
bounding box and area (the CFF's cubic control points are rounded to font
units: the box within a unit, the area within half a unit along the
outline's length), its left side bearing in hmtx
is the least x of its points (FreeType moves an outline by any
difference), and the version 1 maxp counts the font's glyphs.
"""
import os
import sys

from fontTools.pens.areaPen import AreaPen
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.perimeterPen import PerimeterPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import table__g_l_y_f
from fontTools.ttLib.tables._l_o_c_a import table__l_o_c_a
from fontTools.ttLib.tables._m_a_x_p import table__m_a_x_p

src = os.environ["VQ_SOURCE_DIR"]
FACES = ("Vazirmatn-Regular", "Vazirmatn-Bold", "Amiri-Regular", "Amiri-Bold",
         "NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic", "NotoSerif-BoldItalic")
fails = []


def measure(draw, glyph_set):
    bounds, area, perimeter = BoundsPen(glyph_set), AreaPen(glyph_set), PerimeterPen(glyph_set)
    draw(bounds)
    draw(area)
    draw(perimeter)
    return bounds.bounds, area.value, perimeter.value


for face in FACES:
    font = TTFont(os.path.join(src, "fonts", face + ".otf"))
    missing = [tag for tag in ("vqgl", "vqlo", "vqmp") if tag not in font.reader]
    if missing:
        fails.append("%s: no %s table" % (face, ", ".join(missing)))
        continue
    order = font.getGlyphOrder()
    maxp = table__m_a_x_p("maxp")
    maxp.decompile(font.reader["vqmp"], font)
    if maxp.tableVersion != 0x00010000 or maxp.numGlyphs != len(order):
        fails.append("%s: maxp version %#x, %d glyphs of %d" %
                     (face, maxp.tableVersion, maxp.numGlyphs, len(order)))
        continue
    loca = table__l_o_c_a("loca")
    loca.decompile(font.reader["vqlo"], font)
    font.tables["loca"] = loca
    glyf = table__g_l_y_f("glyf")
    glyf.decompile(font.reader["vqgl"], font)
    font.tables["glyf"] = glyf
    tt_set = font.getGlyphSet(preferCFF=False)
    cff = font.getGlyphSet(preferCFF=True)
    hmtx = font["hmtx"].metrics
    bad = []
    for name in order:
        tt = glyf[name]
        tt_bounds, tt_area, _ = measure(tt_set[name].draw, tt_set)
        cff_bounds, cff_area, cff_perimeter = measure(cff[name].draw, cff)
        if (tt_bounds is None) != (cff_bounds is None):
            bad.append("%s: ink in one outline only" % name)
            continue
        if tt.numberOfContours > 0:
            least_x = min(x for x, _ in tt.coordinates)
            if hmtx[name][1] != least_x:
                bad.append("%s: left side bearing %d, least x %d" % (name, hmtx[name][1], least_x))
        if tt_bounds is None:
            continue
        if max(abs(a - b) for a, b in zip(tt_bounds, cff_bounds)) > 1.0:
            bad.append("%s: bounds %s against the CFF's %s" % (name, tt_bounds, cff_bounds))
        if abs(tt_area - cff_area) > cff_perimeter / 2 + 1.0:
            bad.append("%s: area %.1f against the CFF's %.1f" % (name, tt_area, cff_area))
    fails.extend("%s: %s" % (face, b) for b in bad[:5])
    print("%s: %d glyphs, %d differ" % (face, len(order), len(bad)))

for f in fails:
    print("FAIL " + f)
sys.exit(1 if fails else 0)
