/* The vocabulary: the element table (where each element may stand, what
 * it holds, its own attributes), attribute checks and placement. */
#include "markup/parser.h"

/* The elements' own looks (style.c): sizes are multiples of the final
 * font size. Headings are larger, bold, kept with what follows. */
#define HEADING(scale, before)                                                                     \
    {                                                                                              \
        .size = scale, .weight = 700, .space_before = before, .space_after = 0.4,                  \
        .line_height = 1.25, .keep_with_next = true                                                \
    }
static const el_look H1 = HEADING(1.6, 1.0), H2 = HEADING(1.35, 0.9);
static const el_look H3 = HEADING(1.15, 0.8), H4 = HEADING(1.0, 0.7);
static const el_look PARAGRAPH = {.space_after = 0.5};
static const el_look LIST = {.margin_start = 1.5, .space_after = 0.5};
static const el_look TABLE = {.space_before = 0.5, .space_after = 0.5, .padding = 3};
static const el_look CAPTION = {.size = 0.9};
static const el_look FIGURE = {.space_before = 0.5, .space_after = 0.5};
static const el_look RULE = {.space_before = 0.5, .space_after = 0.5, .border = 0.5};
static const el_look BOX = {.space_after = 0.5};
static const el_look BOLD = {.weight = 700};
static const el_look ITALIC = {.italic = true};
static const el_look FOOTNOTE = {.size = 0.8, .on_baseline = true};

/* Each element: where it may stand, what it holds, its own attributes,
 * whether it takes the style attributes, the function that builds it, the
 * kind of node it makes, its own look. */
const el_info mk_els[EL_COUNT] = {
    [EL_DOCUMENT] = {"document", P_ROOT, C_BLOCKS, "title author subject keywords", true,
                     mk_open_document, VQ_NODE_DOCUMENT, NULL},
    [EL_PAGE] = {"page", P_TOP, C_EMPTY,
                 "size orientation margin column-gap header-offset footer-offset first-number",
                 false, mk_open_page, VQ_NODE_DOCUMENT, NULL},
    [EL_STYLE] = {"style", P_TOP, C_EMPTY, "name element", false, mk_open_style, VQ_NODE_DOCUMENT,
                  NULL},
    [EL_HEADER] = {"header", P_TOP, C_BLOCKS, "first", true, mk_open_running, VQ_NODE_HEADER, NULL},
    [EL_FOOTER] = {"footer", P_TOP, C_BLOCKS, "first", true, mk_open_running, VQ_NODE_FOOTER, NULL},
    [EL_SECTION] = {"section", P_TOP, C_BLOCKS, "columns", true, mk_open_section, VQ_NODE_SECTION,
                    NULL},
    [EL_H1] = {"h1", P_BLOCK, C_INLINE, "", true, mk_open_block, VQ_NODE_HEADING, &H1},
    [EL_H2] = {"h2", P_BLOCK, C_INLINE, "", true, mk_open_block, VQ_NODE_HEADING, &H2},
    [EL_H3] = {"h3", P_BLOCK, C_INLINE, "", true, mk_open_block, VQ_NODE_HEADING, &H3},
    [EL_H4] = {"h4", P_BLOCK, C_INLINE, "", true, mk_open_block, VQ_NODE_HEADING, &H4},
    [EL_P] = {"p", P_BLOCK, C_INLINE, "", true, mk_open_block, VQ_NODE_PARAGRAPH, &PARAGRAPH},
    [EL_UL] = {"ul", P_BLOCK, C_LIST, "", true, mk_open_list, VQ_NODE_LIST, &LIST},
    [EL_OL] = {"ol", P_BLOCK, C_LIST, "start", true, mk_open_list, VQ_NODE_LIST, &LIST},
    [EL_LI] = {"li", P_LI, C_BLOCKS, "", true, mk_open_part, VQ_NODE_LIST_ITEM, NULL},
    [EL_TABLE] = {"table", P_BLOCK, C_TABLE, "widths width header-rows", true, mk_open_table,
                  VQ_NODE_TABLE, &TABLE},
    [EL_CAPTION] = {"caption", P_CAPTION, C_INLINE, "", true, mk_open_part, VQ_NODE_CAPTION,
                    &CAPTION},
    [EL_TR] = {"tr", P_TR, C_ROW, "", true, mk_open_part, VQ_NODE_TABLE_ROW, NULL},
    [EL_TH] = {"th", P_CELL, C_BLOCKS, "colspan valign", true, mk_open_cell, VQ_NODE_TABLE_CELL,
               &BOLD},
    [EL_TD] = {"td", P_CELL, C_BLOCKS, "colspan valign", true, mk_open_cell, VQ_NODE_TABLE_CELL,
               NULL},
    [EL_FIGURE] = {"figure", P_BLOCK, C_FIGURE, "src width placeholder aspect alt", true,
                   mk_open_figure, VQ_NODE_FIGURE, &FIGURE},
    [EL_HR] = {"hr", P_BLOCK, C_EMPTY, "", true, mk_open_block, VQ_NODE_RULE, &RULE},
    [EL_PAGE_BREAK] = {"page-break", P_BLOCK, C_EMPTY, "", true, mk_open_block, VQ_NODE_PAGE_BREAK,
                       NULL},
    [EL_COLUMN_BREAK] = {"column-break", P_BLOCK, C_EMPTY, "", true, mk_open_block,
                         VQ_NODE_COLUMN_BREAK, NULL},
    [EL_BOX] = {"box", P_BLOCK, C_BLOCKS, "", true, mk_open_block, VQ_NODE_BOX, &BOX},
    [EL_B] = {"b", P_INLINE, C_INLINE, "", true, mk_open_span, VQ_NODE_SPAN, &BOLD},
    [EL_STRONG] = {"strong", P_INLINE, C_INLINE, "", true, mk_open_span, VQ_NODE_SPAN, &BOLD},
    [EL_I] = {"i", P_INLINE, C_INLINE, "", true, mk_open_span, VQ_NODE_SPAN, &ITALIC},
    [EL_EM] = {"em", P_INLINE, C_INLINE, "", true, mk_open_span, VQ_NODE_SPAN, &ITALIC},
    [EL_SUP] = {"sup", P_INLINE, C_INLINE, "", true, mk_open_span, VQ_NODE_SPAN, NULL},
    [EL_SUB] = {"sub", P_INLINE, C_INLINE, "", true, mk_open_span, VQ_NODE_SPAN, NULL},
    [EL_SPAN] = {"span", P_INLINE, C_INLINE, "", true, mk_open_span, VQ_NODE_SPAN, NULL},
    [EL_BR] = {"br", P_INLINE, C_EMPTY, "", true, mk_open_br, VQ_NODE_LINE_BREAK, NULL},
    [EL_A] = {"a", P_INLINE, C_INLINE, "href", true, mk_open_link, VQ_NODE_LINK, NULL},
    [EL_FOOTNOTE] = {"footnote", P_INLINE, C_INLINE, "mark mark-in-text", true, mk_open_footnote,
                     VQ_NODE_FOOTNOTE, &FOOTNOTE},
    [EL_NUMBER] = {"number", P_INLINE, C_EMPTY, "value decimals grouping", true, mk_open_format,
                   VQ_NODE_TEXT, NULL},
    [EL_DATE] = {"date", P_INLINE, C_EMPTY, "value calendar format weekday", true, mk_open_format,
                 VQ_NODE_TEXT, NULL},
    [EL_PAGE_NUMBER] = {"page-number", P_INLINE, C_EMPTY, "", true, mk_open_field, VQ_NODE_FIELD,
                        NULL},
    [EL_PAGE_COUNT] = {"page-count", P_INLINE, C_EMPTY, "", true, mk_open_field, VQ_NODE_FIELD,
                       NULL},
    [EL_DOC_TITLE] = {"doc-title", P_INLINE, C_EMPTY, "", true, mk_open_field, VQ_NODE_FIELD, NULL},
    [EL_QR] = {"qr", P_BLOCK, C_EMPTY, "value size", true, mk_open_qr, VQ_NODE_FIGURE, &FIGURE},
    [EL_LAST_PAGE] = {"last-page-number", P_INLINE, C_EMPTY, "", true, mk_open_field, VQ_NODE_FIELD,
                      NULL},
};

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

/* An attribute el does not take: the error names the allowed ones, and
 * the closest. */
static void fail_unknown_attribute(parser *p, size_t off, el_id el, const char *name)
{
    const el_info *info = &mk_els[el];
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
        count += (size_t)mk_style_attr_names(names + count);
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
    mk_fail_at(p, off, "unknown attribute '%s' on <%s>%s; allowed: %s", name, info->name, hint_text,
               allowed.len ? allowed.data : "none");
    vq_buf_free(&allowed);
}

/* Every attribute el does not take is an error (and is then ignored: the
 * element reads only those it takes). */
void mk_check_attributes(parser *p, size_t off, el_id el, const char **atts)
{
    const el_info *info = &mk_els[el];
    for (int i = 0; atts[i]; i += 2) {
        const char *name = atts[i];
        bool ok = in_list(info->attrs, name) ||
                  (info->styled &&
                   (mk_is_style_attr(name) || !strcmp(name, "id") || !strcmp(name, "class"))) ||
                  (el == EL_STYLE && mk_is_style_attr(name));
        if (!ok)
            fail_unknown_attribute(p, off, el, name);
    }
}

/* ---- placement ---- */

/* <header>, <footer> (in <document> or a <section>), <page>, <style>,
 * <section> (in <document>). */
static bool check_top(parser *p, size_t off, el_id el, const frame *pf)
{
    const char *name = mk_els[el].name;
    if ((el == EL_HEADER || el == EL_FOOTER) && pf->el == EL_SECTION)
        return true; /* a section's own running header/footer */
    if (pf->el == EL_DOCUMENT)
        return true;
    if (el == EL_HEADER || el == EL_FOOTER)
        mk_fail_at(p, off, "<%s> is only allowed directly in <document> or <section>", name);
    else
        mk_fail_at(p, off, "<%s> is only allowed directly in <document>", name);
    return false;
}

static bool check_inline(parser *p, size_t off, el_id el, const frame *pf)
{
    const char *name = mk_els[el].name;
    const el_info *pi = &mk_els[pf->el];
    if (pi->content != C_BLOCKS && pi->content != C_INLINE)
        mk_fail_at(p, off, "<%s> is not allowed in <%s>", name, pi->name);
    else if ((el == EL_PAGE_NUMBER || el == EL_PAGE_COUNT || el == EL_DOC_TITLE) && !pf->in_running)
        mk_fail_at(p, off, "<%s> is only allowed in <header> or <footer>", name);
    else if (el == EL_A && pf->in_link)
        mk_fail_at(p, off, "an <a> cannot go inside another <a>");
    else if (el == EL_FOOTNOTE && (pf->in_running || pf->in_footnote))
        mk_fail_at(p, off, "a <footnote> cannot go inside a %s",
                   pf->in_footnote ? "footnote" : "header or footer");
    else
        return true;
    return false;
}

/* The parts of lists, tables and figures, and blocks. */
static bool check_part(parser *p, size_t off, el_id el, const frame *pf)
{
    const el_info *info = &mk_els[el], *pi = &mk_els[pf->el];
    switch (info->place) {
    case P_LI:
        if (pf->el == EL_UL || pf->el == EL_OL)
            return true;
        mk_fail_at(p, off, "<li> is only allowed in <ul> or <ol>");
        return false;
    case P_TR:
        if (pf->el == EL_TABLE)
            return true;
        mk_fail_at(p, off, "<tr> is only allowed in <table>");
        return false;
    case P_CELL:
        if (pf->el == EL_TR)
            return true;
        mk_fail_at(p, off, "<%s> is only allowed in <tr>", info->name);
        return false;
    case P_CAPTION:
        if (pf->el != EL_TABLE && pf->el != EL_FIGURE)
            mk_fail_at(p, off, "<caption> is only allowed in <table> or <figure>");
        else if (pf->captions > 0)
            mk_fail_at(p, off, "<%s> has more than one <caption>", pi->name);
        else
            return true;
        return false;
    default: /* P_BLOCK */
        if (pi->content == C_BLOCKS)
            return true;
        mk_fail_at(p, off, "<%s> is not allowed in <%s>%s", info->name, pi->name,
                   pi->content == C_INLINE ? " (a block cannot go inside inline content)" : "");
        return false;
    }
}

bool mk_check_place(parser *p, size_t off, el_id el, int parent_index)
{
    const el_info *info = &mk_els[el];
    if (parent_index < 0) {
        if (el == EL_DOCUMENT)
            return true;
        mk_fail_at(p, off, "the root element must be <document>, not <%s>", info->name);
        return false;
    }
    const frame *pf = &p->frames[parent_index];
    if (mk_els[pf->el].content == C_EMPTY) {
        mk_fail_at(p, off, "<%s> cannot have content", mk_els[pf->el].name);
        return false;
    }
    switch (info->place) {
    case P_ROOT:
        mk_fail_at(p, off, "<document> is only allowed as the root element");
        return false;
    case P_TOP:
        return check_top(p, off, el, pf);
    case P_INLINE:
        return check_inline(p, off, el, pf);
    default:
        return check_part(p, off, el, pf);
    }
}
