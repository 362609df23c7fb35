/* Hyphenation of English words, for the line breaker (linebreak.c).
 *
 * libhyphen with the US English patterns Debian ships in hyphen-en-us
 * (VQ_HYPHEN_DIR/hyph_en_US.dic; VQ_HYPHEN_DIR is /usr/share/hyphen unless
 * the build says otherwise). Without the file English is simply not
 * hyphenated. Only text whose language is English is hyphenated, wherever
 * it stands (an English span inside a Persian paragraph too); Persian
 * never is.
 *
 * The breaker asks only when a paragraph set without hyphenation has a
 * loose line, and only for the words of that line and the lines either
 * side of it. Each word is hyphenated at most once per text.
 *
 * Cost: libhyphen's loader spends about 37 million instructions on the
 * 10,595 patterns of the file, more than the rest of a long document's
 * line breaking. A word's points depend only on the patterns whose letters
 * occur in it (Liang's method), so the file is read once into an index of
 * its patterns by their letters, and libhyphen loads, per paragraph, a
 * dictionary of just the patterns that occur in the words it is given:
 * the same points, at a few hundred patterns per paragraph.
 *
 * A word qualifies when it is all lower-case ASCII letters, at least
 * MIN_WORD long: names and abbreviations (Roodposhti, IVIG, IgG) stay
 * whole, as careful typesetters keep them; a token holding a digit, '@', '/' or ':' (doses,
 * addresses, links) keeps its words whole. Points leave at least two letters before and three after
 * them, as the patterns were made for. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hyphen.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base/hash.h"
#include "base/io.h"
#include "text/internal.h"

#ifndef VQ_HYPHEN_DIR
#define VQ_HYPHEN_DIR "/usr/share/hyphen"
#endif

enum { MIN_WORD = 6, LEFT_MIN = 2, RIGHT_MIN = 3, MAX_WORD = 64 };

/* ---- the pattern file, read once per process ---- */

typedef struct pattern {
    const char *line; /* the pattern as written (digits included) */
    size_t line_len;
    const char *key; /* its letters (dots included), in keys */
    size_t key_len;
} pattern;

static struct {
    char *text, *keys;
    pattern *pats;
    size_t count;
    size_t *slots; /* open addressing over pats by key; SIZE_MAX = empty */
    size_t nslots;
    size_t max_key;
    char header[128]; /* the charset and hyphen-min lines */
    bool ok;
} pf;
static pthread_once_t pf_once = PTHREAD_ONCE_INIT;

static size_t hash_key(const char *s, size_t n)
{
    return (size_t)vq_hash_bytes(VQ_HASH_SEED, s, n);
}

static void free_patterns(void)
{
    free(pf.text);
    free(pf.keys);
    free(pf.pats);
    free(pf.slots);
}

static void load_patterns(void)
{
    /* A missing dictionary only means no hyphenation: the error is dropped. */
    vq_error err;
    size_t n = 0;
    char *text = vq_read_file(VQ_HYPHEN_DIR "/hyph_en_US.dic", &n, &err);
    if (!text || n == 0) {
        free(text);
        return;
    }
    pf.text = vq_xrealloc(text, n + 2);
    pf.text[n] = '\n';
    pf.text[n + 1] = '\0';
    size_t len = strlen(pf.text);
    pf.keys = vq_xmalloc(len + 1);
    size_t cap = 0, kpos = 0, hlen = 0;
    bool first = true;
    for (char *s = pf.text; *s;) {
        char *e = strchr(s, '\n');
        size_t ll = (size_t)(e - s);
        while (ll > 0 && (s[ll - 1] == '\r' || s[ll - 1] == ' '))
            ll--;
        if (first || (ll > 0 && isupper((unsigned char)s[0]))) {
            /* The charset line, then LEFTHYPHENMIN and the like. */
            if (hlen + ll + 1 < sizeof pf.header) {
                memcpy(pf.header + hlen, s, ll);
                hlen += ll;
                pf.header[hlen++] = '\n';
            }
            first = false;
        } else if (ll > 0 && s[0] != '%') {
            vq_text_grow(&pf.pats, &cap, pf.count + 1, sizeof *pf.pats);
            pattern *pt = &pf.pats[pf.count++];
            pt->line = s;
            pt->line_len = ll;
            pt->key = pf.keys + kpos;
            for (size_t i = 0; i < ll && s[i] != '/'; i++)
                if (!isdigit((unsigned char)s[i]))
                    pf.keys[kpos++] = s[i];
            pt->key_len = (size_t)(pf.keys + kpos - pt->key);
            if (pt->key_len > pf.max_key)
                pf.max_key = pt->key_len;
        }
        s = e + 1;
    }
    pf.header[hlen] = '\0';
    pf.nslots = 16;
    while (pf.nslots < 2 * pf.count)
        pf.nslots *= 2;
    pf.slots = vq_xmalloc(pf.nslots * sizeof *pf.slots);
    for (size_t i = 0; i < pf.nslots; i++)
        pf.slots[i] = SIZE_MAX;
    for (size_t i = 0; i < pf.count; i++) {
        size_t h = hash_key(pf.pats[i].key, pf.pats[i].key_len) & (pf.nslots - 1);
        while (pf.slots[h] != SIZE_MAX)
            h = (h + 1) & (pf.nslots - 1);
        pf.slots[h] = i;
    }
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

/* Marks in seen[] every pattern whose letters occur in ".word." and adds
 * its line to out. */
static void patterns_of(const char *word, size_t n, uint8_t *seen, vq_buf *out)
{
    char w[MAX_WORD + 3];
    w[0] = '.';
    memcpy(w + 1, word, n);
    w[n + 1] = '.';
    size_t wl = n + 2;
    for (size_t a = 0; a < wl; a++)
        for (size_t k = 1; k <= pf.max_key && a + k <= wl; k++) {
            size_t h = hash_key(w + a, k) & (pf.nslots - 1);
            for (size_t i; (i = pf.slots[h]) != SIZE_MAX; h = (h + 1) & (pf.nslots - 1)) {
                const pattern *pt = &pf.pats[i];
                if (pt->key_len != k || memcmp(pt->key, w + a, k) != 0)
                    continue;
                if (!(seen[i / 8] & (1u << (i % 8)))) {
                    seen[i / 8] |= (uint8_t)(1u << (i % 8));
                    vq_buf_append(out, pt->line, pt->line_len);
                    vq_buf_append_char(out, '\n');
                }
            }
        }
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

static size_t char_before(const char *t, size_t pos)
{
    size_t i = pos - 1;
    while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static bool hyphenable(const char *w, size_t n, size_t min_word)
{
    if (n < MIN_WORD || n < min_word || n > MAX_WORD)
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

/* Appends the qualifying English words of text [a, b) (one item) that
 * were not looked at before. */
static void collect_words(vq_paragraph *p, size_t a, size_t b, size_t min_word, word **w,
                          size_t *nw, size_t *cap)
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
                size_t e = s;
                while (e < p->text.len && isalpha((unsigned char)t[e]))
                    e++;
                /* Letters glued to other letters (é, a Persian suffix) make
                 * it not a plain English word. */
                bool glued = (s > 0 && (unsigned char)t[s - 1] >= 0x80 &&
                              u_isalpha((UChar32)vq_text_cp_at(p, char_before(t, s)))) ||
                             (e < p->text.len && (unsigned char)t[e] >= 0x80 &&
                              u_isalpha((UChar32)vq_text_cp_at(p, e)));
                if (!glued && !p->hyph_done[s] && hyphenable(t + s, e - s, min_word)) {
                    p->hyph_done[s] = 1;
                    vq_text_grow(w, cap, *nw + 1, sizeof **w);
                    (*w)[(*nw)++] = (word){s, e - s};
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

/* Hyphenates the words with the patterns that occur in them. */
static void hyphenate_words(vq_paragraph *p, const word *w, size_t nw, int left_min)
{
    vq_buf dic = VQ_BUF_INIT;
    vq_buf_append_str(&dic, pf.header);
    uint8_t *seen = vq_xcalloc(pf.count / 8 + 1, 1);
    char lower[MAX_WORD + 1], marks[MAX_WORD + 5];
    for (size_t i = 0; i < nw; i++) {
        for (size_t k = 0; k < w[i].n; k++)
            lower[k] = (char)tolower((unsigned char)p->text.data[w[i].at + k]);
        patterns_of(lower, w[i].n, seen, &dic);
    }
    free(seen);
    FILE *f = fmemopen(dic.data, dic.len, "r");
    HyphenDict *dict = f ? hnj_hyphen_load_file(f) : NULL;
    if (f)
        fclose(f);
    for (size_t i = 0; dict && i < nw; i++) {
        size_t n = w[i].n;
        for (size_t k = 0; k < n; k++)
            lower[k] = (char)tolower((unsigned char)p->text.data[w[i].at + k]);
        lower[n] = '\0';
        char **rep = NULL;
        int *pos = NULL, *cut = NULL;
        if (hnj_hyphen_hyphenate3(dict, lower, (int)n, marks, NULL, &rep, &pos, &cut, left_min,
                                  RIGHT_MIN, left_min, RIGHT_MIN) == 0) {
            for (size_t k = (size_t)left_min - 1; k + RIGHT_MIN < n; k++)
                if ((marks[k] & 1) && !(rep && rep[k]))
                    add_point(p, w[i].at + k + 1);
        }
        if (rep) {
            for (size_t k = 0; k < n; k++)
                free(rep[k]);
            free(rep);
        }
        free(pos);
        free(cut);
    }
    if (dict)
        hnj_hyphen_free(dict);
    vq_buf_free(&dic);
}

void vq_text_find_hyphens(vq_paragraph *p, double badness, size_t min_word)
{
    bool any = false;
    for (size_t i = 0; i < p->item_count && !any; i++)
        any = p->items[i].script == USCRIPT_LATIN &&
              is_english(p->spans[p->items[i].span].style.lang);
    if (!any)
        return;
    pthread_once(&pf_once, read_patterns);
    if (!pf.ok)
        return;
    if (!p->hyph_done) {
        p->hyph_done = vq_xcalloc(p->text.len + 1, 1);
    }
    /* The English words of each loose line and of the lines either side:
     * the windows ascend, so one walk over the items. */
    word *w = NULL;
    size_t nw = 0, cap = 0, before = p->hyph_count, item = 0;
    for (size_t li = 0; li < p->line_count; li++) {
        if (p->line_spans[li].badness <= badness)
            continue;
        size_t a = p->line_spans[li > 0 ? li - 1 : 0].start;
        size_t last = li + 1 < p->line_count ? li + 1 : li;
        while (li + 1 < p->line_count && p->line_spans[li + 1].badness > badness)
            last = ++li + 1 < p->line_count ? li + 1 : li; /* loose lines in a row */
        size_t b = p->line_spans[last].end;
        while (item < p->item_count && p->items[item].end <= a)
            item++;
        for (size_t i = item; i < p->item_count && p->items[i].start < b; i++) {
            const vq_item *it = &p->items[i];
            if (it->script != USCRIPT_LATIN || !is_english(p->spans[it->span].style.lang))
                continue;
            collect_words(p, it->start > a ? it->start : a, it->end < b ? it->end : b, min_word, &w,
                          &nw, &cap);
        }
    }
    /* Ragged text (min_word set) keeps three letters before a point too:
     * no "(in-travenous". */
    if (nw)
        hyphenate_words(p, w, nw, min_word ? 3 : LEFT_MIN);
    free(w);
    if (p->hyph_count > before)
        qsort(p->hyphs, p->hyph_count, sizeof *p->hyphs, by_pos);
}
