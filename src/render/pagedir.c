/* Tipping poppler's reading direction, once per page.
 *
 * Poppler (pdftotext, Evince, Okular) reads a whole page in one direction:
 * left to right when the page's text holds at least as many strong
 * left-to-right letters as right-to-left ones. A page of a Persian document
 * can hold more English than Persian (Persian table cells above an English
 * reference list, in right-to-left columns); read left to right, its
 * columns come back left column first and its Persian lines cut at their
 * punctuation and turned around. The canvas counts the strong letters of
 * the text it gives its glyphs, as poppler will read them, and where the
 * page's lines are mostly in right-to-left paragraphs and its left-to-right
 * letters are not outweighed, ends the page with just enough Arabic letter
 * marks (U+061C, invisible, a right-to-left letter to poppler; pdf.js skips
 * it) on zero-width blank glyphs at the logical end of its last
 * right-to-left line. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/uloc.h>

#include "base/alloc.h"
#include "base/chars.h"
#include "render/internal.h"

/* Marks beyond the difference: poppler may read a glyph's text a little
 * otherwise than ICU's bidi classes say. */
enum { TIP_MARGIN = 16 };
/* em between two carriers: poppler drops a word with the same text within
 * 0.1 em of another, and starts a new word past 0.1 em. */
static const double TIP_STEP = 0.15;

void vq_page_dir_count(vq_canvas *c, const uint32_t *cps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int s = vq_bidi_strong(u_charDirection((UChar32)cps[i]));
        c->dir.ltr += s < 0;
        c->dir.rtl += s > 0;
    }
}

void vq_page_dir_line(vq_canvas *c, const vq_line *line, double x, double y, bool rtl_para,
                      long letters)
{
    if (!rtl_para) {
        c->dir.ltr_para += letters;
        return;
    }
    c->dir.rtl_para += letters;
    const vq_glyph_run *left = NULL;
    for (size_t i = 0; i < line->run_count; i++) {
        const vq_glyph_run *r = &line->runs[i];
        if (r->face && r->glyph_count && (!left || r->x < left->x))
            left = r;
    }
    /* The line reaching furthest left (the latest of those): the
     * carriers go into the margin left of it, never into another column. */
    if (!left || (c->dir.face && x + left->x > c->dir.x + 0.01))
        return;
    c->dir.face = left->face;
    c->dir.size = left->size;
    c->dir.x = x + left->x;
    c->dir.y = y - left->baseline_shift;
}

/* The carriers: `count` glyphs of blank `gid`, each with VQ_TIP_ALMS marks,
 * TIP_STEP em apart leftwards from the left end of d's line. */
static void draw_tip(vq_canvas *c, const page_dir *d, uint32_t gid, long count)
{
    vq_error err;
    cairo_font_face_t *face = vq_cairo_faces_get(c->faces, d->face, &err);
    if (!face) {
        if (c->err.status == VQ_OK)
            c->err = err;
        return;
    }
    size_t n = (size_t)count;
    cairo_glyph_t *glyphs = vq_xcalloc(n, sizeof *glyphs);
    cairo_text_cluster_t *clusters = vq_xcalloc(n, sizeof *clusters);
    char *utf8 = vq_xcalloc(n * VQ_TIP_ALMS * 2 + 1, 1);
    for (size_t i = 0; i < n * VQ_TIP_ALMS; i++) {
        utf8[2 * i] = (char)0xD8; /* U+061C in UTF-8 */
        utf8[2 * i + 1] = (char)0x9C;
    }
    for (size_t i = 0; i < n; i++) {
        glyphs[i] = (cairo_glyph_t){gid, d->x - (double)(n - i) * TIP_STEP * d->size, d->y};
        clusters[i] = (cairo_text_cluster_t){2 * VQ_TIP_ALMS, 1};
    }
    cairo_set_font_face(c->cr, face);
    cairo_set_font_size(c->cr, d->size);
    vq_canvas_load_glyphs(c, d->face, glyphs, n);
    cairo_show_text_glyphs(c->cr, utf8, (int)(n * VQ_TIP_ALMS * 2), glyphs, (int)n, clusters,
                           (int)n, 0);
    free(glyphs);
    free(clusters);
    free(utf8);
    cairo_status_t st = cairo_status(c->cr);
    if (st != CAIRO_STATUS_SUCCESS)
        vq_render_fail(c, cairo_status_to_string(st));
}

/* Whether the page reads right to left: most of its letters are in
 * right-to-left paragraphs, or it is a page of a right-to-left document
 * (its columns run right to left) with a quarter of them there (Persian
 * table cells above an English reference list; not the English abstract
 * page under a Persian running header). */
static bool flows_rtl(const vq_canvas *c, const page_dir *d)
{
    if (d->rtl_para >= d->ltr_para)
        return true;
    return c->lang && uloc_isRightToLeft(c->lang) && 3 * d->rtl_para >= d->ltr_para;
}

void vq_page_dir_end(vq_canvas *c)
{
    page_dir d = c->dir;
    c->dir = (page_dir){0};
    if (c->kind != VQ_CANVAS_PDF || !c->cr || !d.face || d.ltr < d.rtl || 4 * d.rtl < d.ltr ||
        !flows_rtl(c, &d))
        return;
    uint32_t gid = vq_canvas_tip_carrier(c, d.face);
    if (!gid)
        return;
    draw_tip(c, &d, gid, (d.ltr - d.rtl + TIP_MARGIN + VQ_TIP_ALMS - 1) / VQ_TIP_ALMS);
}
