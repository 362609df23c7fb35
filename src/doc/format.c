#include "doc/format.h"

#include "base/lang.h"
#include "doc/doc.h"
#include "doc/i18n_lazy.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>

enum { LOCALE_MAX = 96, UBUF = 256 };

/* The language subtag of a BCP 47 tag ("fa-IR" → "fa"), lower case. */
static void lang_subtag(const char *lang, char *out, size_t cap)
{
    if (!lang || !*lang)
        lang = "en";
    size_t n = vq_lang_primary_len(lang);
    if (n > 8)
        n = 8;
    if (n + 1 > cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)lang[i]);
    out[n] = 0;
    if (n == 0)
        snprintf(out, cap, "en");
}

/* An ICU locale id for lang with the calendar and numbering system asked. */
static void make_locale(char *out, size_t cap, const char *lang, const char *calendar,
                        vq_digits digits)
{
    char sub[16];
    lang_subtag(lang, sub, sizeof sub);
    /* fa_IR: ICU's Persian data (month names, patterns) live there. */
    const char *region = vq_lang_is_persian(sub) ? "_IR" : "";
    const char *numbers = digits == VQ_DIGITS_LATIN     ? "latn"
                          : digits == VQ_DIGITS_PERSIAN ? "arabext"
                                                        : NULL;
    int n = snprintf(out, cap, "%s%s", sub, region);
    const char *sep = "@";
    if (calendar) {
        n += snprintf(out + n, cap - (size_t)n, "%scalendar=%s", sep, calendar);
        sep = ";";
    }
    if (numbers)
        snprintf(out + n, cap - (size_t)n, "%snumbers=%s", sep, numbers);
}

static bool append_uchars(vq_buf *out, const UChar *s, int32_t n)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8(NULL, 0, &need, s, n, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        return false;
    e = U_ZERO_ERROR;
    vq_buf_reserve(out, (size_t)need + 1);
    u_strToUTF8(out->data + out->len, need + 1, NULL, s, n, &e);
    if (U_FAILURE(e))
        return false;
    out->len += (size_t)need;
    out->data[out->len] = 0;
    return true;
}

/* ICU's formatting library, or the error that says it is missing. */
static vq_status load_i18n(const char *what, const vq_i18n **icu, vq_error *err)
{
    const char *name;
    *icu = vq_i18n_get(&name);
    if (!*icu)
        return vq_error_set(err, VQ_ERR_INPUT, NULL, 0, 0,
                            "cannot format %s: %s could not be loaded", what, name);
    return VQ_OK;
}

/* Formatters made once per thread for each locale and pattern (dates) or
 * options (numbers): ICU opens a date formatter in about 300,000
 * instructions (its patterns, symbols and calendar) and a number formatter
 * with its attributes in about 70,000, and a document formats many numbers
 * alike, every document of a batch the same kinds of date. At most
 * CACHED_FORMATS are kept, closed when the thread ends. */
enum { CACHED_FORMATS = 16 };

typedef struct cached_format {
    char key[LOCALE_MAX + UBUF]; /* 'd' locale '\n' pattern, or 'n' locale '\n' options */
    void *f;                     /* a UDateFormat or (key 'n') a UNumberFormat */
} cached_format;

typedef struct format_cache {
    const vq_i18n *icu;
    cached_format items[CACHED_FORMATS];
    int count, next; /* next: the one replaced when all are taken */
} format_cache;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void close_format(const vq_i18n *icu, cached_format *item)
{
    if (item->key[0] == 'n')
        icu->unum_close(item->f);
    else
        icu->udat_close(item->f);
}

static void cache_free(void *p)
{
    format_cache *c = p;
    for (int i = 0; i < c->count; i++)
        close_format(c->icu, &c->items[i]);
    free(c);
}

static void cache_key_make(void)
{
    pthread_key_create(&cache_key, cache_free);
}

/* The thread's cache, made on first use with plain malloc (it outlives
 * any engine's call); NULL when that fails: nothing is kept then. */
static format_cache *thread_cache(const vq_i18n *icu)
{
    pthread_once(&cache_once, cache_key_make);
    format_cache *c = pthread_getspecific(cache_key);
    if (!c && (c = calloc(1, sizeof *c))) {
        c->icu = icu;
        if (pthread_setspecific(cache_key, c) != 0) {
            free(c);
            c = NULL;
        }
    }
    return c;
}

/* The formatter kept under key, or NULL. */
static void *cached(format_cache *c, const char *key)
{
    for (int i = 0; c && i < c->count; i++)
        if (strcmp(c->items[i].key, key) == 0)
            return c->items[i].f;
    return NULL;
}

/* Keeps f under key, closing the one it replaces when all are taken. */
static void keep_format(format_cache *c, const char *key, void *f)
{
    cached_format *slot = &c->items[c->count < CACHED_FORMATS ? c->count++ : c->next++];
    c->next %= CACHED_FORMATS;
    if (slot->f)
        close_format(c->icu, slot);
    snprintf(slot->key, sizeof slot->key, "%s", key);
    slot->f = f;
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool valid_number(const char *s)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (isdigit((unsigned char)*p))
            p++;
    else
        return false;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return false;
        int exp = 0;
        while (isdigit((unsigned char)*p)) {
            if (exp < 10000)
                exp = exp * 10 + (*p - '0');
            p++;
        }
        if (exp > 300) /* ICU would spell out a googol of zeros */
            return false;
    }
    return *p == 0 && p - s < 200;
}

vq_status vq_format_number(vq_buf *out, const char *value, const char *lang,
                           const vq_number_options *options, vq_error *err)
{
    vq_number_options none = {VQ_DIGITS_AS_WRITTEN, -1, false};
    if (!options)
        options = &none;
    if (!value || !valid_number(value))
        return vq_error_set(err, VQ_ERR_INPUT, NULL, 0, 0, "\"%s\" is not a number",
                            value ? value : "");
    const vq_i18n *icu;
    vq_status st = load_i18n("numbers", &icu, err);
    if (st != VQ_OK)
        return st;
    char locale[LOCALE_MAX];
    make_locale(locale, sizeof locale, lang, NULL, options->digits);
    char key[sizeof((cached_format *)0)->key];
    snprintf(key, sizeof key, "n%s\n%d %d", locale, options->decimals, options->no_grouping);
    format_cache *c = thread_cache(icu);
    UNumberFormat *f = cached(c, key);
    bool was_cached = f != NULL;
    UErrorCode e = U_ZERO_ERROR;
    if (!f) {
        f = icu->unum_open(UNUM_DECIMAL, NULL, 0, locale, NULL, &e);
        if (U_FAILURE(e))
            return vq_error_set(err, VQ_ERR_INPUT, NULL, 0, 0, "cannot format numbers for '%s': %s",
                                locale, u_errorName(e));
        if (options->decimals >= 0) {
            icu->unum_setAttribute(f, UNUM_MIN_FRACTION_DIGITS, options->decimals);
            icu->unum_setAttribute(f, UNUM_MAX_FRACTION_DIGITS, options->decimals);
            icu->unum_setAttribute(f, UNUM_ROUNDING_MODE, UNUM_ROUND_HALFEVEN);
        } else {
            /* Keep every digit that was written, not ICU's default three. */
            icu->unum_setAttribute(f, UNUM_MAX_FRACTION_DIGITS, 340);
        }
        if (options->no_grouping)
            icu->unum_setAttribute(f, UNUM_GROUPING_USED, 0);
    }
    UChar buf[UBUF * 4];
    int32_t n = icu->unum_formatDecimal(f, value, -1, buf, UBUF * 4, NULL, &e);
    if (!was_cached && c)
        keep_format(c, key, f);
    else if (!was_cached)
        icu->unum_close(f);
    if (U_FAILURE(e) || !append_uchars(out, buf, n))
        return vq_error_set(err, VQ_ERR_INPUT, NULL, 0, 0, "cannot format the number \"%s\": %s",
                            value, u_errorName(e));
    return VQ_OK;
}

vq_status vq_format_int(vq_buf *out, long value, const char *lang, vq_digits digits, vq_error *err)
{
    char s[32];
    snprintf(s, sizeof s, "%ld", value);
    vq_number_options o = {digits, -1, true};
    return vq_format_number(out, s, lang, &o, err);
}

static int atoi_n(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool vq_parse_iso_date(const char *iso, int *year, int *month, int *day)
{
    if (!iso || strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)iso[i]))
            return false;
    int y = atoi_n(iso, 4), m = atoi_n(iso + 5, 2), d = atoi_n(iso + 8, 2);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    if (d > days[m - 1] + (m == 2 && is_leap(y)))
        return false;
    *year = y;
    *month = m;
    *day = d;
    return true;
}

static const char *calendar_name(vq_calendar c, const char *lang)
{
    if (c == VQ_CALENDAR_DEFAULT) /* vq_lang_is_persian reads the primary subtag */
        c = vq_lang_is_persian(lang) ? VQ_CALENDAR_PERSIAN : VQ_CALENDAR_GREGORIAN;
    return c == VQ_CALENDAR_PERSIAN ? "persian" : "gregorian";
}

static const UChar UTC[] = {'U', 'T', 'C', 0};

/* Midnight UTC of a proleptic Gregorian date (no Julian dates before
 * 1582), in ICU's milliseconds since 1970: days from the civil date
 * (H. Hinnant's days_from_civil), as ICU's Gregorian calendar with its
 * change moved to the beginning of time counts them. */
static UDate iso_to_udate(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (double)(era * 146097 + doe - 719468) * 86400000.0;
}

static UDateFormat *open_date_format(const vq_i18n *icu, const char *locale, const char *pattern,
                                     bool gregorian, UErrorCode *e)
{
    UChar upattern[UBUF];
    u_strFromUTF8(upattern, UBUF, NULL, pattern, -1, e);
    if (U_FAILURE(*e))
        return NULL;
    UDateFormat *f = icu->udat_open(UDAT_PATTERN, UDAT_PATTERN, locale, UTC, -1, upattern, -1, e);
    if (U_FAILURE(*e))
        return NULL;
    if (gregorian) {
        UCalendar *cal = icu->ucal_open(UTC, -1, locale, UCAL_GREGORIAN, e);
        icu->ucal_setGregorianChange(cal, -1e300, e); /* no Julian dates before 1582 */
        if (U_SUCCESS(*e))
            icu->udat_setCalendar(f, cal); /* copies it */
        icu->ucal_close(cal);
    }
    return f;
}

vq_status vq_format_date_pattern(vq_buf *out, const char *iso, const char *lang,
                                 vq_calendar calendar, vq_digits digits, const char *pattern,
                                 vq_error *err)
{
    int y, m, d;
    if (!vq_parse_iso_date(iso, &y, &m, &d))
        return vq_error_set(err, VQ_ERR_INPUT, NULL, 0, 0,
                            "\"%s\" is not a valid date (expected YYYY-MM-DD)", iso ? iso : "");
    const vq_i18n *icu;
    vq_status st = load_i18n("dates", &icu, err);
    if (st != VQ_OK)
        return st;
    const char *cal_name = calendar_name(calendar, lang);
    char locale[LOCALE_MAX];
    make_locale(locale, sizeof locale, lang, cal_name, digits);
    char key[sizeof((cached_format *)0)->key];
    int kn = snprintf(key, sizeof key, "d%s\n%s", locale, pattern);
    format_cache *c = kn > 0 && (size_t)kn < sizeof key ? thread_cache(icu) : NULL;
    UDateFormat *f = cached(c, key);
    bool was_cached = f != NULL;
    UErrorCode e = U_ZERO_ERROR;
    if (!f)
        f = open_date_format(icu, locale, pattern, strcmp(cal_name, "gregorian") == 0, &e);
    if (!f)
        return vq_error_set(err, VQ_ERR_INPUT, NULL, 0, 0, "cannot format dates for '%s': %s",
                            locale, u_errorName(e));
    UChar buf[UBUF];
    int32_t n = icu->udat_format(f, iso_to_udate(y, m, d), buf, UBUF, NULL, &e);
    if (!was_cached && c && U_SUCCESS(e))
        keep_format(c, key, f);
    else if (!was_cached)
        icu->udat_close(f);
    if (U_FAILURE(e) || !append_uchars(out, buf, n))
        return vq_error_set(err, VQ_ERR_INPUT, NULL, 0, 0, "cannot format the date \"%s\": %s", iso,
                            u_errorName(e));
    return VQ_OK;
}

/* Patterns, not ICU's styles: fa's full style is "۱۳۹۶ آبان ۲۰, شنبه". */
static const char *date_pattern(const char *lang, const vq_date_options *o)
{
    if (vq_lang_is_rtl(lang)) {
        if (o->style == VQ_DATE_LONG)
            return o->weekday ? "EEEE d MMMM y" : "d MMMM y";
        return o->weekday ? "EEEE y/M/d" : "y/M/d";
    }
    if (o->style == VQ_DATE_LONG)
        return o->weekday ? "EEEE, MMMM d, y" : "MMMM d, y";
    return o->weekday ? "EEEE, M/d/y" : "M/d/y";
}

vq_status vq_format_date(vq_buf *out, const char *iso, const char *lang,
                         const vq_date_options *options, vq_error *err)
{
    vq_date_options none = {VQ_CALENDAR_DEFAULT, VQ_DATE_SHORT, false, VQ_DIGITS_AS_WRITTEN};
    if (!options)
        options = &none;
    return vq_format_date_pattern(out, iso, lang, options->calendar, options->digits,
                                  date_pattern(lang, options), err);
}
