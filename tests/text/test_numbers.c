/* Numbers inside Persian sentences read as written: over every sentence of
 * tests/text/clinical_fa.txt (doses, blood pressures, ratios, decimals,
 * ranges, percentages, dates, times, phone numbers), in each bundled face,
 * digits as written and as Persian, on wide and narrow measures, every
 * number token keeps its glyphs together on one line and left to right in
 * the order of its characters. A token is found here independently of the
 * engine: digit groups joined by / . , : ٫ ٬, superscript digits, a sign
 * that opens a word, a percent sign after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/io.h"
#include "base/utf8.h"
#include "fonts_fixture.h"
#include "text/paragraph.h"

static uint32_t cp_at(const char *t, size_t len, size_t i, size_t *n)
{
    uint32_t cp = 0;
    *n = i < len ? vq_utf8_decode(t + i, len - i, &cp) : 0;
    return *n ? cp : 0;
}

static bool is_digit(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0x6F0 && c <= 0x6F9) || (c >= 0x660 && c <= 0x669);
}

static bool is_sup(uint32_t c)
{
    return c == 0xB2 || c == 0xB3 || c == 0xB9 || c == 0x2070 || (c >= 0x2074 && c <= 0x2079);
}

static bool is_sep(uint32_t c)
{
    return c == '/' || c == '.' || c == ',' || c == ':' || c == 0x66B || c == 0x66C;
}

/* The next number token at or after *pos: [a, b). */
static bool next_token(const char *t, size_t len, size_t *pos, size_t *a, size_t *b)
{
    size_t i = *pos, n, m;
    while (i < len && !is_digit(cp_at(t, len, i, &n)))
        i += n ? n : 1;
    if (i >= len)
        return false;
    *a = i;
    if (i > 0 && strchr("+-", t[i - 1]) && (i == 1 || t[i - 2] == ' ' || t[i - 2] == '('))
        *a = i - 1;
    else if (i > 1 && (unsigned char)t[i - 2] == 0xC2 && (unsigned char)t[i - 1] == 0xB1)
        *a = i - 2; /* ± */
    for (;;) {
        while (is_digit(cp_at(t, len, i, &n)) || is_sup(cp_at(t, len, i, &n)))
            i += n;
        if (is_sep(cp_at(t, len, i, &n)) && is_digit(cp_at(t, len, i + n, &m)))
            i += n;
        else
            break;
    }
    uint32_t c = cp_at(t, len, i, &n);
    if (c == '%' || c == 0x66A)
        i += n;
    *b = i;
    *pos = i;
    return true;
}

typedef struct placed {
    double x;
    uint32_t cluster;
} placed;

static int by_x(const void *a, const void *b)
{
    const placed *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : (int)p->cluster - (int)q->cluster;
}

/* Checks every token of the laid-out paragraph; returns the failures. */
static int check_tokens(const vq_paragraph *p, const char *label)
{
    size_t len;
    const char *t = vq_paragraph_text(p, &len);
    int failures = 0;
    size_t pos = 0, a, b;
    while (next_token(t, len, &pos, &a, &b)) {
        size_t line_of = (size_t)-1, count = 0, cap = 64;
        placed *in = malloc(cap * sizeof *in);
        double lo = 1e9, hi = -1e9;
        bool split = false;
        for (size_t li = 0; li < vq_paragraph_line_count(p); li++) {
            const vq_line *l = vq_paragraph_line(p, li);
            for (size_t r = 0; r < l->run_count; r++) {
                double x = l->runs[r].x;
                for (size_t g = 0; g < l->runs[r].glyph_count; g++) {
                    const vq_glyph *gl = &l->runs[r].glyphs[g];
                    if (gl->cluster >= a && gl->cluster < b) {
                        if (line_of != (size_t)-1 && line_of != li)
                            split = true;
                        line_of = li;
                        if (count == cap)
                            in = realloc(in, (cap *= 2) * sizeof *in);
                        in[count].x = x + gl->x_advance / 2;
                        in[count++].cluster = gl->cluster;
                        if (x + gl->x_advance / 2 < lo)
                            lo = x + gl->x_advance / 2;
                        if (x + gl->x_advance / 2 > hi)
                            hi = x + gl->x_advance / 2;
                    }
                    x += gl->x_advance;
                }
            }
        }
        bool bad = split;
        const char *why = split ? "split across lines" : "";
        qsort(in, count, sizeof *in, by_x);
        for (size_t k = 1; k < count && !bad; k++)
            if (in[k].cluster < in[k - 1].cluster) {
                bad = true;
                why = "not left to right";
            }
        /* Nothing else drawn between its first and last glyph. */
        if (!bad && line_of != (size_t)-1) {
            const vq_line *l = vq_paragraph_line(p, line_of);
            for (size_t r = 0; r < l->run_count && !bad; r++) {
                double x = l->runs[r].x;
                for (size_t g = 0; g < l->runs[r].glyph_count; g++) {
                    const vq_glyph *gl = &l->runs[r].glyphs[g];
                    double mid = x + gl->x_advance / 2;
                    if ((gl->cluster < a || gl->cluster >= b) && gl->x_advance > 0.01 && mid > lo &&
                        mid < hi) {
                        bad = true;
                        why = "not whole";
                        break;
                    }
                    x += gl->x_advance;
                }
            }
        }
        if (bad) {
            print_error("%s: \"%.*s\" %s in: %.*s\n", label, (int)(b - a), t + a, why, (int)len, t);
            failures++;
        }
        free(in);
    }
    return failures;
}

static void clinical_sentences(void **state)
{
    (void)state;
    size_t len;
    vq_error err;
    char *text = vq_read_file(VQ_SOURCE_DIR "/tests/text/clinical_fa.txt", &len, &err);
    assert_non_null(text);
    const char *faces[] = {"Vazirmatn", "Amiri", "Noto Serif"};
    const vq_digits digits[] = {VQ_DIGITS_AS_WRITTEN, VQ_DIGITS_PERSIAN};
    const double widths[] = {2000, 150};
    int failures = 0, sentences = 0, tokens = 0;
    vq_paragraph *p = vq_paragraph_create(fonts);
    for (size_t s = 0; s < len;) {
        size_t e = s;
        while (e < len && text[e] != '\n')
            e++;
        if (e > s) {
            sentences++;
            size_t pos = 0, a, b;
            while (next_token(text + s, e - s, &pos, &a, &b))
                tokens++;
            for (size_t f = 0; f < 3; f++)
                for (size_t d = 0; d < 2; d++)
                    for (size_t w = 0; w < 2; w++) {
                        vq_text_style st = {.family = faces[f],
                                            .size = 11,
                                            .weight = 400,
                                            .lang = "fa",
                                            .digits = digits[d]};
                        vq_paragraph_style ps;
                        vq_paragraph_style_init(&ps, widths[w]);
                        ps.dir = VQ_DIR_RTL;
                        vq_paragraph_reset(p);
                        vq_paragraph_add_text(p, text + s, e - s, &st);
                        assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
                        char label[64];
                        snprintf(label, sizeof label, "%s %s %gpt", faces[f],
                                 d ? "persian" : "as-written", widths[w]);
                        failures += check_tokens(p, label);
                    }
        }
        s = e + 1;
    }
    vq_paragraph_destroy(p);
    free(text);
    print_message("%d sentences, %d number tokens, 12 settings each\n", sentences, tokens);
    assert_true(sentences >= 30);
    assert_int_equal(failures, 0);
}

/* The percent sign stays on the right of its number, as written. */
static void percent_on_the_right(void **state)
{
    (void)state;
    const char *cases[] = {"اشباع 94% بود", "۷۸٪ بیماران", "در 5-10% موارد"};
    vq_paragraph *p = vq_paragraph_create(fonts);
    vq_error err;
    for (size_t i = 0; i < 3; i++) {
        vq_text_style st = {.family = "Vazirmatn", .size = 11, .weight = 400, .lang = "fa"};
        vq_paragraph_style ps;
        vq_paragraph_style_init(&ps, 500);
        ps.dir = VQ_DIR_RTL;
        vq_paragraph_reset(p);
        vq_paragraph_add_text(p, cases[i], strlen(cases[i]), &st);
        assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
        size_t len;
        const char *t = vq_paragraph_text(p, &len);
        const char *pct = strstr(t, "%") ? strstr(t, "%") : strstr(t, "٪");
        assert_non_null(pct);
        size_t at = (size_t)(pct - t);
        double x_pct = -1, x_digit_max = -1;
        const vq_line *l = vq_paragraph_line(p, 0);
        for (size_t r = 0; r < l->run_count; r++) {
            double x = l->runs[r].x;
            for (size_t g = 0; g < l->runs[r].glyph_count; g++) {
                const vq_glyph *gl = &l->runs[r].glyphs[g];
                if (gl->cluster == at)
                    x_pct = x;
                else if (gl->cluster < at && gl->cluster + 3 > at - 4 &&
                         (t[gl->cluster] & 0x80 ? (unsigned char)t[gl->cluster] == 0xDB
                                                : t[gl->cluster] >= '0' && t[gl->cluster] <= '9'))
                    x_digit_max = x > x_digit_max ? x : x_digit_max;
                x += gl->x_advance;
            }
        }
        assert_true(x_pct >= 0 && x_digit_max >= 0);
        if (x_pct < x_digit_max)
            fail_msg("%s: the percent sign is left of its number", cases[i]);
    }
    vq_paragraph_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clinical_sentences),
        cmocka_unit_test(percent_on_the_right),
    };
    return cmocka_run_group_tests(tests, fonts_setup, fonts_teardown);
}
