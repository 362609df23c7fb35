/* vq_canvas_draw_line: kept apart from line.c so that programs drawing
 * glyph lines of their own need not link the paragraph engine. */
#include "render/render.h"

void vq_canvas_draw_line(vq_canvas *c, const vq_paragraph *p, const vq_line *line, double x,
                         double y)
{
    size_t len;
    const char *text = vq_paragraph_text(p, &len);
    vq_canvas_draw_glyph_line(c, text, len, line, x, y);
}
