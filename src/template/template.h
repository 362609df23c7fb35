/* Mustache templates: compile once, render many.
 *
 *     vq_template_options opts = {.strict = true};
 *     vq_error err;
 *     vq_template *t = vq_template_compile_file("main.mustache", &opts, &err);
 *     vq_buf out = VQ_BUF_INIT;
 *     if (!t || vq_template_render(t, data, &out, NULL, &err) != VQ_OK)
 *         ... err says file:line:col and what went wrong ...
 *     vq_template_destroy(t);
 *
 * The language is the Mustache spec (comments, delimiters, interpolation,
 * sections, inverted sections, partials, inheritance, dynamic names; no
 * lambdas). {{name}} escapes & < > " so a value cannot inject markup.
 * Partials {{> name}} are the files name.mustache in the including
 * template's folder, then in opts->partial_dirs; they are compiled on first
 * use and kept in the template. */
#ifndef VQ_TEMPLATE_TEMPLATE_H
#define VQ_TEMPLATE_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "template/sourcemap.h"
#include "varaq/error.h"

typedef struct vq_template vq_template;

/* Bytes of output plus steps (nodes rendered, list elements walked) one
 * render may take: 64 MiB of markup is hundreds of times a long case
 * report, and the source map costs up to 32 bytes per output byte. */
#define VQ_TEMPLATE_DEFAULT_MAX_OUTPUT ((size_t)64 << 20)

typedef struct vq_template_options {
    bool strict;                     /* missing name or partial = error */
    bool warn_missing;               /* not strict: warn (vq_warn) at each missing name */
    bool spec_only;                  /* the Mustache spec alone: no {{@index}}/{{@number}} */
    const char *const *partial_dirs; /* searched after the including template's own folder */
    size_t partial_dir_count;
    size_t max_output; /* render fails past this many bytes (and steps);
                          0 = VQ_TEMPLATE_DEFAULT_MAX_OUTPUT */
} vq_template_options;

/* Partials may nest this deep; deeper is an error (it is almost always an
 * endless recursion). */
enum { VQ_TEMPLATE_MAX_PARTIAL_DEPTH = 64 };

/* opts may be NULL (not strict, no partial folders). The options, including
 * the folder list, are copied. Returns NULL and fills err on failure. */
vq_template *vq_template_compile_file(const char *path, const vq_template_options *opts,
                                      vq_error *err);
/* name is used in error messages; dir is where partials are looked up first
 * (may be NULL). */
vq_template *vq_template_compile_string(const char *text, size_t len, const char *name,
                                        const char *dir, const vq_template_options *opts,
                                        vq_error *err);

/* Appends the expansion of t with data to out. When map is not NULL, it
 * records which template position produced each output range (offsets are
 * positions in out). On failure out holds a partial expansion. */
vq_status vq_template_render(const vq_template *t, const json_t *data, vq_buf *out,
                             vq_source_map *map, vq_error *err);

/* Where the data came from, so that an error caused by a data value also
 * names its place in the data file ("(data at case.json:14:22)"). */
typedef struct vq_template_data_source {
    const char *name; /* the data file's name in messages */
    const char *text; /* its JSON text; NULL: no line and column */
    size_t len;
} vq_template_data_source;

/* vq_template_render with the data's source; src may be NULL. */
vq_status vq_template_render_ex(const vq_template *t, const json_t *data,
                                const vq_template_data_source *src, vq_buf *out, vq_source_map *map,
                                vq_error *err);

void vq_template_destroy(vq_template *t);

/* Finding templates on disk (locate.c). */

/* TEMPLATE on the command line is a file path, or the name of a bundled
 * template: NAME/main.mustache under exe_dir/templates, then under the
 * installed data folder. Returns a path to free(), or NULL with err set. */
char *vq_template_locate(const char *name_or_path, const char *exe_dir, vq_error *err);

/* The folder of the shared partials (templates/common) beside the binary or
 * installed; NULL when there is none. Free the result. */
char *vq_template_common_dir(const char *exe_dir);

#endif
