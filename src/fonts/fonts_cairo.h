/* Cairo font faces for the registry's faces, for the renderer only.
 *
 * Each Cairo face has its own FT_Face reading the font's bytes through a
 * stream in which the `cmap` table is hidden (replaced by an empty one) and
 * the FT_Face has no charmap: Cairo would otherwise take a glyph's ToUnicode from the cmap
 * (lam-alef copies out as U+FEFB) instead of the cluster text the renderer
 * gives it. HarfBuzz keeps shaping from the real bytes; the two never share
 * an FT_Face (Cairo sets its own size on the face it draws with).
 *
 * A bundled face also shows FreeType, in that stream, the TrueType outlines
 * fonts/convert.py keeps under private tags: glyph loads (Cairo's metrics
 * and outlines) go through FreeType's TrueType driver, six to eight times
 * cheaper a glyph than its CFF engine, while Cairo embeds the font's CFF
 * table as before. */
#ifndef VQ_FONTS_CAIRO_H
#define VQ_FONTS_CAIRO_H

#include <stdbool.h>
#include <stdint.h>

#include <cairo.h>

#include "fonts/fonts.h"
#include "varaq/error.h"

typedef struct vq_cairo_faces vq_cairo_faces;

vq_cairo_faces *vq_cairo_faces_create(void);
/* Drops this cache's references; Cairo frees each face when its last user
 * (a surface still holding a scaled font) lets go. */
void vq_cairo_faces_destroy(vq_cairo_faces *cf);

/* The Cairo face for face, made on first use (borrowed: valid until the
 * cache is destroyed). NULL with err set when FreeType cannot load it. */
cairo_font_face_t *vq_cairo_faces_get(vq_cairo_faces *cf, const vq_face *face, vq_error *err);

/* Whether glyph was marked before in face; marks it. For the canvas,
 * which asks Cairo for a glyph's outline the first time it draws the
 * glyph in a face (canvas.c, vq_canvas_load_glyphs). face must have a
 * Cairo face (vq_cairo_faces_get); false for one that has not. */
bool vq_cairo_faces_mark(vq_cairo_faces *cf, const vq_face *face, uint32_t glyph);

#endif
