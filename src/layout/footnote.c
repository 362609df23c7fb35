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
    char num[32];
    lay_format_number(num, sizeof num, fn->number, &mark);
    lay_para *lp = lay_para_new(ctx);
    lay_add_plain(ctx, lp->p, num, &mark);
    vq_text_style space = st.text;
    space.size *= scale;
    lay_add_plain(ctx, lp->p, " ", &space);
    lay_add_inlines(ctx, lp->p, fn->first_child, NULL, 0, scale);
    double w = ctx->col_width > 10 ? ctx->col_width : 10;
    if (lay_layout_para(ctx, lp, fn, &st, w, 0) == VQ_OK) {
        lay_builder nb;
        lay_builder_init(&nb, ctx, &note->lines, w);
        lay_emit_lines(&nb, lp, NULL, 0);
        lay_builder_finish(&nb);
    }
    lay_unref(ctx, lp);
    note->height = lay_vec_height(&note->lines) + NOTE_GAP;
    return note;
}

void lay_attach_notes(lay_ctx *ctx, lay_item *it, const vq_paragraph *p, const vq_line *line)
{
    (void)p;
    for (size_t r = 0; r < line->run_count; r++) {
        int tag = line->runs[r].tag;
        if (tag <= 0 || (size_t)tag >= ctx->tag_n || !ctx->tags[tag].footnote)
            continue;
        lay_tag *t = &ctx->tags[tag];
        if (!t->note)
            t->note = make_note(ctx, t->footnote);
        bool seen = false;
        for (size_t k = 0; k < it->note_count; k++)
            seen |= it->notes[k] == t->note;
        if (seen)
            continue;
        it->notes = vq_xrealloc(it->notes, (it->note_count + 1) * sizeof *it->notes);
        it->notes[it->note_count++] = lay_retain(t->note);
    }
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
