/* Links, named destinations and the PDF outline, with Cairo 1.16's tags:
 * a link's clickable rectangles come from its glyph runs' positions, so a
 * link that wraps gets one rectangle per line. */
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>

#include "layout/lay.h"

/* Cairo attribute strings quote with ' and escape ' and \ with \. */
static void quote(vq_buf *out, const char *s)
{
    vq_buf_append_char(out, '\'');
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            vq_buf_append_char(out, '\\');
        vq_buf_append_char(out, *s);
    }
    vq_buf_append_char(out, '\'');
}

void lay_draw_line_links(lay_ctx *ctx, const vq_paragraph *p, const vq_line *line, double x,
                         double baseline)
{
    (void)p;
    if (!ctx->pdf)
        return;
    for (size_t r = 0; r < line->run_count; r++) {
        const vq_glyph_run *run = &line->runs[r];
        if (run->tag <= 0 || (size_t)run->tag >= ctx->tag_n)
            continue;
        if (ctx->tags[run->tag].dest)
            lay_mark_dest(ctx, ctx->tags[run->tag].dest, x + run->x, baseline - line->ascent);
        if (!ctx->tags[run->tag].href)
            continue;
        const char *href = ctx->tags[run->tag].href;
        vq_buf attrs = VQ_BUF_INIT;
        if (href[0] == '#') {
            if (!lay_dest_exists(ctx, href + 1))
                continue; /* the markup checks targets; never emit a dangling one */
            vq_buf_append_str(&attrs, "dest=");
            quote(&attrs, href + 1);
        } else {
            vq_buf_append_str(&attrs, "uri=");
            quote(&attrs, href);
        }
        vq_buf_printf(&attrs, " rect=[%.2f %.2f %.2f %.2f]", x + run->x, baseline - line->ascent,
                      run->width, line->ascent + line->descent);
        lay_struct_add_link(ctx, attrs.data);
        vq_buf_free(&attrs);
    }
}

void lay_mark_dest(lay_ctx *ctx, const char *id, double x, double y)
{
    if (!ctx->pdf || !id || !*id || ctx->furniture)
        return;
    /* Each id once: a span over two lines, or a row cut in pieces. */
    for (size_t i = 0; i < ctx->marked_n; i++)
        if (strcmp(ctx->marked[i], id) == 0)
            return;
    if (ctx->marked_n == ctx->marked_cap) {
        ctx->marked_cap = ctx->marked_cap ? ctx->marked_cap * 2 : 16;
        ctx->marked = vq_xrealloc(ctx->marked, ctx->marked_cap * sizeof *ctx->marked);
    }
    ctx->marked[ctx->marked_n++] = id;
    vq_buf attrs = VQ_BUF_INIT;
    vq_buf_append_str(&attrs, "name=");
    quote(&attrs, id);
    vq_buf_printf(&attrs, " x=%.2f y=%.2f", x, y);
    cairo_tag_begin(ctx->cr, CAIRO_TAG_DEST, attrs.data);
    cairo_tag_end(ctx->cr, CAIRO_TAG_DEST);
    vq_buf_free(&attrs);
}

void lay_add_outline(lay_ctx *ctx, const vq_node *heading, double x, double y)
{
    if (!ctx->pdf || ctx->furniture)
        return;
    int level = heading->level < 1 ? 1 : heading->level > 4 ? 4 : heading->level;
    vq_buf text = VQ_BUF_INIT;
    lay_plain_text(heading, &text);
    if (!text.data) {
        vq_buf_free(&text);
        return;
    }
    /* The parent is the nearest shallower heading seen so far. */
    int parent = CAIRO_PDF_OUTLINE_ROOT;
    for (int l = level - 1; l >= 1; l--)
        if (ctx->outline_ids[l]) {
            parent = ctx->outline_ids[l];
            break;
        }
    char link[96];
    snprintf(link, sizeof link, "page=%d pos=[%.2f %.2f]", ctx->page, x, y);
    cairo_surface_t *surface = cairo_get_target(ctx->cr);
    int id = cairo_pdf_surface_add_outline(surface, parent, text.data, link,
                                           level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
    ctx->outline_ids[level] = id;
    for (int l = level + 1; l < 8; l++)
        ctx->outline_ids[l] = 0;
    vq_buf_free(&text);
}
