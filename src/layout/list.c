/* Lists: the marker hangs in the margin on the start side (right in a
 * right-to-left list), numbers in the list's own digits. */
#include <stdio.h>
#include <string.h>

#include "layout/lay.h"

static int count_digits(long n)
{
    int d = 1;
    while (n >= 10 || n <= -10) {
        n /= 10;
        d++;
    }
    return d;
}

static vq_status make_marker(lay_builder *b, const vq_node *list, const vq_node *item, long number,
                             double width, lay_para **out)
{
    lay_ctx *ctx = b->ctx;
    vq_style st = item->style;
    st.dir = list->style.dir;
    st.align = VQ_ALIGN_END;
    st.indent = 0;
    char text[48];
    if (list->ordered) {
        lay_format_number(text, sizeof text, number, &st.text);
        strcat(text, ".");
    } else {
        strcpy(text, "\xE2\x80\xA2"); /* • */
    }
    lay_para *lp = lay_para_new(ctx);
    lay_add_plain(ctx, lp->p, text, &st.text);
    vq_status s = lay_layout_para(ctx, lp, item, &st, width, 0);
    if (s != VQ_OK) {
        lay_unref(ctx, lp);
        return s;
    }
    *out = lp;
    return VQ_OK;
}

vq_status lay_build_list(lay_builder *b, const vq_node *n)
{
    const vq_style *st = &n->style;
    lay_collapse_space(b, st->space_before);
    /* The list's margin-start is the marker's column (made wider when a
     * long number needs it), not an extra indent. */
    vq_style outer = *st;
    outer.margin_start = 0;
    double left, width;
    lay_block_left_right(b, &outer, &left, &width);
    double size = st->text.size > 0 ? st->text.size : 10;
    long last = n->start;
    for (const vq_node *c = n->first_child; c; c = c->next)
        if (c->kind == VQ_NODE_LIST_ITEM)
            last++;
    double marker_w = n->ordered ? size * (1.2 + 0.6 * count_digits(last)) : size * 1.5;
    if (st->margin_start > marker_w)
        marker_w = st->margin_start;
    double gap = size * 0.4;
    bool rtl = st->dir == VQ_DIR_RTL;

    double save_left = b->left, save_right = b->right;
    lay_snode *save_snode = b->snode;
    lay_snode *list = lay_snode_new(b->ctx, "L", b->snode, n, false);
    long number = n->start;
    lay_pending_dest(b, n);
    vq_status s = VQ_OK;
    for (const vq_node *c = n->first_child; c && s == VQ_OK; c = c->next) {
        if (c->kind != VQ_NODE_LIST_ITEM)
            continue;
        lay_para *marker = NULL;
        s = make_marker(b, n, c, number++, marker_w - gap, &marker);
        if (s != VQ_OK)
            break;
        /* The item's content starts after the marker's column. */
        if (rtl) {
            b->left = left;
            b->right = b->frame_width - (left + width) + marker_w;
        } else {
            b->left = left + marker_w;
            b->right = b->frame_width - (left + width);
        }
        lay_unref(b->ctx, b->marker);
        b->marker = marker;
        b->marker_x = rtl ? left + width - marker_w + gap : left;
        lay_snode *li = lay_snode_new(b->ctx, "LI", list, c, false);
        b->marker_snode = lay_snode_new(b->ctx, "Lbl", li, c, true);
        b->snode = lay_snode_new(b->ctx, "LBody", li, c, false);
        s = lay_build_block(b, c);
        b->snode = save_snode;
        lay_unref(b->ctx, b->marker); /* an item with no line drops it */
        b->marker = NULL;
    }
    b->left = save_left;
    b->right = save_right;
    b->pending_space = st->space_after;
    return s;
}
