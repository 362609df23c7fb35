/* Step 6: justification. A justified line (not the last, not one ending in
 * a forced break) is brought to the measure by widening or narrowing its
 * inter-word spaces, each in proportion to its width.
 *
 * In Persian, kashida (kashida.c) has taken its share of delta first; the
 * spaces get what is left. */
#include "text/internal.h"

double vq_text_justify(const vq_paragraph *p, vq_glyph *glyphs, size_t n, double delta)
{
    double spaces = 0;
    for (size_t i = 0; i < n; i++)
        if (vq_text_space_at(p, glyphs[i].cluster))
            spaces += glyphs[i].x_advance;
    if (spaces <= 0)
        return delta;
    /* A space never shrinks below a third of its width, whatever the line
     * breaker chose; what is left over stays unplaced. */
    double ratio = delta / spaces;
    if (ratio < -2.0 / 3.0)
        ratio = -2.0 / 3.0;
    double placed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!vq_text_space_at(p, glyphs[i].cluster))
            continue;
        float add = (float)(glyphs[i].x_advance * ratio);
        glyphs[i].x_advance += add;
        placed += add;
    }
    return delta - placed;
}
