/* The public entry point (include/varaq/varaq.h): template + data (or markup
 * alone) → PDF or PNG pages, the whole pipeline in one call.
 *
 * template ─expand (source map)─► markup ─parse─► document ─layout─► canvas
 *
 * The PDF goes to a temporary file that is renamed over the output only when
 * every stage succeeded, so a failed run writes nothing. */
#include "varaq/varaq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/io.h"
#include "data/json.h"
#include "data/schema.h"
#include "fonts/fonts.h"
#include "layout/layout.h"
#include "markup/markup.h"
#include "render/render.h"
#include "template/template.h"

/* A compiled template and its schema (NULL when it has none), kept for the
 * engine's life: batch rendering reads and compiles each template once. */
typedef struct cached_template {
    char *path;
    bool strict;
    vq_template *tpl;
    json_t *schema;
    char *schema_path;
} cached_template;

struct vq_engine {
    char *data_dir;          /* holds fonts/ and templates/ */
    char *common_dir;        /* templates/common, or NULL */
    vq_font_registry *fonts; /* loaded on the first render */
    cached_template *templates;
    size_t template_count;
};

vq_engine *vq_engine_create(const char *data_dir, vq_error *err)
{
    vq_error_clear(err);
    vq_engine *vq = vq_xcalloc(1, sizeof *vq);
    vq->data_dir = data_dir ? vq_xstrdup(data_dir) : vq_default_data_dir();
    vq->common_dir = vq_template_common_dir(vq->data_dir);
    return vq;
}

void vq_engine_destroy(vq_engine *vq)
{
    if (!vq)
        return;
    for (size_t i = 0; i < vq->template_count; i++) {
        free(vq->templates[i].path);
        vq_template_destroy(vq->templates[i].tpl);
        json_decref(vq->templates[i].schema);
        free(vq->templates[i].schema_path);
    }
    free(vq->templates);
    vq_font_registry_destroy(vq->fonts);
    free(vq->common_dir);
    free(vq->data_dir);
    free(vq);
}

static const vq_render_options DEFAULT_OPTIONS = {VQ_OUTPUT_PDF, 96, false, false};

/* Bundled templates are named without a folder or extension. */
static bool is_bundled_name(const char *s)
{
    size_t n = strlen(s);
    return !strchr(s, '/') && !(n > 9 && strcmp(s + n - 9, ".mustache") == 0);
}

/* schema.json beside the template: its path, and its contents or NULL (and
 * VQ_OK) when there is none. */
static vq_status load_schema(const char *template_path, char **schema_path, json_t **schema,
                             vq_error *err)
{
    char *dir = vq_path_dirname(template_path);
    *schema_path = vq_path_join(dir, "schema.json");
    free(dir);
    *schema = NULL;
    if (!vq_path_exists(*schema_path))
        return VQ_OK;
    *schema = vq_json_load_file(*schema_path, err);
    return *schema ? VQ_OK : err->status;
}

static const cached_template *compiled_template(vq_engine *vq, const char *path, bool strict,
                                                vq_error *err)
{
    for (size_t i = 0; i < vq->template_count; i++)
        if (vq->templates[i].strict == strict && strcmp(vq->templates[i].path, path) == 0)
            return &vq->templates[i];
    json_t *schema;
    char *schema_path;
    if (load_schema(path, &schema_path, &schema, err) != VQ_OK) {
        free(schema_path);
        return NULL;
    }
    const char *dirs[1] = {vq->common_dir};
    vq_template_options opts = {
        .strict = strict, .partial_dirs = dirs, .partial_dir_count = vq->common_dir ? 1 : 0};
    vq_template *t = vq_template_compile_file(path, &opts, err);
    if (!t) {
        json_decref(schema);
        free(schema_path);
        return NULL;
    }
    vq->templates = vq_xrealloc(vq->templates, (vq->template_count + 1) * sizeof *vq->templates);
    vq->templates[vq->template_count] =
        (cached_template){vq_xstrdup(path), strict, t, schema, schema_path};
    return &vq->templates[vq->template_count++];
}

/* Expands the template with the data into markup and parses it. */
static vq_document *expand(vq_engine *vq, const char *template_name, const char *json,
                           size_t json_len, const char *data_name, const char *image_dir,
                           const vq_render_options *opts, vq_error *err)
{
    char *path = vq_template_locate(template_name, vq->data_dir, err);
    if (!path)
        return NULL;
    vq_document *doc = NULL;
    vq_source_map *map = NULL;
    vq_buf out = VQ_BUF_INIT;
    json_t *data = vq_json_load_string(json, json_len, data_name, err);
    if (!data)
        goto done;
    const cached_template *t =
        compiled_template(vq, path, opts->strict || is_bundled_name(template_name), err);
    if (!t)
        goto done;
    if (t->schema && !opts->skip_schema) {
        /* Every violation is reported; err holds the summary. */
        vq_schema_options o = {.schema_file = t->schema_path, .text = json, .len = json_len};
        if (vq_schema_check_ex(t->schema, data, data_name, &o, err) != VQ_OK)
            goto done;
    }
    map = vq_source_map_create();
    if (vq_template_render(t->tpl, data, &out, map, err) != VQ_OK)
        goto done;
    doc = vq_markup_parse(out.data ? out.data : "", out.len, path, map, image_dir, err);
done:
    vq_buf_free(&out);
    vq_source_map_destroy(map);
    json_decref(data);
    free(path);
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

/* Lays the document out onto a PDF (through a temporary file) or PNG pages
 * (under temporary names, renamed once all are drawn). */
static vq_status draw(vq_engine *vq, const vq_document *doc, const char *output,
                      const vq_render_options *opts, vq_error *err)
{
    if (!vq->fonts && !(vq->fonts = vq_font_registry_create(vq->data_dir, err)))
        return err->status;
    bool png = opts->format == VQ_OUTPUT_PNG;
    vq_pdf_metadata meta = {.title = doc->title,
                            .author = doc->author,
                            .subject = doc->subject,
                            .keywords = doc->keywords,
                            .creator = "varaq " VQ_VERSION};
    /* A PDF is written through the atomic file's stream (stdout for "-");
     * PNG pages go to temporary names, renamed once all are drawn. */
    vq_atomic_file *atomic = NULL;
    char *png_tmp = NULL;
    double w = doc->page.width, h = doc->page.height;
    vq_canvas *canvas;
    if (png) {
        png_tmp = png_temp_pattern(output);
        canvas = vq_canvas_create(VQ_CANVAS_PNG, png_tmp, w, h, opts->dpi > 0 ? opts->dpi : 96,
                                  &meta, err);
    } else {
        atomic = vq_atomic_open(output, err);
        if (!atomic)
            return err->status;
        canvas = vq_canvas_create_pdf_stream(vq_atomic_stream(atomic), w, h, &meta, err);
    }
    vq_status s = canvas ? VQ_OK : err->status;
    if (s == VQ_OK)
        s = vq_layout_render(doc, vq->fonts, canvas, NULL, err);
    if (s == VQ_OK)
        s = vq_canvas_finish(canvas, err);
    int drawn = canvas ? vq_canvas_page_number(canvas) : 0;
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
            png_name(to, sizeof to, output, p);
            if (s == VQ_OK && rename(from, to) != 0)
                s = vq_error_set(err, VQ_ERR_IO, to, 0, 0, "cannot write file");
            if (s != VQ_OK)
                unlink(from);
        }
        free(png_tmp);
    }
    return s;
}

static vq_status render_document(vq_engine *vq, vq_document *doc, const char *output,
                                 const vq_render_options *opts, vq_error *err)
{
    vq_status s = doc ? draw(vq, doc, output, opts, err) : err->status;
    vq_document_destroy(doc);
    return s;
}

vq_status vq_engine_render_json(vq_engine *vq, const char *template_name, const char *json,
                                size_t json_len, const char *data_name, const char *output,
                                const vq_render_options *opts, vq_error *err)
{
    vq_error_clear(err);
    opts = opts ? opts : &DEFAULT_OPTIONS;
    char *image_dir = vq_path_dirname(data_name);
    vq_document *doc = expand(vq, template_name, json, json_len, data_name, image_dir, opts, err);
    free(image_dir);
    return render_document(vq, doc, output, opts, err);
}

vq_status vq_engine_render_file(vq_engine *vq, const char *template_name, const char *data_path,
                                const char *output, const vq_render_options *opts, vq_error *err)
{
    vq_error_clear(err);
    size_t len;
    char *json = vq_read_file(data_path, &len, err);
    if (!json)
        return err->status;
    vq_status s = vq_engine_render_json(vq, template_name, json, len, data_path, output, opts, err);
    free(json);
    return s;
}

vq_status vq_engine_render_markup(vq_engine *vq, const char *markup_path, const char *output,
                                  const vq_render_options *opts, vq_error *err)
{
    vq_error_clear(err);
    opts = opts ? opts : &DEFAULT_OPTIONS;
    size_t len;
    char *text = vq_read_file(markup_path, &len, err);
    if (!text)
        return err->status;
    char *base = vq_path_dirname(markup_path);
    vq_document *doc = vq_markup_parse(text, len, markup_path, NULL, base, err);
    free(base);
    free(text);
    return render_document(vq, doc, output, opts, err);
}
