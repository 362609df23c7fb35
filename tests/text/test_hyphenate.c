/* English hyphenation points (text/hyphenate.c, Liang's method over the
 * patterns compiled in at build time) are libhyphen's, word for word:
 * every lower-case word of six letters or more in the sample article, the
 * docs and the README, and in the system word list when there is one, is
 * hyphenated by both, libhyphen loading the patterns file the table was
 * made from, with the same minimum lengths (two letters before a point,
 * three after). The table holds exactly the file's patterns, and a few
 * words are also checked against their known points. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hyphen.h>

#include "base/io.h"
#include "text/hyphenate_table.h"
#include "text/internal.h"

enum { LEFT = 2, RIGHT = 3, MIN_WORD = 6 };

/* "hy-phen-ation": the word with a '-' at each point varaq finds. */
static void points(const char *word, char *out)
{
    size_t n = strlen(word), o = 0;
    uint8_t marks[VQ_HYPHEN_MAX_WORD];
    assert_true(vq_text_hyphenate_word(word, n, marks));
    for (size_t k = 0; k < n; k++) {
        out[o++] = word[k];
        if (k + 1 >= LEFT && k + RIGHT < n && (marks[k] & 1))
            out[o++] = '-';
    }
    out[o] = '\0';
}

static void known_words(void **state)
{
    (void)state;
    char out[2 * VQ_HYPHEN_MAX_WORD];
    points("hyphenation", out);
    assert_string_equal(out, "hy-phen-ation");
    points("immunoglobulin", out);
    assert_string_equal(out, "im-munoglob-u-lin");
    points("scleromyxedema", out);
    assert_string_equal(out, "scle-romyxedema");
    points("considerable", out);
    assert_string_equal(out, "con-sid-er-able");
}

typedef struct counts {
    size_t words, differ;
} counts;

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compares the points of each distinct qualifying word of text. */
static void compare_words(HyphenDict *dict, const char *text, counts *c)
{
    char **words = NULL;
    size_t n = 0, cap = 0;
    for (const char *s = text; *s;) {
        if (!isalpha((unsigned char)*s)) {
            s++;
            continue;
        }
        const char *e = s;
        bool lower = true;
        while (isalpha((unsigned char)*e))
            lower &= islower((unsigned char)*e++) != 0;
        size_t len = (size_t)(e - s);
        if (lower && len >= MIN_WORD && len <= VQ_HYPHEN_MAX_WORD) {
            if (n == cap) {
                cap = cap ? 2 * cap : 256;
                words = realloc(words, cap * sizeof *words);
                assert_non_null(words);
            }
            words[n++] = strndup(s, len);
        }
        s = e;
    }
    if (n)
        qsort(words, n, sizeof *words, by_string);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(words[i], words[i - 1]) == 0)
            continue;
        const char *w = words[i];
        int len = (int)strlen(w);
        uint8_t marks[VQ_HYPHEN_MAX_WORD];
        char hyphens[VQ_HYPHEN_MAX_WORD + 5];
        char **rep = NULL;
        int *pos = NULL, *cut = NULL;
        assert_true(vq_text_hyphenate_word(w, (size_t)len, marks));
        assert_int_equal(hnj_hyphen_hyphenate3(dict, w, len, hyphens, NULL, &rep, &pos, &cut, LEFT,
                                               RIGHT, LEFT, RIGHT),
                         0);
        bool same = true;
        for (int k = LEFT - 1; k + RIGHT < len; k++)
            same &= (marks[k] & 1) == (hyphens[k] & 1);
        if (!same && c->differ++ < 10)
            fprintf(stderr, "'%s': points differ from libhyphen's\n", w);
        c->words++;
        if (rep) {
            for (int k = 0; k < len; k++)
                free(rep[k]);
            free(rep);
        }
        free(pos);
        free(cut);
    }
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
}

static void compare_file(HyphenDict *dict, const char *path, counts *c)
{
    size_t len;
    vq_error err;
    char *text = vq_read_file(path, &len, &err);
    if (!text) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        fail();
    }
    compare_words(dict, text, c);
    free(text);
}

static void same_as_libhyphen(void **state)
{
    (void)state;
    HyphenDict *dict = hnj_hyphen_load(VQ_HYPHEN_DIR "/hyph_en_US.dic");
    assert_non_null(dict);
    static const char *const files[] = {
        "samples/scleromyxedema-ivig/article.txt",
        "README.md",
        "docs/markup.md",
        "docs/architecture.md",
        "docs/templates.md",
        "docs/copyout.md",
        "docs/limits.md",
    };
    counts c = {0, 0};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *path = vq_path_join(VQ_SOURCE_DIR, files[i]);
        compare_file(dict, path, &c);
        free(path);
    }
    assert_true(c.words > 1000);
    FILE *f = fopen("/usr/share/dict/words", "r");
    if (f) { /* more words where a word list is installed */
        fclose(f);
        compare_file(dict, "/usr/share/dict/words", &c);
    }
    fprintf(stderr, "%zu words, %zu with other points than libhyphen's\n", c.words, c.differ);
    assert_int_equal(c.differ, 0);
    hnj_hyphen_free(dict);
}

typedef struct file_pattern {
    char key[256];
    uint8_t digits[257];
    size_t len, line;
} file_pattern;

static int by_key_then_line(const void *a, const void *b)
{
    const file_pattern *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Every pattern line of the file (its later line, when written twice) is
 * in the table with its digits, and the table holds nothing else. */
static void table_holds_the_file(void **state)
{
    (void)state;
    size_t len;
    vq_error err;
    char *text = vq_read_file(VQ_HYPHEN_DIR "/hyph_en_US.dic", &len, &err);
    assert_non_null(text);
    file_pattern *pats = calloc(len / 2 + 1, sizeof *pats);
    assert_non_null(pats);
    size_t n = 0, line = 0;
    long left = -1, right = -1;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (line++ == 0)
            continue; /* the charset */
        if (sscanf(l, "LEFTHYPHENMIN %ld", &left) == 1 ||
            sscanf(l, "RIGHTHYPHENMIN %ld", &right) == 1 || l[0] == '%' ||
            isupper((unsigned char)l[0]))
            continue;
        file_pattern *p = &pats[n];
        p->line = line;
        for (const char *c = l; *c && !isspace((unsigned char)*c); c++) {
            assert_true(p->len < sizeof p->key - 1);
            if (isdigit((unsigned char)*c))
                p->digits[p->len] = (uint8_t)(*c - '0');
            else
                p->key[p->len++] = *c;
        }
        if (p->len)
            n++;
        else
            memset(p, 0, sizeof *p);
    }
    assert_true(n > 10000);
    assert_int_equal(left, 2);
    assert_int_equal(right, 3);
    assert_int_equal(vq_hyphen_en_us.left_min, 2);
    assert_int_equal(vq_hyphen_en_us.right_min, 3);
    qsort(pats, n, sizeof *pats, by_key_then_line);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && strcmp(pats[i].key, pats[i + 1].key) == 0)
            continue; /* the later line counts */
        distinct++;
        const uint8_t *d = vq_text_hyphen_pattern(pats[i].key, pats[i].len);
        if (!d || memcmp(d, pats[i].digits, pats[i].len + 1) != 0) {
            fprintf(stderr, "line %zu: pattern '%s' %s\n", pats[i].line, pats[i].key,
                    d ? "has other digits in the table" : "is not in the table");
            fail();
        }
    }
    assert_int_equal(vq_hyphen_en_us.count, distinct);
    /* Each entry is one of those found, once: count them through the slots. */
    size_t used = 0;
    for (size_t s = 0; s < vq_hyphen_en_us.nslots; s++)
        used += vq_hyphen_en_us.slots[s] != VQ_HYPHEN_EMPTY;
    assert_int_equal(used, distinct);
    assert_null(vq_text_hyphen_pattern("zzzz", 4));
    free(pats);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_words),
        cmocka_unit_test(same_as_libhyphen),
        cmocka_unit_test(table_holds_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
