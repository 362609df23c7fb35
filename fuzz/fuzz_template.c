/* libFuzzer target for the template stage: the input is compiled and
 * rendered as a template with fixed data, then split in two halves, the
 * first a template and the second JSON data. A few partials (one recursive,
 * one with blocks) sit in the template's folder. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "data/json.h"
#include "fuzz_common.h"
#include "template/template.h"

static char *partial_dir;
static json_t *fixed_data;

static void put(const char *name, const char *text)
{
    char *path = vq_path_join(partial_dir, name);
    vq_error err;
    if (vq_write_file_atomic(path, text, strlen(text), &err) != VQ_OK)
        abort();
    free(path);
}

static void remove_partials(void)
{
    const char *names[] = {"p.mustache", "q.mustache", "r.mustache", "s.mustache"};
    for (size_t i = 0; i < 4; i++) {
        char *path = vq_path_join(partial_dir, names[i]);
        remove(path);
        free(path);
    }
    remove(partial_dir);
    free(partial_dir);
    json_decref(fixed_data);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    partial_dir = fuzz_temp_dir("template");
    put("p.mustache", "<{{#a}}{{>p}}{{/a}}>");
    put("q.mustache", "[{{$b}}default {{c.d.e}}{{/b}}]\n  {{$c}}\n  {{/c}}\n");
    put("r.mustache", "{{<q}}{{$b}}\n  {{s}}\n{{/b}}{{/q}}");
    put("s.mustache", "{{>*s}}");
    const char *data = "{\"a\": [1, 2, {\"b\": \"x<y&\\\"z\"}], \"b\": true, \"c\": {\"d\": "
                       "{\"e\": 1.5}}, \"n\": null, \"s\": \"s\", \"t\": \"q\", \"u\": \"r\", "
                       "\"e\": [], \"f\": false, \"x\": \"\u0628\"}";
    vq_error err;
    fixed_data = vq_json_load_string(data, strlen(data), "data", &err);
    if (!fixed_data)
        abort();
    atexit(remove_partials);
    return 0;
}

static void expand(const uint8_t *text, size_t len, const json_t *data, bool strict)
{
    /* The default budget (64 MiB of output and steps), as the CLI has it:
     * a smaller one would hide work that grows past it. */
    vq_template_options opts = {.strict = strict};
    vq_error err;
    vq_template *t =
        vq_template_compile_string((const char *)text, len, "fuzz", partial_dir, &opts, &err);
    if (!t)
        return;
    vq_buf out = VQ_BUF_INIT;
    vq_source_map *map = vq_source_map_create();
    if (vq_template_render(t, data, &out, map, &err) == VQ_OK && out.len) {
        const char *file;
        int line, col;
        if (!vq_source_map_lookup(map, out.len - 1, &file, &line, &col) || line < 1 || col < 1)
            abort();
    }
    vq_source_map_destroy(map);
    vq_buf_free(&out);
    vq_template_destroy(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    expand(data, size, fixed_data, size & 1);
    size_t half = size / 2;
    vq_error err;
    json_t *json = vq_json_load_string((const char *)data + half, size - half, "data", &err);
    if (json) {
        expand(data, half, json, false);
        json_decref(json);
    }
    return 0;
}
