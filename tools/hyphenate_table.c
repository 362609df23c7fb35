/* Build tool: compiles a hyphenation patterns file in libhyphen's format
 * (hyph_en_US.dic) into the C table src/text/hyphenate.c looks words up in
 * (src/text/hyphenate_table.h), so no process reads or parses the file.
 *
 *     hyphenate_table PATTERNS.dic OUT.c
 *
 * A missing PATTERNS file gives an empty table (English is then not
 * hyphenated) and a note on stderr. The file is read as libhyphen reads it:
 * the charset line first; upper-case lines (LEFTHYPHENMIN, RIGHTHYPHENMIN
 * are kept) and '%' comments skipped; a pattern ends at a space or a
 * control character; its digits are the values between its letters; a
 * pattern written twice counts as its later line; patterns with a
 * non-standard replacement ('/': none in the English file) are left out.
 * The output depends only on the file. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

#define EMPTY UINT32_MAX

typedef struct pattern {
    char key[255]; /* its length is written as one byte */
    uint8_t digits[256];
    size_t len;
} pattern;

static pattern *pats;
static size_t count, cap;
static uint32_t *slots; /* index into pats, by key */
static size_t nslots;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fprintf(stderr, "hyphenate_table: out of memory\n");
        exit(1);
    }
    return p;
}

static uint32_t *slot_of(const pattern *pt)
{
    size_t i = (size_t)vq_hash_bytes(VQ_HASH_SEED, pt->key, pt->len) & (nslots - 1);
    for (; slots[i] != EMPTY; i = (i + 1) & (nslots - 1)) {
        const pattern *q = &pats[slots[i]];
        if (q->len == pt->len && memcmp(q->key, pt->key, pt->len) == 0)
            break;
    }
    return &slots[i];
}

static void rehash(size_t n)
{
    free(slots);
    nslots = n;
    slots = xrealloc(NULL, n * sizeof *slots);
    memset(slots, 0xFF, n * sizeof *slots);
    for (size_t i = 0; i < count; i++)
        *slot_of(&pats[i]) = (uint32_t)i;
}

static void add(const pattern *pt)
{
    if (2 * (count + 1) > nslots)
        rehash(nslots ? 2 * nslots : 64);
    uint32_t *slot = slot_of(pt);
    if (*slot != EMPTY) {
        pats[*slot] = *pt; /* written twice: the later line counts */
        return;
    }
    if (count == cap) {
        cap = cap ? 2 * cap : 1024;
        pats = xrealloc(pats, cap * sizeof *pats);
    }
    pats[count] = *pt;
    *slot = (uint32_t)count++;
}

static bool starts(const char *s, const char *word)
{
    size_t n = strlen(word);
    return strncmp(s, word, n) == 0 && s[n] == ' ';
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t n = 0, got;
    char chunk[65536];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        text = xrealloc(text, n + got + 1);
        memcpy(text + n, chunk, got);
        n += got;
    }
    fclose(f);
    text = xrealloc(text, n + 1);
    text[n] = 0;
    *len = n;
    return text;
}

/* Reads the patterns, LEFTHYPHENMIN and RIGHTHYPHENMIN of text. */
static void parse(const char *text, size_t n, unsigned *left_min, unsigned *right_min)
{
    const char *s = memchr(text, '\n', n), *end = text + n;
    while (s && ++s < end) {
        if (*s == '%' || (*s >= 'A' && *s <= 'Z')) {
            if (starts(s, "LEFTHYPHENMIN"))
                *left_min = (unsigned)atoi(s + 13);
            else if (starts(s, "RIGHTHYPHENMIN"))
                *right_min = (unsigned)atoi(s + 14);
            s = memchr(s, '\n', (size_t)(end - s));
            continue;
        }
        pattern pt;
        size_t k = 0;
        bool replacement = false, too_long = false;
        pt.digits[0] = 0;
        for (unsigned char c; s < end && (c = (unsigned char)*s) > ' '; s++) {
            if (k >= sizeof pt.key) {
                too_long = true;
            } else if ((unsigned)(c - '0') <= 9) {
                pt.digits[k] = (uint8_t)(c - '0');
            } else {
                replacement |= c == '/';
                pt.key[k++] = (char)c;
                pt.digits[k] = 0;
            }
        }
        if (s < end && *s != '\n')
            s = memchr(s, '\n', (size_t)(end - s));
        if (too_long) {
            fprintf(stderr, "hyphenate_table: a pattern longer than %zu letters\n", sizeof pt.key);
            exit(1);
        }
        if (k == 0 || replacement)
            continue;
        pt.len = k;
        add(&pt);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: hyphenate_table PATTERNS.dic OUT.c\n");
        return 2;
    }
    unsigned left_min = 0, right_min = 0;
    size_t n = 0;
    char *text = read_all(argv[1], &n);
    if (text)
        parse(text, n, &left_min, &right_min);
    else
        fprintf(stderr, "hyphenate_table: %s: %s; English will not be hyphenated\n", argv[1],
                strerror(errno));
    free(text);

    /* The table: each pattern once, as its length, its letters and its
     * digits, in the order first read; slots at least twice the count,
     * holding offsets into it (hyphenate.c probes with the same hash). */
    size_t table_slots = 64;
    while (table_slots < 2 * (count + 1))
        table_slots *= 2;
    uint32_t *offsets = xrealloc(NULL, (count ? count : 1) * sizeof *offsets);
    size_t size = 0, max_key = 0;
    for (size_t i = 0; i < count; i++) {
        offsets[i] = (uint32_t)size;
        size += 1 + 2 * pats[i].len + 1;
        if (pats[i].len > max_key)
            max_key = pats[i].len;
    }
    rehash(table_slots);

    FILE *out = fopen(argv[2], "w");
    if (!out) {
        fprintf(stderr, "hyphenate_table: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    fprintf(out, "/* Generated by tools/hyphenate_table.c from %s: %zu patterns. */\n", argv[1],
            count);
    fprintf(out, "#include \"text/hyphenate_table.h\"\n\n");
    fprintf(out, "static const uint8_t entries[%zu] = {", size ? size : 1);
    size_t col = 0;
    for (size_t i = 0; i < count; i++) {
        const pattern *pt = &pats[i];
        fprintf(out, "%s%zu,", col++ % 16 ? "" : "\n", pt->len);
        for (size_t k = 0; k < pt->len; k++)
            fprintf(out, "%s%u,", col++ % 16 ? "" : "\n", (unsigned char)pt->key[k]);
        for (size_t k = 0; k <= pt->len; k++)
            fprintf(out, "%s%u,", col++ % 16 ? "" : "\n", pt->digits[k]);
    }
    fprintf(out, "%s};\n\n", size ? "\n" : "0");
    fprintf(out, "static const uint32_t slots[%zu] = {", nslots);
    for (size_t i = 0; i < nslots; i++)
        fprintf(out, "%s%lu,", i % 8 ? "" : "\n",
                (unsigned long)(slots[i] == EMPTY ? EMPTY : offsets[slots[i]]));
    fprintf(out, "\n};\n\n");
    fprintf(out,
            "const vq_hyphen_table vq_hyphen_en_us = {entries, slots, %zu, %zu, %zu, %u, %u};\n",
            nslots, count, max_key, left_min, right_min);
    if (fclose(out) != 0) {
        fprintf(stderr, "hyphenate_table: %s: cannot write\n", argv[2]);
        return 1;
    }
    free(offsets);
    free(slots);
    free(pats);
    return 0;
}
