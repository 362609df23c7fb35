/* Step 7: turn each chosen line into positioned glyph runs.
 *
 * A run is the part of one item on one line. Its glyphs come from the
 * paragraph's single shaping unless the line cuts the item where HarfBuzz
 * flagged HB_GLYPH_FLAG_UNSAFE_TO_BREAK; only then is that piece shaped
 * again. The line's levels come from ubidi_setLine (so rule L1 applies to
 * its end) and ubidi_reorderVisual gives the runs' visual order; runs stay
 * listed in logical order, each with its x. */
#include <stdlib.h>
#include <string.h>

#include "text/internal.h"

/* The first of the item's glyphs (visual order) that belongs to text at
 * or after pos in logical order: clusters ascend in LTR items and descend
 * in RTL ones. */
static size_t glyph_bound(const vq_paragraph *p, const vq_item *it, size_t pos)
{
    const vq_sglyph *g = p->glyphs + it->glyph_start;
    bool rtl = it->level & 1;
    size_t lo = 0, hi = it->glyph_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        bool before = rtl ? g[mid].cluster >= pos : g[mid].cluster < pos;
        if (before)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The glyphs of text [a, b) of the item: [*lo, *hi) of its glyphs. */
static void glyph_range(const vq_paragraph *p, const vq_item *it, size_t a, size_t b, size_t *lo,
                        size_t *hi)
{
    if (it->level & 1) {
        *lo = glyph_bound(p, it, b); /* first glyph with cluster < b */
        *hi = glyph_bound(p, it, a);
    } else {
        *lo = glyph_bound(p, it, a);
        *hi = glyph_bound(p, it, b);
    }
}

/* Whether cutting item it at byte pos (a line break) may change its
 * glyphs: HarfBuzz flags the first glyph after an unsafe place. */
static bool unsafe_cut(const vq_paragraph *p, const vq_item *it, size_t pos)
{
    if (pos <= it->start || pos >= it->end)
        return false;
    const vq_sglyph *g = p->glyphs + it->glyph_start;
    size_t lo, hi;
    glyph_range(p, it, pos, pos + 1, &lo, &hi);
    if (lo == hi)
        return true; /* pos falls inside a cluster */
    for (size_t k = lo; k < hi; k++)
        if (g[k].cluster == pos && (g[k].flags & HB_GLYPH_FLAG_UNSAFE_TO_BREAK))
            return true;
    return false;
}

/* The glyphs of item it that stand for text [a, b) of a line that runs
 * from break cut_a to break cut_b, appended to p->out_glyphs in pt;
 * returns the width. */
static double emit_glyphs(vq_paragraph *p, const vq_item *it, size_t a, size_t b, size_t cut_a,
                          size_t cut_b)
{
    const vq_sglyph *src;
    size_t n;
    if (unsafe_cut(p, it, cut_a) || unsafe_cut(p, it, cut_b)) {
        size_t ra = it->start > cut_a ? it->start : cut_a;
        size_t rb = it->end < cut_b ? it->end : cut_b;
        size_t first = vq_text_reshape(p, it, ra, rb, &n);
        src = p->scratch + first;
    } else {
        size_t lo, hi;
        glyph_range(p, it, a, b, &lo, &hi);
        src = p->glyphs + it->glyph_start + lo;
        n = hi - lo;
    }
    vq_text_grow(&p->out_glyphs, &p->out_cap, p->out_count + n, sizeof *p->out_glyphs);
    double width = 0;
    for (size_t k = 0; k < n; k++) {
        if (src[k].cluster < a || src[k].cluster >= b)
            continue;
        vq_glyph *g = &p->out_glyphs[p->out_count++];
        g->id = src[k].id;
        g->x_advance = (float)(src[k].x_advance * it->scale);
        g->x_offset = (float)(src[k].x_offset * it->scale);
        g->y_offset = (float)(src[k].y_offset * it->scale);
        g->cluster = src[k].cluster;
        g->flags = 0;
        width += g->x_advance;
    }
    return width;
}

/* A line that ends at a soft hyphen (U+00AD, whose own glyph is dropped)
 * shows a hyphen there, at the logical end of its last run. */
static void add_soft_hyphen(vq_paragraph *p, const vq_line_span *ls, vq_piece *pc)
{
    size_t shy = ls->content_end >= 2 ? ls->content_end - 2 : 0;
    if (ls->content_end < 2 || shy < pc->start || vq_text_cp_at(p, shy) != 0xAD ||
        pc->glyph_start + pc->glyph_count != p->out_count)
        return;
    uint32_t gid;
    double adv;
    if (!vq_text_hyphen_for(p, shy, &gid, &adv))
        return;
    vq_text_grow(&p->out_glyphs, &p->out_cap, p->out_count + 1, sizeof *p->out_glyphs);
    vq_glyph *g = p->out_glyphs + pc->glyph_start;
    size_t at = (pc->level & 1) ? 0 : pc->glyph_count; /* glyphs run left to right */
    memmove(g + at + 1, g + at, (pc->glyph_count - at) * sizeof *g);
    g[at] = (vq_glyph){.id = gid, .x_advance = (float)adv, .cluster = (uint32_t)shy};
    pc->glyph_count++;
    p->out_count++;
    pc->width += adv;
}

/* A line that ends at a hyphenation point shows a hyphen after its last
 * letter: a glyph of its own (VQ_GLYPH_HYPHEN), whose cluster is the break,
 * at the logical end of the last run. */
static void add_point_hyphen(vq_paragraph *p, const vq_line_span *ls, vq_piece *pc)
{
    uint32_t gid;
    double adv;
    if (ls->end == 0 || pc->glyph_start + pc->glyph_count != p->out_count ||
        !vq_text_hyphen_for(p, ls->end - 1, &gid, &adv))
        return;
    vq_text_grow(&p->out_glyphs, &p->out_cap, p->out_count + 1, sizeof *p->out_glyphs);
    vq_glyph *g = p->out_glyphs + pc->glyph_start;
    size_t at = (pc->level & 1) ? 0 : pc->glyph_count;
    memmove(g + at + 1, g + at, (pc->glyph_count - at) * sizeof *g);
    g[at] = (vq_glyph){
        .id = gid, .x_advance = (float)adv, .cluster = (uint32_t)ls->end, .flags = VQ_GLYPH_HYPHEN};
    pc->glyph_count++;
    p->out_count++;
    pc->width += adv;
}

static void line_metrics(const vq_paragraph *p, const vq_paragraph_style *ps, vq_line *ln,
                         size_t first_piece, size_t count, size_t start)
{
    double asc = 0, desc = 0, gap = 0, size = 0;
    size_t seen = 0;
    for (size_t k = 0; k <= count; k++) {
        const vq_item *it;
        if (k < count) {
            it = &p->items[p->pieces[first_piece + k].item];
        } else {
            if (seen)
                break;
            /* An empty line takes the metrics of the text where it starts:
             * the first item that ends after start (binary search, so that
             * many empty lines stay linear). */
            size_t lo = 0, hi = p->item_count - 1;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (p->items[mid].end <= start)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            it = &p->items[lo];
        }
        seen++;
        const vq_face *f = it->face;
        double shift = p->spans[it->span].style.baseline_shift;
        double a = vq_face_ascender(f) * it->scale + shift;
        double d = vq_face_descender(f) * it->scale - shift;
        double g = vq_face_line_gap(f) * it->scale;
        if (a > asc)
            asc = a;
        if (d > desc)
            desc = d;
        if (g > gap)
            gap = g;
        if (it->size > size)
            size = it->size;
    }
    ln->ascent = asc;
    ln->descent = desc;
    ln->height = ps->line_height > 0 ? ps->line_height * size : asc + desc + gap;
}

/* Left edge of the content, from the alignment and the first-line indent
 * (which sits at the start side). */
static double content_x(const vq_paragraph *p, const vq_paragraph_style *ps, bool first,
                        double content)
{
    bool rtl = p->resolved_dir == VQ_DIR_RTL;
    double indent = first ? ps->first_indent : 0;
    double left = rtl ? 0 : indent, right = rtl ? ps->width - indent : ps->width;
    vq_align a = ps->align;
    if (a == VQ_ALIGN_JUSTIFY || a == VQ_ALIGN_START)
        a = rtl ? VQ_ALIGN_RIGHT : VQ_ALIGN_LEFT;
    else if (a == VQ_ALIGN_END)
        a = rtl ? VQ_ALIGN_LEFT : VQ_ALIGN_RIGHT;
    switch (a) {
    case VQ_ALIGN_RIGHT:
        return right - content;
    case VQ_ALIGN_CENTER:
        return left + (right - left - content) / 2;
    default:
        return left;
    }
}

/* *item is the first item that may reach into the line: lines come in
 * order, so the walk over items is linear over the whole paragraph. */
static void build_line(vq_paragraph *p, const vq_paragraph_style *ps, size_t li, vq_line *ln,
                       size_t *item)
{
    const vq_line_span *ls = &p->line_spans[li];
    size_t first_piece = p->piece_count;
    size_t glyph_first = p->out_count;
    int32_t start16 = p->byte_to_u16[ls->start];
    UErrorCode status = U_ZERO_ERROR;
    if (!p->line_bidi)
        p->line_bidi = ubidi_open();
    ubidi_setLine(p->bidi, start16, p->byte_to_u16[ls->end], p->line_bidi, &status);
    bool have_line = U_SUCCESS(status);

    while (*item < p->item_count && p->items[*item].end <= ls->start)
        (*item)++;
    for (size_t i = *item; i < p->item_count; i++) {
        const vq_item *it = &p->items[i];
        if (it->end <= ls->start)
            continue;
        if (it->start >= ls->content_end)
            break;
        size_t a = it->start > ls->start ? it->start : ls->start;
        size_t b = it->end < ls->content_end ? it->end : ls->content_end;
        vq_text_grow(&p->pieces, &p->piece_cap, p->piece_count + 1, sizeof *p->pieces);
        vq_piece *pc = &p->pieces[p->piece_count];
        pc->item = i;
        pc->start = a;
        pc->end = b;
        pc->level =
            have_line ? ubidi_getLevelAt(p->line_bidi, p->byte_to_u16[a] - start16) : it->level;
        pc->glyph_start = p->out_count;
        pc->width = emit_glyphs(p, it, a, b, ls->start, ls->end);
        pc->glyph_count = p->out_count - pc->glyph_start;
        if (pc->glyph_count)
            p->piece_count++;
    }
    size_t count = p->piece_count - first_piece;
    if (count && ls->add_hyphen)
        add_point_hyphen(p, ls, &p->pieces[p->piece_count - 1]);
    else if (count && ls->end_kind == VQ_BRK_HYPHEN)
        add_soft_hyphen(p, ls, &p->pieces[p->piece_count - 1]);

    double natural = 0;
    for (size_t k = 0; k < count; k++)
        natural += p->pieces[first_piece + k].width;
    double avail = ps->width - (li == 0 ? ps->first_indent : 0);
    bool justified = ps->align == VQ_ALIGN_JUSTIFY && ls->end_kind != VQ_BRK_HARD;
    if (justified && count) {
        /* Kashida first takes its share (it inserts glyphs), then the
         * spaces take the rest. */
        double delta =
            vq_text_kashida_line(p, ls, first_piece, count, glyph_first, avail - natural);
        vq_text_justify(p, p->out_glyphs + glyph_first, p->out_count - glyph_first, delta);
        natural = 0;
        for (size_t k = 0; k < count; k++) {
            vq_piece *pc = &p->pieces[first_piece + k];
            pc->width = 0;
            for (size_t g = 0; g < pc->glyph_count; g++)
                pc->width += p->out_glyphs[pc->glyph_start + g].x_advance;
            natural += pc->width;
        }
    }

    /* Visual order of the runs; x from the left edge. */
    UBiDiLevel levels[64];
    int32_t map_small[64];
    UBiDiLevel *lv = count <= 64 ? levels : vq_xmalloc(count * sizeof *lv);
    int32_t *map = count <= 64 ? map_small : vq_xmalloc(count * sizeof *map);
    for (size_t k = 0; k < count; k++)
        lv[k] = p->pieces[first_piece + k].level;
    if (count)
        ubidi_reorderVisual(lv, (int32_t)count, map);
    double x = content_x(p, ps, li == 0, natural);
    double *xs = vq_xmalloc((count ? count : 1) * sizeof *xs);
    for (size_t v = 0; v < count; v++) {
        xs[map[v]] = x;
        x += p->pieces[first_piece + map[v]].width;
    }

    vq_text_grow(&p->runs, &p->run_cap, p->run_count + count, sizeof *p->runs);
    p->line_first_run[li] = p->run_count;
    for (size_t k = 0; k < count; k++) {
        const vq_piece *pc = &p->pieces[first_piece + k];
        const vq_item *it = &p->items[pc->item];
        const vq_text_style *st = &p->spans[it->span].style;
        vq_glyph_run *r = &p->runs[p->run_count++];
        r->face = it->face;
        r->size = it->size;
        r->color = st->color;
        r->baseline_shift = st->baseline_shift;
        r->tag = st->tag;
        r->level = pc->level;
        r->x = xs[k];
        r->width = pc->width;
        r->glyphs = NULL; /* fixed once out_glyphs stops moving */
        r->glyph_count = pc->glyph_count;
        r->text_start = pc->start;
        r->text_end = pc->end;
    }
    free(xs);
    if (lv != levels)
        free(lv);
    if (map != map_small)
        free(map);

    ln->width = ps->width;
    ln->natural_width = natural + (li == 0 ? ps->first_indent : 0);
    ln->run_count = count;
    ln->text_start = ls->start;
    ln->text_end = ls->end;
    ln->last = li + 1 == p->line_count;
    line_metrics(p, ps, ln, first_piece, count, ls->start);
}

void vq_text_build_lines(vq_paragraph *p, const vq_paragraph_style *ps)
{
    p->scratch_count = 0;
    p->piece_count = 0;
    p->out_count = 0;
    p->run_count = 0;
    if (p->line_count > p->out_line_cap) {
        p->out_line_cap = p->line_count;
        p->lines = vq_xrealloc(p->lines, p->out_line_cap * sizeof *p->lines);
        p->line_first_run = vq_xrealloc(p->line_first_run, p->out_line_cap * sizeof(size_t));
    }
    size_t item = 0;
    for (size_t li = 0; li < p->line_count; li++)
        build_line(p, ps, li, &p->lines[li], &item);
    /* Runs share p->out_glyphs, which may have moved while growing. */
    for (size_t li = 0; li < p->line_count; li++) {
        vq_line *ln = &p->lines[li];
        ln->runs = p->runs ? p->runs + p->line_first_run[li] : NULL; /* no run yet: none */
    }
    size_t k = 0;
    for (size_t r = 0; r < p->run_count; r++) {
        while (k < p->piece_count && p->pieces[k].glyph_count == 0)
            k++;
        p->runs[r].glyphs = p->out_glyphs + p->pieces[k].glyph_start;
        k++;
    }
}
