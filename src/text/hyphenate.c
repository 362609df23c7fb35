/* Hyphenation of English words, for the line breaker (linebreak.c).
 *
 * Liang's method with the US English patterns Debian ships in hyphen-en-us
 * (VQ_HYPHEN_DIR/hyph_en_US.dic, libhyphen's format; VQ_HYPHEN_DIR is
 * /usr/share/hyphen unless the build says otherwise). Without the file
 * English is simply not hyphenated. Only text whose language is English is
 * hyphenated, wherever it stands (an English span inside a Persian
 * paragraph too); Persian never is.
 *
 * The breaker asks only when a paragraph set without hyphenation has a
 * loose line, and only for the words of that line and the lines either
 * side of it. Each word is hyphenated at most once per text.
 *
 * Cost: the file is read once per process into a table of its patterns by
 * their letters (about 2 million instructions); a word's points are then
 * the highest digit of every pattern that occurs in ".word.", looked up
 * substring by substring. libhyphen computes the same points (its loader
 * only builds an automaton over the same table), but it cannot add
 * patterns to a loaded dictionary and its loader costs about 37 million
 * instructions for the whole file and a million for even a small one, so
 * loading per paragraph or per word cost more than the lines it set;
 * tests/text/test_hyphenate.c checks that both agree word for word.
 * Patterns with a non-standard replacement ("/": none in the English
 * file) are skipped.
 *
 * A word qualifies when it is all lower-case ASCII letters, at least
 * MIN_WORD long: names and abbreviations (Roodposhti, IVIG, IgG) stay
 * whole, as careful typesetters keep them; a token holding a digit, '@', '/' or ':' (doses,
 * addresses, links) keeps its words whole. Points leave at least two letters before and three after
 * them, as the patterns were made for. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base/hash.h"
#include "base/io.h"
#include "text/internal.h"

#ifndef VQ_HYPHEN_DIR
#define VQ_HYPHEN_DIR "/usr/share/hyphen"
#endif

enum { MIN_WORD = 6, LEFT_MIN = 2, RIGHT_MIN = 3 };
#define EMPTY_SLOT UINT32_MAX

/* ---- the pattern file, read once per process ---- */

typedef struct pattern {
    uint32_t key;    /* its letters (dots included), at pf.keys + key */
    uint32_t digits; /* key_len + 1 values at pf.digits + digits: the digit before
                        each letter, then the one after the last */
    uint32_t key_len;
} pattern;

static struct {
    char *keys;
    uint8_t *digits;
    pattern *pats;
    size_t count;
    uint32_t *slots; /* open addressing over pats by key */
    size_t nslots;
    size_t max_key;
    size_t left_min, right_min; /* the file's LEFTHYPHENMIN, RIGHTHYPHENMIN */
    bool ok;
} pf;
static pthread_once_t pf_once = PTHREAD_ONCE_INIT;

static void free_patterns(void)
{
    free(pf.keys);
    free(pf.digits);
    free(pf.pats);
    free(pf.slots);
}

static bool starts(const char *s, size_t n, const char *word)
{
    size_t wl = strlen(word);
    return n > wl && memcmp(s, word, wl) == 0 && s[wl] == ' ';
}

/* The slot of key [s, s + n) with hash h, or the empty slot where it
 * would go. */
static uint32_t *slot_of(const char *s, size_t n, uint64_t h)
{
    size_t i = (size_t)h & (pf.nslots - 1);
    for (; pf.slots[i] != EMPTY_SLOT; i = (i + 1) & (pf.nslots - 1)) {
        const pattern *pt = &pf.pats[pf.slots[i]];
        if (pt->key_len == n && memcmp(pf.keys + pt->key, s, n) == 0)
            break;
    }
    return &pf.slots[i];
}

/* A table of n slots (a power of two) holding the patterns read so far. */
static void set_slots(size_t n)
{
    free(pf.slots);
    pf.nslots = n;
    pf.slots = vq_xmalloc(n * sizeof *pf.slots);
    memset(pf.slots, 0xFF, n * sizeof *pf.slots);
    for (size_t i = 0; i < pf.count; i++) {
        const pattern *pt = &pf.pats[i];
        const char *key = pf.keys + pt->key;
        *slot_of(key, pt->key_len, vq_hash_bytes(VQ_HASH_SEED, key, pt->key_len)) = (uint32_t)i;
    }
}

static void load_patterns(void)
{
    /* A missing dictionary only means no hyphenation: the error is dropped. */
    vq_error err;
    size_t n = 0;
    char *text = vq_read_file(VQ_HYPHEN_DIR "/hyph_en_US.dic", &n, &err);
    if (!text || n == 0 || n > UINT32_MAX / 2) {
        free(text);
        return;
    }
    /* A pattern line holds at least one letter and its newline, and its
     * letters and digits take at most one byte more than the line. */
    size_t most = n / 2 + 1;
    pf.keys = vq_xmalloc(n);
    pf.digits = vq_xmalloc(n + most);
    pf.pats = vq_xmalloc(most * sizeof *pf.pats);
    /* About one pattern in ten bytes (English: 11,100 in 106 kB). */
    size_t slots = 16;
    while (slots < n / 5)
        slots *= 2;
    set_slots(slots);
    size_t kpos = 0, dpos = 0;
    const char *s = text, *end = text + n;
    /* The charset line first, then upper-case lines (LEFTHYPHENMIN and
     * the like), comments and patterns. */
    s = memchr(s, '\n', n);
    while (s && ++s < end) {
        if (*s == '%' || (*s >= 'A' && *s <= 'Z')) {
            if (starts(s, (size_t)(end - s), "LEFTHYPHENMIN"))
                pf.left_min = (size_t)atoi(s + 13);
            else if (starts(s, (size_t)(end - s), "RIGHTHYPHENMIN"))
                pf.right_min = (size_t)atoi(s + 14);
            s = memchr(s, '\n', (size_t)(end - s));
            continue;
        }
        /* As libhyphen reads it: the pattern ends at a space or a control. */
        char *key = pf.keys + kpos;
        uint8_t *d = pf.digits + dpos;
        size_t k = 0;
        uint64_t h = VQ_HASH_SEED;
        bool replacement = false;
        d[0] = 0;
        for (unsigned char c; s < end && (c = (unsigned char)*s) > ' '; s++) {
            if ((unsigned)(c - '0') <= 9) {
                d[k] = (uint8_t)(c - '0');
            } else {
                replacement |= c == '/';
                key[k++] = (char)c;
                h = vq_hash_bytes(h, &c, 1);
                d[k] = 0;
            }
        }
        if (s < end && *s != '\n')
            s = memchr(s, '\n', (size_t)(end - s));
        if (k == 0 || replacement)
            continue;
        if (2 * (pf.count + 1) > pf.nslots)
            set_slots(2 * pf.nslots);
        uint32_t *slot = slot_of(key, k, h);
        if (*slot != EMPTY_SLOT) {
            /* Written twice: the later line counts, as in libhyphen. */
            pf.pats[*slot].digits = (uint32_t)dpos;
        } else {
            pf.pats[pf.count] = (pattern){(uint32_t)kpos, (uint32_t)dpos, (uint32_t)k};
            *slot = (uint32_t)pf.count++;
            kpos += k;
            if (k > pf.max_key)
                pf.max_key = k;
        }
        dpos += k + 1;
    }
    free(text);
    pf.ok = pf.count > 0;
    atexit(free_patterns);
}

static void read_patterns(void)
{
    /* Kept for the process: never part of an engine's heap. */
    vq_heap_pause outside = vq_heap_pause_begin();
    load_patterns();
    vq_heap_pause_end(outside);
}

bool vq_text_hyphenate_word(const char *word, size_t n, uint8_t *marks)
{
    pthread_once(&pf_once, read_patterns);
    if (!pf.ok || n == 0 || n > VQ_HYPHEN_MAX_WORD)
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
        for (size_t k = 1; k <= pf.max_key && a + k <= wl; k++) {
            h = vq_hash_bytes(h, w + a + k - 1, 1);
            for (size_t s = (size_t)h & (pf.nslots - 1); pf.slots[s] != EMPTY_SLOT;
                 s = (s + 1) & (pf.nslots - 1)) {
                const pattern *pt = &pf.pats[pf.slots[s]];
                if (pt->key_len != k || memcmp(pf.keys + pt->key, w + a, k) != 0)
                    continue;
                const uint8_t *d = pf.digits + pt->digits;
                for (size_t j = 0; j <= k; j++)
                    if (d[j] > v[a + j])
                        v[a + j] = d[j];
                break;
            }
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
    size_t right_min = pf.right_min > RIGHT_MIN ? pf.right_min : RIGHT_MIN;
    if (pf.left_min > left_min)
        left_min = pf.left_min;
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

/* Whether p has English text to hyphenate and the patterns are read:
 * then p->hyph_done is there. */
static bool english_ready(vq_paragraph *p)
{
    bool any = false;
    for (size_t i = 0; i < p->item_count && !any; i++)
        any = english_item(p, &p->items[i]);
    if (!any)
        return false;
    pthread_once(&pf_once, read_patterns);
    if (!pf.ok)
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
