/* Tables: column widths from fixed lengths, percentages of the table and
 * content (the widest word and the whole text on one line of each cell),
 * adjusted to make the table short where set widths give way or leave
 * room unused; in a right-to-left table the first column is on the right.
 * Each row is one item; the table keeps its header rows so that flow.c
 * repeats them at the top of every frame the table continues into, and a
 * table of half a page or less is kept whole. */
#include <math.h>
#include <string.h>

#include "base/chars.h"
#include "base/lang.h"
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

/* A cell's paragraph kept from measuring to count its lines at other
 * widths: only when the cell holds one paragraph (count). */
typedef struct cell_para {
    lay_para *lp;
    const vq_node *holder;
    double margins;
    int count;
} cell_para;

/* Widest unbreakable piece, widest whole word and one-line width of a
 * cell's paragraphs. */
static void measure_blocks(lay_ctx *ctx, const vq_node *first, double *mn, double *whole,
                           double *mx, cell_para *keep)
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
                measure_blocks(ctx, c->first_child, mn, whole, mx, keep);
            c = c->next;
            continue;
        }
        lay_para *lp = lay_para_new(ctx);
        lay_add_inlines(ctx, lp->p, start, stop, 0, 1.0);
        vq_paragraph_style ps;
        vq_paragraph_style_init(&ps, 100000);
        ps.dir = holder->style.dir;
        /* Measured as it will be set (inline.c), so that the cell's layout
         * finds the paragraph prepared and the widths are of the same text. */
        ps.normalize_persian = vq_lang_is_persian(holder->style.text.lang);
        /* The narrowest piece ends at hyphenation points where the cell's
         * paragraph would hyphenate ("immuno-" in a ragged Medicine cell). */
        ps.align = holder->style.align;
        ps.hyphenate = lay_hyphenate(holder, &holder->style);
        lay_para_recall(ctx, lp, &ps);
        vq_error e;
        vq_paragraph_style unhyphenated = ps;
        unhyphenated.hyphenate = VQ_SWITCH_OFF;
        double a, w, b; /* a failure is reported when the cell is set (inline.c) */
        if (vq_paragraph_layout(lp->p, &ps, &e) == VQ_OK &&
            vq_paragraph_min_width(lp->p, &unhyphenated, &w, &e) == VQ_OK &&
            vq_paragraph_min_width(lp->p, &ps, &a, &e) == VQ_OK &&
            vq_paragraph_max_width(lp->p, &ps, &b, &e) == VQ_OK) {
            double extra =
                holder->style.margin_start + holder->style.margin_end + holder->style.indent;
            if (a + extra > *mn)
                *mn = a + extra;
            if (w + extra > *whole)
                *whole = w + extra;
            if (b + extra > *mx)
                *mx = b + extra;
        }
        if (keep && keep->count++ == 0) {
            keep->lp = lay_retain(lp);
            keep->holder = holder;
            keep->margins = holder->style.margin_start + holder->style.margin_end;
        } else if (keep && keep->lp) {
            lay_unref(ctx, keep->lp);
            keep->lp = NULL;
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

/* Each cell's widest word and text on one line (its min- and max-content
 * widths, inset left out), its row and column, and its paragraph, for
 * choosing the columns that narrow when set widths give way. The lines
 * it takes at the last few widths tried are remembered. */
enum { CELL_MEMO = 8 };
typedef struct cell_text {
    struct {
        int row, col;
        double min, max, inset;
        cell_para para;
        double width[CELL_MEMO], lines[CELL_MEMO];
        int next;
    } * v;
    size_t n, cap;
} cell_text;

static void cell_text_add(cell_text *t, int row, int col, double min, double max, double inset,
                          const cell_para *para)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->v = vq_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    memset(&t->v[t->n], 0, sizeof t->v[t->n]);
    t->v[t->n].row = row;
    t->v[t->n].col = col;
    t->v[t->n].min = min;
    t->v[t->n].max = max;
    t->v[t->n].inset = inset;
    t->v[t->n].para = *para;
    for (int k = 0; k < CELL_MEMO; k++)
        t->v[t->n].width[k] = -1;
    t->n++;
}

static void cell_text_free(lay_ctx *ctx, cell_text *t)
{
    for (size_t i = 0; i < t->n; i++)
        lay_unref(ctx, t->v[i].para.lp);
    free(t->v);
}

/* The lines cell i takes in a column of width w: its paragraph set at
 * that measure, or, for a cell of several blocks, about its text over
 * the measure less half its widest word (what a line leaves empty when
 * the next word does not fit, on average). */
static double cell_lines(lay_ctx *ctx, cell_text *t, size_t i, double w)
{
    double measure = w - t->v[i].inset;
    if (t->v[i].max <= measure)
        return 1;
    for (int k = 0; k < CELL_MEMO; k++)
        if (t->v[i].width[k] == w)
            return t->v[i].lines[k];
    double n;
    const cell_para *cp = &t->v[i].para;
    if (cp->lp && ctx->status == VQ_OK &&
        lay_layout_para(ctx, cp->lp, NULL, &cp->holder->style, measure - cp->margins,
                        cp->holder->style.indent) == VQ_OK) {
        n = (double)vq_paragraph_line_count(cp->lp->p);
    } else {
        double fill = measure - t->v[i].min / 2;
        n = fill > 1 ? t->v[i].max / fill : t->v[i].max;
    }
    int k = t->v[i].next;
    t->v[i].width[k] = w;
    t->v[i].lines[k] = n;
    t->v[i].next = (k + 1) % CELL_MEMO;
    return n;
}

/* The table's height in lines (each row as tall as its fullest cell) with
 * the columns at widths, plus wrap_weight times all its cells' lines (a
 * quarter: of two ways to the same height, the one that wraps less, no
 * column squeezed to a word a line while its neighbour's cells are short
 * anyway). */
static double table_lines(lay_ctx *ctx, cell_text *t, const double *widths, double wrap_weight)
{
    double total = 0, row_most = 0, cells = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (i > 0 && t->v[i].row != t->v[i - 1].row) {
            total += row_most;
            row_most = 0;
        }
        double n = cell_lines(ctx, t, i, widths[t->v[i].col]);
        cells += n;
        if (n > row_most)
            row_most = n;
    }
    return total + row_most + cells * wrap_weight;
}

/* Takes deficit pt from the columns wider than mn, a step at a time from
 * the one whose narrowing makes the table least taller (of equals, the
 * widest): a column of short entries gives its slack first, and a column
 * of long prose (the notes of a medication table) keeps its measure while
 * another can give at less cost. Returns what is left unpaid. */
static double pay_deficit(lay_ctx *ctx, cell_text *t, int cols, const double *mn, double *widths,
                          double deficit)
{
    const double step = 1;
    while (deficit > 1e-6) {
        int payer = -1;
        double best = 0, take = 0;
        for (int c = 0; c < cols; c++) {
            double room = widths[c] - mn[c];
            if (room <= 1e-6)
                continue;
            double d = room < step ? room : step;
            if (d > deficit)
                d = deficit;
            widths[c] -= d;
            double cost = table_lines(ctx, t, widths, 0.25);
            widths[c] += d;
            if (payer < 0 || cost < best - 1e-9 ||
                (cost < best + 1e-9 && widths[c] > widths[payer])) {
                payer = c;
                best = cost;
                take = d;
            }
        }
        if (payer < 0)
            return deficit;
        widths[payer] -= take;
        deficit -= take;
    }
    return 0;
}

/* Whether any cell's text wraps at widths. */
static bool any_wraps(const cell_text *t, const double *widths)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].max > widths[t->v[i].col] - t->v[i].inset)
            return true;
    return false;
}

/* The table's height in lines with d pt moved from column a to column b. */
static double lines_moved(lay_ctx *ctx, cell_text *t, double *widths, int a, int b, double d)
{
    widths[a] -= d;
    widths[b] += d;
    double cost = table_lines(ctx, t, widths, 0);
    widths[a] += d;
    widths[b] -= d;
    return cost;
}

/* Room that a column's longest entry leaves empty in every row is no use
 * while another column's entries wrap: it moves to the column where it
 * shortens the table most, the least that does, until nothing gains (a
 * lab table's ranges in a narrow column, "229 THSD/CU" on two lines beside
 * a column of short test names). Only shares move: a column set as a
 * length (pt, mm) keeps its width. */
static void give_unused_room(lay_ctx *ctx, cell_text *t, int cols, const double *mx,
                             const bool *share, double *widths)
{
    for (int round = 0; round < 1000 && any_wraps(t, widths); round++) {
        double now = table_lines(ctx, t, widths, 0), best = now;
        int from = -1, to = -1;
        double amount = 0;
        for (int a = 0; a < cols; a++) {
            double room = share[a] ? floor(widths[a] - mx[a]) : 0;
            for (int b = 0; b < cols && room >= 1; b++) {
                if (b == a || !share[b])
                    continue;
                double all = lines_moved(ctx, t, widths, a, b, room);
                if (all >= now - 1e-9)
                    continue;
                /* The least whole number of points that gains as much
                 * (a column's lines only fall as it widens). */
                double lo = 0, hi = room;
                while (hi - lo > 1) {
                    double mid = floor((lo + hi) / 2);
                    if (lines_moved(ctx, t, widths, a, b, mid) <= all + 1e-9)
                        hi = mid;
                    else
                        lo = mid;
                }
                if (all < best - 1e-9 || (all < best + 1e-9 && hi < amount)) {
                    best = all;
                    from = a;
                    to = b;
                    amount = hi;
                }
            }
        }
        if (from < 0)
            return;
        widths[from] -= amount;
        widths[to] += amount;
    }
}

/* Fills widths[cols], mins[cols] (each column's widest piece with its
 * insets: a word, or its part before or after a hyphenation point where
 * the cell hyphenates) and wholes[cols] (its widest whole word); mins and
 * wholes start zeroed. */
static void column_widths(lay_ctx *ctx, const vq_node *t, int cols, double avail, double *widths,
                          double *mins, double *wholes)
{
    double tw = resolve(t->width, avail);
    bool fixed_width = tw > 0;
    if (!fixed_width)
        tw = avail;
    double *mn = mins, *mx = vq_xcalloc((size_t)cols, sizeof *mx);
    bool *is_auto = vq_xcalloc((size_t)cols, sizeof *is_auto);
    bool *share = vq_xcalloc((size_t)cols, sizeof *share);
    cell_text text = {0};
    double fixed = 0;
    for (int c = 0; c < cols; c++) {
        bool set = c < t->column_count && t->column_widths;
        double w = set ? resolve(t->column_widths[c], tw) : -1;
        widths[c] = w;
        is_auto[c] = w < 0;
        share[c] = !set || t->column_widths[c].unit != VQ_LEN_PT;
        if (w >= 0)
            fixed += w;
    }
    int row = 0;
    for (const vq_node *r = t->first_child; r; r = r->next) {
        if (r->kind != VQ_NODE_TABLE_ROW)
            continue;
        int col = 0;
        row++;
        for (const vq_node *c = r->first_child; c; c = c->next) {
            if (c->kind != VQ_NODE_TABLE_CELL)
                continue;
            int span = c->colspan > 0 ? c->colspan : 1;
            if (span == 1 && col < cols) {
                double a = 0, w = 0, b = 0;
                cell_para para = {0};
                measure_blocks(ctx, c->first_child, &a, &w, &b, &para);
                double in = 2 * cell_inset(t, c) + 0.5;
                if (a + in > mn[col])
                    mn[col] = a + in;
                if (w + in > wholes[col])
                    wholes[col] = w + in;
                if (b + in > mx[col])
                    mx[col] = b + in;
                cell_text_add(&text, row, col, a, b, in, &para);
            }
            col += span;
        }
    }
    double rem = tw - fixed, smin = 0, smax = 0;
    int autos = 0;
    for (int c = 0; c < cols; c++)
        if (is_auto[c]) {
            if (mx[c] < 12)
                mx[c] = mn[c] = wholes[c] = 12; /* an empty column keeps some room */
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
     * so no word is split without a hyphen in a narrow column. A column
     * gives below its widest whole word (hyphenating it) only when no
     * other can give. */
    double deficit = 0;
    for (int c = 0; c < cols; c++)
        if (widths[c] < mn[c]) {
            deficit += mn[c] - widths[c];
            widths[c] = mn[c];
        }
    for (int c = 0; c < cols; c++)
        if (wholes[c] < mn[c])
            wholes[c] = mn[c];
    deficit = pay_deficit(ctx, &text, cols, wholes, widths, deficit);
    pay_deficit(ctx, &text, cols, mn, widths, deficit);
    give_unused_room(ctx, &text, cols, mx, share, widths);
    free(mx);
    free(is_auto);
    free(share);
    cell_text_free(ctx, &text);
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

/* The columns of a table: their left edges, widths and widest words (with
 * insets), and the table's left edge, from the frame's left edge. */
typedef struct table_grid {
    double *xs, *widths, *mins, *wholes;
    int cols;
    double left;
} table_grid;

/* keep: the row stays with the one before it; keep_short: only when it is
 * a one-line row. *lines gets the row's line count. */
static vq_status build_row(lay_builder *b, const vq_node *t, const vq_node *r, lay_table *table,
                           const table_grid *g, bool header, bool keep, bool keep_short,
                           size_t *lines)
{
    const double *xs = g->xs, *widths = g->widths;
    int cols = g->cols;
    double left = g->left;
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
            cell->min_width += g->mins[k];
            cell->whole_width += g->wholes[k];
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

/* A table no taller than half a page is never cut: with its caption it
 * moves whole to the next page or column (and the heading before it
 * follows), so a patient never turns the page for the last appointments
 * or the rest of a short medication list. Its items are those from first. */
static void keep_short_table(lay_builder *b, size_t first)
{
    const vq_page_setup *pg = &b->ctx->doc->page;
    while (first < b->out->n && b->out->v[first].kind == LI_SPACE)
        first++;
    double height = 0;
    for (size_t i = first; i < b->out->n; i++)
        height += b->out->v[i].height;
    if (height > (pg->height - pg->margin_top - pg->margin_bottom) / 2)
        return;
    for (size_t i = first + 1; i < b->out->n; i++)
        b->out->v[i].no_break_before = true;
}

vq_status lay_build_table(lay_builder *b, const vq_node *t)
{
    lay_ctx *ctx = b->ctx;
    const vq_style *st = &t->style;
    lay_emit_space(b, st->space_before);
    size_t first = b->out->n;
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
    table_grid g = {.cols = cols};
    g.widths = vq_xcalloc((size_t)cols, sizeof *g.widths);
    g.xs = vq_xcalloc((size_t)cols, sizeof *g.xs);
    g.mins = vq_xcalloc((size_t)cols, sizeof *g.mins);
    g.wholes = vq_xcalloc((size_t)cols, sizeof *g.wholes);
    double *widths = g.widths, *xs = g.xs;
    column_widths(ctx, t, cols, avail, widths, g.mins, g.wholes);
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
    g.left = rtl ? x : left;

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
        s = build_row(b, t, r, table, &g, header, keep, keep_short, &prev_lines);
        prev_header = header;
        index++;
    }
    keep_short_table(b, first);
    lay_unref(ctx, table);
    free(g.widths);
    free(g.xs);
    free(g.mins);
    free(g.wholes);
    b->pending_space = st->space_after;
    b->snode = save_snode;
    return s;
}
