/* A user's font as a CID-keyed CFF OpenType font, for Cairo only.
 *
 * Cairo 1.16 embeds a TrueType face (and a name-keyed CFF one) as two font
 * resources, an 8-bit subset for the glyphs first drawn with a WinAnsi text
 * and a CID subset for the rest; PDF viewers break copied text at every
 * switch (pdf.js reads Persian words in the wrong order). It never splits a
 * CID-keyed CFF font. The bundled faces are converted at build time
 * (fonts/convert.py); a user's face, whatever its outlines (a CID-keyed
 * one too, so that Cairo never parses a user's CFF), is converted here
 * when it is loaded, the same way: outlines from FreeType (quadratic to
 * cubic, in font units), glyph
 * ids unchanged, no hinting, VQ_CID_WIDES and VQ_CID_BLANKS blank glyphs
 * appended, a TrueType face's own outlines kept under the same private
 * tags for the renderer's FreeType face (fonts_cairo.h). The result
 * has no cmap (Cairo must take each glyph's text from the renderer) and no
 * layout tables: HarfBuzz keeps shaping from the original file. */
#ifndef VQ_FONTS_CIDCFF_H
#define VQ_FONTS_CIDCFF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* Blank zero-width glyphs appended after the face's own glyphs, as the
 * build-time conversion does (the renderer's copy-out carriers). */
#define VQ_CID_BLANKS 8
/* Blank glyphs with an advance, between the face's own glyphs and those:
 * VQ_CID_WIDE_COPIES of each width fonts/convert.py gives them. */
#define VQ_CID_WIDE_COPIES 8
#define VQ_CID_WIDES (5 * VQ_CID_WIDE_COPIES)

/* The advance of wide blank i (0 … VQ_CID_WIDES - 1) in a face of upem
 * units per em. */
unsigned vq_cid_wide_width(unsigned i, unsigned upem);

/* Appends the converted font to out. False (out unchanged) when the face
 * cannot be read or has too many glyphs to add the blanks. */
bool vq_cid_convert(const unsigned char *data, size_t len, unsigned index, vq_buf *out);

#endif
