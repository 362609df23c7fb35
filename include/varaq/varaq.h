/* varaq — fills case data into templates and typesets it as PDF in Persian,
 * English, or both.
 *
 *     #include <varaq/varaq.h>
 *
 *     vq_error err;
 *     vq_engine *vq = vq_engine_create(NULL, &err);
 *     if (!vq || vq_engine_render_file(vq, "handout", "plan.json", "plan.pdf", NULL, &err))
 *         vq_error_print(&err, stderr);   // plan.json:7:14: error: …
 *     vq_engine_destroy(vq);
 *
 * An engine loads the fonts once and keeps every template it has compiled,
 * so rendering thousands of handouts with one engine parses each template
 * once. Output files appear only when everything succeeded.
 *
 * Threads: an engine is not thread-safe; give each thread its own engine
 * (each loads its fonts and compiles its templates once). Engines in
 * different threads share nothing of varaq's and may render at the same
 * time; the process-wide warning handler is the one shared setting (set it
 * before starting threads, or give each render options.warning). */
#ifndef VARAQ_H
#define VARAQ_H

#include <stdbool.h>
#include <stddef.h>

#include "varaq/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vq_engine vq_engine;

/* data_dir holds the bundled fonts/ and templates/ folders; NULL looks
 * beside the running executable, then in ../share/varaq from it (a program
 * in PREFIX/bin), then at the install prefix varaq was configured with
 * (fonts also in $VARAQ_FONT_PATH). A data_dir that is not a folder fails
 * here (NULL, err set); with NULL, a render that finds no font or no
 * bundled template names the folders it looked in. */
VQ_API vq_engine *vq_engine_create(const char *data_dir, vq_error *err);
VQ_API void vq_engine_destroy(vq_engine *vq);

/* Adds a folder of the user's fonts (.otf, .ttf), searched after the
 * bundled fonts and before $VARAQ_FONT_PATH; call it before the first
 * render. A folder that does not exist makes the first render fail. */
VQ_API void vq_engine_add_font_dir(vq_engine *vq, const char *dir);

typedef enum vq_output_format { VQ_OUTPUT_PDF, VQ_OUTPUT_PNG } vq_output_format;

typedef struct vq_render_options {
    vq_output_format format; /* PNG: output is a pattern with one %d (page-%d.png) */
    double dpi;              /* PNG resolution; 0 = 96 */
    bool strict;             /* kept for old callers: strict is the default */
    bool skip_schema;        /* do not check the data against schema.json */
    int page;                /* PNG into memory: the page to return (1-based; 0 = 1) */
    /* Each located error of a render that finds several, as it is found,
     * before err gets the summary: every schema violation of the data, and
     * the markup's errors when there are more than one (one alone goes to
     * err); NULL prints them to stderr. */
    void (*report)(const vq_error *error, void *user);
    /* This render's warnings (unknown fields, missing glyphs); NULL sends
     * them to the thread's or the process's handler. */
    vq_warning_handler warning;
    void *user; /* given to report and warning */
    /* When set, images are read only from inside this folder (after
     * resolving links, checked on the open file), not from the data file's
     * or the template's: a server's requests cannot make it read other
     * files. */
    const char *image_root;
    bool lenient;            /* a name the data lacks prints as nothing, with a
                                warning; an unknown font or a missing bold or
                                italic face is a warning (default: errors) */
    bool spec_only;          /* the Mustache spec alone: lenient without
                                warnings, no {{@index}}/{{@number}} */
    const char *root;        /* one more folder images may come from (besides the
                                data file's and the template's); relative image
                                paths in data read from stdin start here */
    double max_image_pixels; /* width × height an image may declare; 0 = 50e6 */
    /* Polled with user during the render: before each paragraph is broken
     * into lines, at each new page and between the render's steps (reading
     * the template, laying out, writing the file). When it returns non-zero
     * the render stops there and returns VQ_ERR_CANCELLED: nothing is
     * written (no file, no bytes on stdout, no memory buffer), and the
     * engine renders again as before, only with its caches (fonts,
     * compiled templates) made anew. It runs on the rendering thread.
     * NULL: never cancelled. */
    int (*cancel)(void *user);
    /* A PDF without its structure tree (no headings, lists or tables for a
     * screen reader, no /Lang): tagging, the default, is about a tenth of
     * a handout's work in a batch. */
    bool untagged;
} vq_render_options;

/* Renders a template — a bundled name ("journal-case", "handout") or a path
 * to a .mustache file — with the JSON data in data_path ("-" = stdin) to
 * output (a PDF path, or "-" for stdout). opts may be NULL. Images named in
 * the data are relative to the data file (to opts->root for stdin) and are
 * read only from the data file's folder, the template's folder and
 * opts->root, or below them. The output must not be one of the inputs, nor
 * an existing device, FIFO or folder; a symlink is written through. */
VQ_API vq_status vq_engine_render_file(vq_engine *vq, const char *template_name,
                                       const char *data_path, const char *output,
                                       const vq_render_options *opts, vq_error *err);

/* The same with the JSON text in memory; data_name names it in messages. */
VQ_API vq_status vq_engine_render_json(vq_engine *vq, const char *template_name, const char *json,
                                       size_t json_len, const char *data_name, const char *output,
                                       const vq_render_options *opts, vq_error *err);

/* One record of a batch: JSON text and where it came from. Errors and
 * warnings located in the record are moved to its place in the file
 * (records.jsonl:17:9), and carry its number in vq_error.record. */
typedef struct vq_record {
    const char *json;
    size_t len;
    const char *name; /* the file named in messages ("records.jsonl"); images
                         are found relative to its folder */
    int line, column; /* where the record's text starts in that file (1-based; 0 = 1) */
    size_t index;     /* 1-based record number (0 = not part of a batch) */
} vq_record;

VQ_API vq_status vq_engine_render_record(vq_engine *vq, const char *template_name,
                                         const vq_record *rec, const char *output,
                                         const vq_render_options *opts, vq_error *err);

/* Renders into memory instead of a file: *out (free it with free()) holds
 * the PDF, or with VQ_OUTPUT_PNG the page opts->page as PNG. On failure *out
 * is NULL. The bytes are those a file render of the same input writes. */
VQ_API vq_status vq_engine_render_record_to_memory(vq_engine *vq, const char *template_name,
                                                   const vq_record *rec,
                                                   const vq_render_options *opts, void **out,
                                                   size_t *out_len, vq_error *err);

/* A batch: the engine asks next() for records until it returns false,
 * renders each to the output path next() gives, and reports each result to
 * done() (the progress callback: err->status is VQ_OK on success). A failed
 * record does not stop the batch unless done() returns false; next()
 * returning false stops it before the next record (after the one in hand).
 * Returns VQ_OK when every record rendered, else VQ_ERR_INPUT (or the worst
 * status met) with a count in err. Several threads may each run a batch on
 * their own engine with shared callbacks (which then need their own lock). */
typedef bool (*vq_batch_next_fn)(vq_record *rec, const char **output, void *user);
typedef bool (*vq_batch_done_fn)(const vq_record *rec, const char *output, const vq_error *err,
                                 void *user);
VQ_API vq_status vq_engine_render_batch(vq_engine *vq, const char *template_name,
                                        vq_batch_next_fn next, vq_batch_done_fn done, void *user,
                                        const vq_render_options *opts, vq_error *err);

/* The number of pages of the engine's last successful render (0 after a
 * failure). */
VQ_API int vq_engine_page_count(const vq_engine *vq);

/* Typesets a markup document (docs/markup.md) that needs no data. */
VQ_API vq_status vq_engine_render_markup(vq_engine *vq, const char *markup_path, const char *output,
                                         const vq_render_options *opts, vq_error *err);

#ifdef __cplusplus
}
#endif
#endif
