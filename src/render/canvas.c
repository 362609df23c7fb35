/* Canvases: a PDF file or a series of PNG pages, drawn with the same code. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>

#include "base/cancel.h"
#include "render/internal.h"

/* The creation date when $SOURCE_DATE_EPOCH is not set: fixed, so the same
 * input gives the same bytes. */
static const char FIXED_DATE[] = "2000-01-01T00:00:00Z";

static void set_error(vq_canvas *c, vq_status status, const char *fmt, const char *what)
{
    if (c->err.status == VQ_OK)
        vq_error_set(&c->err, status, c->path, 0, 0, fmt, what);
}

void vq_render_fail(vq_canvas *c, const char *what)
{
    set_error(c, VQ_ERR_INPUT, "cannot draw: %s", what);
}

/* ISO 8601 from $SOURCE_DATE_EPOCH, or the fixed date. */
static void creation_date(char *out, size_t size)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (env && *env) {
        char *end;
        long long secs = strtoll(env, &end, 10);
        struct tm tm;
        time_t t = (time_t)secs;
        if (*end == '\0' && secs >= 0 && gmtime_r(&t, &tm) &&
            strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
            return;
    }
    snprintf(out, size, "%s", FIXED_DATE);
}

static void set_metadata(cairo_surface_t *s, const vq_pdf_metadata *meta)
{
    char date[64];
    creation_date(date, sizeof date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
    if (!meta)
        return;
    static const struct {
        cairo_pdf_metadata_t key;
        size_t offset;
    } fields[] = {
        {CAIRO_PDF_METADATA_TITLE, offsetof(vq_pdf_metadata, title)},
        {CAIRO_PDF_METADATA_AUTHOR, offsetof(vq_pdf_metadata, author)},
        {CAIRO_PDF_METADATA_SUBJECT, offsetof(vq_pdf_metadata, subject)},
        {CAIRO_PDF_METADATA_KEYWORDS, offsetof(vq_pdf_metadata, keywords)},
        {CAIRO_PDF_METADATA_CREATOR, offsetof(vq_pdf_metadata, creator)},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = *(const char *const *)((const char *)meta + fields[i].offset);
        if (v && *v)
            cairo_pdf_surface_set_metadata(s, fields[i].key, v);
    }
}

/* A PNG path pattern needs exactly one %d and no other conversion. */
static bool png_pattern_ok(const char *path)
{
    int d = 0;
    for (const char *p = path; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
        } else if (p[1] == 'd') {
            d++;
            p++;
        } else {
            return false;
        }
    }
    return d == 1;
}

static void begin_png_page(vq_canvas *c)
{
    int w = (int)(c->page_width * c->dpi / 72.0 + 0.5);
    int h = (int)(c->page_height * c->dpi / 72.0 + 0.5);
    c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    c->cr = cairo_create(c->surface);
    cairo_set_source_rgb(c->cr, 1, 1, 1);
    cairo_paint(c->cr);
    cairo_scale(c->cr, c->dpi / 72.0, c->dpi / 72.0);
}

static void setup_context(vq_canvas *c)
{
    /* Unhinted outlines: the positions come from HarfBuzz. A PDF takes no
     * metrics from the scaled font (its widths come from Cairo's unscaled
     * copy of the font), so there they are hinted: Cairo then loads them
     * at the size it draws, and with the outline when that is asked for
     * first (vq_canvas_load_glyphs). Unhinted, it loads them at the em
     * size and the outline again at the size. */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, c->kind == VQ_CANVAS_PDF ? CAIRO_HINT_METRICS_ON
                                                                     : CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(c->cr, fo);
    cairo_font_options_destroy(fo);
}

static void end_png_page(vq_canvas *c)
{
    if (!c->surface)
        return;
    char name[4096];
    snprintf(name, sizeof name, c->path, c->page);
    cairo_surface_flush(c->surface);
    if (c->err.status == VQ_OK &&
        cairo_surface_write_to_png(c->surface, name) != CAIRO_STATUS_SUCCESS)
        vq_error_set(&c->err, VQ_ERR_IO, name, 0, 0, "cannot write PNG");
    cairo_destroy(c->cr);
    cairo_surface_destroy(c->surface);
    c->cr = NULL;
    c->surface = NULL;
}

/* Cairo writes the PDF into memory: the structure attributes are added
 * once it is complete (pdftags.c). */
static cairo_status_t write_memory(void *closure, const unsigned char *data, unsigned int length)
{
    vq_canvas *c = closure;
    /* Called by Cairo, so no jump from here (base/alloc.h), and no error
     * either: Cairo 1.16 is left broken by a failed write (a later PDF
     * crashes in cairo_surface_finish). The bytes are dropped and
     * vq_canvas_finish ends the call once Cairo has returned. */
    if (c->pdf_lost || !vq_buf_try_reserve(&c->pdf, length)) {
        c->pdf_lost = true;
        return CAIRO_STATUS_SUCCESS;
    }
    vq_buf_append(&c->pdf, data, length);
    return CAIRO_STATUS_SUCCESS;
}

static void destroy_owned(void *c)
{
    vq_canvas_destroy(c);
}

static vq_canvas *create(vq_canvas_kind kind, const char *path, FILE *stream, double page_width,
                         double page_height, double dpi, const vq_pdf_metadata *meta, vq_error *err)
{
    if (!(page_width > 0 && page_height > 0)) {
        vq_error_set(err, VQ_ERR_USAGE, NULL, 0, 0, "page size must be positive");
        return NULL;
    }
    if (kind == VQ_CANVAS_PNG && (!(dpi > 0) || !png_pattern_ok(path))) {
        vq_error_set(err, VQ_ERR_USAGE, path, 0, 0,
                     "a PNG output needs a positive resolution and a path with one %%d");
        return NULL;
    }
    vq_canvas *c = vq_xcalloc(1, sizeof *c);
    /* Its Cairo objects are released if memory runs out. */
    vq_heap_own(c, destroy_owned);
    c->kind = kind;
    c->path = vq_xstrdup(path);
    c->page_width = page_width;
    c->page_height = page_height;
    c->dpi = dpi;
    c->page = 1;
    c->faces = vq_cairo_faces_create();
    vq_error_clear(&c->err);
    if (kind == VQ_CANVAS_PDF) {
        c->out = stream;
        if (!stream) {
            c->out = fopen(path, "wb");
            c->own_out = true;
            if (!c->out) {
                vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot create PDF: %s",
                             cairo_status_to_string(CAIRO_STATUS_WRITE_ERROR));
                vq_canvas_destroy(c);
                return NULL;
            }
        }
        c->surface = cairo_pdf_surface_create_for_stream(write_memory, c, page_width, page_height);
        if (cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS) {
            vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot create PDF: %s",
                         cairo_status_to_string(cairo_surface_status(c->surface)));
            cairo_surface_destroy(c->surface);
            c->surface = NULL;
            vq_canvas_destroy(c);
            return NULL;
        }
        set_metadata(c->surface, meta);
        c->cr = cairo_create(c->surface);
    } else {
        begin_png_page(c);
    }
    setup_context(c);
    return c;
}

vq_canvas *vq_canvas_create(vq_canvas_kind kind, const char *path, double page_width,
                            double page_height, double dpi, const vq_pdf_metadata *meta,
                            vq_error *err)
{
    return create(kind, path, NULL, page_width, page_height, dpi, meta, err);
}

void vq_canvas_load_glyphs(vq_canvas *c, const vq_face *face, const cairo_glyph_t *glyphs, size_t n)
{
    if (c->kind != VQ_CANVAS_PDF)
        return;
    size_t fresh = 0;
    for (size_t i = 0; i < n; i++) {
        if (vq_cairo_faces_mark(c->faces, face, (uint32_t)glyphs[i].index))
            continue;
        if (fresh == c->fresh_cap) {
            c->fresh_cap = c->fresh_cap ? c->fresh_cap * 2 : 64;
            c->fresh = vq_xrealloc(c->fresh, c->fresh_cap * sizeof *c->fresh);
        }
        c->fresh[fresh++] = glyphs[i];
    }
    if (!fresh)
        return;
    /* Asking for the outlines first makes Cairo load each glyph once for
     * metrics and outline; the path is dropped, nothing is drawn. */
    cairo_new_path(c->cr);
    cairo_glyph_path(c->cr, c->fresh, (int)fresh);
    cairo_new_path(c->cr);
}

void vq_canvas_use_faces(vq_canvas *c, vq_cairo_faces *faces)
{
    if (!c->faces_shared)
        vq_cairo_faces_destroy(c->faces);
    c->faces = faces;
    c->faces_shared = true;
}

vq_canvas *vq_canvas_create_pdf_stream(void *stream, double page_width, double page_height,
                                       const vq_pdf_metadata *meta, vq_error *err)
{
    return create(VQ_CANVAS_PDF, "-", stream, page_width, page_height, 0, meta, err);
}

void vq_canvas_next_page(vq_canvas *c)
{
    vq_cancel_poll(); /* between pages: a render's cancel hook (base/cancel.h) */
    if (c->kind == VQ_CANVAS_PDF) {
        vq_page_dir_end(c);
        cairo_show_page(c->cr);
        c->page_has_text = false;
    } else {
        end_png_page(c);
        begin_png_page(c);
        setup_context(c);
    }
    c->page++;
}

void vq_canvas_set_page_label(vq_canvas *c, const char *label)
{
    if (c->kind == VQ_CANVAS_PDF && c->surface && label)
        cairo_pdf_surface_set_page_label(c->surface, label);
}

int vq_canvas_page_number(const vq_canvas *c)
{
    return c->page;
}

/* Adds what Cairo could not write to a tagged PDF, then writes it out. A
 * caller's stream is flushed and checked by its owner (the atomic file
 * reports a full disk with the output's name). */
static void write_pdf(vq_canvas *c)
{
    vq_pdf_unrepeat_xobjects(&c->pdf);
    if (c->tag_n && c->err.status == VQ_OK &&
        !vq_pdf_add_structure_attributes(&c->pdf, c->tags, c->tag_n, c->lang, c->display_title))
        vq_render_fail(c, "the structure tree is not as Cairo 1.16 writes it");
    /* A short write to a caller's stream sets its error indicator, which
     * its owner checks and reports with the output's name. */
    if (c->err.status == VQ_OK && fwrite(c->pdf.data, 1, c->pdf.len, c->out) != c->pdf.len &&
        c->own_out)
        vq_error_set(&c->err, VQ_ERR_IO, c->path, 0, 0, "cannot write PDF: %s",
                     cairo_status_to_string(CAIRO_STATUS_WRITE_ERROR));
    if (c->own_out) {
        if (fclose(c->out) != 0 && c->err.status == VQ_OK)
            vq_error_set(&c->err, VQ_ERR_IO, c->path, 0, 0, "cannot write PDF: %s",
                         cairo_status_to_string(CAIRO_STATUS_WRITE_ERROR));
        c->out = NULL;
    }
    vq_buf_free(&c->pdf);
}

void vq_canvas_tag_begin(vq_canvas *c, const char *role, const char *attributes, const char *lang,
                         const char *alt, const char *scope)
{
    if (c->kind != VQ_CANVAS_PDF || !c->cr)
        return;
    if (c->tag_n == c->tag_cap) {
        c->tag_cap = c->tag_cap ? c->tag_cap * 2 : 64;
        c->tags = vq_xrealloc(c->tags, c->tag_cap * sizeof *c->tags);
    }
    /* Made whole, then counted: an allocation that fails leaves no half
     * entry for vq_canvas_destroy (the heap frees the copies). */
    vq_struct_entry e = {
        vq_xstrdup(role),
        lang && *lang ? vq_xstrdup(lang) : NULL,
        alt && *alt ? vq_xstrdup(alt) : NULL,
        scope ? vq_xstrdup(scope) : NULL,
    };
    c->tags[c->tag_n++] = e;
    cairo_tag_begin(c->cr, role, attributes);
}

void vq_canvas_tag_end(vq_canvas *c, const char *role)
{
    if (c->kind != VQ_CANVAS_PDF || !c->cr)
        return;
    cairo_tag_end(c->cr, role);
}

void vq_canvas_set_tagging(vq_canvas *c, bool on)
{
    c->untagged = !on;
}

bool vq_canvas_get_tagging(const vq_canvas *c)
{
    return c->kind == VQ_CANVAS_PDF && !c->untagged;
}

void vq_canvas_set_document(vq_canvas *c, const char *lang, bool display_title)
{
    free(c->lang);
    c->lang = lang && *lang ? vq_xstrdup(lang) : NULL;
    c->display_title = display_title;
}

vq_status vq_canvas_finish(vq_canvas *c, vq_error *err)
{
    if (!c->finished) {
        c->finished = true;
        if (c->kind == VQ_CANVAS_PDF) {
            vq_page_dir_end(c);
            cairo_status_t st = cairo_status(c->cr);
            if (st != CAIRO_STATUS_SUCCESS)
                vq_render_fail(c, cairo_status_to_string(st));
            cairo_destroy(c->cr);
            c->cr = NULL;
            cairo_surface_finish(c->surface);
            st = cairo_surface_status(c->surface);
            if (st == CAIRO_STATUS_NO_MEMORY || c->pdf_lost)
                vq_out_of_memory(); /* Cairo's, or write_memory's */
            if (st != CAIRO_STATUS_SUCCESS && c->err.status == VQ_OK)
                vq_error_set(&c->err, VQ_ERR_IO, c->path, 0, 0, "cannot write PDF: %s",
                             cairo_status_to_string(st));
            cairo_surface_destroy(c->surface);
            c->surface = NULL;
            write_pdf(c);
        } else {
            end_png_page(c);
        }
    }
    if (c->err.status != VQ_OK && err)
        *err = c->err;
    return c->err.status;
}

void vq_canvas_destroy(vq_canvas *c)
{
    if (!c)
        return;
    vq_heap_disown(c);
    if (c->cr)
        cairo_destroy(c->cr);
    if (c->surface) {
        if (c->kind == VQ_CANVAS_PDF)
            cairo_surface_finish(c->surface);
        cairo_surface_destroy(c->surface);
    }
    if (c->own_out && c->out)
        fclose(c->out);
    vq_buf_free(&c->pdf);
    for (size_t i = 0; i < c->tag_n; i++) {
        free(c->tags[i].role);
        free(c->tags[i].lang);
        free(c->tags[i].alt);
        free(c->tags[i].scope);
    }
    free(c->tags);
    free(c->lang);
    if (!c->faces_shared)
        vq_cairo_faces_destroy(c->faces);
    for (size_t i = 0; i < c->mark_face_count; i++) {
        free(c->mark_faces[i].marks);
        free(c->mark_faces[i].text_gid);
        free(c->mark_faces[i].text_hash);
    }
    free(c->mark_faces);
    free(c->glyphs);
    free(c->clusters);
    free(c->ink);
    vq_stamps_free(c);
    free(c->fresh);
    vq_buf_free(&c->utf8);
    free(c->scratch);
    free(c->path);
    free(c);
}

cairo_t *vq_canvas_cairo(vq_canvas *c)
{
    return c->cr;
}

vq_canvas_kind vq_canvas_get_kind(const vq_canvas *c)
{
    return c->kind;
}
