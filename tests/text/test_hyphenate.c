/* English hyphenation points (text/hyphenate.c, Liang's method over the
 * patterns file) are libhyphen's, word for word: every lower-case word of
 * six letters or more in the sample article, the docs and the README, and
 * in the system word list when there is one, is hyphenated by both with
 * the same patterns file and the same minimum lengths (two letters before
 * a point, three after). A few words are also checked against their
 * known points. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_words),
        cmocka_unit_test(same_as_libhyphen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
