/* Layout internals shared by the files of src/layout.
 *
 * Blocks become a vertical list of items (a line of a paragraph, a space, a
 * rule, an image, a table row…), each with its height and whether a frame
 * may end just before it. flow.c cuts that list into frames (columns of
 * pages) and draws each frame as soon as it is placed (or, when a header
 * or footer shows the page count, keeps the frames and draws them once the
 * last page is placed); draw.c draws items. Items are made lazily, one
 * top-level block at a time, and released once drawn, so a long document
 * without a page count never holds more than about a page of shaped text. Shared pieces (a
 * paragraph, a table row, an image) are reference counted because several items, or a repeated
 * header, point at them. */
#ifndef VQ_LAYOUT_LAY_H
#define VQ_LAYOUT_LAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>

#include "doc/doc.h"
#include "fonts/fonts.h"
#include "render/render.h"
#include "text/paragraph.h"

typedef struct lay_ctx lay_ctx;
typedef struct lay_item lay_item;
typedef struct lay_counted lay_counted;

/* An element of the tagged PDF's structure tree (structure.c). Leaves hold
 * content (P, H1, Lbl, Figure, Caption, Note); the others (Sect, L, LI,
 * LBody, Table, TR, TH, TD, Div) hold elements: Cairo 1.16 marks content
 * only in an element with no child elements. Items point at the leaf their
 * content belongs to, or at the container they sit in. */
typedef struct lay_snode lay_snode;
struct lay_snode {
    const char *role;  /* Cairo's tag name */
    lay_snode *parent; /* NULL: the document */
    const char *lang;  /* its language, when it differs from its parent's */
    const char *lang_eff;
    const char *alt;   /* Figure: alternate text */
    const char *scope; /* TH: "Column" or "Row" */
    bool leaf;
    bool floating;   /* Note: placed under whatever container is open */
    lay_snode *next; /* every node of the pass, for freeing */
};

/* Reference counting: the last lay_unref calls destroy. */
typedef struct lay_ref {
    int refs;
    void (*destroy)(lay_ctx *ctx, struct lay_ref *r);
} lay_ref;
void *lay_retain(void *obj); /* obj starts with a lay_ref; NULL is fine */
void lay_unref(lay_ctx *ctx, void *obj);

/* A growable list of items. */
typedef struct lay_vec {
    lay_item *v;
    size_t n, cap;
} lay_vec;
lay_item *lay_vec_push(lay_vec *vec);
void lay_vec_release(lay_ctx *ctx, lay_vec *vec); /* releases the items too */
double lay_vec_height(const lay_vec *vec);

typedef struct lay_para {
    lay_ref ref;
    vq_paragraph *p;
    int serial;         /* for the layout dump */
    const char *role;   /* "heading", "caption", "note" or NULL: for the layout dump */
    double shift;       /* its lines' offset in the block (a balanced heading) */
    const vq_node *src; /* the element it comes from (messages), or NULL */
} lay_para;
lay_para *lay_para_new(lay_ctx *ctx); /* from the pool, refs = 1 */

/* Paragraphs let go of with their text prepared (normalized, shaped, its
 * breaks found), kept for a later paragraph given the same input: a table
 * cell is measured before it is set, and a counting pass (page count in
 * the body text) sets every paragraph the drawing pass sets again. Lives
 * across the passes of one vq_layout_render (the same document and
 * registry). */
typedef struct lay_kept {
    vq_paragraph **paras;
    uint64_t *hashes;
    size_t first, n, cap; /* taken ones are NULL; none before first */
} lay_kept;
void lay_kept_free(lay_kept *kept);
/* Before lp's paragraph is laid out in style ps: a kept paragraph with the
 * same input, prepared as ps prepares, takes its place, and lp's goes to
 * the pool. */
void lay_para_recall(lay_ctx *ctx, lay_para *lp, const vq_paragraph_style *ps);

/* A box's decoration, drawn behind the items that carry it. */
typedef struct lay_box {
    lay_ref ref;
    struct lay_box *parent; /* retained */
    double left, right;     /* outer edges, from the frame's left edge */
    double border, padding;
    uint32_t border_color, background;
    bool has_background;
    int serial; /* for the layout dump */
    bool keep;  /* keep-together (for the layout dump) */
} lay_box;

/* A footnote's text, set at the column width. */
typedef struct lay_note {
    lay_ref ref;
    lay_vec lines;
    double height;
} lay_note;

typedef struct lay_cell {
    double x, width;    /* outer, from the row's left edge */
    double min_width;   /* its columns' widest pieces with insets (the layout dump): words,
                           or their parts at hyphenation points where they hyphenate */
    double whole_width; /* its columns' widest whole words with insets (the dump) */
    double padding, border;
    uint32_t border_color, background;
    bool has_background;
    vq_valign valign;
    lay_vec items;    /* content, x from the cell's inner left edge */
    lay_snode *snode; /* its TH or TD */
} lay_cell;

typedef struct lay_table lay_table;
typedef struct lay_row {
    lay_ref ref;
    lay_cell *cells;
    int cell_count;
    double height;
    bool header;
    lay_table *table; /* weak: the table outlives its rows' items */
    int serial;       /* for the layout dump */
} lay_row;

struct lay_table {
    lay_ref ref;
    lay_vec header_rows; /* LI_ROW items repeated at the top of each frame */
    double header_height;
    int serial; /* for the layout dump */
};

typedef struct lay_image {
    lay_ref ref;
    cairo_surface_t *surface;  /* NULL: a placeholder panel, or vector */
    struct lay_vector *vector; /* a QR code or an SVG (vector.h) */
    double width, height;      /* drawn size, pt */
    lay_vec text;              /* placeholder: its lines, centred */
    int serial;                /* for the layout dump */
} lay_image;

typedef enum lay_item_kind {
    LI_LINE,
    LI_SPACE, /* glue between blocks: dropped at the top of a frame */
    LI_PAD,   /* box border and padding: never dropped */
    LI_RULE,
    LI_IMAGE,
    LI_ROW,
    LI_COLUMN_BREAK,
    LI_PAGE_BREAK,
} lay_item_kind;

struct lay_item {
    lay_item_kind kind;
    double height;
    double x, width;      /* from the frame's (or cell's) left edge */
    double ascent;        /* LI_LINE: baseline below the item's top */
    bool no_break_before; /* a frame may not end just before this item */
    int float_id;         /* a table or figure of the section that may float (flow.c) */
    bool float_anchor;    /* a page-wide float waits until this item is placed (flow.c) */
    lay_para *para;       /* LI_LINE (retained) */
    size_t line;          /* LI_LINE: line index */
    lay_para *marker;     /* list marker drawn on this line (retained) */
    double marker_x;      /* its left edge, from the frame's left edge */
    lay_row *row;         /* LI_ROW (retained) */
    lay_table *table;     /* LI_ROW (retained) */
    lay_image *image;     /* LI_IMAGE (retained) */
    lay_box *box;         /* innermost box around the item (retained) */
    lay_note **notes;     /* footnotes whose marks are on this item (retained) */
    size_t note_count;
    double rule_width;        /* LI_RULE: thickness */
    uint32_t color;           /* LI_RULE */
    lay_snode *snode;         /* structure: the leaf or container it belongs to */
    lay_snode *marker_snode;  /* the list marker's Lbl */
    const vq_node *outline;   /* heading whose first line this is */
    const char *dest, *dest2; /* ids whose target this item is */
};
void lay_item_release(lay_ctx *ctx, lay_item *it);
void lay_item_copy(lay_item *dst, const lay_item *src); /* retains */
double lay_item_notes_height(const lay_item *it);

/* What a glyph run's tag means: tags index ctx->tags. */
typedef struct lay_tag {
    const char *href;        /* link */
    const vq_node *footnote; /* footnote mark */
    lay_note *note;          /* its text, once set */
    const char *dest;        /* an inline element's id: a target where it starts */
} lay_tag;

/* Builds items for blocks at a given width (block.c). */
typedef struct lay_builder {
    lay_ctx *ctx;
    lay_vec *out;
    double left, right; /* insets from the frame's edges */
    double frame_width;
    double pending_space;                     /* space after the previous block */
    bool keep_next;                           /* the next item may not start a frame */
    bool at_start;                            /* nothing emitted yet */
    const char *pending_dest, *pending_dest2; /* containers' ids, for the next item */
    lay_box *box;                             /* current box (borrowed) */
    lay_para *marker;                         /* list marker for the next line (owned) */
    double marker_x;
    lay_snode *marker_snode; /* the marker's Lbl */
    lay_snode *snode;        /* structure container for what is built */
    lay_snode *leaf;         /* while set: the element the emitted items belong to */
} lay_builder;

void lay_builder_init(lay_builder *b, lay_ctx *ctx, lay_vec *out, double width);
void lay_builder_finish(lay_builder *b);
vq_status lay_build_block(lay_builder *b, const vq_node *n);
vq_status lay_build_blocks(lay_builder *b, const vq_node *first); /* siblings from first */
/* A paragraph of n's inline children (or, with n a text-holding block such
 * as a caption, of n itself), laid out at width and emitted as lines. */
vq_status lay_build_paragraph(lay_builder *b, const vq_node *n, const vq_node *first,
                              const vq_node *stop, const vq_style *st);
bool lay_is_inline(vq_node_kind k);
/* Whether the inline siblings first … stop hold anything but blank text. */
bool lay_has_content(const vq_node *first, const vq_node *stop);
/* The space before a block: the larger of it and the pending space after
 * the block before is emitted. lay_collapse_space is for a container
 * (list, item, section): its space joins the pending one, to be emitted
 * with its first child's, so that nested starts give one space. */
void lay_emit_space(lay_builder *b, double before);
void lay_collapse_space(lay_builder *b, double before);
lay_item *lay_emit(lay_builder *b, lay_item_kind kind, double height);
void lay_block_left_right(const lay_builder *b, const vq_style *st, double *left, double *width);

/* Inline content to a paragraph (inline.c). */
/* Adds the inline siblings first … up to stop (exclusive, NULL = all). */
void lay_add_inlines(lay_ctx *ctx, vq_paragraph *p, const vq_node *first, const vq_node *stop,
                     int tag, double scale);
vq_status lay_layout_para(lay_ctx *ctx, lay_para *lp, const vq_node *n, const vq_style *st,
                          double width, double first_indent);
/* Whether n's paragraph in style st hyphenates (headings only when told). */
vq_switch lay_hyphenate(const vq_node *n, const vq_style *st);
/* Emits the lines of a laid-out paragraph (block.c). */
void lay_emit_lines(lay_builder *b, lay_para *lp, const vq_node *n, double x);
void lay_add_plain(lay_ctx *ctx, vq_paragraph *p, const char *text, const vq_text_style *ts);
/* Digits of n in the style's digits (Persian for fa unless told). */
void lay_format_number(char *out, size_t size, long n, const vq_text_style *ts);
/* A footnote's mark: its number, or its given mark with ASCII digits in the
 * style's digits. */
void lay_format_mark(char *out, size_t size, const vq_node *fn, const vq_text_style *ts);
/* The number a page shows: the document's first page number + page - 1. */
long lay_page_label(const lay_ctx *ctx, int page);
bool lay_persian_digits(const vq_text_style *ts);
void lay_plain_text(const vq_node *n, vq_buf *out);

vq_status lay_build_list(lay_builder *b, const vq_node *n);   /* list.c */
vq_status lay_build_table(lay_builder *b, const vq_node *n);  /* table.c */
vq_status lay_build_figure(lay_builder *b, const vq_node *n); /* figure.c */
void lay_image_destroy(lay_ctx *ctx, lay_ref *r);
/* footnote.c */
void lay_attach_notes(lay_ctx *ctx, lay_item *it, const vq_paragraph *p, const vq_line *line);
void lay_draw_notes(lay_ctx *ctx, lay_note *const *notes, size_t count, double x, double width,
                    double bottom);
double lay_notes_block_height(double notes_h);

/* draw.c: items stacked from y at frame x. */
void lay_draw_items(lay_ctx *ctx, const lay_item *items, size_t n, double x, double y);
void lay_draw_row(lay_ctx *ctx, const lay_row *row, double x, double y);
/* links.c */
void lay_draw_line_links(lay_ctx *ctx, const vq_paragraph *p, const vq_line *line, double x,
                         double baseline);
void lay_mark_dest(lay_ctx *ctx, const char *id, double x, double y);
void lay_add_outline(lay_ctx *ctx, const vq_node *heading, double x, double y);
/* pagefurniture.c */
/* Draws the page's header and footer: section's own when it has one
 * (section may be NULL), else the document's. */
vq_status lay_draw_furniture(lay_ctx *ctx, const vq_node *section);
typedef enum lay_page_count_use {
    LAY_COUNT_UNUSED,
    LAY_COUNT_IN_FURNITURE, /* headers and footers only: known before they are drawn */
    LAY_COUNT_IN_BODY,      /* the body's text depends on it: a counting pass first */
} lay_page_count_use;
lay_page_count_use lay_page_count_used(const vq_document *doc);

struct lay_ctx {
    const vq_document *doc;
    vq_font_registry *fonts;
    vq_canvas *canvas; /* NULL: counting pass */
    cairo_t *cr;       /* NULL: counting pass */
    bool pdf;
    vq_error *err;
    vq_status status;

    vq_paragraph **pool; /* spare paragraphs, reused */
    size_t pool_n, pool_cap;
    lay_kept *kept; /* prepared paragraphs let go of, or NULL */

    lay_tag *tags; /* tag 0 unused */
    size_t tag_n, tag_cap;

    int page;         /* 1-based, current */
    int page_count;   /* known once the pages are placed (or counted); 0 before */
    double col_width; /* width of the current column (footnotes are set to it) */
    /* The paragraph whose inlines were added last, and its first tag: notes
     * with no mark in the text go with that paragraph's first line. */
    const vq_paragraph *hidden_para;
    size_t para_tag_start;
    bool para_text; /* the paragraph being filled has text */

    bool furniture;     /* drawing a header or footer: no outline, no ids */
    bool tagged;        /* a tagged PDF: structure elements are written */
    bool untagged_draw; /* drawing what is no element's content (repeated header rows) */
    lay_snode *snodes;  /* every structure node of the pass */
    lay_snode *sroot;   /* the Document element */
    lay_snode *open[32];
    int open_n;
    char **links; /* link tags waiting for the open leaf to close */
    size_t link_n, link_cap;
    bool furniture_pending;
    const vq_node *furniture_section;
    int outline_ids[8]; /* last outline item at each heading level */
    const char **dests; /* ids that exist in the document */
    size_t dest_n;
    const char **marked; /* ids whose destination is drawn (each once) */
    size_t marked_n, marked_cap;

    /* Page counts in the body's text set before the count is known. */
    bool count_later;                   /* the paragraphs showing one are set again */
    unsigned long count_fields;         /* count fields set with a stand-in */
    unsigned long count_fields_counted; /* of them, in paragraphs of counted */
    lay_counted *counted;
    size_t counted_n, counted_cap;
    bool quiet; /* warnings were given by an earlier setting */

    FILE *dump;      /* the layout dump, or NULL */
    int dump_parent; /* serial of the row or image whose content is drawn */
    int serial;      /* last serial given to a paragraph, box, row, table or image */
};

int lay_new_tag(lay_ctx *ctx, const char *href, const vq_node *footnote);
/* Gives the container n's id (if any) to the next item b emits. */
void lay_pending_dest(lay_builder *b, const vq_node *n);
/* Puts id in the item's first free destination slot. */
void lay_item_add_dest(lay_item *it, const char *id);
bool lay_dest_exists(const lay_ctx *ctx, const char *id);
/* Records the first error; later ones are dropped. */
vq_status lay_fail(lay_ctx *ctx, const vq_node *n, vq_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* dump.c: the layout dump (VARAQ_LAYOUT_DUMP), items as drawn at x, y. */
void lay_dump_open(lay_ctx *ctx);
void lay_dump_close(lay_ctx *ctx);
void lay_dump_item(lay_ctx *ctx, const lay_item *it, double x, double y);
void lay_dump_box(lay_ctx *ctx, const lay_box *bx, double x, double y, double w, double h);
/* A column of a multi-column section as placed (area "frame"): its box,
 * its index and whether the section's end was balanced there. */
void lay_dump_frame(lay_ctx *ctx, double x, double y, double w, double h, int col, int cols,
                    bool balanced);

/* structure.c: the tagged PDF's structure tree. */
/* A new element under parent (NULL: the document) for node n (its language;
 * NULL for none); NULL when the pass is not tagged. */
lay_snode *lay_snode_new(lay_ctx *ctx, const char *role, lay_snode *parent, const vq_node *n,
                         bool leaf);
const char *lay_heading_role(const vq_node *n);
void lay_struct_begin(lay_ctx *ctx); /* the Document element */
/* Before an item's content is drawn: closes the elements it is not in and
 * opens those it is (a leaf closed and met again starts a new element). */
void lay_struct_enter(lay_ctx *ctx, lay_snode *sn);
/* A link's tag waits until no leaf is open (Cairo marks content only in
 * elements without children). */
void lay_struct_add_link(lay_ctx *ctx, const char *attributes);
/* Header and footer wait until no leaf is open, so that a paragraph that
 * goes on from the last page stays one element. */
bool lay_struct_defer_furniture(lay_ctx *ctx, const vq_node *section);
void lay_struct_page_end(lay_ctx *ctx); /* before the page is finished */
void lay_struct_finish(lay_ctx *ctx);   /* closes everything, frees the nodes */

/* flow.c */
/* Pages placed and not drawn yet: what drawing each takes, in order. */
typedef struct lay_pages {
    struct lay_draw_op *v;
    size_t n, cap;
} lay_pages;
/* Lays out the document and draws each page as soon as it is placed, or,
 * given later, keeps there what drawing the pages takes (ctx->page is then
 * their count) and draws nothing. */
vq_status lay_flow_document(lay_ctx *ctx, lay_pages *later);
/* Draws the pages kept (ctx->page_count set), from the first. */
vq_status lay_pages_draw(lay_ctx *ctx, const lay_pages *later);
void lay_pages_free(lay_ctx *ctx, lay_pages *later);

/* A paragraph of the body set before the page count was known (the
 * current page's number stood in for it; block.c). */
struct lay_counted {
    lay_para *lp; /* retained */
    const vq_node *n, *first, *stop;
    const vq_style *st;
    double width;
    int page;
};
/* Sets the counted paragraphs again with ctx->page_count. When each gives
 * lines of the heights and widths (and footnotes) it had, the pages break
 * where they did: the paragraphs take their new lines and this returns
 * true. False when they would not, or a count stands where it cannot be
 * set again (a table cell, a note, a list item): lay the document out
 * again. */
bool lay_counted_set_again(lay_ctx *ctx);
void lay_counted_free(lay_ctx *ctx);

#endif
