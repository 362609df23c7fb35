/* Building the tree: nodes, ids and links, directions and isolates,
 * anonymous paragraphs and sections, text with whitespace collapsed. */
#include <string.h>

#include "base/chars.h"
#include "base/hash.h"
#include "markup/parser.h"

#include <unicode/utf8.h>

/* ---- ids and links ---- */

static size_t hash_str(const char *s)
{
    return (size_t)vq_hash_bytes(VQ_HASH_SEED, s, strlen(s));
}

/* Adds id; false when it is already there. */
bool mk_id_add(parser *p, const char *id)
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

bool mk_id_known(const parser *p, const char *id)
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

/* ---- tree building ---- */

vq_node *mk_new_node(parser *p, vq_node_kind kind, size_t offset, const vq_style *style)
{
    vq_node *n = vq_node_create(p->doc, kind);
    n->loc = mk_node_loc(p, offset);
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
void mk_trim_trailing_space(inline_ctx *ic)
{
    if (ic->space && ic->last_text) {
        char *t = ic->last_bytes;
        size_t n = strlen(t);
        if (n && t[n - 1] == ' ')
            t[n - 1] = 0;
        if (n == 1 && ic->last_text->parent)
            remove_child(ic->last_text->parent, ic->last_text);
    }
    ic->space = false;
    ic->last_text = NULL;
    ic->last_bytes = NULL;
}

/* Does this text start an isolate (a span's mark, a wrapped number)? */
static bool starts_isolate(const vq_node *n)
{
    return n && n->kind == VQ_NODE_TEXT && n->text && strncmp(n->text, "\xe2\x81", 2) == 0 &&
           (unsigned char)n->text[2] >= 0xa6 && (unsigned char)n->text[2] <= 0xa8;
}

/* Counts the strong letters of n's text for dir="auto" (base/chars.h),
 * skipping footnotes and content an inline element isolates. */
static void count_strong(const vq_node *n, vq_strong_count *count)
{
    for (const vq_node *c = n->first_child; c; c = c->next) {
        if (c->kind == VQ_NODE_FOOTNOTE || starts_isolate(c) || starts_isolate(c->first_child))
            continue;
        if (c->kind == VQ_NODE_TEXT && c->text)
            vq_strong_add(count, c->text, strlen(c->text));
        count_strong(c, count);
    }
}

static vq_dir auto_dir(const vq_node *n)
{
    vq_strong_count count = {0};
    count_strong(n, &count);
    int d = vq_strong_dir(&count);
    return d > 0 ? VQ_DIR_RTL : d < 0 ? VQ_DIR_LTR : VQ_DIR_AUTO;
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

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* n and the descendants that inherited its language, font and digits take
 * the new ones (an inline span with its own language keeps it). */
static void set_language(vq_node *n, const vq_text_style *old, const char *lang, const char *family,
                         vq_digits digits)
{
    if (same_str(n->style.text.lang, old->lang))
        n->style.text.lang = lang;
    if (same_str(n->style.text.family, old->family))
        n->style.text.family = family;
    if (n->style.text.digits == old->digits && n->kind != VQ_NODE_FIELD)
        n->style.text.digits = digits;
    for (vq_node *c = n->first_child; c; c = c->next)
        set_language(c, old, lang, family, digits);
}

/* A block with dir="auto" takes the direction of most of its words
 * (base/chars.h), else its parent's, else its language's. When its text
 * runs against its language (a Persian paragraph in an English section),
 * it also takes the language of that direction (the document's if it has
 * that direction, else fa or en), that language's font unless it chose
 * one itself or has the document's own font= (a font a class chose with
 * its language gives way), and its digits as written unless it set them
 * itself. */
void mk_resolve_dir(parser *p, int index)
{
    vq_node *n = p->frames[index].node;
    if (!n || n->style.dir != VQ_DIR_AUTO)
        return;
    vq_dir d = auto_dir(n);
    bool from_text = d != VQ_DIR_AUTO;
    for (int i = index - 1; d == VQ_DIR_AUTO && i >= 0; i--)
        if (p->frames[i].style.dir != VQ_DIR_AUTO)
            d = p->frames[i].style.dir;
    if (d == VQ_DIR_AUTO)
        d = vq_lang_is_rtl(n->style.text.lang) ? VQ_DIR_RTL : VQ_DIR_LTR;
    n->style.dir = d;
    p->frames[index].style.dir = d;
    set_auto_dir(n, d);
    unsigned own = p->frames[index].own_set;
    if (!from_text || (own & SET_LANG) || vq_lang_is_rtl(n->style.text.lang) == (d == VQ_DIR_RTL))
        return;
    const char *doc_lang = p->doc->lang;
    const char *lang = doc_lang && vq_lang_is_rtl(doc_lang) == (d == VQ_DIR_RTL) ? doc_lang
                       : d == VQ_DIR_RTL                                         ? "fa"
                                                                                 : "en";
    vq_text_style old = n->style.text;
    const frame *root = &p->frames[0];
    bool keep_font =
        (own & SET_FONT) || (root->font_explicit && same_str(old.family, root->style.text.family));
    const char *family = keep_font ? old.family : vq_lang_default_font(lang);
    vq_digits digits = (own & SET_DIGITS) ? old.digits : VQ_DIGITS_AS_WRITTEN;
    set_language(n, &old, lang, family, digits);
    p->frames[index].style.text = n->style.text;
}

static void resolve_node_dir(vq_node *n, const vq_style *parent)
{
    if (n->style.dir != VQ_DIR_AUTO)
        return;
    vq_dir d = auto_dir(n);
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
const char *mk_isolate_open(vq_dir dir)
{
    return dir == VQ_DIR_LTR ? "\u2066" : dir == VQ_DIR_RTL ? "\u2067" : "\u2068";
}
const char mk_isolate_close[] = "\u2069";

void mk_append_mark(parser *p, vq_node *parent, size_t offset, const char *mark)
{
    vq_style s = mk_inherit(&parent->style, true);
    vq_node *t = mk_new_node(p, VQ_NODE_TEXT, offset, &s);
    t->text = mark;
    vq_node_append(parent, t);
}

/* Closes the anonymous paragraph of a block container. */
void mk_close_anon(frame *f)
{
    if (!f->anon)
        return;
    mk_trim_trailing_space(&f->ic);
    resolve_node_dir(f->anon, &f->style);
    f->anon = NULL;
    f->ic.start = true;
    f->ic.bytes = 0;
    f->ic.marks = 0;
}

/* Where a block child of frame f goes. */
vq_node *mk_block_parent(parser *p, frame *f, size_t offset)
{
    mk_close_anon(f);
    if (f->el != EL_DOCUMENT)
        return f->node;
    if (!f->anon_section) {
        vq_style s = mk_inherit(&f->style, false);
        f->anon_section = mk_new_node(p, VQ_NODE_SECTION, offset, &s);
        f->anon_section->implicit = true;
        vq_node_append(p->doc->root, f->anon_section);
    }
    return f->anon_section;
}

/* Where inline content under frame index goes, and its whitespace state. */
vq_node *mk_inline_parent(parser *p, int index, size_t offset, inline_ctx **ic)
{
    frame *f = &p->frames[index];
    if (mk_els[f->el].content == C_INLINE) {
        *ic = &p->frames[f->ic_owner].ic;
        return f->node;
    }
    /* A block container: loose inline content gets a paragraph. */
    if (!f->anon) {
        vq_node *parent = mk_block_parent(p, f, offset);
        vq_style s = mk_inherit(&f->style, false);
        f->anon = mk_new_node(p, VQ_NODE_PARAGRAPH, offset, &s);
        f->anon->implicit = true;
        vq_node_append(parent, f->anon);
        f->ic.start = true;
        f->ic.space = false;
        f->ic.last_text = NULL;
        f->ic.last_bytes = NULL;
        f->ic.bytes = 0;
        f->ic.marks = 0;
    }
    *ic = &f->ic;
    return f->anon;
}

/* Places the character data seen since the last tag. */
void mk_flush_text(parser *p)
{
    if (p->pending.len == 0 || p->stopped || p->depth == 0)
        return;
    const char *t = p->pending.data;
    size_t n = p->pending.len, off = p->pending_offset;
    int index = p->depth - 1;
    frame *f = &p->frames[index];
    content c = mk_els[f->el].content;
    bool blank = mk_all_ws(t, n);
    if (c != C_INLINE && c != C_BLOCKS) {
        if (!blank)
            mk_fail_at(p, off, "text is not allowed in <%s>", mk_els[f->el].name);
        vq_buf_clear(&p->pending);
        return;
    }
    if (c == C_BLOCKS && blank && !f->anon) {
        vq_buf_clear(&p->pending); /* whitespace between blocks */
        return;
    }
    inline_ctx *ic;
    vq_node *parent = mk_inline_parent(p, index, off, &ic);
    /* Collapse straight into the node's arena string: it can only shrink. */
    char *out = vq_arena_alloc(p->doc->arena, n + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (mk_is_ws(t[i])) {
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
    for (size_t i = 0; i < len;) {
        UChar32 ch;
        U8_NEXT(out, i, len, ch);
        int8_t type = u_charType(ch);
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
            type == U_COMBINING_SPACING_MARK) {
            if (++ic->marks > MAX_MARKS_IN_A_ROW) {
                mk_fail_at(p, off, "more than %d combining marks on one character",
                           MAX_MARKS_IN_A_ROW);
                mk_stop(p); /* a limit: what follows is not read */
                return;
            }
        } else {
            ic->marks = 0;
        }
    }
    ic->bytes += len;
    if (ic->bytes > MAX_PARAGRAPH_BYTES) {
        mk_fail_at(p, off, "a paragraph holds more than %d bytes of text; split it",
                   MAX_PARAGRAPH_BYTES);
        mk_stop(p);
        return;
    }
    if (len) {
        vq_style ts = mk_inherit(&parent->style, true);
        vq_node *text = mk_new_node(p, VQ_NODE_TEXT, off, &ts);
        out[len] = 0;
        text->text = out;
        vq_node_append(parent, text);
        ic->last_text = text;
        ic->last_bytes = out;
    }
    vq_buf_clear(&p->pending);
}
