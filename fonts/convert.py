#!/usr/bin/python3
"""Converts the bundled faces to CID-keyed CFF OpenType (.otf).

Why: Cairo 1.16 splits a TrueType face into an 8-bit and a CID subset in
the PDF (two font resources, and PDF viewers then break copied text at each
switch); it never splits a CID-keyed CFF font. Each face also gets
VQ_BLANKS blank zero-width glyphs named vqblank0.. (no outline, no cmap
entry): the renderer draws the invisible characters of its copy-out method
(RLM, RLM + space, combining marks) on them, and Cairo needs glyphs of their
own for that since it keeps one text per glyph for a whole document.

Before them go VQ_WIDE_COPIES blank glyphs of each width in VQ_WIDE_EMS,
named vqwide0.. (no outline, no cmap entry, advances of 0.1 to 1.1 em):
the renderer puts a letter's text on one when the letter's ink is drawn
sideways of its pen position (Amiri's cursive attachment), so that
extractors see its box where the letter stands in the word. Each carries
one letter for a whole document, hence the copies.

The blank glyphs are the last glyphs of the font and keep their names in a
format 2 `post` table (a CID-keyed CFF has no glyph names of its own), so
hb_font_get_glyph_from_name(font, "vqblank0") finds them.

Usage: fonts/convert.py VAZIRMATN_TTF_DIR [OUT_DIR]
  VAZIRMATN_TTF_DIR: the static TTFs of the `vazirmatn` npm package
  (package/fonts/ttf). The other faces come from Debian packages
  fonts-noto-core and fonts-hosny-amiri. Needs Debian's python3-fonttools.
"""
import os
import struct
import sys

from fontTools.cffLib import (CFFFontSet, CharStrings, FDArrayIndex, FDSelect, FontDict,
                              GlobalSubrsIndex, IndexedStrings, PrivateDict, TopDict, TopDictIndex)
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables.DefaultTable import DefaultTable
from fontTools.ttLib.tables._p_o_s_t import table__p_o_s_t

VQ_BLANKS = 8
VQ_WIDE_EMS = (0.1, 0.35, 0.6, 0.85, 1.1)
VQ_WIDE_COPIES = 8
NOTO = "/usr/share/fonts/truetype/noto"
AMIRI = "/usr/share/fonts/opentype/fonts-hosny-amiri"

# Tables that only TrueType outlines use.
TT_ONLY = ("glyf", "loca", "gasp", "prep", "fpgm", "cvt ", "hdmx", "LTSH", "VDMX", "DSIG")


def name_of(font, name_id):
    rec = font["name"].getName(name_id, 3, 1, 0x409) or font["name"].getName(name_id, 1, 0, 0)
    return rec.toUnicode() if rec else ""


class _NamesOnly:
    """Just enough of a TTFont for the post table to encode glyph names."""

    def __init__(self, names):
        self.names = names
        self.tables = {"maxp": type("maxp", (), {"numGlyphs": len(names)})()}

    def __getitem__(self, tag):
        return self.tables[tag]

    def getGlyphOrder(self):
        return self.names


def post_bytes(old_post, names):
    post = table__p_o_s_t("post")
    for attr in ("italicAngle", "underlinePosition", "underlineThickness", "isFixedPitch",
                 "minMemType42", "maxMemType42", "minMemType1", "maxMemType1"):
        setattr(post, attr, getattr(old_post, attr))
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    return post.compile(_NamesOnly(names))


def convert(src, dst):
    font = TTFont(src)
    names = list(font.getGlyphOrder())
    glyphs = font.getGlyphSet()
    hmtx = font["hmtx"].metrics
    upem = font["head"].unitsPerEm

    # The most common advance is the default width; the others are stored
    # relative to it. This also keeps the Private DICT from being empty,
    # which poppler rejects ("Bogus memory allocation size").
    counts = {}
    for name in names:
        counts[hmtx[name][0]] = counts.get(hmtx[name][0], 0) + 1
    default_width = max(sorted(w for w in counts if w), key=lambda w: counts[w])
    private = PrivateDict()
    private.defaultWidthX = default_width
    private.nominalWidthX = default_width
    global_subrs = GlobalSubrsIndex()
    charstrings = []
    for name in names:
        width = hmtx[name][0]
        pen = T2CharStringPen(None if width == default_width else width - default_width, glyphs)
        glyphs[name].draw(pen)
        charstrings.append(pen.getCharString(private=private, globalSubrs=global_subrs))
    old_count = len(names)
    added = []
    for em in VQ_WIDE_EMS:
        for _ in range(VQ_WIDE_COPIES):
            width = round(em * upem)
            names.append("vqwide%d" % len(added))
            added.append((width, 0))
            pen = T2CharStringPen(None if width == default_width else width - default_width, glyphs)
            charstrings.append(pen.getCharString(private=private, globalSubrs=global_subrs))
    for i in range(VQ_BLANKS):
        names.append("vqblank%d" % i)
        pen = T2CharStringPen(None if default_width == 0 else -default_width, glyphs)
        charstrings.append(pen.getCharString(private=private, globalSubrs=global_subrs))
    count = len(names)
    cids = [".notdef"] + ["cid%05d" % i for i in range(1, count)]

    ps_name = name_of(font, 6)
    top = TopDict()
    top.ROS = ("Adobe", "Identity", 0)
    top.CIDCount = count
    top.FullName = name_of(font, 4)
    top.FamilyName = name_of(font, 1)
    top.Notice = name_of(font, 0)
    # The scale goes in the top DICT only: a Font DICT matrix would be
    # multiplied with it (FreeType, poppler), and an identity one made
    # poppler size its glyph cache by the font bbox in ems.
    top.FontMatrix = [1.0 / upem, 0, 0, 1.0 / upem, 0, 0]
    head = font["head"]
    top.FontBBox = [head.xMin, head.yMin, head.xMax, head.yMax]
    top.charset = cids
    fd = FontDict()
    fd.setCFF2(False)
    fd.Private = private
    fd.FontName = ps_name
    fd_array = FDArrayIndex()
    fd_array.append(fd)
    top.FDArray = fd_array
    fd_select = FDSelect()
    fd_select.format = 3
    fd_select.gidArray = [0] * count
    top.FDSelect = fd_select
    top.GlobalSubrs = global_subrs
    cs = CharStrings(None, cids, global_subrs, None, fd_select, fd_array)
    for cid, charstring in zip(cids, charstrings):
        charstring.private = private
        cs[cid] = charstring
    top.CharStrings = cs

    cff = CFFFontSet()
    cff.major, cff.minor = 1, 0
    cff.otFont = font
    cff.fontNames = [ps_name]
    cff.topDictIndex = TopDictIndex()
    cff.topDictIndex.append(top)
    cff.GlobalSubrs = global_subrs
    cff.strings = IndexedStrings()

    # Decompile what changes while the old glyph names still hold; leave the
    # layout tables and cmap as they are (they refer to glyph ids, which do
    # not move: the blanks go at the end).
    widths = [hmtx[n] for n in names[:old_count]] + added + [(0, 0)] * VQ_BLANKS
    post = post_bytes(font["post"], names)
    for tag in ("head", "hhea", "maxp", "OS/2", "name"):
        font[tag]
    for tag in TT_ONLY:
        if tag in font:
            del font[tag]

    font.setGlyphOrder(cids)
    font["hmtx"].metrics = dict(zip(cids, widths))
    font["hhea"].numberOfHMetrics = count
    maxp = font["maxp"]
    maxp.tableVersion = 0x00005000
    maxp.numGlyphs = count
    for attr in list(vars(maxp)):
        if attr not in ("tableTag", "tableVersion", "numGlyphs"):
            delattr(maxp, attr)
    raw_post = DefaultTable("post")
    raw_post.data = post
    font["post"] = raw_post
    cff_table = newTable("CFF ")
    cff_table.cff = cff
    font["CFF "] = cff_table
    font.sfntVersion = "OTTO"
    font.recalcBBoxes = False
    font.recalcTimestamp = False  # same sources give the same bytes
    font.save(dst)
    return old_count, count


FACES = [
    # (source, output, licence family)
    ("{vaz}/Vazirmatn-Regular.ttf", "Vazirmatn-Regular.otf"),
    ("{vaz}/Vazirmatn-Bold.ttf", "Vazirmatn-Bold.otf"),
    (AMIRI + "/Amiri-Regular.ttf", "Amiri-Regular.otf"),
    (AMIRI + "/Amiri-Bold.ttf", "Amiri-Bold.otf"),
    (NOTO + "/NotoSerif-Regular.ttf", "NotoSerif-Regular.otf"),
    (NOTO + "/NotoSerif-Bold.ttf", "NotoSerif-Bold.otf"),
    (NOTO + "/NotoSerif-Italic.ttf", "NotoSerif-Italic.otf"),
    (NOTO + "/NotoSerif-BoldItalic.ttf", "NotoSerif-BoldItalic.otf"),
]


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    vaz = argv[1]
    out = argv[2] if len(argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    for src, dst in FACES:
        src = src.format(vaz=vaz)
        old, new = convert(src, os.path.join(out, dst))
        print("%s: %d glyphs + %d blank -> %s" % (os.path.basename(src), old, new - old, dst))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
