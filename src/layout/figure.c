/* Figures: PNG through Cairo; a JPEG is attached as MIME data so that the
 * PDF embeds the original JPEG bytes, not a re-encoding, and decoded with
 * libjpeg only for PNG pages (a PDF reads just its header: a 653-byte
 * JPEG can declare 30000 × 30000 pixels). The bytes are the ones the
 * markup parser read and checked (size, pixel limit, allowed folders);
 * the path is never opened again. Scaled to the frame keeping the
 * aspect ratio, caption below. Without an image: a grey placeholder panel
 * with only the text the markup gives it. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "base/io.h"
#include "base/lang.h"
#include "layout/jpeg_lazy.h"
#include "layout/lay.h"
#include "layout/vector.h"

void lay_image_destroy(lay_ctx *ctx, lay_ref *r)
{
    lay_image *im = (lay_image *)r;
    if (im->surface)
        cairo_surface_destroy(im->surface);
    lay_vector_free(im->vector);
    lay_vec_release(ctx, &im->text);
    free(im);
}

typedef struct jpeg_fail {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} jpeg_fail;

static void jpeg_fail_exit(j_common_ptr cinfo)
{
    jpeg_fail *f = (jpeg_fail *)cinfo->err;
    f->mgr.format_message(cinfo, f->message);
    longjmp(f->jump, 1);
}

static void jpeg_quiet(j_common_ptr cinfo, int level)
{
    (void)cinfo;
    (void)level;
}

/* Decodes data into an RGB24 surface that also carries data as JPEG MIME
 * data (ownership of data passes to the surface). For a PDF (decode false)
 * the surface is 1 × 1 and never read: Cairo writes the MIME bytes with the
 * size in their own header, and the drawing scales the unit square. */
static cairo_surface_t *load_jpeg(unsigned char *data, size_t len, bool decode, char *why,
                                  size_t why_size)
{
    const char *soname;
    const lay_jpeg *jpeg = lay_jpeg_get(&soname);
    if (!jpeg) {
        snprintf(why, why_size, "cannot read JPEG images: %s could not be loaded", soname);
        free(data);
        return NULL;
    }
    struct jpeg_decompress_struct cinfo;
    jpeg_fail fail;
    cairo_surface_t *volatile surface = NULL;
    cinfo.err = jpeg->jpeg_std_error(&fail.mgr);
    fail.mgr.error_exit = jpeg_fail_exit;
    fail.mgr.emit_message = jpeg_quiet;
    if (setjmp(fail.jump)) {
        snprintf(why, why_size, "%s", fail.message);
        jpeg->jpeg_destroy_decompress(&cinfo);
        if (surface)
            cairo_surface_destroy(surface);
        free(data);
        return NULL;
    }
    jpeg->jpeg_CreateDecompress(&cinfo, JPEG_LIB_VERSION,
                                sizeof cinfo); /* jpeg_create_decompress */
    jpeg->jpeg_mem_src(&cinfo, data, (unsigned long)len);
    jpeg->jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        snprintf(why, why_size, "CMYK JPEG images are not supported (convert it to RGB)");
        jpeg->jpeg_destroy_decompress(&cinfo);
        free(data);
        return NULL;
    }
    if (!decode) {
        jpeg->jpeg_destroy_decompress(&cinfo);
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
        cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_JPEG, data, len, vq_free, data);
        return surface;
    }
    cinfo.out_color_space = JCS_RGB;
    jpeg->jpeg_start_decompress(&cinfo);
    int w = (int)cinfo.output_width, h = (int)cinfo.output_height;
    surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        snprintf(why, why_size, "image too large (%dx%d)", w, h);
        jpeg->jpeg_destroy_decompress(&cinfo);
        cairo_surface_destroy(surface);
        free(data);
        return NULL;
    }
    unsigned char *pixels = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    unsigned char *row = vq_xmalloc((size_t)w * 3);
    cairo_surface_flush(surface);
    while (cinfo.output_scanline < cinfo.output_height) {
        int y = (int)cinfo.output_scanline;
        JSAMPROW rows[1] = {row};
        jpeg->jpeg_read_scanlines(&cinfo, rows, 1);
        uint32_t *out = (uint32_t *)(pixels + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++)
            out[x] = (uint32_t)row[3 * x] << 16 | (uint32_t)row[3 * x + 1] << 8 | row[3 * x + 2];
    }
    free(row);
    jpeg->jpeg_finish_decompress(&cinfo);
    jpeg->jpeg_destroy_decompress(&cinfo);
    cairo_surface_mark_dirty(surface);
    cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_JPEG, data, len, vq_free, data);
    return surface;
}

static cairo_status_t read_mem(void *closure, unsigned char *out, unsigned int length)
{
    const unsigned char **cursor = closure; /* [0] = position, [1] = end */
    if ((size_t)(cursor[1] - cursor[0]) < length)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, cursor[0], length);
    cursor[0] += length;
    return CAIRO_STATUS_SUCCESS;
}

/* " (data at case.json:14:22)" after an error about an image whose path
 * came from the data, else "". */
static const char *data_place(const vq_node *n)
{
    return n->src_data ? n->src_data : "";
}

static cairo_surface_t *load_image(lay_ctx *ctx, const vq_node *n)
{
    if (!n->image_data) {
        lay_fail(ctx, n, VQ_ERR_INPUT, "cannot read image '%s': not loaded by the markup parser",
                 n->src);
        return NULL;
    }
    size_t len = n->image_len;
    char *data = vq_xmalloc(len);
    memcpy(data, n->image_data, len);
    const unsigned char *u = (const unsigned char *)data;
    char why[JMSG_LENGTH_MAX + 64] = "not a PNG or JPEG file";
    cairo_surface_t *s = NULL;
    if (len >= 8 && memcmp(u, "\x89PNG\r\n\x1a\n", 8) == 0) {
        const unsigned char *cursor[2] = {u, u + len};
        s = cairo_image_surface_create_from_png_stream(read_mem, cursor);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
            snprintf(why, sizeof why, "corrupt PNG (%s)",
                     cairo_status_to_string(cairo_surface_status(s)));
            cairo_surface_destroy(s);
            s = NULL;
        }
        free(data);
    } else if (len >= 3 && u[0] == 0xFF && u[1] == 0xD8 && u[2] == 0xFF) {
        s = load_jpeg((unsigned char *)data, len, ctx->canvas && !ctx->pdf, why, sizeof why);
        if (!s && strncmp(why, "CMYK", 4) != 0) {
            char tmp[sizeof why + 32];
            snprintf(tmp, sizeof tmp, "corrupt JPEG (%s)", why);
            snprintf(why, sizeof why, "%.*s", (int)(sizeof why - 1), tmp);
        }
    } else {
        free(data);
    }
    if (!s)
        lay_fail(ctx, n, VQ_ERR_INPUT, "image '%s': %s%s", n->src, why, data_place(n));
    else if (cairo_image_surface_get_width(s) < 1 || cairo_image_surface_get_height(s) < 1) {
        cairo_surface_destroy(s);
        s = NULL;
        lay_fail(ctx, n, VQ_ERR_INPUT, "image '%s' is empty%s", n->src, data_place(n));
    }
    return s;
}

static vq_status placeholder_text(lay_ctx *ctx, const vq_node *n, lay_image *im, double width,
                                  lay_snode *figure)
{
    vq_style st = n->style;
    st.align = VQ_ALIGN_CENTER;
    st.indent = 0;
    st.space_before = st.space_after = 0;
    st.text.color = 0x555555;
    lay_builder pb;
    lay_builder_init(&pb, ctx, &im->text, width);
    pb.leaf = figure;
    /* Only the text the markup gives: the caption says what the figure
     * shows, the panel says only what the author wrote in it. */
    const char *text = n->placeholder && *n->placeholder ? n->placeholder : NULL;
    vq_status s = VQ_OK;
    if (text) {
        lay_para *lp = lay_para_new(ctx);
        lay_add_plain(ctx, lp->p, text, &st.text);
        s = lay_layout_para(ctx, lp, n, &st, width, 0);
        if (s == VQ_OK)
            lay_emit_lines(&pb, lp, NULL, 0);
        lay_unref(ctx, lp);
    }
    lay_builder_finish(&pb);
    return s;
}

vq_status lay_build_figure(lay_builder *b, const vq_node *n)
{
    lay_ctx *ctx = b->ctx;
    const vq_style *st = &n->style;
    double left, avail;
    lay_block_left_right(b, st, &left, &avail);
    double w = avail;
    if (n->width.unit == VQ_LEN_PT)
        w = n->width.value;
    else if (n->width.unit == VQ_LEN_PERCENT)
        w = avail * n->width.value / 100;
    if (w > avail)
        w = avail;
    if (w < 1)
        w = 1;

    lay_image *im = vq_xcalloc(1, sizeof *im);
    im->ref.refs = 1;
    im->ref.destroy = lay_image_destroy;
    im->serial = ++ctx->serial;
    double h;
    if (n->qr || (n->src && n->image_type && strcmp(n->image_type, "svg") == 0)) {
        char why[512];
        im->vector = n->qr
                         ? lay_vector_qr(n->qr, why, sizeof why)
                         : lay_vector_svg(n->image_data, n->image_len, ctx->fonts, why, sizeof why);
        if (!im->vector) {
            if (n->qr)
                lay_fail(ctx, n, VQ_ERR_INPUT, "<qr>: %s", why);
            else
                lay_fail(ctx, n, VQ_ERR_INPUT, "image '%s': %s%s", n->src, why, data_place(n));
            lay_unref(ctx, im);
            return ctx->status;
        }
        double vw, vh;
        lay_vector_size(im->vector, &vw, &vh);
        if (n->width.unit == VQ_LEN_AUTO && vw < w)
            w = vw; /* its own size, fitted to the frame */
        h = w * vh / vw;
    } else if (n->src) {
        im->surface = load_image(ctx, n);
        if (!im->surface) {
            lay_unref(ctx, im);
            return ctx->status;
        }
        /* The probed size: a JPEG for a PDF is a 1 × 1 stand-in. */
        double iw = n->image_width, ih = n->image_height;
        if (n->width.unit == VQ_LEN_AUTO && iw * 72 / 96 < w)
            w = iw * 72 / 96; /* its size at 96 dpi, fitted to the frame */
        h = w * ih / iw;
    } else {
        h = w * (n->aspect > 0 ? n->aspect : 0.6);
    }
    /* Never taller than most of a page: shrink, keeping the ratio. */
    const vq_page_setup *pg = &ctx->doc->page;
    double max_h = (pg->height - pg->margin_top - pg->margin_bottom) * 0.8;
    if (max_h > 0 && h > max_h) {
        w *= max_h / h;
        h = max_h;
    }
    im->width = w;
    im->height = h;
    lay_snode *figure = lay_snode_new(ctx, "Figure", b->snode, n, true);
    if (figure)
        figure->alt = n->alt;
    if (!n->src && !n->qr) {
        vq_status s = placeholder_text(ctx, n, im, w > 30 ? w - 24 : w, figure);
        if (s != VQ_OK) {
            lay_unref(ctx, im);
            return s;
        }
    }
    lay_emit_space(b, st->space_before);
    lay_item *it = lay_emit(b, LI_IMAGE, h);
    it->snode = figure;
    it->x = left + (avail - w) / 2;
    it->width = w;
    it->image = im;
    lay_item_add_dest(it, n->id);
    b->pending_space = 0;
    vq_status s = VQ_OK;
    for (const vq_node *c = n->first_child; c && s == VQ_OK; c = c->next)
        if (c->kind == VQ_NODE_CAPTION) {
            b->keep_next = true;
            double gap = c->style.space_before > 0 ? c->style.space_before : 4;
            b->pending_space = gap;
            s = lay_build_paragraph(b, c, c->first_child, NULL, &c->style);
        }
    b->pending_space = st->space_after;
    return s;
}
