/* Private to src/render. */
#ifndef VQ_RENDER_INTERNAL_H
#define VQ_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/buf.h"
#include "fonts/fonts_cairo.h"
#include "render/render.h"

/* Letters carried on blank glyphs with an advance: the face's wide blanks
 * (fonts/convert.py makes 40) and ten space glyphs. */
enum { VQ_WIDE_CARRIERS = 50 };

/* Which nonspacing marks a face's blank glyphs carry: Cairo keeps one text
 * per glyph for the whole document, so a blank glyph, once given a mark,
 * carries that mark only. */
typedef struct vq_mark_face {
    const vq_face *face;
    uint32_t *marks; /* marks[i] is carried by blank glyph 2 + i */
    size_t count;
    /* Texts carried by the face's blank glyphs of some width (line.c,
     * letters drawn with a sideways offset): wide_gid[i] carries the text
     * whose hash is wide_text[i]. */
    uint32_t wide_gid[VQ_WIDE_CARRIERS];
    uint64_t wide_text[VQ_WIDE_CARRIERS]; /* hash of the text carried */
    double wide_w[VQ_WIDE_CARRIERS];      /* its advance, font units */
    size_t wide_count;
    /* The text each glyph was first drawn with (line.c, glyph_text_taken):
     * an open-addressed table of glyph id + 1 and a hash of the text. */
    uint32_t *text_gid;
    uint64_t *text_hash;
    size_t text_cap, text_count;
} vq_mark_face;

/* A structure tag begun on a PDF canvas, with what Cairo 1.16 cannot write
 * (pdftags.c adds it when the file is finished). */
typedef struct vq_stamp vq_stamp;

typedef struct vq_struct_entry {
    char *role;
    char *lang, *alt, *scope; /* NULL: none */
} vq_struct_entry;

/* Adds the entries' attributes to the structure elements of the PDF in pdf
 * (the n-th StructElem object is the n-th entry), and /Lang, /MarkInfo and
 * DisplayDocTitle to its catalog, as an incremental update. Returns false,
 * leaving pdf as it was, when the file is not laid out as Cairo 1.16 writes
 * it or its elements do not match the entries. */
bool vq_pdf_add_structure_attributes(vq_buf *pdf, const vq_struct_entry *entries, size_t count,
                                     const char *doc_lang, bool display_title);

/* What a page holds for poppler's reading direction (pagedir.c). */
typedef struct page_dir {
    long ltr, rtl;           /* strong letters in the text given to glyphs */
    long ltr_para, rtl_para; /* strong letters in lines of each base direction */
    const vq_face *face;     /* of the last right-to-left line's left end */
    double size, x, y;
} page_dir;

struct vq_canvas {
    vq_canvas_kind kind;
    char *path;
    double page_width, page_height, dpi;
    int page;
    bool finished;
    cairo_surface_t *surface;
    cairo_t *cr;
    vq_cairo_faces *faces;
    bool faces_shared; /* faces belong to the caller (vq_canvas_use_faces) */
    vq_error err;      /* the first error met while drawing */
    bool end_space;    /* vq_canvas_set_end_space */
    /* PDF: Cairo writes into pdf; finish adds the structure attributes and
     * writes it to out (opened by create, or the caller's stream). */
    vq_buf pdf;
    bool pdf_lost; /* memory ran out while Cairo wrote (write_memory) */
    FILE *out;
    bool own_out;
    vq_struct_entry *tags;
    size_t tag_n, tag_cap;
    char *lang;
    bool display_title;
    bool untagged; /* vq_canvas_set_tagging(false) */
    vq_mark_face *mark_faces;
    size_t mark_face_count;
    /* Scratch for one cairo_show_text_glyphs call, reused. */
    cairo_glyph_t *glyphs;
    cairo_text_cluster_t *clusters;
    size_t glyph_cap;
    cairo_glyph_t *ink; /* glyphs drawn as paths: ink with no text */
    size_t ink_count, ink_cap;
    vq_stamp *stamps; /* a PDF's path glyphs, recorded once (stamp.c) */
    size_t stamp_count, stamp_cap;
    bool page_has_text;   /* line.c has drawn text on this page */
    cairo_glyph_t *fresh; /* vq_canvas_load_glyphs: glyphs not asked for yet */
    size_t fresh_cap;
    vq_buf utf8;
    page_dir dir;
    uint32_t *scratch;
    size_t scratch_cap;
};

/* Before glyphs of face are shown: Cairo is asked for the outlines of
 * those the face has not drawn yet, at the size set, so that it loads
 * their metrics and outline in one FreeType load; that outline is the one
 * the glyph's first use puts in the PDF's font subset (a PDF canvas only;
 * the current path is cleared). */
void vq_canvas_load_glyphs(vq_canvas *c, const vq_face *face, const cairo_glyph_t *glyphs,
                           size_t n);

/* The Arabic letter marks on the blank glyph vq_canvas_tip_carrier gives
 * (poppler refuses a glyph text of 64 characters). */
enum { VQ_TIP_ALMS = 60 };

/* The face's blank glyph whose text is VQ_TIP_ALMS U+061C; 0 when the face
 * has none left (line.c). */
uint32_t vq_canvas_tip_carrier(vq_canvas *c, const vq_face *face);

/* Page direction (pagedir.c): counts the strong letters of text given to a
 * glyph; notes a line drawn at x, y whose text had `letters` of them; and,
 * when the page ends, tips poppler to read it right to left where it
 * should (draws on the page, then forgets it). */
void vq_page_dir_count(vq_canvas *c, const uint32_t *cps, size_t n);
void vq_page_dir_line(vq_canvas *c, const vq_line *line, double x, double y, bool rtl_para,
                      long letters);
void vq_page_dir_end(vq_canvas *c);

/* Draws n glyphs of face as filled outlines at size, in color (0xRRGGBB),
 * each from its stamp: the outline recorded the first time that glyph is
 * drawn in that colour, so the PDF holds it once (stamp.c). */
void vq_stamp_glyphs(vq_canvas *c, const vq_face *face, cairo_font_face_t *cface, double size,
                     uint32_t color, const cairo_glyph_t *glyphs, size_t n);
void vq_stamps_free(vq_canvas *c);

/* Cairo 1.16 names a page's Form XObject in its resources once per use:
 * blanks the repeated names (same length, so the offsets hold) for readers
 * that object to a dictionary's duplicated keys. */
void vq_pdf_unrepeat_xobjects(vq_buf *pdf);

/* Records the first drawing error ("cannot draw: what"). */
void vq_render_fail(vq_canvas *c, const char *what);

#endif
