/* The markup parser: expat events → the document tree, with every node's
 * style computed as it is opened (inheritance, element defaults, <style>
 * rules, classes, attributes), whitespace collapsed as HTML does, and every
 * error located in the template through the source map. */
#include "markup/markup.h"

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
#include "markup/values.h"

enum { MAX_DEPTH = 200, MAX_COLUMNS = 100 };

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
    EL_COUNT
} el_id;

/* What an element may contain. */
typedef enum content { C_BLOCKS, C_INLINE, C_LIST, C_TABLE, C_ROW, C_FIGURE, C_EMPTY } content;
/* Where an element may stand. */
typedef enum place { P_ROOT, P_TOP, P_BLOCK, P_INLINE, P_LI, P_TR, P_CELL, P_CAPTION } place;

typedef struct el_info {
    const char *name;
    place place;
    content content;
    const char *attrs; /* its own attributes, space-separated */
    bool styled;       /* takes the style attributes (and id, class) */
} el_info;

static const el_info ELS[EL_COUNT] = {
    [EL_DOCUMENT] = {"document", P_ROOT, C_BLOCKS, "title author subject keywords", true},
    [EL_PAGE] = {"page", P_TOP, C_EMPTY,
                 "size orientation margin column-gap header-offset footer-offset first-number",
                 false},
    [EL_STYLE] = {"style", P_TOP, C_EMPTY, "name element", false},
    [EL_HEADER] = {"header", P_TOP, C_BLOCKS, "first", true},
    [EL_FOOTER] = {"footer", P_TOP, C_BLOCKS, "first", true},
    [EL_SECTION] = {"section", P_TOP, C_BLOCKS, "columns", true},
    [EL_H1] = {"h1", P_BLOCK, C_INLINE, "", true},
    [EL_H2] = {"h2", P_BLOCK, C_INLINE, "", true},
    [EL_H3] = {"h3", P_BLOCK, C_INLINE, "", true},
    [EL_H4] = {"h4", P_BLOCK, C_INLINE, "", true},
    [EL_P] = {"p", P_BLOCK, C_INLINE, "", true},
    [EL_UL] = {"ul", P_BLOCK, C_LIST, "", true},
    [EL_OL] = {"ol", P_BLOCK, C_LIST, "start", true},
    [EL_LI] = {"li", P_LI, C_BLOCKS, "", true},
    [EL_TABLE] = {"table", P_BLOCK, C_TABLE, "widths width header-rows", true},
    [EL_CAPTION] = {"caption", P_CAPTION, C_INLINE, "", true},
    [EL_TR] = {"tr", P_TR, C_ROW, "", true},
    [EL_TH] = {"th", P_CELL, C_BLOCKS, "colspan valign", true},
    [EL_TD] = {"td", P_CELL, C_BLOCKS, "colspan valign", true},
    [EL_FIGURE] = {"figure", P_BLOCK, C_FIGURE, "src width placeholder aspect", true},
    [EL_HR] = {"hr", P_BLOCK, C_EMPTY, "", true},
    [EL_PAGE_BREAK] = {"page-break", P_BLOCK, C_EMPTY, "", true},
    [EL_COLUMN_BREAK] = {"column-break", P_BLOCK, C_EMPTY, "", true},
    [EL_BOX] = {"box", P_BLOCK, C_BLOCKS, "", true},
    [EL_B] = {"b", P_INLINE, C_INLINE, "", true},
    [EL_STRONG] = {"strong", P_INLINE, C_INLINE, "", true},
    [EL_I] = {"i", P_INLINE, C_INLINE, "", true},
    [EL_EM] = {"em", P_INLINE, C_INLINE, "", true},
    [EL_SUP] = {"sup", P_INLINE, C_INLINE, "", true},
    [EL_SUB] = {"sub", P_INLINE, C_INLINE, "", true},
    [EL_SPAN] = {"span", P_INLINE, C_INLINE, "", true},
    [EL_BR] = {"br", P_INLINE, C_EMPTY, "", true},
    [EL_A] = {"a", P_INLINE, C_INLINE, "href", true},
    [EL_FOOTNOTE] = {"footnote", P_INLINE, C_INLINE, "mark mark-in-text", true},
    [EL_NUMBER] = {"number", P_INLINE, C_EMPTY, "value decimals grouping", true},
    [EL_DATE] = {"date", P_INLINE, C_EMPTY, "value calendar format weekday", true},
    [EL_PAGE_NUMBER] = {"page-number", P_INLINE, C_EMPTY, "", true},
    [EL_PAGE_COUNT] = {"page-count", P_INLINE, C_EMPTY, "", true},
    [EL_DOC_TITLE] = {"doc-title", P_INLINE, C_EMPTY, "", true},
};

static const char *const STYLE_ATTRS[] = {
    "font",           "font-size",    "font-weight",  "font-style",   "color",
    "align",          "line-height",  "indent",       "dir",          "lang",
    "digits",         "space-before", "space-after",  "margin-start", "margin-end",
    "keep-with-next", "border",       "border-color", "background",   "padding",
};
enum { STYLE_ATTR_COUNT = sizeof STYLE_ATTRS / sizeof STYLE_ATTRS[0] };

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
};

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
    bool space;         /* the last character emitted is a collapsible space */
    bool start;         /* nothing emitted yet (or just after <br/>) */
} inline_ctx;

typedef struct frame {
    el_id el;
    vq_node *node; /* NULL for <page>, <style>, <number>, <date> */
    size_t offset; /* of the start tag */
    vq_style style;
    bool font_explicit;
    bool in_running; /* inside <header>/<footer> */
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
    vq_error *err;
    bool failed;
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

/* ---- locations and errors ---- */

static void offset_position(parser *p, size_t offset, int *line, int *col)
{
    if (offset > p->len)
        offset = p->len;
    if (offset < p->cur_off) {
        p->cur_off = 0;
        p->cur_line = 1;
        p->cur_col = 1;
    }
    for (size_t i = p->cur_off; i < offset; i++) {
        unsigned char c = (unsigned char)p->text[i];
        if (c == '\n') {
            p->cur_line++;
            p->cur_col = 1;
        } else if ((c & 0xC0) != 0x80) {
            p->cur_col++;
        }
    }
    p->cur_off = offset;
    *line = p->cur_line;
    *col = p->cur_col;
}

static void locate(parser *p, size_t offset, const char **file, int *line, int *col)
{
    if (p->map && vq_source_map_lookup(p->map, offset, file, line, col))
        return;
    *file = p->file;
    offset_position(p, offset, line, col);
}

static vq_source_loc node_loc(parser *p, size_t offset)
{
    vq_source_loc loc;
    const char *file;
    locate(p, offset, &file, &loc.line, &loc.column);
    /* Nodes keep their own copy of the name (the map may go first). */
    if (!file) {
        loc.file = NULL;
    } else if (file == p->last_map_file ||
               (p->last_arena_file && strcmp(file, p->last_arena_file) == 0)) {
        loc.file = p->last_arena_file;
    } else {
        p->last_arena_file = vq_arena_strdup(p->doc->arena, file);
        loc.file = p->last_arena_file;
    }
    p->last_map_file = file;
    return loc;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The offset of attribute name inside the start tag at tag, or tag when it
 * is not found. */
static size_t attribute_offset(const parser *p, size_t tag, const char *name, size_t name_len)
{
    const char *s = p->text, *end = p->text + p->len;
    const char *c = s + tag + 1;
    while (c < end && !is_ws(*c) && *c != '>' && *c != '/')
        c++; /* the element's name */
    while (c < end) {
        while (c < end && is_ws(*c))
            c++;
        if (c >= end || *c == '>' || *c == '/')
            break;
        const char *a = c;
        while (c < end && !is_ws(*c) && *c != '=' && *c != '>')
            c++;
        if ((size_t)(c - a) == name_len && memcmp(a, name, name_len) == 0)
            return (size_t)(a - s);
        while (c < end && (is_ws(*c) || *c == '='))
            c++;
        if (c < end && (*c == '"' || *c == '\'')) {
            char q = *c++;
            while (c < end && *c != q)
                c++;
            c++;
        }
    }
    return tag;
}

static void fail_at(parser *p, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_at(parser *p, size_t offset, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    char msg[VQ_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* A message about an attribute of the tag being opened ("size=\"…\": …",
     * "unknown attribute 'x'") points at that attribute. */
    if (offset == p->tag_off && offset < p->len && p->text[offset] == '<') {
        size_t n = strspn(msg, "abcdefghijklmnopqrstuvwxyz-");
        if (n && msg[n] == '=' && msg[n + 1] == '"')
            offset = attribute_offset(p, offset, msg, n);
        else if (strncmp(msg, "unknown attribute '", 19) == 0)
            offset = attribute_offset(p, offset, msg + 19, strcspn(msg + 19, "'"));
    }
    const char *file;
    int line, col;
    locate(p, offset, &file, &line, &col);
    vq_error_set(p->err, VQ_ERR_INPUT, file, line, col, "%s", msg);
    XML_StopParser(p->xml, XML_FALSE);
}

/* An error at a node already built (its location is known). */
static void fail_node(parser *p, const vq_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_node(parser *p, const vq_node *n, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vq_error_setv(p->err, VQ_ERR_INPUT, n->loc.file, n->loc.line, n->loc.column, fmt, ap);
    va_end(ap);
    XML_StopParser(p->xml, XML_FALSE);
}

static size_t here(parser *p)
{
    XML_Index i = XML_GetCurrentByteIndex(p->xml);
    return i < 0 ? 0 : (size_t)i;
}

/* ---- small helpers ---- */

static el_id element_id(const char *name)
{
    for (int i = 0; i < EL_COUNT; i++)
        if (strcmp(ELS[i].name, name) == 0)
            return (el_id)i;
    return EL_COUNT;
}

static const char *closest_element(const char *name)
{
    const char *names[EL_COUNT];
    for (int i = 0; i < EL_COUNT; i++)
        names[i] = ELS[i].name;
    return vq_closest_name(name, names, EL_COUNT);
}

static void fail_unknown_element(parser *p, size_t offset, const char *name, const char *prefix)
{
    const char *hint = closest_element(name);
    if (hint)
        fail_at(p, offset, "%sunknown element <%s> (did you mean <%s>?)", prefix, name, hint);
    else
        fail_at(p, offset, "%sunknown element <%s>", prefix, name);
}

/* Is word one of the space-separated words of list? */
static bool in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *s = list; *s;) {
        while (*s == ' ')
            s++;
        size_t k = strcspn(s, " ");
        if (k == n && k > 0 && strncmp(s, word, n) == 0)
            return true;
        s += k;
    }
    return false;
}

static bool is_style_attr(const char *name)
{
    for (int i = 0; i < STYLE_ATTR_COUNT; i++)
        if (strcmp(STYLE_ATTRS[i], name) == 0)
            return true;
    return false;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

static bool all_ws(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ws(s[i]))
            return false;
    return true;
}

static bool is_block_el(el_id el)
{
    return ELS[el].place == P_BLOCK || el == EL_SECTION || el == EL_HEADER || el == EL_FOOTER ||
           el == EL_LI || el == EL_TH || el == EL_TD || el == EL_CAPTION || el == EL_TR ||
           el == EL_DOCUMENT;
}

/* ---- ids and links ---- */

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Adds id; false when it is already there. */
static bool id_add(parser *p, const char *id)
{
    if ((p->id_count + 1) * 2 > p->id_cap) {
        size_t cap = p->id_cap ? p->id_cap * 2 : 64;
        const char **ids = vq_xcalloc(cap, sizeof *ids);
        for (size_t i = 0; i < p->id_cap; i++) {
            if (!p->ids[i])
                continue;
            size_t j = hash_str(p->ids[i]) & (cap - 1);
            while (ids[j])
                j = (j + 1) & (cap - 1);
            ids[j] = p->ids[i];
        }
        free(p->ids);
        p->ids = ids;
        p->id_cap = cap;
    }
    size_t j = hash_str(id) & (p->id_cap - 1);
    while (p->ids[j]) {
        if (strcmp(p->ids[j], id) == 0)
            return false;
        j = (j + 1) & (p->id_cap - 1);
    }
    p->ids[j] = id;
    p->id_count++;
    return true;
}

static bool id_known(const parser *p, const char *id)
{
    if (!p->id_cap)
        return false;
    size_t j = hash_str(id) & (p->id_cap - 1);
    while (p->ids[j]) {
        if (strcmp(p->ids[j], id) == 0)
            return true;
        j = (j + 1) & (p->id_cap - 1);
    }
    return false;
}

/* ---- styles ---- */

static const char *const ALIGN_NAMES[] = {"start", "end", "center", "justify", "left", "right"};
static const char *const DIR_NAMES[] = {"auto", "ltr", "rtl"};
static const char *const DIGIT_NAMES[] = {"as-written", "persian", "latin"};

static int enum_value(const char *v, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    return -1;
}

static void fail_enum(parser *p, size_t off, const char *name, const char *v,
                      const char *const *names, int count)
{
    vq_buf b = VQ_BUF_INIT;
    for (int i = 0; i < count; i++)
        vq_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    fail_at(p, off, "%s=\"%s\": expected one of %s", name, v, b.data);
    vq_buf_free(&b);
}

static bool parse_bool(parser *p, size_t off, const char *name, const char *v, bool *out)
{
    if (strcmp(v, "true") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0)
        *out = false;
    else {
        fail_at(p, off, "%s=\"%s\": expected true or false", name, v);
        return false;
    }
    return true;
}

static bool parse_abs_length(parser *p, size_t off, const char *name, const char *v, double *out)
{
    vq_length len;
    if (!vq_parse_length(v, false, &len)) {
        fail_at(p, off, "%s=\"%s\": expected a length in pt, mm, cm or in", name, v);
        return false;
    }
    *out = len.value;
    return true;
}

static bool parse_colour(parser *p, size_t off, const char *name, const char *v, uint32_t *out)
{
    if (!vq_parse_color(v, out)) {
        fail_at(p, off, "%s=\"%s\": expected a colour as #rgb or #rrggbb", name, v);
        return false;
    }
    return true;
}

static bool valid_lang(const char *v)
{
    /* BCP 47 in shape: a 2–8 letter language, then 1–8 alphanumeric subtags. */
    size_t n = 0;
    while ((v[n] >= 'a' && v[n] <= 'z') || (v[n] >= 'A' && v[n] <= 'Z'))
        n++;
    if (n < 2 || n > 8)
        return false;
    const char *s = v + n;
    while (*s == '-') {
        s++;
        size_t k = 0;
        while ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
               (s[k] >= '0' && s[k] <= '9'))
            k++;
        if (k < 1 || k > 8)
            return false;
        s += k;
    }
    return *s == 0;
}

/* A style being computed: the style plus what is pending until the final
 * font size is known. */
typedef struct style_work {
    vq_style s;
    unsigned set;
    double parent_size;
    bool lh_is_length;
    double lh_length;
} style_work;

/* Applies one style attribute. Returns false on a bad value (error set). */
static bool apply_style_attr(parser *p, size_t off, style_work *w, const char *name, const char *v)
{
    vq_style *s = &w->s;
    int e;
    vq_length len;
    if (strcmp(name, "font") == 0) {
        if (!*v || all_ws(v, strlen(v))) {
            fail_at(p, off, "font=\"%s\": expected a font family name", v);
            return false;
        }
        s->text.family = vq_arena_strdup(p->doc->arena, v);
        w->set |= SET_FONT;
    } else if (strcmp(name, "font-size") == 0) {
        if (!vq_parse_length(v, true, &len) || len.value <= 0) {
            fail_at(p, off, "%s=\"%s\": expected a length in pt, mm, cm, in or %%", name, v);
            return false;
        }
        s->text.size = len.unit == VQ_LEN_PERCENT ? w->parent_size * len.value / 100 : len.value;
        if (s->text.size > 1000)
            s->text.size = 1000;
        if (s->text.size < 1)
            s->text.size = 1;
    } else if (strcmp(name, "font-weight") == 0) {
        int weight;
        if (strcmp(v, "normal") == 0)
            s->text.weight = 400;
        else if (strcmp(v, "bold") == 0)
            s->text.weight = 700;
        else if (vq_parse_int(v, 100, 900, &weight))
            s->text.weight = weight;
        else {
            fail_at(p, off, "%s=\"%s\": expected normal, bold or a weight from 100 to 900", name,
                    v);
            return false;
        }
    } else if (strcmp(name, "font-style") == 0) {
        static const char *const names[] = {"normal", "italic"};
        if ((e = enum_value(v, names, 2)) < 0) {
            fail_enum(p, off, name, v, names, 2);
            return false;
        }
        s->text.italic = e == 1;
    } else if (strcmp(name, "color") == 0) {
        if (!parse_colour(p, off, name, v, &s->text.color))
            return false;
    } else if (strcmp(name, "align") == 0) {
        if ((e = enum_value(v, ALIGN_NAMES, 6)) < 0) {
            fail_enum(p, off, name, v, ALIGN_NAMES, 6);
            return false;
        }
        s->align = (vq_align)e;
    } else if (strcmp(name, "line-height") == 0) {
        double m;
        if (vq_parse_number(v, 0.1, 20, &m)) {
            s->line_height = m;
            w->lh_is_length = false;
        } else if (vq_parse_length(v, true, &len) && len.value > 0) {
            if (len.unit == VQ_LEN_PERCENT) {
                s->line_height = len.value / 100;
                w->lh_is_length = false;
            } else {
                w->lh_is_length = true;
                w->lh_length = len.value;
            }
        } else {
            fail_at(p, off,
                    "%s=\"%s\": expected a number (a multiple of the font size), a %% or "
                    "a length",
                    name, v);
            return false;
        }
        w->set |= SET_LINE_HEIGHT;
    } else if (strcmp(name, "indent") == 0) {
        if (!parse_abs_length(p, off, name, v, &s->indent))
            return false;
    } else if (strcmp(name, "dir") == 0) {
        if ((e = enum_value(v, DIR_NAMES, 3)) < 0) {
            fail_enum(p, off, name, v, (const char *const[]){"rtl", "ltr", "auto"}, 3);
            return false;
        }
        s->dir = (vq_dir)e;
        w->set |= SET_DIR;
    } else if (strcmp(name, "lang") == 0) {
        if (!valid_lang(v)) {
            fail_at(p, off, "lang=\"%s\": expected a language tag such as fa or en", v);
            return false;
        }
        s->text.lang = vq_arena_strdup(p->doc->arena, v);
        w->set |= SET_LANG;
    } else if (strcmp(name, "digits") == 0) {
        if ((e = enum_value(v, DIGIT_NAMES, 3)) < 0) {
            fail_enum(p, off, name, v, (const char *const[]){"persian", "latin", "as-written"}, 3);
            return false;
        }
        s->text.digits = (vq_digits)e;
    } else if (strcmp(name, "space-before") == 0) {
        if (!parse_abs_length(p, off, name, v, &s->space_before))
            return false;
        w->set |= SET_SPACE_BEFORE;
    } else if (strcmp(name, "space-after") == 0) {
        if (!parse_abs_length(p, off, name, v, &s->space_after))
            return false;
        w->set |= SET_SPACE_AFTER;
    } else if (strcmp(name, "margin-start") == 0) {
        if (!parse_abs_length(p, off, name, v, &s->margin_start))
            return false;
        w->set |= SET_MARGIN_START;
    } else if (strcmp(name, "margin-end") == 0) {
        if (!parse_abs_length(p, off, name, v, &s->margin_end))
            return false;
    } else if (strcmp(name, "keep-with-next") == 0) {
        if (!parse_bool(p, off, name, v, &s->keep_with_next))
            return false;
        w->set |= SET_KEEP;
    } else if (strcmp(name, "border") == 0) {
        if (!parse_abs_length(p, off, name, v, &s->border_width))
            return false;
        w->set |= SET_BORDER;
    } else if (strcmp(name, "border-color") == 0) {
        if (!parse_colour(p, off, name, v, &s->border_color))
            return false;
        w->set |= SET_BORDER_COLOR;
    } else if (strcmp(name, "background") == 0) {
        if (strcmp(v, "none") == 0) {
            s->has_background = false;
            s->background = 0;
        } else if (vq_parse_color(v, &s->background)) {
            s->has_background = true;
        } else {
            fail_at(p, off, "%s=\"%s\": expected a colour as #rgb or #rrggbb, or none", name, v);
            return false;
        }
    } else if (strcmp(name, "padding") == 0) {
        if (!parse_abs_length(p, off, name, v, &s->padding))
            return false;
        w->set |= SET_PADDING;
    }
    return true;
}

/* The inherited part of parent: what a child starts from. */
static vq_style inherit(const vq_style *parent, bool inline_el)
{
    vq_style s = *parent;
    s.space_before = s.space_after = 0;
    s.margin_start = s.margin_end = 0;
    s.keep_with_next = false;
    s.padding = 0;
    s.border_width = 0;
    s.border_color = 0;
    s.background = 0;
    s.has_background = false;
    s.text.tag = 0;
    if (!inline_el) {
        s.text.baseline_shift = 0;
        s.text.size_scale = 1;
    }
    return s;
}

static const style_rule *find_class(const parser *p, const char *name, size_t n)
{
    for (int i = 0; i < p->rule_count; i++)
        if (p->rules[i].name && strlen(p->rules[i].name) == n &&
            strncmp(p->rules[i].name, name, n) == 0)
            return &p->rules[i];
    return NULL;
}

static bool apply_rule(parser *p, size_t off, style_work *w, const style_rule *r)
{
    for (int i = 0; i < r->attr_count; i++)
        if (!apply_style_attr(p, off, w, r->attrs[2 * i], r->attrs[2 * i + 1]))
            return false;
    return true;
}

static void fail_unknown_class(parser *p, size_t off, const char *name)
{
    const char **names = vq_xcalloc((size_t)p->rule_count + 1, sizeof *names);
    for (int i = 0; i < p->rule_count; i++)
        names[i] = p->rules[i].name;
    const char *hint = vq_closest_name(name, names, (size_t)p->rule_count);
    if (hint)
        fail_at(p, off, "unknown style class '%s' (did you mean '%s'?)", name, hint);
    else
        fail_at(p, off, "unknown style class '%s' (define it with <style name=\"%s\" …/> first)",
                name, name);
    free(names);
}

static double heading_scale(el_id el)
{
    static const double scale[] = {1.6, 1.35, 1.15, 1.0};
    return scale[el - EL_H1];
}

/* The computed style of element el opened under parent with atts. */
static bool compute_style(parser *p, size_t off, el_id el, const frame *parent, const char **atts,
                          vq_style *out, bool *font_explicit, bool *dir_set)
{
    bool inline_el = ELS[el].place == P_INLINE;
    style_work w = {0};
    w.s = inherit(&parent->style, inline_el);
    w.parent_size = parent->style.text.size;
    vq_style *s = &w.s;

    /* The element's own look, before rules and attributes. */
    switch (el) {
    case EL_H1:
    case EL_H2:
    case EL_H3:
    case EL_H4:
        s->text.size *= heading_scale(el);
        s->text.weight = 700;
        break;
    case EL_TH:
    case EL_B:
    case EL_STRONG:
        s->text.weight = 700;
        break;
    case EL_I:
    case EL_EM:
        s->text.italic = true;
        break;
    case EL_CAPTION:
        s->text.size *= 0.9;
        break;
    case EL_FOOTNOTE:
        s->text.size *= 0.8;
        s->text.baseline_shift = 0;
        s->text.size_scale = 1;
        break;
    default:
        break;
    }

    /* <style element="…"> rules, then classes, then the attributes. */
    for (int i = 0; i < p->rule_count; i++) {
        const style_rule *r = &p->rules[i];
        if (r->elements && strstr(r->elements, ELS[el].name)) {
            char key[32];
            snprintf(key, sizeof key, " %s ", ELS[el].name);
            if (strstr(r->elements, key) && !apply_rule(p, off, &w, r))
                return false;
        }
    }
    const char *cls = attr(atts, "class");
    for (const char *c = cls; c && *c;) {
        while (is_ws(*c))
            c++;
        size_t n = 0;
        while (c[n] && !is_ws(c[n]))
            n++;
        if (!n)
            break;
        const style_rule *r = find_class(p, c, n);
        if (!r) {
            char *name = vq_xstrndup(c, n);
            fail_unknown_class(p, off, name);
            free(name);
            return false;
        }
        if (!apply_rule(p, off, &w, r))
            return false;
        c += n;
    }
    for (int i = 0; atts[i]; i += 2)
        if (is_style_attr(atts[i]) && !apply_style_attr(p, off, &w, atts[i], atts[i + 1]))
            return false;

    /* Defaults that depend on the final size, where nothing set them. */
    double size = s->text.size;
    if (w.lh_is_length)
        s->line_height = w.lh_length / size;
    switch (el) {
    case EL_H1:
    case EL_H2:
    case EL_H3:
    case EL_H4: {
        static const double before[] = {1.0, 0.9, 0.8, 0.7};
        if (!(w.set & SET_SPACE_BEFORE))
            s->space_before = before[el - EL_H1] * size;
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.4 * size;
        if (!(w.set & SET_LINE_HEIGHT))
            s->line_height = 1.25;
        if (!(w.set & SET_KEEP))
            s->keep_with_next = true;
        break;
    }
    case EL_P:
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.5 * size;
        break;
    case EL_UL:
    case EL_OL:
        if (!(w.set & SET_MARGIN_START))
            s->margin_start = 1.5 * size;
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.5 * size;
        break;
    case EL_LI:
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.2 * size;
        break;
    case EL_TABLE:
        if (!(w.set & SET_PADDING))
            s->padding = 3;
        /* fall through */
    case EL_FIGURE:
    case EL_BOX:
        if (!(w.set & SET_SPACE_BEFORE) && el != EL_BOX)
            s->space_before = 0.5 * size;
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.5 * size;
        break;
    case EL_HR:
        if (!(w.set & SET_BORDER))
            s->border_width = 0.5;
        if (!(w.set & SET_SPACE_BEFORE))
            s->space_before = 0.5 * size;
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.5 * size;
        break;
    case EL_TH:
    case EL_TD: {
        /* Cells take their table's grid unless they say otherwise. */
        const frame *table = parent - 1;
        if (table->el == EL_TABLE) {
            if (!(w.set & SET_PADDING))
                s->padding = table->style.padding;
            if (!(w.set & SET_BORDER))
                s->border_width = table->style.border_width;
            if (!(w.set & SET_BORDER_COLOR))
                s->border_color = table->style.border_color;
        }
        break;
    }
    case EL_SUP:
    case EL_SUB: {
        double visible = size * (s->text.size_scale > 0 ? s->text.size_scale : 1);
        s->text.baseline_shift += (el == EL_SUP ? 0.33 : -0.15) * visible;
        s->text.size_scale = (s->text.size_scale > 0 ? s->text.size_scale : 1) * 0.7;
        break;
    }
    default:
        break;
    }

    /* A block whose language changes takes that language's direction and
     * (unless a font was chosen) its default font. */
    bool block = !inline_el;
    *font_explicit = parent->font_explicit || (w.set & SET_FONT);
    *dir_set = w.set & SET_DIR;
    if (block && (w.set & SET_LANG)) {
        if (!(w.set & SET_DIR))
            s->dir = vq_lang_is_rtl(s->text.lang) ? VQ_DIR_RTL : VQ_DIR_LTR;
        if (!*font_explicit)
            s->text.family = vq_lang_default_font(s->text.lang);
    }
    *out = *s;
    return true;
}

/* ---- tree building ---- */

static vq_node *new_node(parser *p, vq_node_kind kind, size_t offset, const vq_style *style)
{
    vq_node *n = vq_node_create(p->doc, kind);
    n->loc = node_loc(p, offset);
    n->style = *style;
    return n;
}

static void remove_child(vq_node *parent, vq_node *child)
{
    vq_node *prev = NULL;
    for (vq_node *c = parent->first_child; c; prev = c, c = c->next) {
        if (c != child)
            continue;
        if (prev)
            prev->next = c->next;
        else
            parent->first_child = c->next;
        if (parent->last_child == c)
            parent->last_child = prev;
        c->parent = NULL;
        c->next = NULL;
        return;
    }
}

/* Removes the collapsible space at the end of an inline run. */
static void trim_trailing_space(inline_ctx *ic)
{
    if (ic->space && ic->last_text) {
        char *t = (char *)ic->last_text->text;
        size_t n = strlen(t);
        if (n && t[n - 1] == ' ')
            t[n - 1] = 0;
        if (n == 1 && ic->last_text->parent)
            remove_child(ic->last_text->parent, ic->last_text);
    }
    ic->space = false;
    ic->last_text = NULL;
}

/* Does this text start an isolate (a span's mark, a wrapped number)? */
static bool starts_isolate(const vq_node *n)
{
    return n && n->kind == VQ_NODE_TEXT && n->text && strncmp(n->text, "\xe2\x81", 2) == 0 &&
           (unsigned char)n->text[2] >= 0xa6 && (unsigned char)n->text[2] <= 0xa8;
}

/* UAX #9 P2: the first strong letter, skipping isolated content. */
static vq_dir first_strong(const vq_node *n)
{
    for (const vq_node *c = n->first_child; c; c = c->next) {
        if (c->kind == VQ_NODE_FOOTNOTE || starts_isolate(c) || starts_isolate(c->first_child))
            continue;
        if (c->kind == VQ_NODE_TEXT && c->text) {
            const char *t = c->text;
            size_t len = strlen(t), i = 0;
            while (i < len) {
                uint32_t cp;
                size_t k = vq_utf8_decode(t + i, len - i, &cp);
                if (!k)
                    break;
                i += k;
                UCharDirection d = u_charDirection((UChar32)cp);
                if (d == U_LEFT_TO_RIGHT)
                    return VQ_DIR_LTR;
                if (d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC)
                    return VQ_DIR_RTL;
            }
        }
        vq_dir d = first_strong(c);
        if (d != VQ_DIR_AUTO)
            return d;
    }
    return VQ_DIR_AUTO;
}

static void set_auto_dir(vq_node *n, vq_dir dir)
{
    for (vq_node *c = n->first_child; c; c = c->next) {
        if (c->style.dir == VQ_DIR_AUTO) {
            c->style.dir = dir;
            set_auto_dir(c, dir);
        }
    }
}

/* A block with dir="auto" takes its first strong letter's direction, else
 * its parent's, else its language's. */
static void resolve_dir(parser *p, int index)
{
    vq_node *n = p->frames[index].node;
    if (!n || n->style.dir != VQ_DIR_AUTO)
        return;
    vq_dir d = first_strong(n);
    for (int i = index - 1; d == VQ_DIR_AUTO && i >= 0; i--)
        if (p->frames[i].style.dir != VQ_DIR_AUTO)
            d = p->frames[i].style.dir;
    if (d == VQ_DIR_AUTO)
        d = vq_lang_is_rtl(n->style.text.lang) ? VQ_DIR_RTL : VQ_DIR_LTR;
    n->style.dir = d;
    p->frames[index].style.dir = d;
    set_auto_dir(n, d);
}

static void resolve_node_dir(vq_node *n, const vq_style *parent)
{
    if (n->style.dir != VQ_DIR_AUTO)
        return;
    vq_dir d = first_strong(n);
    if (d == VQ_DIR_AUTO)
        d = parent->dir != VQ_DIR_AUTO           ? parent->dir
            : vq_lang_is_rtl(n->style.text.lang) ? VQ_DIR_RTL
                                                 : VQ_DIR_LTR;
    n->style.dir = d;
    set_auto_dir(n, d);
}

/* HTML isolates an inline element that has its own dir: its content goes
 * between LRI/RLI/FSI and PDI, so "011-0123-4567" stays in order in an RTL
 * line. The text engine drops the isolates' glyphs. */
static const char *isolate_open(vq_dir dir)
{
    return dir == VQ_DIR_LTR ? "\u2066" : dir == VQ_DIR_RTL ? "\u2067" : "\u2068";
}
static const char ISOLATE_CLOSE[] = "\u2069";

static void append_mark(parser *p, vq_node *parent, size_t offset, const char *mark)
{
    vq_style s = inherit(&parent->style, true);
    vq_node *t = new_node(p, VQ_NODE_TEXT, offset, &s);
    t->text = mark;
    vq_node_append(parent, t);
}

/* Closes the anonymous paragraph of a block container. */
static void close_anon(frame *f)
{
    if (!f->anon)
        return;
    trim_trailing_space(&f->ic);
    resolve_node_dir(f->anon, &f->style);
    f->anon = NULL;
    f->ic.start = true;
}

/* Where a block child of frame f goes. */
static vq_node *block_parent(parser *p, frame *f, size_t offset)
{
    close_anon(f);
    if (f->el != EL_DOCUMENT)
        return f->node;
    if (!f->anon_section) {
        vq_style s = inherit(&f->style, false);
        f->anon_section = new_node(p, VQ_NODE_SECTION, offset, &s);
        f->anon_section->implicit = true;
        vq_node_append(p->doc->root, f->anon_section);
    }
    return f->anon_section;
}

/* Where inline content under frame index goes, and its whitespace state. */
static vq_node *inline_parent(parser *p, int index, size_t offset, inline_ctx **ic)
{
    frame *f = &p->frames[index];
    if (ELS[f->el].content == C_INLINE) {
        *ic = &p->frames[f->ic_owner].ic;
        return f->node;
    }
    /* A block container: loose inline content gets a paragraph. */
    if (!f->anon) {
        vq_node *parent = block_parent(p, f, offset);
        vq_style s = inherit(&f->style, false);
        f->anon = new_node(p, VQ_NODE_PARAGRAPH, offset, &s);
        f->anon->implicit = true;
        vq_node_append(parent, f->anon);
        f->ic.start = true;
        f->ic.space = false;
        f->ic.last_text = NULL;
    }
    *ic = &f->ic;
    return f->anon;
}

/* Places the character data seen since the last tag. */
static void flush_text(parser *p)
{
    if (p->pending.len == 0 || p->failed || p->depth == 0)
        return;
    const char *t = p->pending.data;
    size_t n = p->pending.len, off = p->pending_offset;
    int index = p->depth - 1;
    frame *f = &p->frames[index];
    content c = ELS[f->el].content;
    bool blank = all_ws(t, n);
    if (c != C_INLINE && c != C_BLOCKS) {
        if (!blank)
            fail_at(p, off, "text is not allowed in <%s>", ELS[f->el].name);
        vq_buf_clear(&p->pending);
        return;
    }
    if (c == C_BLOCKS && blank && !f->anon) {
        vq_buf_clear(&p->pending); /* whitespace between blocks */
        return;
    }
    inline_ctx *ic;
    vq_node *parent = inline_parent(p, index, off, &ic);
    /* Collapse straight into the node's arena string: it can only shrink. */
    char *out = vq_arena_alloc(p->doc->arena, n + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_ws(t[i])) {
            if (!ic->space && !ic->start) {
                out[len++] = ' ';
                ic->space = true;
            }
        } else {
            out[len++] = t[i];
            ic->space = false;
            ic->start = false;
        }
    }
    if (len) {
        vq_style ts = inherit(&parent->style, true);
        vq_node *text = new_node(p, VQ_NODE_TEXT, off, &ts);
        out[len] = 0;
        text->text = out;
        vq_node_append(parent, text);
        ic->last_text = text;
    }
    vq_buf_clear(&p->pending);
}

/* ---- element-specific attributes ---- */

static bool check_attributes(parser *p, size_t off, el_id el, const char **atts)
{
    const el_info *info = &ELS[el];
    for (int i = 0; atts[i]; i += 2) {
        const char *name = atts[i];
        bool ok = in_list(info->attrs, name) ||
                  (info->styled &&
                   (is_style_attr(name) || !strcmp(name, "id") || !strcmp(name, "class"))) ||
                  (el == EL_STYLE && is_style_attr(name));
        if (ok)
            continue;
        /* Name the allowed ones, and the closest. */
        const char *names[64];
        size_t count = 0;
        char own[128];
        snprintf(own, sizeof own, "%s", info->attrs);
        for (char *sp, *tok = strtok_r(own, " ", &sp); tok && count < 40;
             tok = strtok_r(NULL, " ", &sp))
            names[count++] = tok;
        if (info->styled) {
            names[count++] = "id";
            names[count++] = "class";
        }
        if (info->styled || el == EL_STYLE)
            for (int k = 0; k < STYLE_ATTR_COUNT; k++)
                names[count++] = STYLE_ATTRS[k];
        const char *hint = vq_closest_name(name, names, count);
        vq_buf allowed = VQ_BUF_INIT;
        snprintf(own, sizeof own, "%s", info->attrs);
        for (char *sp, *tok = strtok_r(own, " ", &sp); tok; tok = strtok_r(NULL, " ", &sp))
            vq_buf_printf(&allowed, "%s, ", tok);
        if (info->styled)
            vq_buf_append_str(&allowed, "id, class and the style attributes");
        else if (el == EL_STYLE) {
            allowed.data[allowed.len -= 2] = 0;
            vq_buf_append_str(&allowed, " and the style attributes");
        } else if (allowed.len >= 2)
            allowed.data[allowed.len -= 2] = 0;
        char hint_text[96] = "";
        if (hint)
            snprintf(hint_text, sizeof hint_text, " (did you mean '%s'?)", hint);
        fail_at(p, off, "unknown attribute '%s' on <%s>%s; allowed: %s", name, info->name,
                hint_text, allowed.len ? allowed.data : "none");
        vq_buf_free(&allowed);
        return false;
    }
    return true;
}

/* A footnote is numbered unless it brings its own mark ("*", "†", an
 * affiliation's number, or "" for none); a given mark takes no number. */
static bool footnote_mark(parser *p, size_t off, const char **atts, vq_node *n)
{
    const char *mark = attr(atts, "mark"), *v = attr(atts, "mark-in-text");
    n->mark_in_text = true;
    if (v && !parse_bool(p, off, "mark-in-text", v, &n->mark_in_text))
        return false;
    if (!mark) {
        if (!n->mark_in_text) {
            fail_at(p, off,
                    "mark-in-text=\"false\" needs a mark=\"…\" (a numbered note shows its "
                    "number in the text)");
            return false;
        }
        n->number = ++p->doc->footnote_count;
        return true;
    }
    size_t chars = 0;
    for (const char *c = mark; *c; c++) {
        chars += ((unsigned char)*c & 0xC0) != 0x80;
        if ((unsigned char)*c < 0x20 || *c == ' ') {
            fail_at(p, off, "mark=\"%s\": a mark has no spaces or control characters", mark);
            return false;
        }
    }
    if (chars > 8) {
        fail_at(p, off, "mark=\"%s\": a mark has at most 8 characters", mark);
        return false;
    }
    n->mark = vq_arena_strdup(p->doc->arena, mark);
    if (!*mark)
        n->mark_in_text = false;
    return true;
}

static bool handle_page(parser *p, size_t off, const char **atts)
{
    if (p->seen_page) {
        fail_at(p, off, "only one <page> is allowed");
        return false;
    }
    p->seen_page = true;
    vq_page_setup *pg = &p->doc->page;
    const char *v;
    if ((v = attr(atts, "size"))) {
        if (!strcmp(v, "A4")) {
            pg->width = 595.28;
            pg->height = 841.89;
        } else if (!strcmp(v, "A5")) {
            pg->width = 419.53;
            pg->height = 595.28;
        } else if (!strcmp(v, "Letter")) {
            pg->width = 612;
            pg->height = 792;
        } else {
            vq_length l[2];
            if (vq_parse_length_list(v, false, false, l, 2) != 2 || l[0].value < 36 ||
                l[1].value < 36) {
                fail_at(p, off,
                        "size=\"%s\": expected A4, A5, Letter or a width and a height "
                        "(\"210mm 297mm\") of at least 36pt each",
                        v);
                return false;
            }
            pg->width = l[0].value;
            pg->height = l[1].value;
        }
    }
    if ((v = attr(atts, "orientation"))) {
        static const char *const names[] = {"portrait", "landscape"};
        int e = enum_value(v, names, 2);
        if (e < 0) {
            fail_enum(p, off, "orientation", v, names, 2);
            return false;
        }
        bool wide = pg->width > pg->height;
        if ((e == 1) != wide) {
            double t = pg->width;
            pg->width = pg->height;
            pg->height = t;
        }
    }
    if ((v = attr(atts, "margin"))) {
        vq_length l[4];
        int n = vq_parse_length_list(v, false, false, l, 4);
        if (n < 1) {
            fail_at(p, off, "margin=\"%s\": expected 1 to 4 lengths in pt, mm, cm or in", v);
            return false;
        }
        double top = l[0].value, right = n > 1 ? l[1].value : top;
        double bottom = n > 2 ? l[2].value : top, left = n > 3 ? l[3].value : right;
        pg->margin_top = top;
        pg->margin_right = right;
        pg->margin_bottom = bottom;
        pg->margin_left = left;
    }
    if ((v = attr(atts, "column-gap")) &&
        !parse_abs_length(p, off, "column-gap", v, &pg->column_gap))
        return false;
    if ((v = attr(atts, "header-offset")) &&
        !parse_abs_length(p, off, "header-offset", v, &pg->header_offset))
        return false;
    if ((v = attr(atts, "footer-offset")) &&
        !parse_abs_length(p, off, "footer-offset", v, &pg->footer_offset))
        return false;
    if ((v = attr(atts, "first-number")) && !vq_parse_int(v, 1, 1000000, &pg->first_number)) {
        fail_at(p, off, "first-number=\"%s\": expected a whole number from 1 to 1000000", v);
        return false;
    }
    if (pg->margin_left + pg->margin_right > pg->width - 36 ||
        pg->margin_top + pg->margin_bottom > pg->height - 36) {
        fail_at(p, off, "the margins leave less than 36pt of the %gpt × %gpt page", pg->width,
                pg->height);
        return false;
    }
    return true;
}

static bool handle_style(parser *p, size_t off, const char **atts)
{
    const char *name = attr(atts, "name"), *elements = attr(atts, "element");
    if (!name && !elements) {
        fail_at(p, off, "<style> needs the attribute name or element");
        return false;
    }
    if (name) {
        if (!*name || strpbrk(name, " \t\r\n")) {
            fail_at(p, off, "name=\"%s\": expected one word", name);
            return false;
        }
        if (find_class(p, name, strlen(name))) {
            fail_at(p, off, "style '%s' is defined twice", name);
            return false;
        }
    }
    vq_buf els = VQ_BUF_INIT;
    if (elements) {
        vq_buf_append_char(&els, ' ');
        char *copy = vq_xstrdup(elements);
        for (char *sp, *tok = strtok_r(copy, " \t\r\n", &sp); tok;
             tok = strtok_r(NULL, " \t\r\n", &sp)) {
            el_id el = element_id(tok);
            if (el == EL_COUNT || !ELS[el].styled) {
                if (el == EL_COUNT) {
                    char prefix[80];
                    snprintf(prefix, sizeof prefix, "element=\"%.60s\": ", elements);
                    fail_unknown_element(p, off, tok, prefix);
                } else {
                    fail_at(p, off, "element=\"%s\": <%s> takes no style", elements, tok);
                }
                free(copy);
                vq_buf_free(&els);
                return false;
            }
            vq_buf_printf(&els, "%s ", tok);
        }
        free(copy);
    }
    /* Check every value now, so the error points at the definition. */
    style_work w = {0};
    w.s = p->frames[0].style;
    w.parent_size = w.s.text.size;
    int count = 0;
    for (int i = 0; atts[i]; i += 2) {
        if (!is_style_attr(atts[i]))
            continue;
        if (!apply_style_attr(p, off, &w, atts[i], atts[i + 1])) {
            vq_buf_free(&els);
            return false;
        }
        count++;
    }
    if (p->rule_count == p->rule_cap) {
        p->rule_cap = p->rule_cap ? p->rule_cap * 2 : 8;
        p->rules = vq_xrealloc(p->rules, (size_t)p->rule_cap * sizeof *p->rules);
    }
    style_rule *r = &p->rules[p->rule_count++];
    r->name = name ? vq_arena_strdup(p->doc->arena, name) : NULL;
    r->elements = els.len ? vq_arena_strdup(p->doc->arena, els.data) : NULL;
    r->attrs = vq_arena_alloc(p->doc->arena, sizeof(char *) * 2 * (size_t)(count + 1));
    r->attr_count = 0;
    for (int i = 0; atts[i]; i += 2) {
        if (!is_style_attr(atts[i]))
            continue;
        r->attrs[2 * r->attr_count] = vq_arena_strdup(p->doc->arena, atts[i]);
        r->attrs[2 * r->attr_count + 1] = vq_arena_strdup(p->doc->arena, atts[i + 1]);
        r->attr_count++;
    }
    vq_buf_free(&els);
    return true;
}

static char *resolve_path(parser *p, const char *src)
{
    if (src[0] == '/' || !p->base_dir || !*p->base_dir || !strcmp(p->base_dir, "."))
        return vq_xstrdup(src);
    return vq_path_join(p->base_dir, src);
}

static bool handle_figure(parser *p, size_t off, vq_node *n, const char **atts)
{
    const char *src = attr(atts, "src"), *ph = attr(atts, "placeholder"), *v;
    if (!src && !ph) {
        fail_at(p, off, "<figure> needs the attribute src or placeholder");
        return false;
    }
    if (src && ph) {
        fail_at(p, off, "<figure> takes src or placeholder, not both");
        return false;
    }
    n->width.unit = VQ_LEN_AUTO;
    if ((v = attr(atts, "width")) &&
        (!vq_parse_length(v, true, &n->width) || n->width.value <= 0)) {
        fail_at(p, off, "width=\"%s\": expected a length in pt, mm, cm, in or %%", v);
        return false;
    }
    if ((v = attr(atts, "aspect"))) {
        if (!ph) {
            fail_at(p, off, "aspect= is only for a placeholder figure");
            return false;
        }
        if (!vq_parse_number(v, 0.05, 20, &n->aspect)) {
            fail_at(p, off, "aspect=\"%s\": expected a number from 0.05 to 20 (height ÷ width)", v);
            return false;
        }
    }
    if (ph) {
        n->placeholder = vq_arena_strdup(p->doc->arena, ph);
        if (n->aspect == 0)
            n->aspect = 0.6;
        return true;
    }
    if (!*src) {
        fail_at(p, off, "src=\"\": expected the path of a PNG or JPEG file");
        return false;
    }
    char *path = resolve_path(p, src);
    char msg[VQ_ERROR_MESSAGE_MAX - 16];
    const char *type = NULL;
    bool ok = vq_image_probe(path, &n->image_width, &n->image_height, &type, msg, sizeof msg);
    if (ok) {
        n->src = vq_arena_strdup(p->doc->arena, path);
        n->image_type = type;
    } else {
        fail_at(p, off, "%s", msg);
    }
    free(path);
    return ok;
}

static bool handle_table(parser *p, size_t off, frame *f, vq_node *n, const char **atts)
{
    const char *v;
    n->width.unit = VQ_LEN_PERCENT;
    n->width.value = 100;
    if ((v = attr(atts, "width")) &&
        (!vq_parse_length(v, true, &n->width) || n->width.value <= 0)) {
        fail_at(p, off, "width=\"%s\": expected a length in pt, mm, cm, in or %%", v);
        return false;
    }
    if ((v = attr(atts, "header-rows")) && !vq_parse_int(v, 0, 1000, &n->header_rows)) {
        fail_at(p, off, "header-rows=\"%s\": expected a whole number from 0 to 1000", v);
        return false;
    }
    if ((v = attr(atts, "widths"))) {
        vq_length l[MAX_COLUMNS];
        int count = vq_parse_length_list(v, true, true, l, MAX_COLUMNS);
        if (count < 1) {
            fail_at(p, off,
                    "widths=\"%s\": expected one width per column: lengths in pt, mm, cm or in, "
                    "%% or auto",
                    v);
            return false;
        }
        f->widths = vq_arena_alloc(p->doc->arena, sizeof *f->widths * (size_t)count);
        memcpy(f->widths, l, sizeof *l * (size_t)count);
        f->width_count = count;
    }
    return true;
}

/* At </table>: the column count, widths and header rows. */
static bool finish_table(parser *p, frame *f)
{
    vq_node *t = f->node;
    int cols = 0, rows = 0;
    for (vq_node *r = t->first_child; r; r = r->next) {
        if (r->kind != VQ_NODE_TABLE_ROW)
            continue;
        int n = 0;
        for (vq_node *c = r->first_child; c; c = c->next)
            n += c->colspan;
        if (f->widths && n > f->width_count) {
            fail_node(p, r, "this row has %d columns but the table's widths= gives %d", n,
                      f->width_count);
            return false;
        }
        if (n > MAX_COLUMNS) {
            fail_node(p, r, "this row has %d columns (at most %d)", n, MAX_COLUMNS);
            return false;
        }
        if (n > cols)
            cols = n;
        r->header = rows < t->header_rows;
        rows++;
    }
    if (t->header_rows > rows) {
        fail_at(p, f->offset, "header-rows=\"%d\" but the table has %d row%s", t->header_rows, rows,
                rows == 1 ? "" : "s");
        return false;
    }
    if (f->widths)
        cols = f->width_count;
    t->column_count = cols;
    t->column_widths = vq_arena_alloc(p->doc->arena, sizeof(vq_length) * (size_t)(cols ? cols : 1));
    for (int i = 0; i < cols; i++)
        t->column_widths[i] = f->widths ? f->widths[i] : (vq_length){VQ_LEN_AUTO, 0};
    return true;
}

static bool handle_number(parser *p, size_t off, const vq_style *s, const char **atts, vq_buf *out)
{
    const char *value = attr(atts, "value"), *v;
    if (!value) {
        fail_at(p, off, "<number> needs the attribute value");
        return false;
    }
    vq_number_options o = {s->text.digits, -1, false};
    if ((v = attr(atts, "decimals")) && !vq_parse_int(v, 0, 15, &o.decimals)) {
        fail_at(p, off, "decimals=\"%s\": expected a whole number from 0 to 15", v);
        return false;
    }
    bool grouping = true;
    if ((v = attr(atts, "grouping")) && !parse_bool(p, off, "grouping", v, &grouping))
        return false;
    o.no_grouping = !grouping;
    vq_error e;
    if (vq_format_number(out, value, s->text.lang, &o, &e) != VQ_OK) {
        fail_at(p, off, "value=\"%s\": expected a number such as 1234.5", value);
        return false;
    }
    return true;
}

static bool handle_date(parser *p, size_t off, const vq_style *s, const char **atts, vq_buf *out)
{
    const char *value = attr(atts, "value"), *v;
    if (!value) {
        fail_at(p, off, "<date> needs the attribute value");
        return false;
    }
    vq_date_options o = {VQ_CALENDAR_DEFAULT, VQ_DATE_SHORT, false, s->text.digits};
    if ((v = attr(atts, "calendar"))) {
        static const char *const names[] = {"persian", "gregorian"};
        int e = enum_value(v, names, 2);
        if (e < 0) {
            fail_enum(p, off, "calendar", v, names, 2);
            return false;
        }
        o.calendar = e == 0 ? VQ_CALENDAR_PERSIAN : VQ_CALENDAR_GREGORIAN;
    }
    if ((v = attr(atts, "format"))) {
        static const char *const names[] = {"short", "long"};
        int e = enum_value(v, names, 2);
        if (e < 0) {
            fail_enum(p, off, "format", v, names, 2);
            return false;
        }
        o.style = e == 0 ? VQ_DATE_SHORT : VQ_DATE_LONG;
    }
    if ((v = attr(atts, "weekday")) && !parse_bool(p, off, "weekday", v, &o.weekday))
        return false;
    vq_error e;
    if (vq_format_date(out, value, s->text.lang, &o, &e) != VQ_OK) {
        fail_at(p, off, "value=\"%s\": not a valid date (expected YYYY-MM-DD)", value);
        return false;
    }
    return true;
}

/* ---- placement ---- */

static bool check_place(parser *p, size_t off, el_id el, int parent_index)
{
    const el_info *info = &ELS[el];
    if (parent_index < 0) {
        if (el != EL_DOCUMENT) {
            fail_at(p, off, "the root element must be <document>, not <%s>", info->name);
            return false;
        }
        return true;
    }
    const frame *pf = &p->frames[parent_index];
    const el_info *pi = &ELS[pf->el];
    const char *wrong = NULL;
    if (pi->content == C_EMPTY) {
        fail_at(p, off, "<%s> cannot have content", pi->name);
        return false;
    }
    switch (info->place) {
    case P_ROOT:
        wrong = "<document> is only allowed as the root element";
        break;
    case P_TOP:
        if (pf->el != EL_DOCUMENT) {
            fail_at(p, off, "<%s> is only allowed directly in <document>", info->name);
            return false;
        }
        return true;
    case P_LI:
        if (pf->el != EL_UL && pf->el != EL_OL)
            wrong = "<li> is only allowed in <ul> or <ol>";
        break;
    case P_TR:
        if (pf->el != EL_TABLE)
            wrong = "<tr> is only allowed in <table>";
        break;
    case P_CELL:
        if (pf->el != EL_TR) {
            fail_at(p, off, "<%s> is only allowed in <tr>", info->name);
            return false;
        }
        break;
    case P_CAPTION:
        if (pf->el != EL_TABLE && pf->el != EL_FIGURE)
            wrong = "<caption> is only allowed in <table> or <figure>";
        else if (pf->captions > 0) {
            fail_at(p, off, "<%s> has more than one <caption>", pi->name);
            return false;
        }
        break;
    case P_BLOCK:
        if (pi->content != C_BLOCKS) {
            fail_at(p, off, "<%s> is not allowed in <%s>%s", info->name, pi->name,
                    pi->content == C_INLINE ? " (a block cannot go inside inline content)" : "");
            return false;
        }
        break;
    case P_INLINE:
        if (pi->content != C_BLOCKS && pi->content != C_INLINE) {
            fail_at(p, off, "<%s> is not allowed in <%s>", info->name, pi->name);
            return false;
        }
        if ((el == EL_PAGE_NUMBER || el == EL_PAGE_COUNT || el == EL_DOC_TITLE) &&
            !pf->in_running) {
            fail_at(p, off, "<%s> is only allowed in <header> or <footer>", info->name);
            return false;
        }
        if (el == EL_A && pf->in_link) {
            fail_at(p, off, "an <a> cannot go inside another <a>");
            return false;
        }
        if (el == EL_FOOTNOTE && (pf->in_running || pf->in_footnote)) {
            fail_at(p, off, "a <footnote> cannot go inside a %s",
                    pf->in_footnote ? "footnote" : "header or footer");
            return false;
        }
        break;
    }
    if (wrong) {
        fail_at(p, off, "%s", wrong);
        return false;
    }
    return true;
}

/* ---- expat handlers ---- */

static frame *push_frame(parser *p, el_id el, size_t off)
{
    if (p->depth == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->frames = vq_xrealloc(p->frames, (size_t)p->cap * sizeof *p->frames);
    }
    frame *f = &p->frames[p->depth++];
    memset(f, 0, sizeof *f);
    f->el = el;
    f->offset = off;
    f->ic.start = true;
    f->ic_owner = p->depth - 1;
    return f;
}

static void init_root_style(vq_style *s)
{
    memset(s, 0, sizeof *s);
    s->text.lang = "fa";
    s->text.family = vq_lang_default_font("fa");
    s->text.size = 11;
    s->text.weight = 400;
    s->text.size_scale = 1;
    s->text.digits = VQ_DIGITS_AS_WRITTEN;
    s->dir = VQ_DIR_RTL;
    s->align = VQ_ALIGN_START;
    s->line_height = 1.5;
}

static bool start_document(parser *p, size_t off, frame *f, const char **atts)
{
    vq_document *doc = p->doc;
    frame base = {0};
    init_root_style(&base.style);
    style_work w = {0};
    w.s = base.style;
    w.parent_size = 11;
    for (int i = 0; atts[i]; i += 2)
        if (is_style_attr(atts[i]) && strcmp(atts[i], "class") &&
            !apply_style_attr(p, off, &w, atts[i], atts[i + 1]))
            return false;
    if (attr(atts, "class")) {
        fail_at(p, off, "class= cannot be used on <document> (no style is defined yet)");
        return false;
    }
    if (w.lh_is_length)
        w.s.line_height = w.lh_length / w.s.text.size;
    if (!(w.set & SET_DIR) || w.s.dir == VQ_DIR_AUTO)
        w.s.dir = vq_lang_is_rtl(w.s.text.lang) ? VQ_DIR_RTL : VQ_DIR_LTR;
    f->font_explicit = w.set & SET_FONT;
    if (!f->font_explicit)
        w.s.text.family = vq_lang_default_font(w.s.text.lang);
    /* The document's own box properties stay: nothing draws them. */
    f->style = w.s;
    f->node = doc->root;
    doc->root->style = w.s;
    doc->root->loc = node_loc(p, off);
    doc->lang = w.s.text.lang;
    doc->dir = w.s.dir;
    const char *v;
    if ((v = attr(atts, "title")))
        doc->title = vq_arena_strdup(doc->arena, v);
    if ((v = attr(atts, "author")))
        doc->author = vq_arena_strdup(doc->arena, v);
    if ((v = attr(atts, "subject")))
        doc->subject = vq_arena_strdup(doc->arena, v);
    if ((v = attr(atts, "keywords")))
        doc->keywords = vq_arena_strdup(doc->arena, v);
    return true;
}

static void on_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    parser *p = user;
    if (p->failed)
        return;
    flush_text(p);
    if (p->failed)
        return;
    size_t off = here(p);
    p->tag_off = off;
    el_id el = element_id(name);
    if (el == EL_COUNT) {
        fail_unknown_element(p, off, name, "");
        return;
    }
    if (p->depth >= MAX_DEPTH) {
        fail_at(p, off, "elements nested too deeply (more than %d levels)", MAX_DEPTH);
        return;
    }
    int pi = p->depth - 1;
    if (!check_place(p, off, el, pi) || !check_attributes(p, off, el, atts))
        return;
    const char *id = attr(atts, "id");
    if (id) {
        if (!*id || strpbrk(id, " \t\r\n")) {
            fail_at(p, off, "id=\"%s\": expected one word", id);
            return;
        }
        const char *copy = vq_arena_strdup(p->doc->arena, id);
        if (!id_add(p, copy)) {
            fail_at(p, off, "id=\"%s\" is used twice", id);
            return;
        }
        id = copy;
    }

    frame *f = push_frame(p, el, off);
    if (el == EL_DOCUMENT) {
        if (!start_document(p, off, f, atts))
            return;
        p->doc->root->id = id;
        return;
    }
    frame *parent = &p->frames[pi];
    f->in_running = parent->in_running || el == EL_HEADER || el == EL_FOOTER;
    f->in_footnote = parent->in_footnote || el == EL_FOOTNOTE;
    f->in_link = (parent->in_link && el != EL_FOOTNOTE) || el == EL_A;
    if (el == EL_PAGE) {
        handle_page(p, off, atts);
        return;
    }
    if (el == EL_STYLE) {
        handle_style(p, off, atts);
        return;
    }
    bool dir_set = false;
    if (!compute_style(p, off, el, parent, atts, &f->style, &f->font_explicit, &dir_set))
        return;
    /* Re-read parent: compute_style may not move frames, push_frame did. */
    parent = &p->frames[pi];
    const vq_style *s = &f->style;
    const el_info *info = &ELS[el];
    if (info->content == C_INLINE && info->place != P_INLINE)
        f->ic_owner = p->depth - 1; /* headings, p, caption own their run */
    else if (info->place == P_INLINE && el != EL_FOOTNOTE)
        f->ic_owner = ELS[parent->el].content == C_INLINE ? parent->ic_owner : pi;

    vq_node *n = NULL;
    vq_node_kind kind;
    switch (el) {
    case EL_HEADER:
    case EL_FOOTER: {
        bool first = false;
        const char *v = attr(atts, "first");
        if (v && !parse_bool(p, off, "first", v, &first))
            return;
        bool *seen = el == EL_HEADER ? &p->seen_header[first] : &p->seen_footer[first];
        if (*seen) {
            fail_at(p, off, "only one <%s%s> is allowed", info->name,
                    first ? " first=\"true\"" : "");
            return;
        }
        *seen = true;
        close_anon(parent);
        n = new_node(p, el == EL_HEADER ? VQ_NODE_HEADER : VQ_NODE_FOOTER, off, s);
        n->first_page = first;
        if (el == EL_HEADER)
            *(first ? &p->doc->first_header : &p->doc->header) = n;
        else
            *(first ? &p->doc->first_footer : &p->doc->footer) = n;
        break;
    }
    case EL_SECTION: {
        close_anon(parent);
        parent->anon_section = NULL;
        n = new_node(p, VQ_NODE_SECTION, off, s);
        const char *v = attr(atts, "columns");
        if (v && !vq_parse_int(v, 1, 6, &n->columns)) {
            fail_at(p, off, "columns=\"%s\": expected a whole number from 1 to 6", v);
            return;
        }
        vq_node_append(p->doc->root, n);
        break;
    }
    case EL_H1:
    case EL_H2:
    case EL_H3:
    case EL_H4:
    case EL_P:
    case EL_UL:
    case EL_OL:
    case EL_TABLE:
    case EL_FIGURE:
    case EL_HR:
    case EL_PAGE_BREAK:
    case EL_COLUMN_BREAK:
    case EL_BOX: {
        static const vq_node_kind kinds[] = {
            [EL_H1] = VQ_NODE_HEADING,
            [EL_H2] = VQ_NODE_HEADING,
            [EL_H3] = VQ_NODE_HEADING,
            [EL_H4] = VQ_NODE_HEADING,
            [EL_P] = VQ_NODE_PARAGRAPH,
            [EL_UL] = VQ_NODE_LIST,
            [EL_OL] = VQ_NODE_LIST,
            [EL_TABLE] = VQ_NODE_TABLE,
            [EL_FIGURE] = VQ_NODE_FIGURE,
            [EL_HR] = VQ_NODE_RULE,
            [EL_PAGE_BREAK] = VQ_NODE_PAGE_BREAK,
            [EL_COLUMN_BREAK] = VQ_NODE_COLUMN_BREAK,
            [EL_BOX] = VQ_NODE_BOX,
        };
        vq_node *bp = block_parent(p, parent, off);
        n = new_node(p, kinds[el], off, s);
        if (el >= EL_H1 && el <= EL_H4)
            n->level = (int)(el - EL_H1) + 1;
        if (el == EL_UL || el == EL_OL) {
            n->ordered = el == EL_OL;
            const char *v = attr(atts, "start");
            if (v && !vq_parse_int(v, -1000000, 1000000, &n->start)) {
                fail_at(p, off, "start=\"%s\": expected a whole number", v);
                return;
            }
        }
        if (el == EL_TABLE && !handle_table(p, off, f, n, atts))
            return;
        if (el == EL_FIGURE && !handle_figure(p, off, n, atts))
            return;
        vq_node_append(bp, n);
        break;
    }
    case EL_LI:
    case EL_TR:
    case EL_TH:
    case EL_TD:
    case EL_CAPTION: {
        kind = el == EL_LI        ? VQ_NODE_LIST_ITEM
               : el == EL_TR      ? VQ_NODE_TABLE_ROW
               : el == EL_CAPTION ? VQ_NODE_CAPTION
                                  : VQ_NODE_TABLE_CELL;
        n = new_node(p, kind, off, s);
        if (el == EL_TH || el == EL_TD) {
            n->header = el == EL_TH;
            const char *v;
            if ((v = attr(atts, "colspan")) && !vq_parse_int(v, 1, MAX_COLUMNS, &n->colspan)) {
                fail_at(p, off, "colspan=\"%s\": expected a whole number from 1 to %d", v,
                        MAX_COLUMNS);
                return;
            }
            if ((v = attr(atts, "valign"))) {
                static const char *const names[] = {"top", "middle", "bottom"};
                int e = enum_value(v, names, 3);
                if (e < 0) {
                    fail_enum(p, off, "valign", v, names, 3);
                    return;
                }
                n->valign = (vq_valign)e;
            }
        }
        if (el == EL_CAPTION)
            parent->captions++;
        vq_node_append(parent->node, n);
        break;
    }
    default: { /* inline */
        inline_ctx *ic;
        vq_node *ip = inline_parent(p, pi, off, &ic);
        if (el == EL_NUMBER || el == EL_DATE) {
            vq_buf out = VQ_BUF_INIT;
            bool ok = el == EL_NUMBER ? handle_number(p, off, s, atts, &out)
                                      : handle_date(p, off, s, atts, &out);
            if (ok) {
                vq_node *t = new_node(p, VQ_NODE_TEXT, off, s);
                if (dir_set) {
                    vq_buf wrapped = VQ_BUF_INIT;
                    vq_buf_printf(&wrapped, "%s%s%s", isolate_open(s->dir),
                                  out.data ? out.data : "", ISOLATE_CLOSE);
                    vq_buf_free(&out);
                    out = wrapped;
                }
                t->text = vq_arena_strndup(p->doc->arena, out.data ? out.data : "", out.len);
                t->style.text.digits = VQ_DIGITS_AS_WRITTEN; /* final text */
                vq_node_append(ip, t);
                t->id = id;
                ic->space = ic->start = false;
                ic->last_text = t;
            }
            vq_buf_free(&out);
            return;
        }
        if (el == EL_BR) {
            trim_trailing_space(ic);
            n = new_node(p, VQ_NODE_LINE_BREAK, off, s);
            vq_node_append(ip, n);
            ic->start = true;
            break;
        }
        kind = el == EL_A          ? VQ_NODE_LINK
               : el == EL_FOOTNOTE ? VQ_NODE_FOOTNOTE
               : (el == EL_PAGE_NUMBER || el == EL_PAGE_COUNT || el == EL_DOC_TITLE) ? VQ_NODE_FIELD
                                                                                     : VQ_NODE_SPAN;
        n = new_node(p, kind, off, s);
        if (el == EL_A) {
            const char *href = attr(atts, "href");
            if (!href || !*href) {
                fail_at(p, off, "<a> needs the attribute href");
                return;
            }
            n->href = vq_arena_strdup(p->doc->arena, href);
            if (href[0] == '#') {
                if (p->link_count == p->link_cap) {
                    p->link_cap = p->link_cap ? p->link_cap * 2 : 16;
                    p->links = vq_xrealloc(p->links, p->link_cap * sizeof *p->links);
                }
                p->links[p->link_count++] = n;
            }
        } else if (el == EL_FOOTNOTE) {
            if (!footnote_mark(p, off, atts, n))
                return;
            f->ic_owner = p->depth - 1;
        } else if (kind == VQ_NODE_FIELD) {
            n->field = el == EL_PAGE_NUMBER  ? VQ_FIELD_PAGE
                       : el == EL_PAGE_COUNT ? VQ_FIELD_PAGES
                                             : VQ_FIELD_TITLE;
        }
        vq_node_append(ip, n);
        if (dir_set && (kind == VQ_NODE_SPAN || kind == VQ_NODE_LINK)) {
            append_mark(p, n, off, isolate_open(s->dir));
            f->isolate = true;
        }
        if (el == EL_FOOTNOTE || kind == VQ_NODE_FIELD) {
            ic->space = ic->start = false;
            ic->last_text = NULL;
        }
        break;
    }
    }
    if (n)
        n->id = id;
    f->node = n;
}

static void on_end(void *user, const XML_Char *name)
{
    (void)name;
    parser *p = user;
    if (p->failed || p->depth == 0)
        return;
    flush_text(p);
    if (p->failed)
        return;
    int index = p->depth - 1;
    frame *f = &p->frames[index];
    const el_info *info = &ELS[f->el];
    if (info->content == C_BLOCKS)
        close_anon(f);
    if (f->isolate)
        append_mark(p, f->node, here(p), ISOLATE_CLOSE);
    if (f->el == EL_DOCUMENT)
        f->anon_section = NULL;
    /* An inline run ends: drop its trailing space. */
    if (f->node && f->ic_owner == index && info->content == C_INLINE)
        trim_trailing_space(&f->ic);
    if (f->el == EL_TABLE && f->node && !finish_table(p, f))
        return;
    if (f->node && is_block_el(f->el))
        resolve_dir(p, index);
    p->depth--;
}

static void on_text(void *user, const XML_Char *s, int len)
{
    parser *p = user;
    if (p->failed)
        return;
    if (p->pending.len == 0)
        p->pending_offset = here(p);
    vq_buf_append(&p->pending, s, (size_t)len);
}

static void on_doctype(void *user, const XML_Char *name, const XML_Char *sysid,
                       const XML_Char *pubid, int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    parser *p = user;
    /* Point at the "<!DOCTYPE" itself, not at its name. */
    size_t off = here(p);
    while (off > 0 && !(p->text[off] == '<' && p->text[off + 1] == '!'))
        off--;
    fail_at(p, off, "<!DOCTYPE> is not allowed in varaq markup");
}

static void on_entity(void *user, const XML_Char *name, int is_param, const XML_Char *value,
                      int value_length, const XML_Char *base, const XML_Char *system_id,
                      const XML_Char *public_id, const XML_Char *notation)
{
    (void)name, (void)is_param, (void)value, (void)value_length, (void)base, (void)system_id,
        (void)public_id, (void)notation;
    parser *p = user;
    if (!p->in_entities)
        fail_at(p, here(p), "entity declarations are not allowed in varaq markup");
}

/* HTML's character entities that people type out of habit, declared in a
 * built-in DTD so that &nbsp; and &zwnj; work as in HTML. Character
 * references only: nothing here can expand to markup. */
static const char HTML_ENTITIES[] =
    "<!ENTITY nbsp '&#160;'><!ENTITY zwnj '&#8204;'><!ENTITY zwj '&#8205;'>"
    "<!ENTITY lrm '&#8206;'><!ENTITY rlm '&#8207;'><!ENTITY shy '&#173;'>"
    "<!ENTITY ensp '&#8194;'><!ENTITY emsp '&#8195;'><!ENTITY thinsp '&#8201;'>"
    "<!ENTITY ndash '&#8211;'><!ENTITY mdash '&#8212;'><!ENTITY minus '&#8722;'>"
    "<!ENTITY hellip '&#8230;'><!ENTITY bull '&#8226;'><!ENTITY middot '&#183;'>"
    "<!ENTITY laquo '&#171;'><!ENTITY raquo '&#187;'><!ENTITY lsquo '&#8216;'>"
    "<!ENTITY rsquo '&#8217;'><!ENTITY ldquo '&#8220;'><!ENTITY rdquo '&#8221;'>"
    "<!ENTITY times '&#215;'><!ENTITY divide '&#247;'><!ENTITY plusmn '&#177;'>"
    "<!ENTITY deg '&#176;'><!ENTITY micro '&#181;'><!ENTITY le '&#8804;'>"
    "<!ENTITY ge '&#8805;'><!ENTITY ne '&#8800;'><!ENTITY asymp '&#8776;'>"
    "<!ENTITY larr '&#8592;'><!ENTITY rarr '&#8594;'><!ENTITY uarr '&#8593;'>"
    "<!ENTITY darr '&#8595;'><!ENTITY copy '&#169;'><!ENTITY reg '&#174;'>"
    "<!ENTITY trade '&#8482;'><!ENTITY sect '&#167;'><!ENTITY para '&#182;'>"
    "<!ENTITY dagger '&#8224;'><!ENTITY Dagger '&#8225;'><!ENTITY permil '&#8240;'>"
    "<!ENTITY alpha '&#945;'><!ENTITY beta '&#946;'><!ENTITY gamma '&#947;'>"
    "<!ENTITY delta '&#948;'><!ENTITY kappa '&#954;'><!ENTITY lambda '&#955;'>"
    "<!ENTITY mu '&#956;'><!ENTITY pi '&#960;'><!ENTITY sigma '&#963;'>";

/* The only external entity is the built-in DTD (expat asks for it with no
 * system id because of XML_UseForeignDTD). */
static int on_external(XML_Parser xml, const XML_Char *context, const XML_Char *base,
                       const XML_Char *system_id, const XML_Char *public_id)
{
    (void)base, (void)public_id;
    parser *p = XML_GetUserData(xml);
    if (system_id)
        return XML_STATUS_ERROR;
    XML_Parser sub = XML_ExternalEntityParserCreate(xml, context, NULL);
    if (!sub)
        return XML_STATUS_ERROR;
    p->in_entities = true;
    enum XML_Status st = XML_Parse(sub, HTML_ENTITIES, (int)sizeof HTML_ENTITIES - 1, XML_TRUE);
    p->in_entities = false;
    XML_ParserFree(sub);
    return st;
}

static void on_skipped(void *user, const XML_Char *name, int is_param)
{
    parser *p = user;
    fail_at(p, here(p), "undefined entity &%s%s", name, is_param ? "" : ";");
}

static void free_parser(parser *p)
{
    if (p->xml)
        XML_ParserFree(p->xml);
    free(p->frames);
    free(p->rules);
    free(p->ids);
    free(p->links);
    vq_buf_free(&p->pending);
}

vq_document *vq_markup_parse(const char *text, size_t len, const char *file,
                             const vq_source_map *map, const char *base_dir, vq_error *err)
{
    vq_error local;
    parser p = {0};
    p.text = text ? text : "";
    p.len = text ? len : 0;
    p.file = file;
    p.map = map;
    p.base_dir = base_dir;
    p.err = err ? err : &local;
    p.cur_line = p.cur_col = 1;
    vq_error_clear(p.err);
    if (len > (size_t)INT32_MAX) {
        vq_error_set(p.err, VQ_ERR_INPUT, file, 0, 0, "the markup is too large (over 2 GB)");
        return NULL;
    }
    p.doc = vq_document_create();
    vq_page_setup *pg = &p.doc->page;
    pg->width = 595.28;
    pg->height = 841.89;
    pg->margin_top = pg->margin_right = pg->margin_bottom = pg->margin_left = 20 * 72 / 25.4;
    pg->column_gap = 8 * 72 / 25.4;
    pg->header_offset = pg->footer_offset = 10 * 72 / 25.4;
    pg->first_number = 1;
    init_root_style(&p.doc->root->style);
    p.doc->lang = "fa";
    p.doc->dir = VQ_DIR_RTL;

    p.xml = XML_ParserCreate("UTF-8");
    if (!p.xml) {
        vq_error_set(p.err, VQ_ERR_NOMEM, file, 0, 0, "cannot create the XML parser");
        vq_document_destroy(p.doc);
        return NULL;
    }
    XML_SetUserData(p.xml, &p);
    XML_SetElementHandler(p.xml, on_start, on_end);
    XML_SetCharacterDataHandler(p.xml, on_text);
    XML_SetStartDoctypeDeclHandler(p.xml, on_doctype);
    XML_SetEntityDeclHandler(p.xml, on_entity);
    XML_SetExternalEntityRefHandler(p.xml, on_external);
    XML_SetSkippedEntityHandler(p.xml, on_skipped);
    XML_SetParamEntityParsing(p.xml, XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE);
    XML_UseForeignDTD(p.xml, XML_TRUE);

    enum XML_Status st = XML_Parse(p.xml, p.text, (int)p.len, XML_TRUE);
    if (st != XML_STATUS_OK && !p.failed) {
        size_t off = here(&p);
        const char *where;
        int line, col;
        locate(&p, off, &where, &line, &col);
        enum XML_Error code = XML_GetErrorCode(p.xml);
        if (code == XML_ERROR_TAG_MISMATCH && p.depth > 0) {
            /* Say which element is still open, and where it began. */
            const frame *open = &p.frames[p.depth - 1];
            const char *ofile;
            int oline, ocol;
            locate(&p, open->offset, &ofile, &oline, &ocol);
            locate(&p, off, &where, &line, &col);
            vq_error_set(p.err, VQ_ERR_INPUT, where, line, col,
                         "mismatched tag: expected </%s> to close <%s> from line %d",
                         ELS[open->el].name, ELS[open->el].name, oline);
        } else {
            vq_error_set(p.err, VQ_ERR_INPUT, where, line, col, "%s", XML_ErrorString(code));
        }
        p.failed = true;
    }
    for (size_t i = 0; !p.failed && i < p.link_count; i++) {
        vq_node *a = p.links[i];
        if (!id_known(&p, a->href + 1)) {
            p.failed = true;
            vq_error_set(p.err, VQ_ERR_INPUT, a->loc.file, a->loc.line, a->loc.column,
                         "href=\"%s\": no element has id=\"%s\"", a->href, a->href + 1);
        }
    }
    free_parser(&p);
    if (p.failed) {
        vq_document_destroy(p.doc);
        return NULL;
    }
    return p.doc;
}
