/* The public entry point (include/varaq/varaq.h): template + data (or markup
 * alone) → PDF or PNG pages, the whole pipeline in one call.
 *
 * template ─expand (source map)─► markup ─parse─► document ─layout─► canvas
 *
 * The PDF goes to a temporary file that is renamed over the output only when
 * every stage succeeded, so a failed run writes nothing. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "varaq/varaq.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/cancel.h"
#include "base/io.h"
#include "data/json.h"
#include "data/schema.h"
#include "doc/doc.h"
#include "fonts/fonts.h"
#include "fonts/fonts_cairo.h"
#include "layout/fontcheck.h"
#include "layout/layout.h"
#include "markup/markup.h"
#include "render/render.h"
#include "template/template.h"

/* A compiled template and its schema (NULL when it has none), kept for the
 * engine's life: batch rendering reads and compiles each template once. */
typedef struct cached_template {
    char *path;
    int mode; /* 0 strict, 1 lenient (warns), 2 the spec alone */
    vq_template *tpl;
    json_t *schema;
    char *schema_path;
} cached_template;

struct vq_engine {
    char *data_dir;          /* holds fonts/ and templates/ */
    char *common_dir;        /* templates/common, or NULL */
    vq_font_registry *fonts; /* loaded on the first render */
    char **font_dirs;        /* the user's, searched after the bundled fonts */
    size_t font_dir_count;
    int last_pages; /* pages of the last document drawn */
    /* Cairo faces (and so Cairo's glyph caches) kept across documents */
    vq_cairo_faces *cairo_faces;
    cached_template *templates;
    size_t template_count;
    /* Records everything allocated on the engine's behalf, so that running
     * out of memory anywhere in a call releases it all (base/alloc.h). */
    vq_heap *heap;
};

/* ---------- out of memory: a recovery point per public call ---------- */

/* The caches (every field that outlives a call): destroyed when memory
 * runs out, then made again by the next call. */
static void drop_caches(void *engine)
{
    vq_engine *vq = engine;
    for (size_t i = 0; i < vq->template_count; i++) {
        free(vq->templates[i].path);
        vq_template_destroy(vq->templates[i].tpl);
        json_decref(vq->templates[i].schema);
        free(vq->templates[i].schema_path);
    }
    free(vq->templates);
    vq->templates = NULL;
    vq->template_count = 0;
    vq_cairo_faces_destroy(vq->cairo_faces);
    vq->cairo_faces = NULL;
    vq_font_registry_destroy(vq->fonts);
    vq->fonts = NULL;
}

typedef vq_status (*guarded_fn)(vq_engine *vq, void *args, vq_error *err);

/* Runs fn with the engine's heap as the thread's heap. The outermost call
 * on the thread is the recovery point: when an allocation fails, the jump
 * lands here, the objects and blocks of the call and the caches are
 * released, and the call returns VQ_ERR_NOMEM; the engine stays usable.
 * A render's cancel hook lands here the same way (base/cancel.h) and the
 * call returns VQ_ERR_CANCELLED. */
static vq_status guarded(vq_engine *vq, guarded_fn fn, void *args, vq_error *err)
{
    vq_oom_point point;
    if (!vq_oom_enter(&point, vq->heap))
        return fn(vq, args, err); /* an outer call recovers */
    int why = setjmp(point.jump);
    if (why != 0) {
        vq_oom_leave(&point);
        vq_heap_release(vq->heap); /* destroys the caches too: drop_caches is owned */
        vq->last_pages = 0;
        if (why == VQ_RECOVER_CANCELLED)
            return vq_error_set(err, VQ_ERR_CANCELLED, NULL, 0, 0, "render cancelled");
        return vq_error_set(err, VQ_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    /* Owned first, so released last: after the objects that use the caches. */
    vq_heap_own(vq, drop_caches);
    vq_status s = fn(vq, args, err);
    vq_heap_disown(vq);
    vq_oom_leave(&point);
    return s;
}

/* guarded() with opts->cancel as the thread's cancel hook. */
static vq_status guarded_render(vq_engine *vq, guarded_fn fn, void *args,
                                const vq_render_options *opts, vq_error *err)
{
    vq_cancel_fn prev;
    void *prev_user;
    vq_cancel_set(opts->cancel, opts->user, &prev, &prev_user);
    vq_status s = guarded(vq, fn, args, err);
    vq_cancel_set(prev, prev_user, NULL, NULL);
    return s;
}

typedef struct create_args {
    const char *data_dir;
} create_args;

static vq_status create_dirs(vq_engine *vq, void *args, vq_error *err)
{
    (void)err;
    const create_args *a = args;
    vq->data_dir = a->data_dir ? vq_xstrdup(a->data_dir) : vq_default_data_dir();
    vq->common_dir = vq_template_common_dir(vq->data_dir);
    /* Settings, not caches: they stay when a later call runs out. */
    vq_heap_forget(vq->data_dir);
    vq_heap_forget(vq->common_dir);
    return VQ_OK;
}

vq_engine *vq_engine_create(const char *data_dir, vq_error *err)
{
    vq_error_clear(err);
    struct stat st;
    if (data_dir && (stat(data_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        /* A wrong folder named by the caller fails here, not at the first
         * render with a message about fonts. */
        vq_error_set(err, VQ_ERR_IO, data_dir, 0, 0, "data folder (fonts/ and templates/): %s",
                     stat(data_dir, &st) != 0 ? strerror(errno) : "not a folder");
        return NULL;
    }
    vq_engine *vq = calloc(1, sizeof *vq);
    if (vq)
        vq->heap = vq_heap_create();
    create_args a = {data_dir};
    if (!vq || !vq->heap || guarded(vq, create_dirs, &a, err) != VQ_OK) {
        if (vq)
            vq_heap_destroy(vq->heap);
        free(vq);
        vq_error_set(err, VQ_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    return vq;
}

static vq_status add_font_dir(vq_engine *vq, void *dir, vq_error *err)
{
    (void)err;
    char *copy = vq_xstrdup(dir);
    char **dirs = vq_xrealloc(vq->font_dirs, (vq->font_dir_count + 1) * sizeof *vq->font_dirs);
    vq_heap_forget(copy);
    vq_heap_forget(dirs);
    vq->font_dirs = dirs;
    vq->font_dirs[vq->font_dir_count++] = copy;
    return VQ_OK;
}

void vq_engine_add_font_dir(vq_engine *vq, const char *dir)
{
    vq_error err;
    guarded(vq, add_font_dir, (void *)dir, &err); /* out of memory: not added */
}

static vq_status destroy(vq_engine *vq, void *args, vq_error *err)
{
    (void)args, (void)err;
    drop_caches(vq);
    return VQ_OK;
}

void vq_engine_destroy(vq_engine *vq)
{
    if (!vq)
        return;
    vq_error err;
    guarded(vq, destroy, NULL, &err);
    vq_heap_destroy(vq->heap);
    for (size_t i = 0; i < vq->font_dir_count; i++)
        free(vq->font_dirs[i]);
    free(vq->font_dirs);
    free(vq->common_dir);
    free(vq->data_dir);
    free(vq);
}

static const vq_render_options DEFAULT_OPTIONS = {.format = VQ_OUTPUT_PDF, .dpi = 96};

/* ---------- records: errors and warnings at their place in the file ---------- */

/* A position inside a record's text, moved to its place in the record's
 * file; positions in other files (the template) stay. */
static void shift_location(const vq_record *rec, const char *file, int *line, int *column)
{
    if (!rec || !rec->name || !file || strcmp(file, rec->name) != 0)
        return;
    if (*line <= 0) {
        /* A message about the whole record (the schema summary) points at
         * its start. */
        if (rec->line > 0) {
            *line = rec->line;
            *column = rec->column;
        }
        return;
    }
    if (*line == 1 && *column > 0 && rec->column > 1)
        *column += rec->column - 1;
    if (rec->line > 1)
        *line += rec->line - 1;
}

static void locate_error(const vq_record *rec, vq_error *err)
{
    if (!err || err->status == VQ_OK)
        return;
    shift_location(rec, err->file, &err->line, &err->column);
    err->record = rec ? rec->index : 0;
}

/* One render's context for the callbacks below. */
typedef struct render_ctx {
    const vq_record *rec;
    const vq_render_options *opts;
    vq_warning_handler prev_handler; /* the thread's override before this render */
    void *prev_user;
} render_ctx;

/* One of several errors of a render: to opts->report, or printed. */
static void report_error(const vq_render_options *opts, const vq_error *e)
{
    if (opts->report)
        opts->report(e, opts->user);
    else
        vq_error_print(e, stderr);
}

static void report_violation(const vq_error *v, void *user)
{
    const render_ctx *c = user;
    vq_error e = *v;
    locate_error(c->rec, &e);
    report_error(c->opts, &e);
}

static void forward_warning(const char *file, int line, int column, const char *message, void *user)
{
    const render_ctx *c = user;
    shift_location(c->rec, file, &line, &column);
    if (c->opts->warning) {
        c->opts->warning(file, line, column, message, c->opts->user);
        return;
    }
    /* Hand it to whatever would have had it without this render. */
    vq_set_thread_warning_handler(c->prev_handler, c->prev_user);
    vq_warn(file, line, column, "%s", message);
    vq_set_thread_warning_handler(forward_warning, user);
}

static void begin_render(render_ctx *c, const vq_record *rec, const vq_render_options *opts)
{
    c->rec = rec;
    c->opts = opts;
    vq_get_thread_warning_handler(&c->prev_handler, &c->prev_user);
    if (opts->warning || (rec && rec->name && (rec->line > 1 || rec->column > 1)))
        vq_set_thread_warning_handler(forward_warning, c);
}

static void end_render(render_ctx *c, vq_error *err)
{
    vq_set_thread_warning_handler(c->prev_handler, c->prev_user);
    locate_error(c->rec, err);
}

/* Strict unless the caller opts out: a silently empty field in a medical
 * document is worse than a refused render. */
static int template_mode(const vq_render_options *o)
{
    return o->spec_only ? 2 : o->lenient && !o->strict ? 1 : 0;
}

/* schema.json beside the template: its path, and its contents or NULL (and
 * VQ_OK) when there is none. */
static void decref_owned(void *json)
{
    json_decref(json);
}

/* A JSON value (jansson allocates on its own) released if memory runs out
 * before it is dropped with drop_json or kept in a cache. */
static json_t *own_json(json_t *j)
{
    vq_heap_own(j, decref_owned);
    return j;
}

static void drop_json(json_t *j)
{
    vq_heap_disown(j);
    json_decref(j);
}

static vq_status load_schema(const char *template_path, char **schema_path, json_t **schema,
                             vq_error *err)
{
    char *dir = vq_path_dirname(template_path);
    *schema_path = vq_path_join(dir, "schema.json");
    free(dir);
    *schema = NULL;
    if (!vq_path_exists(*schema_path))
        return VQ_OK;
    *schema = own_json(vq_json_load_file(*schema_path, err));
    return *schema ? VQ_OK : err->status;
}

static const cached_template *compiled_template(vq_engine *vq, const char *path, int mode,
                                                vq_error *err)
{
    for (size_t i = 0; i < vq->template_count; i++)
        if (vq->templates[i].mode == mode && strcmp(vq->templates[i].path, path) == 0)
            return &vq->templates[i];
    json_t *schema;
    char *schema_path;
    if (load_schema(path, &schema_path, &schema, err) != VQ_OK) {
        free(schema_path);
        return NULL;
    }
    const char *dirs[1] = {vq->common_dir};
    vq_template_options opts = {.strict = mode == 0,
                                .warn_missing = mode == 1,
                                .spec_only = mode == 2,
                                .partial_dirs = dirs,
                                .partial_dir_count = vq->common_dir ? 1 : 0};
    vq_template *t = vq_template_compile_file(path, &opts, err);
    if (!t) {
        drop_json(schema);
        free(schema_path);
        return NULL;
    }
    vq->templates = vq_xrealloc(vq->templates, (vq->template_count + 1) * sizeof *vq->templates);
    char *key = vq_xstrdup(path);
    vq_heap_disown(schema); /* the cache's now */
    vq->templates[vq->template_count] = (cached_template){key, mode, t, schema, schema_path};
    return &vq->templates[vq->template_count++];
}

/* The folders a document's images may come from: opts->image_root alone
 * when set (a server's requests name nothing else), else the data file's
 * folder (data_dir, NULL for stdin), the template's and opts->root. */
static void image_roots(vq_roots *roots, const char *data_dir, const char *template_dir,
                        const vq_render_options *opts)
{
    if (opts->image_root) {
        vq_roots_add(roots, opts->image_root);
        return;
    }
    if (data_dir)
        vq_roots_add(roots, data_dir);
    if (template_dir)
        vq_roots_add(roots, template_dir);
    if (opts->root)
        vq_roots_add(roots, opts->root);
}

/* Expands the template with the data into markup and parses it. Relative
 * image paths start at the data file's folder (opts->root for stdin). */
static vq_document *expand(vq_engine *vq, const char *template_name, const char *json,
                           size_t json_len, const char *data_name, render_ctx *ctx,
                           char **template_path, vq_error *err)
{
    const vq_render_options *opts = ctx->opts;
    char *path = vq_template_locate(template_name, vq->data_dir, err);
    if (!path)
        return NULL;
    *template_path = vq_xstrdup(path);
    char *data_dir = strcmp(data_name, "-") == 0 ? NULL : vq_path_dirname(data_name);
    char *template_dir = vq_path_dirname(path);
    vq_roots roots = {0};
    image_roots(&roots, data_dir, template_dir, opts);
    const char *base = data_dir ? data_dir : opts->root ? opts->root : ".";
    vq_markup_options mo = {.base_dir = base,
                            .roots = &roots,
                            .max_pixels = opts->max_image_pixels,
                            .report = report_violation,
                            .user = ctx};
    vq_document *doc = NULL;
    vq_source_map *map = NULL;
    vq_buf out = VQ_BUF_INIT;
    json_t *data = own_json(vq_json_load_string(json, json_len, data_name, err));
    if (!data)
        goto done;
    const cached_template *t = compiled_template(vq, path, template_mode(opts), err);
    if (!t)
        goto done;
    if (t->schema && !opts->skip_schema) {
        /* Every violation is reported; err holds the summary. */
        vq_schema_options o = {.schema_file = t->schema_path,
                               .text = json,
                               .len = json_len,
                               .report = report_violation,
                               .user = ctx};
        if (vq_schema_check_ex(t->schema, data, data_name, &o, err) != VQ_OK)
            goto done;
    }
    map = vq_source_map_create();
    vq_template_data_source src = {data_name, json, json_len};
    if (vq_template_render_ex(t->tpl, data, &src, &out, map, err) != VQ_OK)
        goto done;
    doc = vq_markup_parse_opts(out.data ? out.data : "", out.len, path, map, &mo, err);
done:
    vq_roots_free(&roots);
    free(data_dir);
    free(template_dir);
    vq_buf_free(&out);
    vq_source_map_destroy(map);
    drop_json(data);
    free(path);
    return doc;
}

static void png_name(char *out, size_t size, const char *pattern, int page)
{
    /* The pattern has exactly one %d (the canvas checks it). */
    const char *d = strstr(pattern, "%d");
    snprintf(out, size, "%.*s%d%s", (int)(d - pattern), pattern, page, d + 2);
}

/* Where a render's bytes go: a file (output) or memory (*mem). */
typedef struct sink {
    const char *output;
    void **mem;
    size_t *mem_len;
    const char *inputs[2]; /* the data (or markup) file and the template: never the output */
} sink;

static bool figure_is(const vq_node *n, const char *output)
{
    for (; n; n = n->next) {
        if (n->kind == VQ_NODE_FIGURE && n->src && vq_same_file(n->src, output))
            return true;
        if (figure_is(n->first_child, output))
            return true;
    }
    return false;
}

/* Writing over an input destroys it before it has been read in full (or
 * at all, for the next render of a batch): refused. */
static vq_status check_not_input(const vq_document *doc, const char *output, const sink *to,
                                 vq_error *err)
{
    bool same = false;
    for (int i = 0; i < 2 && !same; i++)
        same = to->inputs[i] && vq_same_file(to->inputs[i], output);
    const vq_node *tops[] = {doc->root, doc->header, doc->footer, doc->first_header,
                             doc->first_footer};
    for (size_t i = 0; i < sizeof tops / sizeof tops[0] && !same; i++)
        same = tops[i] && figure_is(tops[i], output);
    if (same)
        return vq_error_set(err, VQ_ERR_USAGE, output, 0, 0,
                            "cannot write file: it is one of the inputs of this render");
    return VQ_OK;
}

/* PNG into memory: the pages are drawn into a private temporary folder and
 * the one asked for is read back. */
static vq_status draw_png_to_memory(vq_engine *vq, const vq_document *doc,
                                    const vq_render_options *opts, const sink *to, vq_error *err);

/* A PDF drawn into memory. On the heap, not the stack: open_memstream
 * writes data and len when the stream is closed, also when memory runs out
 * and the heap closes it (memout_close) after draw's frame is gone. */
typedef struct memout {
    FILE *f;
    char *data; /* open_memstream's, freed with free() */
    size_t len;
} memout;

static void memout_close(void *m)
{
    memout *o = m;
    fclose(o->f);
    free(o->data);
}

/* PNG pages under temporary names, removed if memory runs out. */
typedef struct png_pages {
    char *pattern;
    int slot;
} png_pages;

static void png_pages_remove(void *pages)
{
    png_pages *pp = pages;
    char name[4096];
    for (int p = 1;; p++) {
        png_name(name, sizeof name, pp->pattern, p);
        if (unlink(name) != 0)
            break;
    }
    vq_temp_unregister(pp->slot);
}

/* Lays the document out onto a PDF (through a temporary file, or into
 * memory) or PNG pages (under temporary names, swapped in as one set once
 * all are drawn: vq_page_set_commit). */
static vq_status draw(vq_engine *vq, const vq_document *doc, const sink *to,
                      const vq_render_options *opts, vq_error *err)
{
    if (!vq->fonts) {
        vq->fonts = vq_font_registry_create_with(vq->data_dir, (const char *const *)vq->font_dirs,
                                                 vq->font_dir_count, err);
        if (!vq->fonts)
            return err->status;
        vq_heap_disown(vq->fonts); /* a cache now: drop_caches destroys it */
    }
    if (vq_layout_check_fonts(doc, vq->fonts, template_mode(opts) == 0, err) != VQ_OK)
        return err->status;
    if (to->mem && opts->format == VQ_OUTPUT_PNG)
        return draw_png_to_memory(vq, doc, opts, to, err);
    const char *output = to->output;
    bool png = opts->format == VQ_OUTPUT_PNG;
    if (output && strcmp(output, "-") != 0) {
        char first[4096];
        if (png)
            png_name(first, sizeof first, output, 1);
        const char *check = png ? first : output;
        if (vq_check_output_path(check, err) != VQ_OK ||
            check_not_input(doc, check, to, err) != VQ_OK)
            return err->status;
    }
    vq_pdf_metadata meta = {.title = doc->title,
                            .author = doc->author,
                            .subject = doc->subject,
                            .keywords = doc->keywords,
                            .creator = "varaq " VQ_VERSION};
    /* A PDF is written through the atomic file's stream (stdout for "-");
     * PNG pages go to temporary names, renamed once all are drawn. */
    vq_atomic_file *atomic = NULL;
    png_pages *pages = NULL;
    memout *mem = NULL;
    double w = doc->page.width, h = doc->page.height;
    vq_canvas *canvas;
    if (to->mem) {
        mem = vq_xcalloc(1, sizeof *mem);
        if (!(mem->f = open_memstream(&mem->data, &mem->len))) {
            free(mem);
            return vq_error_set(err, VQ_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
        vq_heap_own(mem, memout_close);
        canvas = vq_canvas_create_pdf_stream(mem->f, w, h, &meta, err);
    } else if (png) {
        pages = vq_xcalloc(1, sizeof *pages);
        pages->pattern = vq_hidden_sibling(output, "tmp");
        pages->slot = vq_temp_register_pattern(pages->pattern);
        vq_heap_own(pages, png_pages_remove);
        canvas = vq_canvas_create(VQ_CANVAS_PNG, pages->pattern, w, h,
                                  opts->dpi > 0 ? opts->dpi : 96, &meta, err);
    } else {
        atomic = vq_atomic_open(output, err);
        if (!atomic)
            return err->status;
        canvas = vq_canvas_create_pdf_stream(vq_atomic_stream(atomic), w, h, &meta, err);
    }
    vq_status s = canvas ? VQ_OK : err->status;
    if (canvas) {
        if (!vq->cairo_faces)
            vq->cairo_faces = vq_cairo_faces_create();
        vq_canvas_use_faces(canvas, vq->cairo_faces);
        vq_canvas_set_tagging(canvas, !opts->untagged);
    }
    vq_cancel_poll();
    if (s == VQ_OK)
        s = vq_layout_render(doc, vq->fonts, canvas, NULL, err);
    vq_cancel_poll(); /* before Cairo writes the fonts and the last page */
    if (s == VQ_OK)
        s = vq_canvas_finish(canvas, err);
    int drawn = canvas ? vq_canvas_page_number(canvas) : 0;
    vq->last_pages = s == VQ_OK ? drawn : 0;
    vq_canvas_destroy(canvas);
    if (mem) {
        vq_heap_disown(mem);
        if (fclose(mem->f) != 0 && s == VQ_OK)
            s = vq_error_set(err, VQ_ERR_NOMEM, NULL, 0, 0, "out of memory");
        if (s == VQ_OK) {
            *to->mem = mem->data;
            *to->mem_len = mem->len;
        } else {
            free(mem->data);
        }
        free(mem);
    }
    if (atomic) {
        if (s == VQ_OK)
            s = vq_atomic_commit(atomic, err);
        else
            vq_atomic_abort(atomic);
    }
    if (pages) {
        vq_heap_disown(pages);
        char from[4096], dest[4096];
        /* Every page's name is checked before any is replaced. */
        for (int p = 2; p <= drawn && s == VQ_OK; p++) {
            png_name(dest, sizeof dest, output, p);
            if (vq_check_output_path(dest, err) == VQ_OK)
                check_not_input(doc, dest, to, err);
            s = err->status;
        }
        /* The set is one output: replaced whole or not at all. */
        if (s == VQ_OK)
            s = vq_page_set_commit(pages->pattern, output, drawn, err);
        for (int p = 1; p <= drawn && s != VQ_OK; p++) {
            png_name(from, sizeof from, pages->pattern, p);
            unlink(from);
        }
        vq_temp_unregister(pages->slot);
        free(pages->pattern);
        free(pages);
    }
    return s;
}

static void remove_dir(void *path)
{
    rmdir(path);
}

static vq_status draw_png_to_memory(vq_engine *vq, const vq_document *doc,
                                    const vq_render_options *opts, const sink *to, vq_error *err)
{
    const char *tmp = getenv("TMPDIR");
    vq_buf dir = VQ_BUF_INIT;
    vq_buf_printf(&dir, "%s/varaq-png-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir.data)) {
        vq_status s = vq_error_set(err, VQ_ERR_IO, dir.data, 0, 0, "cannot create folder");
        vq_buf_free(&dir);
        return s;
    }
    /* Owned after the pages (released before it): removed when empty. */
    vq_heap_own(dir.data, remove_dir);
    char *pattern = vq_path_join(dir.data, "p-%d.png");
    sink files = {.output = pattern};
    vq_status s = draw(vq, doc, &files, opts, err);
    int want = opts->page > 0 ? opts->page : 1;
    char name[4096];
    for (int p = 1;; p++) {
        png_name(name, sizeof name, pattern, p);
        if (!vq_path_exists(name))
            break;
        if (s == VQ_OK && p == want) {
            char *data = vq_read_file(name, to->mem_len, err);
            if (!data)
                s = err->status;
            vq_heap_forget(data); /* the caller's */
            *to->mem = data;
        }
        unlink(name);
    }
    if (s == VQ_OK && !*to->mem)
        s = vq_error_set(err, VQ_ERR_USAGE, NULL, 0, 0, "the document has no page %d", want);
    vq_heap_disown(dir.data);
    rmdir(dir.data);
    free(pattern);
    vq_buf_free(&dir);
    return s;
}

static vq_status render_document(vq_engine *vq, vq_document *doc, const sink *to,
                                 const vq_render_options *opts, vq_error *err)
{
    vq_status s = doc ? draw(vq, doc, to, opts, err) : err->status;
    vq_document_destroy(doc);
    return s;
}

typedef struct record_args {
    const char *template_name;
    const vq_record *rec;
    const sink *to;
    const vq_render_options *opts;
    render_ctx *ctx;
} record_args;

static vq_status expand_and_draw(vq_engine *vq, void *args, vq_error *err)
{
    const record_args *a = args;
    const char *name = a->rec->name ? a->rec->name : "-";
    char *template_path = NULL;
    vq_document *doc =
        expand(vq, a->template_name, a->rec->json, a->rec->len, name, a->ctx, &template_path, err);
    sink with_inputs = *a->to;
    with_inputs.inputs[0] = name;
    with_inputs.inputs[1] = template_path;
    vq_status s = render_document(vq, doc, &with_inputs, a->opts, err);
    free(template_path);
    return s;
}

static vq_status render_record(vq_engine *vq, const char *template_name, const vq_record *rec,
                               const sink *to, const vq_render_options *opts, vq_error *err)
{
    vq_error_clear(err);
    opts = opts ? opts : &DEFAULT_OPTIONS;
    if (to->mem)
        *to->mem = NULL, *to->mem_len = 0;
    render_ctx ctx;
    begin_render(&ctx, rec, opts);
    record_args a = {template_name, rec, to, opts, &ctx};
    vq_status s = guarded_render(vq, expand_and_draw, &a, opts, err);
    end_render(&ctx, err);
    return s;
}

vq_status vq_engine_render_record(vq_engine *vq, const char *template_name, const vq_record *rec,
                                  const char *output, const vq_render_options *opts, vq_error *err)
{
    sink to = {.output = output};
    return render_record(vq, template_name, rec, &to, opts, err);
}

vq_status vq_engine_render_record_to_memory(vq_engine *vq, const char *template_name,
                                            const vq_record *rec, const vq_render_options *opts,
                                            void **out, size_t *out_len, vq_error *err)
{
    size_t len_local;
    sink to = {.mem = out, .mem_len = out_len ? out_len : &len_local};
    return render_record(vq, template_name, rec, &to, opts, err);
}

vq_status vq_engine_render_json(vq_engine *vq, const char *template_name, const char *json,
                                size_t json_len, const char *data_name, const char *output,
                                const vq_render_options *opts, vq_error *err)
{
    vq_record rec = {.json = json, .len = json_len, .name = data_name};
    return vq_engine_render_record(vq, template_name, &rec, output, opts, err);
}

int vq_engine_page_count(const vq_engine *vq)
{
    return vq->last_pages;
}

vq_status vq_engine_render_batch(vq_engine *vq, const char *template_name, vq_batch_next_fn next,
                                 vq_batch_done_fn done, void *user, const vq_render_options *opts,
                                 vq_error *err)
{
    vq_error_clear(err);
    size_t count = 0, failed = 0;
    vq_status worst = VQ_OK;
    vq_record rec;
    const char *output;
    for (;;) {
        memset(&rec, 0, sizeof rec);
        output = NULL;
        if (!next(&rec, &output, user))
            break;
        vq_error e;
        vq_status s = vq_engine_render_record(vq, template_name, &rec, output, opts, &e);
        count++;
        if (s != VQ_OK) {
            failed++;
            if (s > worst)
                worst = s;
        }
        if (done && !done(&rec, output, &e, user))
            break;
    }
    if (failed)
        return vq_error_set(err, worst, NULL, 0, 0, "%zu of %zu records failed", failed, count);
    return VQ_OK;
}

typedef struct read_args {
    const char *path;
    char *text;
    size_t len;
} read_args;

static vq_status read_input(vq_engine *vq, void *args, vq_error *err)
{
    (void)vq;
    read_args *a = args;
    a->text = vq_read_file(a->path, &a->len, err);
    vq_heap_forget(a->text); /* freed below, also when the render runs out */
    return a->text ? VQ_OK : err->status;
}

vq_status vq_engine_render_file(vq_engine *vq, const char *template_name, const char *data_path,
                                const char *output, const vq_render_options *opts, vq_error *err)
{
    vq_error_clear(err);
    read_args in = {.path = data_path};
    if (guarded(vq, read_input, &in, err) != VQ_OK)
        return err->status;
    vq_status s =
        vq_engine_render_json(vq, template_name, in.text, in.len, data_path, output, opts, err);
    free(in.text);
    return s;
}

typedef struct markup_args {
    const char *markup_path, *output;
    const vq_render_options *opts;
} markup_args;

/* The markup's errors when there are several, each as it is found. */
static void report_markup_error(const vq_error *e, void *user)
{
    const markup_args *a = user;
    report_error(a->opts, e);
}

static vq_status render_markup(vq_engine *vq, void *args, vq_error *err)
{
    const markup_args *a = args;
    size_t len;
    char *text = vq_read_file(a->markup_path, &len, err);
    if (!text)
        return err->status;
    char *base = vq_path_dirname(a->markup_path);
    vq_roots roots = {0};
    image_roots(&roots, base, NULL, a->opts);
    vq_markup_options mo = {.base_dir = base,
                            .roots = &roots,
                            .max_pixels = a->opts->max_image_pixels,
                            .report = report_markup_error,
                            .user = args};
    vq_document *doc = vq_markup_parse_opts(text, len, a->markup_path, NULL, &mo, err);
    vq_roots_free(&roots);
    free(base);
    free(text);
    sink to = {.output = a->output, .inputs = {a->markup_path, NULL}};
    return render_document(vq, doc, &to, a->opts, err);
}

vq_status vq_engine_render_markup(vq_engine *vq, const char *markup_path, const char *output,
                                  const vq_render_options *opts, vq_error *err)
{
    vq_error_clear(err);
    markup_args a = {markup_path, output, opts ? opts : &DEFAULT_OPTIONS};
    return guarded_render(vq, render_markup, &a, a.opts, err);
}
