/* The layout dump: when VARAQ_LAYOUT_DUMP names a file, every drawn item is
 * written to it as one JSON object per line (page, kind, x, y, w, h, text),
 * in PDF points from the page's top-left corner (a table row also gives
 * its cells' edges and narrowest widths; a line, how many times its
 * paragraph was prepared). Tests check properties of
 * the layout (nothing overlaps, no word is split, directions) from it
 * without reading the PDF back. Only the drawing pass writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/lay.h"

void lay_dump_open(lay_ctx *ctx)
{
    const char *path = getenv("VARAQ_LAYOUT_DUMP");
    if (path && *path && ctx->cr)
        ctx->dump = fopen(path, "w");
}

void lay_dump_close(lay_ctx *ctx)
{
    if (ctx->dump)
        fclose(ctx->dump);
    ctx->dump = NULL;
}

static void put_json_string(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static const char *area_name(const lay_ctx *ctx)
{
    return ctx->furniture ? "furniture" : "body";
}

static void head(lay_ctx *ctx, const char *kind, double x, double y, double w, double h)
{
    fprintf(ctx->dump,
            "{\"page\":%d,\"area\":\"%s\",\"kind\":\"%s\",\"x\":%.2f,\"y\":%.2f,\"w\":%.2f,"
            "\"h\":%.2f,\"in\":%d",
            ctx->page, area_name(ctx), kind, x, y, w, h, ctx->dump_parent);
}

void lay_dump_item(lay_ctx *ctx, const lay_item *it, double x, double y)
{
    if (!ctx->dump)
        return;
    FILE *f = ctx->dump;
    switch (it->kind) {
    case LI_LINE: {
        const vq_paragraph *p = it->para->p;
        const vq_line *line = vq_paragraph_line(p, it->line);
        /* The ink's horizontal span (its runs) and the font's vertical
         * extent around the baseline. */
        double lo = 0, hi = 0;
        for (size_t r = 0; r < line->run_count; r++) {
            const vq_glyph_run *run = &line->runs[r];
            if (r == 0 || run->x < lo)
                lo = run->x;
            if (r == 0 || run->x + run->width > hi)
                hi = run->x + run->width;
        }
        /* A line that ends at a hyphenation point draws a hyphen glyph
         * that is not in its text: say so, so a split word with a hyphen
         * is told from one without. */
        bool hyphen = false;
        for (size_t r = 0; r < line->run_count && !hyphen; r++)
            for (size_t g = 0; g < line->runs[r].glyph_count; g++)
                if (line->runs[r].glyphs[g].flags & VQ_GLYPH_HYPHEN) {
                    hyphen = true;
                    break;
                }
        double baseline = y + it->ascent;
        head(ctx, "line", x + lo, baseline - line->ascent, hi - lo, line->ascent + line->descent);
        size_t len;
        const char *text = vq_paragraph_text(p, &len);
        fprintf(f,
                ",\"slot_y\":%.2f,\"slot_h\":%.2f,\"para\":%d,\"line\":%zu,\"last\":%s,"
                "\"hyphen\":%s,\"prepared\":%u,",
                y, it->height, it->para->serial, it->line, line->last ? "true" : "false",
                hyphen ? "true" : "false", vq_paragraph_prepare_count(p));
        if (it->para->role)
            fprintf(f, "\"role\":\"%s\",", it->para->role);
        fprintf(
            f, "\"dir\":\"%s\",\"text\":", vq_paragraph_direction(p) == VQ_DIR_RTL ? "rtl" : "ltr");
        size_t a = line->text_start < len ? line->text_start : len;
        size_t b = line->text_end < len ? line->text_end : len;
        put_json_string(f, text + a, b > a ? b - a : 0);
        fputs(",\"after\":", f);
        /* The paragraph's next character, to tell where the line broke. */
        size_t n = b < len ? 1 : 0;
        while (n && b + n < len && ((unsigned char)text[b + n] & 0xC0) == 0x80)
            n++;
        put_json_string(f, text + b, n);
        break;
    }
    case LI_RULE:
        head(ctx, "rule", x, y + it->height / 2 - it->rule_width / 2, it->width, it->rule_width);
        break;
    case LI_IMAGE:
        head(ctx, it->image->surface ? "image" : "placeholder", x, y, it->image->width,
             it->image->height);
        fprintf(f, ",\"id\":%d", it->image->serial);
        break;
    case LI_ROW:
        head(ctx, it->row->header ? "header-row" : "row", x, y, it->width, it->height);
        fprintf(f, ",\"table\":%d,\"id\":%d", it->row->table ? it->row->table->serial : 0,
                it->row->serial);
        /* Each cell's left edge, width, narrowest possible width and
         * narrowest without hyphenating a word. */
        fputs(",\"cells\":[", f);
        for (int i = 0; i < it->row->cell_count; i++) {
            const lay_cell *c = &it->row->cells[i];
            fprintf(f, "%s[%.2f,%.2f,%.2f,%.2f]", i ? "," : "", x + c->x, c->width, c->min_width,
                    c->whole_width);
        }
        fputc(']', f);
        break;
    default:
        return;
    }
    fputs("}\n", f);
}

void lay_dump_box(lay_ctx *ctx, const lay_box *bx, double x, double y, double w, double h)
{
    if (!ctx->dump)
        return;
    head(ctx, "box", x, y, w, h);
    fprintf(ctx->dump, ",\"id\":%d,\"keep\":%s}\n", bx->serial, bx->keep ? "true" : "false");
}

void lay_dump_frame(lay_ctx *ctx, double x, double y, double w, double h, int col, int cols,
                    bool balanced)
{
    if (!ctx->dump)
        return;
    fprintf(ctx->dump,
            "{\"page\":%d,\"area\":\"frame\",\"kind\":\"frame\",\"x\":%.2f,\"y\":%.2f,"
            "\"w\":%.2f,\"h\":%.2f,\"in\":0,\"col\":%d,\"cols\":%d,\"balanced\":%s}\n",
            ctx->page, x, y, w, h, col, cols, balanced ? "true" : "false");
}
