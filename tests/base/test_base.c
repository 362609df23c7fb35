/* The base module: error formatting, UTF-8 checks, atomic output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/chars.h"
#include "base/io.h"
#include "base/lang.h"
#include "base/utf8.h"
#include "varaq/error.h"

static char *format_error(const vq_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    vq_error_print(err, f);
    fclose(f);
    return text;
}

static void error_is_printed_compiler_style(void **state)
{
    (void)state;
    vq_error err;
    vq_error_clear(&err);
    assert_int_equal(vq_error_set(&err, VQ_ERR_INPUT, "main.mustache", 12, 5,
                                  "unclosed section '%s' (opened at %d:%d)", "authors", 3, 1),
                     VQ_ERR_INPUT);
    char *text = format_error(&err);
    assert_string_equal(text,
                        "main.mustache:12:5: error: unclosed section 'authors' (opened at 3:1)\n");
    free(text);

    vq_error_set(&err, VQ_ERR_INPUT, "case.json", 0, 0, "/authors/2: expected an integer");
    text = format_error(&err);
    assert_string_equal(text, "case.json: error: /authors/2: expected an integer\n");
    free(text);

    vq_error_set(&err, VQ_ERR_USAGE, NULL, 0, 0, "width must be positive");
    text = format_error(&err);
    assert_string_equal(text, "error: width must be positive\n");
    free(text);
}

static void utf8_validation_names_the_first_bad_byte(void **state)
{
    (void)state;
    size_t bad = 0;
    assert_true(vq_utf8_valid("می‌شود", strlen("می‌شود"), &bad));
    const char overlong[] = "ab\xC0\xAF";
    assert_false(vq_utf8_valid(overlong, 4, &bad));
    assert_int_equal(bad, 2);
    const char surrogate[] = "x\xED\xA0\x80";
    assert_false(vq_utf8_valid(surrogate, 4, &bad));
    assert_int_equal(bad, 1);
    const char truncated[] = "\xD9";
    assert_false(vq_utf8_valid(truncated, 1, &bad));
    assert_int_equal(bad, 0);

    char out[4];
    uint32_t cp = 0;
    assert_int_equal(vq_utf8_encode(0x200C, out), 3);
    assert_int_equal(vq_utf8_decode(out, 3, &cp), 3);
    assert_int_equal(cp, 0x200C);

    int line, col;
    vq_text_position("ab\nسلام x", strlen("ab\nسلام "), &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 6);
}

static char *temp_dir(void)
{
    char tmpl[] = "/tmp/vq-base-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    return vq_xstrdup(dir);
}

static void atomic_write_keeps_old_file_on_abort(void **state)
{
    (void)state;
    char *dir = temp_dir();
    char *path = vq_path_join(dir, "out.txt");
    vq_error err;
    vq_error_clear(&err);
    assert_int_equal(vq_write_file_atomic(path, "old\n", 4, &err), VQ_OK);

    vq_atomic_file *f = vq_atomic_open(path, &err);
    assert_non_null(f);
    char *temp = vq_xstrdup(vq_atomic_temp_path(f));
    fputs("half-written", vq_atomic_stream(f));
    vq_atomic_abort(f);
    assert_false(vq_path_exists(temp));

    size_t len = 0;
    char *data = vq_read_file(path, &len, &err);
    assert_non_null(data);
    assert_string_equal(data, "old\n");
    free(data);

    assert_int_equal(vq_write_file_atomic(path, "new\n", 4, &err), VQ_OK);
    data = vq_read_file(path, &len, &err);
    assert_string_equal(data, "new\n");
    free(data);

    unlink(path);
    rmdir(dir);
    free(temp);
    free(path);
    free(dir);
}

static void missing_file_is_an_io_error(void **state)
{
    (void)state;
    vq_error err;
    vq_error_clear(&err);
    assert_null(vq_read_file("no/such/file.json", NULL, &err));
    assert_int_equal(err.status, VQ_ERR_IO);
    char *text = format_error(&err);
    assert_string_equal(text,
                        "no/such/file.json: error: cannot open file: No such file or directory\n");
    free(text);

    assert_null(vq_read_file(".", NULL, &err));
    assert_string_equal(err.message, "cannot read file: Is a directory");

    assert_int_equal(vq_write_file_atomic("no/such/dir/out.pdf", "x", 1, &err), VQ_ERR_IO);
    assert_string_equal(err.message, "cannot create file: No such file or directory");
}

/* The one "auto" direction rule: most words, then most strong letters,
 * outside isolates,
 * ties to the first strong letter, 0 with none. */
static int auto_dir(const char *s)
{
    vq_strong_count c = {0};
    vq_strong_add(&c, s, strlen(s));
    return vq_strong_dir(&c);
}

static void auto_direction_is_the_letter_majority(void **state)
{
    (void)state;
    assert_int_equal(auto_dir("MRI از ران تغییرات"), 1);   /* opens Latin, mostly Persian */
    assert_int_equal(auto_dir("بالا GFR and eGFR"), -1);   /* opens Persian, mostly Latin */
    assert_int_equal(auto_dir("دارو Rituximab و متن"), 1); /* more Latin letters, more words */
    assert_int_equal(auto_dir("GFR بالا"), 1);             /* a tie in words: most letters */
    assert_int_equal(auto_dir("ab جد"), -1); /* a tie in both: the first strong letter */
    assert_int_equal(auto_dir("جد ab"), 1);
    assert_int_equal(auto_dir("123 (45)"), 0); /* no strong letter */
    /* Isolated content does not count: LRI ... PDI around the Latin. */
    assert_int_equal(auto_dir("\xE2\x81\xA6Latin words here\xE2\x81\xA9 متن"), 1);
    /* Counting in pieces gives the same answer as counting at once. */
    vq_strong_count c = {0};
    vq_strong_add(&c, "GFR ", 4);
    vq_strong_add(&c, "بالا", strlen("بالا"));
    assert_int_equal(vq_strong_dir(&c), 1);
}

static void character_classes(void **state)
{
    (void)state;
    assert_true(vq_char_is_word_space(' ') && vq_char_is_word_space(0xA0));
    assert_false(vq_char_is_word_space(0x3000));
    /* Spaces that hang at a line end include IDEOGRAPHIC SPACE and U+2028. */
    assert_true(vq_char_is_break_space(0x3000) && vq_char_is_break_space(0x2028));
    assert_true(vq_char_is_break_space('\t'));
    assert_false(vq_char_is_break_space(0xA0)); /* no-break space */
    for (uint32_t cp = 0x2066; cp <= 0x2069; cp++)
        assert_true(vq_char_is_bidi_control(cp) && vq_char_is_dropped(cp));
    assert_true(vq_char_is_bidi_control(0x061C) && vq_char_is_bidi_control(0x202E));
    assert_false(vq_char_is_bidi_control(0x200C)); /* ZWNJ is drawn (the font's glyph) */
    assert_true(vq_char_is_dropped(0xAD) && !vq_char_is_bidi_control(0xAD));
    assert_false(vq_char_is_dropped(0x200C));
    /* Digits numbers are read with: ASCII, Persian, Arabic-Indic. */
    assert_int_equal(vq_char_digit_value('7'), 7);
    assert_int_equal(vq_char_digit_value(0x06F7), 7);  /* ۷ */
    assert_int_equal(vq_char_digit_value(0x0660), 0);  /* ٠ */
    assert_int_equal(vq_char_digit_value(0x0669), 9);  /* ٩ */
    assert_int_equal(vq_char_digit_value(0x066B), -1); /* decimal separator */
    assert_int_equal(vq_char_digit_value(0x06EF), -1);
    assert_int_equal(vq_char_digit_value(0xB2), -1); /* superscript two */
    assert_int_equal(vq_char_digit_value('a'), -1);
    /* The list of dropped characters (shape.c's spare blank glyphs) is the
     * predicate's, every one once, bidi controls first. */
    size_t listed = 0, controls = 0;
    for (uint32_t cp; (cp = vq_char_dropped_nth(listed)) != 0; listed++) {
        assert_true(vq_char_is_dropped(cp));
        if (vq_char_is_bidi_control(cp))
            assert_int_equal(controls++, listed);
    }
    size_t dropped = 0, bidi = 0;
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
        if (!vq_char_is_dropped(cp))
            continue;
        dropped++;
        bidi += vq_char_is_bidi_control(cp);
        size_t i = 0;
        while (vq_char_dropped_nth(i) != 0 && vq_char_dropped_nth(i) != cp)
            i++;
        assert_int_equal(vq_char_dropped_nth(i), cp);
    }
    assert_int_equal(listed, dropped);
    assert_int_equal(controls, bidi);
}

static void languages_by_primary_subtag(void **state)
{
    (void)state;
    assert_true(vq_lang_is_persian("fa") && vq_lang_is_persian("fa-IR") &&
                vq_lang_is_persian("FA_ir"));
    assert_false(vq_lang_is_persian("far")); /* Farefare, not Persian */
    assert_false(vq_lang_is_persian(NULL) || vq_lang_is_persian(""));
    assert_true(vq_lang_is_arabic_script("ur") && vq_lang_is_arabic_script("ckb"));
    assert_false(vq_lang_is_arabic_script("he"));
    assert_true(vq_lang_is_rtl("he") && vq_lang_is_rtl("ar-EG") && vq_lang_is_rtl("fa"));
    assert_false(vq_lang_is_rtl("en") || vq_lang_is_rtl("fr"));
    assert_int_equal(vq_lang_primary_len("fa-IR"), 2);
    assert_int_equal(vq_lang_primary_len("ckb_IQ"), 3);
    assert_int_equal(vq_lang_primary_len("en"), 2);
    assert_int_equal(vq_lang_primary_len(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_is_printed_compiler_style),
        cmocka_unit_test(auto_direction_is_the_letter_majority),
        cmocka_unit_test(character_classes),
        cmocka_unit_test(languages_by_primary_subtag),
        cmocka_unit_test(utf8_validation_names_the_first_bad_byte),
        cmocka_unit_test(atomic_write_keeps_old_file_on_abort),
        cmocka_unit_test(missing_file_is_an_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
