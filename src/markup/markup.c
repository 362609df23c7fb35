/* The markup parser: expat events → the document tree, with every node's
 * style computed as it is opened (inheritance, element defaults, <style>
 * rules, classes, attributes), whitespace collapsed as HTML does, and every
 * error located in the template through the source map. This file drives
 * expat; the parser's pieces are in elements.c (what may go where),
 * style.c (computed styles), tree.c (nodes, text and whitespace),
 * attributes.c (element-specific attributes) and mk_locate.c (errors). */
#include "markup/markup.h"
#include "markup/parser.h"

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
        if (mk_is_style_attr(atts[i]) && strcmp(atts[i], "class") &&
            !mk_apply_style_attr(p, off, &w, atts[i], atts[i + 1]))
            return false;
    if (mk_attr(atts, "class")) {
        mk_fail_at(p, off, "class= cannot be used on <document> (no style is defined yet)");
        return false;
    }
    if (w.lh_is_length)
        w.s.line_height = w.lh_length / w.s.text.size;
    if (!(w.set & SET_DIR) || w.s.dir == VQ_DIR_AUTO)
        w.s.dir = vq_lang_is_rtl(w.s.text.lang) ? VQ_DIR_RTL : VQ_DIR_LTR;
    f->font_explicit = w.set & SET_FONT;
    f->dir_explicit = false; /* the document's dir is the pages', not its paragraphs' */
    f->own_set = w.set;
    if (!f->font_explicit)
        w.s.text.family = vq_lang_default_font(w.s.text.lang);
    /* The document's own box properties stay: nothing draws them. */
    f->style = w.s;
    f->node = doc->root;
    doc->root->style = w.s;
    doc->root->loc = mk_node_loc(p, off);
    doc->lang = w.s.text.lang;
    doc->dir = w.s.dir;
    const char *v;
    if ((v = mk_attr(atts, "title")))
        doc->title = vq_arena_strdup(doc->arena, v);
    if ((v = mk_attr(atts, "author")))
        doc->author = vq_arena_strdup(doc->arena, v);
    if ((v = mk_attr(atts, "subject")))
        doc->subject = vq_arena_strdup(doc->arena, v);
    if ((v = mk_attr(atts, "keywords")))
        doc->keywords = vq_arena_strdup(doc->arena, v);
    return true;
}

static void on_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    parser *p = user;
    if (p->failed)
        return;
    mk_flush_text(p);
    if (p->failed)
        return;
    size_t off = mk_here(p);
    p->tag_off = off;
    el_id el = mk_element_id(name);
    if (el == EL_COUNT) {
        mk_fail_unknown_element(p, off, name, "");
        return;
    }
    if (p->depth >= MAX_DEPTH) {
        mk_fail_at(p, off, "elements nested too deeply (more than %d levels)", MAX_DEPTH);
        return;
    }
    int pi = p->depth - 1;
    if (!mk_check_place(p, off, el, pi) || !mk_check_attributes(p, off, el, atts))
        return;
    const char *id = mk_attr(atts, "id");
    if (id) {
        if (!*id || strpbrk(id, " \t\r\n")) {
            mk_fail_at(p, off, "id=\"%s\": expected one word", id);
            return;
        }
        const char *copy = vq_arena_strdup(p->doc->arena, id);
        if (!mk_id_add(p, copy)) {
            mk_fail_at(p, off, "id=\"%s\" is used twice", id);
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
        mk_handle_page(p, off, atts);
        return;
    }
    if (el == EL_STYLE) {
        mk_handle_style(p, off, atts);
        return;
    }
    bool dir_set = false;
    unsigned own_set = 0;
    if (!mk_compute_style(p, off, el, parent, atts, &f->style, &f->font_explicit, &dir_set,
                          &own_set))
        return;
    f->own_set = own_set;
    f->dir_explicit = parent->dir_explicit || dir_set;
    /* A paragraph or heading of a section that sets no direction takes its
     * own from its text (and with it its language, font and digits:
     * mk_resolve_dir), so a Persian paragraph in an English section is
     * still right to left. */
    if ((el == EL_P || (el >= EL_H1 && el <= EL_H4)) && !f->dir_explicit && !(own_set & SET_LANG))
        f->style.dir = VQ_DIR_AUTO;
    /* Re-read parent: mk_compute_style may not move frames, push_frame did. */
    parent = &p->frames[pi];
    const vq_style *s = &f->style;
    const el_info *info = &mk_els[el];
    if (info->content == C_INLINE && info->place != P_INLINE)
        f->ic_owner = p->depth - 1; /* headings, p, caption own their run */
    else if (info->place == P_INLINE && el != EL_FOOTNOTE)
        f->ic_owner = mk_els[parent->el].content == C_INLINE ? parent->ic_owner : pi;

    vq_node *n = NULL;
    vq_node_kind kind;
    switch (el) {
    case EL_HEADER:
    case EL_FOOTER: {
        bool first = false;
        const char *v = mk_attr(atts, "first");
        if (v && !mk_parse_bool(p, off, "first", v, &first))
            return;
        if (parent->el == EL_SECTION) {
            if (first) {
                mk_fail_at(p, off, "first=\"true\" is only for the <%s> of <document>", info->name);
                return;
            }
            vq_node *sec = parent->node;
            vq_node **slot = el == EL_HEADER ? &sec->section_header : &sec->section_footer;
            if (*slot) {
                mk_fail_at(p, off, "only one <%s> is allowed in a <section>", info->name);
                return;
            }
            mk_close_anon(parent);
            n = mk_new_node(p, el == EL_HEADER ? VQ_NODE_HEADER : VQ_NODE_FOOTER, off, s);
            *slot = n;
            break;
        }
        bool *seen = el == EL_HEADER ? &p->seen_header[first] : &p->seen_footer[first];
        if (*seen) {
            mk_fail_at(p, off, "only one <%s%s> is allowed", info->name,
                       first ? " first=\"true\"" : "");
            return;
        }
        *seen = true;
        mk_close_anon(parent);
        n = mk_new_node(p, el == EL_HEADER ? VQ_NODE_HEADER : VQ_NODE_FOOTER, off, s);
        n->first_page = first;
        if (el == EL_HEADER)
            *(first ? &p->doc->first_header : &p->doc->header) = n;
        else
            *(first ? &p->doc->first_footer : &p->doc->footer) = n;
        break;
    }
    case EL_SECTION: {
        mk_close_anon(parent);
        parent->anon_section = NULL;
        n = mk_new_node(p, VQ_NODE_SECTION, off, s);
        const char *v = mk_attr(atts, "columns");
        if (v && !vq_parse_int(v, 1, 6, &n->columns)) {
            mk_fail_at(p, off, "columns=\"%s\": expected a whole number from 1 to 6", v);
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
    case EL_QR:
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
            [EL_QR] = VQ_NODE_FIGURE,
            [EL_HR] = VQ_NODE_RULE,
            [EL_PAGE_BREAK] = VQ_NODE_PAGE_BREAK,
            [EL_COLUMN_BREAK] = VQ_NODE_COLUMN_BREAK,
            [EL_BOX] = VQ_NODE_BOX,
        };
        vq_node *bp = mk_block_parent(p, parent, off);
        n = mk_new_node(p, kinds[el], off, s);
        if (el >= EL_H1 && el <= EL_H4)
            n->level = (int)(el - EL_H1) + 1;
        if (el == EL_UL || el == EL_OL) {
            n->ordered = el == EL_OL;
            const char *v = mk_attr(atts, "start");
            if (v && !vq_parse_int(v, -1000000, 1000000, &n->start)) {
                mk_fail_at(p, off, "start=\"%s\": expected a whole number", v);
                return;
            }
        }
        if (el == EL_TABLE && !mk_handle_table(p, off, f, n, atts))
            return;
        /* No dir on the table or above it: its columns follow its cells'
         * text (layout/table.c). */
        if (el == EL_TABLE)
            n->columns_auto = !f->dir_explicit;
        if (el == EL_FIGURE && !mk_handle_figure(p, off, n, atts))
            return;
        if (el == EL_QR && !mk_handle_qr(p, off, n, atts))
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
        n = mk_new_node(p, kind, off, s);
        if (el == EL_TH || el == EL_TD) {
            for (int k = p->depth - 1; k >= 0; k--)
                if (p->frames[k].el == EL_TABLE) {
                    if (++p->frames[k].cells > MAX_TABLE_CELLS) {
                        mk_fail_at(p, off, "a table holds more than %d cells; split it",
                                   MAX_TABLE_CELLS);
                        return;
                    }
                    break;
                }
            n->header = el == EL_TH;
            const char *v;
            if ((v = mk_attr(atts, "colspan")) && !vq_parse_int(v, 1, MAX_COLUMNS, &n->colspan)) {
                mk_fail_at(p, off, "colspan=\"%s\": expected a whole number from 1 to %d", v,
                           MAX_COLUMNS);
                return;
            }
            if ((v = mk_attr(atts, "valign"))) {
                static const char *const names[] = {"top", "middle", "bottom"};
                int e = mk_enum_value(v, names, 3);
                if (e < 0) {
                    mk_fail_enum(p, off, "valign", v, names, 3);
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
        vq_node *ip = mk_inline_parent(p, pi, off, &ic);
        if (el == EL_NUMBER || el == EL_DATE) {
            vq_buf out = VQ_BUF_INIT;
            bool ok = el == EL_NUMBER ? mk_handle_number(p, off, s, atts, &out)
                                      : mk_handle_date(p, off, s, atts, &out);
            if (ok) {
                vq_node *t = mk_new_node(p, VQ_NODE_TEXT, off, s);
                if (dir_set) {
                    vq_buf wrapped = VQ_BUF_INIT;
                    vq_buf_printf(&wrapped, "%s%s%s", mk_isolate_open(s->dir),
                                  out.data ? out.data : "", mk_isolate_close);
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
            mk_trim_trailing_space(ic);
            n = mk_new_node(p, VQ_NODE_LINE_BREAK, off, s);
            vq_node_append(ip, n);
            ic->start = true;
            break;
        }
        kind = el == EL_A          ? VQ_NODE_LINK
               : el == EL_FOOTNOTE ? VQ_NODE_FOOTNOTE
               : (el == EL_PAGE_NUMBER || el == EL_PAGE_COUNT || el == EL_DOC_TITLE ||
                  el == EL_LAST_PAGE)
                   ? VQ_NODE_FIELD
                   : VQ_NODE_SPAN;
        n = mk_new_node(p, kind, off, s);
        if (el == EL_A) {
            const char *href = mk_attr(atts, "href");
            if (!href || !*href) {
                mk_fail_at(p, off, "<a> needs the attribute href");
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
            if (!mk_footnote_mark(p, off, atts, n))
                return;
            f->ic_owner = p->depth - 1;
        } else if (kind == VQ_NODE_FIELD) {
            n->field = el == EL_PAGE_NUMBER  ? VQ_FIELD_PAGE
                       : el == EL_PAGE_COUNT ? VQ_FIELD_PAGES
                       : el == EL_LAST_PAGE  ? VQ_FIELD_LAST_PAGE
                                             : VQ_FIELD_TITLE;
        }
        vq_node_append(ip, n);
        if (dir_set && (kind == VQ_NODE_SPAN || kind == VQ_NODE_LINK)) {
            mk_append_mark(p, n, off, mk_isolate_open(s->dir));
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
    mk_flush_text(p);
    if (p->failed)
        return;
    int index = p->depth - 1;
    frame *f = &p->frames[index];
    const el_info *info = &mk_els[f->el];
    if (info->content == C_BLOCKS)
        mk_close_anon(f);
    if (f->isolate)
        mk_append_mark(p, f->node, mk_here(p), mk_isolate_close);
    if (f->el == EL_DOCUMENT)
        f->anon_section = NULL;
    /* An inline run ends: drop its trailing space. */
    if (f->node && f->ic_owner == index && info->content == C_INLINE)
        mk_trim_trailing_space(&f->ic);
    if (f->el == EL_TABLE && f->node && !mk_finish_table(p, f))
        return;
    if (f->node && mk_is_block_el(f->el))
        mk_resolve_dir(p, index);
    p->depth--;
}

static void on_text(void *user, const XML_Char *s, int len)
{
    parser *p = user;
    if (p->failed)
        return;
    if (p->pending.len == 0)
        p->pending_offset = mk_here(p);
    vq_buf_append(&p->pending, s, (size_t)len);
}

static void on_doctype(void *user, const XML_Char *name, const XML_Char *sysid,
                       const XML_Char *pubid, int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    parser *p = user;
    /* Point at the "<!DOCTYPE" itself, not at its name. */
    size_t off = mk_here(p);
    while (off > 0 && !(p->text[off] == '<' && p->text[off + 1] == '!'))
        off--;
    mk_fail_at(p, off, "<!DOCTYPE> is not allowed in varaq markup");
}

static void on_entity(void *user, const XML_Char *name, int is_param, const XML_Char *value,
                      int value_length, const XML_Char *base, const XML_Char *system_id,
                      const XML_Char *public_id, const XML_Char *notation)
{
    (void)name, (void)is_param, (void)value, (void)value_length, (void)base, (void)system_id,
        (void)public_id, (void)notation;
    parser *p = user;
    if (!p->in_entities)
        mk_fail_at(p, mk_here(p), "entity declarations are not allowed in varaq markup");
}

/* HTML's character entities that people type out of habit, declared in a
 * built-in DTD so that &nbsp; and &zwnj; work as in HTML. Character
 * references only: nothing mk_here can expand to markup. */
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
    mk_fail_at(p, mk_here(p), "undefined entity &%s%s", name, is_param ? "" : ";");
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
    vq_markup_options o = {.base_dir = base_dir};
    return vq_markup_parse_opts(text, len, file, map, &o, err);
}

static vq_document *parse(const char *text, size_t len, const char *file, const vq_source_map *map,
                          const vq_markup_options *opts, const vq_roots *roots, vq_error *err);

vq_document *vq_markup_parse_opts(const char *text, size_t len, const char *file,
                                  const vq_source_map *map, const vq_markup_options *opts,
                                  vq_error *err)
{
    vq_roots own = {0};
    if (!opts->roots)
        vq_roots_add(&own, opts->base_dir);
    vq_document *doc = parse(text, len, file, map, opts, opts->roots ? opts->roots : &own, err);
    vq_roots_free(&own);
    return doc;
}

static vq_document *parse(const char *text, size_t len, const char *file, const vq_source_map *map,
                          const vq_markup_options *opts, const vq_roots *roots, vq_error *err)
{
    vq_error local;
    parser p = {0};
    p.text = text ? text : "";
    p.len = text ? len : 0;
    p.file = file;
    p.map = map;
    p.base_dir = opts->base_dir;
    p.max_pixels = opts->max_pixels;
    p.roots = roots;
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

    /* expat allocates through varaq, so running out of memory inside it
     * is handled as anywhere else (base/alloc.h): never NULL here. */
    static const XML_Memory_Handling_Suite memory = {vq_xmalloc, vq_xrealloc, vq_free};
    p.xml = XML_ParserCreate_MM("UTF-8", &memory, NULL);
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
        size_t off = mk_here(&p);
        const char *where;
        int line, col;
        mk_locate(&p, off, &where, &line, &col);
        enum XML_Error code = XML_GetErrorCode(p.xml);
        if (code == XML_ERROR_TAG_MISMATCH && p.depth > 0) {
            /* Say which element is still open, and where it began. */
            const frame *open = &p.frames[p.depth - 1];
            const char *ofile;
            int oline, ocol;
            mk_locate(&p, open->offset, &ofile, &oline, &ocol);
            mk_locate(&p, off, &where, &line, &col);
            vq_error_set(p.err, VQ_ERR_INPUT, where, line, col,
                         "mismatched tag: expected </%s> to close <%s> from line %d",
                         mk_els[open->el].name, mk_els[open->el].name, oline);
        } else {
            vq_error_set(p.err, VQ_ERR_INPUT, where, line, col, "%s", XML_ErrorString(code));
        }
        p.failed = true;
    }
    for (size_t i = 0; !p.failed && i < p.link_count; i++) {
        vq_node *a = p.links[i];
        if (!mk_id_known(&p, a->href + 1)) {
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
