/* Font registry: the bundled font files, each read once per process.
 *
 * HarfBuzz shapes from an hb_face made on the file's bytes (positions in
 * font units: the hb_font's scale is the units per em); the renderer gets a
 * separate Cairo font face on the same bytes (fonts_cairo.h). The two never
 * share an FT_Face: Cairo sets its own size on the face it draws with. */
#ifndef VQ_FONTS_H
#define VQ_FONTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hb.h>

#include "base/buf.h"
#include "varaq/error.h"

typedef struct vq_font_registry vq_font_registry;
typedef struct vq_face vq_face;

/* Finds the fonts folder (next to the executable, then the install prefix,
 * then $VARAQ_FONT_PATH, a colon-separated list) and loads every face in it.
 * exe_dir may be NULL. Fails when no usable font is found. */
vq_font_registry *vq_font_registry_create(const char *exe_dir, vq_error *err);
/* The same with the user's folders (--font-path) searched before
 * $VARAQ_FONT_PATH; a folder that does not exist is an error. */
vq_font_registry *vq_font_registry_create_with(const char *exe_dir, const char *const *user_dirs,
                                               size_t user_dir_count, vq_error *err);
/* Loads the faces in the given folders only (tests use it). */
vq_font_registry *vq_font_registry_create_from(const char *const *dirs, size_t dir_count,
                                               vq_error *err);
void vq_font_registry_destroy(vq_font_registry *reg);

/* The face of family closest to weight and italic; NULL when the family is
 * unknown. Family names match case-insensitively. */
const vq_face *vq_font_find(vq_font_registry *reg, const char *family, int weight, bool italic);

/* The face to draw code point cp with when primary lacks it: primary itself
 * when it has it, else the first face of the fallback chain for script (an
 * ICU UScriptCode) that has it, else NULL (the caller draws .notdef and
 * warns once, naming U+XXXX). */
const vq_face *vq_font_fallback(vq_font_registry *reg, const vq_face *primary, uint32_t cp,
                                int script, int weight, bool italic);

/* The default family for a language ("fa" → the Persian face, else Latin). */
const char *vq_font_default_family(const vq_font_registry *reg, const char *lang);

/* Writes one line per face (family, style, file) for `varaq fonts`. */
void vq_font_registry_list(const vq_font_registry *reg, vq_buf *out);

/* The faces in load order (folder order, then file name order). */
size_t vq_font_registry_face_count(const vq_font_registry *reg);
const vq_face *vq_font_registry_face(const vq_font_registry *reg, size_t i);

/* True the first time cp is reported missing from every face, so a code
 * point no font has is warned about once per registry. */
bool vq_font_registry_first_missing(vq_font_registry *reg, uint32_t cp);

/* Face facts. Metrics are in font units; divide by units_per_em and
 * multiply by the size in pt. */
const char *vq_face_family(const vq_face *face);
const char *vq_face_path(const vq_face *face);
int vq_face_weight(const vq_face *face);
bool vq_face_italic(const vq_face *face);
unsigned vq_face_units_per_em(const vq_face *face);
int vq_face_ascender(const vq_face *face);  /* positive, above baseline */
int vq_face_descender(const vq_face *face); /* positive, below baseline */
int vq_face_line_gap(const vq_face *face);
bool vq_face_has_char(const vq_face *face, uint32_t cp);
hb_font_t *vq_face_hb_font(const vq_face *face); /* scale = units per em */
/* The font file's bytes (read once, shared) and the face index in it. */
const void *vq_face_data(const vq_face *face, size_t *len);
unsigned vq_face_index(const vq_face *face);
/* The font Cairo draws with (fonts_cairo.c): a bundled face's file, or a
 * user's face's CID-keyed conversion (cidcff.h), made when the face is
 * first used; NULL (len 0) for a user's face that could not be converted,
 * whose own bytes Cairo must not parse. */
const void *vq_face_draw_data(const vq_face *face, size_t *len, unsigned *index);
/* The file those bytes are, opened again (the caller closes it), or -1 for
 * a conversion, a file that could only be read or one replaced since it
 * was mapped. Cairo's FreeType face reads its long tables from it with
 * pread, so the whole CFF table Cairo 1.16 reads each time it checks or
 * subsets a font is never mapped into the process; short reads come from
 * a mapping of it (fonts_cairo.c). */
int vq_face_open_draw_file(const vq_face *face);

/* Blank zero-width glyphs of this face that carry no text of their own, for
 * the copy-out method (RLM, RLM-space and mark carriers); see
 * docs/architecture.md. count receives how many there are. */
const uint32_t *vq_face_blank_glyphs(const vq_face *face, size_t *count);

/* Blank glyphs with an advance (0.1 to 1.1 em, several of each width) that
 * carry no text of their own: a letter drawn sideways of its pen position
 * puts its text on one (render/line.c). Sets *gids and *widths (font units)
 * and returns how many; 0 for a face that did not go through the
 * conversion (fonts/convert.py, cidcff.h). */
size_t vq_face_wide_blanks(const vq_face *face, const uint32_t **gids, const uint16_t **widths);

/* The face's kashida composites (fonts/convert.py): glyphs named
 * vqk<letter>.<step>, a letter form with a tatweel stroke on its right,
 * ordered by letter then step, the last glyphs of the face. Returns the
 * first and sets *count (0 for a face without them). */
uint32_t vq_face_kashida_composites(const vq_face *face, size_t *count);

#endif
