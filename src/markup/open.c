/* The element openers: one function per kind of element, called through
 * the element table (mk_els[el].open) once the start tag passed its checks
 * and the element's frame holds its computed style. Each builds the node,
 * reads the element's own attributes and puts the node in the tree. */
#include "markup/parser.h"

/* An attribute in error is left out and the element built without it;
 * an opener returns false only when the element itself cannot stand
 * there (markup.c then leaves it out, with all it holds). */

bool mk_open_page(parser *p, const opening *o, vq_node **node)
{
    (void)node;
    mk_handle_page(p, o->off, o->atts);
    return true;
}

bool mk_open_style(parser *p, const opening *o, vq_node **node)
{
    (void)node;
    mk_handle_style(p, o->off, o->atts);
    return true;
}

/* <header>/<footer>: the document's (one of each, and one of each with
 * first="true"), or a section's own. */
bool mk_open_running(parser *p, const opening *o, vq_node **node)
{
    const char *name = mk_els[o->el].name;
    bool header = o->el == EL_HEADER, first = false;
    const char *v = mk_attr(o->atts, "first");
    if (v)
        mk_parse_bool(p, o->off, "first", v, &first);
    vq_node **slot;
    if (o->parent->el == EL_SECTION) {
        if (first) {
            mk_fail_at(p, o->off, "first=\"true\" is only for the <%s> of <document>", name);
            first = false;
        }
        vq_node *sec = o->parent->node;
        slot = header ? &sec->section_header : &sec->section_footer;
        if (*slot) {
            mk_fail_at(p, o->off, "only one <%s> is allowed in a <section>", name);
            return false;
        }
    } else {
        bool *seen = header ? &p->seen_header[first] : &p->seen_footer[first];
        if (*seen) {
            mk_fail_at(p, o->off, "only one <%s%s> is allowed", name,
                       first ? " first=\"true\"" : "");
            return false;
        }
        *seen = true;
        if (header)
            slot = first ? &p->doc->first_header : &p->doc->header;
        else
            slot = first ? &p->doc->first_footer : &p->doc->footer;
    }
    mk_close_anon(o->parent);
    vq_node *n = mk_new_node(p, mk_els[o->el].kind, o->off, &o->f->style);
    n->first_page = first;
    *slot = n;
    *node = n;
    return true;
}

bool mk_open_section(parser *p, const opening *o, vq_node **node)
{
    mk_close_anon(o->parent);
    o->parent->anon_section = NULL;
    vq_node *n = mk_new_node(p, VQ_NODE_SECTION, o->off, &o->f->style);
    const char *v = mk_attr(o->atts, "columns");
    if (v && !vq_parse_int(v, 1, 6, &n->columns))
        mk_fail_at(p, o->off, "columns=\"%s\": expected a whole number from 1 to 6", v);
    vq_node_append(p->doc->root, n);
    *node = n;
    return true;
}

/* A block's node, and where it goes (*where: appended there once the
 * element's attributes are read). */
static vq_node *new_block(parser *p, const opening *o, vq_node **where)
{
    *where = mk_block_parent(p, o->parent, o->off);
    return mk_new_node(p, mk_els[o->el].kind, o->off, &o->f->style);
}

static bool place_block(vq_node *where, vq_node *n, vq_node **node)
{
    vq_node_append(where, n);
    *node = n;
    return true;
}

/* Headings, paragraphs, rules, breaks and boxes. */
bool mk_open_block(parser *p, const opening *o, vq_node **node)
{
    vq_node *where, *n = new_block(p, o, &where);
    if (n->kind == VQ_NODE_HEADING)
        n->level = (int)(o->el - EL_H1) + 1;
    return place_block(where, n, node);
}

bool mk_open_list(parser *p, const opening *o, vq_node **node)
{
    vq_node *where, *n = new_block(p, o, &where);
    n->ordered = o->el == EL_OL;
    const char *v = mk_attr(o->atts, "start");
    if (v && !vq_parse_int(v, -1000000, 1000000, &n->start))
        mk_fail_at(p, o->off, "start=\"%s\": expected a whole number", v);
    return place_block(where, n, node);
}

bool mk_open_table(parser *p, const opening *o, vq_node **node)
{
    vq_node *where, *n = new_block(p, o, &where);
    mk_handle_table(p, o->off, o->f, n, o->atts);
    /* No dir on the table or above it: its columns follow its cells'
     * text (layout/table.c). */
    n->columns_auto = !o->f->dir_explicit;
    return place_block(where, n, node);
}

bool mk_open_figure(parser *p, const opening *o, vq_node **node)
{
    vq_node *where, *n = new_block(p, o, &where);
    mk_handle_figure(p, o->off, n, o->atts);
    return place_block(where, n, node);
}

bool mk_open_qr(parser *p, const opening *o, vq_node **node)
{
    vq_node *where, *n = new_block(p, o, &where);
    mk_handle_qr(p, o->off, n, o->atts);
    return place_block(where, n, node);
}

/* The parts of lists, tables and figures: <li>, <tr>, <caption>. */
bool mk_open_part(parser *p, const opening *o, vq_node **node)
{
    vq_node *n = mk_new_node(p, mk_els[o->el].kind, o->off, &o->f->style);
    if (o->el == EL_CAPTION)
        o->parent->captions++;
    vq_node_append(o->parent->node, n);
    *node = n;
    return true;
}

bool mk_open_cell(parser *p, const opening *o, vq_node **node)
{
    vq_node *n = mk_new_node(p, VQ_NODE_TABLE_CELL, o->off, &o->f->style);
    for (int k = p->depth - 1; k >= 0; k--)
        if (p->frames[k].el == EL_TABLE) {
            if (++p->frames[k].cells > MAX_TABLE_CELLS) {
                mk_fail_at(p, o->off, "a table holds more than %d cells; split it",
                           MAX_TABLE_CELLS);
                mk_stop(p); /* a limit: what follows is not read */
                return false;
            }
            break;
        }
    n->header = o->el == EL_TH;
    const char *v;
    if ((v = mk_attr(o->atts, "colspan")) && !vq_parse_int(v, 1, MAX_COLUMNS, &n->colspan))
        mk_fail_at(p, o->off, "colspan=\"%s\": expected a whole number from 1 to %d", v,
                   MAX_COLUMNS);
    if ((v = mk_attr(o->atts, "valign"))) {
        static const char *const names[] = {"top", "middle", "bottom"};
        int e = mk_enum_value(v, names, 3);
        if (e < 0)
            mk_fail_enum(p, o->off, "valign", v, names, 3);
        else
            n->valign = (vq_valign)e;
    }
    vq_node_append(o->parent->node, n);
    *node = n;
    return true;
}

/* <number> and <date>: their formatted text, isolated when they set dir,
 * joins the inline run as text (so they make no node of their own). */
bool mk_open_format(parser *p, const opening *o, vq_node **node)
{
    (void)node;
    inline_ctx *ic;
    vq_node *ip = mk_inline_parent(p, o->pi, o->off, &ic);
    const vq_style *s = &o->f->style;
    vq_buf out = VQ_BUF_INIT;
    bool ok = o->el == EL_NUMBER ? mk_handle_number(p, o->off, s, o->atts, &out)
                                 : mk_handle_date(p, o->off, s, o->atts, &out);
    if (ok) {
        vq_node *t = mk_new_node(p, VQ_NODE_TEXT, o->off, s);
        if (o->dir_set) {
            vq_buf wrapped = VQ_BUF_INIT;
            vq_buf_printf(&wrapped, "%s%s%s", mk_isolate_open(s->dir), out.data ? out.data : "",
                          mk_isolate_close);
            vq_buf_free(&out);
            out = wrapped;
        }
        char *bytes = vq_arena_strndup(p->doc->arena, out.data ? out.data : "", out.len);
        t->text = bytes;
        t->style.text.digits = VQ_DIGITS_AS_WRITTEN; /* final text */
        vq_node_append(ip, t);
        t->id = o->id;
        ic->space = ic->start = false;
        ic->last_text = t;
        ic->last_bytes = bytes;
    }
    vq_buf_free(&out);
    return true;
}

bool mk_open_br(parser *p, const opening *o, vq_node **node)
{
    inline_ctx *ic;
    vq_node *ip = mk_inline_parent(p, o->pi, o->off, &ic);
    mk_trim_trailing_space(ic);
    vq_node *n = mk_new_node(p, VQ_NODE_LINE_BREAK, o->off, &o->f->style);
    vq_node_append(ip, n);
    ic->start = true;
    *node = n;
    return true;
}

/* An inline element's node, made where its inline content goes. */
static vq_node *new_inline(parser *p, const opening *o, vq_node **where, inline_ctx **ic)
{
    *where = mk_inline_parent(p, o->pi, o->off, ic);
    return mk_new_node(p, mk_els[o->el].kind, o->off, &o->f->style);
}

/* Puts an inline element's node in its run. A span or link with its own
 * dir isolates its content; a footnote or field ends the run's spacing. */
static bool place_inline(parser *p, const opening *o, vq_node *where, inline_ctx *ic, vq_node *n,
                         vq_node **node)
{
    vq_node_append(where, n);
    if (o->dir_set && (n->kind == VQ_NODE_SPAN || n->kind == VQ_NODE_LINK)) {
        mk_append_mark(p, n, o->off, mk_isolate_open(o->f->style.dir));
        o->f->isolate = true;
    }
    if (n->kind == VQ_NODE_FOOTNOTE || n->kind == VQ_NODE_FIELD) {
        ic->space = ic->start = false;
        ic->last_text = NULL;
        ic->last_bytes = NULL;
    }
    *node = n;
    return true;
}

/* <b>, <strong>, <i>, <em>, <sup>, <sub>, <span>. */
bool mk_open_span(parser *p, const opening *o, vq_node **node)
{
    inline_ctx *ic;
    vq_node *where, *n = new_inline(p, o, &where, &ic);
    return place_inline(p, o, where, ic, n, node);
}

bool mk_open_link(parser *p, const opening *o, vq_node **node)
{
    inline_ctx *ic;
    vq_node *where, *n = new_inline(p, o, &where, &ic);
    const char *href = mk_attr(o->atts, "href");
    if (!href || !*href)
        mk_fail_at(p, o->off, "<a> needs the attribute href");
    else
        n->href = vq_arena_strdup(p->doc->arena, href);
    if (n->href && href[0] == '#') {
        /* Checked once every id is known (markup.c). */
        if (p->link_count == p->link_cap) {
            p->link_cap = p->link_cap ? p->link_cap * 2 : 16;
            p->links = vq_xrealloc(p->links, p->link_cap * sizeof *p->links);
        }
        p->links[p->link_count++] = n;
    }
    return place_inline(p, o, where, ic, n, node);
}

bool mk_open_footnote(parser *p, const opening *o, vq_node **node)
{
    inline_ctx *ic;
    vq_node *where, *n = new_inline(p, o, &where, &ic);
    mk_footnote_mark(p, o->off, o->atts, n);
    o->f->ic_owner = p->depth - 1; /* the note is a run of its own */
    return place_inline(p, o, where, ic, n, node);
}

/* <page-number>, <page-count>, <last-page-number>, <doc-title>: filled
 * per page by layout. */
bool mk_open_field(parser *p, const opening *o, vq_node **node)
{
    inline_ctx *ic;
    vq_node *where, *n = new_inline(p, o, &where, &ic);
    n->field = o->el == EL_PAGE_NUMBER  ? VQ_FIELD_PAGE
               : o->el == EL_PAGE_COUNT ? VQ_FIELD_PAGES
               : o->el == EL_LAST_PAGE  ? VQ_FIELD_LAST_PAGE
                                        : VQ_FIELD_TITLE;
    return place_inline(p, o, where, ic, n, node);
}
