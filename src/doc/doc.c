#include "doc/doc.h"

#include <string.h>
#include <strings.h>

#include "base/buf.h"

vq_document *vq_document_create(void)
{
    vq_arena *arena = vq_arena_create();
    vq_document *doc = vq_arena_alloc(arena, sizeof *doc);
    doc->arena = arena;
    doc->root = vq_node_create(doc, VQ_NODE_DOCUMENT);
    return doc;
}

void vq_document_destroy(vq_document *doc)
{
    if (doc)
        vq_arena_destroy(doc->arena);
}

vq_node *vq_node_create(vq_document *doc, vq_node_kind kind)
{
    vq_node *n = vq_arena_alloc(doc->arena, sizeof *n);
    n->kind = kind;
    n->colspan = 1;
    n->start = 1;
    n->columns = 1;
    return n;
}

void vq_node_append(vq_node *parent, vq_node *child)
{
    child->parent = parent;
    child->next = NULL;
    if (parent->last_child)
        parent->last_child->next = child;
    else
        parent->first_child = child;
    parent->last_child = child;
}

const char *vq_node_kind_name(vq_node_kind kind)
{
    static const char *const names[] = {
        "document",   "section",      "heading",    "paragraph", "list",    "list-item",
        "table",      "row",          "cell",       "figure",    "caption", "rule",
        "page-break", "column-break", "box",        "header",    "footer",  "text",
        "span",       "link",         "line-break", "footnote",  "field",
    };
    if ((unsigned)kind < sizeof names / sizeof names[0])
        return names[kind];
    return "?";
}

const char *vq_lang_default_font(const char *lang)
{
    return vq_lang_is_arabic_script(lang) ? "Vazirmatn" : "Noto Serif";
}

static void dump_style(const vq_style *s, const vq_style *parent, vq_buf *out)
{
    static const char *const dirs[] = {"auto", "ltr", "rtl"};
    static const char *const aligns[] = {"start", "end", "center", "justify", "left", "right"};
    static const char *const digits[] = {"as-written", "persian", "latin"};
    const vq_text_style *t = &s->text, *pt = parent ? &parent->text : NULL;
    if (!pt || !t->family != !pt->family || (t->family && strcmp(t->family, pt->family)))
        vq_buf_printf(out, " font=\"%s\"", t->family ? t->family : "");
    if (!pt || t->size != pt->size)
        vq_buf_printf(out, " size=%g", t->size);
    if (!pt || t->weight != pt->weight)
        vq_buf_printf(out, " weight=%d", t->weight);
    if (!pt || t->italic != pt->italic)
        vq_buf_printf(out, " italic=%d", t->italic);
    if (!pt || !t->lang != !pt->lang || (t->lang && strcmp(t->lang, pt->lang)))
        vq_buf_printf(out, " lang=%s", t->lang ? t->lang : "");
    if (!pt || t->color != pt->color)
        vq_buf_printf(out, " color=#%06x", (unsigned)t->color);
    if (!pt || t->baseline_shift != pt->baseline_shift)
        vq_buf_printf(out, " shift=%g", t->baseline_shift);
    if (!pt || t->size_scale != pt->size_scale)
        vq_buf_printf(out, " scale=%g", t->size_scale);
    if (!pt || t->digits != pt->digits)
        vq_buf_printf(out, " digits=%s", digits[t->digits]);
    if (!parent || s->dir != parent->dir)
        vq_buf_printf(out, " dir=%s", dirs[s->dir]);
    if (!parent || s->align != parent->align)
        vq_buf_printf(out, " align=%s", aligns[s->align]);
    if (!parent || s->line_height != parent->line_height)
        vq_buf_printf(out, " line-height=%g", s->line_height);
    if (!parent || s->indent != parent->indent)
        vq_buf_printf(out, " indent=%g", s->indent);
    /* Not inherited: shown when set. */
    if (s->space_before)
        vq_buf_printf(out, " space-before=%g", s->space_before);
    if (s->space_after)
        vq_buf_printf(out, " space-after=%g", s->space_after);
    if (s->margin_start)
        vq_buf_printf(out, " margin-start=%g", s->margin_start);
    if (s->margin_end)
        vq_buf_printf(out, " margin-end=%g", s->margin_end);
    if (s->padding)
        vq_buf_printf(out, " padding=%g", s->padding);
    if (s->border_width)
        vq_buf_printf(out, " border=%g border-color=#%06x", s->border_width,
                      (unsigned)s->border_color);
    if (s->has_background)
        vq_buf_printf(out, " background=#%06x", (unsigned)s->background);
    if (s->keep_with_next)
        vq_buf_printf(out, " keep-with-next");
}

static void dump_length(const char *name, vq_length l, vq_buf *out)
{
    if (l.unit == VQ_LEN_AUTO)
        vq_buf_printf(out, "%sauto", name);
    else
        vq_buf_printf(out, "%s%g%s", name, l.value, l.unit == VQ_LEN_PERCENT ? "%" : "pt");
}

static void dump_node(const vq_node *n, const vq_style *parent, int depth, vq_buf *out)
{
    vq_buf_printf(out, "%*s%s", depth * 2, "", vq_node_kind_name(n->kind));
    if (n->implicit)
        vq_buf_append_str(out, " implicit");
    if (n->id)
        vq_buf_printf(out, " id=%s", n->id);
    switch (n->kind) {
    case VQ_NODE_TEXT:
        vq_buf_printf(out, " \"%s\"", n->text ? n->text : "");
        break;
    case VQ_NODE_HEADING:
        vq_buf_printf(out, " level=%d", n->level);
        break;
    case VQ_NODE_SECTION:
        vq_buf_printf(out, " columns=%d", n->columns);
        break;
    case VQ_NODE_LIST:
        vq_buf_printf(out, " %s start=%d", n->ordered ? "ordered" : "bulleted", n->start);
        break;
    case VQ_NODE_LINK:
        vq_buf_printf(out, " href=\"%s\"", n->href ? n->href : "");
        break;
    case VQ_NODE_FIGURE:
        if (n->qr)
            vq_buf_printf(out, " qr=\"%s\"", n->qr);
        else if (n->src)
            vq_buf_printf(out, " src=\"%s\" %s %dx%d", n->src, n->image_type, n->image_width,
                          n->image_height);
        else
            vq_buf_printf(out, " placeholder=\"%s\" aspect=%g", n->placeholder, n->aspect);
        dump_length(" width=", n->width, out);
        break;
    case VQ_NODE_TABLE:
        dump_length(" width=", n->width, out);
        vq_buf_printf(out, " header-rows=%d columns=%d widths=", n->header_rows, n->column_count);
        for (int i = 0; i < n->column_count; i++)
            dump_length(i ? "," : "", n->column_widths[i], out);
        break;
    case VQ_NODE_TABLE_ROW:
        if (n->header)
            vq_buf_append_str(out, " header");
        break;
    case VQ_NODE_TABLE_CELL: {
        static const char *const valigns[] = {"top", "middle", "bottom"};
        vq_buf_printf(out, "%s colspan=%d valign=%s", n->header ? " th" : "", n->colspan,
                      valigns[n->valign]);
        break;
    }
    case VQ_NODE_FOOTNOTE:
        if (n->mark)
            vq_buf_printf(out, " mark=\"%s\"%s", n->mark, n->mark_in_text ? "" : " hidden");
        else
            vq_buf_printf(out, " number=%d", n->number);
        break;
    case VQ_NODE_FIELD: {
        static const char *const fields[] = {"page", "pages", "title"};
        vq_buf_printf(out, " %s", fields[n->field]);
        break;
    }
    case VQ_NODE_HEADER:
    case VQ_NODE_FOOTER:
        if (n->first_page)
            vq_buf_append_str(out, " first");
        break;
    default:
        break;
    }
    vq_buf_append_str(out, " |");
    dump_style(&n->style, parent, out);
    vq_buf_append_char(out, '\n');
    if (n->section_header)
        dump_node(n->section_header, &n->style, depth + 1, out);
    if (n->section_footer)
        dump_node(n->section_footer, &n->style, depth + 1, out);
    for (const vq_node *c = n->first_child; c; c = c->next)
        dump_node(c, &n->style, depth + 1, out);
}

void vq_document_dump(const vq_document *doc, vq_buf *out)
{
    const vq_page_setup *p = &doc->page;
    vq_buf_printf(out, "page %gx%g margins %g %g %g %g gap %g offsets %g %g\n", p->width, p->height,
                  p->margin_top, p->margin_right, p->margin_bottom, p->margin_left, p->column_gap,
                  p->header_offset, p->footer_offset);
    if (p->first_number > 1)
        vq_buf_printf(out, "first page number %d\n", p->first_number);
    if (doc->title)
        vq_buf_printf(out, "title \"%s\"\n", doc->title);
    if (doc->author)
        vq_buf_printf(out, "author \"%s\"\n", doc->author);
    if (doc->subject)
        vq_buf_printf(out, "subject \"%s\"\n", doc->subject);
    if (doc->keywords)
        vq_buf_printf(out, "keywords \"%s\"\n", doc->keywords);
    vq_buf_printf(out, "footnotes %d\n", doc->footnote_count);
    const vq_node *running[] = {doc->header, doc->first_header, doc->footer, doc->first_footer};
    for (int i = 0; i < 4; i++)
        if (running[i])
            dump_node(running[i], &doc->root->style, 0, out);
    dump_node(doc->root, NULL, 0, out);
}
