/* Character classes (chars.h): one definition per class. */
#include "base/chars.h"

#include <unicode/uchar.h>

#include "base/utf8.h"

/* Checked against vq_char_is_dropped over every code point (tests/base). */
static const uint32_t DROPPED[] = {0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                   0x2066, 0x2067, 0x2068, 0x2069, 0x061C, 0x2028, 0xAD};

uint32_t vq_char_dropped_nth(size_t i)
{
    return i < sizeof DROPPED / sizeof *DROPPED ? DROPPED[i] : 0;
}

void vq_strong_add(vq_strong_count *c, const char *utf8, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = vq_utf8_decode(utf8 + i, len - i, &cp);
        if (n == 0)
            break;
        i += n;
        UCharDirection d = u_charDirection((UChar32)cp);
        int s;
        if (d == U_LEFT_TO_RIGHT_ISOLATE || d == U_RIGHT_TO_LEFT_ISOLATE ||
            d == U_FIRST_STRONG_ISOLATE) {
            c->isolates++;
        } else if (d == U_POP_DIRECTIONAL_ISOLATE) {
            if (c->isolates > 0)
                c->isolates--;
        } else if (c->isolates > 0) {
            continue;
        } else if ((s = vq_bidi_strong(d)) != 0) {
            if (s > 0) {
                c->rtl++;
                c->rtl_words += c->prev != 1;
            } else {
                c->ltr++;
                c->ltr_words += c->prev != -1;
            }
            c->prev = s;
            c->first = c->first ? c->first : s;
        } else if (u_charType((UChar32)cp) != U_NON_SPACING_MARK && cp != 0x200C && cp != 0x200D) {
            c->prev = 0; /* marks and joiners stay inside their word */
        }
    }
}

int vq_strong_dir(const vq_strong_count *c)
{
    if (c->rtl_words != c->ltr_words)
        return c->rtl_words > c->ltr_words ? 1 : -1;
    if (c->rtl != c->ltr)
        return c->rtl > c->ltr ? 1 : -1;
    return c->first;
}
