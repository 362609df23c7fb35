/* Footnotes: a mark in the text, its note at the foot of the page the mark
 * lands on, set at the column's width under a short rule. The note is made
 * when the line holding its mark is made; flow.c reserves its height in the
 * frame before it accepts that line. */
#include <string.h>

#include "layout/lay.h"

enum { NOTE_GAP = 2 };
static const double RULE_SPACE = 10; /* room taken by the rule above the notes */

static void note_destroy(lay_ctx *ctx, lay_ref *r)
{
    lay_note *note = (lay_note *)r;
    lay_vec_release(ctx, &note->lines);
    free(note);
}

static lay_note *make_note(lay_ctx *ctx, const vq_node *fn)
{
    lay_note *note = vq_xcalloc(1, sizeof *note);
    note->ref.refs = 1;
    note->ref.destroy = note_destroy;
    vq_style st = fn->style;
    st.indent = 0;
    st.space_before = st.space_after = 0;
    st.margin_start = st.margin_end = 0;
    st.dir = ctx->doc->dir != VQ_DIR_AUTO ? ctx->doc->dir : st.dir;
    if (st.align == VQ_ALIGN_JUSTIFY)
        st.align = VQ_ALIGN_START;
    const double scale = 1.0; /* the markup already sets notes at 0.8x */
    vq_text_style mark = st.text;
    mark.size *= scale;
    mark.size_scale = 0.7;
    mark.baseline_shift = mark.size * 0.35;
    char num[64];
    lay_format_mark(num, sizeof num, fn, &mark);
    lay_para *lp = lay_para_new(ctx);
    if (*num) { /* mark="" : a note with no mark at all */
        lay_add_plain(ctx, lp->p, num, &mark);
        vq_text_style space = st.text;
        space.size *= scale;
        lay_add_plain(ctx, lp->p, " ", &space);
    }
    lay_add_inlines(ctx, lp->p, fn->first_child, NULL, 0, scale);
    double w = ctx->col_width > 10 ? ctx->col_width : 10;
    if (lay_layout_para(ctx, lp, fn, &st, w, 0) == VQ_OK) {
        lay_builder nb;
        lay_builder_init(&nb, ctx, &note->lines, w);
        nb.leaf = lay_snode_new(ctx, "Note", NULL, fn, true);
        if (nb.leaf)
            nb.leaf->floating = true;
        lay_emit_lines(&nb, lp, NULL, 0);
        lp->role = "note"; /* for the layout dump */
        lay_builder_finish(&nb);
    }
    lay_unref(ctx, lp);
    note->height = lay_vec_height(&note->lines) + NOTE_GAP;
    return note;
}

static bool is_note_tag(const lay_ctx *ctx, int tag)
{
    return tag > 0 && (size_t)tag < ctx->tag_n && ctx->tags[tag].footnote;
}

static bool hidden_mark(const vq_node *fn)
{
    return fn->mark && !fn->mark_in_text;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void lay_attach_notes(lay_ctx *ctx, lay_item *it, const vq_paragraph *p, const vq_line *line)
{
    /* The notes called on this line, in document order (tags are made in
     * that order): marks in its runs, and on the paragraph's first line the
     * notes whose mark is not in the text. Collected before any note is
     * made, since making one adds inlines of its own. */
    size_t cap = line->run_count + 8, n = 0;
    int *tags = vq_xmalloc(cap * sizeof *tags);
    for (size_t r = 0; r < line->run_count; r++)
        if (is_note_tag(ctx, line->runs[r].tag))
            tags[n++] = line->runs[r].tag;
    if (p == ctx->hidden_para && line == vq_paragraph_line(p, 0)) {
        for (size_t t = ctx->para_tag_start; t < ctx->tag_n; t++) {
            if (!is_note_tag(ctx, (int)t) || !hidden_mark(ctx->tags[t].footnote))
                continue;
            if (n == cap)
                tags = vq_xrealloc(tags, (cap *= 2) * sizeof *tags);
            tags[n++] = (int)t;
        }
        ctx->hidden_para = NULL; /* taken: a reused paragraph must not take them again */
    }
    qsort(tags, n, sizeof *tags, cmp_int);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && tags[i] == tags[i - 1])
            continue;
        if (!ctx->tags[tags[i]].note) {
            /* Making a note may add tags (links in it) and move the array. */
            lay_note *note = make_note(ctx, ctx->tags[tags[i]].footnote);
            ctx->tags[tags[i]].note = note;
        }
        lay_tag *t = &ctx->tags[tags[i]];
        bool seen = false;
        for (size_t k = 0; k < it->note_count; k++)
            seen |= it->notes[k] == t->note;
        if (seen)
            continue;
        it->notes = vq_xrealloc(it->notes, (it->note_count + 1) * sizeof *it->notes);
        it->notes[it->note_count++] = lay_retain(t->note);
    }
    free(tags);
}

double lay_notes_block_height(double notes_h)
{
    return notes_h > 0 ? notes_h + RULE_SPACE : 0;
}

void lay_draw_notes(lay_ctx *ctx, lay_note *const *notes, size_t count, double x, double width,
                    double bottom)
{
    if (!count || !ctx->cr)
        return;
    double total = 0;
    for (size_t i = 0; i < count; i++)
        total += notes[i]->height;
    double y = bottom - total;
    lay_struct_enter(ctx, NULL); /* the rule is no paragraph's */
    cairo_t *cr = ctx->cr;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.5);
    double rule = width / 4 < 72 ? width / 4 : 72;
    double rx = ctx->doc->dir == VQ_DIR_RTL ? x + width - rule : x;
    cairo_move_to(cr, rx, y - RULE_SPACE / 2);
    cairo_line_to(cr, rx + rule, y - RULE_SPACE / 2);
    cairo_stroke(cr);
    cairo_restore(cr);
    for (size_t i = 0; i < count; i++) {
        lay_draw_items(ctx, notes[i]->lines.v, notes[i]->lines.n, x, y);
        y += notes[i]->height;
    }
}
