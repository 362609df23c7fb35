/* The canvas alone: lines built by hand from HarfBuzz output (no paragraph
 * engine), read back with poppler's pdftotext and pdfinfo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <cairo-ft.h>
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H
#include FT_FONT_FORMATS_H
#include FT_BBOX_H

#include "base/buf.h"
#include "fonts/fonts.h"
#include "fonts/fonts_cairo.h"
#include "render/internal.h"
#include "render/render.h"

static vq_font_registry *reg;
static char tmpdir[4096];

static int setup(void **state)
{
    const char *dir = VQ_SOURCE_DIR "/fonts";
    vq_error err;
    reg = vq_font_registry_create_from(&dir, 1, &err);
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/vq-render-XXXXXX", base && *base ? base : "/tmp");
    if (!reg || !mkdtemp(tmpdir))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    vq_font_registry_destroy(reg);
    vq_buf cmd = VQ_BUF_INIT;
    vq_buf_printf(&cmd, "rm -rf '%s'", tmpdir);
    int rc = system(cmd.data);
    vq_buf_free(&cmd);
    return rc == 0 ? 0 : -1;
}

static char *run(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    vq_buf out = VQ_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        vq_buf_append(&out, chunk, n);
    pclose(p);
    return vq_buf_steal(&out);
}

/* One run of text shaped with HarfBuzz as the paragraph engine would. */
typedef struct shaped_run {
    vq_glyph glyphs[64];
    vq_glyph_run run;
} shaped_run;

static void shape(shaped_run *sr, const vq_face *face, const char *text, size_t start, size_t end,
                  bool rtl, double size, double x)
{
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_set_direction(buf, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(buf, rtl ? HB_SCRIPT_ARABIC : HB_SCRIPT_LATIN);
    hb_buffer_set_language(buf, hb_language_from_string(rtl ? "fa" : "en", -1));
    hb_buffer_set_flags(buf, HB_BUFFER_FLAG_PRESERVE_DEFAULT_IGNORABLES);
    hb_buffer_set_cluster_level(buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    hb_buffer_add_utf8(buf, text, (int)strlen(text), (unsigned)start, (int)(end - start));
    hb_shape(vq_face_hb_font(face), buf, NULL, 0);
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
    assert_true(n <= 64);
    double scale = size / vq_face_units_per_em(face), width = 0;
    for (unsigned i = 0; i < n; i++) {
        sr->glyphs[i] = (vq_glyph){info[i].codepoint,
                                   (float)(pos[i].x_advance * scale),
                                   (float)(pos[i].x_offset * scale),
                                   (float)(pos[i].y_offset * scale),
                                   info[i].cluster,
                                   0};
        width += sr->glyphs[i].x_advance;
    }
    sr->run = (vq_glyph_run){.face = face,
                             .size = size,
                             .level = rtl ? 1 : 0,
                             .x = x,
                             .width = width,
                             .glyphs = sr->glyphs,
                             .glyph_count = n,
                             .text_start = start,
                             .text_end = end};
    hb_buffer_destroy(buf);
}

/* The whole of one shaped run as the last line of its paragraph. */
static vq_line one_run_line(shaped_run *sr, const char *text)
{
    return (vq_line){.width = sr->run.width,
                     .natural_width = sr->run.width,
                     .runs = &sr->run,
                     .run_count = 1,
                     .text_end = strlen(text),
                     .last = true};
}

static char *pdf_path(const char *name)
{
    vq_buf b = VQ_BUF_INIT;
    vq_buf_printf(&b, "%s/%s", tmpdir, name);
    return vq_buf_steal(&b);
}

/* A Persian line (lam-alef, ZWNJ, ezafe) copies out as written, with no
 * presentation forms. */
static void test_persian_words_copy_out(void **state)
{
    const char *text = "لازم است پروندهٔ او را می‌خوانیم";
    const vq_face *face = vq_font_find(reg, "Vazirmatn", 400, false);
    assert_non_null(face);
    shaped_run sr;
    shape(&sr, face, text, 0, strlen(text), true, 14, 0);
    vq_line line = one_run_line(&sr, text);
    char *path = pdf_path("fa.pdf");
    vq_error err;
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PDF, path, 595, 842, 0, NULL, &err);
    assert_non_null(c);
    vq_canvas_draw_glyph_line(c, text, strlen(text), &line, 100, 100);
    assert_int_equal(vq_canvas_finish(c, &err), VQ_OK);
    vq_canvas_destroy(c);
    char *out = run("pdftotext -enc UTF-8 '%s' - | tr -d '\\f' | sed '/^$/d'", path);
    /* pdftotext marks the RTL line with U+202B ... U+202C. The space after
     * the ezafe word is the RLM-space that keeps the hamza with its word in
     * pdf.js: it copies as U+200F U+0020. */
    assert_string_equal(
        out, "\u202bلازم است پروندهٔ \u200fاو را می‌خوانیم\u202c\n");
    free(out);
    free(path);
}

/* A PDF canvas asks Cairo for a glyph's outline the first time the glyph
 * is drawn in its face (Cairo then loads metrics and outline in one
 * FreeType load), marks it in the faces' record, leaves no path behind,
 * and the text still copies out. */
static void test_glyph_outline_asked_once(void **state)
{
    const char *text = "درمان با ایمونوگلوبولین";
    const vq_face *face = vq_font_find(reg, "Vazirmatn", 400, false);
    assert_non_null(face);
    shaped_run sr;
    shape(&sr, face, text, 0, strlen(text), true, 11, 0);
    vq_line line = one_run_line(&sr, text);
    char *path = pdf_path("once.pdf");
    vq_error err;
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PDF, path, 595, 842, 0, NULL, &err);
    assert_non_null(c);
    vq_cairo_faces *faces = vq_cairo_faces_create();
    vq_canvas_use_faces(c, faces);
    vq_canvas_draw_glyph_line(c, text, strlen(text), &line, 100, 100);
    assert_false(cairo_has_current_point(vq_canvas_cairo(c)));
    for (size_t i = 0; i < sr.run.glyph_count; i++)
        assert_true(vq_cairo_faces_mark(faces, face, sr.glyphs[i].id));
    assert_false(vq_cairo_faces_mark(faces, face, 60000));
    assert_true(vq_cairo_faces_mark(faces, face, 60000));
    const vq_face *other = vq_font_find(reg, "Amiri", 400, false);
    assert_false(vq_cairo_faces_mark(faces, other, sr.glyphs[0].id)); /* no Cairo face yet */
    assert_false(vq_cairo_faces_mark(faces, other, sr.glyphs[0].id));
    assert_int_equal(vq_canvas_finish(c, &err), VQ_OK);
    vq_canvas_destroy(c);
    vq_cairo_faces_destroy(faces);
    char *out = run("pdftotext -enc UTF-8 '%s' - | tr -d '\\f' | sed '/^$/d'", path);
    assert_string_equal(out, "\u202bدرمان با ایمونوگلوبولین\u202c\n");
    free(out);
    free(path);
}

/* KiB of the process's mappings of a file whose path ends with name that
 * are resident (smaps' Rss). */
static long mapped_kib(const char *name)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    assert_non_null(f);
    char line[4096];
    long kib = 0;
    bool in = false;
    size_t n = strlen(name);
    while (fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\n");
        if (strncmp(line, "Rss:", 4) == 0) {
            if (in)
                kib += atol(line + 4);
        } else if (len > 0 && line[len - 1] != ':' && strchr(line, '-') &&
                   strchr(line, '-') < strchr(line, ' ')) {
            in = len >= n && strncmp(line + len - n, name, n) == 0;
        }
    }
    fclose(f);
    return kib;
}

/* Cairo 1.16 reads a CFF font's whole CFF table when the face enters a PDF
 * and again to subset it (2.1 MB for Amiri); FreeType reads such long
 * reads with pread, so those pages are not mapped into the process. The
 * short reads (glyph outlines, metrics) come from a mapping: the pages
 * around each, about 480 KiB for this line. */
static void test_cairo_reads_font_without_mapping(void **state)
{
    const char *dir = VQ_SOURCE_DIR "/fonts";
    vq_error err;
    vq_font_registry *own = vq_font_registry_create_from(&dir, 1, &err);
    assert_non_null(own);
    const vq_face *face = vq_font_find(own, "Amiri", 400, false);
    assert_non_null(face);
    int fd = vq_face_open_draw_file(face);
    assert_true(fd >= 0);
    close(fd);
    const char *text = "درمان با ایمونوگلوبولین";
    shaped_run sr;
    shape(&sr, face, text, 0, strlen(text), true, 11, 0);
    vq_face_blank_glyphs(face, NULL);
    vq_line line = one_run_line(&sr, text);
    char *path = pdf_path("pread.pdf");
    long before = mapped_kib("/Amiri-Regular.otf");
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PDF, path, 595, 842, 0, NULL, &err);
    assert_non_null(c);
    vq_canvas_draw_glyph_line(c, text, strlen(text), &line, 100, 100);
    sr.run.size = 14;
    vq_canvas_draw_glyph_line(c, text, strlen(text), &line, 100, 200);
    assert_int_equal(vq_canvas_finish(c, &err), VQ_OK);
    vq_canvas_destroy(c);
    long after = mapped_kib("/Amiri-Regular.otf");
    assert_true(before > 0);
    assert_in_range(after - before, 0, 1024); /* 2,600 KiB when all was mapped */
    vq_font_registry_destroy(own);
    free(path);
}

/* Runs of a mixed line go out in logical order; the English word inside a
 * Persian sentence reads back in its place. */
static void test_mixed_line_order(void **state)
{
    const char *text = "درمان با IVIG موثر بود";
    const vq_face *face = vq_font_find(reg, "Vazirmatn", 400, false);
    size_t a = strlen("درمان با "), b = a + strlen("IVIG");
    shaped_run r[3];
    /* Visual: [موثر بود ][IVIG][درمان با ] from left to right. */
    shape(&r[2], face, text, b, strlen(text), true, 14, 0);
    shape(&r[1], face, text, a, b, false, 14, r[2].run.width);
    shape(&r[0], face, text, 0, a, true, 14, r[2].run.width + r[1].run.width);
    r[1].run.level = 2;
    vq_glyph_run runs[3] = {r[0].run, r[1].run, r[2].run};
    vq_line line = {.runs = runs, .run_count = 3, .text_end = strlen(text), .last = true};
    char *path = pdf_path("mixed.pdf");
    vq_error err;
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PDF, path, 595, 842, 0, NULL, &err);
    vq_canvas_draw_glyph_line(c, text, strlen(text), &line, 100, 100);
    assert_int_equal(vq_canvas_finish(c, &err), VQ_OK);
    vq_canvas_destroy(c);
    /* Bidi marks aside, the words come back as written. */
    char *out = run("pdftotext -enc UTF-8 '%s' - | perl -CSD -pe 's/[\\x{200e}\\x{200f}\\x{202a}-"
                    "\\x{202e}]//g' | tr -d '\\f' | sed '/^$/d' | tr -s ' '",
                    path);
    assert_string_equal(out, "درمان با IVIG موثر بود\n");
    free(out);
    free(path);
}

/* Amiri sets its kaf and gaf initial forms before reh narrower than their
 * advance in the font (329 of 573 units), and extractors take a glyph's box
 * from the font: the box of the gaf of "گردید" covers the space before
 * "مشاهده". That space copies out as RLM + space on a blank glyph at the
 * box's end (pdftotext had "مشاهدهگردید"). */
static void test_covered_space(void **state)
{
    const char *text = "ران چپ مشاهده گردید که";
    const vq_face *face = vq_font_find(reg, "Amiri", 400, false);
    assert_non_null(face);
    shaped_run sr;
    shape(&sr, face, text, 0, strlen(text), true, 11, 0);
    /* Spaces shrunk as in a justified line of the case report (2.74 pt). */
    for (size_t i = 0; i < sr.run.glyph_count; i++)
        if (text[sr.glyphs[i].cluster] == ' ') {
            sr.run.width -= sr.glyphs[i].x_advance - 2.74f;
            sr.glyphs[i].x_advance = 2.74f;
        }
    vq_line line = {.runs = &sr.run, .run_count = 1, .text_end = strlen(text), .last = true};
    char *path = pdf_path("covered.pdf");
    vq_error err;
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PDF, path, 595, 842, 0, NULL, &err);
    vq_canvas_draw_glyph_line(c, text, strlen(text), &line, 100, 100);
    assert_int_equal(vq_canvas_finish(c, &err), VQ_OK);
    vq_canvas_destroy(c);
    char *out = run("pdftotext -enc UTF-8 '%s' - | tr -d '\\f' | sed '/^$/d'", path);
    assert_string_equal(out, "\u202bران چپ مشاهده \u200fگردید که\u202c\n");
    free(out);
    free(path);
}

/* Table cells side by side: with the end space on, each line ends with RLM
 * (LRM in an LTR line) + space at its logical end (the visual left of a Persian cell, the right of
 * an English one), so that pdf.js, which joins its items with nothing
 * between, keeps the cells' words apart. */
static void test_end_space(void **state)
{
    const char *fa = "نوع درمان", *en = "Range";
    const vq_face *face = vq_font_find(reg, "Vazirmatn", 400, false);
    shaped_run a, b;
    shape(&a, face, fa, 0, strlen(fa), true, 10, 0);
    shape(&b, face, en, 0, strlen(en), false, 10, 0);
    vq_line la = {.runs = &a.run, .run_count = 1, .text_end = strlen(fa), .last = true};
    vq_line lb = {.runs = &b.run, .run_count = 1, .text_end = strlen(en), .last = true};
    char *path = pdf_path("cells.pdf");
    vq_error err;
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PDF, path, 595, 842, 0, NULL, &err);
    assert_false(vq_canvas_set_end_space(c, true));
    vq_canvas_draw_glyph_line(c, fa, strlen(fa), &la, 300, 100);
    vq_canvas_draw_glyph_line(c, en, strlen(en), &lb, 200, 100);
    assert_true(vq_canvas_set_end_space(c, false));
    vq_canvas_draw_glyph_line(c, en, strlen(en), &lb, 200, 200);
    assert_int_equal(vq_canvas_finish(c, &err), VQ_OK);
    vq_canvas_destroy(c);
    char *out = run("pdftotext -enc UTF-8 '%s' - | tr -d '\\f' | sed '/^$/d'", path);
    /* pdftotext puts the English lines first and marks RTL text with
     * U+202B ... U+202C; the end space is a word of its own (0.15 em
     * apart, LRM in the English cell: an RLM there was wrapped in U+202B
     * ... U+202C too); the last "Range" was drawn with the end space off. */
    assert_string_equal(out, "Range \u200e \nRange\n\u202bنوع درمان  \u200f\u202c\n");
    free(out);
    free(path);
}

static void test_metadata(void **state)
{
    char *path = pdf_path("meta.pdf");
    vq_pdf_metadata meta = {.title = "گزارش مورد",
                            .author = "A. Author",
                            .subject = "Subject",
                            .keywords = "k1, k2",
                            .creator = "varaq test"};
    vq_error err;
    setenv("SOURCE_DATE_EPOCH", "86400", 1);
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PDF, path, 595, 842, 0, &meta, &err);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_non_null(c);
    assert_int_equal(vq_canvas_page_number(c), 1);
    vq_canvas_next_page(c);
    assert_int_equal(vq_canvas_page_number(c), 2);
    /* Cairo drops a last page with nothing on it. */
    cairo_rectangle(vq_canvas_cairo(c), 10, 10, 5, 5);
    cairo_fill(vq_canvas_cairo(c));
    assert_int_equal(vq_canvas_finish(c, &err), VQ_OK);
    vq_canvas_destroy(c);
    char *out = run("pdfinfo -enc UTF-8 '%s' | grep -E '^(Title|Author|Subject|Keywords|Creator|"
                    "CreationDate|Pages):' | tr -s ' '",
                    path);
    assert_string_equal(out, "Title: گزارش مورد\n"
                             "Subject: Subject\n"
                             "Keywords: k1, k2\n"
                             "Author: A. Author\n"
                             "Creator: varaq test\n"
                             "CreationDate: Fri Jan 2 00:00:00 1970 UTC\n"
                             "Pages: 2\n");
    free(out);
    free(path);
}

static void test_png_pages(void **state)
{
    vq_buf pattern = VQ_BUF_INIT;
    vq_buf_printf(&pattern, "%s/page-%%d.png", tmpdir);
    const char *text = "سلام";
    const vq_face *face = vq_font_find(reg, "Vazirmatn", 400, false);
    shaped_run sr;
    shape(&sr, face, text, 0, strlen(text), true, 40, 0);
    vq_line line = {.runs = &sr.run, .run_count = 1, .text_end = strlen(text)};
    vq_error err;
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PNG, pattern.data, 200, 100, 72, NULL, &err);
    assert_non_null(c);
    assert_int_equal(vq_canvas_get_kind(c), VQ_CANVAS_PNG);
    vq_canvas_draw_glyph_line(c, text, strlen(text), &line, 20, 60);
    vq_canvas_next_page(c);
    assert_int_equal(vq_canvas_finish(c, &err), VQ_OK);
    vq_canvas_destroy(c);
    for (int page = 1; page <= 2; page++) {
        char name[256];
        snprintf(name, sizeof name, pattern.data, page);
        cairo_surface_t *s = cairo_image_surface_create_from_png(name);
        assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
        assert_int_equal(cairo_image_surface_get_width(s), 200);
        int dark = 0, stride = cairo_image_surface_get_stride(s);
        const unsigned char *px = cairo_image_surface_get_data(s);
        for (int y = 0; y < 100; y++)
            for (int x = 0; x < 200; x++)
                dark += px[y * stride + x * 4] < 128;
        /* Ink on the first page only. */
        if (page == 1)
            assert_true(dark > 50);
        else
            assert_int_equal(dark, 0);
        cairo_surface_destroy(s);
    }
    vq_buf_free(&pattern);
}

/* A stamp (a glyph drawn as a path, render/stamp.c) as the first drawing
 * of a page: Cairo 1.16 drops what a page has recorded, its structure tags
 * too, at an unclipped paint on a page with nothing drawn yet, and the file
 * would not finish. The stamp is clipped there; the page keeps its tag and
 * shows the ink. */
static void test_stamp_first_on_page(void **state)
{
    const vq_face *face = vq_font_find(reg, "Vazirmatn", 400, false);
    assert_non_null(face);
    hb_codepoint_t gid;
    assert_true(hb_font_get_nominal_glyph(vq_face_hb_font(face), 0x0627, &gid));
    char *path = pdf_path("stamp.pdf");
    vq_error err;
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PDF, path, 200, 100, 0, NULL, &err);
    assert_non_null(c);
    vq_canvas_tag_begin(c, "P", NULL, NULL, NULL, NULL);
    cairo_font_face_t *cface = vq_cairo_faces_get(c->faces, face, &err);
    assert_non_null(cface);
    cairo_glyph_t g = {gid, 100, 60};
    vq_stamp_glyphs(c, face, cface, 40, 0, &g, 1);
    vq_canvas_tag_end(c, "P");
    assert_int_equal(vq_canvas_finish(c, &err), VQ_OK);
    vq_canvas_destroy(c);
    char *out =
        run("qpdf --qdf --object-streams=disable '%s' - | grep -a -c -e '/S /P$' -e ' Do$'", path);
    assert_string_equal(out, "2\n");
    free(out);
    free(path);
}

/* The FT_Face Cairo draws face with, locked: a Cairo face made in a cache
 * of its own and a scaled font of it at 10 units, which unlock_cairo_face
 * releases. */
typedef struct cairo_face_lock {
    vq_cairo_faces *faces;
    cairo_scaled_font_t *sf;
} cairo_face_lock;

static FT_Face lock_cairo_face(const vq_face *face, cairo_face_lock *lock)
{
    lock->faces = vq_cairo_faces_create();
    vq_error err;
    cairo_font_face_t *cface = vq_cairo_faces_get(lock->faces, face, &err);
    assert_non_null(cface);
    cairo_matrix_t m, id;
    cairo_matrix_init_scale(&m, 10, 10);
    cairo_matrix_init_identity(&id);
    cairo_font_options_t *fo = cairo_font_options_create();
    lock->sf = cairo_scaled_font_create(cface, &m, &id, fo);
    cairo_font_options_destroy(fo);
    assert_int_equal(cairo_scaled_font_status(lock->sf), CAIRO_STATUS_SUCCESS);
    FT_Face ft = cairo_ft_scaled_font_lock_face(lock->sf);
    assert_non_null(ft);
    return ft;
}

static void unlock_cairo_face(cairo_face_lock *lock)
{
    cairo_ft_scaled_font_unlock_face(lock->sf);
    cairo_scaled_font_destroy(lock->sf);
    vq_cairo_faces_destroy(lock->faces);
}

/* The face Cairo draws with shows FreeType a Unicode cmap that maps
 * nothing, on the Unicode platform: FreeType takes it as the font's
 * Unicode charmap (and builds none from the glyph names), and Cairo, which
 * looks up every glyph entering a font subset in a Windows Unicode
 * subtable, finds none after reading the table's first bytes. */
static void test_cairo_face_cmap(void **state)
{
    const vq_face *face = vq_font_find(reg, "Vazirmatn", 400, false);
    assert_non_null(face);
    cairo_face_lock lock;
    FT_Face ft = lock_cairo_face(face, &lock);
    assert_null(ft->charmap);
    assert_int_equal(ft->num_charmaps, 1);
    assert_int_equal(ft->charmaps[0]->platform_id, 0);
    assert_int_equal(ft->charmaps[0]->encoding_id, 3);
    assert_int_equal(ft->charmaps[0]->encoding, FT_ENCODING_UNICODE);
    unsigned char head[12];
    FT_ULong len = sizeof head;
    assert_int_equal(FT_Load_Sfnt_Table(ft, TTAG_cmap, 0, head, &len), 0);
    const unsigned char want[12] = {0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 12};
    assert_memory_equal(head, want, sizeof want);
    unlock_cairo_face(&lock);
}

/* A bundled face keeps its TrueType outlines under private tags
 * (fonts/convert.py); the face Cairo draws with shows them to FreeType as
 * the font's glyf, loca and maxp, so FreeType loads glyphs with its
 * TrueType driver, while Cairo's font subset still reads the font's
 * unchanged CFF table. A user's face, converted in memory, has no such
 * outlines and stays CFF. */
static FT_BBox unscaled_box(FT_Face ft, unsigned gid, FT_Pos *advance)
{
    assert_int_equal(FT_Load_Glyph(ft, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0);
    assert_true(ft->glyph->outline.n_points > 0);
    *advance = ft->glyph->metrics.horiAdvance;
    FT_BBox box;
    assert_int_equal(FT_Outline_Get_BBox(&ft->glyph->outline, &box), 0);
    return box;
}

/* face's Cairo face is TrueType to FreeType, Cairo subsets the CFF table of
 * the face's drawing data byte for byte, and each of the glyphs for cps
 * stands where the CFF draws it, as wide (the CFF's curves have their
 * control points rounded to font units, and the bearing must not move the
 * TrueType outline). */
static void check_truetype_view(const vq_face *face, const uint32_t *cps, size_t ncps)
{
    cairo_face_lock lock;
    FT_Face ft = lock_cairo_face(face, &lock);
    assert_string_equal(FT_Get_Font_Format(ft), "TrueType");

    size_t len;
    unsigned index;
    const void *draw = vq_face_draw_data(face, &len, &index);
    FT_Library lib;
    FT_Face cff;
    assert_int_equal(FT_Init_FreeType(&lib), 0);
    assert_int_equal(FT_New_Memory_Face(lib, draw, (FT_Long)len, (FT_Long)index, &cff), 0);
    assert_string_equal(FT_Get_Font_Format(cff), "CFF");
    FT_ULong want_len = 0, got_len = 0;
    assert_int_equal(FT_Load_Sfnt_Table(cff, TTAG_CFF, 0, NULL, &want_len), 0);
    assert_int_equal(FT_Load_Sfnt_Table(ft, TTAG_CFF, 0, NULL, &got_len), 0);
    assert_int_equal(got_len, want_len);
    unsigned char *want = malloc(want_len), *got = malloc(got_len);
    assert_int_equal(FT_Load_Sfnt_Table(cff, TTAG_CFF, 0, want, &want_len), 0);
    assert_int_equal(FT_Load_Sfnt_Table(ft, TTAG_CFF, 0, got, &got_len), 0);
    assert_memory_equal(got, want, want_len);
    free(want);
    free(got);

    for (size_t i = 0; i < ncps; i++) {
        hb_codepoint_t gid;
        assert_true(hb_font_get_nominal_glyph(vq_face_hb_font(face), cps[i], &gid));
        FT_Pos tt_advance, cff_advance;
        FT_BBox a = unscaled_box(ft, gid, &tt_advance), b = unscaled_box(cff, gid, &cff_advance);
        assert_int_equal(tt_advance, cff_advance);
        assert_true(labs(a.xMin - b.xMin) <= 1 && labs(a.xMax - b.xMax) <= 1);
        assert_true(labs(a.yMin - b.yMin) <= 1 && labs(a.yMax - b.yMax) <= 1);
    }
    FT_Done_Face(cff);
    FT_Done_FreeType(lib);
    unlock_cairo_face(&lock);
}

/* The bundled faces keep their TrueType outlines under private tags
 * (fonts/convert.py), and a user's TrueType face keeps its own when it is
 * converted on load (cidcff.c); the face Cairo draws with shows them to
 * FreeType as the font's glyf, loca and maxp, so FreeType loads glyphs
 * with its TrueType driver, while Cairo's font subset reads the font's
 * unchanged CFF table. */
static void test_cairo_face_truetype_outlines(void **state)
{
    const uint32_t cps[] = {0x0628, 0x0647, 0x06CC, 'H', '3'}, *latin = cps + 3;
    const char *families[] = {"Vazirmatn", "Amiri"};
    for (size_t i = 0; i < sizeof families / sizeof *families; i++) {
        const vq_face *face = vq_font_find(reg, families[i], 400, false);
        assert_non_null(face);
        check_truetype_view(face, cps, 5);
    }
    check_truetype_view(vq_font_find(reg, "Noto Serif", 400, false), latin, 2);
    const char *dir = "/usr/share/fonts/truetype/noto"; /* Debian fonts-noto-core */
    vq_error err;
    vq_font_registry *user = vq_font_registry_create_from(&dir, 1, &err);
    assert_non_null(user);
    const vq_face *face = vq_font_find(user, "Noto Sans Arabic", 400, false);
    assert_non_null(face);
    check_truetype_view(face, cps, 3);
    vq_font_registry_destroy(user);
}

static void test_png_pattern_needs_one_d(void **state)
{
    vq_error err;
    vq_canvas *c = vq_canvas_create(VQ_CANVAS_PNG, "page.png", 200, 100, 72, NULL, &err);
    assert_null(c);
    assert_int_equal(err.status, VQ_ERR_USAGE);
    assert_string_equal(err.message,
                        "a PNG output needs a positive resolution and a path with one %d");
    c = vq_canvas_create(VQ_CANVAS_PDF, "x.pdf", 0, 100, 0, NULL, &err);
    assert_null(c);
    assert_string_equal(err.message, "page size must be positive");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_persian_words_copy_out),
        cmocka_unit_test(test_mixed_line_order),
        cmocka_unit_test(test_glyph_outline_asked_once),
        cmocka_unit_test(test_cairo_reads_font_without_mapping),
        cmocka_unit_test(test_covered_space),
        cmocka_unit_test(test_end_space),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_png_pages),
        cmocka_unit_test(test_png_pattern_needs_one_d),
        cmocka_unit_test(test_stamp_first_on_page),
        cmocka_unit_test(test_cairo_face_cmap),
        cmocka_unit_test(test_cairo_face_truetype_outlines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
