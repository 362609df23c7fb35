/* The blank zero-width glyphs that fonts/convert.py adds to every bundled
 * face (vqblank0, vqblank1, …; no outline, no cmap entry), which the
 * renderer draws invisible copy-out text on. See fonts/README.md. */
#ifndef VQ_FONTS_BLANK_H
#define VQ_FONTS_BLANK_H

#include <stddef.h>
#include <stdint.h>

#include <hb.h>

/* Stores the glyph ids of vqblank0, vqblank1, … (up to max, stopping at the
 * first missing name) in out; returns how many were found (0 for a font
 * that was not converted). */
size_t vq_font_find_blank_glyphs(hb_font_t *font, uint32_t *out, size_t max);

#endif
