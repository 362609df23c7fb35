/* Blocks to items: paragraphs and headings become lines, with the rules
 * that keep them readable when a frame ends among them (no single first or
 * last line, a heading stays with what follows); boxes wrap their content
 * in border and padding. */
#include <string.h>

#include "layout/lay.h"

void lay_builder_init(lay_builder *b, lay_ctx *ctx, lay_vec *out, double width)
{
    memset(b, 0, sizeof *b);
    b->ctx = ctx;
    b->out = out;
    b->frame_width = width;
    b->at_start = true;
}

void lay_builder_finish(lay_builder *b)
{
    lay_unref(b->ctx, b->marker);
    b->marker = NULL;
}

lay_item *lay_emit(lay_builder *b, lay_item_kind kind, double height)
{
    lay_item *it = lay_vec_push(b->out);
    it->kind = kind;
    it->height = height;
    it->x = b->left;
    it->width = b->frame_width - b->left - b->right;
    it->box = lay_retain(b->box);
    it->snode = b->leaf ? b->leaf : b->snode;
    if (b->pending_dest && kind != LI_SPACE) {
        it->dest = b->pending_dest;
        it->dest2 = b->pending_dest2;
        b->pending_dest = b->pending_dest2 = NULL;
    }
    if (b->keep_next) {
        it->no_break_before = true;
        if (kind != LI_SPACE)
            b->keep_next = false;
    }
    b->at_start = false;
    return it;
}

void lay_pending_dest(lay_builder *b, const vq_node *n)
{
    /* Two nested containers starting together keep both ids; a third is
     * rare enough to share the outer one's place (it is dropped). */
    if (!n->id || !*n->id)
        return;
    if (!b->pending_dest)
        b->pending_dest = n->id;
    else if (!b->pending_dest2)
        b->pending_dest2 = n->id;
}

void lay_emit_space(lay_builder *b, double before)
{
    double s = b->pending_space > before ? b->pending_space : before;
    b->pending_space = 0;
    if (s > 0 && !b->at_start)
        lay_emit(b, LI_SPACE, s);
}

void lay_collapse_space(lay_builder *b, double before)
{
    if (before > b->pending_space)
        b->pending_space = before;
}

void lay_block_left_right(const lay_builder *b, const vq_style *st, double *left, double *width)
{
    double l = b->left, r = b->right;
    if (st->dir == VQ_DIR_RTL) {
        l += st->margin_end;
        r += st->margin_start;
    } else {
        l += st->margin_start;
        r += st->margin_end;
    }
    *left = l;
    *width = b->frame_width - l - r;
}

void lay_emit_lines(lay_builder *b, lay_para *lp, const vq_node *n, double x)
{
    size_t count = vq_paragraph_line_count(lp->p);
    bool heading = n && n->kind == VQ_NODE_HEADING;
    lp->role = heading ? "heading" : n && n->kind == VQ_NODE_CAPTION ? "caption" : NULL;
    if (n)
        lp->src = n;
    for (size_t i = 0; i < count; i++) {
        const vq_line *line = vq_paragraph_line(lp->p, i);
        double h = line->height > 0 ? line->height : line->ascent + line->descent;
        lay_item *it = lay_emit(b, LI_LINE, h);
        it->ascent = line->ascent + (h - line->ascent - line->descent) / 2;
        it->x = x + lp->shift;
        it->width = line->width;
        it->para = lay_retain(lp);
        it->line = i;
        /* Two lines at least on each side of a frame break; a heading is
         * never split. */
        if (i > 0 && (heading || i == 1 || i + 1 == count))
            it->no_break_before = true;
        if (i == 0) {
            if (heading)
                it->outline = n;
            if (n)
                lay_item_add_dest(it, n->id);
            if (b->marker) {
                it->marker = b->marker;
                it->marker_x = b->marker_x;
                it->marker_snode = b->marker_snode;
                b->marker = NULL;
            }
        }
        lay_attach_notes(b->ctx, it, lp->p, line);
    }
}

bool lay_has_content(const vq_node *first, const vq_node *stop)
{
    for (const vq_node *c = first; c && c != stop; c = c->next) {
        if (c->kind == VQ_NODE_TEXT) {
            for (const char *s = c->text; s && *s; s++)
                if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
                    return true;
        } else if (c->kind != VQ_NODE_SPAN || lay_has_content(c->first_child, NULL)) {
            return true;
        }
    }
    return false;
}

vq_status lay_build_paragraph(lay_builder *b, const vq_node *n, const vq_node *first,
                              const vq_node *stop, const vq_style *st)
{
    lay_ctx *ctx = b->ctx;
    if (!lay_has_content(first, stop)) {
        /* An empty paragraph still takes its spaces, like a blank line. */
        lay_emit_space(b, st->space_before);
        b->pending_space = st->space_after;
        return VQ_OK;
    }
    double left, width;
    lay_block_left_right(b, st, &left, &width);
    lay_para *lp = lay_para_new(ctx);
    unsigned long fields = ctx->count_fields;
    lay_add_inlines(ctx, lp->p, first, stop, 0, 1.0);
    if (ctx->count_later && ctx->count_fields != fields) {
        /* Shows the page count: set again once it is known. */
        ctx->count_fields_counted += ctx->count_fields - fields;
        if (ctx->counted_n == ctx->counted_cap) {
            ctx->counted_cap = ctx->counted_cap ? 2 * ctx->counted_cap : 4;
            ctx->counted = vq_xrealloc(ctx->counted, ctx->counted_cap * sizeof *ctx->counted);
        }
        ctx->counted[ctx->counted_n++] = (lay_counted){.lp = lay_retain(lp),
                                                       .n = n,
                                                       .first = first,
                                                       .stop = stop,
                                                       .st = st,
                                                       .width = width,
                                                       .page = ctx->page};
    }
    vq_status s = lay_layout_para(ctx, lp, n, st, width, st->indent);
    if (s == VQ_OK) {
        lay_emit_space(b, st->space_before);
        const char *role = n->kind == VQ_NODE_HEADING   ? lay_heading_role(n)
                           : n->kind == VQ_NODE_CAPTION ? "Caption"
                                                        : "P";
        lay_snode *save = b->leaf;
        b->leaf = lay_snode_new(ctx, role, b->snode, n, true);
        lay_emit_lines(b, lp, n, left);
        b->leaf = save;
        b->pending_space = st->space_after;
        if (st->keep_with_next || n->kind == VQ_NODE_HEADING)
            b->keep_next = true;
    }
    lay_unref(ctx, lp);
    return s;
}

/* The footnotes whose marks are on line i, in order, into out (up to
 * cap); their number. */
static size_t line_notes(const lay_ctx *ctx, const vq_paragraph *p, size_t i, const vq_node **out,
                         size_t cap)
{
    const vq_line *line = vq_paragraph_line(p, i);
    size_t n = 0;
    for (size_t r = 0; r < line->run_count; r++) {
        int tag = line->runs[r].tag;
        if (tag > 0 && (size_t)tag < ctx->tag_n && ctx->tags[tag].footnote && n < cap)
            out[n++] = ctx->tags[tag].footnote;
    }
    return n;
}

/* Whether b's lines make the items a's made: as many, as tall and as wide,
 * with the same footnotes. */
static bool same_lines(const lay_ctx *ctx, const lay_para *a, const lay_para *b)
{
    size_t count = vq_paragraph_line_count(a->p);
    if (count != vq_paragraph_line_count(b->p) || a->shift != b->shift)
        return false;
    for (size_t i = 0; i < count; i++) {
        const vq_line *x = vq_paragraph_line(a->p, i), *y = vq_paragraph_line(b->p, i);
        if (x->height != y->height || x->ascent != y->ascent || x->descent != y->descent ||
            x->width != y->width)
            return false;
        const vq_node *nx[32], *ny[32];
        size_t kx = line_notes(ctx, a->p, i, nx, 32), ky = line_notes(ctx, b->p, i, ny, 32);
        if (kx != ky || kx == 32 || memcmp(nx, ny, kx * sizeof *nx) != 0)
            return false;
    }
    return true;
}

bool lay_counted_set_again(lay_ctx *ctx)
{
    if (ctx->count_fields != ctx->count_fields_counted)
        return false;
    int page = ctx->page;
    bool quiet = ctx->quiet, same = true;
    ctx->quiet = true; /* its warnings were given */
    lay_para **again = vq_xcalloc(ctx->counted_n ? ctx->counted_n : 1, sizeof *again);
    for (size_t i = 0; i < ctx->counted_n && same; i++) {
        const lay_counted *c = &ctx->counted[i];
        ctx->page = c->page; /* a page number beside the count */
        again[i] = lay_para_new(ctx);
        lay_add_inlines(ctx, again[i]->p, c->first, c->stop, 0, 1.0);
        same = lay_layout_para(ctx, again[i], c->n, c->st, c->width, c->st->indent) == VQ_OK &&
               same_lines(ctx, c->lp, again[i]);
    }
    ctx->page = page;
    ctx->quiet = quiet;
    for (size_t i = 0; i < ctx->counted_n && again[i]; i++) {
        if (same) {
            vq_paragraph *p = ctx->counted[i].lp->p;
            ctx->counted[i].lp->p = again[i]->p;
            again[i]->p = p;
            vq_paragraph_trim(ctx->counted[i].lp->p);
        }
        lay_unref(ctx, again[i]);
    }
    free(again);
    return same;
}

void lay_counted_free(lay_ctx *ctx)
{
    for (size_t i = 0; i < ctx->counted_n; i++)
        lay_unref(ctx, ctx->counted[i].lp);
    free(ctx->counted);
    ctx->counted = NULL;
    ctx->counted_n = ctx->counted_cap = 0;
}

static void box_destroy(lay_ctx *ctx, lay_ref *r)
{
    lay_box *bx = (lay_box *)r;
    lay_unref(ctx, bx->parent);
    free(bx);
}

static vq_status build_box(lay_builder *b, const vq_node *n)
{
    const vq_style *st = &n->style;
    double left, width;
    lay_block_left_right(b, st, &left, &width);
    lay_box *bx = vq_xcalloc(1, sizeof *bx);
    bx->ref.refs = 1;
    bx->ref.destroy = box_destroy;
    bx->serial = ++b->ctx->serial;
    bx->parent = lay_retain(b->box);
    bx->left = left;
    bx->right = left + width;
    bx->border = st->border_width;
    bx->padding = st->padding;
    bx->border_color = st->border_color;
    bx->background = st->background;
    bx->has_background = st->has_background;
    double inset = st->border_width + st->padding;

    lay_emit_space(b, st->space_before);
    double save_left = b->left, save_right = b->right;
    lay_box *save_box = b->box;
    lay_snode *save_snode = b->snode;
    b->snode = lay_snode_new(b->ctx, "Div", b->snode, n, false);
    b->box = bx;
    b->left = left + inset;
    b->right = b->frame_width - (left + width) + inset;
    lay_pending_dest(b, n);
    lay_emit(b, LI_PAD, inset);
    b->keep_next = true;
    b->at_start = true; /* no space before the first child */
    vq_status s = lay_build_blocks(b, n->first_child);
    b->pending_space = 0;
    lay_item *bottom = lay_emit(b, LI_PAD, inset);
    bottom->no_break_before = true;
    b->box = save_box;
    b->snode = save_snode;
    b->left = save_left;
    b->right = save_right;
    b->pending_space = st->space_after;
    lay_unref(b->ctx, bx);
    return s;
}

static vq_status build_rule(lay_builder *b, const vq_node *n)
{
    const vq_style *st = &n->style;
    double before = st->space_before, after = st->space_after;
    if (before <= 0 && after <= 0)
        before = after = 6;
    lay_emit_space(b, before);
    double left, width;
    lay_block_left_right(b, st, &left, &width);
    double thick = st->border_width > 0 ? st->border_width : 0.5;
    lay_item *it = lay_emit(b, LI_RULE, thick);
    it->x = left;
    it->width = width;
    it->rule_width = thick;
    it->color = st->border_color ? st->border_color : st->text.color;
    lay_item_add_dest(it, n->id);
    b->pending_space = after;
    return VQ_OK;
}

static vq_status build_block(lay_builder *b, const vq_node *n);

/* keep-together: no frame may end between the block's first item and its
 * last (flow.c still cuts a block taller than an empty frame). */
vq_status lay_build_block(lay_builder *b, const vq_node *n)
{
    size_t first = b->out->n;
    vq_status s = build_block(b, n);
    if (n->style.keep_together) {
        while (first < b->out->n && b->out->v[first].kind == LI_SPACE)
            first++;
        for (size_t i = first + 1; i < b->out->n; i++)
            b->out->v[i].no_break_before = true;
        if (n->kind == VQ_NODE_BOX && first < b->out->n && b->out->v[first].box)
            b->out->v[first].box->keep = true;
    }
    return s;
}

static vq_status build_block(lay_builder *b, const vq_node *n)
{
    switch (n->kind) {
    case VQ_NODE_PARAGRAPH:
    case VQ_NODE_HEADING:
    case VQ_NODE_CAPTION:
        return lay_build_paragraph(b, n, n->first_child, NULL, &n->style);
    case VQ_NODE_LIST:
        return lay_build_list(b, n);
    case VQ_NODE_TABLE:
        return lay_build_table(b, n);
    case VQ_NODE_FIGURE:
        return lay_build_figure(b, n);
    case VQ_NODE_RULE:
        return build_rule(b, n);
    case VQ_NODE_PAGE_BREAK:
        b->pending_space = 0;
        lay_emit(b, LI_PAGE_BREAK, 0);
        return VQ_OK;
    case VQ_NODE_COLUMN_BREAK:
        b->pending_space = 0;
        lay_emit(b, LI_COLUMN_BREAK, 0);
        return VQ_OK;
    case VQ_NODE_BOX:
        return build_box(b, n);
    case VQ_NODE_HEADER:
    case VQ_NODE_FOOTER:
        return VQ_OK;
    default: { /* sections and list items: their children in order */
        /* Their own spaces collapse with their children's, as between
         * blocks: the larger one is kept. */
        lay_collapse_space(b, n->style.space_before);
        lay_pending_dest(b, n);
        vq_status s = lay_build_blocks(b, n->first_child);
        lay_collapse_space(b, n->style.space_after);
        return s;
    }
    }
}

vq_status lay_build_blocks(lay_builder *b, const vq_node *first)
{
    for (const vq_node *c = first; c;) {
        if (lay_is_inline(c->kind)) {
            /* A run of inline siblings is one anonymous paragraph in the
             * parent's style. */
            const vq_node *stop = c;
            while (stop && lay_is_inline(stop->kind))
                stop = stop->next;
            if (!lay_has_content(c, stop)) {
                c = stop;
                continue;
            }
            vq_status s = lay_build_paragraph(b, c->parent, c, stop, &c->parent->style);
            if (s != VQ_OK)
                return s;
            c = stop;
            continue;
        }
        vq_status s = lay_build_block(b, c);
        if (s != VQ_OK)
            return s;
        c = c->next;
    }
    return VQ_OK;
}
