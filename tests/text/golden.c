/* Golden tests of the paragraph engine: each file in tests/text/golden/ is
 * one named case, libraqm style:
 *
 *     # what the case shows
 *     options: dir=rtl width=200 font=Vazirmatn size=12 lang=fa
 *     (also align=, greedy=1, kashida=on|off, hyphenate=auto|on|off, …)
 *     text: می\u200Cشود
 *     span: font=Noto Serif lang=en | more text in another style
 *     dump: runs glyphs breaks lines
 *     hb-shape: --direction=rtl --script=arab --language=fa
 *     ---
 *     the expected dump
 *
 * "text:" lines are spans in the options' style; "span:" lines override
 * some options for one span; \uXXXX escapes any code point and "\n" in a
 * text is a forced line break. When "hb-shape:" is given, the glyphs of the
 * paragraph's single item must also equal what HarfBuzz's own hb-shape
 * prints for the same font file and text.
 *
 * Dumps stay small enough to review: glyph ids appear only where a case
 * asks for "glyphs" (the shaping cases), "breaks" shows the text with its
 * break opportunities marked ("|", "||" forced or at the end) and the
 * chosen lines as text.
 *
 * Usage: text_golden [FILE...] (default: every case in tests/text/golden).
 * VQ_UPDATE_GOLDEN=1 rewrites the expected part of each file: say in the
 * commit which cases changed, how, and why the new output is right. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/utf8.h"
#include "fonts/fonts.h"
#include "text/paragraph.h"

typedef struct options {
    char family[64];
    char lang[16];
    double size;
    int weight;
    bool italic;
    vq_digits digits;
    double shift, scale;
    int tag;
} options;

static vq_font_registry *fonts;

static char *unescape(const char *s, size_t *out_len)
{
    vq_buf b = VQ_BUF_INIT;
    vq_buf_append(&b, "", 0);
    while (*s) {
        if (s[0] == '\\' && s[1] == 'u') {
            uint32_t cp = (uint32_t)strtoul(s + 2, NULL, 16);
            char enc[4];
            vq_buf_append(&b, enc, vq_utf8_encode(cp, enc));
            s += 6;
        } else if (s[0] == '\\' && s[1] == 'n') {
            vq_buf_append(&b, "\n", 1);
            s += 2;
        } else if (s[0] == '\\' && s[1] == 'x') {
            char hex[3] = {s[2], s[3], 0};
            vq_buf_append_char(&b, (char)strtoul(hex, NULL, 16));
            s += 4;
        } else {
            vq_buf_append_char(&b, *s++);
        }
    }
    *out_len = b.len;
    return vq_buf_steal(&b);
}

/* Applies "key=value" words of s to the styles. Family names may hold a
 * space: "font=Noto Serif" takes words up to the next key. */
static void parse_options(char *s, vq_paragraph_style *ps, options *o, unsigned *dump)
{
    char *save = NULL;
    char *last_key = NULL;
    for (char *w = strtok_r(s, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(w, '=');
        if (!eq) {
            if (last_key && strcmp(last_key, "font") == 0) {
                strncat(o->family, " ", sizeof o->family - strlen(o->family) - 1);
                strncat(o->family, w, sizeof o->family - strlen(o->family) - 1);
            } else if (dump) {
                if (strcmp(w, "runs") == 0)
                    *dump |= VQ_DUMP_RUNS;
                else if (strcmp(w, "glyphs") == 0)
                    *dump |= VQ_DUMP_GLYPHS;
                else if (strcmp(w, "breaks") == 0)
                    *dump |= VQ_DUMP_BREAKS;
                else if (strcmp(w, "lines") == 0)
                    *dump |= VQ_DUMP_LINES;
            }
            continue;
        }
        *eq = '\0';
        const char *v = eq + 1;
        last_key = w;
        if (strcmp(w, "font") == 0)
            snprintf(o->family, sizeof o->family, "%s", v);
        else if (strcmp(w, "lang") == 0)
            snprintf(o->lang, sizeof o->lang, "%s", v);
        else if (strcmp(w, "size") == 0)
            o->size = atof(v);
        else if (strcmp(w, "tag") == 0)
            o->tag = atoi(v);
        else if (strcmp(w, "shift") == 0)
            o->shift = atof(v);
        else if (strcmp(w, "scale") == 0)
            o->scale = atof(v);
        else if (strcmp(w, "weight") == 0)
            o->weight = atoi(v);
        else if (strcmp(w, "italic") == 0)
            o->italic = strcmp(v, "1") == 0;
        else if (strcmp(w, "digits") == 0)
            o->digits = strcmp(v, "persian") == 0 ? VQ_DIGITS_PERSIAN
                        : strcmp(v, "latin") == 0 ? VQ_DIGITS_LATIN
                                                  : VQ_DIGITS_AS_WRITTEN;
        else if (!ps)
            continue;
        else if (strcmp(w, "dir") == 0)
            ps->dir = strcmp(v, "rtl") == 0   ? VQ_DIR_RTL
                      : strcmp(v, "ltr") == 0 ? VQ_DIR_LTR
                                              : VQ_DIR_AUTO;
        else if (strcmp(w, "width") == 0)
            ps->width = atof(v);
        else if (strcmp(w, "indent") == 0)
            ps->first_indent = atof(v);
        else if (strcmp(w, "line-height") == 0)
            ps->line_height = atof(v);
        else if (strcmp(w, "align") == 0)
            ps->align = strcmp(v, "justify") == 0  ? VQ_ALIGN_JUSTIFY
                        : strcmp(v, "end") == 0    ? VQ_ALIGN_END
                        : strcmp(v, "center") == 0 ? VQ_ALIGN_CENTER
                                                   : VQ_ALIGN_START;
        else if (strcmp(w, "greedy") == 0)
            ps->greedy = strcmp(v, "1") == 0;
        else if (strcmp(w, "isolate") == 0)
            ps->isolate_units = strcmp(v, "1") == 0;
        else if (strcmp(w, "normalize") == 0)
            ps->normalize_persian = strcmp(v, "1") == 0;
        else if (strcmp(w, "kashida") == 0 || strcmp(w, "hyphenate") == 0)
            *(w[0] == 'k' ? &ps->kashida : &ps->hyphenate) = strcmp(v, "on") == 0 ? VQ_SWITCH_ON
                                                             : strcmp(v, "off") == 0
                                                                 ? VQ_SWITCH_OFF
                                                                 : VQ_SWITCH_AUTO;
    }
}

static void add_span(vq_paragraph *p, const options *o, const char *escaped)
{
    vq_text_style st = {0};
    st.family = o->family[0] ? o->family : NULL;
    st.lang = o->lang[0] ? o->lang : NULL;
    st.size = o->size;
    st.weight = o->weight;
    st.italic = o->italic;
    st.digits = o->digits;
    st.baseline_shift = o->shift;
    st.size_scale = o->scale;
    st.tag = o->tag;
    size_t len;
    char *s = unescape(escaped, &len);
    vq_paragraph_add_text(p, s, len, &st);
    free(s);
}

/* hb-shape's output for the font of the paragraph's first item. */
static char *run_hb_shape(const vq_paragraph *p, const char *args, const char *text)
{
    const vq_line *ln = vq_paragraph_line(p, 0);
    if (!ln || ln->run_count == 0)
        return vq_xstrdup("(no run)");
    size_t len;
    char *t = unescape(text, &len);
    vq_buf cmd = VQ_BUF_INIT;
    vq_buf_printf(&cmd,
                  "hb-shape --no-glyph-names --preserve-default-ignorables --cluster-level=1 "
                  "--utf8-clusters %s '%s' '%s'",
                  args, vq_face_path(ln->runs[0].face), t);
    free(t);
    FILE *f = popen(cmd.data, "r");
    vq_buf_free(&cmd);
    vq_buf out = VQ_BUF_INIT;
    vq_buf_append(&out, "", 0);
    char chunk[4096];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        vq_buf_append(&out, chunk, n);
    if (f)
        pclose(f);
    while (out.len && out.data[out.len - 1] == '\n')
        out.data[--out.len] = '\0';
    return vq_buf_steal(&out);
}

static bool run_case(const char *path, bool update)
{
    vq_error err;
    size_t len;
    char *src = vq_read_file(path, &len, &err);
    if (!src) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return false;
    }
    char *sep = strstr(src, "\n---\n");
    const char *expected = sep ? sep + 5 : "";
    if (sep)
        sep[1] = '\0';
    char *head = vq_xstrdup(src);

    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, 300);
    options o = {.size = 12, .weight = 400};
    unsigned dump = 0;
    char *hb_args = NULL, *hb_text = NULL;
    options span_opts[16];
    size_t span_count = 0;
    vq_paragraph *p = vq_paragraph_create(fonts);
    char *save = NULL;
    for (char *line = strtok_r(src, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "options:", 8) == 0) {
            parse_options(line + 8, &ps, &o, NULL);
        } else if (strncmp(line, "dump:", 5) == 0) {
            parse_options(line + 5, NULL, &o, &dump);
        } else if (strncmp(line, "text: ", 6) == 0) {
            add_span(p, &o, line + 6);
            if (!hb_text)
                hb_text = line + 6;
        } else if (strncmp(line, "span:", 5) == 0) {
            char *bar = strstr(line, " | ");
            if (!bar)
                continue;
            *bar = '\0';
            /* Style strings are borrowed by the paragraph: keep them. */
            if (span_count == sizeof span_opts / sizeof *span_opts)
                continue;
            options *so = &span_opts[span_count++];
            *so = o;
            parse_options(line + 5, NULL, so, NULL);
            add_span(p, so, bar + 3);
        } else if (strncmp(line, "hb-shape:", 9) == 0) {
            hb_args = line + 9;
        }
    }
    vq_buf out = VQ_BUF_INIT;
    vq_buf_append(&out, "", 0);
    vq_status st = vq_paragraph_layout(p, &ps, &err);
    if (st != VQ_OK)
        vq_buf_printf(&out, "error %d: %s\n", (int)st, err.message);
    else
        vq_paragraph_dump(p, dump, &out);
    bool ok = true;
    if (hb_args && st == VQ_OK) {
        char *hb = run_hb_shape(p, hb_args, hb_text);
        vq_buf mine = VQ_BUF_INIT;
        vq_paragraph_dump(p, VQ_DUMP_GLYPHS, &mine);
        const char *open = mine.data ? strchr(mine.data, '[') : NULL;
        const char *close = open ? strchr(open, '\n') : NULL;
        if (!open || !close || strlen(hb) != (size_t)(close - open) ||
            strncmp(open, hb, (size_t)(close - open)) != 0) {
            fprintf(stderr, "%s: glyphs differ from hb-shape\n  hb-shape: %s\n  varaq:    %.*s\n",
                    path, hb, open && close ? (int)(close - open) : 0, open ? open : "");
            ok = false;
        }
        free(hb);
        vq_buf_free(&mine);
    }
    if (update) {
        vq_buf file = VQ_BUF_INIT;
        vq_buf_append(&file, head, strlen(head));
        vq_buf_append_str(&file, "---\n");
        vq_buf_append(&file, out.data, out.len);
        if (vq_write_file_atomic(path, file.data, file.len, &err) != VQ_OK) {
            fprintf(stderr, "%s: %s\n", path, err.message);
            ok = false;
        }
        vq_buf_free(&file);
    } else if (strcmp(out.data, expected) != 0) {
        fprintf(stderr, "%s: dump differs\n--- expected\n%s--- got\n%s", path, expected, out.data);
        ok = false;
    }
    vq_paragraph_destroy(p);
    free(src);
    free(head);
    vq_buf_free(&out);
    return ok;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *root = getenv("VQ_SOURCE_DIR");
    if (!root)
        root = ".";
    char *font_dir = vq_path_join(root, "fonts");
    const char *dirs[] = {font_dir};
    vq_error err;
    fonts = vq_font_registry_create_from(dirs, 1, &err);
    free(font_dir);
    if (!fonts) {
        fprintf(stderr, "fonts: %s\n", err.message);
        return 1;
    }
    bool update = getenv("VQ_UPDATE_GOLDEN") != NULL;
    char **files = NULL;
    size_t n = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            files = vq_xrealloc(files, (n + 1) * sizeof *files);
            files[n++] = vq_xstrdup(argv[i]);
        }
    } else {
        char *gdir = vq_path_join(root, "tests/text/golden");
        DIR *d = opendir(gdir);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            size_t l = strlen(e->d_name);
            if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
                continue;
            files = vq_xrealloc(files, (n + 1) * sizeof *files);
            files[n++] = vq_path_join(gdir, e->d_name);
        }
        if (d)
            closedir(d);
        free(gdir);
        if (n)
            qsort(files, n, sizeof *files, cmp_str);
    }
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        bool ok = run_case(files[i], update);
        printf("%s %s\n", ok ? "ok  " : "FAIL", files[i]);
        failed += !ok;
        free(files[i]);
    }
    free(files);
    vq_font_registry_destroy(fonts);
    if (n == 0) {
        fprintf(stderr, "no golden cases found\n");
        return 1;
    }
    printf("%zu cases, %d failed\n", n, failed);
    return failed ? 1 : 0;
}
