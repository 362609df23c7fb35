/* Step 2: bidi levels with ICU's ubidi, one level per byte of the text.
 *
 * Number isolation: in a right-to-left paragraph plain UAX #9 makes digits
 * after Persian letters Arabic numbers (W2), so "120/80 mmHg" shows as
 * "mmHg 120/80", "(10 mg)" as "(mg 10)", "94%" with the sign on the left,
 * "-5" with the minus on the right and "011-0123-4567" with its groups
 * reversed. A number token is a left-to-right phrase: ICU gets an LRI before
 * it and a PDI after it, so it reads as written. Only ICU's copy of the
 * text has them: the paragraph text, its clusters and its glyphs never see
 * them.
 *
 * What a number token is (number_token): digit groups (ASCII, Persian or
 * Arabic-Indic) joined by / . , : ٫ ٬, then superscript digits ("10⁹");
 * a sign before it at the start of a word (+ - − ±); a percent or per-mille
 * sign after it (% ٪ ‰); a range to a second such number (- –); a power of
 * ten ("×10⁹"); then units: a known unit word, with a superscript or digit
 * ("m²"), joined by '/' to more units or numbers with units
 * ("mL/min/1.73m²", "×10⁹/L"). The unit words are a list because a Latin
 * word after a number is not always its unit ("در سال 2009 Smith"). A token
 * is isolated when it has a sign, a percent, a power of ten or units; a
 * plain number or date ("120/80", "1403/01/01") already reads as written
 * under UAX #9 and a bare range ("۲-۶") keeps its right-to-left order. So
 * do phone numbers: digit groups joined by two or more hyphens, or a group
 * of three or more digits that starts with 0 followed by more groups
 * ("021-88776655", "0912 345 6789"). */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "base/utf8.h"
#include "text/internal.h"

static const char *const UNITS[] = {
    "g",     "mg",    "mcg",   "µg",     "μg",   "kg",    "ng",   "pg",    "L",    "l",     "mL",
    "ml",    "dL",    "dl",    "cc",     "mol",  "mmol",  "µmol", "μmol",  "nmol", "mEq",   "IU",
    "U",     "mU",    "kU",    "m",      "cm",   "mm",    "µm",   "μm",    "km",   "d",     "day",
    "days",  "h",     "hr",    "hrs",    "hour", "hours", "min",  "s",     "sec",  "wk",    "week",
    "weeks", "mo",    "month", "months", "y",    "yr",    "year", "years", "mmHg", "cmH2O", "Hz",
    "bpm",   "°C",    "°F",    "kcal",   "cal",  "Gy",    "cGy",  "mGy",   "Sv",   "mSv",   "Bq",
    "MBq",   "mCi",   "kDa",   "mOsm",   "mV",   "V",     "W",    "J",     "kJ",   "Pa",    "kPa",
    "dose",  "doses", "tab",   "tabs",   "drop", "drops", "puff", "puffs", "mIU",  "miu",   "µIU",
    "μIU",   "fL",    "µL",    "μL",     "uL",   "pmol",  "mg%",  "µU",    "μU",
};

/* The code point at t[i] (0 past the end); *n receives its length. */
static uint32_t cp_at(const char *t, size_t len, size_t i, size_t *n)
{
    uint32_t cp = 0;
    size_t k = i < len ? vq_utf8_decode(t + i, len - i, &cp) : 0;
    *n = k;
    return k ? cp : 0;
}

static bool is_digit(uint32_t c)
{
    return vq_char_digit_value(c) >= 0;
}

static bool is_zero(uint32_t c)
{
    return vq_char_digit_value(c) == 0;
}

static bool is_superscript(uint32_t c)
{
    return c == 0xB2 || c == 0xB3 || c == 0xB9 || c == 0x2070 || (c >= 0x2074 && c <= 0x207B);
}

static bool is_number_sep(uint32_t c)
{
    return c == '.' || c == ',' || c == '/' || c == ':' || c == 0x066B || c == 0x066C;
}

static bool is_percent(uint32_t c)
{
    return c == '%' || c == 0x066A || c == 0x2030 || c == 0x0609;
}

static bool is_sign(uint32_t c)
{
    return c == '+' || c == '-' || c == 0x2212 || c == 0xB1;
}

static bool is_ascii_alpha(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Digits and the separators inside one number, then superscript digits:
 * "120/80", "۴٫۲", "1,250.5", "10⁹". Returns the end, or i if no digit. */
static size_t scan_number(const char *t, size_t len, size_t i)
{
    size_t j = i, n, m;
    if (!is_digit(cp_at(t, len, j, &n)))
        return i;
    for (;;) {
        while (is_digit(cp_at(t, len, j, &n)))
            j += n;
        if (is_number_sep(cp_at(t, len, j, &n)) && is_digit(cp_at(t, len, j + n, &m)))
            j += n;
        else
            break;
    }
    while (is_superscript(cp_at(t, len, j, &n)))
        j += n;
    return j;
}

/* A known unit word at s, with a trailing digit or superscript ("m2",
 * "m²", "cmH2O"); returns its length or 0. */
static size_t match_unit(const char *s, size_t avail)
{
    size_t n = 0, k;
    uint32_t c = cp_at(s, avail, 0, &k);
    if (k == 0 || is_digit(c))
        return 0;
    while ((c = cp_at(s, avail, n, &k)) != 0 && (is_ascii_alpha(c) || (c >= '0' && c <= '9') ||
                                                 c == 0xB5 || c == 0x3BC || c == 0xB0 || c == '%'))
        n += k;
    size_t base = n;
    while (base > 0 && s[base - 1] >= '0' && s[base - 1] <= '9')
        base--;
    size_t end = n;
    while (is_superscript(cp_at(s, avail, end, &k)))
        end += k;
    for (size_t i = 0; i < sizeof UNITS / sizeof *UNITS; i++) {
        if (UNITS[i][0] != s[0]) /* most words: no unit starts so */
            continue;
        size_t ul = strlen(UNITS[i]);
        if ((ul == n || ul == base) && memcmp(UNITS[i], s, ul) == 0)
            return end;
    }
    return 0;
}

/* Units from t[j]: a unit, then '/' and a unit or a number with a unit
 * ("mg/kg/day", "mL/min/1.73m²"). With after_power, the first unit may
 * itself follow a '/' ("×10⁹/L"). Returns the end, or j. */
static size_t scan_units(const char *t, size_t len, size_t j, bool after_power)
{
    size_t u = match_unit(t + j, len - j);
    if (u == 0 && after_power && j < len && t[j] == '/')
        u = (u = match_unit(t + j + 1, len - j - 1)) ? u + 1 : 0;
    if (u == 0)
        return j;
    j += u;
    while (j + 1 < len && t[j] == '/') {
        size_t k = j + 1, e = scan_number(t, len, k);
        u = match_unit(t + e, len - e);
        if (e == k && u == 0)
            break;
        if (e > k && u == 0) /* "mg/100": a number alone ends nothing well */
            break;
        j = e + u;
    }
    return j;
}

/* Bytes of a space (or no-break space) at t[j], or 0. */
static size_t space_len(const char *t, size_t len, size_t j)
{
    size_t n;
    uint32_t c = cp_at(t, len, j, &n);
    return vq_char_is_word_space(c) ? n : 0;
}

/* Phone and file numbers: groups joined by two or more hyphens
 * ("011-0123-4567"), or a first group of three or more digits starting
 * with 0 and more groups after a hyphen or space ("021-88776655",
 * "0912 345 6789"). Plain UAX #9 shows their groups in reverse order.
 * Returns the end, or i. */
static size_t match_phone(const char *t, size_t len, size_t i)
{
    size_t j = i, n, first = 0, hyphens = 0, groups = 1;
    uint32_t c0 = cp_at(t, len, i, &n);
    while (is_digit(cp_at(t, len, j, &n))) {
        j += n;
        first++;
    }
    bool leading_zero = is_zero(c0) && first >= 3;
    for (;;) {
        size_t s = j, sep = 0, digits = 0;
        if (t[s] == '-')
            sep = 1;
        else if (leading_zero)
            sep = space_len(t, len, s);
        if (!sep)
            break;
        size_t k = s + sep;
        while (is_digit(cp_at(t, len, k, &n))) {
            k += n;
            digits++;
        }
        if (digits == 0 || (t[s] != '-' && digits < 3))
            break;
        hyphens += t[s] == '-';
        groups++;
        j = k;
    }
    return hyphens >= 2 || (leading_zero && groups >= 2) ? j : i;
}

/* The number token starting with the digit at t[i] (see the header).
 * Returns the end of an isolated phrase and its start in *start, or i
 * when the number needs no isolate; *skip receives where the number
 * ends either way. */
static size_t number_token(const char *t, size_t len, size_t i, size_t *start, size_t *skip)
{
    size_t n, m, p;
    *start = i;
    bool marked = false;
    /* A sign that opens a word: "-5", "(+3", "±0.5". */
    if (i > 0) {
        size_t s = vq_text_prev_start(t, i);
        uint32_t sign = cp_at(t, len, s, &n);
        uint32_t before = 0;
        if (s > 0) {
            before = cp_at(t, len, vq_text_prev_start(t, s), &p);
        }
        if (is_sign(sign) && (s == 0 || vq_char_is_word_space(before) || before == '(' ||
                              before == '[' || before == 0x2028)) {
            *start = s;
            marked = true;
        }
    }
    size_t j = scan_number(t, len, i);
    for (size_t k = i; k < j; k += n)
        if (is_superscript(cp_at(t, len, k, &n)))
            marked = true;
    if (is_percent(cp_at(t, len, j, &n))) {
        j += n;
        marked = true;
    }
    *skip = j;
    /* A range to a second number: kept only when something after it makes
     * the whole a phrase ("10-12 mg", "5-10%"). */
    size_t range_end = 0;
    uint32_t c = cp_at(t, len, j, &n);
    if ((c == '-' || c == 0x2013) && is_digit(cp_at(t, len, j + n, &m))) {
        size_t k = scan_number(t, len, j + n);
        bool pct = false;
        if (is_percent(cp_at(t, len, k, &m))) {
            k += m;
            pct = true;
        }
        size_t sp = space_len(t, len, k);
        size_t u = scan_units(t, len, k + sp, false);
        if (u > k + sp)
            range_end = u;
        else if (pct || marked)
            range_end = k;
        *skip = k;
    }
    if (range_end)
        return range_end;
    /* A power of ten: "4.5×10⁹/L". */
    bool power = false;
    if (cp_at(t, len, j, &n) == 0xD7 && is_digit(cp_at(t, len, j + n, &m))) {
        j = scan_number(t, len, j + n);
        power = marked = true;
        *skip = j;
    }
    size_t sp = power ? 0 : space_len(t, len, j);
    size_t u = scan_units(t, len, j + sp, power);
    if (u > j + sp) {
        *skip = u;
        return u;
    }
    if (marked)
        return j;
    size_t phone = match_phone(t, len, i);
    if (phone > i) {
        *skip = phone;
        return phone;
    }
    return i;
}

static void find_unit_fragments(vq_paragraph *p)
{
    const char *t = p->text.data;
    size_t len = p->text.len, n;
    p->unit_count = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c = cp_at(t, len, i, &n);
        if (!n)
            break;
        if (!is_digit(c)) {
            i += n;
            continue;
        }
        /* A number that continues a word (H2O, A1c) is not a quantity. */
        if (i > 0 && (is_ascii_alpha((unsigned char)t[i - 1]) || t[i - 1] == '.')) {
            while (i < len && is_digit(cp_at(t, len, i, &n)))
                i += n;
            continue;
        }
        size_t start, skip;
        size_t end = number_token(t, len, i, &start, &skip);
        if (end > i) {
            vq_text_grow(&p->unit_ranges, &p->unit_cap, 2 * (p->unit_count + 1),
                         sizeof *p->unit_ranges);
            p->unit_ranges[2 * p->unit_count] = start;
            p->unit_ranges[2 * p->unit_count + 1] = end;
            p->unit_count++;
            i = end;
        } else {
            i = skip > i ? skip : i + n;
        }
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

/* The base level for dir=auto: the rule every "auto" in varaq follows
 * (base/chars.h: most strong letters outside isolates, ties to the first);
 * left to right when there is none. */
static UBiDiLevel auto_level(const vq_paragraph *p)
{
    vq_strong_count c = {0};
    vq_strong_add(&c, p->text.data, p->text.len);
    return vq_strong_dir(&c) > 0 ? 1 : 0;
}

vq_status vq_text_bidi(vq_paragraph *p, const vq_paragraph_style *ps, vq_error *err)
{
    UBiDiLevel level;
    if (ps->dir == VQ_DIR_RTL)
        level = 1;
    else if (ps->dir == VQ_DIR_LTR)
        level = 0;
    else
        level = auto_level(p);
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
