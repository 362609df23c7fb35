/* The paragraph engine: styled runs of text in, lines of positioned glyph
 * runs out. No Cairo here.
 *
 *   normalize → bidi → itemize → shape → break → justify → reorder
 *
 * A paragraph is shaped once; laying it out again at another width (a
 * narrower column, a table cell being measured) re-runs only line breaking
 * and what follows. */
#ifndef VQ_TEXT_PARAGRAPH_H
#define VQ_TEXT_PARAGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "fonts/fonts.h"
#include "text/style.h"
#include "varaq/error.h"

typedef struct vq_paragraph vq_paragraph;

typedef struct vq_paragraph_style {
    vq_dir dir; /* base direction; AUTO = most strong letters (base/chars.h) */
    vq_align align;
    double width;           /* the measure, pt (> 0) */
    double first_indent;    /* pt, at the start side of the first line */
    double line_height;     /* multiple of the largest font size on the line (1.0 = tight) */
    bool normalize_persian; /* ي→ی, ك→ک */
    bool isolate_units;     /* keep "50 mg/day" as written in RTL; default on for fa */
    bool greedy;            /* first fit instead of optimal fit (tests, fallback) */
    vq_switch kashida;      /* AUTO = ON: justified Arabic-script lines lengthen words */
    vq_switch hyphenate;    /* AUTO: English words in justified paragraphs, lightly in ragged
                               ones (long words, very short lines), never centred; ON: all */
} vq_paragraph_style;

/* Sensible defaults: auto direction, start alignment, isolate_units on. */
void vq_paragraph_style_init(vq_paragraph_style *ps, double width);

/* Glyphs the engine adds that stand for no character of the text. */
enum {
    /* A tatweel drawn for kashida justification: its own cluster, whose
     * text is U+200D ZWJ (copies out as part of the word, invisibly). */
    VQ_GLYPH_KASHIDA = 1 << 0,
    /* The hyphen of a hyphenation point that ends the line: text "-". */
    VQ_GLYPH_HYPHEN = 1 << 1,
};

/* The tatweel glyph kashida draws in face (its form between two joined
 * letters), 0 when it has none. Amiri's shaping draws the same glyph inside
 * some clusters (lam before kaf): the renderer gives it the same text. */
uint32_t vq_face_tatweel_glyph(const vq_face *face);

typedef struct vq_glyph {
    uint32_t id;
    float x_advance;          /* pt, justification included */
    float x_offset, y_offset; /* pt; y up */
    uint32_t cluster;         /* byte offset into vq_paragraph_text() */
    uint32_t flags;           /* VQ_GLYPH_* */
} vq_glyph;

/* Glyphs of one bidi level, one face, one style. */
typedef struct vq_glyph_run {
    const vq_face *face;
    double size; /* pt, after size_scale */
    uint32_t color;
    double baseline_shift;  /* pt, positive up */
    int tag;                /* from vq_text_style.tag */
    uint8_t level;          /* bidi embedding level; odd = right to left */
    double x;               /* pt from the line's left edge to the run's left edge */
    double width;           /* pt */
    const vq_glyph *glyphs; /* left to right (visual order) */
    size_t glyph_count;
    size_t text_start, text_end; /* byte range in vq_paragraph_text() */
} vq_glyph_run;

typedef struct vq_line {
    double width;             /* the measure the line was set to */
    double natural_width;     /* width of its content (justified lines: = width) */
    double ascent, descent;   /* pt above / below the baseline, both positive */
    double height;            /* baseline-to-baseline advance to the next line */
    const vq_glyph_run *runs; /* in LOGICAL order; run.x gives its place */
    size_t run_count;
    size_t text_start, text_end;
    bool last; /* the paragraph's last line */
} vq_line;

vq_paragraph *vq_paragraph_create(vq_font_registry *fonts);
void vq_paragraph_destroy(vq_paragraph *p);
/* Empties the paragraph for reuse (keeps buffers and iterators). */
void vq_paragraph_reset(vq_paragraph *p);

/* What vq_paragraph_add_text was given, for keeping prepared paragraphs:
 * two paragraphs given the same text in the same styles lay out alike, so
 * one already prepared (shaped, its breaks found) can stand for the other.
 * The hash is equal for equal input; same_input compares in full.
 * is_prepared: a layout or a content width has prepared its text;
 * prepared_for: prepared as a layout in style ps would prepare it. */
uint64_t vq_paragraph_input_hash(const vq_paragraph *p);
bool vq_paragraph_same_input(const vq_paragraph *a, const vq_paragraph *b);
bool vq_paragraph_is_prepared(const vq_paragraph *p);
bool vq_paragraph_prepared_for(const vq_paragraph *p, const vq_paragraph_style *ps);
/* Frees what its layouts made (lines, runs) and forgets what they found
 * for their widths (hyphenation points), keeping the prepared text: the
 * next layout gives what it gives a new paragraph with the same input. */
void vq_paragraph_forget_layouts(vq_paragraph *p);
/* Keeps what drawing its lines needs (the last layout's lines, runs and
 * glyphs, the text they index, its input) and frees the rest: the
 * prepared text, the ICU and HarfBuzz objects, what laying out uses. For
 * lines held until they are drawn; a later layout prepares the text again. */
void vq_paragraph_trim(vq_paragraph *p);

/* Appends text (UTF-8, len bytes) in style. Invalid UTF-8 makes the next
 * vq_paragraph_layout fail with the byte offset. */
void vq_paragraph_add_text(vq_paragraph *p, const char *utf8, size_t len,
                           const vq_text_style *style);
/* A forced line break inside the paragraph. */
void vq_paragraph_add_line_break(vq_paragraph *p);

/* Runs the pipeline. Returns VQ_OK or an error (bad UTF-8, width <= 0). */
vq_status vq_paragraph_layout(vq_paragraph *p, const vq_paragraph_style *ps, vq_error *err);

size_t vq_paragraph_line_count(const vq_paragraph *p);
/* The paragraph's own: valid until its next vq_paragraph_layout, reset or
 * destroy (one thread at a time uses a paragraph). */
const vq_line *vq_paragraph_line(const vq_paragraph *p, size_t i);
/* The paragraph's text after normalization, which clusters index. */
const char *vq_paragraph_text(const vq_paragraph *p, size_t *len);
/* The resolved base direction (after AUTO). */
vq_dir vq_paragraph_direction(const vq_paragraph *p);
/* Width of the widest unbreakable piece (min) and of the whole text on one
 * line (max), pt, into *width, for content-sized table columns. The pieces
 * of min end at hyphenation points too (the hyphen included) when a layout
 * in ps would hyphenate: the points of all the English words are found
 * (once per text), though a layout breaks only at those of the words it
 * hyphenates itself, as it would without. Shapes the
 * text first when no layout has. Returns VQ_OK, or the error
 * vq_paragraph_layout would give for the text (invalid UTF-8) with *width
 * 0. */
vq_status vq_paragraph_min_width(vq_paragraph *p, const vq_paragraph_style *ps, double *width,
                                 vq_error *err);
vq_status vq_paragraph_max_width(vq_paragraph *p, const vq_paragraph_style *ps, double *width,
                                 vq_error *err);

/* Golden-test dumps: what each stage produced, as text. */
enum {
    VQ_DUMP_RUNS = 1 << 0,   /* bidi levels, scripts, fonts per run */
    VQ_DUMP_GLYPHS = 1 << 1, /* glyph ids, advances, clusters (also per line run) */
    VQ_DUMP_BREAKS = 1 << 2, /* the text with its break opportunities, chosen lines */
    VQ_DUMP_LINES = 1 << 3,  /* visual runs per line */
};
void vq_paragraph_dump(const vq_paragraph *p, unsigned what, vq_buf *out);

/* Total demerits of the breaks chosen by the last layout (optimal fit or,
 * with greedy, first fit), by the same measure. */
double vq_paragraph_demerits(const vq_paragraph *p);

/* How many times the text has been prepared (normalized, itemized, shaped)
 * since the paragraph was created: laying out at other widths or asking for
 * content widths must not prepare the same text again. */
unsigned vq_paragraph_prepare_count(const vq_paragraph *p);

/* How many times this paragraph has looked for its words' kashida places,
 * and how many words it has hyphenated, since it was created: both once
 * per text, however many lines are tried and at however many widths it is
 * laid out. */
unsigned vq_paragraph_kashida_searches(const vq_paragraph *p);
unsigned vq_paragraph_hyphenated_words(const vq_paragraph *p);

/* How many pieces of text this paragraph has given HarfBuzz to shape since
 * it was created. Each face remembers what it shaped (until its registry is
 * destroyed): text shaped before in the same context, by any paragraph of
 * the same registry, is not shaped again. */
unsigned vq_paragraph_shape_count(const vq_paragraph *p);

#endif
