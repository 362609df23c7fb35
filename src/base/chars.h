/* Character classes: the one place that says which code points are spaces,
 * which are bidi controls and which are never drawn, so the paragraph
 * engine, line breaking and drawing cannot disagree. */
#ifndef VQ_BASE_CHARS_H
#define VQ_BASE_CHARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <unicode/uchar.h>

/* The classes below are inline: the text stages ask them of every
 * character, some several times. */

/* Spaces between words that justification stretches: U+0020, U+00A0. */
static inline bool vq_char_is_word_space(uint32_t cp)
{
    return cp == ' ' || cp == 0xA0;
}

/* Spaces that hang at a line end (not drawn there, not measured): the word
 * spaces that may break, tab, LINE SEPARATOR and IDEOGRAPHIC SPACE. */
static inline bool vq_char_is_break_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x2028 || cp == 0x3000;
}

/* Bidi formatting characters: LRM, RLM, ALM, the embeddings and overrides
 * (U+202A–U+202E) and the isolates (U+2066–U+2069). */
static inline bool vq_char_is_bidi_control(uint32_t cp)
{
    return cp == 0x200E || cp == 0x200F || cp == 0x061C || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* Never drawn: the bidi controls, SOFT HYPHEN (a line that ends there draws
 * a hyphen instead) and LINE SEPARATOR. */
static inline bool vq_char_is_dropped(uint32_t cp)
{
    return vq_char_is_bidi_control(cp) || cp == 0xAD || cp == 0x2028;
}

/* The value of a decimal digit numbers are read with: ASCII, Persian
 * (U+06F0–U+06F9) or Arabic-Indic (U+0660–U+0669); -1 for anything else. */
static inline int vq_char_digit_value(uint32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return (int)(cp - '0');
    if (cp >= 0x06F0 && cp <= 0x06F9)
        return (int)(cp - 0x06F0);
    if (cp >= 0x0660 && cp <= 0x0669)
        return (int)(cp - 0x0660);
    return -1;
}

/* The direction of a strong letter by its bidi class d (u_charDirection):
 * 1 right to left (R, AL), -1 left to right (L), 0 anything else (numbers,
 * neutrals, marks). The one test of what counts as a strong letter, for
 * vq_strong_add and the renderer's counts (render/line.c, pagedir.c). */
static inline int vq_bidi_strong(UCharDirection d)
{
    return d == U_LEFT_TO_RIGHT ? -1 : d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC ? 1 : 0;
}

/* The i-th code point vq_char_is_dropped holds for, 0 past the last: the
 * bidi controls (LRM, RLM, the embeddings and overrides, the isolates,
 * ALM), then LINE SEPARATOR and SOFT HYPHEN. Their blank glyphs are free to
 * carry other invisible characters (text/shape.c), most useful first. */
uint32_t vq_char_dropped_nth(size_t i);

/* The direction that "auto" gives a text (docs/markup.md, `varaq text --dir
 * auto`): that of most of its words (letters of one direction in a row),
 * outside isolates; a tie goes to most strong letters, then to the first
 * strong letter. A Persian paragraph that opens with "MRI" is right to
 * left, which UAX #9's first-strong rule would not make it, and so is
 * "دارو Rituximab و متن" (more Latin letters, more Persian words). Feed
 * the text in pieces with vq_strong_add, then ask vq_strong_dir. */
typedef struct vq_strong_count {
    size_t rtl, ltr;             /* letters */
    size_t rtl_words, ltr_words; /* words */
    int first;                   /* 1 right to left, -1 left to right, 0 none yet */
    int prev;                    /* the direction of the word being read, 0 between words */
    int isolates;                /* open isolates: their content does not count */
} vq_strong_count;
void vq_strong_add(vq_strong_count *c, const char *utf8, size_t len);
/* 1 right to left, -1 left to right, 0 when the text has no strong letter. */
int vq_strong_dir(const vq_strong_count *c);

#endif
