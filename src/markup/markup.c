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

/* <document>: the root style from its attributes alone (no <style> can
 * come before it), and the document's metadata. */
bool mk_open_document(parser *p, const opening *o, vq_node **node)
{
    vq_document *doc = p->doc;
    const char **atts = o->atts;
    frame *f = o->f;
    frame base = {0};
    init_root_style(&base.style);
    style_work w = {0};
    w.s = base.style;
    w.parent_size = 11;
    for (int i = 0; atts[i]; i += 2)
        if (mk_is_style_attr(atts[i]))
            mk_apply_style_attr(p, o->off, &w, atts[i], atts[i + 1]);
    if (mk_attr(atts, "class"))
        mk_fail_at(p, o->off, "class= cannot be used on <document> (no style is defined yet)");
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
    doc->root->style = w.s;
    doc->root->loc = mk_node_loc(p, o->off);
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
    *node = doc->root;
    return true;
}

/* The checks of a start tag before anything is built: a known element,
 * not too deep, in a place it may stand (false: it is left out, with all
 * it holds), with attributes it takes and an id used once (an attribute in
 * error is left out; *id: its arena copy, or NULL). */
static bool check_start(parser *p, size_t off, el_id el, const char *name, const char **atts,
                        const char **id)
{
    if (el == EL_COUNT) {
        mk_fail_unknown_element(p, off, name, "");
        return false;
    }
    if (p->depth >= MAX_DEPTH) {
        mk_fail_at(p, off, "elements nested too deeply (more than %d levels)", MAX_DEPTH);
        return false;
    }
    if (!mk_check_place(p, off, el, p->depth - 1))
        return false;
    mk_check_attributes(p, off, el, atts);
    const char *v = mk_attr(atts, "id");
    *id = NULL;
    if (!v)
        return true;
    if (!*v || strpbrk(v, " \t\r\n")) {
        mk_fail_at(p, off, "id=\"%s\": expected one word", v);
        return true;
    }
    const char *copy = vq_arena_strdup(p->doc->arena, v);
    if (!mk_id_add(p, copy))
        mk_fail_at(p, off, "id=\"%s\" is used twice", v);
    else
        *id = copy;
    return true;
}

/* A styled element's frame: its computed style, its direction, and whose
 * inline run its content joins. */
static void style_frame(parser *p, opening *o)
{
    frame *f = o->f, *parent = o->parent;
    el_id el = o->el;
    f->in_running = parent->in_running || el == EL_HEADER || el == EL_FOOTER;
    f->in_footnote = parent->in_footnote || el == EL_FOOTNOTE;
    f->in_link = (parent->in_link && el != EL_FOOTNOTE) || el == EL_A;
    if (!mk_els[el].styled)
        return;
    unsigned own_set = 0;
    mk_compute_style(p, o->off, el, parent, o->atts, &f->style, &f->font_explicit, &o->dir_set,
                     &own_set);
    f->own_set = own_set;
    f->dir_explicit = parent->dir_explicit || o->dir_set;
    /* A paragraph or heading of a section that sets no direction takes its
     * own from its text (and with it its language, font and digits:
     * mk_resolve_dir), so a Persian paragraph in an English section is
     * still right to left. */
    if ((el == EL_P || (el >= EL_H1 && el <= EL_H4)) && !f->dir_explicit && !(own_set & SET_LANG))
        f->style.dir = VQ_DIR_AUTO;
    const el_info *info = &mk_els[el];
    if (info->content == C_INLINE && info->place != P_INLINE)
        f->ic_owner = p->depth - 1; /* headings, p, caption own their run */
    else if (info->place == P_INLINE && el != EL_FOOTNOTE)
        f->ic_owner = mk_els[parent->el].content == C_INLINE ? parent->ic_owner : o->pi;
}

/* The element whose start tag is at off, built, or left out with all it
 * holds when it cannot stand there. */
static void open_element(parser *p, size_t off, el_id el, const char *name, const char **atts)
{
    const char *id = NULL;
    if (!check_start(p, off, el, name, atts, &id)) {
        p->skip = 1;
        return;
    }
    opening o = {.el = el, .off = off, .atts = atts, .id = id, .pi = p->depth - 1};
    o.f = push_frame(p, el, off);
    /* After the push: frames may have moved. */
    o.parent = o.pi >= 0 ? &p->frames[o.pi] : NULL;
    if (o.parent)
        style_frame(p, &o);
    vq_node *n = NULL;
    if (!mk_els[el].open(p, &o, &n)) {
        p->depth--;
        p->skip = 1;
        return;
    }
    if (n)
        n->id = id;
    o.f->node = n;
}

static void on_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    parser *p = user;
    if (p->stopped)
        return;
    if (p->skip) {
        p->skip++; /* inside an element left out */
        return;
    }
    mk_flush_text(p);
    if (p->stopped)
        return;
    size_t off = mk_here(p);
    p->tag_off = off;
    int errors = p->error_count;
    open_element(p, off, mk_element_id(name), name, atts);
    mk_sort_errors(p, errors);
}

static void on_end(void *user, const XML_Char *name)
{
    (void)name;
    parser *p = user;
    if (p->stopped)
        return;
    if (p->skip) {
        p->skip--;
        return;
    }
    if (p->depth == 0)
        return;
    mk_flush_text(p);
    if (p->stopped)
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
    if (f->el == EL_TABLE && f->node)
        mk_finish_table(p, f);
    if (f->node && mk_is_block_el(f->el))
        mk_resolve_dir(p, index);
    p->depth--;
}

static void on_text(void *user, const XML_Char *s, int len)
{
    parser *p = user;
    if (p->stopped || p->skip)
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
    mk_stop(p); /* its declarations could change what follows */
}

static void on_entity(void *user, const XML_Char *name, int is_param, const XML_Char *value,
                      int value_length, const XML_Char *base, const XML_Char *system_id,
                      const XML_Char *public_id, const XML_Char *notation)
{
    (void)name, (void)is_param, (void)value, (void)value_length, (void)base, (void)system_id,
        (void)public_id, (void)notation;
    parser *p = user;
    if (!p->in_entities) {
        mk_fail_at(p, mk_here(p), "entity declarations are not allowed in varaq markup");
        mk_stop(p);
    }
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
    if (!p->skip)
        mk_fail_at(p, mk_here(p), "undefined entity &%s%s", name, is_param ? "" : ";");
}

/* expat's own error: the XML is not well-formed, nothing can follow. */
static void fail_xml(parser *p)
{
    size_t off = mk_here(p);
    enum XML_Error code = XML_GetErrorCode(p->xml);
    if (code == XML_ERROR_TAG_MISMATCH && p->depth > 0) {
        /* Say which element is still open, and where it began. */
        const frame *open = &p->frames[p->depth - 1];
        const char *ofile;
        int oline, ocol;
        mk_locate(p, open->offset, &ofile, &oline, &ocol);
        mk_fail_at(p, off, "mismatched tag: expected </%s> to close <%s> from line %d",
                   mk_els[open->el].name, mk_els[open->el].name, oline);
    } else {
        mk_fail_at(p, off, "%s", XML_ErrorString(code));
    }
    mk_stop(p);
}

/* Links to an id: checked once every id is known. */
static void check_links(parser *p)
{
    for (size_t i = 0; i < p->link_count; i++) {
        const vq_node *a = p->links[i];
        if (!mk_id_known(p, a->href + 1))
            mk_fail_node(p, a, "href=\"%s\": no element has id=\"%s\"", a->href, a->href + 1);
    }
}

/* What the caller gets: the error, or each error through report and a
 * summary in err. */
static void hand_over_errors(parser *p)
{
    const vq_markup_options *o = p->opts;
    if (p->error_count == 1 || !o->report) {
        *p->err = p->errors[0];
        return;
    }
    for (int i = 0; i < p->error_count; i++)
        o->report(&p->errors[i], o->user);
    if (p->too_many)
        vq_error_set(p->err, VQ_ERR_INPUT, p->file, 0, 0,
                     "too many errors in the markup; stopped after %d", p->error_count);
    else
        vq_error_set(p->err, VQ_ERR_INPUT, p->file, 0, 0, "%d errors in the markup",
                     p->error_count);
}

static void free_parser(parser *p)
{
    if (p->xml)
        XML_ParserFree(p->xml);
    free(p->frames);
    free(p->rules);
    free(p->ids);
    free(p->links);
    free(p->errors);
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
    p.opts = opts;
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

    p.parsing = true;
    enum XML_Status st = XML_Parse(p.xml, p.text, (int)p.len, XML_TRUE);
    p.parsing = false;
    if (st != XML_STATUS_OK && !p.stopped)
        fail_xml(&p);
    if (!p.stopped)
        check_links(&p);
    if (p.failed)
        hand_over_errors(&p);
    free_parser(&p);
    if (p.failed) {
        vq_document_destroy(p.doc);
        return NULL;
    }
    return p.doc;
}
