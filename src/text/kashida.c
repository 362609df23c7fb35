/* Kashida justification for Persian (and Arabic): justified lines lengthen
 * words with tatweel strokes as well as widening their spaces.
 *
 * Where (once per text): each word gets at most one candidate, its best
 * join by the priority list Persian and Arabic typesetters follow (after a
 * typed tatweel; after an initial or medial seen or sad; before a final heh,
 * teh marbuta, or a dal; before alef or a final lam, tah, kaf or gaf;
 * before a medial beh-like letter that precedes reh or yeh; before waw or a
 * final ain, qaf or feh; before reh or any other final letter; else any
 * join), ties going to the join nearest the word's end, and only among the
 * joins HarfBuzz marks HB_GLYPH_FLAG_SAFE_TO_INSERT_TATWEEL: there a
 * tatweel changes no glyph of the word, so none is shaped again.
 *
 * How much (per line): the breaker (linebreak.c) counts each candidate's
 * stretch beside the spaces', so a line's slack is shared by kashida and
 * spaces in proportion. Here the kashida share goes to as many words as
 * get at least one whole tatweel each, best-ranked words first; each
 * chosen word gets the same multiple of its tatweel, drawn as that many
 * tatweel glyphs with the last one moved back to overlap the one before,
 * so that the width is exact. A word takes at most VQ_KASHIDA_WORD_MAX
 * tatweels; what kashida cannot take goes to the spaces.
 *
 * As what (per kashida): where the face has kashida composites for the
 * letter left of the join (fonts/convert.py: the letter with a tatweel
 * stroke on its right, one, one and a half or two tatweels long), that letter's glyph becomes
 * the composite whose step is nearest the word's share; what the step
 * leaves or takes beyond is carried to the next kashida, the last rest to
 * the spaces. Its text stays the letter's, so extractors read the word
 * exactly as without kashida. Elsewhere each tatweel is its own glyph with
 * the flag VQ_GLYPH_KASHIDA, which the renderer gives the text U+200D:
 * extractors then read the word whole, with a ZWJ inside
 * (docs/copyout.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base/utf8.h"
#include "text/internal.h"
#include "text/uprops.h"

enum { MAX_LETTERS = 64 };
/* How far (em) a letter's ink may reach past its side of a join: joining
 * strokes overlap their neighbours a little. */
static const double JOIN_OVERHANG = 0.05;

/* ---- the face's tatweel ---- */

/* The tatweel glyph as drawn between two joined letters (Amiri's nominal
 * U+0640 is empty; its joined form is another glyph), from shaping
 * beh + tatweel + beh once per face. Kept with the face (on its hb_font,
 * like the shaping cache): every paragraph of the registry shares it and
 * the ink edges read so far. */
static hb_user_data_key_t tatweel_key;

static void tatweel_free(void *data)
{
    struct vq_tatweel *t = data;
    free(t->ink);
    free(t->composite);
    free(t->step_units);
    free(t);
}

static struct vq_tatweel *tatweel_of(hb_buffer_t *b, const vq_face *face)
{
    hb_font_t *font = vq_face_hb_font(face);
    struct vq_tatweel *t = hb_font_get_user_data(font, &tatweel_key);
    if (t)
        return t;
    t = vq_xcalloc(1, sizeof *t);
    t->face = face;
    t->glyph_count = hb_face_get_glyph_count(hb_font_get_face(font));
    static const char sample[] = "\xD8\xA8\xD9\x80\xD8\xA8"; /* U+0628 U+0640 U+0628 */
    hb_buffer_clear_contents(b);
    hb_buffer_set_direction(b, HB_DIRECTION_RTL);
    hb_buffer_set_script(b, HB_SCRIPT_ARABIC);
    hb_buffer_set_language(b, hb_language_from_string("fa", -1));
    hb_buffer_set_cluster_level(b, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    hb_buffer_add_utf8(b, sample, 6, 0, 6);
    hb_shape(font, b, NULL, 0);
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, NULL);
    hb_codepoint_t nominal = 0;
    bool has = hb_font_get_nominal_glyph(font, 0x0640, &nominal);
    for (unsigned i = 0; has && i < n; i++)
        if (info[i].cluster == 2 && info[i].codepoint != 0 && pos[i].x_advance > 0) {
            t->glyph = info[i].codepoint;
            t->advance = pos[i].x_advance;
        }
    if (!hb_font_set_user_data(font, &tatweel_key, t, tatweel_free, false)) {
        /* Out of memory in HarfBuzz: no kashida in this face. */
        static struct vq_tatweel none;
        tatweel_free(t);
        return &none;
    }
    return t;
}

static void destroy_buffer(void *b)
{
    hb_buffer_destroy(b);
}

uint32_t vq_face_tatweel_glyph(const vq_face *face)
{
    struct vq_tatweel *t = hb_font_get_user_data(vq_face_hb_font(face), &tatweel_key);
    if (!t) {
        hb_buffer_t *b = hb_buffer_create();
        vq_heap_own(b, destroy_buffer); /* released if memory runs out */
        t = tatweel_of(b, face);
        vq_heap_disown(b);
        hb_buffer_destroy(b);
    }
    return t->glyph;
}

/* The left and right edge of glyph g's ink, font units from its origin
 * (read once per glyph and face). */
static const int32_t *ink_of(struct vq_tatweel *t, uint32_t g)
{
    static const int32_t none[2] = {0, 0};
    if (g >= t->glyph_count)
        return none;
    if (!t->ink) {
        t->ink = vq_xmalloc(t->glyph_count * sizeof *t->ink);
        for (unsigned i = 0; i < t->glyph_count; i++)
            t->ink[i][0] = INT32_MIN;
    }
    if (t->ink[g][0] == INT32_MIN) {
        hb_glyph_extents_t e;
        if (!hb_font_get_glyph_extents(vq_face_hb_font(t->face), g, &e))
            e.x_bearing = e.width = 0;
        t->ink[g][0] = e.x_bearing;
        t->ink[g][1] = e.x_bearing + e.width;
    }
    return t->ink[g];
}

/* The letter and step of kashida composite g: its name, vqk<letter>.<step>. */
static bool composite_name(hb_font_t *font, uint32_t g, unsigned *letter, unsigned *step)
{
    char name[32], *end;
    if (!hb_font_get_glyph_name(font, g, name, sizeof name) || strncmp(name, "vqk", 3) != 0)
        return false;
    *letter = (unsigned)strtoul(name + 3, &end, 10);
    if (*end != '.')
        return false;
    *step = (unsigned)strtoul(end + 1, &end, 10);
    return *end == 0;
}

/* The first kashida composite of letter form g (its shortest stroke; the
 * longer ones follow it), 0 when the face has none for it. Found by
 * halving the face's composites, which are ordered by letter, once per
 * glyph and face; the number of steps once per face, from the names of the
 * first and the last. */
static uint32_t composite_of(struct vq_tatweel *t, uint32_t g)
{
    if (g >= t->glyph_count)
        return 0;
    if (!t->composite) {
        t->composite = vq_xmalloc(t->glyph_count * sizeof *t->composite);
        for (unsigned i = 0; i < t->glyph_count; i++)
            t->composite[i] = UINT32_MAX;
        size_t count;
        uint32_t first = vq_face_kashida_composites(t->face, &count);
        unsigned letter, last;
        hb_font_t *font = vq_face_hb_font(t->face);
        if (count && composite_name(font, first, &letter, &t->first_step) &&
            composite_name(font, first + (uint32_t)count - 1, &letter, &last) &&
            last >= t->first_step)
            t->steps = last - t->first_step + 1;
    }
    if (t->composite[g] == UINT32_MAX) {
        hb_font_t *font = vq_face_hb_font(t->face);
        size_t count;
        uint32_t first = vq_face_kashida_composites(t->face, &count);
        size_t lo = 0, hi = t->steps ? count / t->steps : 0; /* in letters */
        t->composite[g] = 0;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            uint32_t c = first + (uint32_t)(mid * t->steps);
            unsigned letter, step;
            if (!composite_name(font, c, &letter, &step) || step != t->first_step)
                break; /* not the font convert.py makes */
            if (letter == g) {
                t->composite[g] = c;
                break;
            }
            if (letter < g)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    return t->composite[g];
}

/* ---- candidates (once per text) ---- */

typedef struct letter {
    size_t pos;
    uint32_t cp;
    int jt; /* UJoiningType */
    int jg; /* UJoiningGroup */
} letter;

/* Letters of a word, ZWNJ aside. */
static size_t letter_count(const letter *l, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += l[i].cp != 0x200C;
    return count;
}

static bool joins_forward(const letter *l)
{
    return l->jt == U_JT_DUAL_JOINING || l->jt == U_JT_JOIN_CAUSING;
}

static bool joins_back(const letter *l)
{
    return l->jt == U_JT_DUAL_JOINING || l->jt == U_JT_RIGHT_JOINING || l->jt == U_JT_JOIN_CAUSING;
}

static bool joined(const letter *a, const letter *b)
{
    return joins_forward(a) && joins_back(b);
}

static bool group_in(int g, const int *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == g)
            return true;
    return false;
}
#define IN(g, ...)                                                                                 \
    group_in(g, (const int[]){__VA_ARGS__}, sizeof((int[]){__VA_ARGS__}) / sizeof(int))

static bool yeh_like(int g)
{
    return IN(g, U_JG_YEH, U_JG_FARSI_YEH, U_JG_YEH_BARREE, U_JG_BURUSHASKI_YEH_BARREE);
}

/* The rank of the join before letter k of the word (lower is better), 0
 * where the rules forbid a kashida. */
static int rank_join(const letter *l, size_t n, size_t k)
{
    const letter *prev = &l[k - 1], *next = &l[k];
    /* The next letter ends its joined group: its final form. */
    bool final = k + 1 == n || !joined(next, &l[k + 1]);
    int pg = prev->jg, ng = next->jg;
    if (prev->cp == 0x0640)
        return 1;
    if (pg == U_JG_LAM && ng == U_JG_ALEF)
        return 0; /* the lam-alef ligature */
    if (k + 1 < n && l[k + 1].cp == 0x200C)
        return 0; /* never next to a ZWNJ (ملاحظه‌ای: extractors split the word there) */
    if (pg == U_JG_SEEN || pg == U_JG_SAD)
        return 2;
    if (yeh_like(ng) && final)
        return 0; /* never before a final yeh */
    if (ng == U_JG_TEH_MARBUTA || ng == U_JG_TEH_MARBUTA_GOAL || ng == U_JG_DAL ||
        (final && IN(ng, U_JG_HEH, U_JG_HEH_GOAL, U_JG_KNOTTED_HEH)))
        return 3;
    if (ng == U_JG_ALEF || (final && IN(ng, U_JG_LAM, U_JG_TAH, U_JG_KAF, U_JG_GAF)))
        return 4;
    if (!final && (IN(ng, U_JG_BEH, U_JG_NOON) || yeh_like(ng)) &&
        (l[k + 1].jg == U_JG_REH || yeh_like(l[k + 1].jg)))
        return 5;
    if (ng == U_JG_WAW || (final && IN(ng, U_JG_AIN, U_JG_QAF, U_JG_FEH)))
        return 6;
    if (ng == U_JG_REH || final)
        return 7;
    return 8;
}

/* A word of one or two letters (از, با, که) is never lengthened: a stroke
 * there reads as a gap between two letters, not as a stretched word. */
enum { MIN_LETTERS = 3 };

/* Is the code point part of a word for kashida (letters, marks, ZWNJ)? */
static bool word_char(uint32_t cp)
{
    if (cp == 0x200C || cp == 0x200D)
        return true;
    uint32_t mask = U_MASK(vq_uprops_type(cp));
    return (mask & (U_GC_L_MASK | U_GC_M_MASK)) != 0;
}

/* What a join needs to know of the glyphs of one cluster. */
typedef struct cluster_info {
    size_t cluster;
    bool safe;      /* HarfBuzz: a tatweel may go just before it */
    bool raised;    /* a spacing glyph of it sits off the baseline */
    uint32_t glyph; /* its spacing glyph, as placed */
    int32_t x_offset, x_advance;
} cluster_info;

/* The item's clusters, ascending. A join may take a tatweel only where
 * HarfBuzz flags it safe and both letters sit on the baseline: Amiri
 * stacks some pairs by cursive attachment (initial meem over hah, sad over
 * hah), and a tatweel drawn at the baseline between them would hang loose
 * under the raised letter. */
static size_t cluster_infos(vq_paragraph *p, const vq_item *it, cluster_info **ci, size_t *cap)
{
    size_t n = 0;
    for (size_t k = it->glyph_count; k-- > 0;) { /* RTL: clusters descend left to right */
        const vq_sglyph *g = &p->glyphs[it->glyph_start + k];
        if (!n || (*ci)[n - 1].cluster != g->cluster) {
            if (n && (*ci)[n - 1].cluster > g->cluster)
                continue; /* not monotone: leave it out */
            vq_text_grow(ci, cap, n + 1, sizeof **ci);
            (*ci)[n++] = (cluster_info){g->cluster, false, false, 0, 0, 0};
        }
        if (g->flags & HB_GLYPH_FLAG_SAFE_TO_INSERT_TATWEEL)
            (*ci)[n - 1].safe = true;
        if (g->x_advance != 0 && g->y_offset != 0)
            (*ci)[n - 1].raised = true;
        if (g->x_advance != 0 && !(*ci)[n - 1].glyph) {
            (*ci)[n - 1].glyph = g->id;
            (*ci)[n - 1].x_offset = g->x_offset;
            (*ci)[n - 1].x_advance = g->x_advance;
        }
    }
    return n;
}

/* The info of cluster pos, moving *at forward (letters come in order). */
static const cluster_info *info_at(const cluster_info *ci, size_t n, size_t *at, size_t pos)
{
    while (*at < n && ci[*at].cluster < pos)
        (*at)++;
    return *at < n && ci[*at].cluster == pos ? &ci[*at] : NULL;
}

/* Do the two letters of a join keep to their own sides of it? Amiri
 * draws some letters with ink far past their advance (a medial hah after
 * meem is 55 units wide, its bowl under the letters that follow): a
 * tatweel there would pull the next letter away from ink that stays. */
static bool clean_join(struct vq_tatweel *t, const cluster_info *prev, const cluster_info *next)
{
    int32_t tol = (int32_t)(vq_face_units_per_em(t->face) * JOIN_OVERHANG);
    /* Right to left: prev lies right of the join, next left of it. */
    const int32_t *a = ink_of(t, prev->glyph), *b = ink_of(t, next->glyph);
    return prev->x_offset + a[0] >= -tol && next->x_offset + b[1] <= next->x_advance + tol;
}

static void add_word(vq_paragraph *p, const letter *l, size_t n, size_t word_start, size_t word_end,
                     const cluster_info *ci, size_t nci, size_t *ci_at, struct vq_tatweel *t,
                     double scale)
{
    /* The word's allowed joins with their rank, then the best of them
     * whose letters also join cleanly (checked only for the few tried). */
    struct {
        size_t k;
        int rank;
        const cluster_info *a, *b;
    } cand[MAX_LETTERS];
    size_t nc = 0;
    for (size_t k = 1; k < n; k++) {
        if (!joined(&l[k - 1], &l[k]))
            continue;
        const cluster_info *a = info_at(ci, nci, ci_at, l[k - 1].pos);
        if (!a || a->raised)
            continue;
        const cluster_info *b = info_at(ci, nci, ci_at, l[k].pos);
        if (!b || !b->safe || b->raised)
            continue;
        int r = rank_join(l, n, k);
        if (r > 0) {
            cand[nc].k = k;
            cand[nc].rank = r;
            cand[nc].a = a;
            cand[nc].b = b;
            nc++;
        }
    }
    for (;;) {
        size_t best = nc;
        for (size_t i = 0; i < nc; i++) /* ties: nearest the end */
            if (cand[i].rank > 0 && (best == nc || cand[i].rank <= cand[best].rank))
                best = i;
        if (best == nc)
            return;
        if (clean_join(t, cand[best].a, cand[best].b)) {
            vq_text_grow(&p->kashidas, &p->kashida_cap, p->kashida_count + 1, sizeof *p->kashidas);
            vq_kashida *c = &p->kashidas[p->kashida_count++];
            c->pos = l[cand[best].k].pos;
            c->word_start = word_start;
            c->word_end = word_end;
            c->rank = cand[best].rank;
            c->glyph = t->glyph;
            c->tatweel = t->advance * scale;
            c->face = t;
            return;
        }
        cand[best].rank = 0;
    }
}

void vq_text_find_kashidas(vq_paragraph *p)
{
    if (p->kashida_ready)
        return;
    p->kashida_ready = true;
    p->kashida_searches++;
    p->kashida_count = 0;
    cluster_info *ci = NULL;
    size_t ci_cap = 0;
    const char *text = p->text.data;
    for (size_t i = 0; i < p->item_count; i++) {
        const vq_item *it = &p->items[i];
        if (it->script != USCRIPT_ARABIC || !(it->level & 1))
            continue;
        const char *lang = p->spans[it->span].style.lang;
        if (lang && strncmp(lang, "ur", 2) == 0)
            continue; /* Nastaliq does not stretch this way */
        struct vq_tatweel *t = tatweel_of(vq_text_buffer(p), it->face);
        if (!t->glyph)
            continue;
        size_t nci = cluster_infos(p, it, &ci, &ci_cap), ci_at = 0;
        letter l[MAX_LETTERS];
        size_t n = 0, word_start = SIZE_MAX;
        for (size_t b = it->start; b <= it->end;) {
            uint32_t cp = 0;
            size_t len = b < it->end ? vq_utf8_decode(text + b, it->end - b, &cp) : 0;
            bool in_word = len > 0 && word_char(cp);
            if (!in_word || n == MAX_LETTERS) {
                /* A word ends (a very long one is taken in pieces). */
                if (word_start != SIZE_MAX && letter_count(l, n) >= MIN_LETTERS)
                    add_word(p, l, n, word_start, b, ci, nci, &ci_at, t, it->scale);
                n = 0;
                word_start = SIZE_MAX;
                if (!len)
                    break;
                if (!in_word) {
                    b += len;
                    continue;
                }
            }
            if (word_start == SIZE_MAX)
                word_start = b;
            int jt = vq_uprops_joining(cp);
            if (jt != U_JT_TRANSPARENT) /* marks do not count as letters */
                l[n++] = (letter){b, cp, jt, vq_uprops_join_group(cp)};
            b += len;
        }
    }
    free(ci);
    double sum = 0;
    for (size_t i = 0; i < p->kashida_count; i++) {
        p->kashidas[i].stretch_before = sum;
        sum += VQ_KASHIDA_WORD_MAX * p->kashidas[i].tatweel;
    }
    p->kashida_stretch = sum;
}

/* ---- one line ---- */

typedef struct pick {
    const vq_kashida *k;
    size_t order; /* position among the line's candidates */
    double width; /* pt given to it */
} pick;

static int by_rank(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    if (x->k->rank != y->k->rank)
        return x->k->rank - y->k->rank;
    /* Among equals, every other word first, so that chosen words spread
     * along the line rather than bunch at its start. */
    int px = (int)(x->order & 1), py = (int)(y->order & 1);
    if (px != py)
        return px - py;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int by_pos(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    return x->k->pos < y->k->pos ? -1 : x->k->pos > y->k->pos;
}

/* A kashida of about w pt drawn as one glyph: the letter left of the join
 * (the last glyph placed, which must be the letter at the kashida's place,
 * unmoved) becomes its composite whose stroke is nearest w and at most
 * budget. Its text stays the letter's and its advance covers the stroke,
 * so extractors read the word as without kashida, and the marks on the
 * letter, placed from its origin, stay. Sets *got to the stroke's length
 * (0: the word takes no kashida); false when the face has no composite for
 * the letter (the kashida is then drawn with tatweel glyphs). */
static bool composite_kashida(const vq_kashida *c, vq_glyph *lg, double w, double budget,
                              double *got)
{
    struct vq_tatweel *t = c->face;
    if (lg->cluster != c->pos || lg->flags || lg->x_offset != 0 || lg->y_offset != 0 ||
        t->advance <= 0)
        return false;
    uint32_t first = composite_of(t, lg->id);
    if (!first)
        return false;
    hb_font_t *font = vq_face_hb_font(t->face);
    double scale = c->tatweel / t->advance;
    hb_position_t advance = hb_font_get_glyph_h_advance(font, lg->id);
    if (fabs(lg->x_advance - advance * scale) > 0.5 * scale)
        return false; /* positioning moved the next letter: the stroke would miss it */
    if (!t->step_units) {
        t->step_units = vq_xmalloc(t->steps * sizeof *t->step_units);
        for (unsigned k = 0; k < t->steps; k++)
            t->step_units[k] = hb_font_get_glyph_h_advance(font, first + k) - advance;
    }
    uint32_t best = 0;
    *got = 0;
    for (unsigned k = 0; k < t->steps; k++) {
        double len = t->step_units[k] * scale;
        if (len > budget + 1e-6)
            break;
        if (fabs(len - w) < fabs(*got - w) - 1e-9) {
            best = first + k;
            *got = len;
        }
    }
    if (best) {
        lg->id = best;
        lg->x_advance += (float)*got;
    }
    return true;
}

/* A line's few picks in order (qsort cost more than the rest of the line's
 * kashida work). */
static void sort_picks(pick *v, size_t n, int (*cmp)(const void *, const void *))
{
    for (size_t i = 1; i < n; i++) {
        pick x = v[i];
        size_t j = i;
        for (; j > 0 && cmp(&v[j - 1], &x) > 0; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* The first candidate at or after pos (binary search). */
static size_t first_at(const vq_paragraph *p, size_t pos)
{
    size_t lo = 0, hi = p->kashida_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->kashidas[mid].pos < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

double vq_text_kashida_line(vq_paragraph *p, const vq_line_span *ls, size_t first_piece,
                            size_t count, size_t glyph_first, double delta)
{
    if (!p->kashida_on || delta <= 0 || p->kashida_count == 0)
        return delta;
    size_t a = first_at(p, ls->start), b = first_at(p, ls->content_end);
    if (a == b)
        return delta;
    /* The candidates of whole words in right-to-left pieces of this line. */
    pick few[16];
    pick *picks = b - a <= 16 ? few : vq_xmalloc((b - a) * sizeof *picks);
    size_t n = 0, pc = first_piece;
    double stretch = 0;
    for (size_t i = a; i < b; i++) {
        const vq_kashida *k = &p->kashidas[i];
        if (k->word_start < ls->start || k->word_end > ls->content_end)
            continue;
        while (pc < first_piece + count && p->pieces[pc].end <= k->pos)
            pc++;
        if (pc == first_piece + count || p->pieces[pc].start > k->pos || !(p->pieces[pc].level & 1))
            continue;
        picks[n] = (pick){k, n, 0};
        stretch += VQ_KASHIDA_WORD_MAX * k->tatweel;
        n++;
    }
    double spaces = 0;
    for (size_t g = glyph_first; g < p->out_count; g++)
        if (vq_text_space_at(p, p->out_glyphs[g].cluster))
            spaces += p->out_glyphs[g].x_advance;
    if (n == 0) {
        if (picks != few)
            free(picks);
        return delta;
    }
    /* The kashida share of the slack, as the breaker counted it. */
    double space_stretch = spaces * VQ_SPACE_STRETCH;
    double share = delta * stretch / (stretch + space_stretch);
    if (share > stretch)
        share = stretch;
    /* As many words as get a whole tatweel each, best ranked first. */
    sort_picks(picks, n, by_rank);
    size_t chosen = 0;
    double unit = 0;
    while (chosen < n && unit + picks[chosen].k->tatweel <= share + 1e-9)
        unit += picks[chosen++].k->tatweel;
    if (chosen == 0) {
        if (picks != few)
            free(picks);
        return delta;
    }
    double each = share / unit; /* in tatweels */
    if (each > VQ_KASHIDA_WORD_MAX)
        each = VQ_KASHIDA_WORD_MAX;
    size_t extra = 0;
    for (size_t i = 0; i < chosen; i++) {
        picks[i].width = each * picks[i].k->tatweel;
        extra += (size_t)ceil(each - 1e-6) + 1; /* + 1: the carry below */
    }

    /* Insert the tatweels: rebuild the line's glyphs with them. In a
     * right-to-left piece glyphs run left to right with clusters falling,
     * so the tatweel before the letter at pos goes just left of the first
     * glyph whose cluster is below pos (after that letter's own glyphs,
     * before the marks of the letter that precedes it). A composite's
     * stroke comes in steps: the step nearest a word's share, what it
     * leaves over or takes beyond carried to the next word, and what the
     * last leaves goes to the spaces (at most half a step either way). */
    sort_picks(picks, chosen, by_pos);
    double placed = 0, carry = 0;
    size_t old_n = p->out_count - glyph_first;
    vq_glyph *old = vq_xmalloc(old_n * sizeof *old);
    memcpy(old, p->out_glyphs + glyph_first, old_n * sizeof *old);
    vq_text_grow(&p->out_glyphs, &p->out_cap, p->out_count + extra, sizeof *p->out_glyphs);
    size_t out = glyph_first, lo = 0;
    for (size_t k = first_piece; k < first_piece + count; k++) {
        vq_piece *piece = &p->pieces[k];
        const vq_glyph *src = old + (piece->glyph_start - glyph_first);
        size_t src_n = piece->glyph_count;
        piece->glyph_start = out;
        size_t hi = lo;
        while (hi < chosen && picks[hi].k->pos < piece->end)
            hi++;
        size_t next = hi; /* this piece's picks, taken from the highest pos down */
        for (size_t g = 0; g < src_n; g++) {
            while (next > lo && src[g].cluster < picks[next - 1].k->pos) {
                next--;
                if (g == 0) /* never at the piece's edge (not reached) */
                    continue;
                const vq_kashida *c = picks[next].k;
                double w = picks[next].width + carry, t = c->tatweel, got;
                picks[next].width = -1; /* placed */
                if (composite_kashida(c, &p->out_glyphs[out - 1], w, delta - placed, &got)) {
                    placed += got;
                    carry = w - got;
                    continue;
                }
                placed += w;
                carry = 0;
                size_t m = (size_t)ceil(w / t - 1e-6);
                for (size_t j = 0; j < m; j++) {
                    double adv = j + 1 < m ? t : w - (double)(m - 1) * t;
                    /* The last glyph overlaps the one before it; a lone
                     * short one is centred on its gap, overlapping the
                     * letters' own joining strokes. */
                    double off = m == 1 ? -(t - adv) / 2 : j + 1 == m ? -(t - adv) : 0;
                    p->out_glyphs[out++] = (vq_glyph){.id = c->glyph,
                                                      .x_advance = (float)adv,
                                                      .x_offset = (float)off,
                                                      .cluster = (uint32_t)c->pos,
                                                      .flags = VQ_GLYPH_KASHIDA};
                }
            }
            p->out_glyphs[out++] = src[g];
        }
        piece->glyph_count = out - piece->glyph_start;
        lo = hi;
    }
    p->out_count = out; /* what was not placed goes back to the spaces */
    free(old);
    if (picks != few)
        free(picks);
    return delta - placed;
}
