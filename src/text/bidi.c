/* Step 2: bidi levels with ICU's ubidi, one level per byte of the text.
 *
 * Unit isolation: in a right-to-left paragraph, plain UAX #9 shows
 * "روزانه 50 mg/day" as "mg/day 50" and "(10 mg)" as "(mg 10)". A number
 * followed by Latin units is a left-to-right phrase, so ICU gets an LRI
 * before it and a PDI after it; so do phone numbers (digit groups joined
 * by hyphens). Only ICU's copy of the text has them: the
 * paragraph text, its clusters and its glyphs never see them. */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "base/utf8.h"
#include "text/internal.h"

static const char *const UNITS[] = {
    "g",    "mg",    "mcg",   "µg",    "μg",    "kg",  "ng",    "pg",     "L",     "l",
    "mL",   "ml",    "dL",    "dl",    "cc",    "mol", "mmol",  "µmol",   "μmol",  "nmol",
    "mEq",  "IU",    "U",     "mU",    "kU",    "m",   "cm",    "mm",     "µm",    "μm",
    "km",   "d",     "day",   "days",  "h",     "hr",  "hrs",   "hour",   "hours", "min",
    "s",    "sec",   "wk",    "week",  "weeks", "mo",  "month", "months", "y",     "yr",
    "year", "years", "mmHg",  "cmH2O", "Hz",    "bpm", "°C",    "°F",     "kcal",  "cal",
    "Gy",   "cGy",   "mGy",   "Sv",    "mSv",   "Bq",  "MBq",   "mCi",    "kDa",   "mOsm",
    "mV",   "V",     "W",     "J",     "kJ",    "Pa",  "kPa",   "dose",   "doses", "tab",
    "tabs", "drop",  "drops", "puff",  "puffs", "mIU", "miu",   "µIU",    "μIU",   "fL",
};

static bool is_ascii_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ascii_alpha(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Length of a unit-word character at s (ASCII letters and digits, µ μ °),
 * 0 if none. */
static size_t unit_char(const char *s, size_t avail)
{
    unsigned char c = (unsigned char)s[0];
    if (is_ascii_alpha(c) || is_ascii_digit(c))
        return 1;
    if (avail >= 2 &&
        ((c == 0xC2 && ((unsigned char)s[1] == 0xB5 || (unsigned char)s[1] == 0xB0)) ||
         (c == 0xCE && (unsigned char)s[1] == 0xBC)))
        return 2;
    return 0;
}

/* A known unit at s, maybe with an exponent digit (m2); returns its
 * length or 0. */
static size_t match_unit(const char *s, size_t avail)
{
    if (avail == 0 || is_ascii_digit((unsigned char)s[0]))
        return 0;
    size_t n = 0, k;
    while (n < avail && (k = unit_char(s + n, avail - n)) != 0)
        n += k;
    size_t base = n;
    while (base > 0 && is_ascii_digit((unsigned char)s[base - 1]))
        base--;
    for (size_t i = 0; i < sizeof UNITS / sizeof *UNITS; i++) {
        size_t ul = strlen(UNITS[i]);
        if ((ul == n || ul == base) && memcmp(UNITS[i], s, ul) == 0)
            return n;
    }
    return 0;
}

/* Bytes of a digit at t[i] (ASCII, Persian ۰–۹ or Arabic-Indic), or 0. */
static size_t digit_len(const char *t, size_t len, size_t i)
{
    unsigned char c = (unsigned char)t[i];
    if (is_ascii_digit(c))
        return 1;
    if (i + 1 < len) {
        unsigned char d = (unsigned char)t[i + 1];
        if ((c == 0xDB && d >= 0xB0 && d <= 0xB9) || (c == 0xD9 && d >= 0xA0 && d <= 0xA9))
            return 2;
    }
    return 0;
}

/* Bytes of a separator inside a number (. , - ٫ ٬) at t[i], or 0. */
static size_t number_sep_len(const char *t, size_t len, size_t i)
{
    if (t[i] == '.' || t[i] == ',' || t[i] == '-')
        return 1;
    if (i + 1 < len && (unsigned char)t[i] == 0xD9 &&
        ((unsigned char)t[i + 1] == 0xAB || (unsigned char)t[i + 1] == 0xAC))
        return 2;
    return 0;
}

/* A number followed by units at text[i]: "50 mg/day", "۴۰۰ mg/kg/day",
 * "2 g/kg", "50mg". Returns the fragment's end, or i when there is none. */
static size_t match_fragment(const char *t, size_t len, size_t i)
{
    size_t j = i, k, s;
    while (j < len && (k = digit_len(t, len, j)) != 0)
        j += k;
    while (j < len && (s = number_sep_len(t, len, j)) != 0 && j + s < len &&
           digit_len(t, len, j + s)) {
        j += s;
        while (j < len && (k = digit_len(t, len, j)) != 0)
            j += k;
    }
    if (j < len && t[j] == ' ')
        j++;
    else if (j + 1 < len && (unsigned char)t[j] == 0xC2 && (unsigned char)t[j + 1] == 0xA0)
        j += 2;
    size_t u = match_unit(t + j, len - j);
    if (u == 0)
        return i;
    j += u;
    while (j + 1 < len && t[j] == '/') {
        u = match_unit(t + j + 1, len - j - 1);
        if (u == 0)
            break;
        j += 1 + u;
    }
    return j;
}

/* Digit groups joined by two or more hyphens at text[i]: a phone or file
 * number ("011-0123-4567"). After Persian letters its digits resolve as
 * Arabic numbers and the hyphens as right-to-left, so plain UAX #9 shows
 * the groups in reverse order. Returns the end, or i when there is none. A
 * range such as "2-6" (one hyphen) keeps the UAX #9 order. */
static size_t match_digit_groups(const char *t, size_t len, size_t i)
{
    size_t j = i, k, hyphens = 0;
    while (j < len && (k = digit_len(t, len, j)) != 0)
        j += k;
    while (j + 1 < len && t[j] == '-' && digit_len(t, len, j + 1)) {
        hyphens++;
        j++;
        while (j < len && (k = digit_len(t, len, j)) != 0)
            j += k;
    }
    return hyphens >= 2 ? j : i;
}

static void find_unit_fragments(vq_paragraph *p)
{
    const char *t = p->text.data;
    size_t len = p->text.len;
    p->unit_count = 0;
    for (size_t i = 0; i < len; i++) {
        size_t k = digit_len(t, len, i);
        if (!k)
            continue;
        /* A number that continues a word (H2O, A1c) is not a quantity. */
        if (i > 0 &&
            (is_ascii_alpha((unsigned char)t[i - 1]) || is_ascii_digit((unsigned char)t[i - 1]) ||
             t[i - 1] == '.' || (i > 1 && digit_len(t, len, i - 2) == 2)))
            continue;
        size_t end = match_fragment(t, len, i);
        if (end == i)
            end = match_digit_groups(t, len, i);
        if (end == i) {
            size_t j = i, d;
            while (j < len && (d = digit_len(t, len, j)) != 0)
                j += d;
            i = j - 1; /* the loop's i++ moves past the number */
            continue;
        }
        vq_text_grow(&p->unit_ranges, &p->unit_cap, 2 * (p->unit_count + 1),
                     sizeof *p->unit_ranges);
        p->unit_ranges[2 * p->unit_count] = i;
        p->unit_ranges[2 * p->unit_count + 1] = end;
        p->unit_count++;
        i = end - 1;
    }
}

static void put16(vq_paragraph *p, UChar u)
{
    vq_text_grow(&p->u16, &p->u16_cap, (size_t)p->u16_len + 1, sizeof *p->u16);
    p->u16[p->u16_len++] = u;
}

/* ICU's copy of the text, with the isolates of unit fragments (if any) and
 * the byte → UTF-16 index map. */
static void build_u16(vq_paragraph *p, bool with_isolates)
{
    const char *t = p->text.data;
    size_t len = p->text.len, next_unit = 0;
    p->u16_len = 0;
    p->byte_to_u16 = vq_xrealloc(p->byte_to_u16, (len + 1) * sizeof *p->byte_to_u16);
    size_t units = with_isolates ? p->unit_count : 0;
    for (size_t i = 0; i < len;) {
        if (next_unit < units && p->unit_ranges[2 * next_unit + 1] == i) {
            put16(p, 0x2069); /* PDI */
            next_unit++;
        }
        if (next_unit < units && p->unit_ranges[2 * next_unit] == i)
            put16(p, 0x2066); /* LRI */
        uint32_t cp;
        size_t n = vq_utf8_decode(t + i, len - i, &cp);
        for (size_t k = 0; k < n; k++)
            p->byte_to_u16[i + k] = p->u16_len;
        if (cp > 0xFFFF) {
            put16(p, (UChar)(0xD7C0 + (cp >> 10)));
            put16(p, (UChar)(0xDC00 | (cp & 0x3FF)));
        } else {
            put16(p, (UChar)cp);
        }
        i += n;
    }
    if (next_unit < units)
        put16(p, 0x2069);
    p->byte_to_u16[len] = p->u16_len;
}

/* The base level for dir=auto: the first strong character outside
 * isolates (UAX #9, P2–P3); left to right when there is none. */
static UBiDiLevel first_strong_level(const vq_paragraph *p)
{
    const char *t = p->text.data;
    size_t len = p->text.len;
    int isolates = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = vq_utf8_decode(t + i, len - i, &cp);
        i += n ? n : 1;
        UCharDirection d = u_charDirection((UChar32)cp);
        if (d == U_LEFT_TO_RIGHT_ISOLATE || d == U_RIGHT_TO_LEFT_ISOLATE ||
            d == U_FIRST_STRONG_ISOLATE)
            isolates++;
        else if (d == U_POP_DIRECTIONAL_ISOLATE && isolates > 0)
            isolates--;
        else if (isolates == 0 && d == U_LEFT_TO_RIGHT)
            return 0;
        else if (isolates == 0 && (d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC))
            return 1;
    }
    return 0;
}

vq_status vq_text_bidi(vq_paragraph *p, const vq_paragraph_style *ps, vq_error *err)
{
    UBiDiLevel level;
    if (ps->dir == VQ_DIR_RTL)
        level = 1;
    else if (ps->dir == VQ_DIR_LTR)
        level = 0;
    else
        level = first_strong_level(p);
    p->base_level = level;
    p->resolved_dir = level ? VQ_DIR_RTL : VQ_DIR_LTR;
    /* Found in any direction (line breaking keeps them whole), isolated
     * only in right-to-left paragraphs. */
    find_unit_fragments(p);
    p->units_isolated = ps->isolate_units && level == 1 && p->unit_count > 0;
    build_u16(p, p->units_isolated);
    if (!p->bidi)
        p->bidi = ubidi_open();
    UErrorCode status = U_ZERO_ERROR;
    ubidi_setPara(p->bidi, p->u16, p->u16_len, level, NULL, &status);
    const UBiDiLevel *lv = U_SUCCESS(status) ? ubidi_getLevels(p->bidi, &status) : NULL;
    if (U_FAILURE(status))
        return vq_error_set(err, VQ_ERR_INPUT, NULL, 0, 0, "bidi analysis failed: %s",
                            u_errorName(status));
    size_t len = p->text.len;
    p->levels = vq_xrealloc(p->levels, len + 1);
    for (size_t i = 0; i < len; i++)
        p->levels[i] = lv[p->byte_to_u16[i]];
    return VQ_OK;
}
