/* The document tree: what the markup describes, with every style already
 * resolved (inherited and cascaded), ready for layout. Nodes and strings
 * live in the document's arena and are freed with it.
 *
 * Built by src/markup (from the XML vocabulary in docs/markup.md), read by
 * src/layout. Knows nothing of either. */
#ifndef VQ_DOC_H
#define VQ_DOC_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/lang.h"
#include "text/style.h"

typedef struct vq_source_loc {
    const char *file; /* the template or markup file the text came from */
    int line, column; /* 1-based */
} vq_source_loc;

/* A length as written: absolute (already in pt) or a percentage of the
 * containing frame's width. */
typedef enum vq_length_unit { VQ_LEN_AUTO, VQ_LEN_PT, VQ_LEN_PERCENT } vq_length_unit;
typedef struct vq_length {
    vq_length_unit unit;
    double value;
} vq_length;

typedef enum vq_node_kind {
    /* blocks */
    VQ_NODE_DOCUMENT,
    VQ_NODE_SECTION,    /* columns, children flow through them */
    VQ_NODE_HEADING,    /* level 1–4; inline children */
    VQ_NODE_PARAGRAPH,  /* inline children */
    VQ_NODE_LIST,       /* ordered or not; VQ_NODE_LIST_ITEM children */
    VQ_NODE_LIST_ITEM,  /* block children (the parser wraps loose inline
                           content in an implicit PARAGRAPH) */
    VQ_NODE_TABLE,      /* VQ_NODE_TABLE_ROW children; optional VQ_NODE_CAPTION */
    VQ_NODE_TABLE_ROW,  /* VQ_NODE_TABLE_CELL children */
    VQ_NODE_TABLE_CELL, /* block children (as LIST_ITEM) */
    VQ_NODE_FIGURE,     /* image (or placeholder) and optional caption */
    VQ_NODE_CAPTION,    /* inline children */
    VQ_NODE_RULE,       /* horizontal rule */
    VQ_NODE_PAGE_BREAK,
    VQ_NODE_COLUMN_BREAK,
    VQ_NODE_BOX,    /* border, background, padding; block children */
    VQ_NODE_HEADER, /* running header / footer content (blocks) */
    VQ_NODE_FOOTER,
    /* inlines */
    VQ_NODE_TEXT, /* text: UTF-8, whitespace collapsed, already formatted
                     (numbers, dates) */
    VQ_NODE_SPAN, /* b, i, sup, sub, span: only changes the style; one with
                     its own dir holds LRI/RLI/FSI … PDI texts first and last */
    VQ_NODE_LINK, /* href: URL, mailto: or "#id" */
    VQ_NODE_LINE_BREAK,
    VQ_NODE_FOOTNOTE, /* inline children are the note; number is its mark */
    VQ_NODE_FIELD,    /* filled per page: page number, page count, title */
} vq_node_kind;

/* LAST_PAGE: the number the last page shows (first-number + pages - 1),
 * allowed in the body too: a citation line's page range. */
typedef enum vq_field_kind {
    VQ_FIELD_PAGE,
    VQ_FIELD_PAGES,
    VQ_FIELD_TITLE,
    VQ_FIELD_LAST_PAGE
} vq_field_kind;

/* The computed style of a node: everything inherited down the tree already
 * applied. Inherited: text (font, size, weight, italic, colour, lang, digits),
 * dir, align, line_height, indent. Not inherited (they belong to the block
 * itself): space_before/after, margin_start/end, keep_with_next, keep_together and the box
 * properties (padding, border, background). See docs/markup.md. */
typedef struct vq_style {
    vq_text_style text; /* font, size, weight, italic, lang, colour, digits, shift */
    vq_dir dir;         /* resolved: VQ_DIR_LTR or VQ_DIR_RTL for blocks */
    vq_align align;
    double line_height;    /* multiple of the font size (1.5 = 150 %) */
    double space_before;   /* pt */
    double space_after;    /* pt */
    double indent;         /* pt, first line, at the start side */
    double margin_start;   /* pt, whole block, at the start side (lists, quotes) */
    double margin_end;     /* pt */
    double padding;        /* pt, boxes and table cells */
    double border_width;   /* pt; 0 = none */
    uint32_t border_color; /* 0xRRGGBB */
    uint32_t background;   /* 0xRRGGBB */
    bool has_background;
    bool keep_with_next; /* headings: true */
    bool keep_together;  /* the block is never cut across frames (unless taller than one) */
    vq_switch kashida;   /* justified Persian lines lengthen words (AUTO = on) */
    vq_switch hyphenate; /* English words (AUTO = in justified paragraphs) */
} vq_style;

typedef struct vq_node vq_node;
struct vq_node {
    vq_node_kind kind;
    vq_source_loc loc;
    vq_style style;
    vq_node *parent, *first_child, *last_child, *next;
    const char *id; /* link target, or NULL */

    const char *text;         /* TEXT: its UTF-8 bytes */
    int level;                /* HEADING: 1–4 */
    int columns;              /* SECTION: column count (1 = full width) */
    bool ordered;             /* LIST */
    int start;                /* LIST: first number */
    const char *href;         /* LINK */
    const char *src;          /* FIGURE: image path (resolved), NULL = placeholder */
    const char *src_data;     /* FIGURE: " (data at case.json:14:22)" when the path came
                                 from the data (errors about the image add it), else NULL */
    const char *placeholder;  /* FIGURE: text of an honest placeholder panel */
    const char *alt;          /* FIGURE: alternate text for screen readers (tagged PDF) */
    vq_length width;          /* FIGURE: image width; TABLE: table width */
    double aspect;            /* FIGURE placeholder: height / width (0 = 0.6) */
    int header_rows;          /* TABLE: rows repeated on every page */
    int column_count;         /* TABLE */
    bool columns_auto;        /* TABLE: no dir on it or above it below <document>: its
                                 column order follows its cells' text */
    vq_length *column_widths; /* TABLE: column_count entries (AUTO = by content) */
    int colspan;              /* TABLE_CELL: >= 1 */
    bool header;              /* TABLE_CELL: th; TABLE_ROW: a header row */
    vq_valign valign;         /* TABLE_CELL */
    int number;               /* FOOTNOTE: its mark (1, 2, …); 0 when mark is given */
    const char *mark;         /* FOOTNOTE: a given mark ("*", "" = none), NULL = numbered */
    bool mark_in_text;        /* FOOTNOTE: the mark is also shown where the note is called */
    vq_field_kind field;      /* FIELD */
    bool first_page;          /* HEADER / FOOTER: only on the first page */
    vq_node *section_header;  /* SECTION: its own running header (pages whose body
                                 starts in it), NULL = the document's */
    vq_node *section_footer;  /* SECTION: likewise */
    bool implicit;            /* PARAGRAPH / SECTION made for loose content */
    int image_width;          /* FIGURE with src: pixels */
    int image_height;
    const char *image_type;          /* FIGURE with src: "png", "jpeg" or "svg" */
    const unsigned char *image_data; /* FIGURE with src: the file's bytes as probed (so
                                        layout never opens the path again) */
    size_t image_len;
    const char *qr; /* FIGURE: the text of a QR code to draw (<qr value>) */
};

typedef struct vq_page_setup {
    double width, height;                                        /* pt */
    double margin_top, margin_right, margin_bottom, margin_left; /* pt */
    double column_gap;                                           /* pt */
    double header_offset; /* pt from the page top to the header's top */
    double footer_offset; /* pt from the page bottom to the footer's bottom */
    int first_number;     /* the first page's number (<page-number/>); 0 or 1 = 1 */
} vq_page_setup;

typedef struct vq_document {
    vq_arena *arena;
    vq_node *root;    /* VQ_NODE_DOCUMENT; its children are SECTIONs (blocks
                         written directly in <document> get an implicit one) */
    const char *lang; /* "fa", "en" */
    vq_dir dir;
    const char *title, *author, *subject, *keywords; /* PDF metadata, may be NULL */
    vq_page_setup page;
    vq_node *header, *footer;             /* every page (or NULL) */
    vq_node *first_header, *first_footer; /* first page; NULL = use the above */
    int footnote_count;
} vq_document;

vq_document *vq_document_create(void);
void vq_document_destroy(vq_document *doc);

/* Appends child under parent (sets parent and sibling links). */
void vq_node_append(vq_node *parent, vq_node *child);
vq_node *vq_node_create(vq_document *doc, vq_node_kind kind);
const char *vq_node_kind_name(vq_node_kind kind);

/* The default body font family for a language: "Vazirmatn" for the
 * Arabic-script languages (base/lang.h), "Noto Serif" otherwise. */
const char *vq_lang_default_font(const char *lang);

/* An indented text dump of the tree (kinds, attributes, text, the style
 * fields that differ from the parent's), for tests and debugging. */
void vq_document_dump(const vq_document *doc, vq_buf *out);

#endif
