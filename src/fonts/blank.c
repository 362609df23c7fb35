/* Finds the blank glyphs by name: the converted faces keep glyph names in a
 * format 2 post table, which HarfBuzz reads for CFF fonts too. */
#include "fonts/blank.h"

#include <stdio.h>

size_t vq_font_find_blank_glyphs(hb_font_t *font, uint32_t *out, size_t max)
{
    size_t n = 0;
    while (n < max) {
        char name[32];
        hb_codepoint_t gid;
        snprintf(name, sizeof name, "vqblank%zu", n);
        if (!hb_font_get_glyph_from_name(font, name, -1, &gid))
            break;
        out[n++] = gid;
    }
    return n;
}
