/* The font registry on the bundled fonts/ folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hb-ot.h>
#include <unicode/uscript.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_FONT_FORMATS_H
#include FT_OUTLINE_H

#include "base/io.h"
#include "fonts/cidcff.h"
#include "fonts/fonts.h"

static vq_font_registry *open_bundled(void)
{
    char *dir = vq_path_join(VQ_SOURCE_DIR, "fonts");
    const char *dirs[] = {dir};
    vq_error err;
    vq_font_registry *reg = vq_font_registry_create_from(dirs, 1, &err);
    free(dir);
    assert_non_null(reg);
    return reg;
}

static void lists_every_bundled_face(void **state)
{
    (void)state;
    vq_font_registry *reg = open_bundled();
    assert_int_equal(vq_font_registry_face_count(reg), 8);
    vq_buf out = VQ_BUF_INIT;
    vq_font_registry_list(reg, &out);
    /* One line per face, file names in order; defaults marked. */
    assert_non_null(strstr(out.data, "Vazirmatn\tRegular\t400\t"));
    assert_non_null(strstr(out.data, "Vazirmatn-Regular.otf\tdefault:fa\n"));
    assert_non_null(strstr(out.data, "Noto Serif\tBold Italic\t700\t"));
    assert_non_null(strstr(out.data, "NotoSerif-Regular.otf\tdefault:en\n"));
    assert_non_null(strstr(out.data, "Amiri\tBold\t700\t"));
    vq_buf_free(&out);
    vq_font_registry_destroy(reg);
}

static void finds_by_family_weight_and_slant(void **state)
{
    (void)state;
    vq_font_registry *reg = open_bundled();
    const vq_face *f = vq_font_find(reg, "vazirmatn", 700, false);
    assert_non_null(f);
    assert_string_equal(vq_face_family(f), "Vazirmatn");
    assert_int_equal(vq_face_weight(f), 700);
    assert_non_null(strstr(vq_face_path(f), "Vazirmatn-Bold.otf"));
    f = vq_font_find(reg, "Noto Serif", 700, true);
    assert_non_null(strstr(vq_face_path(f), "NotoSerif-BoldItalic.otf"));
    assert_true(vq_face_italic(f));
    /* The nearest weight: 600 → Bold, 300 → Regular. */
    f = vq_font_find(reg, "Noto Serif", 600, false);
    assert_non_null(strstr(vq_face_path(f), "NotoSerif-Bold.otf"));
    f = vq_font_find(reg, "Noto Serif", 300, false);
    assert_non_null(strstr(vq_face_path(f), "NotoSerif-Regular.otf"));
    /* Vazirmatn has no italic: the upright face is the closest. */
    f = vq_font_find(reg, "Vazirmatn", 400, true);
    assert_non_null(strstr(vq_face_path(f), "Vazirmatn-Regular.otf"));
    assert_null(vq_font_find(reg, "Times New Roman", 400, false));
    assert_string_equal(vq_font_default_family(reg, "fa"), "Vazirmatn");
    assert_string_equal(vq_font_default_family(reg, "fa-IR"), "Vazirmatn");
    assert_string_equal(vq_font_default_family(reg, "en"), "Noto Serif");
    assert_string_equal(vq_font_default_family(reg, NULL), "Noto Serif");
    vq_font_registry_destroy(reg);
}

static void metrics_and_scale_in_font_units(void **state)
{
    (void)state;
    vq_font_registry *reg = open_bundled();
    const vq_face *f = vq_font_find(reg, "Vazirmatn", 400, false);
    assert_int_equal(vq_face_units_per_em(f), 2048);
    assert_int_equal(vq_face_ascender(f), 2100);
    assert_int_equal(vq_face_descender(f), 1100);
    int x, y;
    hb_font_get_scale(vq_face_hb_font(f), &x, &y);
    assert_int_equal(x, 2048);
    assert_int_equal(y, 2048);
    size_t len;
    const void *data = vq_face_data(f, &len);
    assert_non_null(data);
    assert_true(len > 100000);
    assert_memory_equal(data, "OTTO", 4); /* CID-keyed CFF OpenType */
    assert_int_equal(vq_face_index(f), 0);
    vq_font_registry_destroy(reg);
}

static void falls_back_by_script_and_coverage(void **state)
{
    (void)state;
    vq_font_registry *reg = open_bundled();
    const vq_face *vazir = vq_font_find(reg, "Vazirmatn", 400, false);
    const vq_face *noto = vq_font_find(reg, "Noto Serif", 400, false);
    /* Vazirmatn has Latin of its own, so it keeps it. */
    assert_ptr_equal(vq_font_fallback(reg, vazir, 'I', USCRIPT_LATIN, 400, false), vazir);
    /* No Greek in Vazirmatn: λ goes to Noto Serif. */
    assert_false(vq_face_has_char(vazir, 0x03BB));
    assert_ptr_equal(vq_font_fallback(reg, vazir, 0x03BB, USCRIPT_GREEK, 400, false), noto);
    /* No Arabic in Noto Serif: the Persian default, in the asked weight. */
    const vq_face *f = vq_font_fallback(reg, noto, 0x06CC, USCRIPT_ARABIC, 700, false);
    assert_string_equal(vq_face_family(f), "Vazirmatn");
    assert_int_equal(vq_face_weight(f), 700);
    /* Nothing has Tibetan. */
    assert_null(vq_font_fallback(reg, vazir, 0x0F00, USCRIPT_TIBETAN, 400, false));
    assert_true(vq_font_registry_first_missing(reg, 0x0F00));
    assert_false(vq_font_registry_first_missing(reg, 0x0F00));
    vq_font_registry_destroy(reg);
}

static void blank_glyphs_are_the_vqblank_set(void **state)
{
    (void)state;
    vq_font_registry *reg = open_bundled();
    for (size_t i = 0; i < vq_font_registry_face_count(reg); i++) {
        const vq_face *f = vq_font_registry_face(reg, i);
        size_t n;
        const uint32_t *g = vq_face_blank_glyphs(f, &n);
        assert_int_equal(n, 8);
        hb_font_t *hf = vq_face_hb_font(f);
        for (size_t k = 0; k < n; k++) {
            char name[32];
            assert_true(hb_font_get_glyph_name(hf, g[k], name, sizeof name));
            char want[32];
            snprintf(want, sizeof want, "vqblank%zu", k);
            assert_string_equal(name, want);
            assert_int_equal(hb_font_get_glyph_h_advance(hf, g[k]), 0);
        }
        /* The wide ones just before them: vqwide0…39, eight each of 0.1,
         * 0.35, 0.6, 0.85 and 1.1 em, no outline. */
        const uint32_t *w;
        const uint16_t *widths;
        size_t nw = vq_face_wide_blanks(f, &w, &widths);
        assert_int_equal(nw, VQ_CID_WIDES);
        for (size_t k = 0; k < nw; k++) {
            char name[32], want[32];
            assert_true(hb_font_get_glyph_name(hf, w[k], name, sizeof name));
            snprintf(want, sizeof want, "vqwide%zu", k);
            assert_string_equal(name, want);
            assert_int_equal(w[k] + nw - k, g[0]);
            assert_int_equal(widths[k], vq_cid_wide_width((unsigned)k, vq_face_units_per_em(f)));
            assert_int_equal(hb_font_get_glyph_h_advance(hf, w[k]), widths[k]);
            hb_glyph_extents_t ext;
            assert_true(hb_font_get_glyph_extents(hf, w[k], &ext));
            assert_int_equal(ext.width, 0);
        }
        assert_int_equal(widths[0], (vq_face_units_per_em(f) + 5) / 10); /* 0.1 em */
    }
    vq_font_registry_destroy(reg);
}

static void empty_folder_is_an_error(void **state)
{
    (void)state;
    char *dir = vq_path_join(VQ_SOURCE_DIR, "tests/fonts");
    const char *dirs[] = {dir};
    vq_error err;
    assert_null(vq_font_registry_create_from(dirs, 1, &err));
    assert_int_equal(err.status, VQ_ERR_IO);
    char want[1024];
    snprintf(want, sizeof want, "no usable font found (searched %s)", dir);
    assert_string_equal(err.message, want);
    free(dir);
}

static int warnings;
static char last_warning[512];

static void keep_warning(const char *file, int line, int column, const char *message, void *user)
{
    (void)line;
    (void)column;
    (void)user;
    warnings++;
    snprintf(last_warning, sizeof last_warning, "%s: %s", file ? strrchr(file, '/') + 1 : "",
             message);
}

/* A scratch folder in the build tree (beside the varaq binary); free it. */
static char *scratch_dir(void)
{
    const char *binary = getenv("VQ_BINARY");
    char *base = vq_path_dirname(binary ? binary : "./x");
    char *dir = vq_path_join(base, "vq-fonts-XXXXXX");
    free(base);
    assert_non_null(mkdtemp(dir));
    return dir;
}

/* A file that is not a font is skipped with a warning naming it; the
 * real fonts beside it still load. */
static void bad_font_file_is_skipped(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char *bad = vq_path_join(dir, "broken.ttf");
    vq_error err;
    assert_int_equal(vq_write_file_atomic(bad, "not a font at all", 17, &err), VQ_OK);
    char *good = vq_path_join(VQ_SOURCE_DIR, "fonts");
    const char *dirs[] = {dir, good};
    vq_set_warning_handler(keep_warning, NULL);
    warnings = 0;
    vq_font_registry *reg = vq_font_registry_create_from(dirs, 2, &err);
    vq_set_warning_handler(NULL, NULL);
    assert_non_null(reg);
    assert_int_equal(warnings, 1);
    assert_string_equal(last_warning, "broken.ttf: not a usable font file");
    assert_int_equal(vq_font_registry_face_count(reg), 8);
    vq_font_registry_destroy(reg);
    remove(bad);
    rmdir(dir);
    free(dir);
    free(bad);
    free(good);
}

/* Cairo's faces read the font file again (pread), but only while it is the
 * file the registry mapped: one replaced since then is read from the
 * mapping, so both libraries see the same font. */
static void draw_file_opened_only_while_unchanged(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char *src = vq_path_join(VQ_SOURCE_DIR, "fonts/Vazirmatn-Regular.otf");
    char *copy = vq_path_join(dir, "Vazirmatn-Regular.otf");
    size_t len;
    vq_error err;
    char *bytes = vq_read_file(src, &len, &err);
    assert_non_null(bytes);
    assert_int_equal(vq_write_file_atomic(copy, bytes, len, &err), VQ_OK);
    const char *dirs[] = {dir};
    vq_font_registry *reg = vq_font_registry_create_from(dirs, 1, &err);
    assert_non_null(reg);
    const vq_face *face = vq_font_find(reg, "Vazirmatn", 400, false);
    assert_non_null(face);
    int fd = vq_face_open_draw_file(face);
    assert_true(fd >= 0);
    close(fd);
    /* Replaced (a new file renamed over it): not the file mapped. */
    assert_int_equal(vq_write_file_atomic(copy, bytes, len, &err), VQ_OK);
    assert_int_equal(vq_face_open_draw_file(face), -1);
    size_t mapped_len;
    assert_non_null(vq_face_data(face, &mapped_len));
    assert_int_equal(mapped_len, len);
    vq_font_registry_destroy(reg);
    remove(copy);
    rmdir(dir);
    free(bytes);
    free(copy);
    free(src);
    free(dir);
}

static void search_path_from_environment(void **state)
{
    (void)state;
    char *dir = vq_path_join(VQ_SOURCE_DIR, "fonts");
    setenv("VARAQ_FONT_PATH", dir, 1);
    vq_error err;
    /* No executable folder, nothing at the install prefix (in a build
     * tree): the environment supplies the fonts. */
    vq_font_registry *reg = vq_font_registry_create("/nonexistent-dir", &err);
    assert_non_null(reg);
    assert_int_equal(vq_font_registry_face_count(reg), 8);
    vq_font_registry_destroy(reg);
    unsetenv("VARAQ_FONT_PATH");
    free(dir);
}

/* The glyph's control box in font units. */
static FT_BBox glyph_box(FT_Face face, unsigned gid)
{
    assert_int_equal(FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0);
    FT_BBox box;
    FT_Outline_Get_CBox(&face->glyph->outline, &box);
    return box;
}

/* A user's TrueType face is drawn through a CID-keyed CFF conversion (one
 * font resource in the PDF); a bundled face is already CID-keyed. */
static void truetype_face_is_converted_to_cid_cff(void **state)
{
    (void)state;
    const char *ttf = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf";
    vq_error err;
    size_t tlen;
    unsigned char *tdata = (unsigned char *)vq_read_file(ttf, &tlen, &err);
    assert_non_null(tdata); /* Debian fonts-noto-core */
    vq_buf cid = VQ_BUF_INIT;
    assert_true(vq_cid_convert(tdata, tlen, 0, &cid));

    FT_Library ft;
    FT_Face a, b;
    assert_int_equal(FT_Init_FreeType(&ft), 0);
    assert_int_equal(FT_New_Memory_Face(ft, tdata, (FT_Long)tlen, 0, &a), 0);
    assert_int_equal(FT_New_Memory_Face(ft, (unsigned char *)cid.data, (FT_Long)cid.len, 0, &b), 0);
    assert_string_equal(FT_Get_Font_Format(b), "CFF");
    assert_int_equal(b->num_glyphs, a->num_glyphs + VQ_CID_WIDES + VQ_CID_BLANKS);
    assert_int_equal(b->units_per_EM, a->units_per_EM);
    /* No cmap: Cairo takes each glyph's text from the renderer. */
    assert_int_equal(FT_Get_Char_Index(b, 0x0628), 0);
    /* Same glyph ids, same outlines (control points rounded to units). */
    const uint32_t cps[] = {0x0628, 0x0647, 0x06CC, 0x0033};
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        unsigned gid = FT_Get_Char_Index(a, cps[i]);
        assert_true(gid > 0);
        FT_BBox x = glyph_box(a, gid), y = glyph_box(b, gid);
        assert_true(labs(x.xMin - y.xMin) <= 1 && labs(x.xMax - y.xMax) <= 1);
        assert_true(labs(x.yMin - y.yMin) <= 1 && labs(x.yMax - y.yMax) <= 1);
        assert_int_equal(FT_Load_Glyph(a, gid, FT_LOAD_NO_SCALE), 0);
        FT_Pos adv = a->glyph->advance.x;
        assert_int_equal(FT_Load_Glyph(b, gid, FT_LOAD_NO_SCALE), 0);
        assert_int_equal(b->glyph->advance.x, adv);
    }
    for (unsigned g = 0; g < VQ_CID_WIDES + VQ_CID_BLANKS; g++) {
        FT_BBox box = glyph_box(b, (unsigned)a->num_glyphs + g);
        assert_int_equal(b->glyph->outline.n_points, 0);
        assert_int_equal(b->glyph->advance.x,
                         g < VQ_CID_WIDES ? vq_cid_wide_width(g, b->units_per_EM) : 0);
        (void)box;
    }
    FT_Done_Face(a);
    FT_Done_Face(b);
    FT_Done_FreeType(ft);

    /* Through the registry: the blanks are the appended glyphs. */
    const char *dirs[] = {"/usr/share/fonts/truetype/noto"};
    vq_font_registry *reg = vq_font_registry_create_from(dirs, 1, &err);
    assert_non_null(reg);
    const vq_face *face = vq_font_find(reg, "Noto Sans Arabic", 400, false);
    assert_non_null(face);
    size_t n, len;
    unsigned index;
    const uint32_t *blanks = vq_face_blank_glyphs(face, &n);
    assert_int_equal(n, VQ_CID_BLANKS);
    unsigned own = hb_face_get_glyph_count(hb_font_get_face(vq_face_hb_font(face)));
    assert_int_equal(blanks[0], own + VQ_CID_WIDES);
    const uint32_t *wides;
    const uint16_t *widths;
    assert_int_equal(vq_face_wide_blanks(face, &wides, &widths), VQ_CID_WIDES);
    assert_int_equal(wides[0], own);
    assert_int_equal(widths[VQ_CID_WIDES - 1],
                     vq_cid_wide_width(VQ_CID_WIDES - 1, vq_face_units_per_em(face)));
    const void *draw = vq_face_draw_data(face, &len, &index);
    assert_int_equal(len, cid.len);
    assert_memory_equal(draw, cid.data, len);
    vq_font_registry_destroy(reg);
    vq_buf_free(&cid);
    free(tdata);
}

/* A font folder of the user's holding one file, a copy of the source
 * tree's file rel named name, and a registry of it. */
typedef struct user_folder {
    char dir[32];
    char *path, *bytes;
    size_t len;
    vq_font_registry *reg;
} user_folder;

static void user_folder_open(user_folder *u, const char *rel, const char *name)
{
    char *from = vq_path_join(VQ_SOURCE_DIR, rel);
    vq_error err;
    u->bytes = vq_read_file(from, &u->len, &err);
    free(from);
    assert_non_null(u->bytes);
    strcpy(u->dir, "/tmp/vq-user-XXXXXX");
    assert_non_null(mkdtemp(u->dir));
    u->path = vq_path_join(u->dir, name);
    assert_int_equal(vq_write_file_atomic(u->path, u->bytes, u->len, &err), VQ_OK);
    const char *dirs[] = {u->dir};
    u->reg = vq_font_registry_create_from(dirs, 1, &err);
    assert_non_null(u->reg);
}

static void user_folder_close(user_folder *u)
{
    vq_font_registry_destroy(u->reg);
    remove(u->path);
    remove(u->dir);
    free(u->path);
    free(u->bytes);
}

/* A user's CID-keyed CFF face is drawn through the conversion too, so that
 * Cairo never parses a CFF it was not given by varaq (its subsetter reads
 * past the end of a malformed one); a bundled face, made by
 * fonts/convert.py with its named blanks, is drawn from its file. */
static void cid_keyed_user_face_is_converted(void **state)
{
    (void)state;
    user_folder u;
    user_folder_open(&u, "fuzz/corpus/font/vazirmatn-cid.otf", "user.otf");
    const char *bytes = u.bytes;
    size_t len = u.len;
    assert_int_equal(vq_font_registry_face_count(u.reg), 1);
    const vq_face *face = vq_font_registry_face(u.reg, 0);
    size_t draw_len;
    unsigned index;
    const unsigned char *draw = vq_face_draw_data(face, &draw_len, &index);
    assert_true(draw_len != len || memcmp(draw, bytes, len) != 0);
    FT_Library ft;
    FT_Face a, b;
    assert_int_equal(FT_Init_FreeType(&ft), 0);
    assert_int_equal(FT_New_Memory_Face(ft, (const FT_Byte *)bytes, (FT_Long)len, 0, &a), 0);
    assert_int_equal(FT_New_Memory_Face(ft, draw, (FT_Long)draw_len, 0, &b), 0);
    assert_string_equal(FT_Get_Font_Format(b), "CFF");
    assert_int_equal(b->num_glyphs, a->num_glyphs + VQ_CID_WIDES + VQ_CID_BLANKS);
    FT_Done_Face(a);
    FT_Done_Face(b);
    FT_Done_FreeType(ft);
    user_folder_close(&u);

    vq_error err;
    vq_font_registry *reg = open_bundled();
    const vq_face *bundled = vq_font_find(reg, "Vazirmatn", 400, false);
    char *otf = vq_path_join(VQ_SOURCE_DIR, "fonts/Vazirmatn-Regular.otf");
    size_t olen;
    char *odata = vq_read_file(otf, &olen, &err);
    assert_non_null(odata);
    draw = vq_face_draw_data(bundled, &draw_len, &index);
    assert_int_equal(draw_len, olen);
    assert_memory_equal(draw, odata, olen);
    free(odata);
    free(otf);
    vq_font_registry_destroy(reg);
}

/* A user's face FreeType opens but the conversion rejects (a fuzzed CFF
 * font) is not drawn from its own bytes either: its charstrings call a
 * subroutine that does not exist, and Cairo's subsetter asserts on it. */
static void unconvertible_user_face_is_not_drawn(void **state)
{
    (void)state;
    user_folder u;
    user_folder_open(&u, "fuzz/corpus/font/crash-cairo-cff-subroutine-index", "bad.otf");
    const vq_face *face = vq_font_registry_face(u.reg, 0);
    size_t draw_len = 1;
    unsigned index;
    assert_null(vq_face_draw_data(face, &draw_len, &index));
    assert_int_equal(draw_len, 0);
    assert_int_equal(vq_face_open_draw_file(face), -1);
    user_folder_close(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_every_bundled_face),
        cmocka_unit_test(finds_by_family_weight_and_slant),
        cmocka_unit_test(metrics_and_scale_in_font_units),
        cmocka_unit_test(falls_back_by_script_and_coverage),
        cmocka_unit_test(blank_glyphs_are_the_vqblank_set),
        cmocka_unit_test(empty_folder_is_an_error),
        cmocka_unit_test(search_path_from_environment),
        cmocka_unit_test(bad_font_file_is_skipped),
        cmocka_unit_test(draw_file_opened_only_while_unchanged),
        cmocka_unit_test(truetype_face_is_converted_to_cid_cff),
        cmocka_unit_test(cid_keyed_user_face_is_converted),
        cmocka_unit_test(unconvertible_user_face_is_not_drawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
