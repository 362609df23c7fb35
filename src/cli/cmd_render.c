/* varaq render: template + data (or markup alone) → PDF or PNG pages.
 *
 * template ─expand (source map)─► markup ─parse─► document ─layout─► canvas
 *
 * The PDF goes to a temporary file that is renamed over OUT only when every
 * stage succeeded, so a failed run writes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/io.h"
#include "cli/cli.h"
#include "data/json.h"
#include "data/schema.h"
#include "fonts/fonts.h"
#include "layout/layout.h"
#include "markup/markup.h"
#include "render/render.h"
#include "template/template.h"

static const char HELP[] =
    "usage: varaq render TEMPLATE DATA.json -o OUT.pdf [options]\n"
    "       varaq render DOC.xml -o OUT.pdf [options]\n"
    "\n"
    "Fills DATA.json into TEMPLATE and typesets the result as a PDF, or typesets\n"
    "a markup document (see docs/markup.md) that needs no data.\n"
    "\n"
    "TEMPLATE is a .mustache file or the name of a bundled template (see\n"
    "templates/). Bundled templates render in strict mode, and when a\n"
    "schema.json lies beside the template the data is checked against it first.\n"
    "Errors name the file, line and column they come from; on error nothing is\n"
    "written.\n"
    "\n"
    "options:\n"
    "  -o, --output PATH  the PDF to write; with --png a pattern with one %d for\n"
    "                     the page number (out-%d.png)\n"
    "  --png              write PNG pages instead of a PDF (previews)\n"
    "  --dpi N            PNG resolution (default 96)\n"
    "  --strict           a name the template uses that the data lacks is an error\n"
    "                     (always on for bundled templates)\n"
    "  --no-schema        do not check the data against schema.json\n"
    "\n"
    "The same input gives the same bytes; the PDF's creation date is\n"
    "$SOURCE_DATE_EPOCH when it is set.\n"
    "\n"
    "examples:\n"
    "  varaq render journal-case samples/scleromyxedema-ivig/case.json -o case.pdf\n"
    "  varaq render report.xml -o report.pdf\n"
    "  varaq render handout case.json --png -o page-%d.png\n";

typedef struct render_args {
    const char *inputs[2];
    int input_count;
    const char *output;
    bool png, strict, no_schema;
    double dpi;
} render_args;

static int parse_args(int argc, char **argv, render_args *a)
{
    memset(a, 0, sizeof *a);
    a->dpi = 96;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(HELP, stdout);
            return 0;
        } else if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) {
            if (++i >= argc)
                return vq_cli_usage("render", "%s needs a path", s);
            a->output = argv[i];
        } else if (strncmp(s, "--output=", 9) == 0) {
            a->output = s + 9;
        } else if (strcmp(s, "--png") == 0) {
            a->png = true;
        } else if (strcmp(s, "--strict") == 0) {
            a->strict = true;
        } else if (strcmp(s, "--no-schema") == 0) {
            a->no_schema = true;
        } else if (strcmp(s, "--dpi") == 0) {
            char *end = NULL;
            if (++i >= argc || (a->dpi = strtod(argv[i], &end), *end) || a->dpi < 10 ||
                a->dpi > 1200)
                return vq_cli_usage("render", "--dpi needs a number from 10 to 1200");
        } else if (s[0] == '-' && s[1]) {
            return vq_cli_usage("render", "unknown option '%s'", s);
        } else if (a->input_count < 2) {
            a->inputs[a->input_count++] = s;
        } else {
            return vq_cli_usage("render", "too many arguments ('%s')", s);
        }
    }
    if (a->input_count == 0)
        return vq_cli_usage("render", "missing TEMPLATE and DATA (or DOC.xml)");
    if (!a->output)
        return vq_cli_usage("render", "missing -o OUT.%s", a->png ? "png" : "pdf");
    return -1;
}

static bool is_bundled_name(const char *s)
{
    size_t n = strlen(s);
    return !strchr(s, '/') && !(n > 9 && strcmp(s + n - 9, ".mustache") == 0);
}

static vq_status check_schema(const char *template_path, const char *data_path, const json_t *data,
                              vq_error *err)
{
    char *dir = vq_path_dirname(template_path);
    char *schema_path = vq_path_join(dir, "schema.json");
    free(dir);
    vq_status s = VQ_OK;
    if (vq_path_exists(schema_path)) {
        json_t *schema = vq_json_load_file(schema_path, err);
        if (!schema) {
            s = err->status;
        } else {
            size_t len = 0;
            vq_error ignore;
            char *text = strcmp(data_path, "-") ? vq_read_file(data_path, &len, &ignore) : NULL;
            vq_schema_options o = {.schema_file = schema_path, .text = text, .len = len};
            s = vq_schema_check_ex(schema, data, data_path, &o, err);
            free(text);
            json_decref(schema);
        }
    }
    free(schema_path);
    return s;
}

/* Expands the template into markup and parses it. */
static vq_document *from_template(const render_args *a, const char *exe_dir, vq_error *err)
{
    char *path = vq_template_locate(a->inputs[0], exe_dir, err);
    if (!path)
        return NULL;
    vq_document *doc = NULL;
    vq_template *t = NULL;
    vq_source_map *map = NULL;
    vq_buf out = VQ_BUF_INIT;
    char *common = vq_template_common_dir(exe_dir);
    char *base = vq_path_dirname(a->inputs[1]);
    json_t *data = vq_json_load_file(a->inputs[1], err);
    if (!data)
        goto done;
    if (!a->no_schema && check_schema(path, a->inputs[1], data, err) != VQ_OK)
        goto done;
    const char *dirs[1] = {common};
    vq_template_options opts = {.strict = a->strict || is_bundled_name(a->inputs[0]),
                                .partial_dirs = dirs,
                                .partial_dir_count = common ? 1 : 0};
    t = vq_template_compile_file(path, &opts, err);
    if (!t)
        goto done;
    map = vq_source_map_create();
    if (vq_template_render(t, data, &out, map, err) != VQ_OK)
        goto done;
    /* Images named in the data are relative to the data file. */
    doc = vq_markup_parse(out.data ? out.data : "", out.len, path, map, base, err);
done:
    vq_buf_free(&out);
    vq_source_map_destroy(map);
    vq_template_destroy(t);
    json_decref(data);
    free(common);
    free(base);
    free(path);
    return doc;
}

static vq_document *from_markup(const char *path, vq_error *err)
{
    size_t len;
    char *text = vq_read_file(path, &len, err);
    if (!text)
        return NULL;
    char *base = vq_path_dirname(path);
    vq_document *doc = vq_markup_parse(text, len, path, NULL, base, err);
    free(base);
    free(text);
    return doc;
}

static char *png_temp_pattern(const char *pattern)
{
    char *dir = vq_path_dirname(pattern);
    const char *slash = strrchr(pattern, '/');
    vq_buf name = VQ_BUF_INIT;
    vq_buf_printf(&name, ".%s.tmp-%ld", slash ? slash + 1 : pattern, (long)getpid());
    char *tmp = vq_path_join(dir, name.data);
    vq_buf_free(&name);
    free(dir);
    return tmp;
}

static void png_name(char *out, size_t size, const char *pattern, int page)
{
    /* The pattern has exactly one %d (the canvas checks it). */
    const char *d = strstr(pattern, "%d");
    snprintf(out, size, "%.*s%d%s", (int)(d - pattern), pattern, page, d + 2);
}

static vq_status draw(const render_args *a, const vq_document *doc, vq_font_registry *fonts,
                      vq_error *err)
{
    vq_pdf_metadata meta = {.title = doc->title,
                            .author = doc->author,
                            .subject = doc->subject,
                            .keywords = doc->keywords,
                            .creator = "varaq " VQ_VERSION};
    vq_atomic_file *atomic = NULL;
    char *png_tmp = NULL;
    const char *target;
    if (a->png) {
        png_tmp = png_temp_pattern(a->output);
        target = png_tmp;
    } else if (strcmp(a->output, "-") == 0) {
        target = "/dev/stdout";
    } else {
        atomic = vq_atomic_open(a->output, err);
        if (!atomic)
            return err->status;
        target = vq_atomic_temp_path(atomic);
    }
    vq_canvas *canvas = vq_canvas_create(a->png ? VQ_CANVAS_PNG : VQ_CANVAS_PDF, target,
                                         doc->page.width, doc->page.height, a->dpi, &meta, err);
    vq_status s = canvas ? VQ_OK : err->status;
    int pages = 0;
    if (s == VQ_OK)
        s = vq_layout_render(doc, fonts, canvas, &pages, err);
    if (s == VQ_OK)
        s = vq_canvas_finish(canvas, err);
    int drawn = canvas ? vq_canvas_page_number(canvas) : 0;
    if (canvas)
        vq_canvas_destroy(canvas);
    if (atomic) {
        if (s == VQ_OK)
            s = vq_atomic_commit(atomic, err);
        else
            vq_atomic_abort(atomic);
    }
    if (png_tmp) {
        char from[4096], to[4096];
        for (int p = 1; p <= drawn; p++) {
            png_name(from, sizeof from, png_tmp, p);
            png_name(to, sizeof to, a->output, p);
            if (s == VQ_OK && rename(from, to) != 0)
                s = vq_error_set(err, VQ_ERR_IO, to, 0, 0, "cannot write file");
            if (s != VQ_OK)
                unlink(from);
        }
        free(png_tmp);
    }
    return s;
}

static int run(int argc, char **argv)
{
    render_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (a.png && (!strstr(a.output, "%d") || strstr(strstr(a.output, "%d") + 2, "%") ||
                  strchr(a.output, '%') != strstr(a.output, "%d")))
        return vq_cli_usage("render", "with --png, -o needs a pattern with one %%d (out-%%d.png)");
    vq_error err;
    vq_error_clear(&err);
    char *exe_dir = vq_cli_exe_dir();
    vq_document *doc =
        a.input_count == 2 ? from_template(&a, exe_dir, &err) : from_markup(a.inputs[0], &err);
    vq_font_registry *fonts = NULL;
    if (doc)
        fonts = vq_font_registry_create(exe_dir, &err);
    vq_status s = doc && fonts ? draw(&a, doc, fonts, &err) : err.status;
    vq_font_registry_destroy(fonts);
    vq_document_destroy(doc);
    free(exe_dir);
    if (s != VQ_OK)
        return vq_cli_fail(&err);
    return 0;
}

const vq_command vq_cmd_render = {
    "render", "typeset a template with data (or a markup file) as PDF", HELP, run};
