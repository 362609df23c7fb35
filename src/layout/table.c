/* Tables: column widths from fixed lengths, percentages of the table and
 * content (the widest word and the whole text on one line of each cell);
 * in a right-to-left table the first column is on the right. Each row is
 * one item; the table keeps its header rows so that flow.c repeats them at
 * the top of every frame the table continues into. */
#include <string.h>

#include "base/chars.h"
#include "layout/lay.h"

static void row_destroy(lay_ctx *ctx, lay_ref *r)
{
    lay_row *row = (lay_row *)r;
    for (int i = 0; i < row->cell_count; i++)
        lay_vec_release(ctx, &row->cells[i].items);
    free(row->cells);
    free(row);
}

static void table_destroy(lay_ctx *ctx, lay_ref *r)
{
    lay_table *t = (lay_table *)r;
    lay_vec_release(ctx, &t->header_rows);
    free(t);
}

static double cell_inset(const vq_node *table, const vq_node *cell)
{
    double border =
        cell->style.border_width > 0 ? cell->style.border_width : table->style.border_width;
    return cell->style.padding + border / 2;
}

/* Widest unbreakable piece and one-line width of a cell's paragraphs. */
static void measure_blocks(lay_ctx *ctx, const vq_node *first, double *mn, double *mx)
{
    for (const vq_node *c = first; c;) {
        const vq_node *start = c, *stop = c->next;
        const vq_node *holder = c;
        if (lay_is_inline(c->kind)) {
            while (stop && lay_is_inline(stop->kind))
                stop = stop->next;
            holder = c->parent;
        } else if (c->kind == VQ_NODE_PARAGRAPH || c->kind == VQ_NODE_HEADING) {
            start = c->first_child;
            stop = NULL;
        } else {
            if (c->first_child)
                measure_blocks(ctx, c->first_child, mn, mx);
            c = c->next;
            continue;
        }
        lay_para *lp = lay_para_new(ctx);
        lay_add_inlines(ctx, lp->p, start, stop, 0, 1.0);
        lay_para_recall(ctx, lp);
        vq_paragraph_style ps;
        vq_paragraph_style_init(&ps, 100000);
        ps.dir = holder->style.dir;
        vq_error e;
        double a, b; /* a failure is reported when the cell is set (inline.c) */
        if (vq_paragraph_layout(lp->p, &ps, &e) == VQ_OK &&
            vq_paragraph_min_width(lp->p, &ps, &a, &e) == VQ_OK &&
            vq_paragraph_max_width(lp->p, &ps, &b, &e) == VQ_OK) {
            double extra =
                holder->style.margin_start + holder->style.margin_end + holder->style.indent;
            if (a + extra > *mn)
                *mn = a + extra;
            if (b + extra > *mx)
                *mx = b + extra;
        }
        lay_unref(ctx, lp);
        c = lay_is_inline(c->kind) ? stop : c->next;
    }
}

/* Counts the strong letters of t's cells, only its header cells (th) when
 * headers_only (th, or any cell of a header row). */
static int cells_dir(const vq_node *t, bool headers_only, vq_buf *text)
{
    vq_strong_count count = {0};
    for (const vq_node *r = t->first_child; r; r = r->next) {
        if (r->kind != VQ_NODE_TABLE_ROW)
            continue;
        for (const vq_node *c = r->first_child; c; c = c->next) {
            if (c->kind != VQ_NODE_TABLE_CELL || (headers_only && !c->header && !r->header))
                continue;
            text->len = 0;
            lay_plain_text(c, text);
            vq_strong_add(&count, text->data, text->len);
        }
    }
    return vq_strong_dir(&count);
}

/* The side the first column goes: the table's direction, or, for a table
 * on which nothing sets dir, that of its header cells' words, or when they
 * have none, of most of its cells' words. A reader enters a table through
 * its headers: Persian headers over English drug names and doses read
 * right to left; a table of English lab names and ranges in a Persian
 * article, headed in English, left to right. The caption does not count. */
static vq_dir column_dir(const vq_node *t)
{
    if (!t->columns_auto)
        return t->style.dir;
    vq_buf text = {0};
    int d = cells_dir(t, true, &text);
    if (d == 0)
        d = cells_dir(t, false, &text);
    vq_buf_free(&text);
    return d > 0 ? VQ_DIR_RTL : d < 0 ? VQ_DIR_LTR : t->style.dir;
}

static int table_columns(const vq_node *t)
{
    int cols = t->column_count;
    for (const vq_node *r = t->first_child; r; r = r->next) {
        if (r->kind != VQ_NODE_TABLE_ROW)
            continue;
        int n = 0;
        for (const vq_node *c = r->first_child; c; c = c->next)
            if (c->kind == VQ_NODE_TABLE_CELL)
                n += c->colspan > 0 ? c->colspan : 1;
        if (n > cols)
            cols = n;
    }
    return cols;
}

static double resolve(vq_length len, double of)
{
    if (len.unit == VQ_LEN_PT)
        return len.value;
    if (len.unit == VQ_LEN_PERCENT)
        return of * len.value / 100;
    return -1;
}

/* Fills widths[cols] and returns the table's width. */
static double column_widths(lay_ctx *ctx, const vq_node *t, int cols, double avail, double *widths)
{
    double tw = resolve(t->width, avail);
    bool fixed_width = tw > 0;
    if (!fixed_width)
        tw = avail;
    double *mn = vq_xcalloc((size_t)cols, sizeof *mn), *mx = vq_xcalloc((size_t)cols, sizeof *mx);
    bool *is_auto = vq_xcalloc((size_t)cols, sizeof *is_auto);
    double fixed = 0;
    for (int c = 0; c < cols; c++) {
        double w = c < t->column_count && t->column_widths ? resolve(t->column_widths[c], tw) : -1;
        widths[c] = w;
        is_auto[c] = w < 0;
        if (w >= 0)
            fixed += w;
    }
    for (const vq_node *r = t->first_child; r; r = r->next) {
        if (r->kind != VQ_NODE_TABLE_ROW)
            continue;
        int col = 0;
        for (const vq_node *c = r->first_child; c; c = c->next) {
            if (c->kind != VQ_NODE_TABLE_CELL)
                continue;
            int span = c->colspan > 0 ? c->colspan : 1;
            if (span == 1 && col < cols) {
                double a = 0, b = 0;
                measure_blocks(ctx, c->first_child, &a, &b);
                double in = 2 * cell_inset(t, c) + 0.5;
                if (a + in > mn[col])
                    mn[col] = a + in;
                if (b + in > mx[col])
                    mx[col] = b + in;
            }
            col += span;
        }
    }
    double rem = tw - fixed, smin = 0, smax = 0;
    int autos = 0;
    for (int c = 0; c < cols; c++)
        if (is_auto[c]) {
            if (mx[c] < 12)
                mx[c] = mn[c] = 12; /* an empty column keeps some room */
            smin += mn[c];
            smax += mx[c];
            autos++;
        }
    if (autos) {
        if (rem < 0)
            rem = 0;
        if (smax <= rem) {
            /* Everything fits on one line: widen only when the table has a
             * set width. */
            double extra = fixed_width ? rem - smax : 0;
            for (int c = 0; c < cols; c++)
                if (is_auto[c])
                    widths[c] = mx[c] + extra * (mx[c] / smax);
        } else if (smin <= rem && smax > smin) {
            for (int c = 0; c < cols; c++)
                if (is_auto[c])
                    widths[c] = mn[c] + (rem - smin) * (mx[c] - mn[c]) / (smax - smin);
        } else {
            for (int c = 0; c < cols; c++)
                if (is_auto[c])
                    widths[c] = smin > 0 ? mn[c] * rem / smin : rem / autos;
        }
    }
    /* No column is narrower than its widest word (as in CSS tables): a
     * set width gives way and the columns with room to spare pay for it,
     * so no word is split without a hyphen in a narrow column. */
    double deficit = 0, spare = 0;
    for (int c = 0; c < cols; c++) {
        if (widths[c] < mn[c])
            deficit += mn[c] - widths[c];
        else
            spare += widths[c] - mn[c];
    }
    if (deficit > 0 && spare > 0) {
        double take = deficit < spare ? deficit / spare : 1;
        for (int c = 0; c < cols; c++)
            widths[c] = widths[c] < mn[c] ? mn[c] : widths[c] - (widths[c] - mn[c]) * take;
    }
    double total = 0;
    for (int c = 0; c < cols; c++)
        total += widths[c];
    free(mn);
    free(mx);
    free(is_auto);
    return total;
}

static void collect_notes(lay_item *row_item, const lay_vec *items)
{
    for (size_t i = 0; i < items->n; i++) {
        const lay_item *it = &items->v[i];
        for (size_t k = 0; k < it->note_count; k++) {
            row_item->notes =
                vq_xrealloc(row_item->notes, (row_item->note_count + 1) * sizeof *row_item->notes);
            row_item->notes[row_item->note_count++] = lay_retain(it->notes[k]);
        }
    }
}

static void emit_row(lay_builder *b, lay_row *row, lay_table *table, double left, double width,
                     bool header, bool keep, const char *id)
{
    lay_ctx *ctx = b->ctx;
    lay_item *it = lay_emit(b, LI_ROW, row->height);
    it->x = left;
    it->width = width;
    it->row = lay_retain(row);
    it->table = lay_retain(table);
    if (keep)
        it->no_break_before = true;
    lay_item_add_dest(it, id);
    for (int i = 0; i < row->cell_count; i++)
        collect_notes(it, &row->cells[i].items);
    if (header) {
        lay_item *copy = lay_vec_push(&table->header_rows);
        lay_item_copy(copy, it);
        lay_unref(ctx, copy->table); /* no cycle: the table holds its headers */
        copy->table = NULL;
        copy->dest = copy->dest2 = NULL;
        for (size_t k = 0; k < copy->note_count; k++)
            lay_unref(ctx, copy->notes[k]);
        free(copy->notes);
        copy->notes = NULL;
        copy->note_count = 0;
        copy->no_break_before = false;
        table->header_height += row->height;
    }
}

/* A row taller than a page is cut between the lines of its cells into
 * pieces that each fit a page; every piece keeps the cells' frames. */
static void split_row(lay_builder *b, lay_row *row, lay_table *table, double left, double width,
                      bool keep, const char *id, double limit)
{
    lay_ctx *ctx = b->ctx;
    size_t *pos = vq_xcalloc((size_t)row->cell_count, sizeof *pos);
    for (bool first = true;; first = false) {
        bool more = false;
        for (int i = 0; i < row->cell_count; i++)
            more |= pos[i] < row->cells[i].items.n;
        if (!more)
            break;
        lay_row *piece = vq_xcalloc(1, sizeof *piece);
        piece->ref.refs = 1;
        piece->ref.destroy = row_destroy;
        piece->serial = ++ctx->serial;
        piece->table = table;
        piece->cell_count = row->cell_count;
        piece->cells = vq_xcalloc((size_t)row->cell_count, sizeof *piece->cells);
        for (int i = 0; i < row->cell_count; i++) {
            lay_cell *from = &row->cells[i], *to = &piece->cells[i];
            *to = *from;
            memset(&to->items, 0, sizeof to->items);
            to->valign = VQ_VALIGN_TOP;
            double inset = from->padding + from->border / 2, used = 2 * inset;
            while (pos[i] < from->items.n) {
                lay_item *it = &from->items.v[pos[i]];
                if (to->items.n && used + it->height > limit)
                    break;
                used += it->height;
                *lay_vec_push(&to->items) = *it; /* moved: the source forgets it */
                memset(it, 0, sizeof *it);
                pos[i]++;
            }
            if (used > piece->height)
                piece->height = used;
        }
        emit_row(b, piece, table, left, width, false, first && keep, first ? id : NULL);
        lay_unref(ctx, piece);
    }
    free(pos);
}

/* Lines in the fullest cell of a row: a row of two lines or more stands
 * on its own at the top or foot of a page, as a paragraph of two lines
 * does; a one-line row does not. */
static size_t row_lines(const lay_row *row)
{
    size_t most = 0;
    for (int i = 0; i < row->cell_count; i++) {
        size_t n = 0;
        for (size_t k = 0; k < row->cells[i].items.n; k++)
            n += row->cells[i].items.v[k].kind == LI_LINE;
        if (n > most)
            most = n;
    }
    return most;
}

/* keep: the row stays with the one before it; keep_short: only when it is
 * a one-line row. *lines gets the row's line count. */
static vq_status build_row(lay_builder *b, const vq_node *t, const vq_node *r, lay_table *table,
                           const double *xs, const double *widths, int cols, double left,
                           bool header, bool keep, bool keep_short, size_t *lines)
{
    lay_ctx *ctx = b->ctx;
    lay_snode *tr = lay_snode_new(ctx, "TR", b->snode, r, false);
    lay_row *row = vq_xcalloc(1, sizeof *row);
    row->ref.refs = 1;
    row->ref.destroy = row_destroy;
    row->serial = ++ctx->serial;
    row->header = header;
    row->table = table;
    int n = 0;
    for (const vq_node *c = r->first_child; c; c = c->next)
        if (c->kind == VQ_NODE_TABLE_CELL)
            n++;
    row->cells = vq_xcalloc((size_t)(n ? n : 1), sizeof *row->cells);
    vq_status s = VQ_OK;
    int col = 0;
    for (const vq_node *c = r->first_child; c && s == VQ_OK; c = c->next) {
        if (c->kind != VQ_NODE_TABLE_CELL || col >= cols)
            continue;
        int span = c->colspan > 0 ? c->colspan : 1;
        if (col + span > cols)
            span = cols - col;
        lay_cell *cell = &row->cells[row->cell_count++];
        double x0 = xs[col], x1 = xs[col] + widths[col];
        for (int k = col; k < col + span; k++) {
            if (xs[k] < x0)
                x0 = xs[k];
            if (xs[k] + widths[k] > x1)
                x1 = xs[k] + widths[k];
        }
        col += span;
        cell->x = x0 - left;
        cell->width = x1 - x0;
        cell->border = c->style.border_width > 0 ? c->style.border_width : t->style.border_width;
        cell->border_color =
            c->style.border_width > 0 ? c->style.border_color : t->style.border_color;
        cell->padding = c->style.padding;
        cell->has_background = c->style.has_background || r->style.has_background;
        cell->background = c->style.has_background ? c->style.background : r->style.background;
        cell->valign = c->valign;
        double inset = cell_inset(t, c);
        bool th = header || c->header;
        cell->snode = lay_snode_new(ctx, th ? "TH" : "TD", tr, c, false);
        if (cell->snode && th)
            cell->snode->scope = header ? "Column" : "Row";
        lay_builder cb;
        lay_builder_init(&cb, ctx, &cell->items, cell->width - 2 * inset);
        cb.snode = cell->snode;
        lay_pending_dest(&cb, c);
        s = lay_build_blocks(&cb, c->first_child);
        lay_builder_finish(&cb);
        double h = lay_vec_height(&cell->items) + 2 * inset;
        if (h > row->height)
            row->height = h;
    }
    *lines = row_lines(row);
    if (keep_short && *lines < 2)
        keep = true;
    if (s == VQ_OK) {
        double width = 0;
        for (int k = 0; k < cols; k++)
            if (xs[k] + widths[k] - left > width)
                width = xs[k] + widths[k] - left;
        const vq_page_setup *pg = &ctx->doc->page;
        double limit =
            (pg->height - pg->margin_top - pg->margin_bottom) * 0.9 - table->header_height;
        lay_snode *save = b->leaf;
        b->leaf = tr;
        if (!header && limit > 36 && row->height > limit)
            split_row(b, row, table, left, width, keep, r->id, limit);
        else
            emit_row(b, row, table, left, width, header, keep, r->id);
        b->leaf = save;
    }
    lay_unref(ctx, row);
    return s;
}

vq_status lay_build_table(lay_builder *b, const vq_node *t)
{
    lay_ctx *ctx = b->ctx;
    const vq_style *st = &t->style;
    lay_emit_space(b, st->space_before);
    lay_pending_dest(b, t);
    lay_snode *save_snode = b->snode;
    b->snode = lay_snode_new(ctx, "Table", b->snode, t, false);
    for (const vq_node *c = t->first_child; c; c = c->next)
        if (c->kind == VQ_NODE_CAPTION) {
            /* The caption sits above the table and stays with it. */
            vq_status s = lay_build_paragraph(b, c, c->first_child, NULL, &c->style);
            if (s != VQ_OK) {
                b->snode = save_snode;
                return s;
            }
            b->keep_next = true;
            b->pending_space = c->style.space_after;
        }
    int cols = table_columns(t);
    if (cols == 0) {
        b->pending_space = st->space_after;
        b->snode = save_snode;
        return VQ_OK;
    }
    double left, avail;
    lay_block_left_right(b, st, &left, &avail);
    double *widths = vq_xcalloc((size_t)cols, sizeof *widths);
    double *xs = vq_xcalloc((size_t)cols, sizeof *xs);
    double tw = column_widths(ctx, t, cols, avail, widths);
    bool rtl = column_dir(t) == VQ_DIR_RTL;
    /* A narrower table sits at the start side; its first column is at the
     * start side too. */
    double x = rtl ? left + avail : left;
    for (int c = 0; c < cols; c++) {
        if (rtl) {
            x -= widths[c];
            xs[c] = x;
        } else {
            xs[c] = x;
            x += widths[c];
        }
    }
    (void)tw;
    double table_left = rtl ? x : left;

    lay_table *table = vq_xcalloc(1, sizeof *table);
    table->ref.refs = 1;
    table->ref.destroy = table_destroy;
    table->serial = ++ctx->serial;
    vq_status s = VQ_OK;
    int index = 0, body_rows = 0, body_index = 0;
    for (const vq_node *r = t->first_child; r; r = r->next) {
        if (r->kind != VQ_NODE_TABLE_ROW)
            continue;
        if (!(r->header || index < t->header_rows))
            body_rows++;
        index++;
    }
    index = 0;
    bool prev_header = false;
    size_t prev_lines = 0;
    for (const vq_node *r = t->first_child; r && s == VQ_OK; r = r->next) {
        if (r->kind != VQ_NODE_TABLE_ROW)
            continue;
        bool header = r->header || index < t->header_rows;
        /* The first row may follow a caption; header rows stay together
         * and with the first body row. Like a paragraph's orphans and
         * widows, a table is never cut after its first body row nor
         * before its last when that row is a single line; a row of two
         * lines or more may stand alone under the repeated header, so a
         * table of a few tall rows starts on the page it comes to instead
         * of leaving the rest of that page blank. */
        lay_emit_space(b, 0);
        bool keep = index > 0 ? (header || prev_header) : b->keep_next;
        bool keep_short = false;
        if (!header) {
            keep = keep || (body_index == 1 && prev_lines < 2);
            keep_short = body_index > 0 && body_index == body_rows - 1;
            body_index++;
        }
        b->keep_next = false;
        s = build_row(b, t, r, table, xs, widths, cols, table_left, header, keep, keep_short,
                      &prev_lines);
        prev_header = header;
        index++;
    }
    lay_unref(ctx, table);
    free(widths);
    free(xs);
    b->pending_space = st->space_after;
    b->snode = save_snode;
    return s;
}
