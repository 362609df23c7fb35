/* libFuzzer target: arbitrary markup through parse → layout → PDF (written
 * to /dev/null), which must never crash, hang or leak. Run from the source
 * tree so that figures resolve against tests/layout (img/page.jpg, …) and
 * the fonts are found beside the build folder:
 *
 *   ./build-fuzz/fuzz/fuzz_layout -max_total_time=300 -dict=fuzz/markup.dict \
 *       fuzz/corpus/layout */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/io.h"
#include "layout/layout.h"
#include "markup/markup.h"
#include "render/render.h"

static vq_font_registry *fonts;

/* The fonts folder: $VARAQ_FONT_PATH, else fonts/ beside the build folder
 * the target lives in (build-fuzz/fuzz/fuzz_layout → build-fuzz/fonts). */
static vq_font_registry *load_fonts(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *dir = vq_path_dirname(exe);
    char *up = vq_path_join(dir, "..");
    vq_error err;
    vq_font_registry *reg = vq_font_registry_create(up, &err);
    if (!reg) {
        const char *dirs[] = {"fonts"};
        reg = vq_font_registry_create_from(dirs, 1, &err);
    }
    free(up);
    free(dir);
    return reg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fonts && !(fonts = load_fonts()))
        abort(); /* nothing can be tested without fonts */
    /* No size cap: the limits of docs/limits.md must hold for any length
     * (fuzz/make_scaled.py writes seeds up to them); -max_len keeps the
     * search itself short. */
    vq_error err;
    vq_document *doc =
        vq_markup_parse((const char *)data, size, "fuzz.xml", NULL, "tests/layout", &err);
    if (!doc)
        return 0;
    /* Huge pages or tiny ones only cost time; layout rejects no-room pages
     * itself. */
    if (doc->page.width > 3000 || doc->page.height > 3000) {
        vq_document_destroy(doc);
        return 0;
    }
    vq_pdf_metadata meta = {.title = doc->title};
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PDF, "/dev/null", doc->page.width, doc->page.height,
                                    72, &meta, &err);
    if (c) {
        int pages = 0;
        if (vq_layout_render(doc, fonts, c, &pages, &err) == VQ_OK)
            vq_canvas_finish(c, &err);
        vq_canvas_destroy(c);
    }
    vq_document_destroy(doc);
    return 0;
}
