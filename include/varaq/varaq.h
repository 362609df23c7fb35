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
 * once. Output files appear only when everything succeeded. An engine is not
 * thread-safe: use one per thread. */
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
 * (fonts also in $VARAQ_FONT_PATH). */
vq_engine *vq_engine_create(const char *data_dir, vq_error *err);
void vq_engine_destroy(vq_engine *vq);

typedef enum vq_output_format { VQ_OUTPUT_PDF, VQ_OUTPUT_PNG } vq_output_format;

typedef struct vq_render_options {
    vq_output_format format; /* PNG: output is a pattern with one %d (page-%d.png) */
    double dpi;              /* PNG resolution; 0 = 96 */
    bool strict;             /* a name the data lacks is an error (always on for
                                bundled templates) */
    bool skip_schema;        /* do not check the data against schema.json */
} vq_render_options;

/* Renders a template — a bundled name ("journal-case", "handout") or a path
 * to a .mustache file — with the JSON data in data_path ("-" = stdin) to
 * output (a PDF path, or "-" for stdout). opts may be NULL. Images named in
 * the data are relative to the data file. */
vq_status vq_engine_render_file(vq_engine *vq, const char *template_name, const char *data_path,
                                const char *output, const vq_render_options *opts, vq_error *err);

/* The same with the JSON text in memory; data_name names it in messages. */
vq_status vq_engine_render_json(vq_engine *vq, const char *template_name, const char *json,
                                size_t json_len, const char *data_name, const char *output,
                                const vq_render_options *opts, vq_error *err);

/* Typesets a markup document (docs/markup.md) that needs no data. */
vq_status vq_engine_render_markup(vq_engine *vq, const char *markup_path, const char *output,
                                  const vq_render_options *opts, vq_error *err);

#ifdef __cplusplus
}
#endif
#endif
