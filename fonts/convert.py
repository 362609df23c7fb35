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

After them, the Persian faces get kashida composites named vqk<gid>.<k>:
letter form <gid> (a final or medial form) with a tatweel stroke k = 2, 3,
4 half tatweels long on its right side, advance = the letter's + the stroke's
(fonts/README.md). The renderer draws a kashida as one of them, in the
letter's cluster, so that it copies out as the letter alone.

The added glyphs are the last glyphs of the font and keep their names in a
format 2 `post` table (a CID-keyed CFF has no glyph names of its own), so
hb_font_get_glyph_from_name(font, "vqblank0") finds them.

The TrueType outlines of every glyph (the source's, unhinted, and the added
glyphs' drawn the same way) stay in the file under private tags (vqgl,
vqlo, vqmp: glyf, loca and a version 1 maxp). No shaper or viewer reads
them. The renderer's FreeType face sees them as the font's glyf, loca and
maxp (src/fonts/fonts_cairo.c): FreeType loads a TrueType glyph six to
eight times faster than a CFF one, and Cairo still subsets the CFF table.

Usage: fonts/convert.py VAZIRMATN_TTF_DIR [OUT_DIR]
  VAZIRMATN_TTF_DIR: the static TTFs of the `vazirmatn` npm package
  (package/fonts/ttf). The other faces come from Debian packages
  fonts-noto-core and fonts-hosny-amiri. Needs Debian's python3-fonttools.
"""
import copy
import io
import os
import struct
import sys

from fontTools.cffLib import (CFFFontSet, CharStrings, FDArrayIndex, FDSelect, FontDict,
                              GlobalSubrsIndex, IndexedStrings, PrivateDict, TopDict, TopDictIndex)
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables.DefaultTable import DefaultTable
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fontTools.ttLib.tables._p_o_s_t import table__p_o_s_t

VQ_BLANKS = 8
VQ_WIDE_EMS = (0.1, 0.35, 0.6, 0.85, 1.1)
VQ_WIDE_COPIES = 8
# Kashida composites: strokes of k half tatweels, from one tatweel (the
# least a word takes, src/text/kashida.c) to two (VQ_KASHIDA_WORD_MAX in
# src/text/internal.h).
VQ_KASHIDA_STEPS_PER_TATWEEL = 2
VQ_KASHIDA_STEPS = range(2, 5)
# The letters a kashida may lengthen: the Arabic letters of Arabic and
# Persian text (hamza to ghain, feh to yeh) and Persian's own (peh,
# tcheh, jeh, keheh, gaf, Farsi yeh, heh with yeh above).
KASHIDA_LETTERS = (list(range(0x0621, 0x063B)) + list(range(0x0641, 0x064B)) +
                   [0x067E, 0x0686, 0x0698, 0x06A9, 0x06AF, 0x06CC, 0x06C0])
NOTO = "/usr/share/fonts/truetype/noto"
AMIRI = "/usr/share/fonts/opentype/fonts-hosny-amiri"

# Where the TrueType outlines are kept, for the renderer's FreeType face only
# (src/fonts/fonts_cairo.c reads the same tags).
PRIVATE_TRUETYPE = (("glyf", "vqgl"), ("loca", "vqlo"), ("maxp", "vqmp"))

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


def joined_forms(src):
    """The final and medial forms of KASHIDA_LETTERS (the `fina` and `medi`
    single or one-glyph multiple substitutions of their cmap glyphs) and
    what any other lookup makes of them (Vazirmatn's `.long` forms after
    seen, lam-alef and Amiri's other ligatures that start with such a
    form), in glyph id order: the letter left of a kashida joins it on its
    right. Read from a copy of the font: a table decompiled in the one
    converted would be compiled again with the new glyph names."""
    font = TTFont(src)
    gsub = font["GSUB"].table
    cmap = font.getBestCmap()

    def subtables(index):
        lookup = gsub.LookupList.Lookup[index]
        for sub in lookup.SubTable:
            yield sub.ExtSubTable if lookup.LookupType == 7 else sub

    def outputs(index, inputs):
        for sub in subtables(index):
            if sub.LookupType == 1:
                yield from (v for k, v in sub.mapping.items() if k in inputs)
            elif sub.LookupType == 2:
                yield from (v[0] for k, v in sub.mapping.items() if k in inputs and len(v) == 1)
            elif sub.LookupType == 4:
                yield from (lig.LigGlyph for first, ligs in sub.ligatures.items()
                            if first in inputs for lig in ligs)

    joining = set()
    for rec in gsub.FeatureList.FeatureRecord:
        if rec.FeatureTag in ("fina", "medi"):
            joining.update(rec.Feature.LookupListIndex)
    letters = {cmap[cp] for cp in KASHIDA_LETTERS if cp in cmap}
    forms = set()
    for index in sorted(joining):
        forms.update(outputs(index, letters))
    everything = range(len(gsub.LookupList.Lookup))
    while True:
        more = {g for index in everything for g in outputs(index, forms)} - forms
        if not more:
            break
        forms |= more
    return sorted(forms, key=font.getGlyphID)


class _Stretch:
    """Places the tatweel `length` units long from x = `start`: its points
    right of its middle move right by length - its advance, so that the
    stroke keeps both its ends and is one contour (the engine drew
    overlapping tatweel glyphs: with Vazirmatn's rectangle the same ink)."""

    def __init__(self, start, length, tatweel):
        self.start, self.middle, self.extra = start, tatweel / 2, length - tatweel

    def transformPoint(self, pt):
        x, y = pt
        return (self.start + x + (self.extra if x > self.middle else 0), y)

    def transformPoints(self, points):
        return [self.transformPoint(p) for p in points]


def kashida_stroke(pen, glyphs, tatweel_name, tatweel, start, length):
    """A kashida `length` units long from x = `start`, as the engine drew it
    with tatweel glyphs (src/text/kashida.c): stretched from one tatweel,
    or, shorter than one, a tatweel centred on the gap."""
    if length < tatweel:
        glyphs[tatweel_name].draw(
            TransformPen(pen, (1, 0, 0, 1, round(start + (length - tatweel) / 2), 0)))
    else:
        glyphs[tatweel_name].draw(TransformPen(pen, _Stretch(start, length, tatweel)))


def kashida_composites(font, src, tatweel_name):
    """(name, advance, draw) of each kashida composite: a letter form with a
    tatweel stroke of step k on its right (joining) side, advance = the
    letter's + the stroke's. Named vqk<letter gid>.<k>, k in
    VQ_KASHIDA_STEPS (half tatweels), consecutive."""
    if not tatweel_name:
        return []
    glyphs = font.getGlyphSet()
    hmtx = font["hmtx"].metrics
    tatweel = hmtx[tatweel_name][0]
    out = []
    for form in joined_forms(src):
        advance = hmtx[form][0]
        for k in VQ_KASHIDA_STEPS:
            length = round(k * tatweel / VQ_KASHIDA_STEPS_PER_TATWEEL)

            def draw(pen, form=form, advance=advance, length=length):
                glyphs[form].draw(pen)
                kashida_stroke(pen, glyphs, tatweel_name, tatweel, advance, length)

            out.append(("vqk%d.%d" % (font.getGlyphID(form), k), advance + length, draw))
    return out


def truetype_glyph(glyphs, draw):
    """The glyf glyph `draw` makes, components decomposed, and its left
    side bearing: the least x of its points, off-curve ones included (a
    TrueType rasterizer moves an outline whose bearing differs by the
    difference)."""
    recording = DecomposingRecordingPen(glyphs)
    draw(recording)
    pen = TTGlyphPen(None)
    recording.replay(pen)
    glyph = pen.glyph()
    return glyph, min((x for x, _ in glyph.coordinates), default=0)


def truetype_tables(font, names, widths, added):
    """The glyf, loca and maxp tables (bytes) of glyph order `names`: the
    source glyphs as they are, without their instructions (the renderer
    never hints), then the added glyphs (`added`: name -> glyf glyph; the
    others blank). Also the loca format."""
    source = font["glyf"]
    tt = TTFont()
    tt.setGlyphOrder(names)
    for tag in ("head", "hhea", "maxp"):
        tt[tag] = copy.deepcopy(font[tag])
    maxp = tt["maxp"]
    maxp.numGlyphs = len(names)
    # Nothing here is hinted: no zones, storage or functions to allocate.
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, attr, 0)
    hmtx = newTable("hmtx")
    hmtx.metrics = dict(zip(names, widths))
    tt["hmtx"] = hmtx
    tt["hhea"].numberOfHMetrics = len(names)
    glyf = newTable("glyf")
    glyf.glyphOrder = names
    glyf.glyphs = {}
    for name in names:
        if name in source.glyphs:
            glyph = copy.deepcopy(source[name])
            glyph.removeHinting()
        elif name in added:
            glyph = added[name]
        else:
            glyph = Glyph()
        glyf.glyphs[name] = glyph
    tt["glyf"] = glyf
    tt["loca"] = newTable("loca")
    out = io.BytesIO()
    tt.save(out)
    compiled = TTFont(io.BytesIO(out.getvalue()))
    tables = {tag: compiled.reader[tag] for tag, _ in PRIVATE_TRUETYPE}
    return tables, compiled["head"].indexToLocFormat


def convert(src, dst, tatweel_name=None):
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
    composites = []
    truetype_composites = {}
    x_max = font["head"].xMax
    for name, width, draw in kashida_composites(font, src, tatweel_name):
        names.append(name)
        pen = T2CharStringPen(None if width == default_width else width - default_width, glyphs)
        draw(pen)
        charstrings.append(pen.getCharString(private=private, globalSubrs=global_subrs))
        glyph, lsb = truetype_glyph(glyphs, draw)
        truetype_composites[name] = glyph
        composites.append((width, lsb))
        bounds = BoundsPen(glyphs)
        draw(bounds)
        x_max = max(x_max, round(bounds.bounds[2]) if bounds.bounds else 0)
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
    head.xMax = x_max  # the longest composite may reach past every letter
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
    widths = [hmtx[n] for n in names[:old_count]] + added + [(0, 0)] * VQ_BLANKS + composites
    post = post_bytes(font["post"], names)
    truetype, loca_format = truetype_tables(font, names, widths, truetype_composites)
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
    font["head"].indexToLocFormat = loca_format
    for tag, private in PRIVATE_TRUETYPE:
        table = DefaultTable(private)
        table.data = truetype[tag]
        font[private] = table
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
    return old_count, count, len(composites)


FACES = [
    # (source, output, the tatweel as shaped between two joined letters)
    ("{vaz}/Vazirmatn-Regular.ttf", "Vazirmatn-Regular.otf", "uni0640"),
    ("{vaz}/Vazirmatn-Bold.ttf", "Vazirmatn-Bold.otf", "uni0640"),
    (AMIRI + "/Amiri-Regular.ttf", "Amiri-Regular.otf", "uni0640.1"),
    (AMIRI + "/Amiri-Bold.ttf", "Amiri-Bold.otf", "uni0640.1"),
    (NOTO + "/NotoSerif-Regular.ttf", "NotoSerif-Regular.otf", None),
    (NOTO + "/NotoSerif-Bold.ttf", "NotoSerif-Bold.otf", None),
    (NOTO + "/NotoSerif-Italic.ttf", "NotoSerif-Italic.otf", None),
    (NOTO + "/NotoSerif-BoldItalic.ttf", "NotoSerif-BoldItalic.otf", None),
]


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    vaz = argv[1]
    out = argv[2] if len(argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    for src, dst, tatweel in FACES:
        src = src.format(vaz=vaz)
        old, new, kashida = convert(src, os.path.join(out, dst), tatweel)
        print("%s: %d glyphs + %d blank + %d kashida -> %s" %
              (os.path.basename(src), old, new - old - kashida, kashida, dst))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
