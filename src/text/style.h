/* The styling vocabulary shared by the paragraph engine and its callers. */
#ifndef VQ_TEXT_STYLE_H
#define VQ_TEXT_STYLE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum vq_dir { VQ_DIR_AUTO, VQ_DIR_LTR, VQ_DIR_RTL } vq_dir;

/* start/end follow the paragraph direction; left/right do not. */
typedef enum vq_align {
    VQ_ALIGN_START,
    VQ_ALIGN_END,
    VQ_ALIGN_CENTER,
    VQ_ALIGN_JUSTIFY,
    VQ_ALIGN_LEFT,
    VQ_ALIGN_RIGHT,
} vq_align;

typedef enum vq_valign { VQ_VALIGN_TOP, VQ_VALIGN_MIDDLE, VQ_VALIGN_BOTTOM } vq_valign;

/* A typographic switch: AUTO lets the engine decide (kashida: on in
 * justified paragraphs; hyphenation: English, lightly when ragged). */
typedef enum vq_switch { VQ_SWITCH_AUTO, VQ_SWITCH_ON, VQ_SWITCH_OFF } vq_switch;

/* How digits are drawn: as written, Persian (۰–۹ with ٫ ٬), or Latin. */
typedef enum vq_digits { VQ_DIGITS_AS_WRITTEN, VQ_DIGITS_PERSIAN, VQ_DIGITS_LATIN } vq_digits;

/* The style of one run of text. Strings are borrowed: they must outlive the
 * paragraph they are added to. */
typedef struct vq_text_style {
    const char *family; /* "Vazirmatn", "Noto Serif", …; fallback by script */
    double size;        /* pt */
    int weight;         /* 400 regular, 700 bold */
    bool italic;
    const char *lang;      /* BCP 47: "fa", "en" */
    uint32_t color;        /* 0xRRGGBB */
    double baseline_shift; /* pt; positive raises (superscript) */
    double size_scale;     /* 1 = as is; sup/sub use about 0.7 (0 means 1) */
    vq_digits digits;
    int tag; /* the caller's id for this span (a link, a footnote
                mark); carried to the glyph runs; 0 = none */
} vq_text_style;

#endif
