/* Running headers and footers: laid out again on every page because their
 * fields (page number, page count, title) change. */
#include "layout/lay.h"

/* Whether n or a node under it shows the page count; with body_only, not
 * counting headers and footers. */
static bool has_pages_field(const vq_node *n, bool body_only)
{
    if (!n || (body_only && (n->kind == VQ_NODE_HEADER || n->kind == VQ_NODE_FOOTER)))
        return false;
    if (n->kind == VQ_NODE_FIELD && (n->field == VQ_FIELD_PAGES || n->field == VQ_FIELD_LAST_PAGE))
        return true;
    for (const vq_node *c = n->first_child; c; c = c->next)
        if (has_pages_field(c, body_only))
            return true;
    return false;
}

lay_page_count_use lay_page_count_used(const vq_document *doc)
{
    if (has_pages_field(doc->root, true))
        return LAY_COUNT_IN_BODY;
    if (has_pages_field(doc->header, false) || has_pages_field(doc->footer, false) ||
        has_pages_field(doc->first_header, false) || has_pages_field(doc->first_footer, false) ||
        has_pages_field(doc->root, false))
        return LAY_COUNT_IN_FURNITURE;
    for (const vq_node *c = doc->root->first_child; c; c = c->next)
        if (c->kind == VQ_NODE_SECTION && (has_pages_field(c->section_header, false) ||
                                           has_pages_field(c->section_footer, false)))
            return LAY_COUNT_IN_FURNITURE;
    return LAY_COUNT_UNUSED;
}

static vq_status draw_part(lay_ctx *ctx, const vq_node *part, bool footer)
{
    const vq_page_setup *pg = &ctx->doc->page;
    double width = pg->width - pg->margin_left - pg->margin_right;
    lay_vec items = {0};
    lay_builder b;
    lay_builder_init(&b, ctx, &items, width);
    double save = ctx->col_width;
    ctx->col_width = width;
    vq_status s = lay_build_blocks(&b, part->first_child);
    ctx->col_width = save;
    lay_builder_finish(&b);
    if (s == VQ_OK) {
        double h = lay_vec_height(&items);
        double y;
        if (footer) {
            double off = pg->footer_offset > 0 ? pg->footer_offset : pg->margin_bottom * 0.4;
            y = pg->height - off - h;
        } else {
            y = pg->header_offset > 0 ? pg->header_offset : pg->margin_top * 0.4;
        }
        ctx->furniture = true;
        lay_draw_items(ctx, items.v, items.n, pg->margin_left, y);
        ctx->furniture = false;
    }
    lay_vec_release(ctx, &items);
    return s;
}

vq_status lay_draw_furniture(lay_ctx *ctx, const vq_node *section)
{
    if (!ctx->cr)
        return VQ_OK; /* the counting pass draws nothing */
    if (lay_struct_defer_furniture(ctx, section))
        return VQ_OK;
    const vq_document *doc = ctx->doc;
    const vq_node *header = ctx->page == 1 && doc->first_header ? doc->first_header : doc->header;
    const vq_node *footer = ctx->page == 1 && doc->first_footer ? doc->first_footer : doc->footer;
    /* The section the page's body starts in may bring its own. */
    if (section && section->section_header)
        header = section->section_header;
    if (section && section->section_footer)
        footer = section->section_footer;
    vq_status s = VQ_OK;
    if (header)
        s = draw_part(ctx, header, false);
    if (footer && s == VQ_OK)
        s = draw_part(ctx, footer, true);
    return s;
}
