/* Flow: cuts the item list of each section into frames — the columns of
 * pages — and draws every frame as soon as it is placed.
 *
 * A frame takes items while they fit (with the height of the footnotes
 * their marks call for); when one does not fit, the frame ends at the last
 * place a break is allowed, so headings stay with what follows and no
 * paragraph leaves a single line behind. The end of a multi-column section
 * is balanced: the smallest column height that still holds the rest is
 * found by bisection over the same fill. */
#include <stdio.h>
#include <string.h>

#include "layout/lay.h"

enum { MAX_PAGES = 20000, MAX_COLUMNS = 8 };

typedef struct flow {
    lay_ctx *ctx;
    lay_builder b;
    lay_vec items;
    size_t head;                /* items before head are drawn and released */
    const vq_node *next, *stop; /* blocks still to turn into items */

    /* the page */
    double y;               /* where the next section or frame starts */
    double reserved;        /* footnote room taken at the foot by earlier sections */
    bool fresh;             /* nothing placed on this page yet */
    bool break_pending;     /* a page break ended the last section's content */
    bool furniture_due;     /* header and footer wait for the section the body starts in */
    double trail;           /* space after the last block of the previous section */
    const vq_node *section; /* the section being flowed (NULL = implicit) */
} flow;

typedef struct fill_result {
    size_t first, end; /* items [first, end) go in the frame */
    double used;       /* their height (with repeated table headers) */
    double notes;      /* height of their footnotes */
    const lay_table *headers;
    bool page_break, column_break, all_done;
} fill_result;

static bool generate(flow *f)
{
    lay_ctx *ctx = f->ctx;
    while (f->next && f->next != f->stop && ctx->status == VQ_OK) {
        const vq_node *c = f->next;
        size_t before = f->items.n;
        if (lay_is_inline(c->kind)) {
            const vq_node *end = c;
            while (end && end != f->stop && lay_is_inline(end->kind))
                end = end->next;
            f->next = end;
            /* Loose inline content (the markup wraps it in a paragraph; a
             * tree built by hand may not): one paragraph, blank runs
             * skipped. */
            if (lay_has_content(c, end))
                lay_build_paragraph(&f->b, c->parent, c, end, &c->parent->style);
        } else {
            f->next = c->next;
            lay_build_block(&f->b, c);
        }
        if (f->items.n > before)
            return true;
    }
    return false;
}

static lay_item *item_at(flow *f, size_t i)
{
    while (i >= f->items.n)
        if (!generate(f))
            return NULL;
    return &f->items.v[i];
}

static void fill(flow *f, size_t start, double height, bool force, fill_result *r)
{
    memset(r, 0, sizeof *r);
    size_t i = start;
    lay_item *it;
    while ((it = item_at(f, i)) && it->kind == LI_SPACE)
        i++;
    r->first = i;
    double header_h = 0;
    if (it && it->kind == LI_ROW && it->table && !it->row->header && it->table->header_rows.n) {
        r->headers = it->table;
        header_h = it->table->header_height;
    }
    double used = header_h, notes = 0;
    size_t last_ok = 0;
    bool placed = false;
    for (;; i++) {
        it = item_at(f, i);
        if (!it) {
            r->all_done = true;
            break;
        }
        if (it->kind == LI_PAGE_BREAK || it->kind == LI_COLUMN_BREAK) {
            r->page_break = it->kind == LI_PAGE_BREAK;
            r->column_break = it->kind == LI_COLUMN_BREAK;
            i++;
            break;
        }
        if (i > r->first && !it->no_break_before)
            last_ok = i;
        double n = notes + lay_item_notes_height(it);
        if (used + it->height + lay_notes_block_height(n) > height + 0.01) {
            if (last_ok > r->first)
                i = last_ok; /* the last place a break is allowed */
            else if (!force)
                i = r->first; /* all of it is kept together: next frame */
            else if (!placed)
                i++; /* taller than an empty page: let it overflow */
            /* else: kept together but longer than an empty page: cut here */
            break;
        }
        used += it->height;
        notes = n;
        if (it->kind != LI_SPACE)
            placed = true;
    }
    r->end = i;
    /* Sum what is really taken: the break may have moved back. */
    r->used = header_h;
    r->notes = 0;
    for (size_t k = r->first; k < r->end; k++) {
        r->used += f->items.v[k].height;
        r->notes += lay_item_notes_height(&f->items.v[k]);
    }
    if (r->end == r->first)
        r->headers = NULL, r->used = 0;
}

/* Draws the frame's items and notes, then releases them. */
static void commit(flow *f, const fill_result *r, double x, double y, double width, double bottom)
{
    lay_ctx *ctx = f->ctx;
    if (ctx->cr) {
        if (r->headers) {
            /* Repeated header rows: their cells are the table's first rows. */
            ctx->untagged_draw = true;
            lay_draw_items(ctx, r->headers->header_rows.v, r->headers->header_rows.n, x, y);
            ctx->untagged_draw = false;
            y += r->headers->header_height;
        }
        size_t n = r->end - r->first;
        while (n && (f->items.v[r->first + n - 1].kind == LI_PAGE_BREAK ||
                     f->items.v[r->first + n - 1].kind == LI_COLUMN_BREAK))
            n--;
        lay_draw_items(ctx, f->items.v + r->first, n, x, y);
        size_t count = 0;
        for (size_t k = r->first; k < r->end; k++)
            count += f->items.v[k].note_count;
        if (count) {
            lay_note **notes = vq_xmalloc(count * sizeof *notes);
            count = 0;
            for (size_t k = r->first; k < r->end; k++)
                for (size_t j = 0; j < f->items.v[k].note_count; j++)
                    notes[count++] = f->items.v[k].notes[j];
            lay_draw_notes(ctx, notes, count, x, width, bottom);
            free(notes);
        }
    }
    for (size_t k = f->head; k < r->end; k++)
        lay_item_release(ctx, &f->items.v[k]);
    f->head = r->end;
    if (f->head == f->items.n) {
        f->items.n = f->head = 0;
    } else if (f->head > 256) {
        memmove(f->items.v, f->items.v + f->head, (f->items.n - f->head) * sizeof *f->items.v);
        f->items.n -= f->head;
        f->head = 0;
    }
}

static const vq_page_setup *page_of(const flow *f)
{
    return &f->ctx->doc->page;
}

static vq_status start_page(flow *f)
{
    f->y = page_of(f)->margin_top;
    f->reserved = 0;
    f->fresh = true;
    f->furniture_due = true;
    if (f->ctx->canvas) {
        char label[24];
        snprintf(label, sizeof label, "%ld", lay_page_label(f->ctx, f->ctx->page));
        vq_canvas_set_page_label(f->ctx->canvas, label);
    }
    return VQ_OK;
}

/* Header and footer of the page, once its body has a section. */
static vq_status draw_due_furniture(flow *f)
{
    if (!f->furniture_due)
        return VQ_OK;
    f->furniture_due = false;
    return lay_draw_furniture(f->ctx, f->section);
}

static vq_status new_page(flow *f)
{
    lay_ctx *ctx = f->ctx;
    if (ctx->page >= MAX_PAGES)
        return lay_fail(ctx, NULL, VQ_ERR_INPUT, "the document runs past %d pages", MAX_PAGES);
    if (ctx->canvas) {
        lay_struct_page_end(ctx);
        vq_canvas_next_page(ctx->canvas);
    }
    ctx->page++;
    return start_page(f);
}

static double body_bottom(const flow *f)
{
    return page_of(f)->height - page_of(f)->margin_bottom - f->reserved;
}

/* Would the rest of the section fit in `columns` columns of height h? */
static bool fits(flow *f, int columns, double h, bool fresh)
{
    size_t pos = f->head;
    fill_result r;
    for (int k = 0; k < columns; k++) {
        fill(f, pos, h, fresh && k == 0, &r);
        if (r.page_break)
            return false;
        pos = r.end;
        if (r.all_done)
            return true;
    }
    return item_at(f, pos) == NULL;
}

static double column_x(const flow *f, int k, int columns, double colw, double gap, vq_dir dir)
{
    const vq_page_setup *pg = page_of(f);
    if (dir == VQ_DIR_RTL)
        return pg->width - pg->margin_right - (k + 1) * colw - k * gap;
    return pg->margin_left + k * (colw + gap);
}

static vq_status flow_section(flow *f, const vq_node *first, const vq_node *stop, int columns,
                              vq_dir dir, double space_before)
{
    lay_ctx *ctx = f->ctx;
    const vq_page_setup *pg = page_of(f);
    double bw = pg->width - pg->margin_left - pg->margin_right;
    double gap = pg->column_gap > 0 ? pg->column_gap : 12;
    if (columns < 1)
        columns = 1;
    if (columns > MAX_COLUMNS)
        columns = MAX_COLUMNS;
    while (columns > 1 && (bw - (columns - 1) * gap) / columns < 36)
        columns--;
    double colw = (bw - (columns - 1) * gap) / columns;
    ctx->col_width = colw;
    lay_builder_init(&f->b, ctx, &f->items, colw);
    if (f->section && !f->section->implicit)
        f->b.snode = lay_snode_new(ctx, "Sect", NULL, f->section, false);
    f->next = first;
    f->stop = stop;
    if (!f->fresh) {
        /* A section that starts below another keeps the space between
         * them: the larger of the last block's space after, the section's
         * and its first block's space before (a wide table's caption never
         * touches the text above it, nor its border the heading below). */
        double sep = f->trail > space_before ? f->trail : space_before;
        f->b.at_start = false;
        lay_item *it = item_at(f, f->head);
        if (it && it->kind == LI_SPACE) {
            if (it->height > sep)
                sep = it->height;
            lay_item_release(ctx, it);
            f->head++;
        }
        f->y += sep;
    }
    f->trail = 0;

    while (ctx->status == VQ_OK && item_at(f, f->head)) {
        if (f->break_pending) {
            /* Only now that more content follows does the break make a page. */
            f->break_pending = false;
            new_page(f);
            continue;
        }
        double bottom = body_bottom(f);
        double avail = bottom - f->y;
        if (avail < 4 && !f->fresh) {
            new_page(f);
            continue;
        }
        if (draw_due_furniture(f) != VQ_OK)
            break;
        fill_result r;
        if (columns == 1) {
            fill(f, f->head, avail, f->fresh, &r);
            bool placed = r.end > r.first;
            commit(f, &r, pg->margin_left, f->y, bw, bottom);
            f->y += r.used;
            f->reserved += lay_notes_block_height(r.notes);
            if (placed && (r.used > 0 || r.end > r.first + 1))
                f->fresh = false;
            if (r.all_done)
                break;
            if ((r.page_break || r.column_break) && f->fresh)
                continue; /* a break at the top of a page adds no blank page */
            f->break_pending = true;
            continue;
        }
        bool balance = fits(f, columns, avail, f->fresh);
        double h = avail;
        if (balance) {
            double lo = 0, hi = avail;
            for (int step = 0; step < 16 && hi - lo > 0.5; step++) {
                double mid = (lo + hi) / 2;
                if (fits(f, columns, mid, f->fresh))
                    hi = mid;
                else
                    lo = mid;
            }
            h = hi;
        }
        double max_used = 0, max_notes = 0;
        bool page_break = false, done = false, any = false;
        for (int k = 0; k < columns && ctx->status == VQ_OK; k++) {
            fill(f, f->head, h, f->fresh && k == 0, &r);
            any |= r.end > r.first;
            commit(f, &r, column_x(f, k, columns, colw, gap, dir), f->y, colw, bottom);
            if (r.used > max_used)
                max_used = r.used;
            if (lay_notes_block_height(r.notes) > max_notes)
                max_notes = lay_notes_block_height(r.notes);
            if (r.page_break)
                page_break = true;
            if (r.all_done || page_break || !item_at(f, f->head)) {
                done = !page_break && !item_at(f, f->head);
                break;
            }
        }
        if (any)
            f->fresh = false;
        if (done) {
            f->y += max_used;
            f->reserved += max_notes;
            break;
        }
        if (page_break && f->fresh)
            continue;
        f->break_pending = true;
    }
    f->trail = f->b.pending_space;
    lay_builder_finish(&f->b);
    /* On error, items may remain. */
    for (size_t k = f->head; k < f->items.n; k++)
        lay_item_release(ctx, &f->items.v[k]);
    f->items.n = f->head = 0;
    return ctx->status;
}

vq_status lay_flow_document(lay_ctx *ctx)
{
    const vq_document *doc = ctx->doc;
    const vq_page_setup *pg = &doc->page;
    if (pg->width - pg->margin_left - pg->margin_right < 36 ||
        pg->height - pg->margin_top - pg->margin_bottom < 36)
        return lay_fail(ctx, doc->root, VQ_ERR_INPUT,
                        "the page margins leave no room for text (%.0f x %.0f pt page)", pg->width,
                        pg->height);
    flow f = {.ctx = ctx};
    ctx->page = 1;
    vq_status s = start_page(&f);
    for (const vq_node *c = doc->root->first_child; c && s == VQ_OK;) {
        if (c->kind == VQ_NODE_HEADER || c->kind == VQ_NODE_FOOTER) {
            c = c->next;
            continue;
        }
        if (c->kind == VQ_NODE_SECTION) {
            vq_dir dir = c->style.dir != VQ_DIR_AUTO ? c->style.dir : doc->dir;
            f.section = c;
            s = flow_section(&f, c->first_child, NULL, c->columns, dir, c->style.space_before);
            f.section = NULL;
            c = c->next;
            continue;
        }
        /* Blocks straight under the document form a one-column section. */
        const vq_node *end = c;
        while (end && end->kind != VQ_NODE_SECTION)
            end = end->next;
        s = flow_section(&f, c, end, 1, doc->dir, 0);
        c = end;
    }
    if (s == VQ_OK)
        s = draw_due_furniture(&f); /* an empty document still has its page */
    free(f.items.v);
    return s;
}
