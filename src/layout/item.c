/* Items, reference counting, the paragraph pool and tags. */
#include <stdarg.h>
#include <string.h>

#include "base/buf.h"
#include "layout/lay.h"

void *lay_retain(void *obj)
{
    if (obj)
        ((lay_ref *)obj)->refs++;
    return obj;
}

void lay_unref(lay_ctx *ctx, void *obj)
{
    lay_ref *r = obj;
    if (r && --r->refs == 0)
        r->destroy(ctx, r);
}

lay_item *lay_vec_push(lay_vec *vec)
{
    if (vec->n == vec->cap) {
        vec->cap = vec->cap ? vec->cap * 2 : 16;
        vec->v = vq_xrealloc(vec->v, vec->cap * sizeof *vec->v);
    }
    lay_item *it = &vec->v[vec->n++];
    memset(it, 0, sizeof *it);
    return it;
}

void lay_vec_release(lay_ctx *ctx, lay_vec *vec)
{
    for (size_t i = 0; i < vec->n; i++)
        lay_item_release(ctx, &vec->v[i]);
    free(vec->v);
    memset(vec, 0, sizeof *vec);
}

double lay_vec_height(const lay_vec *vec)
{
    double h = 0;
    for (size_t i = 0; i < vec->n; i++)
        h += vec->v[i].height;
    return h;
}

static void pool_put(lay_ctx *ctx, vq_paragraph *p)
{
    vq_paragraph_reset(p);
    if (ctx->pool_n == ctx->pool_cap) {
        ctx->pool_cap = ctx->pool_cap ? ctx->pool_cap * 2 : 16;
        ctx->pool = vq_xrealloc(ctx->pool, ctx->pool_cap * sizeof *ctx->pool);
    }
    ctx->pool[ctx->pool_n++] = p;
}

static void para_destroy(lay_ctx *ctx, lay_ref *r)
{
    lay_para *lp = (lay_para *)r;
    lay_kept *k = ctx->kept;
    if (k && vq_paragraph_is_prepared(lp->p)) {
        if (k->n == k->cap) {
            k->cap = k->cap ? k->cap * 2 : 64;
            k->paras = vq_xrealloc(k->paras, k->cap * sizeof *k->paras);
            k->hashes = vq_xrealloc(k->hashes, k->cap * sizeof *k->hashes);
        }
        vq_paragraph_forget_layouts(lp->p);
        k->paras[k->n] = lp->p;
        k->hashes[k->n++] = vq_paragraph_input_hash(lp->p);
    } else {
        pool_put(ctx, lp->p);
    }
    free(lp);
}

void lay_para_recall(lay_ctx *ctx, lay_para *lp, const vq_paragraph_style *ps)
{
    lay_kept *k = ctx->kept;
    if (!k || k->first == k->n || vq_paragraph_is_prepared(lp->p))
        return;
    uint64_t h = vq_paragraph_input_hash(lp->p);
    /* The oldest first: the drawing pass asks for the counting pass's
     * paragraphs in the order they were kept. One prepared otherwise (a
     * "—" cell in an English and in a Persian column) is left: it would
     * be prepared again anyway. */
    size_t found = k->n;
    for (size_t i = k->first; i < k->n && found == k->n; i++)
        if (k->paras[i] && k->hashes[i] == h && vq_paragraph_prepared_for(k->paras[i], ps) &&
            vq_paragraph_same_input(k->paras[i], lp->p))
            found = i;
    if (found == k->n)
        return;
    if (ctx->hidden_para == lp->p)
        ctx->hidden_para = k->paras[found];
    pool_put(ctx, lp->p);
    lp->p = k->paras[found];
    k->paras[found] = NULL;
    while (k->first < k->n && !k->paras[k->first])
        k->first++;
}

void lay_kept_free(lay_kept *kept)
{
    for (size_t i = kept->first; i < kept->n; i++)
        if (kept->paras[i])
            vq_paragraph_destroy(kept->paras[i]);
    free(kept->paras);
    free(kept->hashes);
    memset(kept, 0, sizeof *kept);
}

lay_para *lay_para_new(lay_ctx *ctx)
{
    lay_para *lp = vq_xcalloc(1, sizeof *lp);
    lp->ref.refs = 1;
    lp->ref.destroy = para_destroy;
    lp->serial = ++ctx->serial;
    lp->p = ctx->pool_n ? ctx->pool[--ctx->pool_n] : vq_paragraph_create(ctx->fonts);
    return lp;
}

void lay_item_release(lay_ctx *ctx, lay_item *it)
{
    lay_unref(ctx, it->para);
    lay_unref(ctx, it->marker);
    lay_unref(ctx, it->row);
    lay_unref(ctx, it->table);
    lay_unref(ctx, it->image);
    lay_unref(ctx, it->box);
    for (size_t i = 0; i < it->note_count; i++)
        lay_unref(ctx, it->notes[i]);
    free(it->notes);
    memset(it, 0, sizeof *it);
}

void lay_item_copy(lay_item *dst, const lay_item *src)
{
    *dst = *src;
    lay_retain(dst->para);
    lay_retain(dst->marker);
    lay_retain(dst->row);
    lay_retain(dst->table);
    lay_retain(dst->image);
    lay_retain(dst->box);
    if (src->note_count) {
        dst->notes = vq_xmalloc(src->note_count * sizeof *dst->notes);
        for (size_t i = 0; i < src->note_count; i++)
            dst->notes[i] = lay_retain(src->notes[i]);
    }
}

void lay_item_add_dest(lay_item *it, const char *id)
{
    if (!id || !*id || it->dest == id || it->dest2 == id)
        return;
    if (!it->dest)
        it->dest = id;
    else if (!it->dest2)
        it->dest2 = id;
}

double lay_item_notes_height(const lay_item *it)
{
    double h = 0;
    for (size_t i = 0; i < it->note_count; i++)
        h += it->notes[i]->height;
    return h;
}

int lay_new_tag(lay_ctx *ctx, const char *href, const vq_node *footnote)
{
    if (ctx->tag_n == ctx->tag_cap) {
        ctx->tag_cap = ctx->tag_cap ? ctx->tag_cap * 2 : 16;
        ctx->tags = vq_xrealloc(ctx->tags, ctx->tag_cap * sizeof *ctx->tags);
        if (ctx->tag_n == 0)
            ctx->tag_n = 1; /* tag 0 means none */
    }
    lay_tag *t = &ctx->tags[ctx->tag_n];
    t->href = href;
    t->footnote = footnote;
    t->note = NULL;
    t->dest = NULL;
    return (int)ctx->tag_n++;
}

bool lay_dest_exists(const lay_ctx *ctx, const char *id)
{
    for (size_t i = 0; i < ctx->dest_n; i++)
        if (strcmp(ctx->dests[i], id) == 0)
            return true;
    return false;
}

vq_status lay_fail(lay_ctx *ctx, const vq_node *n, vq_status st, const char *fmt, ...)
{
    if (ctx->status != VQ_OK)
        return ctx->status;
    if (!n) /* a document-wide limit: named at the document */
        n = ctx->doc->root;
    va_list ap;
    va_start(ap, fmt);
    vq_error_setv(ctx->err, st, n ? n->loc.file : NULL, n ? n->loc.line : 0, n ? n->loc.column : 0,
                  fmt, ap);
    va_end(ap);
    ctx->status = st;
    return st;
}
