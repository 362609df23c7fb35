/* varaq text INPUT.txt -o OUT.pdf: the paragraph engine and renderer alone,
 * on a plain-text file, one paragraph per blank-line-separated block. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "base/chars.h"
#include "base/io.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "fonts/fonts.h"
#include "render/render.h"
#include "text/paragraph.h"

static const char help[] =
    "Usage: varaq text INPUT.txt -o OUT.pdf [options]\n"
    "\n"
    "Typesets a plain-text file (UTF-8) on A4 pages, one paragraph per\n"
    "block of lines separated by a blank line; the lines of a block are\n"
    "joined with spaces. Pages are filled top to bottom. An empty file\n"
    "gives one empty page. INPUT may be '-' for standard input.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   the PDF to write (atomically: a failed run leaves\n"
    "                      no partial file and keeps an older one); '-' for\n"
    "                      standard output\n"
    "  --dir DIR           paragraph direction: rtl, ltr or auto (default:\n"
    "                      auto: right to left when most of the paragraph's\n"
    "                      letters are, so a Persian paragraph that opens\n"
    "                      with a Latin word stays right to left)\n"
    "  --align ALIGN       start (default), end, center, justify, left, right\n"
    "  --font NAME         font family (default: the Persian family for\n"
    "                      paragraphs that start right to left, else the\n"
    "                      Latin one; see 'varaq fonts')\n"
    "  --font-path DIR     also look for fonts in DIR (repeatable)\n"
    "  --size PT           font size in points (default 11)\n"
    "  --width MM          the measure in millimetres (default 170)\n"
    "  --kashida on|off    lengthen Persian words with kashida in justified\n"
    "                      lines, sharing the slack with the spaces (default on)\n"
    "  --hyphenate auto|on|off\n"
    "                      hyphenate English words: auto (default) in\n"
    "                      justified paragraphs, on also in ragged ones;\n"
    "                      Persian is never hyphenated\n"
    "  -h, --help          show this help\n"
    "\n"
    "Examples:\n"
    "  varaq text note.txt -o note.pdf --dir auto --align justify\n"
    "  varaq text - -o - --font Amiri --size 14 < note.txt > note.pdf\n"
    "\n"
    "Exit status: 0 done, 1 bad input (such as invalid UTF-8), 2 bad command\n"
    "line, 3 a file could not be read or written.\n";

static const double A4_W = 595.2756, A4_H = 841.8898, MARGIN = 56.6929; /* 20 mm */

typedef struct options {
    const char *font_dirs[16];
    size_t font_dir_count;
    const char *input, *output, *font;
    vq_dir dir;
    vq_align align;
    double size, width_mm;
    vq_switch kashida, hyphenate;
} options;

static bool parse_number(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return false;
    *out = v;
    return true;
}

/* Returns -1 when the options are fine, else the exit code. */
static int parse(int argc, char **argv, options *o)
{
    static const char *aligns[] = {"start", "end", "center", "justify", "left", "right"};
    *o = (options){.dir = VQ_DIR_AUTO, .align = VQ_ALIGN_START, .size = 11, .width_mm = 170};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return 0;
        }
        bool takes = !strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--dir") ||
                     !strcmp(a, "--align") || !strcmp(a, "--font") || !strcmp(a, "--size") ||
                     !strcmp(a, "--width") || !strcmp(a, "--font-path") ||
                     !strcmp(a, "--kashida") || !strcmp(a, "--hyphenate");
        if (takes && i + 1 >= argc)
            return vq_cli_usage("text", "%s needs a value", a);
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            o->output = argv[++i];
        } else if (!strcmp(a, "--dir")) {
            const char *v = argv[++i];
            if (!strcmp(v, "rtl"))
                o->dir = VQ_DIR_RTL;
            else if (!strcmp(v, "ltr"))
                o->dir = VQ_DIR_LTR;
            else if (!strcmp(v, "auto"))
                o->dir = VQ_DIR_AUTO;
            else
                return vq_cli_usage("text", "--dir must be rtl, ltr or auto, not '%s'", v);
        } else if (!strcmp(a, "--align")) {
            const char *v = argv[++i];
            size_t k = 0;
            while (k < sizeof aligns / sizeof aligns[0] && strcmp(v, aligns[k]) != 0)
                k++;
            if (k == sizeof aligns / sizeof aligns[0])
                return vq_cli_usage(
                    "text", "--align must be start, end, center, justify, left or right, not '%s'",
                    v);
            o->align = (vq_align)k;
        } else if (!strcmp(a, "--font-path")) {
            if (o->font_dir_count == 16)
                return vq_cli_usage("text", "at most 16 --font-path folders");
            o->font_dirs[o->font_dir_count++] = argv[++i];
        } else if (!strcmp(a, "--font")) {
            o->font = argv[++i];
        } else if (!strcmp(a, "--size")) {
            const char *v = argv[++i];
            if (!parse_number(v, &o->size) || !(o->size > 0) || o->size > 1000)
                return vq_cli_usage("text", "--size must be a number of points above 0, not '%s'",
                                    v);
        } else if (!strcmp(a, "--width")) {
            const char *v = argv[++i];
            if (!parse_number(v, &o->width_mm) || !(o->width_mm > 0) || o->width_mm > 10000)
                return vq_cli_usage("text",
                                    "--width must be a number of millimetres above 0, not '%s'", v);
        } else if (!strcmp(a, "--kashida")) {
            const char *v = argv[++i];
            if (!strcmp(v, "on"))
                o->kashida = VQ_SWITCH_ON;
            else if (!strcmp(v, "off"))
                o->kashida = VQ_SWITCH_OFF;
            else
                return vq_cli_usage("text", "--kashida must be on or off, not '%s'", v);
        } else if (!strcmp(a, "--hyphenate")) {
            const char *v = argv[++i];
            if (!strcmp(v, "auto"))
                o->hyphenate = VQ_SWITCH_AUTO;
            else if (!strcmp(v, "on"))
                o->hyphenate = VQ_SWITCH_ON;
            else if (!strcmp(v, "off"))
                o->hyphenate = VQ_SWITCH_OFF;
            else
                return vq_cli_usage("text", "--hyphenate must be auto, on or off, not '%s'", v);
        } else if (a[0] == '-' && a[1] != '\0') {
            return vq_cli_usage("text", "unknown option '%s'", a);
        } else if (!o->input) {
            o->input = a;
        } else {
            return vq_cli_usage("text", "unexpected argument '%s'", a);
        }
    }
    if (!o->input)
        return vq_cli_usage("text", "no input file");
    if (!o->output)
        return vq_cli_usage("text", "no output file (-o OUT.pdf)");
    return -1;
}

typedef struct flow {
    vq_canvas *canvas;
    double x, y, bottom;
    bool page_empty;
} flow;

static void place_paragraph(flow *f, const vq_paragraph *p)
{
    size_t n = vq_paragraph_line_count(p);
    for (size_t i = 0; i < n; i++) {
        const vq_line *line = vq_paragraph_line(p, i);
        if (!f->page_empty && f->y + line->ascent + line->descent > f->bottom) {
            vq_canvas_next_page(f->canvas);
            f->y = MARGIN;
            f->page_empty = true;
        }
        vq_canvas_draw_line(f->canvas, p, line, f->x, f->y + line->ascent);
        double advance = line->height > line->ascent + line->descent ? line->height
                                                                     : line->ascent + line->descent;
        f->y += advance;
        f->page_empty = false;
    }
}

static int paragraph(const options *o, char *s, size_t len, vq_paragraph *p,
                     const vq_paragraph_style *ps, flow *f, const char *latin, const char *persian,
                     vq_error *err)
{
    for (size_t k = 0; k < len; k++)
        if (s[k] == '\n' || s[k] == '\r' || s[k] == '\t')
            s[k] = ' ';
    while (len > 0 && s[len - 1] == ' ')
        len--;
    /* --dir auto: the rule of dir="auto" (base/chars.h, most strong
     * letters), decided here because the fonts follow the direction. */
    vq_strong_count strong = {0};
    vq_strong_add(&strong, s, len);
    bool rtl = o->dir == VQ_DIR_RTL || (o->dir == VQ_DIR_AUTO && vq_strong_dir(&strong) > 0);
    vq_paragraph_style pps = *ps;
    pps.dir = rtl ? VQ_DIR_RTL : VQ_DIR_LTR;
    vq_text_style st = {0};
    st.family = o->font ? o->font : rtl ? persian : latin;
    st.size = o->size;
    st.weight = 400;
    st.lang = rtl ? "fa" : "en";
    st.size_scale = 1;
    st.digits = VQ_DIGITS_AS_WRITTEN;
    vq_paragraph_reset(p);
    vq_paragraph_add_text(p, s, len, &st);
    vq_status status = vq_paragraph_layout(p, &pps, err);
    if (status == VQ_OK) {
        place_paragraph(f, p);
        f->y += o->size * 0.5;
    }
    return status;
}

static int typeset(const options *o, char *text, size_t len, vq_font_registry *reg,
                   vq_canvas *canvas, vq_error *err)
{
    double width = o->width_mm * 72.0 / 25.4;
    flow f = {canvas, (A4_W - width) / 2, MARGIN, A4_H - MARGIN, true};
    if (f.x < 0)
        f.x = 0;
    const char *persian = vq_font_default_family(reg, "fa");
    const char *latin = vq_font_default_family(reg, "en");
    vq_paragraph *p = vq_paragraph_create(reg);
    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, width);
    ps.dir = o->dir;
    ps.align = o->align;
    ps.line_height = 1.5;
    ps.kashida = o->kashida;
    ps.hyphenate = o->hyphenate;
    int status = VQ_OK;
    /* A paragraph is a run of non-blank lines; blank lines (spaces and tabs
     * only) separate them. */
    size_t at = 0, start = SIZE_MAX, end = 0;
    while (status == VQ_OK) {
        size_t eol = at;
        while (eol < len && text[eol] != '\n')
            eol++;
        bool blank = true;
        for (size_t k = at; k < eol; k++)
            if (text[k] != ' ' && text[k] != '\t' && text[k] != '\r')
                blank = false;
        if (!blank) {
            if (start == SIZE_MAX)
                start = at;
            end = eol;
        }
        if ((blank || eol >= len) && start != SIZE_MAX) {
            status = paragraph(o, text + start, end - start, p, &ps, &f, latin, persian, err);
            start = SIZE_MAX;
        }
        if (eol >= len)
            break;
        at = eol + 1;
    }
    vq_paragraph_destroy(p);
    return status;
}

static int run(int argc, char **argv)
{
    options o;
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    vq_error err;
    vq_error_clear(&err);
    size_t len;
    char *text = vq_read_file(o.input, &len, &err);
    if (!text)
        return vq_cli_fail(&err);
    size_t bad;
    if (!vq_utf8_valid(text, len, &bad)) {
        int line, col;
        vq_text_position(text, bad, &line, &col);
        vq_error_set(&err, VQ_ERR_INPUT, o.input, line, col, "invalid UTF-8 at byte %zu", bad);
        free(text);
        return vq_cli_fail(&err);
    }
    char *data_dir = vq_cli_data_dir();
    vq_font_registry *reg =
        vq_font_registry_create_with(data_dir, o.font_dirs, o.font_dir_count, &err);
    free(data_dir);
    if (!reg) {
        free(text);
        return vq_cli_fail(&err);
    }
    if (o.font && !vq_font_find(reg, o.font, 400, false)) {
        vq_font_registry_destroy(reg);
        free(text);
        return vq_cli_usage("text", "no font family '%s' (see 'varaq fonts')", o.font);
    }
    vq_atomic_file *out = vq_atomic_open(o.output, &err);
    if (!out) {
        vq_font_registry_destroy(reg);
        free(text);
        return vq_cli_fail(&err);
    }
    const char *slash = strrchr(o.input, '/');
    vq_pdf_metadata meta = {.title = slash ? slash + 1 : o.input, .creator = "varaq " VQ_VERSION};
    vq_canvas *canvas = vq_canvas_create_pdf_stream(vq_atomic_stream(out), A4_W, A4_H, &meta, &err);
    int status = canvas ? typeset(&o, text, len, reg, canvas, &err) : (int)err.status;
    if (canvas) {
        vq_error ferr;
        vq_status fs = vq_canvas_finish(canvas, &ferr);
        if (status == VQ_OK && fs != VQ_OK) {
            err = ferr;
            status = fs;
        }
        vq_canvas_destroy(canvas);
    }
    if (status == VQ_OK)
        status = vq_atomic_commit(out, &err);
    else
        vq_atomic_abort(out);
    vq_font_registry_destroy(reg);
    free(text);
    return status == VQ_OK ? 0 : vq_cli_fail(&err);
}

const vq_command vq_cmd_text = {
    "text", "typeset a plain-text file as PDF (the paragraph engine alone)", help, run};
