/* The floor: the least work that turns the benchmark's text into a PDF the
 * way varaq draws it. Bidi (ICU ubidi), each bidi run shaped once with
 * HarfBuzz from the registry's hb_font, glyphs drawn with their clusters by
 * the same render call varaq uses; no itemizing by script or style, no font
 * fallback, no line breaking (runs are cut wherever a line is full).
 *
 *   floor INPUT.txt -o OUT.pdf [--fonts DIR] [--font NAME] [--size PT] [--width MM]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubidi.h>
#include <unicode/ustring.h>

#include "base/buf.h"
#include "base/io.h"
#include "fonts/fonts.h"
#include "render/render.h"

#ifndef VQ_FLOOR_FONTS
#define VQ_FLOOR_FONTS "fonts"
#endif

static const double A4_W = 595.2756, A4_H = 841.8898, MARGIN = 56.6929;

typedef struct shaped {
    vq_glyph *glyphs; /* left to right */
    size_t count;
    uint8_t level;
    size_t start, end; /* bytes */
} shaped;

typedef struct piece {
    size_t run;
    size_t a, b; /* glyphs [a, b) of the run */
    double width;
} piece;

typedef struct floor_state {
    vq_canvas *canvas;
    const vq_face *face;
    hb_buffer_t *buf;
    double size, width, y;
    shaped *runs;
    size_t run_cap;
    piece *pieces;
    size_t piece_cap;
    vq_glyph_run *line_runs;
    UChar *u16;
    int32_t u16_cap;
    int32_t *u16_to_byte;
    UBiDi *bidi;
} floor_state;

static void emit_line(floor_state *st, const char *text, size_t len, piece *pc, size_t n)
{
    if (n == 0)
        return;
    double line_h = st->size * 1.6;
    if (st->y + line_h > A4_H - MARGIN) {
        vq_canvas_next_page(st->canvas);
        st->y = MARGIN;
    }
    st->y += line_h;
    UBiDiLevel levels[n];
    int32_t order[n];
    for (size_t i = 0; i < n; i++)
        levels[i] = st->runs[pc[i].run].level;
    ubidi_reorderVisual(levels, (int32_t)n, order);
    st->line_runs = vq_xrealloc(st->line_runs, n * sizeof *st->line_runs);
    double x = 0;
    for (size_t v = 0; v < n; v++) {
        piece *p = &pc[order[v]];
        shaped *r = &st->runs[p->run];
        vq_glyph_run *lr = &st->line_runs[order[v]];
        memset(lr, 0, sizeof *lr);
        lr->face = st->face;
        lr->size = st->size;
        lr->level = r->level;
        lr->x = x;
        lr->width = p->width;
        lr->glyphs = r->glyphs + p->a;
        lr->glyph_count = p->b - p->a;
        size_t lo = r->end, hi = r->start;
        for (size_t k = p->a; k < p->b; k++) {
            if (r->glyphs[k].cluster < lo)
                lo = r->glyphs[k].cluster;
            if (r->glyphs[k].cluster > hi)
                hi = r->glyphs[k].cluster;
        }
        /* The piece ends where the run's next cluster begins. */
        size_t end = r->end;
        for (size_t k = 0; k < r->count; k++)
            if (r->glyphs[k].cluster > hi && r->glyphs[k].cluster < end)
                end = r->glyphs[k].cluster;
        lr->text_start = lo;
        lr->text_end = end;
        x += p->width;
    }
    vq_line line = {.width = st->width,
                    .natural_width = x,
                    .runs = st->line_runs,
                    .run_count = n,
                    .text_start = 0,
                    .text_end = len};
    vq_canvas_draw_glyph_line(st->canvas, text, len, &line, MARGIN, st->y);
}

static void paragraph(floor_state *st, const char *text, size_t len)
{
    UErrorCode ec = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, text, (int32_t)len, &ec);
    ec = U_ZERO_ERROR;
    if (n16 + 1 > st->u16_cap) {
        st->u16_cap = n16 + 1;
        st->u16 = vq_xrealloc(st->u16, (size_t)st->u16_cap * sizeof *st->u16);
        st->u16_to_byte =
            vq_xrealloc(st->u16_to_byte, (size_t)(st->u16_cap + 1) * sizeof *st->u16_to_byte);
    }
    u_strFromUTF8(st->u16, st->u16_cap, NULL, text, (int32_t)len, &ec);
    /* UTF-16 index → byte offset. */
    for (int32_t i = 0, b = 0; i <= n16; i++) {
        st->u16_to_byte[i] = b;
        if (i < n16) {
            UChar u = st->u16[i];
            if (U16_IS_LEAD(u))
                b += 4, st->u16_to_byte[++i] = b;
            else
                b += u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
        }
    }
    ubidi_setPara(st->bidi, st->u16, n16, UBIDI_DEFAULT_LTR, NULL, &ec);
    if (U_FAILURE(ec))
        return;
    size_t nruns = 0;
    hb_font_t *font = vq_face_hb_font(st->face);
    double scale = st->size / vq_face_units_per_em(st->face);
    for (int32_t at = 0; at < n16;) {
        int32_t limit;
        UBiDiLevel level;
        ubidi_getLogicalRun(st->bidi, at, &limit, &level);
        size_t s = (size_t)st->u16_to_byte[at], e = (size_t)st->u16_to_byte[limit];
        at = limit;
        hb_buffer_clear_contents(st->buf);
        hb_buffer_set_direction(st->buf, (level & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
        hb_buffer_set_flags(st->buf, HB_BUFFER_FLAG_PRESERVE_DEFAULT_IGNORABLES);
        hb_buffer_set_cluster_level(st->buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
        hb_buffer_set_language(st->buf, hb_language_from_string("fa", -1));
        hb_buffer_add_utf8(st->buf, text, (int)len, (unsigned)s, (int)(e - s));
        hb_buffer_guess_segment_properties(st->buf);
        hb_shape(font, st->buf, NULL, 0);
        unsigned count;
        hb_glyph_info_t *info = hb_buffer_get_glyph_infos(st->buf, &count);
        hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(st->buf, &count);
        if (nruns == st->run_cap) {
            st->run_cap = st->run_cap ? st->run_cap * 2 : 16;
            st->runs = vq_xrealloc(st->runs, st->run_cap * sizeof *st->runs);
            memset(st->runs + nruns, 0, (st->run_cap - nruns) * sizeof *st->runs);
        }
        shaped *r = &st->runs[nruns++];
        r->glyphs = vq_xrealloc(r->glyphs, (count ? count : 1) * sizeof *r->glyphs);
        r->count = count;
        r->level = level;
        r->start = s;
        r->end = e;
        for (unsigned i = 0; i < count; i++)
            r->glyphs[i] = (vq_glyph){info[i].codepoint,
                                      (float)(pos[i].x_advance * scale),
                                      (float)(pos[i].x_offset * scale),
                                      (float)(pos[i].y_offset * scale),
                                      info[i].cluster,
                                      0};
    }
    /* Cut the runs, in logical order, into lines of at most the width. */
    size_t np = 0;
    double used = 0;
    for (size_t ri = 0; ri < nruns; ri++) {
        shaped *r = &st->runs[ri];
        bool rtl = r->level & 1;
        size_t done = 0;
        while (done < r->count) {
            double w = 0;
            size_t take = 0;
            while (done + take < r->count) {
                size_t k = rtl ? r->count - 1 - (done + take) : done + take;
                double adv = r->glyphs[k].x_advance;
                if (used + w + adv > st->width && (used > 0 || take > 0))
                    break;
                w += adv;
                take++;
            }
            if (take > 0) {
                if (np == st->piece_cap) {
                    st->piece_cap = st->piece_cap ? st->piece_cap * 2 : 32;
                    st->pieces = vq_xrealloc(st->pieces, st->piece_cap * sizeof *st->pieces);
                }
                size_t a = rtl ? r->count - done - take : done;
                st->pieces[np++] = (piece){ri, a, a + take, w};
                done += take;
                used += w;
            }
            if (done < r->count) {
                emit_line(st, text, len, st->pieces, np);
                np = 0;
                used = 0;
            }
        }
    }
    emit_line(st, text, len, st->pieces, np);
    st->y += st->size * 0.6;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *fonts = VQ_FLOOR_FONTS, *family = "Vazirmatn";
    double size = 12, width_mm = 170;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--fonts") && i + 1 < argc)
            fonts = argv[++i];
        else if (!strcmp(argv[i], "--font") && i + 1 < argc)
            family = argv[++i];
        else if (!strcmp(argv[i], "--size") && i + 1 < argc)
            size = atof(argv[++i]);
        else if (!strcmp(argv[i], "--width") && i + 1 < argc)
            width_mm = atof(argv[++i]);
        else if (!in)
            in = argv[i];
        else
            out = NULL, in = NULL, i = argc;
    }
    if (!in || !out || size <= 0 || width_mm <= 0) {
        fputs("usage: floor INPUT.txt -o OUT.pdf [--fonts DIR] [--font NAME] [--size PT] "
              "[--width MM]\n",
              stderr);
        return 2;
    }
    vq_error err;
    size_t len;
    char *text = vq_read_file(in, &len, &err);
    if (!text) {
        vq_error_print(&err, stderr);
        return 3;
    }
    vq_font_registry *reg = vq_font_registry_create_from(&fonts, 1, &err);
    if (!reg) {
        vq_error_print(&err, stderr);
        return 3;
    }
    floor_state st = {0};
    st.face = vq_font_find(reg, family, 400, false);
    if (!st.face) {
        fprintf(stderr, "floor: no font family %s\n", family);
        return 1;
    }
    st.canvas = vq_canvas_create(VQ_CANVAS_PDF, out, A4_W, A4_H, 0, NULL, &err);
    if (!st.canvas) {
        vq_error_print(&err, stderr);
        return 3;
    }
    st.buf = hb_buffer_create();
    st.bidi = ubidi_open();
    st.size = size;
    st.width = width_mm * 72 / 25.4;
    st.y = MARGIN;
    /* One paragraph per blank-line-separated block, as `varaq text`. */
    size_t at = 0;
    while (at < len) {
        while (at < len && (text[at] == '\n' || text[at] == '\r'))
            at++;
        size_t end = at;
        while (end < len && !(text[end] == '\n' && end + 1 < len && text[end + 1] == '\n'))
            end++;
        size_t e = end;
        while (e > at && (text[e - 1] == '\n' || text[e - 1] == '\r'))
            e--;
        if (e > at) {
            for (size_t k = at; k < e; k++)
                if (text[k] == '\n')
                    text[k] = ' ';
            paragraph(&st, text + at, e - at);
        }
        at = end;
    }
    int pages = vq_canvas_page_number(st.canvas);
    vq_status status = vq_canvas_finish(st.canvas, &err);
    vq_canvas_destroy(st.canvas);
    if (status != VQ_OK)
        vq_error_print(&err, stderr);
    else
        fprintf(stderr, "floor: %d pages\n", pages);
    for (size_t i = 0; i < st.run_cap; i++)
        free(st.runs[i].glyphs);
    free(st.runs);
    free(st.pieces);
    free(st.line_runs);
    free(st.u16);
    free(st.u16_to_byte);
    ubidi_close(st.bidi);
    hb_buffer_destroy(st.buf);
    vq_font_registry_destroy(reg);
    free(text);
    return status == VQ_OK ? 0 : 1;
}
