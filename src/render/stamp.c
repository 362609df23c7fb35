/* Glyphs drawn as paths (line.c), each written once per PDF: a glyph's
 * filled outline is recorded on a bounded recording surface, its stamp, and
 * every use paints the stamp scaled and moved into place. Cairo 1.16 writes
 * a surface it is given again as the same Form XObject, so a use costs a
 * `cm` and a `Do` instead of the whole outline in the page's content. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/hash.h"
#include "render/internal.h"

/* The size a stamp is recorded at; a use scales it to the run's size. */
#define STAMP_EM 1000.0

struct vq_stamp {
    const vq_face *face; /* NULL: a free slot */
    uint32_t gid, color;
    cairo_surface_t *ink;
    cairo_rectangle_t box; /* the ink's bounds, at STAMP_EM */
};

static size_t stamp_slot(const vq_stamp *t, size_t cap, const vq_face *face, uint32_t gid,
                         uint32_t color)
{
    uint64_t h = vq_hash_word(VQ_HASH_SEED, (uint64_t)(uintptr_t)face);
    h = vq_hash_word(vq_hash_word(h, gid), color);
    size_t i = (size_t)h & (cap - 1);
    while (t[i].face && !(t[i].face == face && t[i].gid == gid && t[i].color == color))
        i = (i + 1) & (cap - 1);
    return i;
}

/* The table with room for one more stamp; rehashed into a new table first,
 * so a failed allocation leaves the old one whole. */
static void reserve_stamp(vq_canvas *c)
{
    if ((c->stamp_count + 1) * 2 <= c->stamp_cap)
        return;
    size_t cap = c->stamp_cap ? c->stamp_cap * 2 : 64;
    vq_stamp *t = vq_xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < c->stamp_cap; i++)
        if (c->stamps[i].face)
            t[stamp_slot(t, cap, c->stamps[i].face, c->stamps[i].gid, c->stamps[i].color)] =
                c->stamps[i];
    free(c->stamps);
    c->stamps = t;
    c->stamp_cap = cap;
}

static void set_color(cairo_t *cr, uint32_t color)
{
    cairo_set_source_rgb(cr, ((color >> 16) & 0xff) / 255.0, ((color >> 8) & 0xff) / 255.0,
                         (color & 0xff) / 255.0);
}

/* Records glyph's outline, filled in color, at STAMP_EM with its origin at
 * 0, 0; the bounds are the ink's, rounded out. */
static void record_stamp(vq_canvas *c, cairo_font_face_t *cface, vq_stamp *s)
{
    cairo_glyph_t g = {s->gid, 0, 0};
    cairo_text_extents_t ext;
    cairo_t *cr = c->cr;
    cairo_save(cr);
    cairo_set_font_size(cr, STAMP_EM);
    cairo_glyph_extents(cr, &g, 1, &ext);
    cairo_restore(cr);
    double x0 = floor(ext.x_bearing) - 1, y0 = floor(ext.y_bearing) - 1;
    s->box = (cairo_rectangle_t){x0, y0, ceil(ext.x_bearing + ext.width) + 1 - x0,
                                 ceil(ext.y_bearing + ext.height) + 1 - y0};
    s->ink = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &s->box);
    cairo_t *rec = cairo_create(s->ink);
    cairo_set_font_face(rec, cface);
    cairo_set_font_size(rec, STAMP_EM);
    set_color(rec, s->color);
    cairo_glyph_path(rec, &g, 1);
    cairo_fill(rec);
    cairo_status_t st = cairo_status(rec);
    cairo_destroy(rec);
    if (st != CAIRO_STATUS_SUCCESS)
        vq_render_fail(c, cairo_status_to_string(st));
}

void vq_stamp_glyphs(vq_canvas *c, const vq_face *face, cairo_font_face_t *cface, double size,
                     uint32_t color, const cairo_glyph_t *glyphs, size_t n)
{
    cairo_t *cr = c->cr;
    for (size_t i = 0; i < n; i++) {
        reserve_stamp(c);
        size_t k = stamp_slot(c->stamps, c->stamp_cap, face, (uint32_t)glyphs[i].index, color);
        vq_stamp *s = &c->stamps[k];
        if (!s->face) {
            *s = (vq_stamp){.face = face, .gid = (uint32_t)glyphs[i].index, .color = color};
            c->stamp_count++;
            record_stamp(c, cface, s);
        }
        cairo_save(cr);
        cairo_translate(cr, glyphs[i].x, glyphs[i].y);
        cairo_scale(cr, size / STAMP_EM, size / STAMP_EM);
        /* Cairo 1.16's recording surface drops what a page has recorded,
         * its structure tags too, when an unclipped paint is the page's
         * first drawing; its text, drawn before, makes it not the first. */
        if (!c->page_has_text) {
            cairo_rectangle(cr, s->box.x, s->box.y, s->box.width, s->box.height);
            cairo_clip(cr);
        }
        cairo_set_source_surface(cr, s->ink, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
    }
}

void vq_stamps_free(vq_canvas *c)
{
    for (size_t i = 0; i < c->stamp_cap; i++)
        if (c->stamps[i].face)
            cairo_surface_destroy(c->stamps[i].ink);
    free(c->stamps);
}

/* Reads "/xN N 0 R" at p (Cairo's name for object N) into *id; the
 * entry's length, or 0. */
static size_t xobject_entry(const char *p, const char *end, unsigned long *id)
{
    char *q;
    if (end - p < 2 || p[0] != '/' || p[1] != 'x')
        return 0;
    unsigned long n = strtoul(p + 2, &q, 10);
    if (q == p + 2 || q >= end || *q != ' ')
        return 0;
    char *r;
    unsigned long m = strtoul(q + 1, &r, 10);
    if (m != n || r == q + 1 || end - r < 4 || memcmp(r, " 0 R", 4) != 0)
        return 0;
    *id = n;
    return (size_t)(r + 4 - p);
}

static char *find(char *p, const char *end, const char *key, size_t n)
{
    for (; (size_t)(end - p) >= n; p++)
        if ((p = memchr(p, key[0], (size_t)(end - p) - n + 1)) == NULL)
            return NULL;
        else if (memcmp(p, key, n) == 0)
            return p;
    return NULL;
}

void vq_pdf_unrepeat_xobjects(vq_buf *pdf)
{
    static const char key[] = "/XObject << ";
    char *p = pdf->data, *end = pdf->data + pdf->len;
    unsigned long *seen = NULL;
    size_t cap = 0;
    while (p && (p = find(p, end, key, sizeof key - 1))) {
        p += sizeof key - 1;
        size_t n = 0;
        for (;;) {
            unsigned long id;
            size_t len = xobject_entry(p, end, &id);
            if (!len)
                break;
            size_t i = 0;
            while (i < n && seen[i] != id)
                i++;
            if (i < n) {
                memset(p, ' ', len);
            } else {
                if (n == cap) {
                    cap = cap ? cap * 2 : 32;
                    seen = vq_xrealloc(seen, cap * sizeof *seen);
                }
                seen[n++] = id;
            }
            p += len;
            if (p < end && *p == ' ')
                p++;
        }
    }
    free(seen);
}
