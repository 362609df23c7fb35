/* ICU formatting of numbers and dates: the exact strings of docs/markup.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "doc/format.h"

static void expect_number(const char *value, const char *lang, vq_digits digits, int decimals,
                          bool no_grouping, const char *want)
{
    vq_buf out = VQ_BUF_INIT;
    vq_error err;
    vq_number_options o = {digits, decimals, no_grouping};
    assert_int_equal(vq_format_number(&out, value, lang, &o, &err), VQ_OK);
    assert_string_equal(out.data, want);
    vq_buf_free(&out);
}

static void expect_date(const char *iso, const char *lang, vq_calendar cal, vq_date_style style,
                        bool weekday, vq_digits digits, const char *want)
{
    vq_buf out = VQ_BUF_INIT;
    vq_error err;
    vq_date_options o = {cal, style, weekday, digits};
    assert_int_equal(vq_format_date(&out, iso, lang, &o, &err), VQ_OK);
    assert_string_equal(out.data, want);
    vq_buf_free(&out);
}

static void numbers(void **state)
{
    (void)state;
    expect_number("1234.5", "fa", VQ_DIGITS_AS_WRITTEN, -1, false, "۱٬۲۳۴٫۵");
    expect_number("1234.5", "en", VQ_DIGITS_AS_WRITTEN, -1, false, "1,234.5");
    expect_number("1234.5", "fa", VQ_DIGITS_LATIN, -1, false, "1,234.5");
    expect_number("1234.5", "en", VQ_DIGITS_PERSIAN, -1, false, "۱٬۲۳۴٫۵");
    expect_number("0.5", "fa", VQ_DIGITS_AS_WRITTEN, 2, false, "۰٫۵۰");
    expect_number("12500", "fa", VQ_DIGITS_AS_WRITTEN, -1, true, "۱۲۵۰۰");
    /* Every written digit kept; no binary rounding (1.1 stays 1.1). */
    expect_number("1.1", "en", VQ_DIGITS_AS_WRITTEN, -1, false, "1.1");
    expect_number("3.14159265", "en", VQ_DIGITS_AS_WRITTEN, -1, false, "3.14159265");
    expect_number("1e3", "en", VQ_DIGITS_AS_WRITTEN, -1, false, "1,000");
    expect_number("2.5", "en", VQ_DIGITS_AS_WRITTEN, 0, false, "2"); /* half-even */
    vq_buf out = VQ_BUF_INIT;
    assert_int_equal(vq_format_int(&out, 12, "fa", VQ_DIGITS_AS_WRITTEN, NULL), VQ_OK);
    assert_string_equal(out.data, "۱۲");
    vq_buf_free(&out);
}

static void bad_numbers(void **state)
{
    (void)state;
    const char *bad[] = {"", "abc", "1.", ".5", "1,234", "01", "1e", "--1", "1e999", " 1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vq_buf out = VQ_BUF_INIT;
        vq_error err;
        assert_int_equal(vq_format_number(&out, bad[i], "fa", NULL, &err), VQ_ERR_INPUT);
        assert_int_equal(out.len, 0);
        vq_buf_free(&out);
    }
}

static void persian_dates(void **state)
{
    (void)state;
    expect_date("2017-11-11", "fa", VQ_CALENDAR_PERSIAN, VQ_DATE_SHORT, false, VQ_DIGITS_AS_WRITTEN,
                "۱۳۹۶/۸/۲۰");
    expect_date("2018-03-05", "fa", VQ_CALENDAR_PERSIAN, VQ_DATE_SHORT, false, VQ_DIGITS_AS_WRITTEN,
                "۱۳۹۶/۱۲/۱۴");
    expect_date("2017-11-11", "fa", VQ_CALENDAR_PERSIAN, VQ_DATE_LONG, false, VQ_DIGITS_AS_WRITTEN,
                "۲۰ آبان ۱۳۹۶");
    expect_date("2017-11-11", "fa", VQ_CALENDAR_PERSIAN, VQ_DATE_LONG, true, VQ_DIGITS_AS_WRITTEN,
                "شنبه ۲۰ آبان ۱۳۹۶");
    expect_date("2017-11-11", "fa", VQ_CALENDAR_PERSIAN, VQ_DATE_SHORT, false, VQ_DIGITS_LATIN,
                "1396/8/20");
    /* The default calendar of fa is the Persian one. */
    expect_date("2017-11-11", "fa", VQ_CALENDAR_DEFAULT, VQ_DATE_SHORT, false, VQ_DIGITS_AS_WRITTEN,
                "۱۳۹۶/۸/۲۰");
    /* Nowruz: 1 Farvardin. */
    expect_date("2024-03-20", "fa", VQ_CALENDAR_PERSIAN, VQ_DATE_LONG, false, VQ_DIGITS_AS_WRITTEN,
                "۱ فروردین ۱۴۰۳");
}

static void gregorian_dates(void **state)
{
    (void)state;
    expect_date("2017-11-11", "en", VQ_CALENDAR_GREGORIAN, VQ_DATE_LONG, false,
                VQ_DIGITS_AS_WRITTEN, "November 11, 2017");
    expect_date("2018-03-05", "en", VQ_CALENDAR_GREGORIAN, VQ_DATE_LONG, false,
                VQ_DIGITS_AS_WRITTEN, "March 5, 2018");
    expect_date("2018-03-05", "en", VQ_CALENDAR_DEFAULT, VQ_DATE_LONG, true, VQ_DIGITS_AS_WRITTEN,
                "Monday, March 5, 2018");
    expect_date("2018-03-05", "en", VQ_CALENDAR_GREGORIAN, VQ_DATE_SHORT, false,
                VQ_DIGITS_AS_WRITTEN, "3/5/2018");
    /* fa_IR's own calendar is Persian: gregorian must be asked for. */
    expect_date("2017-11-11", "fa", VQ_CALENDAR_GREGORIAN, VQ_DATE_LONG, false,
                VQ_DIGITS_AS_WRITTEN, "۱۱ نوامبر ۲۰۱۷");
    /* Proleptic Gregorian: no Julian switch in 1582. */
    expect_date("1500-03-01", "en", VQ_CALENDAR_GREGORIAN, VQ_DATE_LONG, false,
                VQ_DIGITS_AS_WRITTEN, "March 1, 1500");
    expect_date("2000-02-29", "en", VQ_CALENDAR_GREGORIAN, VQ_DATE_LONG, false,
                VQ_DIGITS_AS_WRITTEN, "February 29, 2000");
}

static void weekday_pattern(void **state)
{
    (void)state;
    vq_buf out = VQ_BUF_INIT;
    assert_int_equal(vq_format_date_pattern(&out, "2017-11-11", "fa", VQ_CALENDAR_PERSIAN,
                                            VQ_DIGITS_AS_WRITTEN, "EEEE", NULL),
                     VQ_OK);
    assert_string_equal(out.data, "شنبه");
    vq_buf_free(&out);
}

/* The numbers' options, each a formatter kept apart. */
static const struct {
    const char *lang;
    vq_digits digits;
    int decimals;
    bool no_grouping;
    const char *want; /* 1234.5 so */
} number_kinds[] = {
    {"fa", VQ_DIGITS_AS_WRITTEN, -1, false, "۱٬۲۳۴٫۵"},
    {"fa", VQ_DIGITS_AS_WRITTEN, 2, false, "۱٬۲۳۴٫۵۰"},
    {"fa", VQ_DIGITS_AS_WRITTEN, 0, true, "۱۲۳۴"},
    {"fa", VQ_DIGITS_LATIN, -1, true, "1234.5"},
    {"en", VQ_DIGITS_AS_WRITTEN, -1, false, "1,234.5"},
    {"en", VQ_DIGITS_AS_WRITTEN, 3, false, "1,234.500"},
};

/* Formatters are kept per thread (16 at most, dates and numbers): more
 * locales, patterns and number options than that, asked for again in
 * another order, give the same strings. */
static void kept_formatters(void **state)
{
    (void)state;
    const char *patterns[] = {"y", "M", "d", "EEEE", "MMMM", "y/M/d", "d MMMM y", "EEEE d MMMM y"};
    const char *langs[] = {"fa", "en"};
    enum { P = sizeof patterns / sizeof patterns[0], L = sizeof langs / sizeof langs[0] };
    enum { N = sizeof number_kinds / sizeof number_kinds[0] };
    char first[L][P][96];
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < L * P; k++) {
            int i = round == 1 ? L * P - 1 - k : k; /* the second round backwards */
            const char *lang = langs[i / P], *pattern = patterns[i % P];
            vq_buf out = VQ_BUF_INIT;
            vq_error err;
            assert_int_equal(vq_format_date_pattern(&out, "2017-11-11", lang, VQ_CALENDAR_DEFAULT,
                                                    VQ_DIGITS_AS_WRITTEN, pattern, &err),
                             VQ_OK);
            if (round == 0)
                snprintf(first[i / P][i % P], sizeof first[0][0], "%s", out.data);
            else
                assert_string_equal(out.data, first[i / P][i % P]);
            vq_buf_free(&out);
            int j = (k + round) % N; /* a number between dates, its kinds in turn */
            expect_number("1234.5", number_kinds[j].lang, number_kinds[j].digits,
                          number_kinds[j].decimals, number_kinds[j].no_grouping,
                          number_kinds[j].want);
        }
    assert_string_equal(first[0][6], "۲۰ آبان ۱۳۹۶");
    assert_string_equal(first[1][6], "11 November 2017");
    /* The ends of the dates accepted: the day count is ICU's. */
    expect_date("0001-01-01", "en", VQ_CALENDAR_GREGORIAN, VQ_DATE_LONG, true, VQ_DIGITS_AS_WRITTEN,
                "Monday, January 1, 1");
    expect_date("9999-12-31", "en", VQ_CALENDAR_GREGORIAN, VQ_DATE_LONG, true, VQ_DIGITS_AS_WRITTEN,
                "Friday, December 31, 9999");
}

static void invalid_dates(void **state)
{
    (void)state;
    const char *bad[] = {"2017-02-29",
                         "2017-13-01",
                         "2017-00-10",
                         "2017-04-31",
                         "1900-02-29",
                         "0000-01-01",
                         "2017-1-1",
                         "2017/11/11",
                         "20171111",
                         "2017-11-11x",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vq_buf out = VQ_BUF_INIT;
        vq_error err;
        assert_int_equal(vq_format_date(&out, bad[i], "fa", NULL, &err), VQ_ERR_INPUT);
        assert_int_equal(out.len, 0);
        char want[128];
        snprintf(want, sizeof want, "\"%s\" is not a valid date (expected YYYY-MM-DD)", bad[i]);
        assert_string_equal(err.message, want);
        vq_buf_free(&out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers),         cmocka_unit_test(bad_numbers),
        cmocka_unit_test(persian_dates),   cmocka_unit_test(gregorian_dates),
        cmocka_unit_test(weekday_pattern), cmocka_unit_test(kept_formatters),
        cmocka_unit_test(invalid_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
