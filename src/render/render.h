/* Drawing finished lines and pages with Cairo: PDF for output, PNG for
 * previews, with the same code. Glyphs go out with their clusters so that
 * text copied out of the PDF gives back the words in logical order. */
#ifndef VQ_RENDER_H
#define VQ_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include <cairo.h>

#include "fonts/fonts_cairo.h"
#include "text/paragraph.h"
#include "varaq/error.h"

typedef struct vq_canvas vq_canvas;

typedef enum vq_canvas_kind { VQ_CANVAS_PDF, VQ_CANVAS_PNG } vq_canvas_kind;

typedef struct vq_pdf_metadata {
    const char *title, *author, *subject, *keywords, *creator;
    /* Creation date: $SOURCE_DATE_EPOCH when set, else a fixed date, so the
     * same input gives the same bytes. */
} vq_pdf_metadata;

/* PDF: writes to path (the caller gives a temporary path and renames it
 * when everything succeeded). PNG: path is a pattern with one %d for the
 * page number; dpi sets the resolution. */
vq_canvas *vq_canvas_create(vq_canvas_kind kind, const char *path, double page_width,
                            double page_height, double dpi, const vq_pdf_metadata *meta,
                            vq_error *err);
/* A PDF canvas writing to an open stream (a FILE *, such as the one
 * vq_atomic_stream gives); the caller closes it after vq_canvas_finish. */
vq_canvas *vq_canvas_create_pdf_stream(void *stream, double page_width, double page_height,
                                       const vq_pdf_metadata *meta, vq_error *err);
/* Draws with faces the caller keeps (and destroys after the canvas)
 * instead of the canvas's own: Cairo's glyph caches live with its font
 * faces, so an engine that renders many documents loads each glyph's
 * outline once, not once per document. Call before drawing. */
void vq_canvas_use_faces(vq_canvas *c, vq_cairo_faces *faces);

/* Finishes the document; returns the first error met while drawing. */
vq_status vq_canvas_finish(vq_canvas *c, vq_error *err);
void vq_canvas_destroy(vq_canvas *c);

/* Starts the next page (the first page is begun by create). */
void vq_canvas_next_page(vq_canvas *c);
int vq_canvas_page_number(const vq_canvas *c); /* 1-based */
/* The current page's label in a PDF viewer ("173"); PNG canvases ignore it. */
void vq_canvas_set_page_label(vq_canvas *c, const char *label);

/* Draws one line whose left edge is x and baseline is y (pt, y down from
 * the page top). */
void vq_canvas_draw_line(vq_canvas *c, const vq_paragraph *p, const vq_line *line, double x,
                         double y);
/* The same with the text the glyphs' clusters index given directly, for
 * callers that shape without vq_paragraph (the benchmark's floor). */
void vq_canvas_draw_glyph_line(vq_canvas *c, const char *text, size_t text_len, const vq_line *line,
                               double x, double y);

/* While on, every line drawn ends with an invisible space (RLM + space on a
 * blank glyph at the line's logical end): for lines that sit side by side
 * on one baseline, such as table cells, whose texts pdf.js would otherwise
 * join into one word. Returns the previous setting. */
bool vq_canvas_set_end_space(vq_canvas *c, bool on);

/* Tagged PDF: begins a structure element (Cairo's tag name: "P", "H1",
 * "Table", "Link"…; attributes are Cairo's own, for links), with what Cairo
 * 1.16 cannot write itself and finish adds: its language (NULL when it is
 * its parent's), alternate text (figures) and a header cell's scope
 * ("Column" or "Row"). Every structure tag must go through here, so that
 * the n-th element written is the n-th begun. PNG canvases ignore tags. */
void vq_canvas_tag_begin(vq_canvas *c, const char *role, const char *attributes, const char *lang,
                         const char *alt, const char *scope);
void vq_canvas_tag_end(vq_canvas *c, const char *role);
/* Whether layout writes a structure tree (tagged PDF; on by default). */
void vq_canvas_set_tagging(vq_canvas *c, bool on);
bool vq_canvas_get_tagging(const vq_canvas *c);
/* The document's language (the catalog's /Lang), and whether viewers show
 * its title rather than the file name. */
void vq_canvas_set_document(vq_canvas *c, const char *lang, bool display_title);

/* The Cairo context, for layout's rules, boxes, images and links. */
cairo_t *vq_canvas_cairo(vq_canvas *c);
vq_canvas_kind vq_canvas_get_kind(const vq_canvas *c);

#endif
