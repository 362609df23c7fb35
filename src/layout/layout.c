/* vq_layout_render: one pass. When the page count is shown, the pages are
 * kept and drawn once the last is placed. A paragraph of the body that
 * shows it is set with the current page's number standing in, then set
 * again with the count; only if that would move a page break (other line
 * heights) is the document laid out a second time, with the count known. */
#include <string.h>

#include "layout/lay.h"
#include "layout/layout.h"

static void collect_ids(lay_ctx *ctx, const vq_node *n, size_t *cap)
{
    for (; n; n = n->next) {
        if (n->id && *n->id) {
            if (ctx->dest_n == *cap) {
                *cap = *cap ? *cap * 2 : 16;
                ctx->dests = vq_xrealloc(ctx->dests, *cap * sizeof *ctx->dests);
            }
            ctx->dests[ctx->dest_n++] = n->id;
        }
        collect_ids(ctx, n->first_child, cap);
    }
}

static bool has_links(const vq_node *n)
{
    for (; n; n = n->next)
        if ((n->kind == VQ_NODE_LINK && n->href) || has_links(n->first_child))
            return true;
    return false;
}

/* Begins the PDF's structure tree (or its Document element). Cairo 1.16
 * gives each link a structure element but writes the structure tree only
 * when a structure tag encloses it: without one the PDF references an
 * object it never writes. Untagged, a document with links still gets the
 * Document element. */
static void begin_document(lay_ctx *ctx, bool wrap)
{
    if (ctx->tagged)
        vq_canvas_set_document(ctx->canvas, ctx->doc->lang, ctx->doc->title && *ctx->doc->title);
    if (ctx->tagged)
        lay_struct_begin(ctx);
    else if (wrap)
        vq_canvas_tag_begin(ctx->canvas, "Document", NULL, NULL, NULL, NULL);
}

static void end_document(lay_ctx *ctx, bool wrap)
{
    if (ctx->tagged)
        lay_struct_finish(ctx);
    else if (wrap)
        vq_canvas_tag_end(ctx->canvas, "Document");
}

/* One pass: with no canvas it counts the pages; with draw_after it keeps
 * them and draws them once they are counted, unless the page count in the
 * body's text would move the page breaks: then nothing is drawn and
 * *again asks for a pass with the count (*pages) known. quiet: a pass
 * before gave the warnings. */
static vq_status run_pass(const vq_document *doc, vq_font_registry *fonts, vq_canvas *canvas,
                          lay_kept *kept, int page_count, bool draw_after, bool quiet, int *pages,
                          bool *again, vq_error *err)
{
    lay_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.doc = doc;
    ctx.fonts = fonts;
    ctx.canvas = canvas;
    ctx.cr = canvas ? vq_canvas_cairo(canvas) : NULL;
    ctx.pdf = canvas && vq_canvas_get_kind(canvas) == VQ_CANVAS_PDF;
    ctx.err = err;
    ctx.kept = kept;
    ctx.page_count = page_count;
    ctx.quiet = quiet;
    ctx.count_later = draw_after;
    size_t cap = 0;
    collect_ids(&ctx, doc->root, &cap);

    ctx.tagged = ctx.pdf && vq_canvas_get_tagging(canvas);
    bool wrap = ctx.pdf && (ctx.tagged || has_links(doc->root));
    lay_dump_open(&ctx);
    vq_status s;
    if (draw_after) {
        lay_pages later = {0};
        s = lay_flow_document(&ctx, &later);
        int count = ctx.page;
        ctx.page_count = count;
        bool draw = s == VQ_OK && (!ctx.count_fields || lay_counted_set_again(&ctx));
        if (draw) {
            begin_document(&ctx, wrap);
            s = lay_pages_draw(&ctx, &later);
            end_document(&ctx, wrap);
        } else {
            if (s == VQ_OK)
                s = ctx.status;
            *again = s == VQ_OK;
            lay_struct_finish(&ctx); /* frees the structure's nodes: none was begun */
        }
        ctx.page = count;
        lay_pages_free(&ctx, &later);
        lay_counted_free(&ctx);
    } else {
        if (canvas)
            begin_document(&ctx, wrap);
        s = lay_flow_document(&ctx, NULL);
        if (canvas)
            end_document(&ctx, wrap);
    }
    lay_dump_close(&ctx);
    if (pages)
        *pages = ctx.page;

    for (size_t i = 1; i < ctx.tag_n; i++)
        lay_unref(&ctx, ctx.tags[i].note);
    free(ctx.tags);
    for (size_t i = 0; i < ctx.pool_n; i++)
        vq_paragraph_destroy(ctx.pool[i]);
    free(ctx.pool);
    free(ctx.dests);
    free(ctx.marked);
    return s;
}

vq_status vq_layout_render(const vq_document *doc, vq_font_registry *fonts, vq_canvas *canvas,
                           int *pages, vq_error *err)
{
    if (!doc || !doc->root || !fonts)
        return vq_error_set(err, VQ_ERR_USAGE, NULL, 0, 0, "vq_layout_render: no document");
    lay_kept kept = {0};
    vq_status s;
    bool again = false;
    if (!canvas || lay_page_count_used(doc) == LAY_COUNT_UNUSED) {
        s = run_pass(doc, fonts, canvas, &kept, 0, false, false, pages, &again, err);
    } else {
        int count = 0;
        s = run_pass(doc, fonts, canvas, &kept, 0, true, false, &count, &again, err);
        if (s == VQ_OK && again)
            s = run_pass(doc, fonts, canvas, &kept, count, false, true, &count, &again, err);
        if (pages)
            *pages = count;
    }
    lay_kept_free(&kept);
    return s;
}
