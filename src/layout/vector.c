#include "layout/vector.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librsvg/rsvg.h>

#include "base/buf.h"
#include "layout/jpeg_lazy.h"
#include "layout/rsvg_lazy.h"

enum { QUIET = 4 }; /* modules of white around a QR code, as the standard asks */

struct lay_vector {
    QRcode *qr;
    RsvgHandle *svg;
    const vq_font_registry *fonts; /* what the SVG's text is drawn with */
    double width, height;          /* natural size, pt */
};

lay_vector *lay_vector_qr(const char *text, char *why, size_t why_size)
{
    /* Byte mode keeps UTF-8 (Persian text, links) as written; text beyond
     * ASCII says so with an ECI header (UTF-8, 26), or scanners guess
     * Shift JIS. Pure ASCII gets none: a few old scanners reject ECI. */
    const char *soname;
    const lay_qr *lib = lay_qr_get(&soname);
    if (!lib) {
        snprintf(why, why_size, "cannot make QR codes: %s could not be loaded", soname);
        return NULL;
    }
    bool ascii = true;
    for (const char *c = text; *c; c++)
        ascii = ascii && (unsigned char)*c < 0x80;
    QRinput *in = lib->QRinput_new2(0, QR_ECLEVEL_M);
    QRcode *qr = NULL;
    if (in && (ascii || lib->QRinput_appendECIheader(in, 26) == 0) &&
        lib->QRinput_append(in, QR_MODE_8, (int)strlen(text), (const unsigned char *)text) == 0)
        qr = lib->QRcode_encodeInput(in);
    if (in)
        lib->QRinput_free(in);
    if (!qr) {
        snprintf(why, why_size, "cannot make a QR code of this value (%zu bytes)", strlen(text));
        return NULL;
    }
    lay_vector *v = vq_xcalloc(1, sizeof *v);
    v->qr = qr;
    v->width = v->height = 1;
    return v;
}

lay_vector *lay_vector_svg(const unsigned char *data, size_t len, const vq_font_registry *fonts,
                           char *why, size_t why_size)
{
    GError *error = NULL;
    RsvgHandle *h = data ? rsvg_handle_new_from_data(data, len, &error) : NULL;
    if (!h) {
        snprintf(why, why_size, "%s", error ? error->message : "librsvg cannot read it");
        /* libxml2's messages end in a newline: the error line must not. */
        for (size_t n = strlen(why); n > 0 && isspace((unsigned char)why[n - 1]); n--)
            why[n - 1] = '\0';
        if (error)
            g_error_free(error);
        return NULL;
    }
    lay_vector *v = vq_xcalloc(1, sizeof *v);
    v->svg = h;
    v->fonts = fonts;
    /* CSS pixels are 1/96 in; an SVG with only a viewBox gets its box's
     * size in pixels, and one with neither 100 × 100. */
    rsvg_handle_set_dpi(h, 96);
    double w = 0, hh = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || w <= 0 || hh <= 0) {
        gboolean has_vb;
        RsvgRectangle vb;
        rsvg_handle_get_intrinsic_dimensions(h, NULL, NULL, NULL, NULL, &has_vb, &vb);
        w = has_vb && vb.width > 0 ? vb.width : 100;
        hh = has_vb && vb.height > 0 ? vb.height : 100;
    }
    v->width = w * 72 / 96;
    v->height = hh * 72 / 96;
    return v;
}

void lay_vector_free(lay_vector *v)
{
    if (!v)
        return;
    if (v->qr)
        lay_qr_get(NULL)->QRcode_free(v->qr); /* loaded: it made v->qr */
    if (v->svg)
        g_object_unref(v->svg);
    free(v);
}

void lay_vector_size(const lay_vector *v, double *width, double *height)
{
    *width = v->width;
    *height = v->height;
}

int lay_vector_modules(const lay_vector *v)
{
    return v->qr ? v->qr->width + 2 * QUIET : 0;
}

/* Dark modules as filled rectangles, one per horizontal run, all in one
 * path and one fill: no seams between neighbours in any viewer. */
static void draw_qr(const QRcode *qr, cairo_t *cr, double x, double y, double size)
{
    int n = qr->width;
    double m = size / (n + 2 * QUIET);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_new_path(cr);
    for (int r = 0; r < n; r++) {
        for (int c = 0; c < n;) {
            if (!(qr->data[r * n + c] & 1)) {
                c++;
                continue;
            }
            int start = c;
            while (c < n && (qr->data[r * n + c] & 1))
                c++;
            cairo_rectangle(cr, x + (QUIET + start) * m, y + (QUIET + r) * m, (c - start) * m, m);
        }
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cairo_fill(cr);
    cairo_restore(cr);
}

void lay_vector_draw(const lay_vector *v, cairo_t *cr, double x, double y, double width,
                     double height)
{
    if (v->qr) {
        draw_qr(v->qr, cr, x, y, width < height ? width : height);
        return;
    }
    RsvgRectangle viewport = {x, y, width, height};
    cairo_save(cr);
    vq_rsvg_use_fonts(v->fonts);
    rsvg_handle_render_document(v->svg, cr, &viewport, NULL);
    cairo_restore(cr);
}
