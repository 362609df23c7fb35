/* Drawing placed items: box decorations first (behind), then lines, rules,
 * images and table rows. Nothing here decides where things go. */
#include <math.h>
#include <string.h>

#include "layout/lay.h"
#include "layout/vector.h"

static void set_rgb(cairo_t *cr, uint32_t c)
{
    cairo_set_source_rgb(cr, ((c >> 16) & 0xFF) / 255.0, ((c >> 8) & 0xFF) / 255.0,
                         (c & 0xFF) / 255.0);
}

static void decorate(cairo_t *cr, double x, double y, double w, double h, double border,
                     uint32_t border_color, bool has_bg, uint32_t bg)
{
    cairo_save(cr);
    if (has_bg) {
        set_rgb(cr, bg);
        cairo_rectangle(cr, x, y, w, h);
        cairo_fill(cr);
    }
    if (border > 0) {
        set_rgb(cr, border_color);
        cairo_set_line_width(cr, border);
        cairo_rectangle(cr, x + border / 2, y + border / 2, w - border, h - border);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

/* Text drawn past an edge of the page is cut off: content lost without a
 * word, which a document with a medical dose in it cannot have. Padding,
 * margins, indents or borders wider than the page, or a font larger than
 * it, end here with the element named. */
static void check_on_page(lay_ctx *ctx, const lay_para *lp, const vq_line *line, double x,
                          double baseline)
{
    double left = 1e300, right = -1e300;
    for (size_t r = 0; r < line->run_count; r++) {
        const vq_glyph_run *run = &line->runs[r];
        if (run->glyph_count == 0 || !(run->width > 0))
            continue;
        left = fmin(left, x + run->x);
        right = fmax(right, x + run->x + run->width);
    }
    if (left > right)
        return; /* nothing drawn */
    const double slack = 0.5, W = ctx->doc->page.width, H = ctx->doc->page.height;
    const char *edge = NULL;
    double past = 0;
    if (right > W + slack)
        edge = "right", past = right - W;
    else if (left < -slack)
        edge = "left", past = -left;
    else if (baseline + line->descent > H + slack)
        edge = "bottom", past = baseline + line->descent - H;
    else if (baseline - line->ascent < -slack)
        edge = "top", past = line->ascent - baseline;
    if (edge)
        lay_fail(ctx, lp->src, VQ_ERR_INPUT,
                 "text runs %.1f pt past the %s edge of the page and would be cut off: a word "
                 "longer than the line, or padding, margins, indent, border or font size "
                 "that leave it no room",
                 past, edge);
}

typedef struct box_span {
    const lay_box *box;
    double top, bottom;
} box_span;

static void draw_boxes(lay_ctx *ctx, const lay_item *items, size_t n, double x, double y)
{
    box_span spans[16];
    size_t count = 0;
    double top = y;
    for (size_t i = 0; i < n; i++) {
        for (const lay_box *bx = items[i].box; bx; bx = bx->parent) {
            size_t k = 0;
            while (k < count && spans[k].box != bx)
                k++;
            if (k == count) {
                if (count == sizeof spans / sizeof spans[0])
                    continue;
                spans[count++] = (box_span){bx, top, top + items[i].height};
            } else {
                spans[k].bottom = top + items[i].height;
            }
        }
        top += items[i].height;
    }
    /* Outer boxes first: they were found first or have no parent here. */
    for (size_t pass = 0; pass < count; pass++) {
        const lay_box *bx = spans[pass].box;
        lay_dump_box(ctx, bx, x + bx->left, spans[pass].top, bx->right - bx->left,
                     spans[pass].bottom - spans[pass].top);
        decorate(ctx->cr, x + bx->left, spans[pass].top, bx->right - bx->left,
                 spans[pass].bottom - spans[pass].top, bx->border, bx->border_color,
                 bx->has_background, bx->background);
    }
}

static void draw_image(lay_ctx *ctx, const lay_item *it, double x, double y)
{
    cairo_t *cr = ctx->cr;
    const lay_image *im = it->image;
    /* Clipped to the figure: Cairo 1.16's recording surface drops what a
     * page recorded so far when an unclipped paint comes before anything
     * else is drawn on it, structure tags included (then "invalid tag
     * name, attributes, or nesting" when the file is finished). */
    if (im->vector) {
        cairo_save(cr);
        cairo_rectangle(cr, x, y, im->width, im->height);
        cairo_clip(cr);
        lay_vector_draw(im->vector, cr, x, y, im->width, im->height);
        cairo_restore(cr);
        return;
    }
    if (im->surface) {
        double iw = cairo_image_surface_get_width(im->surface);
        double ih = cairo_image_surface_get_height(im->surface);
        cairo_save(cr);
        cairo_rectangle(cr, x, y, im->width, im->height);
        cairo_clip(cr);
        cairo_translate(cr, x, y);
        cairo_scale(cr, im->width / iw, im->height / ih);
        cairo_set_source_surface(cr, im->surface, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
        return;
    }
    decorate(cr, x, y, im->width, im->height, 0.75, 0x888888, true, 0xF2F2F2);
    double th = lay_vec_height(&im->text);
    double pad = (im->width - (im->text.n ? im->text.v[0].width : 0)) / 2;
    int parent = ctx->dump_parent;
    ctx->dump_parent = im->serial;
    lay_draw_items(ctx, im->text.v, im->text.n, x + pad, y + (im->height - th) / 2);
    ctx->dump_parent = parent;
}

void lay_draw_row(lay_ctx *ctx, const lay_row *row, double x, double y)
{
    int parent = ctx->dump_parent;
    ctx->dump_parent = row->serial;
    for (int i = 0; i < row->cell_count; i++) {
        const lay_cell *c = &row->cells[i];
        lay_struct_enter(ctx, c->snode); /* an empty cell still has its element */
        decorate(ctx->cr, x + c->x, y, c->width, row->height, 0, 0, c->has_background,
                 c->background);
        double inset = c->padding + c->border / 2;
        double content = lay_vec_height(&c->items);
        double free_h = row->height - 2 * inset - content;
        double off = c->valign == VQ_VALIGN_MIDDLE   ? free_h / 2
                     : c->valign == VQ_VALIGN_BOTTOM ? free_h
                                                     : 0;
        /* Cells sit side by side on one baseline: each ends with an
         * invisible space so that pdf.js does not join their words. */
        bool was = ctx->canvas ? vq_canvas_set_end_space(ctx->canvas, true) : false;
        lay_draw_items(ctx, c->items.v, c->items.n, x + c->x + inset, y + inset + off);
        if (ctx->canvas)
            vq_canvas_set_end_space(ctx->canvas, was);
    }
    ctx->dump_parent = parent;
    /* Borders last so that backgrounds never cover a neighbour's line. */
    cairo_t *cr = ctx->cr;
    for (int i = 0; i < row->cell_count; i++) {
        const lay_cell *c = &row->cells[i];
        if (c->border <= 0)
            continue;
        cairo_save(cr);
        set_rgb(cr, c->border_color);
        cairo_set_line_width(cr, c->border);
        cairo_rectangle(cr, x + c->x, y, c->width, row->height);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
}

void lay_draw_items(lay_ctx *ctx, const lay_item *items, size_t n, double x, double y)
{
    if (!ctx->cr || n == 0)
        return;
    draw_boxes(ctx, items, n, x, y);
    cairo_t *cr = ctx->cr;
    for (size_t i = 0; i < n; i++) {
        const lay_item *it = &items[i];
        double ix = x + it->x;
        lay_dump_item(ctx, it, ix, y);
        if (it->dest)
            lay_mark_dest(ctx, it->dest, ix, y);
        if (it->dest2)
            lay_mark_dest(ctx, it->dest2, ix, y);
        switch (it->kind) {
        case LI_LINE: {
            const vq_line *line = vq_paragraph_line(it->para->p, it->line);
            double baseline = y + it->ascent;
            check_on_page(ctx, it->para, line, ix, baseline);
            if (it->outline)
                lay_add_outline(ctx, it->outline, ix, y);
            /* The marker first, so that text read in drawing order starts
             * with it. */
            if (it->marker && vq_paragraph_line_count(it->marker->p) > 0) {
                lay_struct_enter(ctx, it->marker_snode);
                const vq_line *ml = vq_paragraph_line(it->marker->p, 0);
                vq_canvas_draw_line(ctx->canvas, it->marker->p, ml, x + it->marker_x, baseline);
            }
            lay_struct_enter(ctx, it->snode);
            vq_canvas_draw_line(ctx->canvas, it->para->p, line, ix, baseline);
            lay_draw_line_links(ctx, it->para->p, line, ix, baseline);
            break;
        }
        case LI_RULE:
            lay_struct_enter(ctx, NULL);
            cairo_save(cr);
            set_rgb(cr, it->color);
            cairo_set_line_width(cr, it->rule_width);
            cairo_move_to(cr, ix, y + it->height / 2);
            cairo_line_to(cr, ix + it->width, y + it->height / 2);
            cairo_stroke(cr);
            cairo_restore(cr);
            break;
        case LI_IMAGE:
            lay_struct_enter(ctx, it->snode);
            draw_image(ctx, it, ix, y);
            break;
        case LI_ROW:
            lay_struct_enter(ctx, it->snode);
            lay_draw_row(ctx, it->row, ix, y);
            break;
        default:
            break;
        }
        y += it->height;
    }
}
