/* The paragraph engine's shared state: what each step (one file each) reads
 * and produces. Private to src/text. */
#ifndef VQ_TEXT_INTERNAL_H
#define VQ_TEXT_INTERNAL_H

#include <hb.h>
#include <unicode/ubidi.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "base/chars.h"
#include "base/utf8.h"
#include "text/paragraph.h"

/* A styled piece of the input, and where it landed in the normalized text. */
typedef struct vq_span {
    size_t raw_start, raw_end; /* bytes of p->raw */
    size_t start, end;         /* bytes of p->text */
    vq_text_style style;
} vq_span;

/* A glyph as HarfBuzz gave it: font units, cluster = byte of p->text. */
typedef struct vq_sglyph {
    uint32_t id;
    int32_t x_advance, x_offset, y_offset;
    uint32_t cluster;
    uint32_t flags; /* hb_glyph_flags_t */
} vq_sglyph;

/* A glyph as hb_shape gave it (the shaping cache keeps these); cluster
 * relative to the start of the text shaped. */
typedef struct vq_cglyph {
    uint32_t id, cluster;
    uint32_t flags; /* hb_glyph_flags_t */
    int32_t x_advance, x_offset, y_offset;
} vq_cglyph;

/* One level, one script, one span, one face: shaped as a whole. */
typedef struct vq_item {
    size_t start, end; /* bytes of p->text */
    uint8_t level;
    int script; /* UScriptCode */
    size_t span;
    const vq_face *face;
    double size;                     /* pt, size_scale applied */
    double scale;                    /* pt per font unit */
    size_t glyph_start, glyph_count; /* into p->glyphs, left to right */
} vq_item;

/* A place a line may end: after the text before pos. */
enum { VQ_BRK_SOFT, VQ_BRK_HYPHEN, VQ_BRK_HARD, VQ_BRK_EMERGENCY };
typedef struct vq_break {
    size_t pos;
    size_t content_end; /* pos less the spaces before it */
    int kind;
    double extra;    /* pt drawn only when a line ends here (a soft hyphen's hyphen) */
    bool add_hyphen; /* a hyphenation point: a line ending here shows a hyphen */
    bool measured;   /* a hyphenation point found only for the narrowest width: no
                        layout has asked for its word, so none breaks there yet */
    double kash_pos; /* kashida stretch (pt) of the text before pos, */
    double kash_end; /* and before content_end (per width: build_candidates) */
} vq_break;

/* Where a word may take a kashida (kashida.c): the best joining position
 * of the word by the priority rules, among those HarfBuzz marks safe for a
 * tatweel. One per word, found once per text. */
typedef struct vq_kashida {
    size_t pos;                  /* the tatweel goes just before the letter at this byte */
    size_t word_start, word_end; /* the word it lengthens */
    int rank;                    /* 1 (best) … 8 (any other safe join) */
    double stretch_before;       /* pt: the stretch of the candidates before this one */
    uint32_t glyph;              /* the face's tatweel as shaped between two letters */
    double tatweel;              /* its advance, pt */
    struct vq_tatweel *face;     /* the face's tatweel and kashida composites */
} vq_kashida;

/* A face's tatweel for kashida (kashida.c), kept with the face. */
struct vq_tatweel {
    const vq_face *face;
    uint32_t glyph; /* 0: the face has none */
    int32_t advance;
    unsigned glyph_count;
    int32_t (*ink)[2]; /* per glyph: left and right edge of its ink, font units */
    /* Per glyph: its first kashida composite (the letter with a stroke of
     * one step on its right, fonts/convert.py's vqk<glyph>.1; the longer
     * ones follow it), 0 none, UINT32_MAX not looked up yet. */
    uint32_t *composite;
    unsigned steps;      /* composites per letter form (0: none) */
    unsigned first_step; /* the shortest's step, from its name */
    /* Each step's stroke, font units: the same for every letter form
     * (fonts/convert.py; tests/fonts/kashida_composites.py checks it),
     * read from the first composite found. */
    int32_t *step_units;
};

/* Shared by the breaker and justification: how far spaces stretch at
 * badness 100, and how much one word may take in kashida, in tatweels. */
#define VQ_SPACE_STRETCH 0.5
#define VQ_KASHIDA_WORD_MAX 2.0

/* A line as chosen by the breaker: text [start, end), content up to
 * content_end (trailing spaces are not drawn). */
typedef struct vq_line_span {
    size_t start, content_end, end;
    int end_kind;
    bool add_hyphen; /* ends at a hyphenation point */
    double badness;  /* 0 … 10000 (more: overfull) */
} vq_line_span;

/* A line's run before its glyphs are fixed in p->out_glyphs. */
typedef struct vq_piece {
    size_t item;
    size_t start, end;
    uint8_t level;
    size_t glyph_start, glyph_count; /* into p->out_glyphs */
    double width;
} vq_piece;

struct vq_paragraph {
    vq_font_registry *fonts;

    /* Input. */
    vq_buf raw;
    vq_span *spans;
    size_t span_count, span_cap;
    bool bad_utf8;
    size_t bad_offset;

    /* Prepared once per text (normalize → bidi → itemize → shape). */
    bool prepared;
    unsigned prepare_count;                      /* for tests: the work the flag above saves */
    unsigned kashida_searches, hyphenated_words; /* for tests, the same */
    vq_dir prep_dir;
    bool prep_normalize, prep_isolate;
    vq_buf text;
    uint8_t *levels; /* per byte of text */
    UChar *u16;      /* text as ICU sees it, isolates inserted */
    int32_t u16_len;
    size_t u16_cap;
    int32_t *byte_to_u16; /* per byte of text (+1) */
    UBiDi *bidi, *line_bidi;
    uint8_t base_level;
    size_t *unit_ranges; /* pairs of byte offsets of numbers with units */
    size_t unit_count, unit_cap;
    bool units_isolated; /* and ICU saw them inside LRI…PDI */
    vq_item *items;
    size_t item_count, item_cap;
    hb_buffer_t *hb;
    struct { /* shape.c: the blank glyph drawn for a default ignorable */
        const vq_face *face;
        uint32_t cp, glyph;
    } blank_cache[8];
    vq_cglyph *cg; /* hb_shape's output, converted */
    size_t cg_cap;
    unsigned shape_count; /* items given to hb_shape (not found in the cache) */
    vq_sglyph *glyphs;
    size_t glyph_count, glyph_cap;
    double *x_prefix;     /* per byte (+1): pt of the glyphs with cluster < byte */
    double *space_prefix; /* the same for inter-word space glyphs */
    UText *utext;
    UBreakIterator *line_iter, *char_iter;
    char locale[32];
    vq_break *breaks; /* ICU's opportunities, filtered; the last is text.len */
    size_t break_count, break_cap;
    /* Found at the first layout that needs them, then kept with the text. */
    bool kashida_ready;
    vq_kashida *kashidas; /* ascending pos */
    size_t kashida_count, kashida_cap;
    double kashida_stretch; /* of them all */
    vq_break *hyphs;        /* hyphenation points, ascending */
    size_t hyph_count, hyph_cap;
    uint8_t *hyph_done; /* per byte: a word starting here was hyphenated */
    bool kashida_on;    /* this layout: justified, kashida not turned off */

    /* Per layout. */
    vq_break *cand; /* breaks plus emergency ones for this width */
    size_t cand_count, cand_cap;
    vq_line_span *line_spans;
    size_t line_count, line_cap;
    double demerits;
    double worst_badness; /* of the lines chosen */
    vq_sglyph *scratch;   /* re-shaped glyphs at breaks */
    size_t scratch_count, scratch_cap;
    vq_piece *pieces;
    size_t piece_count, piece_cap;
    vq_glyph *out_glyphs;
    size_t out_count, out_cap;
    vq_glyph_run *runs;
    size_t run_count, run_cap;
    vq_line *lines;
    size_t out_line_cap;
    size_t *line_first_run;
    vq_dir resolved_dir;
};

/* Grows *array (of elem bytes, *cap elements) to hold need elements. The
 * test is inline: most calls (one per glyph, break or letter) find room. */
void vq_text_grow_to(void *array, size_t *cap, size_t need, size_t elem);
static inline void vq_text_grow(void *array, size_t *cap, size_t need, size_t elem)
{
    if (need > *cap)
        vq_text_grow_to(array, cap, need, elem);
}

/* The steps, in order. */
void vq_text_normalize(vq_paragraph *p, const vq_paragraph_style *ps);
vq_status vq_text_bidi(vq_paragraph *p, const vq_paragraph_style *ps, vq_error *err);
void vq_text_itemize(vq_paragraph *p);
void vq_text_shape(vq_paragraph *p);
/* p->hb, made on first use (a kept paragraph lets go of it). */
hb_buffer_t *vq_text_buffer(vq_paragraph *p);
/* Shapes text [start, end) of item alone (no context beyond the range) into
 * p->scratch; returns the index of its first glyph there. */
size_t vq_text_reshape(vq_paragraph *p, const vq_item *item, size_t start, size_t end,
                       size_t *count);
/* The hyphen drawn for a soft hyphen at byte shy that ends a line: its
 * glyph in the face of the text there and its advance in pt. */
bool vq_text_hyphen_for(const vq_paragraph *p, size_t shy, uint32_t *glyph, double *advance);
vq_status vq_text_find_breaks(vq_paragraph *p, vq_error *err);
void vq_text_break_lines(vq_paragraph *p, const vq_paragraph_style *ps);
void vq_text_build_lines(vq_paragraph *p, const vq_paragraph_style *ps);
/* Kashida (kashida.c): finds the candidates once per text; then, for one
 * justified line whose glyphs are p->out_glyphs[glyph_first..] in pieces
 * [first_piece, first_piece + count), lengthens words by delta's kashida
 * share and returns what is left for the spaces. */
void vq_text_find_kashidas(vq_paragraph *p);
double vq_text_kashida_line(vq_paragraph *p, const vq_line_span *ls, size_t first_piece,
                            size_t count, size_t glyph_first, double delta);
/* Hyphenation (hyphenate.c): adds to p->hyphs the hyphenation points of
 * the English words in the lines of p->line_spans looser than badness or
 * split inside a word, and in the lines either side (each word once per
 * text). */
void vq_text_find_hyphens(vq_paragraph *p, double badness, size_t min_word);
/* The points of all its English words, for the narrowest width
 * (vq_paragraph_min_width): added as measured (each word once per text;
 * a layout that then asks for the word breaks there, and hyphenates it no
 * more). */
void vq_text_find_all_hyphens(vq_paragraph *p, size_t min_word);
/* Whether a layout in ps hyphenates English words and, when so, the
 * shortest word it hyphenates (0: any the patterns allow). */
bool vq_text_hyphenates(const vq_paragraph_style *ps, size_t *min_word);
/* Liang's values for the lower-case word [word, word + n), n at most
 * VQ_HYPHEN_MAX_WORD: marks[k] odd where a hyphen may follow letter k
 * (before the minimum lengths are applied). False without the patterns. */
enum { VQ_HYPHEN_MAX_WORD = 64 };
bool vq_text_hyphenate_word(const char *word, size_t n, uint8_t *marks);
/* The k + 1 digits of the pattern whose letters (dots included) are
 * [key, key + k), or NULL when there is none: for the test that checks the
 * table against the patterns file. */
const uint8_t *vq_text_hyphen_pattern(const char *key, size_t k);
/* Widens (or narrows) the inter-word spaces of glyphs[0..n) by delta pt
 * in total; returns the part of delta it could not place. */
double vq_text_justify(const vq_paragraph *p, vq_glyph *glyphs, size_t n, double delta);

/* The code point at byte of the text; 0 past its end or at an invalid
 * sequence. Inline: the breaker and shaping ask it of nearly every
 * character. */
static inline uint32_t vq_text_cp_at(const vq_paragraph *p, size_t byte)
{
    uint32_t cp = 0;
    if (byte >= p->text.len || !vq_utf8_decode(p->text.data + byte, p->text.len - byte, &cp))
        return 0;
    return cp;
}

/* The start of the code point that ends before byte pos of t (0 at the
 * start). */
static inline size_t vq_text_prev_start(const char *t, size_t pos)
{
    size_t i = pos;
    while (i > 0 && ((unsigned char)t[i - 1] & 0xC0) == 0x80)
        i--;
    return i > 0 ? i - 1 : 0;
}

/* Fast tests on the text at a byte offset (a cluster): every dropped
 * character is U+00AD, U+061C or in U+2000–U+206F. */
static inline bool vq_text_dropped_at(const vq_paragraph *p, size_t byte)
{
    unsigned char c = (unsigned char)p->text.data[byte];
    return (c == 0xE2 || c == 0xD8 || c == 0xC2) && vq_char_is_dropped(vq_text_cp_at(p, byte));
}

/* vq_char_is_word_space on the bytes, without decoding. */
static inline bool vq_text_space_at(const vq_paragraph *p, size_t byte)
{
    const unsigned char *t = (const unsigned char *)p->text.data + byte;
    return t[0] == ' ' || (t[0] == 0xC2 && t[1] == 0xA0);
}

static inline double vq_text_width(const vq_paragraph *p, size_t a, size_t b)
{
    return p->x_prefix[b] - p->x_prefix[a];
}

#endif
