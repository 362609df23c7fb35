/* Internals of the markup parser, shared by the files of src/markup: the
 * element table, the parser state and the functions the files call across.
 * Not a public header. */
#ifndef VQ_MARKUP_PARSER_H
#define VQ_MARKUP_PARSER_H

#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/utf8.h"
#include "doc/format.h"
#include "markup/image.h"
#include "markup/markup.h"
#include "markup/values.h"

enum { MAX_DEPTH = 200, MAX_COLUMNS = 100 };
/* The errors one parse reports before it stops (docs/markup.md). */
enum { MAX_ERRORS = 20 };
/* Limits that keep layout's work bounded (docs/limits.md): a paragraph's
 * text (a real one is under 5 KB), combining marks in a row (Unicode's
 * stream-safe format allows 30; shaping a run of 200 000 took 30 s) and
 * the cells of one table (each costs about 29 KB in layout). */
enum { MAX_PARAGRAPH_BYTES = 32768, MAX_MARKS_IN_A_ROW = 32, MAX_TABLE_CELLS = 10000 };

typedef enum el_id {
    EL_DOCUMENT,
    EL_PAGE,
    EL_STYLE,
    EL_HEADER,
    EL_FOOTER,
    EL_SECTION,
    EL_H1,
    EL_H2,
    EL_H3,
    EL_H4,
    EL_P,
    EL_UL,
    EL_OL,
    EL_LI,
    EL_TABLE,
    EL_CAPTION,
    EL_TR,
    EL_TH,
    EL_TD,
    EL_FIGURE,
    EL_HR,
    EL_PAGE_BREAK,
    EL_COLUMN_BREAK,
    EL_BOX,
    EL_B,
    EL_STRONG,
    EL_I,
    EL_EM,
    EL_SUP,
    EL_SUB,
    EL_SPAN,
    EL_BR,
    EL_A,
    EL_FOOTNOTE,
    EL_NUMBER,
    EL_DATE,
    EL_PAGE_NUMBER,
    EL_PAGE_COUNT,
    EL_DOC_TITLE,
    EL_QR,
    EL_LAST_PAGE,
    EL_COUNT
} el_id;

/* What an element may contain. */
typedef enum content { C_BLOCKS, C_INLINE, C_LIST, C_TABLE, C_ROW, C_FIGURE, C_EMPTY } content;
/* Where an element may stand. */
typedef enum place { P_ROOT, P_TOP, P_BLOCK, P_INLINE, P_LI, P_TR, P_CELL, P_CAPTION } place;

/* An element's own look: what it changes of the inherited style before
 * <style> rules, classes and attributes apply, and the defaults it takes
 * afterwards where none of them set the field. */
typedef struct el_look {
    double size;      /* the font size times this (0: unchanged) */
    int weight;       /* 0: inherited */
    bool italic;      /* italic (false: inherited) */
    bool on_baseline; /* back on the baseline at full size (a footnote's text) */
    double space_before, space_after, margin_start; /* × the final font size */
    double line_height;                             /* 0: inherited */
    bool keep_with_next;
    double padding, border; /* pt */
} el_look;

struct parser;
struct opening;
/* Builds an element whose start tag passed the checks and whose frame is
 * pushed: its node (*node, NULL for an element that makes none) is in the
 * tree when it returns true; false after an error. */
typedef bool (*el_open_fn)(struct parser *p, const struct opening *o, vq_node **node);

typedef struct el_info {
    const char *name;
    place place;
    content content;
    const char *attrs; /* its own attributes, space-separated */
    bool styled;       /* takes the style attributes (and id, class) */
    el_open_fn open;
    vq_node_kind kind;   /* of the node open makes (where it makes one by kind; unused, and
                          * VQ_NODE_DOCUMENT, for page and style, which make none) */
    const el_look *look; /* NULL: none */
} el_info;

extern const el_info mk_els[EL_COUNT];

typedef struct style_rule {
    const char *name;     /* class name, or NULL */
    const char *elements; /* " p h1 " (padded with spaces), or NULL */
    const char **attrs;   /* name, value pairs (arena) */
    int attr_count;
} style_rule;

/* Whitespace state of one run of inline content (a paragraph, a heading,
 * a footnote's note). */
typedef struct inline_ctx {
    vq_node *last_text; /* where a trailing space would be */
    char *last_bytes;   /* last_text's text: this parser's own copy, so it may trim it */
    bool space;         /* the last character emitted is a collapsible space */
    bool start;         /* nothing emitted yet (or just after <br/>) */
    size_t bytes;       /* text placed in this run so far */
    int marks;          /* combining marks at its end */
} inline_ctx;

typedef struct frame {
    el_id el;
    vq_node *node; /* NULL for <page>, <style>, <number>, <date> */
    size_t offset; /* of the start tag */
    vq_style style;
    bool font_explicit;
    bool dir_explicit; /* this element or one between it and <document> set dir */
    unsigned own_set;  /* SET_* of this element's own rules and attributes */
    bool in_running;   /* inside <header>/<footer> */
    bool in_footnote;
    bool in_link;
    inline_ctx ic;         /* this frame's own inline run (C_INLINE owners, anon paragraph) */
    int ic_owner;          /* index of the frame whose ic the inline content uses */
    vq_node *anon;         /* open anonymous paragraph (C_BLOCKS) */
    vq_node *anon_section; /* <document>: open implicit section */
    int captions;
    bool isolate;      /* inline with its own dir: content between isolates */
    vq_length *widths; /* <table widths>: parsed */
    int width_count;
    int cells; /* <table>: cells so far */
} frame;

typedef struct id_entry {
    const char *id;
} id_entry;

typedef struct parser {
    XML_Parser xml;
    const char *text;
    size_t len;
    const char *file;
    const vq_source_map *map;
    const char *base_dir;
    const vq_roots *roots; /* where figures may come from */
    double max_pixels;
    vq_error *err;
    const vq_markup_options *opts;
    bool failed;      /* an error was found: no document */
    bool stopped;     /* the parse stopped: not well-formed XML, a limit, too many errors */
    bool parsing;     /* inside XML_Parse */
    int skip;         /* > 0: inside an element left out after an error, this deep */
    vq_error *errors; /* every error so far, in order */
    int error_count;
    bool too_many; /* there were more than MAX_ERRORS */
    vq_document *doc;

    frame *frames;
    int depth, cap;
    vq_buf pending; /* character data not yet placed */
    size_t pending_offset;

    style_rule *rules;
    int rule_count, rule_cap;
    const char **ids; /* open-addressing set */
    size_t id_cap, id_count;
    vq_node **links;
    size_t link_count, link_cap;
    bool seen_page, seen_header[2], seen_footer[2];
    bool in_entities; /* reading the built-in entity declarations */

    size_t tag_off; /* the start tag being handled */
    size_t cur_off; /* line/column cursor: offsets arrive in order */
    int cur_line, cur_col;
    const char *last_map_file, *last_arena_file;
} parser;

/* An element being opened, as its opener (mk_els[el].open) sees it. */
typedef struct opening {
    el_id el;
    size_t off;        /* of its start tag */
    const char **atts; /* expat's name, value pairs */
    const char *id;    /* its id= (an arena copy), or NULL */
    frame *f;          /* its frame, just pushed */
    frame *parent;     /* the enclosing frame (NULL for <document>) */
    int pi;            /* the index of parent */
    bool dir_set;      /* it sets dir itself (or through its rules) */
} opening;

/* Which fields an element's own rules set, so defaults fill only the rest. */
enum {
    SET_SPACE_BEFORE = 1 << 0,
    SET_SPACE_AFTER = 1 << 1,
    SET_LINE_HEIGHT = 1 << 2,
    SET_MARGIN_START = 1 << 3,
    SET_FONT = 1 << 4,
    SET_LANG = 1 << 5,
    SET_DIR = 1 << 6,
    SET_PADDING = 1 << 7,
    SET_BORDER = 1 << 8,
    SET_BORDER_COLOR = 1 << 9,
    SET_KEEP = 1 << 10,
    SET_DIGITS = 1 << 11,
};

/* A style being computed: the style plus what is pending until the final
 * font size is known. */
typedef struct style_work {
    vq_style s;
    unsigned set;
    double parent_size;
    bool lh_is_length;
    double lh_length;
} style_work;

/* locate.c: errors at their template line and column. An error is kept
 * and the parse goes on (the caller leaves out what it could not build);
 * mk_stop ends it after an error nothing can follow (a limit, a DTD). */
void mk_fail_at(parser *p, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mk_fail_node(parser *p, const vq_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t mk_here(parser *p);
void mk_stop(parser *p);
void mk_sort_errors(parser *p, int from);
bool mk_is_ws(char c);
void mk_locate(parser *p, size_t offset, const char **file, int *line, int *col);
vq_source_loc mk_node_loc(parser *p, size_t offset);
/* " (data at case.json:14:22)" when the value of attribute name in the start
 * tag at tag came from a data value, else NULL; in the document's arena. */
const char *mk_attribute_data_place(parser *p, size_t tag, const char *name);

/* elements.c: the element table, attribute checks, placement */
bool mk_all_ws(const char *s, size_t n);
const char *mk_attr(const char **atts, const char *name);
void mk_check_attributes(parser *p, size_t off, el_id el, const char **atts);
bool mk_check_place(parser *p, size_t off, el_id el, int parent_index);
el_id mk_element_id(const char *name);
void mk_fail_unknown_element(parser *p, size_t offset, const char *name, const char *prefix);
bool mk_is_block_el(el_id el);

/* style.c: computed styles and <style> rules */
bool mk_apply_style_attr(parser *p, size_t off, style_work *w, const char *name, const char *v);
void mk_compute_style(parser *p, size_t off, el_id el, const frame *parent, const char **atts,
                      vq_style *out, bool *font_explicit, bool *dir_set, unsigned *own_set);
int mk_enum_value(const char *v, const char *const *names, int count);
void mk_fail_enum(parser *p, size_t off, const char *name, const char *v, const char *const *names,
                  int count);
bool mk_handle_style(parser *p, size_t off, const char **atts);
bool mk_is_style_attr(const char *name);
/* Fills names with the style attributes' names; returns their count. */
int mk_style_attr_names(const char **names);
vq_style mk_inherit(const vq_style *parent, bool inline_el);
bool mk_parse_abs_length(parser *p, size_t off, const char *name, const char *v, double *out);
bool mk_parse_bool(parser *p, size_t off, const char *name, const char *v, bool *out);

/* tree.c: nodes, ids, directions, anonymous blocks, text */
extern const char mk_isolate_close[];
void mk_append_mark(parser *p, vq_node *parent, size_t offset, const char *mark);
vq_node *mk_block_parent(parser *p, frame *f, size_t offset);
void mk_close_anon(frame *f);
void mk_flush_text(parser *p);
bool mk_id_add(parser *p, const char *id);
bool mk_id_known(const parser *p, const char *id);
vq_node *mk_inline_parent(parser *p, int index, size_t offset, inline_ctx **ic);
const char *mk_isolate_open(vq_dir dir);
vq_node *mk_new_node(parser *p, vq_node_kind kind, size_t offset, const vq_style *style);
void mk_resolve_dir(parser *p, int index);
void mk_trim_trailing_space(inline_ctx *ic);

/* attributes.c: element-specific attributes */
bool mk_finish_table(parser *p, frame *f);
bool mk_footnote_mark(parser *p, size_t off, const char **atts, vq_node *n);
bool mk_handle_date(parser *p, size_t off, const vq_style *s, const char **atts, vq_buf *out);
bool mk_handle_figure(parser *p, size_t off, vq_node *n, const char **atts);
/* <qr value="…" size="…"/> (qr.c): a figure drawn as a QR code. */
bool mk_handle_qr(parser *p, size_t off, vq_node *n, const char **atts);
/* SVG figures (qr.c): a name ending in .svg; the probe reads the file's
 * start only (librsvg parses it at layout). */
bool mk_is_svg_name(const char *path);
bool mk_probe_svg(const char *path, const vq_roots *roots, const char **type, unsigned char **bytes,
                  size_t *size, char *msg, size_t msg_cap);
bool mk_handle_number(parser *p, size_t off, const vq_style *s, const char **atts, vq_buf *out);
bool mk_handle_page(parser *p, size_t off, const char **atts);
bool mk_handle_table(parser *p, size_t off, frame *f, vq_node *n, const char **atts);

/* open.c: one opener per kind of element (el_info.open) */
bool mk_open_document(parser *p, const opening *o, vq_node **node);
bool mk_open_page(parser *p, const opening *o, vq_node **node);
bool mk_open_style(parser *p, const opening *o, vq_node **node);
bool mk_open_running(parser *p, const opening *o, vq_node **node);
bool mk_open_section(parser *p, const opening *o, vq_node **node);
bool mk_open_block(parser *p, const opening *o, vq_node **node);
bool mk_open_list(parser *p, const opening *o, vq_node **node);
bool mk_open_table(parser *p, const opening *o, vq_node **node);
bool mk_open_figure(parser *p, const opening *o, vq_node **node);
bool mk_open_qr(parser *p, const opening *o, vq_node **node);
bool mk_open_part(parser *p, const opening *o, vq_node **node);
bool mk_open_cell(parser *p, const opening *o, vq_node **node);
bool mk_open_format(parser *p, const opening *o, vq_node **node);
bool mk_open_br(parser *p, const opening *o, vq_node **node);
bool mk_open_span(parser *p, const opening *o, vq_node **node);
bool mk_open_link(parser *p, const opening *o, vq_node **node);
bool mk_open_footnote(parser *p, const opening *o, vq_node **node);
bool mk_open_field(parser *p, const opening *o, vq_node **node);

#endif
