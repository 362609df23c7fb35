/* The vocabulary: the element table (where each element may stand, what
 * it holds, its own attributes), attribute checks and placement. */
#include "markup/parser.h"

const el_info mk_els[EL_COUNT] = {
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
    [EL_FIGURE] = {"figure", P_BLOCK, C_FIGURE, "src width placeholder aspect alt", true},
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
    [EL_QR] = {"qr", P_BLOCK, C_EMPTY, "value size", true},
    [EL_LAST_PAGE] = {"last-page-number", P_INLINE, C_EMPTY, "", true},
};

static const char *const STYLE_ATTRS[] = {
    "font",        "font-size",    "font-weight",   "font-style",     "color",     "align",
    "line-height", "indent",       "dir",           "lang",           "digits",    "space-before",
    "space-after", "margin-start", "margin-end",    "keep-with-next", "border",    "border-color",
    "background",  "padding",      "keep-together", "kashida",        "hyphenate",
};
enum { STYLE_ATTR_COUNT = sizeof STYLE_ATTRS / sizeof STYLE_ATTRS[0] };

/* ---- names and attributes ---- */

el_id mk_element_id(const char *name)
{
    for (int i = 0; i < EL_COUNT; i++)
        if (strcmp(mk_els[i].name, name) == 0)
            return (el_id)i;
    return EL_COUNT;
}

static const char *closest_element(const char *name)
{
    const char *names[EL_COUNT];
    for (int i = 0; i < EL_COUNT; i++)
        names[i] = mk_els[i].name;
    return vq_closest_name(name, names, EL_COUNT);
}

void mk_fail_unknown_element(parser *p, size_t offset, const char *name, const char *prefix)
{
    const char *hint = closest_element(name);
    if (hint)
        mk_fail_at(p, offset, "%sunknown element <%s> (did you mean <%s>?)", prefix, name, hint);
    else
        mk_fail_at(p, offset, "%sunknown element <%s>", prefix, name);
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

bool mk_is_style_attr(const char *name)
{
    for (int i = 0; i < STYLE_ATTR_COUNT; i++)
        if (strcmp(STYLE_ATTRS[i], name) == 0)
            return true;
    return false;
}

const char *mk_attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

bool mk_all_ws(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!mk_is_ws(s[i]))
            return false;
    return true;
}

bool mk_is_block_el(el_id el)
{
    return mk_els[el].place == P_BLOCK || el == EL_SECTION || el == EL_HEADER || el == EL_FOOTER ||
           el == EL_LI || el == EL_TH || el == EL_TD || el == EL_CAPTION || el == EL_TR ||
           el == EL_DOCUMENT;
}

/* ---- allowed attributes ---- */

bool mk_check_attributes(parser *p, size_t off, el_id el, const char **atts)
{
    const el_info *info = &mk_els[el];
    for (int i = 0; atts[i]; i += 2) {
        const char *name = atts[i];
        bool ok = in_list(info->attrs, name) ||
                  (info->styled &&
                   (mk_is_style_attr(name) || !strcmp(name, "id") || !strcmp(name, "class"))) ||
                  (el == EL_STYLE && mk_is_style_attr(name));
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
        mk_fail_at(p, off, "unknown attribute '%s' on <%s>%s; allowed: %s", name, info->name,
                   hint_text, allowed.len ? allowed.data : "none");
        vq_buf_free(&allowed);
        return false;
    }
    return true;
}

/* ---- placement ---- */

bool mk_check_place(parser *p, size_t off, el_id el, int parent_index)
{
    const el_info *info = &mk_els[el];
    if (parent_index < 0) {
        if (el != EL_DOCUMENT) {
            mk_fail_at(p, off, "the root element must be <document>, not <%s>", info->name);
            return false;
        }
        return true;
    }
    const frame *pf = &p->frames[parent_index];
    const el_info *pi = &mk_els[pf->el];
    const char *wrong = NULL;
    if (pi->content == C_EMPTY) {
        mk_fail_at(p, off, "<%s> cannot have content", pi->name);
        return false;
    }
    switch (info->place) {
    case P_ROOT:
        wrong = "<document> is only allowed as the root element";
        break;
    case P_TOP:
        if ((el == EL_HEADER || el == EL_FOOTER) && pf->el == EL_SECTION)
            return true; /* a section's own running header/footer */
        if (el == EL_HEADER || el == EL_FOOTER) {
            if (pf->el != EL_DOCUMENT) {
                mk_fail_at(p, off, "<%s> is only allowed directly in <document> or <section>",
                           info->name);
                return false;
            }
            return true;
        }
        if (pf->el != EL_DOCUMENT) {
            mk_fail_at(p, off, "<%s> is only allowed directly in <document>", info->name);
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
            mk_fail_at(p, off, "<%s> is only allowed in <tr>", info->name);
            return false;
        }
        break;
    case P_CAPTION:
        if (pf->el != EL_TABLE && pf->el != EL_FIGURE)
            wrong = "<caption> is only allowed in <table> or <figure>";
        else if (pf->captions > 0) {
            mk_fail_at(p, off, "<%s> has more than one <caption>", pi->name);
            return false;
        }
        break;
    case P_BLOCK:
        if (pi->content != C_BLOCKS) {
            mk_fail_at(p, off, "<%s> is not allowed in <%s>%s", info->name, pi->name,
                       pi->content == C_INLINE ? " (a block cannot go inside inline content)" : "");
            return false;
        }
        break;
    case P_INLINE:
        if (pi->content != C_BLOCKS && pi->content != C_INLINE) {
            mk_fail_at(p, off, "<%s> is not allowed in <%s>", info->name, pi->name);
            return false;
        }
        if ((el == EL_PAGE_NUMBER || el == EL_PAGE_COUNT || el == EL_DOC_TITLE) &&
            !pf->in_running) {
            mk_fail_at(p, off, "<%s> is only allowed in <header> or <footer>", info->name);
            return false;
        }
        if (el == EL_A && pf->in_link) {
            mk_fail_at(p, off, "an <a> cannot go inside another <a>");
            return false;
        }
        if (el == EL_FOOTNOTE && (pf->in_running || pf->in_footnote)) {
            mk_fail_at(p, off, "a <footnote> cannot go inside a %s",
                       pf->in_footnote ? "footnote" : "header or footer");
            return false;
        }
        break;
    }
    if (wrong) {
        mk_fail_at(p, off, "%s", wrong);
        return false;
    }
    return true;
}
