/* libFuzzer target: a user's font file, as the registry finds it in a font
 * folder (--font-path, VARAQ_FONT_PATH). The bytes are written as a font
 * in a folder of their own; the registry reads each face's table
 * directory, name and OS/2. Every face it keeps is then used as the
 * renderer uses it: shaped with HarfBuzz, converted to CID-keyed CFF when
 * it is TrueType or name-keyed CFF (cidcff.c), opened as Cairo's FreeType
 * face with the cmap hidden and any TrueType outlines shown
 * (fonts_cairo.c), its first glyphs drawn into a PDF in memory and asked
 * for as paths. Nothing may crash, hang or leak; a file that is no font is
 * left out of the registry with an error value.
 *
 *   ./build-fuzz/fuzz/fuzz_font -max_total_time=300 -max_len=300000 fuzz/corpus/font
 *
 * The file is named .otf when it starts as an OpenType CFF font does
 * ("OTTO"), .ttf otherwise. */
#define _DEFAULT_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <hb.h>

#include "base/io.h"
#include "fonts/fonts.h"
#include "fonts/fonts_cairo.h"
#include "fuzz_common.h"
#include "varaq/error.h"

static char *dir;

static void cleanup(void)
{
    const char *names[] = {"f.otf", "f.ttf"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *path = vq_path_join(dir, names[i]);
        remove(path);
        free(path);
    }
    remove(dir);
    free(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    vq_set_warning_handler(fuzz_no_warning, NULL); /* "not a usable font file" */
    dir = fuzz_temp_dir("font");
    atexit(cleanup);
    return 0;
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length)
{
    (void)closure;
    (void)data;
    (void)length;
    return CAIRO_STATUS_SUCCESS;
}

/* Shapes a little Persian and Latin text, and draws the first glyphs of the
 * face through its Cairo face: as text into a PDF, and as paths. */
static void use_face(vq_cairo_faces *faces, const vq_face *face)
{
    hb_font_t *font = vq_face_hb_font(face);
    if (!font)
        return;
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_add_utf8(buf, "بیمار 50mg", -1, 0, -1);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(font, buf, NULL, 0);
    hb_buffer_destroy(buf);

    vq_error err;
    cairo_font_face_t *cface = vq_cairo_faces_get(faces, face, &err);
    if (!cface)
        return;
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(discard, NULL, 200, 200);
    cairo_t *cr = cairo_create(surface);
    cairo_set_font_face(cr, cface);
    cairo_set_font_size(cr, 12);
    unsigned count = hb_face_get_glyph_count(hb_font_get_face(font));
    cairo_glyph_t glyphs[16];
    int n = 0;
    for (unsigned g = 0; g < count && n < 16; g++, n++)
        glyphs[n] = (cairo_glyph_t){g, 10.0 + 11 * n, 100};
    cairo_show_glyphs(cr, glyphs, n);
    cairo_new_path(cr);
    cairo_glyph_path(cr, glyphs, n);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool otf = size >= 4 && memcmp(data, "OTTO", 4) == 0;
    char *path = vq_path_join(dir, otf ? "f.otf" : "f.ttf");
    vq_error err;
    if (vq_write_file_atomic(path, data, size, &err) != VQ_OK)
        abort();
    const char *dirs[] = {dir};
    vq_font_registry *reg = vq_font_registry_create_from(dirs, 1, &err);
    if (reg) {
        vq_cairo_faces *faces = vq_cairo_faces_create();
        for (size_t i = 0; i < vq_font_registry_face_count(reg); i++)
            use_face(faces, vq_font_registry_face(reg, i));
        vq_cairo_faces_destroy(faces);
        vq_font_registry_destroy(reg);
    }
    remove(path);
    free(path);
    return 0;
}
