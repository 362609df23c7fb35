/* Step 5: where lines end.
 *
 * ICU's line-break iterator (locale-aware) gives the opportunities once per
 * text; a few are taken back (never at ZWNJ, never inside a number with
 * units or a date such as ۱۳۹۶/۸/۲۰ or 50mg/day, never inside an e-mail
 * address). For each width, lines are chosen by optimal fit (Knuth–Plass:
 * badness from the stretch and shrink of the spaces, demerits for hyphens
 * and for a tight line next to a loose one) or, on request, first fit. A
 * word wider than the line gets extra opportunities at grapheme
 * boundaries. All widths come from the shaped glyphs (p->x_prefix). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uvernum.h>

#include "base/cancel.h"
#include "base/utf8.h"
#include "text/internal.h"

enum { FITNESS_CLASSES = 4 };
static const double SHRINK = 1.0 / 3.0;
static const double RAGGED_STRETCH = 0.25; /* of the measure */
static const double LINE_PENALTY = 10;
/* Higher than TeX's \exhyphenpenalty (50): a line that ends at an explicit
 * hyphen splits the word when the text is copied out of the PDF. */
static const double HYPHEN_PENALTY = 150;
static const double EMERGENCY_PENALTY = 1000;
static const double MAX_BADNESS = 10000;
/* TeX's \pretolerance: a paragraph whose lines all set within this
 * badness (spaces at most 1.5 times their width) is not hyphenated. */
static const double PRETOLERANCE = 100;
/* Ragged text is hyphenated lightly, as typesetters set a ragged column:
 * only when a line would end short by more than about a third of the
 * measure (badness 200 against the rag's quarter-measure stretch), and
 * only words of RAGGED_MIN_WORD letters or more. Centred text (titles,
 * captions) never is. */
static const double RAGGED_PRETOLERANCE = 200;
enum { RAGGED_MIN_WORD = 8 };
/* Two hyphenated lines in a row cost as much as four hyphens: a ladder of
 * hyphens is worse than a slightly looser line. */
static const double DOUBLE_HYPHEN_DEMERITS = 90000;
static const double ADJ_DEMERITS = 10000;
static const double OVERFULL_DEMERITS = 1e12;
/* A paragraph's last line shorter than this part of the measure (a lone
 * "(23)." under a full line) costs up to SHORT_LAST_DEMERITS, so the lines
 * above take it back or give it a word when their spacing allows. */
static const double SHORT_LAST = 1.0 / 6.0;
static const double SHORT_LAST_DEMERITS = 300000;

/* ---- opportunities (once per text) ---- */

/* ubrk_open costs about 55,000 instructions (the locale's rules are looked
 * up and built), a clone a small part of that: each locale's iterator is
 * opened once per process and every paragraph works on a clone of it. */
enum { LOCALES = 16 };
static struct {
    char name[32];
    UBreakIterator *iter;
} templates[LOCALES];
static size_t template_count;
static pthread_mutex_t templates_lock = PTHREAD_MUTEX_INITIALIZER;

static void close_templates(void)
{
    for (size_t i = 0; i < template_count; i++)
        ubrk_close(templates[i].iter);
    template_count = 0;
}

static UBreakIterator *open_line_iter(const char *loc, UErrorCode *status)
{
    UBreakIterator *it = ubrk_open(UBRK_LINE, loc, NULL, 0, status);
    if (U_FAILURE(*status)) {
        *status = U_ZERO_ERROR;
        it = ubrk_open(UBRK_LINE, "", NULL, 0, status);
    }
    return U_FAILURE(*status) ? NULL : it;
}

static UBreakIterator *line_iter_for(const char *loc)
{
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *it = NULL;
    pthread_mutex_lock(&templates_lock);
    size_t i = 0;
    while (i < template_count && strcmp(templates[i].name, loc) != 0)
        i++;
    if (i == template_count && i < LOCALES) {
        UBreakIterator *t = open_line_iter(loc, &status);
        if (t) {
            if (template_count == 0)
                atexit(close_templates);
            snprintf(templates[i].name, sizeof templates[i].name, "%s", loc);
            templates[i].iter = t;
            template_count++;
        }
    }
    if (i < template_count) {
        status = U_ZERO_ERROR;
#if U_ICU_VERSION_MAJOR_NUM >= 69
        it = ubrk_clone(templates[i].iter, &status);
#else
        it = ubrk_safeClone(templates[i].iter, NULL, NULL, &status);
#endif
        if (U_FAILURE(status))
            it = NULL;
    }
    pthread_mutex_unlock(&templates_lock);
    if (!it) { /* more locales than slots, or a failed clone */
        status = U_ZERO_ERROR;
        it = open_line_iter(loc, &status);
    }
    return it;
}

static void set_locale(vq_paragraph *p)
{
    const char *lang = p->span_count ? p->spans[0].style.lang : NULL;
    char loc[sizeof p->locale];
    snprintf(loc, sizeof loc, "%s", lang && *lang ? lang : "en");
    for (char *c = loc; *c; c++)
        if (*c == '-')
            *c = '_';
    if (p->line_iter && strcmp(loc, p->locale) == 0)
        return;
    if (p->line_iter)
        ubrk_close(p->line_iter);
    p->line_iter = line_iter_for(loc);
    memcpy(p->locale, loc, sizeof loc);
}

/* Whether pos lies inside a number with units. Breaks come in ascending
 * order and the ranges are sorted, so *next only moves forward. */
static bool in_units(const vq_paragraph *p, size_t pos, size_t *next)
{
    while (*next < p->unit_count && p->unit_ranges[2 * *next + 1] <= pos)
        (*next)++;
    return *next < p->unit_count && pos > p->unit_ranges[2 * *next];
}

/* The space-free token around the break opportunities being scanned, and
 * whether breaking inside it is forbidden: a number with something
 * attached (dates, 50mg/day, "(10mg/day)") or an e-mail address. Each
 * token is read once, so the scan stays linear in the text however many
 * opportunities a token holds ("a-a-a-…"). */
typedef struct token {
    size_t a, b; /* [a, b): the token; a == b: none yet */
    bool has_at; /* holds '@' */
    size_t lead; /* its first character after opening punctuation */
    bool lead_digit;
} token;

static void read_token(const vq_paragraph *p, size_t pos, token *tk)
{
    const char *t = p->text.data;
    size_t len = p->text.len, a = pos, b = pos;
    /* Tokens do not overlap and pos only grows: never look back past the
     * previous token's end. */
    while (a > tk->b) {
        size_t s = vq_text_prev_start(t, a);
        if (vq_char_is_break_space(vq_text_cp_at(p, s)))
            break;
        a = s;
    }
    while (b < len) {
        uint32_t cp;
        size_t n = vq_utf8_decode(t + b, len - b, &cp);
        if (vq_char_is_break_space(cp))
            break;
        b += n ? n : 1;
    }
    tk->a = a;
    tk->b = b;
    tk->has_at = b > a && memchr(t + a, '@', b - a) != NULL;
    tk->lead = b;
    tk->lead_digit = false;
    for (size_t i = a; i < b;) {
        uint32_t cp;
        size_t n = vq_utf8_decode(t + i, len - i, &cp);
        int8_t gc = u_charType((UChar32)cp);
        if (gc == U_START_PUNCTUATION || gc == U_INITIAL_PUNCTUATION || cp == '"' || cp == '\'') {
            i += n ? n : 1;
            continue;
        }
        tk->lead = i;
        tk->lead_digit = u_isdigit((UChar32)cp);
        break;
    }
}

/* True when pos lies inside a protected token (see token). */
static bool in_protected_token(const vq_paragraph *p, size_t pos, token *tk)
{
    if (pos >= tk->b || pos < tk->a || tk->a == tk->b)
        read_token(p, pos, tk);
    if (tk->a == pos || tk->b == pos)
        return false;
    if (tk->has_at)
        return true;
    /* Skip opening punctuation: "(10mg/day)" is a number token too. */
    return tk->lead < pos && tk->lead_digit;
}

/* A solidus inside a unit (mg/kg/day, THSD/CU, IU/ml) never ends a line:
 * only one between two words of five letters or more does
 * (Allergology/Pulmonary, and/or excepted). pos is just after the '/'. */
static bool unit_solidus(const vq_paragraph *p, size_t pos)
{
    const char *t = p->text.data;
    size_t len = p->text.len, n = 0;
    for (size_t i = pos - 1; i > 0 && n < 5;) {
        i = vq_text_prev_start(t, i);
        uint32_t cp = vq_text_cp_at(p, i);
        if (cp == '/' || vq_char_is_break_space(cp) || !u_isalpha((UChar32)cp))
            break;
        n++;
    }
    if (n < 5)
        return true;
    n = 0;
    for (size_t i = pos; i < len && n < 5;) {
        uint32_t cp;
        size_t k = vq_utf8_decode(t + i, len - i, &cp);
        if (cp == '/' || vq_char_is_break_space(cp) || !u_isalpha((UChar32)cp))
            break;
        n++;
        i += k ? k : 1;
    }
    return n < 5;
}

static size_t content_end(const vq_paragraph *p, size_t start, size_t pos);

/* A spaced dash (em, en, bar) never starts a line: it stays at the end of
 * the line before and the line breaks after it ("پلاک ۰ —" / "تلفن: …"),
 * as Persian and English typesetters set it. */
static bool is_dash(uint32_t cp)
{
    return cp == 0x2013 || cp == 0x2014 || cp == 0x2015;
}

/* A label and its value stay on one line: no break after "label:" and its
 * spaces when the token that follows holds a digit or is an address
 * (شماره پرونده: SM-95-0421, تلفن: 011-0123-4567, سن: ۴۲, Chol: 264,
 * E-mail: name@host). Bidi controls around the value (an isolated span)
 * are looked through. pos is where the value starts. */
static bool label_value(const vq_paragraph *p, size_t pos)
{
    const char *t = p->text.data;
    size_t len = p->text.len, i = pos;
    bool spaced = false;
    while (i > 0) {
        i = vq_text_prev_start(t, i);
        uint32_t cp = vq_text_cp_at(p, i);
        if (vq_char_is_break_space(cp) || vq_char_is_bidi_control(cp)) {
            spaced |= vq_char_is_break_space(cp);
            continue;
        }
        if (!spaced || (cp != ':' && cp != 0xFF1A))
            return false;
        break;
    }
    if (i == 0)
        return false;
    for (size_t k = pos; k < len;) {
        uint32_t cp;
        size_t n = vq_utf8_decode(t + k, len - k, &cp);
        if (vq_char_is_break_space(cp))
            break;
        if (u_isdigit((UChar32)cp) || cp == '@')
            return true;
        k += n ? n : 1;
    }
    return false;
}

/* The same for a label of two words (شماره پرونده: SM-95-0421, File number:
 * 12): no break before the label's last word either. pos starts that word. */
static bool label_ahead(const vq_paragraph *p, size_t pos)
{
    const char *t = p->text.data;
    size_t len = p->text.len, k = pos;
    /* An em space (or a tab) between fields starts a label: the break
     * there stays ("Patient: Maryam Kazemi  Age: 42" may break before
     * "Age:", never inside the name). */
    for (size_t i = pos; i > 0;) {
        i = vq_text_prev_start(t, i);
        uint32_t cp = vq_text_cp_at(p, i);
        if (cp == 0x2003 || cp == 0x2002 || cp == '\t' || is_dash(cp))
            return false; /* a dash before a label: the break is after it */
        if (!vq_char_is_break_space(cp) && !vq_char_is_bidi_control(cp))
            break;
    }
    uint32_t last = 0;
    while (k < len) {
        uint32_t cp;
        size_t n = vq_utf8_decode(t + k, len - k, &cp);
        if (vq_char_is_break_space(cp))
            break;
        last = cp;
        k += n ? n : 1;
    }
    if (last != ':' && last != 0xFF1A)
        return false;
    while (k < len) {
        uint32_t cp;
        size_t n = vq_utf8_decode(t + k, len - k, &cp);
        if (!vq_char_is_break_space(cp) && !vq_char_is_bidi_control(cp))
            break;
        k += n ? n : 1;
    }
    return k < len && label_value(p, k);
}

/* Fields set apart by em or en spaces (an author line, "Patient: Maryam
 * Kazemi  Age: 42", the dates under a title) break only between fields
 * when a field is short: "محمد" is not left at a line's end with
 * "طبرستانی" under it. A field runs from a separator (or the paragraph's
 * start or end, when the other side has one) to the next; short is at most
 * FIELD_MAX characters, about a third of a narrow column. pos is a break
 * after a space. */
enum { FIELD_MAX = 30 };

static bool is_field_space(uint32_t cp)
{
    return cp == 0x2002 || cp == 0x2003;
}

static bool inside_short_field(const vq_paragraph *p, size_t pos)
{
    const char *t = p->text.data;
    size_t len = p->text.len, i = pos, k = pos;
    int chars = 0;
    bool left = false, right = false, blank = true;
    while (i > 0 && chars <= FIELD_MAX) {
        i = vq_text_prev_start(t, i);
        uint32_t cp = vq_text_cp_at(p, i);
        if (is_field_space(cp)) {
            if (blank)
                return false; /* the break between two fields ("&#8195; ") */
            left = true;
            break;
        }
        blank &= vq_char_is_break_space(cp) || vq_char_is_bidi_control(cp);
        chars++;
    }
    blank = true;
    while (k < len && chars <= FIELD_MAX) {
        uint32_t cp;
        size_t n = vq_utf8_decode(t + k, len - k, &cp);
        if (is_field_space(cp)) {
            if (blank)
                return false;
            right = true;
            break;
        }
        blank &= vq_char_is_break_space(cp) || vq_char_is_bidi_control(cp);
        chars++;
        k += n ? n : 1;
    }
    return chars <= FIELD_MAX && (left || right);
}

/* No break after a hyphen that leaves fewer than three letters or digits
 * to start the next line: "Ara-C]", "IL-6", "COVID-19", "follow-up" stay
 * whole (a drug's or a test's name cut to "C]," reads as another word).
 * pos follows the hyphen. */
static bool short_after_hyphen(const vq_paragraph *p, size_t pos)
{
    const char *t = p->text.data;
    size_t len = p->text.len;
    int count = 0;
    for (size_t k = pos; k < len && count < 3;) {
        uint32_t cp;
        size_t n = vq_utf8_decode(t + k, len - k, &cp);
        if (vq_char_is_break_space(cp) || cp == '-' || cp == 0x2010)
            break;
        if (u_isalnum((UChar32)cp))
            count++;
        k += n ? n : 1;
    }
    return count < 3;
}

static void push_break(const vq_paragraph *p, vq_break **arr, size_t *count, size_t *cap,
                       size_t pos, int kind)
{
    vq_text_grow(arr, cap, *count + 1, sizeof **arr);
    (*arr)[*count].pos = pos;
    (*arr)[*count].content_end = content_end(p, 0, pos);
    (*arr)[*count].kind = kind;
    (*arr)[*count].extra = 0;
    (*arr)[*count].add_hyphen = false;
    (*arr)[*count].kash_pos = (*arr)[*count].kash_end = 0;
    (*count)++;
}

vq_status vq_text_find_breaks(vq_paragraph *p, vq_error *err)
{
    UErrorCode status = U_ZERO_ERROR;
    p->break_count = 0;
    size_t len = p->text.len;
    if (len == 0)
        return VQ_OK;
    set_locale(p);
    p->utext = utext_openUTF8(p->utext, p->text.data, (int64_t)len, &status);
    if (p->line_iter)
        ubrk_setUText(p->line_iter, p->utext, &status);
    if (U_FAILURE(status) || !p->line_iter)
        return vq_error_set(err, VQ_ERR_INPUT, NULL, 0, 0, "line breaking failed: %s",
                            u_errorName(status));
    const char *t = p->text.data;
    token tk = {0, 0, false, 0, false};
    size_t next_unit = 0;
    for (int32_t b = ubrk_following(p->line_iter, 0); b != UBRK_DONE; b = ubrk_next(p->line_iter)) {
        size_t pos = (size_t)b;
        int rule = ubrk_getRuleStatus(p->line_iter);
        bool hard = rule >= UBRK_LINE_HARD && rule < UBRK_LINE_HARD_LIMIT;
        if (pos >= len) {
            push_break(p, &p->breaks, &p->break_count, &p->break_cap, len, VQ_BRK_HARD);
            break;
        }
        if (!hard) {
            uint32_t before = vq_text_cp_at(p, vq_text_prev_start(t, pos));
            uint32_t after = vq_text_cp_at(p, pos);
            if (before == 0x200C || after == 0x200C || in_units(p, pos, &next_unit) ||
                (!vq_char_is_break_space(before) && in_protected_token(p, pos, &tk)) ||
                (before == '/' && unit_solidus(p, pos)) ||
                ((before == '-' || before == 0x2010) && short_after_hyphen(p, pos)) ||
                (vq_char_is_break_space(before) && !is_field_space(before) &&
                 inside_short_field(p, pos)) ||
                (vq_char_is_break_space(before) &&
                 (is_dash(after) || label_value(p, pos) || label_ahead(p, pos))))
                continue;
            bool hyphen = before == '-' || before == 0x2010 || before == 0xAD;
            push_break(p, &p->breaks, &p->break_count, &p->break_cap, pos,
                       hyphen ? VQ_BRK_HYPHEN : VQ_BRK_SOFT);
            uint32_t g;
            if (before == 0xAD)
                vq_text_hyphen_for(p, pos - 2, &g, &p->breaks[p->break_count - 1].extra);
        } else {
            push_break(p, &p->breaks, &p->break_count, &p->break_cap, pos, VQ_BRK_HARD);
        }
    }
    if (p->break_count == 0 || p->breaks[p->break_count - 1].pos != len)
        push_break(p, &p->breaks, &p->break_count, &p->break_cap, len, VQ_BRK_HARD);
    return VQ_OK;
}

/* ---- choosing lines (per width) ---- */

/* Where the visible content of [start, pos) ends: trailing spaces hang. */
static size_t content_end(const vq_paragraph *p, size_t start, size_t pos)
{
    while (pos > start) {
        size_t s = vq_text_prev_start(p->text.data, pos);
        if (!vq_char_is_break_space(vq_text_cp_at(p, s)))
            break;
        pos = s;
    }
    return pos;
}

/* This width's candidates: the text's opportunities, its hyphenation
 * points when hyphenating, and grapheme boundaries inside pieces wider
 * than the line. */
static void build_candidates(vq_paragraph *p, double width, bool hyphenate)
{
    p->cand_count = 0;
    size_t prev = 0, h = 0, nh = hyphenate ? p->hyph_count : 0;
    for (size_t i = 0; i < p->break_count;) {
        /* Points only measured (vq_paragraph_min_width) are not this
         * layout's: it hyphenates the words it asks for. */
        while (h < nh && p->hyphs[h].measured)
            h++;
        /* The next opportunity in text order, from either list. */
        const vq_break *b;
        if (h < nh && p->hyphs[h].pos < p->breaks[i].pos)
            b = &p->hyphs[h++];
        else if (h < nh && p->hyphs[h].pos == p->breaks[i].pos)
            b = &p->breaks[(h++, i++)];
        else
            b = &p->breaks[i++];
        size_t ce = b->content_end > prev ? b->content_end : prev;
        if (vq_text_width(p, prev, ce) > width) {
            if (!p->char_iter) {
                UErrorCode status = U_ZERO_ERROR;
                p->char_iter = ubrk_open(UBRK_CHARACTER, "", NULL, 0, &status);
                if (U_FAILURE(status))
                    p->char_iter = NULL;
            }
            UErrorCode status = U_ZERO_ERROR;
            if (p->char_iter)
                ubrk_setUText(p->char_iter, p->utext, &status);
            if (p->char_iter && U_SUCCESS(status)) {
                for (int32_t g = ubrk_following(p->char_iter, (int32_t)prev);
                     g != UBRK_DONE && (size_t)g < ce; g = ubrk_next(p->char_iter)) {
                    uint32_t before = vq_text_cp_at(p, vq_text_prev_start(p->text.data, (size_t)g));
                    if (before == 0x200C || vq_text_cp_at(p, (size_t)g) == 0x200C)
                        continue;
                    push_break(p, &p->cand, &p->cand_count, &p->cand_cap, (size_t)g,
                               VQ_BRK_EMERGENCY);
                }
            }
        }
        vq_text_grow(&p->cand, &p->cand_cap, p->cand_count + 1, sizeof *p->cand);
        p->cand[p->cand_count++] = *b;
        prev = b->pos;
    }
    /* Each candidate's kashida stretch before it: pos ascends, so one
     * walk; content_end may fall before the previous pos (a run of
     * spaces), so it walks back when it must. */
    size_t k = 0, ke = 0, nk = p->kashida_on ? p->kashida_count : 0;
    for (size_t i = 0; i < p->cand_count; i++) {
        vq_break *c = &p->cand[i];
        if (!nk) {
            c->kash_pos = c->kash_end = 0;
            continue;
        }
        while (k < nk && p->kashidas[k].pos < c->pos)
            k++;
        while (ke > 0 && p->kashidas[ke - 1].pos >= c->content_end)
            ke--;
        while (ke < nk && p->kashidas[ke].pos < c->content_end)
            ke++;
        c->kash_pos = k < nk ? p->kashidas[k].stretch_before : p->kashida_stretch;
        c->kash_end = ke < nk ? p->kashidas[ke].stretch_before : p->kashida_stretch;
    }
}

typedef struct line_fit {
    bool feasible;
    double demerits_base; /* without the fitness-class term */
    int fitness;
    size_t content_end;
    double badness; /* 0 … 10000; more: overfull */
} line_fit;

static double penalty_of(int kind)
{
    switch (kind) {
    case VQ_BRK_HYPHEN:
        return HYPHEN_PENALTY;
    case VQ_BRK_EMERGENCY:
        return EMERGENCY_PENALTY;
    default:
        return 0;
    }
}

/* fmin(b, 10000) for the finite b of fit_line, without the call into libm
 * (run for every pair of breaks tried). */
static inline double capped(double b)
{
    return b < 10000 ? b : 10000;
}

/* What the fit of a line needs of its end, break j: fixed while the
 * optimal fit tries every start for it (about 84,000 pairs of breaks in
 * the seed article), so it is read once per end. */
typedef struct line_end {
    const vq_break *brk;
    double x, spaces;   /* x_prefix and space_prefix at its content end */
    double pen_squared; /* its penalty, squared */
    bool last;          /* a hard break: the paragraph's (or a forced) last line */
} line_end;

static line_end end_of(const vq_paragraph *p, size_t j, bool justify)
{
    line_end e;
    e.brk = &p->cand[j - 1];
    e.x = p->x_prefix[e.brk->content_end];
    e.spaces = p->space_prefix[e.brk->content_end];
    e.last = e.brk->kind == VQ_BRK_HARD;
    double pen = penalty_of(e.brk->kind);
    /* A ragged line needs no hyphen to fill it: one costs three times as
     * much there, so only a few long words break. */
    if (!justify && e.brk->add_hyphen)
        pen *= 3;
    e.pen_squared = pen * pen;
    return e;
}

/* The fit of the line from break i to the end e (node 0 is the start). */
static inline line_fit fit_line(const vq_paragraph *p, const vq_paragraph_style *ps, size_t i,
                                const line_end *e, bool justify)
{
    line_fit f = {false, 0, 1, 0, 0};
    const vq_break *end = e->brk;
    size_t start = i ? p->cand[i - 1].pos : 0;
    /* The line's content ends at its end's content end, or at its start
     * when nothing but spaces lies between. */
    bool empty = start >= end->content_end;
    f.content_end = empty ? start : end->content_end;
    double width = ps->width - (i == 0 ? ps->first_indent : 0);
    double natural = (empty ? 0 : e->x - p->x_prefix[start]) + end->extra;
    double spaces = empty ? 0 : e->spaces - p->space_prefix[start];
    bool last = e->last;
    /* Only justified lines shrink; a last line is set at its natural width.
     * A ragged line does not stretch its spaces: its badness measures the
     * gap it leaves against a quarter of the measure, so that one very
     * short line never looks as good as two slightly short ones. */
    /* A justified line stretches its spaces and, in Persian, its words
     * (kashida.c); the slack is shared in proportion. */
    double kashida = justify ? end->kash_end - (i ? p->cand[i - 1].kash_pos : 0) : 0;
    double stretch =
        justify ? spaces * VQ_SPACE_STRETCH + (kashida > 0 ? kashida : 0) : width * RAGGED_STRETCH;
    double shrink = justify && !last ? spaces * SHRINK : 0;
    double r, badness;
    if (natural <= width + 1e-9) {
        if (last) {
            r = 0;
        } else {
            r = stretch > 0 ? (width - natural) / stretch : INFINITY;
        }
        badness = isinf(r) ? 10000 : capped(100 * r * r * r);
    } else {
        r = shrink > 0 ? (width - natural) / shrink : -INFINITY;
        if (r < -1)
            return f;
        badness = capped(-100 * r * r * r);
    }
    f.feasible = true;
    f.badness = badness;
    f.fitness = r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
    f.demerits_base = (LINE_PENALTY + badness) * (LINE_PENALTY + badness) + e->pen_squared;
    if (end->kind == VQ_BRK_HYPHEN && i > 0 && p->cand[i - 1].kind == VQ_BRK_HYPHEN)
        f.demerits_base += DOUBLE_HYPHEN_DEMERITS;
    if (last && i > 0 && natural < SHORT_LAST * width)
        f.demerits_base += SHORT_LAST_DEMERITS * (1 - natural / (SHORT_LAST * width));
    return f;
}

static line_fit overfull(const vq_paragraph *p, size_t i, size_t j)
{
    size_t start = i ? p->cand[i - 1].pos : 0;
    size_t ce = p->cand[j - 1].content_end;
    line_fit f = {true, OVERFULL_DEMERITS, 1, ce > start ? ce : start, 2 * MAX_BADNESS};
    return f;
}

static void push_line(vq_paragraph *p, size_t i, size_t j, size_t ce, double badness)
{
    if (badness > p->worst_badness)
        p->worst_badness = badness;
    vq_text_grow(&p->line_spans, &p->line_cap, p->line_count + 1, sizeof *p->line_spans);
    vq_line_span *ls = &p->line_spans[p->line_count++];
    ls->start = i ? p->cand[i - 1].pos : 0;
    ls->content_end = ce;
    ls->end = p->cand[j - 1].pos;
    ls->end_kind = p->cand[j - 1].kind;
    ls->add_hyphen = p->cand[j - 1].add_hyphen;
    ls->badness = badness;
}

/* Demerits for a line of fitness class b after one of class a: classes
 * more than one apart (a tight line next to a loose one). */
static double adj(int a, int b)
{
    static const double table[FITNESS_CLASSES][FITNESS_CLASSES] = {
        {0, 0, ADJ_DEMERITS, ADJ_DEMERITS},
        {0, 0, 0, ADJ_DEMERITS},
        {ADJ_DEMERITS, 0, 0, 0},
        {ADJ_DEMERITS, ADJ_DEMERITS, 0, 0},
    };
    return table[a][b];
}

/* First fit: as much as fits on each line. */
static void break_greedy(vq_paragraph *p, const vq_paragraph_style *ps, bool justify)
{
    size_t m = p->cand_count, i = 0;
    int cls = 1;
    double total = 0;
    while (i < m) {
        size_t best = 0;
        line_fit bf = {0};
        for (size_t j = i + 1; j <= m; j++) {
            line_end e = end_of(p, j, justify);
            line_fit f = fit_line(p, ps, i, &e, justify);
            if (!f.feasible)
                break;
            best = j;
            bf = f;
            if (p->cand[j - 1].kind == VQ_BRK_HARD)
                break;
        }
        if (!best) {
            best = i + 1;
            bf = overfull(p, i, best);
        }
        total += bf.demerits_base + adj(cls, bf.fitness);
        cls = bf.fitness;
        push_line(p, i, best, bf.content_end, bf.badness);
        i = best;
    }
    p->demerits = total;
}

/* The best way found to end a line at a break in a fitness class: its
 * total demerits, INFINITY while none is found. */
typedef struct kp_node {
    double total;
    size_t prev;
    int prev_class;
} kp_node;

/* Optimal fit over all feasible lines: dynamic programming on (break,
 * fitness class), which finds the same optimum as Knuth–Plass's active
 * list. A line may not cross a hard break. */
static void break_optimal(vq_paragraph *p, const vq_paragraph_style *ps, bool justify)
{
    size_t m = p->cand_count;
    kp_node *nodes = vq_xmalloc((m + 1) * FITNESS_CLASSES * sizeof *nodes);
    for (size_t n = 0; n < (m + 1) * FITNESS_CLASSES; n++)
        nodes[n] = (kp_node){INFINITY, 0, 0};
    /* Each node's least total over its classes, once no line ends there
     * any more: a line whose demerits alone take that past what its end
     * already has is not tried from each class. */
    double *least = vq_xmalloc((m + 1) * sizeof *least);
    nodes[1].total = 0; /* node 0, class "decent" */
    least[0] = 0;
    size_t floor = 0; /* the last hard break before j */
    for (size_t j = 1; j <= m; j++) {
        line_end e = end_of(p, j, justify);
        for (size_t i = j; i-- > floor;) {
            line_fit f = fit_line(p, ps, i, &e, justify);
            if (!f.feasible) { /* too long: longer ones (smaller i) are too */
                if (i + 1 < j)
                    break;
                f = overfull(p, i, j); /* one piece wider than the line */
            }
            kp_node *to = &nodes[j * FITNESS_CLASSES + f.fitness];
            /* (T + base) + adj >= least + base, rounding and all. */
            if (least[i] + f.demerits_base > to->total)
                continue;
            for (int c = 0; c < FITNESS_CLASSES; c++) {
                /* A class not reached stays INFINITY and never wins. */
                double total =
                    nodes[i * FITNESS_CLASSES + c].total + f.demerits_base + adj(c, f.fitness);
                if (total < to->total) {
                    to->total = total;
                    to->prev = i;
                    to->prev_class = c;
                }
            }
        }
        least[j] = INFINITY;
        for (int c = 0; c < FITNESS_CLASSES; c++) {
            const kp_node *n = &nodes[j * FITNESS_CLASSES + c];
            if (n->total < least[j])
                least[j] = n->total;
        }
        if (p->cand[j - 1].kind == VQ_BRK_HARD)
            floor = j;
    }
    free(least);
    int best = -1;
    for (int c = 0; c < FITNESS_CLASSES; c++) {
        const kp_node *n = &nodes[m * FITNESS_CLASSES + c];
        if (n->total < INFINITY && (best < 0 || n->total < nodes[m * FITNESS_CLASSES + best].total))
            best = c;
    }
    /* Walk back, then emit the lines in order. */
    size_t count = 0, j = m;
    int c = best;
    size_t *path = vq_xmalloc((m + 1) * sizeof *path);
    p->demerits = nodes[m * FITNESS_CLASSES + best].total;
    while (j > 0) {
        const kp_node *n = &nodes[j * FITNESS_CLASSES + c];
        path[count++] = j;
        j = n->prev;
        c = n->prev_class;
    }
    size_t i = 0;
    while (count-- > 0) {
        size_t jj = path[count];
        size_t start = i ? p->cand[i - 1].pos : 0;
        size_t ce = p->cand[jj - 1].content_end;
        line_end e = end_of(p, jj, justify);
        line_fit f = fit_line(p, ps, i, &e, justify);
        push_line(p, i, jj, ce > start ? ce : start, f.feasible ? f.badness : 2 * MAX_BADNESS);
        i = jj;
    }
    free(path);
    free(nodes);
}

/* Ragged text hyphenated only where it must: longer words, a hyphen only
 * where it saves a line. */
static bool is_ragged(const vq_paragraph_style *ps)
{
    return ps->align != VQ_ALIGN_JUSTIFY && ps->hyphenate == VQ_SWITCH_AUTO;
}

bool vq_text_hyphenates(const vq_paragraph_style *ps, size_t *min_word)
{
    *min_word = is_ragged(ps) ? RAGGED_MIN_WORD : 0;
    return ps->hyphenate == VQ_SWITCH_ON ||
           (ps->hyphenate == VQ_SWITCH_AUTO && ps->align != VQ_ALIGN_CENTER);
}

/* Did the lines chosen split a word without a hyphen (one wider than the
 * measure)? */
static bool split_a_word(const vq_paragraph *p)
{
    for (size_t i = 0; i < p->line_count; i++)
        if (p->line_spans[i].end_kind == VQ_BRK_EMERGENCY)
            return true;
    return false;
}

void vq_text_break_lines(vq_paragraph *p, const vq_paragraph_style *ps)
{
    vq_cancel_poll(); /* between paragraphs: a render's cancel hook */
    p->line_count = 0;
    p->demerits = 0;
    if (p->text.len == 0)
        return;
    double avail = ps->width - (ps->first_indent > 0 ? ps->first_indent : 0);
    bool justify = ps->align == VQ_ALIGN_JUSTIFY;
    p->kashida_on = justify && ps->kashida != VQ_SWITCH_OFF;
    if (p->kashida_on)
        vq_text_find_kashidas(p);
    size_t min_word;
    bool hyphenate = vq_text_hyphenates(ps, &min_word);
    bool ragged = is_ragged(ps);
    double tolerance = ragged ? RAGGED_PRETOLERANCE : PRETOLERANCE;
    /* As TeX does: first without hyphenation; only a paragraph that then
     * has a line looser (or tighter) than PRETOLERANCE, or a word wider
     * than the measure split without a hyphen, is hyphenated and broken
     * again. Most paragraphs set well without, and the patterns
     * are loaded only when one does not. */
    double width = avail < ps->width ? avail : ps->width;
    size_t unhyphenated = 0;
    bool split = false;
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1)
            unhyphenated = p->line_count;
        p->line_count = 0;
        p->worst_badness = 0;
        build_candidates(p, width, pass == 1);
        if (ps->greedy)
            break_greedy(p, ps, justify);
        else
            break_optimal(p, ps, justify);
        /* Ragged text keeps a hyphen only where it saves a line, or
         * splits with a hyphen a word that was split without (a narrow
         * table cell): set again without when it does not. */
        if (pass == 2 || (pass == 1 && (!ragged || p->line_count < unhyphenated || split)))
            break;
        if (pass == 1)
            continue;
        split = split_a_word(p);
        if (!hyphenate || (p->worst_badness <= tolerance && !split))
            break;
        vq_text_find_hyphens(p, tolerance, min_word);
        if (p->hyph_count == 0)
            break;
    }
}
