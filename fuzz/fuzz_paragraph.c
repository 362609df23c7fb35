/* libFuzzer target: arbitrary text through the paragraph engine. The first
 * bytes choose the options (direction, alignment, width, digits, greedy);
 * the rest is split into two spans of different styles and laid out at two
 * widths, then dumped. Invalid UTF-8 must fail cleanly; nothing may crash,
 * hang or leak. Run from the source tree (fonts/ is read from there):
 *
 *   ./build-fuzz/fuzz/fuzz_paragraph -max_total_time=300 fuzz/corpus/paragraph */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "text/paragraph.h"

static vq_font_registry *fonts;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    if (!fonts) {
        const char *dirs[] = {"fonts"};
        vq_error err;
        fonts = vq_font_registry_create_from(dirs, 1, &err);
        if (!fonts)
            return 0;
    }
    uint8_t opt = data[0], width = data[1], split = data[2], digits = data[3];
    data += 4;
    size -= 4;
    size_t cut = size ? split % (size + 1) : 0;

    vq_text_style a = {.family = "Vazirmatn",
                       .size = 11,
                       .weight = 400,
                       .lang = "fa",
                       .digits = (vq_digits)(digits % 3)};
    vq_text_style b = {.family = "Noto Serif",
                       .size = 9,
                       .weight = 700,
                       .italic = true,
                       .lang = "en",
                       .baseline_shift = 3,
                       .size_scale = 0.7};
    vq_paragraph *p = vq_paragraph_create(fonts);
    vq_paragraph_add_text(p, (const char *)data, cut, &a);
    if (opt & 0x80)
        vq_paragraph_add_line_break(p);
    vq_paragraph_add_text(p, (const char *)data + cut, size - cut, &b);

    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, 1 + width);
    ps.dir = (vq_dir)(opt % 3);
    ps.align = (vq_align)((opt >> 2) % 6);
    ps.greedy = opt & 0x20;
    ps.first_indent = (opt & 0x40) ? 12 : 0;
    vq_error err;
    vq_buf dump = VQ_BUF_INIT;
    if (vq_paragraph_layout(p, &ps, &err) == VQ_OK) {
        vq_paragraph_dump(p, VQ_DUMP_RUNS | VQ_DUMP_LINES, &dump);
        ps.width = 1 + width * 3;
        if (vq_paragraph_layout(p, &ps, &err) == VQ_OK)
            vq_paragraph_dump(p, VQ_DUMP_BREAKS, &dump);
    }
    vq_buf_free(&dump);
    vq_paragraph_destroy(p);
    return 0;
}
