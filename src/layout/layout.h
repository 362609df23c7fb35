/* Layout: flows a document tree into pages and draws them on a canvas.
 *
 *   vq_document *doc = vq_markup_parse(...);
 *   vq_canvas *c = vq_canvas_create(VQ_CANVAS_PDF, tmp, doc->page.width,
 *                                   doc->page.height, 72, &meta, &err);
 *   int pages;
 *   if (vq_layout_render(doc, fonts, c, &pages, &err) == VQ_OK)
 *       vq_canvas_finish(c, &err);
 *
 * Pages are drawn as soon as they are full, so memory holds the document
 * tree and about one page of shaped text. When a header or footer shows the
 * page count, the pages are kept (their items, shaped text and footnotes)
 * and drawn once the last is placed; when the body's text shows it, a
 * first pass without a canvas counts the pages. */
#ifndef VQ_LAYOUT_H
#define VQ_LAYOUT_H

#include "doc/doc.h"
#include "fonts/fonts.h"
#include "render/render.h"
#include "varaq/error.h"

/* Lays out doc and draws every page on canvas (the canvas's first page is
 * already begun; the others are started here). canvas may be NULL: then
 * nothing is drawn and only the page count is computed. pages (may be
 * NULL) receives the number of pages. Errors: a missing or unreadable
 * image (VQ_ERR_INPUT naming its path and the figure's source location),
 * text the paragraph engine refuses. */
vq_status vq_layout_render(const vq_document *doc, vq_font_registry *fonts, vq_canvas *canvas,
                           int *pages, vq_error *err);

/* Paragraphs this thread has set (line-broken for a block, a cell, a
 * note, a header or footer) since it started: tests check that a document
 * is laid out once. */
unsigned long vq_layout_paragraphs_set(void);

#endif
