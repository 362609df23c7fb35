/* Properties of the paragraph engine on the seed text: line widths,
 * justification, optimal fit against first fit, re-layout without
 * re-shaping, warnings, and the API's errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/io.h"
#include "fonts_fixture.h"
#include "text/paragraph.h"

/* The sample article's text (blank-line separated paragraphs). */
static char *read_seed(size_t *len)
{
    vq_error err;
    char *text = vq_read_file(VQ_SOURCE_DIR "/samples/scleromyxedema-ivig/article.txt", len, &err);
    assert_non_null(text);
    return text;
}

static bool has_arabic(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if ((unsigned char)s[i] == 0xD8 || (unsigned char)s[i] == 0xD9 ||
            (unsigned char)s[i] == 0xDA || (unsigned char)s[i] == 0xDB)
            return true;
    return false;
}

typedef void (*para_fn)(vq_paragraph *p, const char *text, size_t len, bool persian);

static size_t for_each_seed_paragraph(para_fn fn)
{
    size_t len;
    char *seed = read_seed(&len);
    size_t count = 0;
    vq_paragraph *p = vq_paragraph_create(fonts);
    for (char *s = seed; *s;) {
        char *end = strstr(s, "\n\n");
        size_t n = end ? (size_t)(end - s) : strlen(s);
        while (n && (s[0] == '\n')) {
            s++;
            n--;
        }
        if (n) {
            bool fa = has_arabic(s, n);
            vq_text_style st = {.size = 11, .weight = 400, .lang = fa ? "fa" : "en"};
            vq_paragraph_reset(p);
            vq_paragraph_add_text(p, s, n, &st);
            fn(p, s, n, fa);
            count++;
        }
        if (!end)
            break;
        s = end + 2;
    }
    vq_paragraph_destroy(p);
    free(seed);
    return count;
}

static double space_width(const vq_line *ln, const char *text)
{
    double w = 0;
    for (size_t r = 0; r < ln->run_count; r++)
        for (size_t g = 0; g < ln->runs[r].glyph_count; g++)
            if (text[ln->runs[r].glyphs[g].cluster] == ' ')
                w += ln->runs[r].glyphs[g].x_advance;
    return w;
}

static size_t optimal_better; /* layouts where optimal fit beat first fit */

static void check_widths(vq_paragraph *p, const char *src, size_t n, bool fa)
{
    (void)src;
    (void)n;
    static const double widths[] = {120, 240, 420};
    for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
        vq_paragraph_style ps;
        vq_paragraph_style_init(&ps, widths[w]);
        ps.align = VQ_ALIGN_JUSTIFY;
        ps.dir = fa ? VQ_DIR_RTL : VQ_DIR_LTR;
        vq_error err;
        assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
        const char *text = vq_paragraph_text(p, NULL);
        size_t lines = vq_paragraph_line_count(p);
        assert_true(lines > 0);
        for (size_t i = 0; i < lines; i++) {
            const vq_line *ln = vq_paragraph_line(p, i);
            double sum = 0, left = 1e9, right = -1e9;
            for (size_t r = 0; r < ln->run_count; r++) {
                double rw = 0;
                for (size_t g = 0; g < ln->runs[r].glyph_count; g++)
                    rw += ln->runs[r].glyphs[g].x_advance;
                assert_float_equal(rw, ln->runs[r].width, 0.001);
                sum += rw;
                if (ln->runs[r].x < left)
                    left = ln->runs[r].x;
                if (ln->runs[r].x + rw > right)
                    right = ln->runs[r].x + rw;
            }
            /* No line wider than the measure, nothing drawn outside it. */
            if (sum > widths[w] + 0.01 && getenv("VQ_DEBUG")) {
                vq_buf d = VQ_BUF_INIT;
                vq_paragraph_dump(p, VQ_DUMP_BREAKS | VQ_DUMP_LINES, &d);
                fprintf(stderr, "%s\n", d.data);
                vq_buf_free(&d);
            }
            if (sum > widths[w] + 0.01)
                fail_msg("line %zu of width %.3f > %.0f", i, sum, widths[w]);
            assert_true(left >= -0.01 && right <= widths[w] + 0.01);
            /* Justified lines fill it: all but the last, those ending in a
             * forced break (U+2028) and those with no space to stretch. */
            bool forced =
                ln->text_end >= 3 && memcmp(text + ln->text_end - 3, "\xE2\x80\xA8", 3) == 0;
            if (!ln->last && !forced && space_width(ln, text) > 0)
                assert_float_equal(sum, widths[w], 0.01);
        }
        /* Optimal fit never has more total demerits than first fit. */
        double optimal = vq_paragraph_demerits(p);
        ps.greedy = true;
        assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
        double greedy = vq_paragraph_demerits(p);
        if (optimal < greedy - 1e-6)
            optimal_better++;
        if (optimal > greedy + 1e-6)
            fail_msg("optimal %.1f > greedy %.1f at width %.0f", optimal, greedy, widths[w]);
    }
}

static void seed_lines_fit_and_fill(void **state)
{
    (void)state;
    size_t n = for_each_seed_paragraph(check_widths);
    assert_true(n > 20);
    /* It is not first fit in disguise: it finds better breaks often. */
    assert_true(optimal_better > n / 2);
}

/* Laying out again at another width and back gives the same lines, and
 * neither that nor measuring content widths shapes the text again. */
static void relayout_keeps_shaping(void **state)
{
    (void)state;
    const char *s = "اسکلرومیگزوما یک موسینوزیس نادر پیشرونده پوستی همراه با درگیریهای "
                    "سیستمیک است که با رسوب پیشرونده موسین در پوست تظاهر مییابد.";
    vq_paragraph *p = vq_paragraph_create(fonts);
    vq_text_style st = {.size = 12, .weight = 400, .lang = "fa"};
    vq_paragraph_add_text(p, s, strlen(s), &st);
    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, 200);
    ps.align = VQ_ALIGN_JUSTIFY;
    vq_error err;
    vq_buf a = VQ_BUF_INIT, b = VQ_BUF_INIT;
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    vq_paragraph_dump(p, VQ_DUMP_LINES | VQ_DUMP_GLYPHS, &a);
    size_t first = vq_paragraph_line_count(p);
    ps.width = 90;
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    assert_true(vq_paragraph_line_count(p) > first);
    ps.width = 200;
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    vq_paragraph_dump(p, VQ_DUMP_LINES | VQ_DUMP_GLYPHS, &b);
    assert_string_equal(a.data, b.data);
    assert_int_equal(vq_paragraph_direction(p), VQ_DIR_RTL);
    /* Content widths for table columns. */
    double minw, maxw;
    assert_int_equal(vq_paragraph_min_width(p, &ps, &minw, &err), VQ_OK);
    assert_int_equal(vq_paragraph_max_width(p, &ps, &maxw, &err), VQ_OK);
    assert_true(minw > 20 && minw < maxw);
    assert_true(maxw > 300);
    assert_int_equal(vq_paragraph_prepare_count(p), 1);
    /* New text is shaped again. */
    vq_paragraph_add_text(p, " و", strlen(" و"), &st);
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    assert_int_equal(vq_paragraph_prepare_count(p), 2);
    vq_buf_free(&a);
    vq_buf_free(&b);
    vq_paragraph_destroy(p);
}

/* A second paragraph with text shaped before (a document's counting pass
 * and drawing pass, a table cell measured and then set) takes the glyphs
 * from the face's cache: the same lines, and nothing given to HarfBuzz.
 * Other context around the same words is shaped again. */
static void same_text_shaped_once(void **state)
{
    (void)state;
    const char *s = "درمان با ایمونوگلوبولین وریدی (IVIG) در بیماران مبتلا به اسکلرومیگزوما "
                    "موفق بوده است و عوارض آن اندک است.";
    vq_text_style st = {.size = 11, .weight = 400, .lang = "fa"};
    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, 180);
    ps.align = VQ_ALIGN_JUSTIFY;
    vq_error err;
    vq_buf a = VQ_BUF_INIT, b = VQ_BUF_INIT;
    vq_paragraph *p = vq_paragraph_create(fonts);
    vq_paragraph_add_text(p, s, strlen(s), &st);
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    vq_paragraph_dump(p, VQ_DUMP_RUNS | VQ_DUMP_LINES | VQ_DUMP_GLYPHS, &a);
    unsigned first = vq_paragraph_shape_count(p);
    vq_paragraph_destroy(p);

    vq_paragraph *q = vq_paragraph_create(fonts);
    vq_paragraph_add_text(q, s, strlen(s), &st);
    assert_int_equal(vq_paragraph_layout(q, &ps, &err), VQ_OK);
    vq_paragraph_dump(q, VQ_DUMP_RUNS | VQ_DUMP_LINES | VQ_DUMP_GLYPHS, &b);
    assert_string_equal(a.data, b.data);
    assert_int_equal(vq_paragraph_shape_count(q), 0);

    /* One more letter joined to the last word: the items near it are
     * shaped again (their context changed), the others are not. */
    vq_paragraph_reset(q);
    vq_paragraph_add_text(q, s, strlen(s) - 1, &st);
    vq_paragraph_add_text(q, "ها.", strlen("ها."), &st);
    assert_int_equal(vq_paragraph_layout(q, &ps, &err), VQ_OK);
    assert_true(vq_paragraph_shape_count(q) >= 1);
    assert_true(vq_paragraph_shape_count(q) < first);
    vq_paragraph_destroy(q);
    vq_buf_free(&a);
    vq_buf_free(&b);
}

/* A paragraph kept with its prepared text stands for a new one given the
 * same input (the layout's counting and drawing passes, a table cell
 * measured and then set): the same input is recognised, style and span
 * edges included, and once it forgets its layouts it sets as a new
 * paragraph does, without being prepared again. Hyphenation points found
 * for a narrow measure must not survive into the next layout: a loose
 * line at 60 pt finds points that a new paragraph at 150 pt does not. */
static void kept_paragraph_sets_as_new(void **state)
{
    (void)state;
    const char *s = "Scleromyxedema is a rare progressive cutaneous mucinosis with systemic "
                    "involvement; intravenous immunoglobulin is a treatment whose adverse "
                    "effects are uncommon and manageable.";
    vq_text_style st = {.size = 11, .weight = 400, .lang = "en"};
    vq_text_style bigger = st;
    bigger.size = 12;
    vq_paragraph *p = vq_paragraph_create(fonts), *q = vq_paragraph_create(fonts);
    vq_paragraph_add_text(p, s, strlen(s), &st);
    vq_paragraph_add_text(q, s, strlen(s), &st);
    assert_true(vq_paragraph_same_input(p, q));
    assert_true(vq_paragraph_input_hash(p) == vq_paragraph_input_hash(q));
    assert_false(vq_paragraph_is_prepared(p));

    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, 60);
    ps.align = VQ_ALIGN_JUSTIFY;
    vq_error err;
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    assert_true(vq_paragraph_is_prepared(p));
    ps.width = 150;
    assert_int_equal(vq_paragraph_layout(q, &ps, &err), VQ_OK);
    vq_buf fresh = VQ_BUF_INIT, kept = VQ_BUF_INIT;
    vq_paragraph_dump(q, VQ_DUMP_BREAKS | VQ_DUMP_LINES | VQ_DUMP_GLYPHS, &fresh);

    vq_paragraph_forget_layouts(p);
    assert_int_equal(vq_paragraph_line_count(p), 0);
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    vq_paragraph_dump(p, VQ_DUMP_BREAKS | VQ_DUMP_LINES | VQ_DUMP_GLYPHS, &kept);
    assert_string_equal(kept.data, fresh.data);
    assert_int_equal(vq_paragraph_prepare_count(p), 1);

    /* Other style, other span edges, other text: not the same input. */
    vq_paragraph_reset(q);
    vq_paragraph_add_text(q, s, strlen(s), &bigger);
    assert_false(vq_paragraph_same_input(p, q));
    vq_paragraph_reset(q);
    vq_paragraph_add_text(q, s, 10, &st);
    vq_paragraph_add_text(q, s + 10, strlen(s) - 10, &st);
    assert_false(vq_paragraph_same_input(p, q));
    vq_paragraph_reset(q);
    vq_paragraph_add_text(q, s, strlen(s) - 1, &st);
    assert_false(vq_paragraph_same_input(p, q));
    vq_buf_free(&fresh);
    vq_buf_free(&kept);
    vq_paragraph_destroy(p);
    vq_paragraph_destroy(q);
}

/* A Persian and an English sentence with kashida places and hyphenation
 * points at the widths the tests below set them. */
static const char SAMPLE_FA[] = "درمان با ایمونوگلوبولین وریدی در بیماران مبتلا به اسکلرومیگزوما "
                                "موفق بوده است و عوارض آن اندک و قابل کنترل است.";
static const char SAMPLE_EN[] =
    "Scleromyxedema is a rare progressive cutaneous mucinosis with systemic involvement; "
    "intravenous immunoglobulin is a treatment whose adverse effects are uncommon and "
    "manageable.";

/* A trimmed paragraph (lines held until their page is drawn) keeps its
 * lines and the text they index as they were, and laid out again (once
 * back in the pool) sets as a new paragraph does: justified Persian, with
 * kashida, and hyphenated English. */
static void trimmed_paragraph_keeps_its_lines(void **state)
{
    (void)state;
    const char *fa = SAMPLE_FA, *en = SAMPLE_EN;
    const struct {
        const char *text, *lang;
        double width;
    } cases[] = {{fa, "fa", 120}, {en, "en", 70}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        vq_text_style st = {.size = 11, .weight = 400, .lang = cases[i].lang};
        vq_paragraph_style ps;
        vq_paragraph_style_init(&ps, cases[i].width);
        ps.align = VQ_ALIGN_JUSTIFY;
        ps.kashida = VQ_SWITCH_ON;
        ps.hyphenate = VQ_SWITCH_ON;
        vq_error err;
        vq_paragraph *p = vq_paragraph_create(fonts), *q = vq_paragraph_create(fonts);
        vq_paragraph_add_text(p, cases[i].text, strlen(cases[i].text), &st);
        vq_paragraph_add_text(q, cases[i].text, strlen(cases[i].text), &st);
        assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
        assert_int_equal(vq_paragraph_layout(q, &ps, &err), VQ_OK);
        vq_buf before = VQ_BUF_INIT, after = VQ_BUF_INIT, again = VQ_BUF_INIT;
        vq_paragraph_dump(p, VQ_DUMP_LINES, &before);
        size_t lines = vq_paragraph_line_count(p);
        assert_true(lines > 1);
        vq_paragraph_trim(p);
        assert_false(vq_paragraph_is_prepared(p));
        assert_int_equal(vq_paragraph_line_count(p), lines);
        vq_paragraph_dump(p, VQ_DUMP_LINES, &after);
        assert_string_equal(before.data, after.data);
        vq_paragraph_trim(p); /* twice: nothing left to free */
        ps.width = cases[i].width + 30;
        assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
        vq_paragraph_reset(q); /* a new paragraph, with no points found at the first width */
        vq_paragraph_add_text(q, cases[i].text, strlen(cases[i].text), &st);
        assert_int_equal(vq_paragraph_layout(q, &ps, &err), VQ_OK);
        vq_buf_free(&after);
        vq_paragraph_dump(p, VQ_DUMP_LINES | VQ_DUMP_BREAKS | VQ_DUMP_GLYPHS, &after);
        vq_paragraph_dump(q, VQ_DUMP_LINES | VQ_DUMP_BREAKS | VQ_DUMP_GLYPHS, &again);
        assert_string_equal(after.data, again.data);
        assert_int_equal(vq_paragraph_prepare_count(p), 2);
        vq_buf_free(&before);
        vq_buf_free(&after);
        vq_buf_free(&again);
        vq_paragraph_destroy(p);
        vq_paragraph_destroy(q);
    }
}

/* Kashida places and hyphenation points are found once per text: laying
 * the paragraph out again, at other widths or after its layouts were let
 * go of, looks for no kashida place and hyphenates no word again. */
static void candidates_found_once(void **state)
{
    (void)state;
    const char *fa = SAMPLE_FA, *en = SAMPLE_EN;
    vq_text_style st_fa = {.size = 11, .weight = 400, .lang = "fa"};
    vq_text_style st_en = {.size = 11, .weight = 400, .lang = "en"};
    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, 120);
    ps.align = VQ_ALIGN_JUSTIFY;
    vq_error err;

    vq_paragraph *p = vq_paragraph_create(fonts);
    vq_paragraph_add_text(p, fa, strlen(fa), &st_fa);
    static const double widths[] = {120, 90, 200, 120};
    for (size_t i = 0; i < sizeof widths / sizeof *widths; i++) {
        ps.width = widths[i];
        assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
        assert_true(vq_paragraph_line_count(p) > 1);
    }
    vq_paragraph_forget_layouts(p);
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    assert_int_equal(vq_paragraph_kashida_searches(p), 1);
    vq_paragraph_add_text(p, " و", strlen(" و"), &st_fa); /* new text: found again */
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    assert_int_equal(vq_paragraph_kashida_searches(p), 2);
    vq_paragraph_destroy(p);

    vq_paragraph *q = vq_paragraph_create(fonts);
    vq_paragraph_add_text(q, en, strlen(en), &st_en);
    ps.width = 60;
    assert_int_equal(vq_paragraph_layout(q, &ps, &err), VQ_OK);
    unsigned words = vq_paragraph_hyphenated_words(q);
    assert_true(words > 0);
    assert_int_equal(vq_paragraph_layout(q, &ps, &err), VQ_OK);
    ps.width = 70;
    assert_int_equal(vq_paragraph_layout(q, &ps, &err), VQ_OK);
    ps.width = 60;
    assert_int_equal(vq_paragraph_layout(q, &ps, &err), VQ_OK);
    /* At 70 pt more words may be looked at, none a second time. */
    unsigned again = vq_paragraph_hyphenated_words(q);
    assert_true(again >= words);
    assert_true(again <= 12); /* its 12 lower-case words of six letters or more */
    vq_paragraph_destroy(q);
}

/* The line texts of p's last layout, each ended by '|'. */
static void line_texts(const vq_paragraph *p, char *out, size_t cap)
{
    size_t len, n = 0;
    const char *text = vq_paragraph_text(p, &len);
    out[0] = '\0';
    for (size_t i = 0; i < vq_paragraph_line_count(p); i++) {
        const vq_line *ln = vq_paragraph_line(p, i);
        n += (size_t)snprintf(out + n, cap - n, "%.*s|", (int)(ln->text_end - ln->text_start),
                              text + ln->text_start);
    }
}

static vq_paragraph *paragraph_of(const char *text, const vq_text_style *st)
{
    vq_paragraph *p = vq_paragraph_create(fonts);
    vq_paragraph_add_text(p, text, strlen(text), st);
    return p;
}

/* min_width of text in style st laid out as ps says. */
static double min_width_of(const char *text, const vq_text_style *st, const vq_paragraph_style *ps)
{
    vq_error err;
    double w;
    vq_paragraph *p = paragraph_of(text, st);
    assert_int_equal(vq_paragraph_min_width(p, ps, &w, &err), VQ_OK);
    vq_paragraph_destroy(p);
    return w;
}

/* A ragged English table cell: its narrowest width is its widest piece
 * between spaces and hyphenation points (words of eight letters or more,
 * three letters before a point, the hyphen counted), not that of
 * "immunoglobulin)"; set at that width it breaks only there, each split
 * word with its hyphen, the widest line exactly as wide. The points are
 * found once. A dose keeps whole; centred text, text whose hyphenation is
 * off and Persian are not hyphenated. */
static void min_width_at_hyphenation_points(void **state)
{
    (void)state;
    const char *en = "IVIG (intravenous immunoglobulin)";
    vq_text_style st = {.size = 11, .weight = 400, .lang = "en"};
    vq_paragraph *p = paragraph_of(en, &st);
    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, 1000);
    ps.align = VQ_ALIGN_LEFT;
    vq_error err;
    double min;
    assert_int_equal(vq_paragraph_min_width(p, &ps, &min, &err), VQ_OK);
    assert_int_equal(vq_paragraph_hyphenated_words(p), 2);
    ps.width = min;
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    char lines[256];
    line_texts(p, lines, sizeof lines);
    assert_string_equal(lines, "IVIG (intra|venous |immunoglob|ulin)|");
    double widest = 0;
    for (size_t i = 0; i < vq_paragraph_line_count(p); i++)
        if (vq_paragraph_line(p, i)->natural_width > widest)
            widest = vq_paragraph_line(p, i)->natural_width;
    assert_float_equal(min, widest, 1e-9);
    assert_int_equal(vq_paragraph_hyphenated_words(p), 2);
    vq_paragraph_destroy(p);

    ps.width = 1000;
    ps.hyphenate = VQ_SWITCH_OFF;
    double whole = min_width_of("immunoglobulin)", &st, &ps);
    assert_true(min < whole - 20);
    assert_float_equal(min_width_of(en, &st, &ps), whole, 1e-9);
    ps.hyphenate = VQ_SWITCH_AUTO;
    ps.align = VQ_ALIGN_CENTER;
    assert_float_equal(min_width_of(en, &st, &ps), whole, 1e-9);
    ps.align = VQ_ALIGN_JUSTIFY;
    assert_float_equal(min_width_of("take 400mg/kg/day", &st, &ps),
                       min_width_of("400mg/kg/day", &st, &ps), 1e-9);
    /* Persian is never hyphenated, even told to. */
    const char *fa = "ایمونوگلوبولین وریدی";
    vq_text_style st_fa = {.size = 11, .weight = 400, .lang = "fa"};
    ps.hyphenate = VQ_SWITCH_ON;
    double fa_on = min_width_of(fa, &st_fa, &ps);
    ps.hyphenate = VQ_SWITCH_OFF;
    assert_float_equal(min_width_of(fa, &st_fa, &ps), fa_on, 1e-9);
}

static int warnings;
static char last_warning[256];

static void count_warning(const char *file, int line, int column, const char *message, void *user)
{
    (void)file;
    (void)line;
    (void)column;
    (void)user;
    warnings++;
    snprintf(last_warning, sizeof last_warning, "%s", message);
}

static void missing_code_point_warns_once(void **state)
{
    (void)state;
    vq_set_warning_handler(count_warning, NULL);
    warnings = 0;
    const char *s = "متن \xE0\xBC\x80 و \xE0\xBC\x80"; /* U+0F00 twice */
    vq_paragraph *p = vq_paragraph_create(fonts);
    vq_text_style st = {.size = 12, .weight = 400, .lang = "fa"};
    vq_paragraph_add_text(p, s, strlen(s), &st);
    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, 300);
    vq_error err;
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    assert_int_equal(warnings, 1);
    assert_string_equal(last_warning, "no font has U+0F00; it is drawn as .notdef");
    /* Drawn as glyph 0 (.notdef). */
    const vq_line *ln = vq_paragraph_line(p, 0);
    size_t notdef = 0;
    for (size_t r = 0; r < ln->run_count; r++)
        for (size_t g = 0; g < ln->runs[r].glyph_count; g++)
            notdef += ln->runs[r].glyphs[g].id == 0;
    assert_int_equal(notdef, 2);
    vq_set_warning_handler(NULL, NULL);
    vq_paragraph_destroy(p);
}

static void api_errors(void **state)
{
    (void)state;
    vq_paragraph *p = vq_paragraph_create(fonts);
    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, -5);
    vq_error err;
    /* Empty paragraph, bad width. */
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_ERR_USAGE);
    assert_string_equal(err.message, "paragraph width must be positive (got -5 pt)");
    ps.width = 100;
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    assert_int_equal(vq_paragraph_line_count(p), 0);
    /* Bad UTF-8 in the second span: the offset counts all text added. */
    vq_paragraph_add_text(p, "abc", 3, NULL);
    vq_paragraph_add_text(p, "de\xC3(", 4, NULL);
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_ERR_INPUT);
    assert_string_equal(err.message, "invalid UTF-8 at byte offset 5");
    /* Measuring it fails the same way, never a silent width. */
    double w = -1;
    vq_error_clear(&err);
    assert_int_equal(vq_paragraph_min_width(p, &ps, &w, &err), VQ_ERR_INPUT);
    assert_string_equal(err.message, "invalid UTF-8 at byte offset 5");
    assert_true(w == 0);
    w = -1;
    vq_error_clear(&err);
    assert_int_equal(vq_paragraph_max_width(p, &ps, &w, &err), VQ_ERR_INPUT);
    assert_string_equal(err.message, "invalid UTF-8 at byte offset 5");
    assert_true(w == 0);
    vq_paragraph_reset(p);
    vq_paragraph_add_text(p, "ok", 2, NULL);
    assert_int_equal(vq_paragraph_layout(p, &ps, &err), VQ_OK);
    assert_int_equal(vq_paragraph_line_count(p), 1);
    vq_paragraph_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_lines_fit_and_fill),
        cmocka_unit_test(relayout_keeps_shaping),
        cmocka_unit_test(same_text_shaped_once),
        cmocka_unit_test(kept_paragraph_sets_as_new),
        cmocka_unit_test(candidates_found_once),
        cmocka_unit_test(trimmed_paragraph_keeps_its_lines),
        cmocka_unit_test(min_width_at_hyphenation_points),
        cmocka_unit_test(missing_code_point_warns_once),
        cmocka_unit_test(api_errors),
    };
    return cmocka_run_group_tests(tests, fonts_setup, fonts_teardown);
}
