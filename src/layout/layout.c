/* vq_layout_render: one pass, or two when the page count is shown (the
 * first pass only counts; layout is deterministic, so the second pass
 * breaks pages at the same places). */
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

static vq_status run_pass(const vq_document *doc, vq_font_registry *fonts, vq_canvas *canvas,
                          lay_kept *kept, int page_count, int *pages, vq_error *err)
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
    size_t cap = 0;
    collect_ids(&ctx, doc->root, &cap);

    /* Cairo 1.16 gives each link a structure element but writes the
     * structure tree only when a structure tag encloses it: without one the
     * PDF references an object it never writes. Untagged, a document with
     * links still gets the Document element. */
    ctx.tagged = ctx.pdf && vq_canvas_get_tagging(canvas);
    bool wrap = ctx.pdf && (ctx.tagged || has_links(doc->root));
    if (ctx.tagged)
        vq_canvas_set_document(canvas, doc->lang, doc->title && *doc->title);
    if (ctx.tagged)
        lay_struct_begin(&ctx);
    else if (wrap)
        vq_canvas_tag_begin(canvas, "Document", NULL, NULL, NULL, NULL);
    lay_dump_open(&ctx);
    vq_status s = lay_flow_document(&ctx);
    lay_dump_close(&ctx);
    if (ctx.tagged)
        lay_struct_finish(&ctx);
    else if (wrap)
        vq_canvas_tag_end(canvas, "Document");
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
    int count = 0;
    lay_kept kept = {0};
    vq_status s = VQ_OK;
    if (canvas && lay_needs_page_count(doc))
        s = run_pass(doc, fonts, NULL, &kept, 0, &count, err);
    if (s == VQ_OK)
        s = run_pass(doc, fonts, canvas, &kept, count, pages, err);
    lay_kept_free(&kept);
    return s;
}
