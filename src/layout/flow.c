/* Flow: cuts the item list of each section into frames — the columns of
 * pages — and draws every frame as soon as it is placed, or, when a header
 * or footer shows the page count, once the last page is placed (the
 * frames are kept with their items until then: one layout pass).
 *
 * A frame takes items while they fit (with the height of the footnotes
 * their marks call for); when one does not fit, the frame ends at the last
 * place a break is allowed, so headings stay with what follows and no
 * paragraph leaves a single line behind. The end of a multi-column section
 * is balanced: the smallest column height that still holds the rest is
 * found by bisection over the same fill.
 *
 * Tables and figures float forward: when one does not fit in what is left
 * of a frame, the text after it fills the frame and it starts the next one
 * (never moving back before the text that leads to it, nor past another
 * float or a break). A page-wide table or figure between two like column
 * sets (a section of its own) goes to the top of the page after the one
 * where the text before it ends, and the two column sets flow on as one
 * around it. */
#include <stdio.h>
#include <string.h>

#include "layout/lay.h"

enum { MAX_PAGES = 20000, MAX_COLUMNS = 8 };

/* What drawing a page takes, in drawing order: its frames (with their
 * items and footnotes), its header and footer, the layout dump's column
 * boxes and the turn to the next page. Done at once, or kept in a
 * lay_pages and done once the page count is known. */
typedef enum draw_kind { DRAW_FRAME, DRAW_FURNITURE, DRAW_DUMP_FRAME, DRAW_NEXT_PAGE } draw_kind;

typedef struct lay_draw_op {
    draw_kind kind;
    lay_item *items; /* DRAW_FRAME: the frame's items (owned) */
    size_t n;
    lay_table *headers;         /* DRAW_FRAME: repeated header rows (retained) */
    double x, y, width, bottom; /* DRAW_DUMP_FRAME: width is w, bottom is h */
    const vq_node *section;     /* DRAW_FURNITURE */
    int col, cols;              /* DRAW_DUMP_FRAME */
    bool balanced;
} draw_op;

typedef struct flow {
    lay_ctx *ctx;
    lay_pages *later; /* NULL: pages are drawn as soon as they are placed */
    lay_builder b;
    lay_vec items;
    size_t head;                /* items before head are drawn and released */
    const vq_node *next, *stop; /* blocks still to turn into items */

    /* the page */
    double y;                /* where the next section or frame starts */
    double reserved;         /* footnote room taken at the foot by earlier sections */
    bool fresh;              /* nothing placed on this page yet */
    bool break_pending;      /* a page break ended the last section's content */
    bool furniture_due;      /* header and footer wait for the section the body starts in */
    double trail;            /* space after the last block of the previous section */
    const vq_node *section;  /* the section being flowed (NULL = implicit) */
    int floats;              /* float_id of the last table or figure built */
    const vq_node *cur_sec;  /* the section whose blocks are being built */
    const vq_node *deferred; /* a page-wide float section waiting for a new page */
    bool deferred_ready;     /* the text before it is placed: the next page may take it */
} flow;

typedef struct fill_result {
    size_t first, end; /* items [first, end) go in the frame */
    double used;       /* their height (with repeated table headers) */
    double notes;      /* height of their footnotes */
    const lay_table *headers;
    bool page_break, column_break, all_done;
} fill_result;

static vq_dir section_dir(const lay_ctx *ctx, const vq_node *sec)
{
    return sec->style.dir != VQ_DIR_AUTO ? sec->style.dir : ctx->doc->dir;
}

/* A section of one column whose only block is a table or a figure (the
 * journal's page-wide table between two column sets). */
static bool float_section(const vq_node *sec)
{
    if (sec->kind != VQ_NODE_SECTION || sec->columns > 1)
        return false;
    int floats = 0;
    for (const vq_node *c = sec->first_child; c; c = c->next) {
        if (c->kind == VQ_NODE_TABLE || c->kind == VQ_NODE_FIGURE)
            floats++;
        else if (c->kind != VQ_NODE_HEADER && c->kind != VQ_NODE_FOOTER &&
                 lay_has_content(c, c->next))
            return false;
    }
    return floats == 1;
}

static bool has_furniture(const vq_node *sec)
{
    for (const vq_node *c = sec->first_child; c; c = c->next)
        if (c->kind == VQ_NODE_HEADER || c->kind == VQ_NODE_FOOTER)
            return true;
    return false;
}

static const vq_node *next_section(const vq_node *n)
{
    for (n = n->next; n; n = n->next)
        if (n->kind != VQ_NODE_HEADER && n->kind != VQ_NODE_FOOTER)
            return n->kind == VQ_NODE_SECTION ? n : NULL;
    return NULL;
}

/* The blocks of the section being flowed are all built: when a page-wide
 * float section and then a column set like it follow, that set's blocks
 * go on in the same columns and the float waits for a new page. */
static bool continue_section(flow *f)
{
    const vq_node *sec = f->cur_sec, *w, *n;
    if (!sec || f->deferred || sec->columns < 2 || has_furniture(sec))
        return false;
    if (!(w = next_section(sec)) || !float_section(w) || !(n = next_section(w)) ||
        n->columns != sec->columns || has_furniture(n) ||
        section_dir(f->ctx, n) != section_dir(f->ctx, sec))
        return false;
    if (f->items.n > f->head)
        f->items.v[f->items.n - 1].float_anchor = true;
    else
        f->deferred_ready = true;
    f->deferred = w;
    f->cur_sec = n;
    f->next = n->first_child;
    return true;
}

static bool generate(flow *f)
{
    lay_ctx *ctx = f->ctx;
    while (ctx->status == VQ_OK) {
        if (!f->next || f->next == f->stop) {
            if (!continue_section(f))
                break;
            continue;
        }
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
            if (c->kind == VQ_NODE_TABLE || c->kind == VQ_NODE_FIGURE) {
                /* The space before it stays where it is: it separates the
                 * text before from whatever comes next. */
                size_t k = before;
                while (k < f->items.n && f->items.v[k].kind == LI_SPACE)
                    k++;
                f->floats++;
                for (; k < f->items.n; k++)
                    f->items.v[k].float_id = f->floats;
            }
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

static void reverse_items(flow *f, size_t a, size_t b)
{
    for (; a + 1 < b; a++, b--) {
        lay_item t = f->items.v[a];
        f->items.v[a] = f->items.v[b - 1];
        f->items.v[b - 1] = t;
    }
}

/* Items [a, m) and [m, b) change places. */
static void swap_ranges(flow *f, size_t a, size_t m, size_t b)
{
    reverse_items(f, a, m);
    reverse_items(f, m, b);
    reverse_items(f, a, b);
}

/* A frame filled from start (r) ends just before a table or figure that
 * did not fit: the text after the float moves ahead of it as far as it
 * fills the frame, and the float follows, to start the next frame. r is
 * the new fill. A float already begun in this frame, or text behind a
 * break or another float, stays where it is. */
static void float_forward(flow *f, size_t start, double h, bool force, fill_result *r)
{
    if (r->all_done || r->page_break || r->column_break || r->end <= r->first)
        return;
    size_t fs = r->end;
    lay_item *it;
    while ((it = item_at(f, fs)) && it->kind == LI_SPACE)
        fs++;
    if (!it || !it->float_id || f->items.v[fs - 1].float_id == it->float_id)
        return;
    int id = it->float_id;
    size_t fe = fs;
    while ((it = item_at(f, fe)) && it->float_id == id)
        fe++;
    if (it && it->kind == LI_SPACE)
        fe++; /* the space after it goes with it */
    /* Text enough for any frame. */
    size_t te = fe;
    double th = 0;
    while (th < h && (it = item_at(f, te)) && !it->float_id && it->kind != LI_PAGE_BREAK &&
           it->kind != LI_COLUMN_BREAK) {
        th += it->height;
        te++;
    }
    if (te == fe)
        return;
    size_t moved = te - fe, flen = fe - fs;
    swap_ranges(f, fs, fe, te);
    fill_result t;
    fill(f, start, h, force, &t);
    if (t.end <= r->end) {
        swap_ranges(f, fs, fs + moved, te); /* nothing gained: as it was */
        return;
    }
    size_t e = t.end;
    if (e < fs + moved) {
        /* The rest of the text follows the float. */
        swap_ranges(f, e, fs + moved, te);
        lay_item *after = item_at(f, e + flen), *trail = &f->items.v[e + flen - 1];
        if (after && after->kind == LI_SPACE && trail->kind == LI_SPACE) {
            if (after->height > trail->height)
                trail->height = after->height;
            after->height = 0;
        }
    }
    *r = t;
}

/* Draws a frame's repeated header rows, items and footnotes. */
static void draw_frame(lay_ctx *ctx, const lay_table *headers, const lay_item *items, size_t n,
                       double x, double y, double width, double bottom)
{
    if (!ctx->cr)
        return;
    if (headers) {
        /* Repeated header rows: their cells are the table's first rows. */
        ctx->untagged_draw = true;
        lay_draw_items(ctx, headers->header_rows.v, headers->header_rows.n, x, y);
        ctx->untagged_draw = false;
        y += headers->header_height;
    }
    lay_draw_items(ctx, items, n, x, y);
    size_t count = 0;
    for (size_t k = 0; k < n; k++)
        count += items[k].note_count;
    if (count) {
        lay_note **notes = vq_xmalloc(count * sizeof *notes);
        count = 0;
        for (size_t k = 0; k < n; k++)
            for (size_t j = 0; j < items[k].note_count; j++)
                notes[count++] = items[k].notes[j];
        lay_draw_notes(ctx, notes, count, x, width, bottom);
        free(notes);
    }
}

static draw_op *later_op(flow *f, draw_kind kind)
{
    lay_pages *l = f->later;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = vq_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    draw_op *op = &l->v[l->n++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    return op;
}

/* Items kept until their page is drawn hold only what drawing needs: their
 * paragraphs' lines, not what laying them out again would. */
static void trim_items(const lay_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const lay_item *it = &items[i];
        if (it->para)
            vq_paragraph_trim(it->para->p);
        if (it->marker)
            vq_paragraph_trim(it->marker->p);
        if (it->row)
            for (int c = 0; c < it->row->cell_count; c++)
                trim_items(it->row->cells[c].items.v, it->row->cells[c].items.n);
        if (it->image)
            trim_items(it->image->text.v, it->image->text.n);
        for (size_t k = 0; k < it->note_count; k++)
            trim_items(it->notes[k]->lines.v, it->notes[k]->lines.n);
    }
}

/* Draws the frame's items and notes (or keeps them for later), then
 * releases what is drawn or was dropped. */
static void commit(flow *f, const fill_result *r, double x, double y, double width, double bottom)
{
    lay_ctx *ctx = f->ctx;
    size_t n = r->end - r->first;
    while (n && (f->items.v[r->first + n - 1].kind == LI_PAGE_BREAK ||
                 f->items.v[r->first + n - 1].kind == LI_COLUMN_BREAK))
        n--;
    size_t kept_from = r->end; /* items from here to r->end are kept by a draw_op */
    if (ctx->cr && f->later) {
        draw_op *op = later_op(f, DRAW_FRAME);
        op->headers = lay_retain((lay_table *)r->headers);
        op->x = x, op->y = y, op->width = width, op->bottom = bottom;
        if (n) {
            op->items = vq_xmalloc(n * sizeof *op->items);
            memcpy(op->items, f->items.v + r->first, n * sizeof *op->items);
            op->n = n;
            trim_items(op->items, n);
            kept_from = r->first;
        }
    } else {
        draw_frame(ctx, r->headers, f->items.v + r->first, n, x, y, width, bottom);
    }
    for (size_t k = f->head; k < r->end; k++) {
        if (f->items.v[k].float_anchor)
            f->deferred_ready = true;
        if (k < kept_from || k >= kept_from + n)
            lay_item_release(ctx, &f->items.v[k]);
    }
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

static void set_page_label(lay_ctx *ctx)
{
    char label[24];
    snprintf(label, sizeof label, "%ld", lay_page_label(ctx, ctx->page));
    vq_canvas_set_page_label(ctx->canvas, label);
}

static vq_status start_page(flow *f)
{
    f->y = page_of(f)->margin_top;
    f->reserved = 0;
    f->fresh = true;
    f->furniture_due = true;
    if (f->ctx->canvas && !f->later)
        set_page_label(f->ctx);
    return VQ_OK;
}

/* Header and footer of the page, once its body has a section. */
static vq_status draw_due_furniture(flow *f)
{
    if (!f->furniture_due)
        return VQ_OK;
    f->furniture_due = false;
    if (f->ctx->cr && f->later) {
        later_op(f, DRAW_FURNITURE)->section = f->section;
        return VQ_OK;
    }
    return lay_draw_furniture(f->ctx, f->section);
}

/* Ends the page being drawn and starts the next one. */
static void turn_page(lay_ctx *ctx)
{
    lay_struct_page_end(ctx);
    vq_canvas_next_page(ctx->canvas);
}

static vq_status new_page(flow *f)
{
    lay_ctx *ctx = f->ctx;
    if (ctx->page >= MAX_PAGES)
        return lay_fail(ctx, NULL, VQ_ERR_INPUT, "the document runs past %d pages", MAX_PAGES);
    if (ctx->canvas && f->later)
        later_op(f, DRAW_NEXT_PAGE);
    else if (ctx->canvas)
        turn_page(ctx);
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

/* Moves floats forward at the ends of this page's frames (before the
 * last page of a section is balanced, so balancing sees the final order). */
static void place_floats(flow *f, int columns, double h)
{
    size_t pos = f->head;
    fill_result r;
    for (int k = 0; k < columns; k++) {
        bool force = f->fresh && k == 0;
        fill(f, pos, h, force, &r);
        float_forward(f, pos, h, force, &r);
        pos = r.end;
        if (r.all_done || r.page_break || !item_at(f, pos))
            return;
    }
}

static double column_x(const flow *f, int k, int columns, double colw, double gap, vq_dir dir)
{
    const vq_page_setup *pg = page_of(f);
    if (dir == VQ_DIR_RTL)
        return pg->width - pg->margin_right - (k + 1) * colw - k * gap;
    return pg->margin_left + k * (colw + gap);
}

static vq_status flow_section(flow *f, const vq_node *first, const vq_node *stop, int columns,
                              vq_dir dir, double space_before);

/* At the top of a new page: the float section that waited, then the
 * columns go on below it. */
static void place_deferred(flow *f)
{
    const vq_node *sec = f->deferred;
    if (!sec || !f->deferred_ready || f->ctx->status != VQ_OK)
        return;
    f->deferred = NULL;
    f->deferred_ready = false;
    if (draw_due_furniture(f) != VQ_OK)
        return;
    flow g = {.ctx = f->ctx,
              .later = f->later,
              .y = f->y,
              .reserved = f->reserved,
              .fresh = true,
              .section = sec};
    double col_width = f->ctx->col_width;
    flow_section(&g, sec->first_child, NULL, 1, section_dir(f->ctx, sec), 0);
    free(g.items.v);
    f->ctx->col_width = col_width;
    f->y = g.y + g.trail;
    f->reserved = g.reserved;
    f->fresh = false;
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
            place_deferred(f);
            continue;
        }
        double bottom = body_bottom(f);
        double avail = bottom - f->y;
        if (avail < 4 && !f->fresh) {
            new_page(f);
            place_deferred(f);
            continue;
        }
        if (draw_due_furniture(f) != VQ_OK)
            break;
        fill_result r;
        if (columns == 1) {
            fill(f, f->head, avail, f->fresh, &r);
            float_forward(f, f->head, avail, f->fresh, &r);
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
        place_floats(f, columns, avail);
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
            /* A tail of a few lines stays in the first column: balanced,
             * a line or two a column, its paragraph would be cut into
             * fragments the eye (and a text extractor) must jump between. */
            lay_item *top = item_at(f, f->head);
            if (top && top->kind == LI_LINE && h < 2.5 * top->height) {
                h = avail;
                balance = false;
            }
        }
        double max_used = 0, max_notes = 0;
        bool page_break = false, done = false, any = false;
        for (int k = 0; k < columns && ctx->status == VQ_OK; k++) {
            fill(f, f->head, h, f->fresh && k == 0, &r);
            any |= r.end > r.first;
            double cx = column_x(f, k, columns, colw, gap, dir);
            if (ctx->cr && f->later) {
                draw_op *op = later_op(f, DRAW_DUMP_FRAME);
                op->x = cx, op->y = f->y, op->width = colw, op->bottom = h;
                op->col = k, op->cols = columns, op->balanced = balance;
            } else {
                lay_dump_frame(ctx, cx, f->y, colw, h, k, columns, balance);
            }
            commit(f, &r, cx, f->y, colw, bottom);
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

vq_status lay_pages_draw(lay_ctx *ctx, const lay_pages *l)
{
    ctx->page = 1;
    set_page_label(ctx);
    for (size_t i = 0; i < l->n && ctx->status == VQ_OK; i++) {
        const draw_op *op = &l->v[i];
        switch (op->kind) {
        case DRAW_FRAME:
            draw_frame(ctx, op->headers, op->items, op->n, op->x, op->y, op->width, op->bottom);
            break;
        case DRAW_FURNITURE: {
            vq_status s = lay_draw_furniture(ctx, op->section);
            if (s != VQ_OK)
                return s;
            break;
        }
        case DRAW_DUMP_FRAME:
            lay_dump_frame(ctx, op->x, op->y, op->width, op->bottom, op->col, op->cols,
                           op->balanced);
            break;
        case DRAW_NEXT_PAGE:
            turn_page(ctx);
            ctx->page++;
            set_page_label(ctx);
            break;
        }
    }
    return ctx->status;
}

void lay_pages_free(lay_ctx *ctx, lay_pages *l)
{
    for (size_t i = 0; i < l->n; i++) {
        for (size_t k = 0; k < l->v[i].n; k++)
            lay_item_release(ctx, &l->v[i].items[k]);
        free(l->v[i].items);
        lay_unref(ctx, l->v[i].headers);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

vq_status lay_flow_document(lay_ctx *ctx, lay_pages *later)
{
    const vq_document *doc = ctx->doc;
    const vq_page_setup *pg = &doc->page;
    if (pg->width - pg->margin_left - pg->margin_right < 36 ||
        pg->height - pg->margin_top - pg->margin_bottom < 36)
        return lay_fail(ctx, doc->root, VQ_ERR_INPUT,
                        "the page margins leave no room for text (%.0f x %.0f pt page)", pg->width,
                        pg->height);
    flow f = {.ctx = ctx, .later = ctx->cr ? later : NULL};
    ctx->page = 1;
    vq_status s = start_page(&f);
    for (const vq_node *c = doc->root->first_child; c && s == VQ_OK;) {
        if (c->kind == VQ_NODE_HEADER || c->kind == VQ_NODE_FOOTER) {
            c = c->next;
            continue;
        }
        if (c->kind == VQ_NODE_SECTION) {
            f.section = f.cur_sec = c;
            s = flow_section(&f, c->first_child, NULL, c->columns, section_dir(ctx, c),
                             c->style.space_before);
            c = f.cur_sec->next; /* after the column sets flowed as one */
            f.cur_sec = NULL;
            if (f.deferred && s == VQ_OK) {
                /* The columns ended on the page: the float comes after them. */
                const vq_node *w = f.deferred;
                f.deferred = NULL;
                f.deferred_ready = false;
                f.section = w;
                s = flow_section(&f, w->first_child, NULL, 1, section_dir(ctx, w),
                                 w->style.space_before);
            }
            f.section = NULL;
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
