/* libFuzzer target: the whole pipeline, end to end, as a caller of the
 * library runs it. JSON data (and, when the input holds a NUL byte, the
 * template before it) go through schema, template, markup, layout and the
 * canvas into a PDF in memory; the data may name the small PNG, JPEG and SVG
 * images written beside it. Nothing may crash, hang or leak, and every
 * failure must come back as an error value with a message. Run from the
 * source tree (fonts/ and templates/ are read from there):
 *
 *   ./build-fuzz/fuzz/fuzz_render -max_total_time=300 -max_len=200000 \
 *       fuzz/corpus/render
 *
 * The first byte chooses the template and the output:
 *   bits 0-1  0 = the template before the NUL (or the fixed one without a
 *             NUL), 1 = bundled handout, 2 = bundled journal-case,
 *             3 = the fixed template
 *   bit 2     PNG page 1 at 12 dpi instead of a PDF (decodes the images)
 *   bit 3     lenient (missing names and unknown fonts are warnings;
 *             always for the fixed template) */
#define _DEFAULT_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/io.h"
#include "fuzz_common.h"
#include "varaq/varaq.h"

static vq_engine *engine;
static char *dir;            /* the images, the data's "file" and t.mustache */
static char *data_name;      /* dir/data.json: images resolve beside it */
static char *template_path;  /* dir/t.mustache, rewritten for each input */
static char *fixed_template; /* dir/fixed.mustache */

static const char svg_text[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"10\">"
    "<rect width=\"20\" height=\"10\" fill=\"#c33\"/><circle cx=\"10\" cy=\"5\" r=\"4\"/></svg>\n";

/* Every element the data can reach: figures of each kind, a table, a list,
 * raw markup from the data ({{{raw}}}), a header and a footnote. */
static const char fixed_text[] =
    "<document lang=\"{{#lang}}{{.}}{{/lang}}{{^lang}}fa{{/lang}}\">\n"
    "<page size=\"{{#size}}{{.}}{{/size}}{{^size}}A5{{/size}}\" "
    "margin=\"{{#margin}}{{.}}{{/margin}}{{^margin}}15mm{{/margin}}\"/>\n"
    "<header><p>{{#title}}{{.}}{{/title}} <page-number/>/<page-count/></p></header>\n"
    "<section columns=\"{{#columns}}{{.}}{{/columns}}{{^columns}}1{{/columns}}\">\n"
    "{{#title}}<h1>{{.}}</h1>{{/title}}\n"
    "{{#paragraphs}}<p>{{.}}<footnote>n</footnote></p>\n{{/paragraphs}}"
    "{{#figures}}<figure src=\"{{src}}\" "
    "width=\"{{#width}}{{.}}{{/width}}{{^width}}30mm{{/width}}\">"
    "{{#caption}}<caption>{{.}}</caption>{{/caption}}</figure>\n{{/figures}}"
    "{{#table}}<table header-rows=\"1\" border=\"0.5pt\"><tr><th>a</th><th>b</th></tr>"
    "{{#rows}}<tr><td>{{a}}</td><td><number "
    "value=\"{{b}}\"/></td></tr>{{/rows}}</table>{{/table}}\n"
    "{{#list}}<ul>{{#items}}<li>{{.}}</li>{{/items}}</ul>{{/list}}\n"
    "{{#raw}}<box><p>{{{.}}}</p></box>{{/raw}}\n"
    "<p>.</p></section>\n</document>\n";

static void put(const char *name, const void *bytes, size_t len, char **path_out);

/* The test images of the source tree, copied beside the data. */
static void copy(const char *from, const char *name)
{
    size_t len;
    vq_error err;
    char *bytes = vq_read_file(from, &len, &err);
    if (!bytes)
        abort();
    put(name, bytes, len, NULL);
    free(bytes);
}

static void put(const char *name, const void *bytes, size_t len, char **path_out)
{
    char *path = vq_path_join(dir, name);
    vq_error err;
    if (vq_write_file_atomic(path, bytes, len, &err) != VQ_OK)
        abort();
    if (path_out)
        *path_out = path;
    else
        free(path);
}

static void cleanup(void)
{
    const char *names[] = {"a.png", "b.jpg", "c.svg", "t.mustache", "fixed.mustache"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *path = vq_path_join(dir, names[i]);
        remove(path);
        free(path);
    }
    remove(dir);
    vq_engine_destroy(engine);
    free(dir);
    free(data_name);
    free(template_path);
    free(fixed_template);
}

static void quiet(const vq_error *e, void *user)
{
    (void)e;
    (void)user;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    vq_error err;
    if (!(engine = vq_engine_create(".", &err)))
        abort(); /* run from the source tree: fonts/ and templates/ */
    dir = fuzz_temp_dir("render");
    copy("tests/markup/data/red.png", "a.png");
    copy("tests/markup/data/red.jpg", "b.jpg");
    put("c.svg", svg_text, strlen(svg_text), NULL);
    put("fixed.mustache", fixed_text, strlen(fixed_text), &fixed_template);
    template_path = vq_path_join(dir, "t.mustache");
    data_name = vq_path_join(dir, "data.json");
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    const char *json = (const char *)data + 1;
    size_t json_len = size - 1;
    const char *names[] = {fixed_template, "handout", "journal-case", fixed_template};
    const char *tpl = names[flags & 3];
    if ((flags & 3) == 0) {
        const char *nul = memchr(json, '\0', json_len);
        if (nul) {
            size_t tlen = (size_t)(nul - json);
            put("t.mustache", json, tlen, NULL);
            tpl = template_path;
            json = nul + 1;
            json_len -= tlen + 1;
        }
    }
    vq_render_options opts = {
        .format = (flags & 4) ? VQ_OUTPUT_PNG : VQ_OUTPUT_PDF,
        .dpi = 12,
        /* The fixed template names fields any data may lack: lenient, or
         * nearly every input would stop at the first missing name. */
        .lenient = (flags & 8) || tpl == fixed_template,
        .report = quiet,
        .warning = fuzz_no_warning,
    };
    vq_record rec = {.json = json, .len = json_len, .name = data_name};
    void *out = NULL;
    size_t out_len = 0;
    vq_error err;
    vq_status s = vq_engine_render_record_to_memory(engine, tpl, &rec, &opts, &out, &out_len, &err);
    if (s == VQ_OK) {
        /* A success is a whole PDF or PNG. */
        if (!out || out_len < 8 ||
            memcmp(out, (flags & 4) ? "\x89PNG" : "%PDF-", (flags & 4) ? 4 : 5) != 0)
            abort();
    } else if (out || !err.message[0]) {
        abort(); /* a failure leaves nothing and says why */
    }
    /* VQ_FUZZ_VERBOSE=1: what each input came to, to check that seeds
     * reach the stage they were written for. */
    if (getenv("VQ_FUZZ_VERBOSE"))
        fprintf(stderr, "render: %zu bytes in, %s\n", out_len, s == VQ_OK ? "ok" : err.message);
    free(out);
    return 0;
}
