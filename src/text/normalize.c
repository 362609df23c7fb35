/* Step 1: the text the rest of the pipeline sees. NFC (ICU), optional
 * Persian letter forms, digits in the style's script, '.' and ',' between
 * Persian digits as U+066B and U+066C, newlines as LINE
 * SEPARATOR (so bidi keeps one paragraph) and tabs as spaces. ZWNJ is
 * never touched. */
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "base/utf8.h"
#include "text/internal.h"

static bool is_digit_any(uint32_t c)
{
    return vq_char_digit_value(c) >= 0;
}

static bool is_eastern_digit(uint32_t c)
{
    return c > 0x7F && vq_char_digit_value(c) >= 0;
}

/* Maps one code point; prev/next are the neighbours, for separators that
 * only change inside numbers. */
static uint32_t map_char(uint32_t c, uint32_t prev, uint32_t next, vq_digits digits,
                         bool persian_letters)
{
    if (c == '\n' || c == '\r')
        return 0x2028;
    if (c == '\t') /* no font draws a tab: it is a space here */
        return ' ';
    if (persian_letters) {
        if (c == 0x064A) /* ARABIC YEH → FARSI YEH */
            return 0x06CC;
        if (c == 0x0643) /* ARABIC KAF → KEHEH */
            return 0x06A9;
    }
    if (digits == VQ_DIGITS_LATIN) {
        if (is_digit_any(c))
            return (uint32_t)('0' + vq_char_digit_value(c));
        if (c == 0x066B)
            return '.';
        if (c == 0x066C)
            return ',';
        return c;
    }
    if (digits == VQ_DIGITS_PERSIAN && is_digit_any(c))
        return (uint32_t)(0x06F0 + vq_char_digit_value(c));
    /* Between Persian digits a full stop and a comma are the decimal and
     * thousands separators, as ICU's fa format writes them: Amiri draws
     * the ASCII full stop there like ۰ ("۴.۲" reads "۴۰۲"). */
    bool persian_number = digits == VQ_DIGITS_PERSIAN
                              ? is_digit_any(prev) && is_digit_any(next)
                              : is_eastern_digit(prev) && is_eastern_digit(next);
    if (persian_number && c == '.')
        return 0x066B; /* ٫ */
    if (persian_number && c == ',')
        return 0x066C; /* ٬ */
    return c;
}

static void append_mapped(vq_buf *out, const char *s, size_t len, const vq_text_style *st,
                          bool persian_letters)
{
    uint32_t prev = 0, c = 0, next;
    size_t i = 0, n = 0, kept = 0; /* [kept, i): unchanged, not yet appended */
    if (len)
        n = vq_utf8_decode(s, len, &c);
    while (i < len) {
        size_t j = i + n;
        next = 0;
        size_t nn = j < len ? vq_utf8_decode(s + j, len - j, &next) : 0;
        uint32_t m = map_char(c, prev, next, st->digits, persian_letters);
        if (m != c || (c == '\r' && next == '\n')) {
            if (i > kept)
                vq_buf_append(out, s + kept, i - kept);
            kept = j;
            char enc[4];
            /* CR LF is one line break: the LF makes it. */
            if (!(c == '\r' && next == '\n'))
                vq_buf_append(out, enc, vq_utf8_encode(m, enc));
        }
        prev = c;
        c = next;
        i = j;
        n = nn;
    }
    if (len > kept)
        vq_buf_append(out, s + kept, len - kept);
}

/* NFC of one span, through UTF-16 only when ICU says it is not NFC yet. */
static void append_span(vq_paragraph *p, const char *s, size_t len, const vq_text_style *st,
                        bool persian_letters)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    /* UTF-16 takes at most as many units as UTF-8 takes bytes. */
    int32_t n16 = 0;
    UChar *src = vq_xmalloc((len + 1) * sizeof *src);
    u_strFromUTF8(src, (int32_t)len + 1, &n16, s, (int32_t)len, &status);
    if (U_SUCCESS(status) && unorm2_quickCheck(nfc, src, n16, &status) == UNORM_YES) {
        free(src);
        append_mapped(&p->text, s, len, st, persian_letters);
        return;
    }
    status = U_ZERO_ERROR;
    int32_t cap = n16 * 3 + 16;
    UChar *dst = vq_xmalloc((size_t)cap * sizeof *dst);
    int32_t m = unorm2_normalize(nfc, src, n16, dst, cap, &status);
    if (U_FAILURE(status)) { /* keep the text as written */
        append_mapped(&p->text, s, len, st, persian_letters);
    } else {
        int32_t n8 = 0;
        status = U_ZERO_ERROR;
        u_strToUTF8(NULL, 0, &n8, dst, m, &status);
        status = U_ZERO_ERROR;
        char *u8 = vq_xmalloc((size_t)n8 + 1);
        u_strToUTF8(u8, n8 + 1, NULL, dst, m, &status);
        append_mapped(&p->text, u8, (size_t)n8, st, persian_letters);
        free(u8);
    }
    free(src);
    free(dst);
}

void vq_text_normalize(vq_paragraph *p, const vq_paragraph_style *ps)
{
    vq_buf_clear(&p->text);
    vq_buf_reserve(&p->text, p->raw.len + 1);
    for (size_t i = 0; i < p->span_count; i++) {
        vq_span *sp = &p->spans[i];
        sp->start = p->text.len;
        append_span(p, p->raw.data + sp->raw_start, sp->raw_end - sp->raw_start, &sp->style,
                    ps->normalize_persian);
        sp->end = p->text.len;
    }
    if (!p->text.data)
        vq_buf_append(&p->text, "", 0);
}
