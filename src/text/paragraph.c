/* The paragraph engine's entry points: collect styled text, run the steps,
 * hand out lines, dump each stage for golden tests.
 *
 * A paragraph is prepared once (normalize → bidi → itemize → shape → find
 * break opportunities) and laid out at any width after that (choose
 * breaks → justify → reorder) without shaping again, except the pieces a
 * break cuts where HarfBuzz says the glyphs there depend on context. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uscript.h>

#include "base/hash.h"
#include "base/utf8.h"
#include "text/internal.h"
#include "text/uprops.h"

void vq_text_grow_to(void *array, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void **a = array;
    *a = vq_xrealloc(*a, c * elem);
    *cap = c;
}

void vq_paragraph_style_init(vq_paragraph_style *ps, double width)
{
    memset(ps, 0, sizeof *ps);
    ps->dir = VQ_DIR_AUTO;
    ps->align = VQ_ALIGN_START;
    ps->width = width;
    ps->line_height = 0;
    ps->isolate_units = true;
}

static void destroy_owned(void *p)
{
    vq_paragraph_destroy(p);
}

vq_paragraph *vq_paragraph_create(vq_font_registry *fonts)
{
    vq_uprops_init();
    vq_paragraph *p = vq_xcalloc(1, sizeof *p);
    p->fonts = fonts;
    /* Its ICU and HarfBuzz objects are released if memory runs out. */
    vq_heap_own(p, destroy_owned);
    return p;
}

void vq_paragraph_destroy(vq_paragraph *p)
{
    if (!p)
        return;
    vq_heap_disown(p);
    vq_buf_free(&p->raw);
    vq_buf_free(&p->text);
    free(p->spans);
    free(p->levels);
    free(p->u16);
    free(p->byte_to_u16);
    if (p->line_bidi)
        ubidi_close(p->line_bidi);
    if (p->bidi)
        ubidi_close(p->bidi);
    free(p->unit_ranges);
    free(p->items);
    hb_buffer_destroy(p->hb);
    free(p->cg);
    free(p->glyphs);
    free(p->x_prefix);
    free(p->space_prefix);
    if (p->line_iter)
        ubrk_close(p->line_iter);
    if (p->char_iter)
        ubrk_close(p->char_iter);
    if (p->utext)
        utext_close(p->utext);
    free(p->breaks);
    free(p->kashidas);
    free(p->hyphs);
    free(p->hyph_done);
    free(p->cand);
    free(p->line_spans);
    free(p->scratch);
    free(p->pieces);
    free(p->out_glyphs);
    free(p->runs);
    free(p->lines);
    free(p->line_first_run);
    free(p);
}

void vq_paragraph_reset(vq_paragraph *p)
{
    vq_buf_clear(&p->raw);
    p->span_count = 0;
    p->bad_utf8 = false;
    p->prepared = false;
    p->prepare_count = 0; /* a new paragraph */
    p->line_count = 0;
    p->run_count = 0;
}

void vq_paragraph_add_text(vq_paragraph *p, const char *utf8, size_t len,
                           const vq_text_style *style)
{
    static const vq_text_style fallback = {.size = 12, .weight = 400};
    size_t bad;
    if (!p->bad_utf8 && !vq_utf8_valid(utf8, len, &bad)) {
        p->bad_utf8 = true;
        p->bad_offset = p->raw.len + bad;
    }
    vq_text_grow(&p->spans, &p->span_cap, p->span_count + 1, sizeof *p->spans);
    vq_span *sp = &p->spans[p->span_count++];
    sp->raw_start = p->raw.len;
    vq_buf_append(&p->raw, utf8, len);
    sp->raw_end = p->raw.len;
    sp->style = style ? *style : fallback;
    if (!(sp->style.size > 0))
        sp->style.size = 12;
    p->prepared = false;
}

static uint64_t hash_string(uint64_t h, const char *s)
{
    return s ? vq_hash_bytes(vq_hash_word(h, 1), s, strlen(s) + 1) : vq_hash_word(h, 0);
}

static uint64_t hash_double(uint64_t h, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return vq_hash_word(h, bits);
}

uint64_t vq_paragraph_input_hash(const vq_paragraph *p)
{
    uint64_t h = vq_hash_bytes(VQ_HASH_SEED, p->raw.data, p->raw.len);
    for (size_t i = 0; i < p->span_count; i++) {
        const vq_span *sp = &p->spans[i];
        const vq_text_style *st = &sp->style;
        h = vq_hash_word(h, sp->raw_end);
        h = hash_string(h, st->family);
        h = hash_double(h, st->size);
        h = vq_hash_word(h, (uint64_t)st->weight);
        h = vq_hash_word(h, st->italic);
        h = hash_string(h, st->lang);
        h = vq_hash_word(h, st->color);
        h = hash_double(h, st->baseline_shift);
        h = hash_double(h, st->size_scale);
        h = vq_hash_word(h, (uint64_t)st->digits);
        h = vq_hash_word(h, (uint64_t)st->tag);
    }
    return h;
}

static bool same_string(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_style(const vq_text_style *a, const vq_text_style *b)
{
    return same_string(a->family, b->family) && a->size == b->size && a->weight == b->weight &&
           a->italic == b->italic && same_string(a->lang, b->lang) && a->color == b->color &&
           a->baseline_shift == b->baseline_shift && a->size_scale == b->size_scale &&
           a->digits == b->digits && a->tag == b->tag;
}

bool vq_paragraph_same_input(const vq_paragraph *a, const vq_paragraph *b)
{
    if (a->raw.len != b->raw.len || a->span_count != b->span_count || a->bad_utf8 || b->bad_utf8 ||
        (a->raw.len && memcmp(a->raw.data, b->raw.data, a->raw.len) != 0))
        return false;
    for (size_t i = 0; i < a->span_count; i++)
        if (a->spans[i].raw_start != b->spans[i].raw_start ||
            a->spans[i].raw_end != b->spans[i].raw_end ||
            !same_style(&a->spans[i].style, &b->spans[i].style))
            return false;
    return true;
}

bool vq_paragraph_is_prepared(const vq_paragraph *p)
{
    return p->prepared;
}

bool vq_paragraph_prepared_for(const vq_paragraph *p, const vq_paragraph_style *ps)
{
    return p->prepared && p->prep_dir == ps->dir && p->prep_normalize == ps->normalize_persian &&
           p->prep_isolate == ps->isolate_units;
}

/* Frees *array and says it holds nothing. */
static void drop(void *array, size_t *cap)
{
    void **a = array;
    free(*a);
    *a = NULL;
    *cap = 0;
}

/* What one layout works with and leaves behind (hyphenation marks, the
 * line iterator and bidi, HarfBuzz's buffer, candidate and scratch
 * arrays), freed: made again when used. The lines stay. */
static void drop_layout_work(vq_paragraph *p)
{
    p->hyph_count = 0;
    free(p->hyph_done);
    p->hyph_done = NULL;
    hb_buffer_destroy(p->hb);
    p->hb = NULL;
    /* The line iterator only prepares, the line's bidi lays out. */
    if (p->line_iter)
        ubrk_close(p->line_iter);
    p->line_iter = NULL;
    if (p->line_bidi)
        ubidi_close(p->line_bidi);
    p->line_bidi = NULL;
    drop(&p->cg, &p->cg_cap);
    drop(&p->cand, &p->cand_cap);
    p->cand_count = 0;
    drop(&p->line_spans, &p->line_cap);
    drop(&p->scratch, &p->scratch_cap);
    p->scratch_count = 0;
    drop(&p->pieces, &p->piece_cap);
    p->piece_count = 0;
}

void vq_paragraph_forget_layouts(vq_paragraph *p)
{
    drop_layout_work(p);
    p->line_count = p->run_count = p->out_count = 0;
    drop(&p->out_glyphs, &p->out_cap);
    drop(&p->runs, &p->run_cap);
    free(p->lines);
    p->lines = NULL;
    free(p->line_first_run);
    p->line_first_run = NULL;
    p->out_line_cap = 0;
}

void vq_paragraph_trim(vq_paragraph *p)
{
    drop_layout_work(p); /* the lines (lines, runs, out_glyphs, text) stay */
    p->prepared = false;
    p->kashida_ready = false;
    if (p->bidi)
        ubidi_close(p->bidi);
    p->bidi = NULL;
    free(p->levels);
    p->levels = NULL;
    drop(&p->u16, &p->u16_cap);
    p->u16_len = 0;
    free(p->byte_to_u16);
    p->byte_to_u16 = NULL;
    drop(&p->unit_ranges, &p->unit_cap);
    p->unit_count = 0;
    drop(&p->items, &p->item_cap);
    p->item_count = 0;
    drop(&p->glyphs, &p->glyph_cap);
    p->glyph_count = 0;
    free(p->x_prefix);
    p->x_prefix = NULL;
    free(p->space_prefix);
    p->space_prefix = NULL;
    if (p->char_iter)
        ubrk_close(p->char_iter);
    p->char_iter = NULL;
    if (p->utext)
        utext_close(p->utext);
    p->utext = NULL;
    drop(&p->breaks, &p->break_cap);
    p->break_count = 0;
    drop(&p->kashidas, &p->kashida_cap);
    p->kashida_count = 0;
    drop(&p->hyphs, &p->hyph_cap);
}

void vq_paragraph_add_line_break(vq_paragraph *p)
{
    static const vq_text_style fallback = {.size = 12, .weight = 400};
    const vq_text_style *st = p->span_count ? &p->spans[p->span_count - 1].style : &fallback;
    vq_text_style copy = *st;
    vq_paragraph_add_text(p, "\xE2\x80\xA8", 3, &copy); /* LINE SEPARATOR */
}

static vq_status prepare(vq_paragraph *p, const vq_paragraph_style *ps, vq_error *err)
{
    if (vq_paragraph_prepared_for(p, ps))
        return VQ_OK;
    p->prepared = false;
    vq_text_normalize(p, ps);
    p->item_count = 0;
    p->glyph_count = 0;
    p->break_count = 0;
    p->unit_count = 0;
    /* Kashida and hyphenation points are found by the first layout that
     * needs them. */
    p->kashida_ready = false;
    p->kashida_count = p->hyph_count = 0;
    free(p->hyph_done);
    p->hyph_done = NULL;
    p->resolved_dir = ps->dir == VQ_DIR_RTL ? VQ_DIR_RTL : VQ_DIR_LTR;
    if (p->text.len > 0) {
        vq_status st = vq_text_bidi(p, ps, err);
        if (st != VQ_OK)
            return st;
        vq_text_itemize(p);
        vq_text_shape(p);
        st = vq_text_find_breaks(p, err);
        if (st != VQ_OK)
            return st;
    }
    p->prepared = true;
    p->prepare_count++;
    p->prep_dir = ps->dir;
    p->prep_normalize = ps->normalize_persian;
    p->prep_isolate = ps->isolate_units;
    return VQ_OK;
}

/* The text checked and prepared: what layout and measuring start from. */
static vq_status prepare_checked(vq_paragraph *p, const vq_paragraph_style *ps, vq_error *err)
{
    if (p->bad_utf8)
        return vq_error_set(err, VQ_ERR_INPUT, NULL, 0, 0, "invalid UTF-8 at byte offset %zu",
                            p->bad_offset);
    return prepare(p, ps, err);
}

vq_status vq_paragraph_layout(vq_paragraph *p, const vq_paragraph_style *ps, vq_error *err)
{
    p->line_count = 0;
    if (!(ps->width > 0) || !isfinite(ps->width))
        return vq_error_set(err, VQ_ERR_USAGE, NULL, 0, 0,
                            "paragraph width must be positive (got %g pt)", ps->width);
    vq_status st = prepare_checked(p, ps, err);
    if (st != VQ_OK)
        return st;
    vq_text_break_lines(p, ps);
    vq_text_build_lines(p, ps);
    return VQ_OK;
}

size_t vq_paragraph_line_count(const vq_paragraph *p)
{
    return p->line_count;
}

const vq_line *vq_paragraph_line(const vq_paragraph *p, size_t i)
{
    return i < p->line_count ? &p->lines[i] : NULL;
}

const char *vq_paragraph_text(const vq_paragraph *p, size_t *len)
{
    if (len)
        *len = p->text.len;
    return p->text.data ? p->text.data : "";
}

vq_dir vq_paragraph_direction(const vq_paragraph *p)
{
    return p->resolved_dir;
}

double vq_paragraph_demerits(const vq_paragraph *p)
{
    return p->demerits;
}

unsigned vq_paragraph_prepare_count(const vq_paragraph *p)
{
    return p->prepare_count;
}

unsigned vq_paragraph_kashida_searches(const vq_paragraph *p)
{
    return p->kashida_searches;
}

unsigned vq_paragraph_hyphenated_words(const vq_paragraph *p)
{
    return p->hyphenated_words;
}

unsigned vq_paragraph_shape_count(const vq_paragraph *p)
{
    return p->shape_count;
}

/* Widens *width to the piece [start, end) and its drawn extra (a hyphen),
 * the first indented. */
static void widen(vq_paragraph *p, const vq_paragraph_style *ps, size_t start, size_t end,
                  double extra, double *width)
{
    double x = vq_text_width(p, start, end) + extra;
    if (start == 0)
        x += ps->first_indent;
    if (x > *width)
        *width = x;
}

/* The widest of the pieces between breaks (min: every break, and every
 * hyphenation point when a layout in ps hyphenates; max: forced breaks
 * only), trailing spaces left out, the first indented. */
static vq_status widest_piece(vq_paragraph *p, const vq_paragraph_style *ps, bool hard_only,
                              double *width, vq_error *err)
{
    *width = 0;
    vq_status st = prepare_checked(p, ps, err);
    if (st != VQ_OK)
        return st;
    size_t min_word, h = 0, nh = 0;
    if (!hard_only && vq_text_hyphenates(ps, &min_word)) {
        vq_text_find_all_hyphens(p, min_word);
        nh = p->hyph_count;
    }
    size_t start = 0;
    for (size_t i = 0; i < p->break_count; i++) {
        if (hard_only && p->breaks[i].kind != VQ_BRK_HARD)
            continue;
        /* A point ends its piece with the hyphen drawn there. */
        for (; h < nh && p->hyphs[h].pos < p->breaks[i].pos; h++) {
            if (p->hyphs[h].pos <= start)
                continue;
            widen(p, ps, start, p->hyphs[h].pos, p->hyphs[h].extra, width);
            start = p->hyphs[h].pos;
        }
        /* Trailing spaces hang (content_end, found with the breaks). */
        size_t end = p->breaks[i].content_end > start ? p->breaks[i].content_end : start;
        widen(p, ps, start, end, 0, width);
        start = p->breaks[i].pos;
    }
    return VQ_OK;
}

vq_status vq_paragraph_min_width(vq_paragraph *p, const vq_paragraph_style *ps, double *width,
                                 vq_error *err)
{
    return widest_piece(p, ps, false, width, err);
}

vq_status vq_paragraph_max_width(vq_paragraph *p, const vq_paragraph_style *ps, double *width,
                                 vq_error *err)
{
    return widest_piece(p, ps, true, width, err);
}

/* ---- dumps ---- */

/* Invisible and format characters are written as \uXXXX so golden files
 * show them. */
static void dump_text(vq_buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = vq_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            vq_buf_printf(out, "\\x%02X", (unsigned char)s[i]);
            i++;
            continue;
        }
        if (cp < 0x20 || cp == 0xA0 || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
            (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0x061C ||
            cp == 0xFEFF || cp == '\\')
            vq_buf_printf(out, "\\u%04X", cp);
        else
            vq_buf_append(out, s + i, n);
        i += n;
    }
}

static const char *script_name(int script)
{
    const char *s = uscript_getShortName((UScriptCode)script);
    return s ? s : "Zyyy";
}

static void dump_runs(const vq_paragraph *p, vq_buf *out)
{
    vq_buf_append_str(out, "text: ");
    dump_text(out, p->text.data ? p->text.data : "", p->text.len);
    vq_buf_printf(out, "\ndirection: %s\n", p->resolved_dir == VQ_DIR_RTL ? "rtl" : "ltr");
    for (size_t i = 0; i < p->unit_count; i++) {
        size_t a = p->unit_ranges[2 * i], b = p->unit_ranges[2 * i + 1];
        vq_buf_printf(out, "units [%zu,%zu)%s: ", a, b, p->units_isolated ? " isolated" : "");
        dump_text(out, p->text.data + a, b - a);
        vq_buf_append_char(out, '\n');
    }
    for (size_t i = 0; i < p->item_count; i++) {
        const vq_item *it = &p->items[i];
        vq_buf_printf(out, "item %zu [%zu,%zu) level %u %s \"%s\" %d%s %gpt: ", i, it->start,
                      it->end, it->level, script_name(it->script), vq_face_family(it->face),
                      vq_face_weight(it->face), vq_face_italic(it->face) ? " italic" : "",
                      it->size);
        dump_text(out, p->text.data + it->start, it->end - it->start);
        vq_buf_append_char(out, '\n');
    }
}

/* The glyphs of each item as hb-shape prints them (font units; clusters
 * are byte offsets into the paragraph text). */
static void dump_glyphs(const vq_paragraph *p, vq_buf *out)
{
    for (size_t i = 0; i < p->item_count; i++) {
        const vq_item *it = &p->items[i];
        vq_buf_printf(out, "glyphs %zu: [", i);
        for (size_t k = 0; k < it->glyph_count; k++) {
            const vq_sglyph *g = &p->glyphs[it->glyph_start + k];
            vq_buf_printf(out, "%s%u=%u", k ? "|" : "", g->id, g->cluster);
            if (g->x_offset || g->y_offset)
                vq_buf_printf(out, "@%d,%d", g->x_offset, g->y_offset);
            vq_buf_printf(out, "+%d", g->x_advance);
        }
        vq_buf_append_str(out, "]\n");
    }
}

/* The text with its break opportunities marked where they fall: "|" after
 * a space or hyphen (soft), "||" forced or at the end; then each chosen
 * line. Offsets would say the same, but nobody can review a list of them. */
static void dump_breaks(const vq_paragraph *p, vq_buf *out)
{
    vq_buf_append_str(out, "breaks: ");
    size_t prev = 0;
    for (size_t i = 0; i < p->break_count; i++) {
        const vq_break *b = &p->breaks[i];
        dump_text(out, p->text.data + prev, b->pos - prev);
        vq_buf_append_str(out, b->kind == VQ_BRK_HARD ? "||" : "|");
        prev = b->pos;
    }
    vq_buf_append_char(out, '\n');
    /* Found only by a layout that hyphenates, or justifies with kashida. */
    size_t live = 0;
    for (size_t i = 0; i < p->hyph_count; i++)
        live += !p->hyphs[i].measured;
    if (live) {
        vq_buf_append_str(out, "hyphenation:");
        for (size_t i = 0; i < p->hyph_count; i++)
            if (!p->hyphs[i].measured)
                vq_buf_printf(out, " %zu", p->hyphs[i].pos);
        vq_buf_append_char(out, '\n');
    }
    if (p->kashida_on && p->kashida_count) {
        /* Each word's kashida place: the byte of the letter the tatweel
         * precedes, its rank, and the word. */
        vq_buf_append_str(out, "kashida:");
        for (size_t i = 0; i < p->kashida_count; i++) {
            const vq_kashida *k = &p->kashidas[i];
            vq_buf_printf(out, " %zu/%d ", k->pos, k->rank);
            dump_text(out, p->text.data + k->word_start, k->pos - k->word_start);
            vq_buf_append_char(out, '|');
            dump_text(out, p->text.data + k->pos, k->word_end - k->pos);
        }
        vq_buf_append_char(out, '\n');
    }
    for (size_t i = 0; i < p->line_count; i++) {
        const vq_line_span *ls = &p->line_spans[i];
        vq_buf_printf(out, "line %zu [%zu,%zu) natural %.2f%s: ", i, ls->start, ls->end,
                      vq_text_width(p, ls->start, ls->content_end),
                      ls->end_kind == VQ_BRK_EMERGENCY ? " (inside a word)" : "");
        dump_text(out, p->text.data + ls->start, ls->end - ls->start);
        vq_buf_append_char(out, '\n');
    }
}

/* Each line, its runs left to right and, with glyphs, each run's glyph ids,
 * clusters and advances (only shaping cases need those). */
static void dump_lines(const vq_paragraph *p, bool glyphs, vq_buf *out)
{
    for (size_t i = 0; i < p->line_count; i++) {
        const vq_line *ln = &p->lines[i];
        vq_buf_printf(out,
                      "line %zu [%zu,%zu) width %.2f natural %.2f ascent %.2f descent %.2f "
                      "height %.2f%s\n",
                      i, ln->text_start, ln->text_end, ln->width, ln->natural_width, ln->ascent,
                      ln->descent, ln->height, ln->last ? " last" : "");
        /* Runs left to right, each with its text in logical order. */
        vq_buf_append_str(out, "  visual:");
        size_t *order = vq_xmalloc((ln->run_count ? ln->run_count : 1) * sizeof *order);
        for (size_t k = 0; k < ln->run_count; k++) {
            size_t j = k;
            while (j > 0 && ln->runs[order[j - 1]].x > ln->runs[k].x) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = k;
        }
        for (size_t k = 0; k < ln->run_count; k++) {
            const vq_glyph_run *r = &ln->runs[order[k]];
            vq_buf_printf(out, " <%u:", r->level);
            dump_text(out, p->text.data + r->text_start, r->text_end - r->text_start);
            vq_buf_append_char(out, '>');
        }
        free(order);
        vq_buf_append_char(out, '\n');
        for (size_t k = 0; k < ln->run_count; k++) {
            const vq_glyph_run *r = &ln->runs[k];
            vq_buf_printf(out, "  run [%zu,%zu) level %u x %.2f width %.2f \"%s\" %gpt",
                          r->text_start, r->text_end, r->level, r->x, r->width,
                          vq_face_family(r->face), r->size);
            if (glyphs) {
                vq_buf_append_str(out, " [");
                for (size_t g = 0; g < r->glyph_count; g++) {
                    const vq_glyph *gl = &r->glyphs[g];
                    /* Added glyphs: ~ a kashida tatweel (with its offset when
                     * it overlaps), - a hyphenation point's hyphen. */
                    vq_buf_printf(out, "%s%s%u=%u", g ? "|" : "",
                                  gl->flags & VQ_GLYPH_KASHIDA  ? "~"
                                  : gl->flags & VQ_GLYPH_HYPHEN ? "-"
                                                                : "",
                                  gl->id, gl->cluster);
                    if ((gl->flags & VQ_GLYPH_KASHIDA) && gl->x_offset != 0)
                        vq_buf_printf(out, "@%.2f", gl->x_offset);
                    vq_buf_printf(out, "+%.2f", gl->x_advance);
                }
                vq_buf_append_char(out, ']');
            }
            vq_buf_append_char(out, '\n');
        }
    }
}

void vq_paragraph_dump(const vq_paragraph *p, unsigned what, vq_buf *out)
{
    if (what & VQ_DUMP_RUNS)
        dump_runs(p, out);
    if (what & VQ_DUMP_GLYPHS)
        dump_glyphs(p, out);
    if (what & VQ_DUMP_BREAKS)
        dump_breaks(p, out);
    if (what & VQ_DUMP_LINES)
        dump_lines(p, (what & VQ_DUMP_GLYPHS) != 0, out);
}
