/* The tagged PDF's structure tree, built while drawing: every item knows
 * the element it belongs to, and before its content is drawn the open
 * elements are brought in line with that element's ancestors, so the tree's
 * order is the drawing order (the logical order: frames are drawn in flow
 * order, right-to-left columns from the right).
 *
 * Cairo 1.16's limits shape this: content is marked only in an element
 * with no child elements, so a link's element (no content of its own, just
 * its annotation) waits until the paragraph it is in has closed and follows
 * it; a closed element cannot be opened again, so what is drawn in between
 * (footnotes at the foot of a column) splits a paragraph in two; and there
 * is no artifact marking, so running headers and footers, rules and
 * repeated table header rows are drawn outside any element, unmarked. */
#include <string.h>

#include "layout/lay.h"

static const char *eff_lang(const lay_ctx *ctx, const lay_snode *parent)
{
    return parent ? parent->lang_eff : ctx->doc->lang;
}

lay_snode *lay_snode_new(lay_ctx *ctx, const char *role, lay_snode *parent, const vq_node *n,
                         bool leaf)
{
    if (!ctx->tagged)
        return NULL;
    lay_snode *sn = vq_xcalloc(1, sizeof *sn);
    sn->role = role;
    sn->parent = parent;
    sn->leaf = leaf;
    const char *up = eff_lang(ctx, parent);
    const char *lang = n ? n->style.text.lang : NULL;
    sn->lang_eff = lang && *lang ? lang : up;
    if (sn->lang_eff && (!up || strcmp(sn->lang_eff, up) != 0))
        sn->lang = sn->lang_eff;
    sn->next = ctx->snodes;
    ctx->snodes = sn;
    return sn;
}

const char *lay_heading_role(const vq_node *n)
{
    static const char *const roles[] = {"H1", "H2", "H3", "H4"};
    int level = n->level < 1 ? 1 : n->level > 4 ? 4 : n->level;
    return roles[level - 1];
}

static void begin(lay_ctx *ctx, lay_snode *sn)
{
    /* A floating note's language is compared with the document's. */
    const char *lang = sn->lang;
    if (sn->floating)
        lang = sn->lang_eff && ctx->doc->lang && strcmp(sn->lang_eff, ctx->doc->lang) != 0
                   ? sn->lang_eff
                   : NULL;
    vq_canvas_tag_begin(ctx->canvas, sn->role, NULL, lang, sn->alt, sn->scope);
    ctx->open[ctx->open_n++] = sn;
}

static void flush_links(lay_ctx *ctx)
{
    for (size_t i = 0; i < ctx->link_n; i++) {
        vq_canvas_tag_begin(ctx->canvas, CAIRO_TAG_LINK, ctx->links[i], NULL, NULL, NULL);
        vq_canvas_tag_end(ctx->canvas, CAIRO_TAG_LINK);
        free(ctx->links[i]);
    }
    ctx->link_n = 0;
}

static void flush_furniture(lay_ctx *ctx)
{
    if (!ctx->furniture_pending)
        return;
    ctx->furniture_pending = false;
    lay_draw_furniture(ctx, ctx->furniture_section);
}

static bool leaf_open(const lay_ctx *ctx)
{
    return ctx->open_n > 0 && ctx->open[ctx->open_n - 1]->leaf;
}

/* Closes elements down to depth keep; what waited for the leaf goes out
 * once it is closed. */
static void close_to(lay_ctx *ctx, int keep)
{
    while (ctx->open_n > keep) {
        lay_snode *sn = ctx->open[--ctx->open_n];
        vq_canvas_tag_end(ctx->canvas, sn->role);
        if (sn->leaf) {
            flush_links(ctx);
            flush_furniture(ctx);
        }
    }
}

void lay_struct_begin(lay_ctx *ctx)
{
    if (!ctx->tagged)
        return;
    ctx->sroot = lay_snode_new(ctx, "Document", NULL, NULL, false);
    ctx->sroot->lang = NULL; /* the catalog has the document's language */
    begin(ctx, ctx->sroot);
}

void lay_struct_enter(lay_ctx *ctx, lay_snode *sn)
{
    if (!ctx->tagged || ctx->open_n == 0)
        return;
    if (ctx->furniture || ctx->untagged_draw || !sn) {
        if (leaf_open(ctx))
            close_to(ctx, ctx->open_n - 1);
        return;
    }
    if (ctx->open_n > 0 && ctx->open[ctx->open_n - 1] == sn)
        return;
    if (sn->floating) {
        /* Under the innermost open container. */
        int keep = ctx->open_n;
        while (keep > 1 && (ctx->open[keep - 1]->leaf || ctx->open[keep - 1]->floating))
            keep--;
        close_to(ctx, keep);
        begin(ctx, sn);
        return;
    }
    lay_snode *chain[32];
    int n = 0;
    for (lay_snode *s = sn; s && n < 31; s = s->parent)
        chain[n++] = s;
    chain[n++] = ctx->sroot;
    /* chain[n-1] is the root: compare from the top down. */
    int k = 0;
    while (k < ctx->open_n && k < n && ctx->open[k] == chain[n - 1 - k])
        k++;
    close_to(ctx, k);
    for (; k < n && ctx->open_n < 32; k++)
        begin(ctx, chain[n - 1 - k]);
}

void lay_struct_add_link(lay_ctx *ctx, const char *attributes)
{
    if (!ctx->tagged || !leaf_open(ctx)) {
        vq_canvas_tag_begin(ctx->canvas, CAIRO_TAG_LINK, attributes, NULL, NULL, NULL);
        vq_canvas_tag_end(ctx->canvas, CAIRO_TAG_LINK);
        return;
    }
    if (ctx->link_n == ctx->link_cap) {
        ctx->link_cap = ctx->link_cap ? ctx->link_cap * 2 : 8;
        ctx->links = vq_xrealloc(ctx->links, ctx->link_cap * sizeof *ctx->links);
    }
    ctx->links[ctx->link_n++] = vq_xstrdup(attributes);
}

bool lay_struct_defer_furniture(lay_ctx *ctx, const vq_node *section)
{
    if (!ctx->tagged || !leaf_open(ctx) || ctx->furniture_pending)
        return false;
    ctx->furniture_pending = true;
    ctx->furniture_section = section;
    return true;
}

void lay_struct_page_end(lay_ctx *ctx)
{
    if (!ctx->tagged || (!ctx->link_n && !ctx->furniture_pending))
        return;
    /* Links and the header belong on this page: the paragraph is split. */
    if (leaf_open(ctx))
        close_to(ctx, ctx->open_n - 1);
    flush_links(ctx);
    flush_furniture(ctx);
}

void lay_struct_finish(lay_ctx *ctx)
{
    if (ctx->tagged) {
        close_to(ctx, 0);
        flush_links(ctx);
        flush_furniture(ctx);
    }
    free(ctx->links);
    ctx->links = NULL;
    ctx->link_n = ctx->link_cap = 0;
    while (ctx->snodes) {
        lay_snode *next = ctx->snodes->next;
        free(ctx->snodes);
        ctx->snodes = next;
    }
}
