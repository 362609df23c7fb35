/* Hyphenation of English words, for the line breaker (linebreak.c).
 *
 * Liang's method with the US English patterns Debian ships in hyphen-en-us
 * (VQ_HYPHEN_DIR/hyph_en_US.dic, libhyphen's format; VQ_HYPHEN_DIR is
 * /usr/share/hyphen unless the build says otherwise), compiled at build
 * time into a constant table (tools/hyphenate_table.c,
 * hyphenate_table.h): no process reads or parses the file, which cost
 * 2.7 million instructions the first time a paragraph had English words.
 * Without the file at build time English is simply not hyphenated. Only
 * text whose language is English is hyphenated, wherever it stands (an
 * English span inside a Persian paragraph too); Persian never is.
 *
 * The breaker asks only when a paragraph set without hyphenation has a
 * loose line, and only for the words of that line and the lines either
 * side of it. Each word is hyphenated at most once per text.
 *
 * A word's points are the highest digit of every pattern that occurs in
 * ".word.", looked up substring by substring in the table. libhyphen
 * computes the same points (its loader only builds an automaton over the
 * same patterns), but its loader costs about 37 million instructions for
 * the whole file; tests/text/test_hyphenate.c checks that both agree word
 * for word, and that the table holds the file's patterns. Patterns with a
 * non-standard replacement ("/": none in the English file) are left out.
 *
 * A word qualifies when it is all lower-case ASCII letters, at least
 * MIN_WORD long: names and abbreviations (Roodposhti, IVIG, IgG) stay
 * whole, as careful typesetters keep them; a token holding a digit, '@', '/' or ':' (doses,
 * addresses, links) keeps its words whole. Points leave at least two letters before and three after
 * them, as the patterns were made for. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base/hash.h"
#include "text/hyphenate_table.h"
#include "text/internal.h"

enum { MIN_WORD = 6, LEFT_MIN = 2, RIGHT_MIN = 3 };

/* ---- the patterns, a table compiled in ---- */

#define PATTERNS vq_hyphen_en_us

/* The digits of the pattern with letters [key, key + k), or NULL. */
static const uint8_t *pattern_digits(const char *key, size_t k, uint64_t h)
{
    const vq_hyphen_table *t = &PATTERNS;
    for (size_t s = (size_t)h & (t->nslots - 1); t->slots[s] != VQ_HYPHEN_EMPTY;
         s = (s + 1) & (t->nslots - 1)) {
        const uint8_t *e = t->entries + t->slots[s];
        if (e[0] == k && memcmp(e + 1, key, k) == 0)
            return e + 1 + k;
    }
    return NULL;
}

const uint8_t *vq_text_hyphen_pattern(const char *key, size_t k)
{
    if (PATTERNS.count == 0 || k == 0)
        return NULL;
    return pattern_digits(key, k, vq_hash_bytes(VQ_HASH_SEED, key, k));
}

bool vq_text_hyphenate_word(const char *word, size_t n, uint8_t *marks)
{
    if (PATTERNS.count == 0 || n == 0 || n > VQ_HYPHEN_MAX_WORD)
        return false;
    /* Liang: every pattern that occurs in ".word." raises the values
     * between its letters to its digits; odd values are points. */
    char w[VQ_HYPHEN_MAX_WORD + 2];
    uint8_t v[VQ_HYPHEN_MAX_WORD + 3] = {0};
    w[0] = '.';
    memcpy(w + 1, word, n);
    w[n + 1] = '.';
    size_t wl = n + 2;
    for (size_t a = 0; a < wl; a++) {
        uint64_t h = VQ_HASH_SEED;
        for (size_t k = 1; k <= PATTERNS.max_key && a + k <= wl; k++) {
            h = vq_hash_bytes(h, w + a + k - 1, 1);
            const uint8_t *d = pattern_digits(w + a, k, h);
            if (!d)
                continue;
            for (size_t j = 0; j <= k; j++)
                if (d[j] > v[a + j])
                    v[a + j] = d[j];
        }
    }
    /* The value after letter i stands before w[i + 2]. */
    for (size_t i = 0; i < n; i++)
        marks[i] = v[i + 2];
    return true;
}

/* ---- words ---- */

static bool is_english(const char *lang)
{
    return lang && (lang[0] == 'e' || lang[0] == 'E') && (lang[1] == 'n' || lang[1] == 'N') &&
           (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Does the space-free token [a, b) keep its words whole? */
static bool protected_token(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)t[i];
        if (isdigit(c) || c == '@' || c == '/' || c == ':')
            return true;
        if (c == 0xDB && i + 1 < b && (unsigned char)t[i + 1] >= 0xB0 &&
            (unsigned char)t[i + 1] <= 0xB9)
            return true; /* Persian digits */
    }
    return false;
}

static bool hyphenable(const char *w, size_t n, size_t min_word)
{
    if (n < MIN_WORD || n < min_word || n > VQ_HYPHEN_MAX_WORD)
        return false;
    for (size_t i = 0; i < n; i++)
        if (isupper((unsigned char)w[i]))
            return false; /* names, IVIG, IgG */
    return true;
}

/* A word to hyphenate: bytes [at, at + n) of the text. */
typedef struct word {
    size_t at, n;
} word;

/* p->hyph_done per word: hyphenated for a layout, or only measured. */
enum { HYPH_LIVE = 1, HYPH_MEASURED = 2 };

/* A layout asks for a word only measured before: its points become
 * places lines may break, without hyphenating it again. p->hyphs is in
 * text order (add_words sorts it). */
static void wake_points(vq_paragraph *p, size_t start, size_t end)
{
    for (size_t i = 0; i < p->hyph_count && p->hyphs[i].pos < end; i++)
        if (p->hyphs[i].pos > start)
            p->hyphs[i].measured = false;
}

/* Appends the qualifying English words of text [a, b) (one item) that
 * were not looked at before, marked live or (measuring) measured. */
static void collect_words(vq_paragraph *p, size_t a, size_t b, size_t min_word, bool measuring,
                          word **w, size_t *nw, size_t *cap)
{
    const char *t = p->text.data;
    size_t i = a;
    while (i < b) {
        while (i < b && is_space(t[i]))
            i++;
        /* The whole space-free token, which may reach beyond the range. */
        size_t ts = i, te = i;
        while (ts > 0 && !is_space(t[ts - 1]))
            ts--;
        while (te < p->text.len && !is_space(t[te]))
            te++;
        if (!protected_token(t, ts, te)) {
            for (size_t s = i; s < te && s < b;) {
                if (!isalpha((unsigned char)t[s])) {
                    s++;
                    continue;
                }
                /* A window may start inside a word (a line that began at
                 * a hyphenation point, or inside a word wider than the
                 * line): the whole word is hyphenated, once, never its
                 * tail as a word of its own ("lobulin"). */
                size_t start = s, e = s;
                while (start > ts && isalpha((unsigned char)t[start - 1]))
                    start--;
                while (e < p->text.len && isalpha((unsigned char)t[e]))
                    e++;
                /* Letters glued to other letters (é, a Persian suffix) make
                 * it not a plain English word. */
                bool glued = (start > 0 && (unsigned char)t[start - 1] >= 0x80 &&
                              u_isalpha((UChar32)vq_text_cp_at(p, vq_text_prev_start(t, start)))) ||
                             (e < p->text.len && (unsigned char)t[e] >= 0x80 &&
                              u_isalpha((UChar32)vq_text_cp_at(p, e)));
                if (!glued && !p->hyph_done[start] && hyphenable(t + start, e - start, min_word)) {
                    p->hyph_done[start] = measuring ? HYPH_MEASURED : HYPH_LIVE;
                    vq_text_grow(w, cap, *nw + 1, sizeof **w);
                    (*w)[(*nw)++] = (word){start, e - start};
                } else if (!measuring && p->hyph_done[start] == HYPH_MEASURED) {
                    p->hyph_done[start] = HYPH_LIVE;
                    wake_points(p, start, e);
                }
                s = e;
            }
        }
        i = te > i ? te : i + 1;
    }
}

static void add_point(vq_paragraph *p, size_t pos)
{
    vq_text_grow(&p->hyphs, &p->hyph_cap, p->hyph_count + 1, sizeof *p->hyphs);
    vq_break *b = &p->hyphs[p->hyph_count++];
    memset(b, 0, sizeof *b);
    b->pos = b->content_end = pos;
    b->kind = VQ_BRK_HYPHEN;
    b->add_hyphen = true;
    uint32_t glyph;
    if (!vq_text_hyphen_for(p, pos - 1, &glyph, &b->extra))
        b->extra = 0;
}

static int by_pos(const void *a, const void *b)
{
    const vq_break *x = a, *y = b;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Adds the points of each word that leave left_min letters before them and
 * RIGHT_MIN after. */
static void hyphenate_words(vq_paragraph *p, const word *w, size_t nw, size_t left_min)
{
    size_t right_min = PATTERNS.right_min > RIGHT_MIN ? PATTERNS.right_min : RIGHT_MIN;
    if (PATTERNS.left_min > left_min)
        left_min = PATTERNS.left_min;
    char lower[VQ_HYPHEN_MAX_WORD];
    uint8_t marks[VQ_HYPHEN_MAX_WORD];
    for (size_t i = 0; i < nw; i++) {
        size_t n = w[i].n;
        for (size_t k = 0; k < n; k++)
            lower[k] = (char)tolower((unsigned char)p->text.data[w[i].at + k]);
        p->hyphenated_words++;
        if (!vq_text_hyphenate_word(lower, n, marks))
            continue;
        for (size_t k = left_min - 1; k + right_min < n; k++)
            if (marks[k] & 1)
                add_point(p, w[i].at + k + 1);
    }
}

static bool english_item(const vq_paragraph *p, const vq_item *it)
{
    return it->script == USCRIPT_LATIN && is_english(p->spans[it->span].style.lang);
}

/* Whether p has English text to hyphenate and there are patterns: then
 * p->hyph_done is there. */
static bool english_ready(vq_paragraph *p)
{
    bool any = false;
    for (size_t i = 0; i < p->item_count && !any; i++)
        any = english_item(p, &p->items[i]);
    if (!any || PATTERNS.count == 0)
        return false;
    if (!p->hyph_done)
        p->hyph_done = vq_xcalloc(p->text.len + 1, 1);
    return true;
}

/* Hyphenates the words collected, their points after the others. */
static void add_words(vq_paragraph *p, word *w, size_t nw, size_t min_word, bool measuring)
{
    size_t before = p->hyph_count;
    /* Ragged text (min_word set) keeps three letters before a point too:
     * no "(in-travenous". */
    if (nw)
        hyphenate_words(p, w, nw, min_word ? 3 : LEFT_MIN);
    for (size_t i = before; i < p->hyph_count; i++)
        p->hyphs[i].measured = measuring;
    if (p->hyph_count > before)
        qsort(p->hyphs, p->hyph_count, sizeof *p->hyphs, by_pos);
}

/* Line li is looser than badness, or splits a word without a hyphen (one
 * wider than the measure: a narrow table cell). */
static bool wants_hyphens(const vq_paragraph *p, size_t li, double badness)
{
    return p->line_spans[li].badness > badness || p->line_spans[li].end_kind == VQ_BRK_EMERGENCY;
}

void vq_text_find_hyphens(vq_paragraph *p, double badness, size_t min_word)
{
    if (!english_ready(p))
        return;
    /* The English words of each loose line and of the lines either side:
     * the windows ascend, so one walk over the items. */
    word *w = NULL;
    size_t nw = 0, cap = 0, item = 0;
    for (size_t li = 0; li < p->line_count; li++) {
        if (!wants_hyphens(p, li, badness))
            continue;
        size_t a = p->line_spans[li > 0 ? li - 1 : 0].start;
        size_t last = li + 1 < p->line_count ? li + 1 : li;
        while (li + 1 < p->line_count && wants_hyphens(p, li + 1, badness))
            last = ++li + 1 < p->line_count ? li + 1 : li; /* loose lines in a row */
        size_t b = p->line_spans[last].end;
        while (item < p->item_count && p->items[item].end <= a)
            item++;
        for (size_t i = item; i < p->item_count && p->items[i].start < b; i++) {
            const vq_item *it = &p->items[i];
            if (english_item(p, it))
                collect_words(p, it->start > a ? it->start : a, it->end < b ? it->end : b, min_word,
                              false, &w, &nw, &cap);
        }
    }
    add_words(p, w, nw, min_word, false);
    free(w);
}

void vq_text_find_all_hyphens(vq_paragraph *p, size_t min_word)
{
    if (!english_ready(p))
        return;
    word *w = NULL;
    size_t nw = 0, cap = 0;
    for (size_t i = 0; i < p->item_count; i++)
        if (english_item(p, &p->items[i]))
            collect_words(p, p->items[i].start, p->items[i].end, min_word, true, &w, &nw, &cap);
    add_words(p, w, nw, min_word, true);
    free(w);
}
