#include "doc/doc.h"

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
