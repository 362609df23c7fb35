/* Every case of the Mustache spec (tests/spec/mustache, without lambdas),
 * run through the library: one cmocka test per case. Partials are written
 * as NAME.mustache into a scratch folder that the template names as its
 * own. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/io.h"
#include "data/json.h"
#include "template/template.h"

typedef struct spec_case {
    char *name;
    json_t *test; /* the case's object in the spec file */
} spec_case;

/* A folder made under the build tree (VQ_SCRATCH_DIR). */
static char scratch[] = VQ_SCRATCH_DIR "/spec-XXXXXX";

static void write_partials(const json_t *partials, const char *dir)
{
    const char *name;
    json_t *text;
    json_object_foreach((json_t *)partials, name, text)
    {
        vq_buf file = VQ_BUF_INIT;
        vq_buf_printf(&file, "%s/%s.mustache", dir, name);
        vq_error err;
        assert_int_equal(vq_write_file_atomic(file.data, json_string_value(text),
                                              json_string_length(text), &err),
                         VQ_OK);
        vq_buf_free(&file);
    }
}

static void remove_partials(const json_t *partials, const char *dir)
{
    const char *name;
    json_t *text;
    json_object_foreach((json_t *)partials, name, text)
    {
        vq_buf file = VQ_BUF_INIT;
        vq_buf_printf(&file, "%s/%s.mustache", dir, name);
        unlink(file.data);
        vq_buf_free(&file);
    }
}

static void run_case(void **state)
{
    const spec_case *c = *state;
    const json_t *t = c->test;
    const json_t *tpl = json_object_get(t, "template");
    const json_t *partials = json_object_get(t, "partials");
    if (partials)
        write_partials(partials, scratch);
    vq_error err;
    vq_error_clear(&err);
    vq_template *compiled = vq_template_compile_string(
        json_string_value(tpl), json_string_length(tpl), "main.mustache", scratch, NULL, &err);
    if (!compiled)
        fail_msg("%s: compile failed: %d:%d: %s", c->name, err.line, err.column, err.message);
    vq_buf out = VQ_BUF_INIT;
    vq_status st = vq_template_render(compiled, json_object_get(t, "data"), &out, NULL, &err);
    if (st != VQ_OK)
        fail_msg("%s: render failed: %s", c->name, err.message);
    const json_t *expected = json_object_get(t, "expected");
    assert_int_equal(out.len, json_string_length(expected));
    assert_memory_equal(out.data, json_string_value(expected), out.len);
    /* Compile once, render many: a second run gives the same text. */
    vq_buf again = VQ_BUF_INIT;
    assert_int_equal(vq_template_render(compiled, json_object_get(t, "data"), &again, NULL, &err),
                     VQ_OK);
    assert_string_equal(again.data, out.data);
    vq_buf_free(&again);
    vq_buf_free(&out);
    vq_template_destroy(compiled);
    if (partials)
        remove_partials(partials, scratch);
}

static int name_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    const char *source = getenv("VQ_SOURCE_DIR") ? getenv("VQ_SOURCE_DIR") : VQ_SOURCE_DIR;
    char *dir = vq_path_join(source, "tests/spec/mustache");
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    char *files[64];
    size_t nfiles = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nfiles < 64) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0 &&
            strcmp(e->d_name, "~lambdas.json") != 0)
            files[nfiles++] = vq_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(files, nfiles, sizeof *files, name_order);
    if (!mkdtemp(scratch))
        return 1;

    struct CMUnitTest *tests = NULL;
    spec_case *cases = NULL;
    size_t n = 0;
    json_t *docs[64];
    for (size_t f = 0; f < nfiles; f++) {
        char *path = vq_path_join(dir, files[f]);
        vq_error err;
        docs[f] = vq_json_load_file(path, &err);
        if (!docs[f]) {
            fprintf(stderr, "%s: %s\n", path, err.message);
            return 1;
        }
        free(path);
        json_t *list = json_object_get(docs[f], "tests");
        size_t count = json_array_size(list);
        tests = vq_xrealloc(tests, (n + count) * sizeof *tests);
        cases = vq_xrealloc(cases, (n + count) * sizeof *cases);
        for (size_t i = 0; i < count; i++, n++) {
            json_t *t = json_array_get(list, i);
            vq_buf name = VQ_BUF_INIT;
            vq_buf_printf(&name, "%.*s: %s", (int)(strlen(files[f]) - 5), files[f],
                          json_string_value(json_object_get(t, "name")));
            cases[n] = (spec_case){vq_buf_steal(&name), t};
        }
    }
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL, &cases[i]};
    printf("mustache spec: %zu cases\n", n);
    int failed = _cmocka_run_group_tests("mustache_spec", tests, n, NULL, NULL);
    rmdir(scratch);
    for (size_t i = 0; i < n; i++)
        free(cases[i].name);
    free(cases);
    free(tests);
    for (size_t f = 0; f < nfiles; f++) {
        json_decref(docs[f]);
        free(files[f]);
    }
    free(dir);
    /* The spec has 184 cases without lambdas; fewer means files are missing. */
    if (n != 184) {
        fprintf(stderr, "expected 184 spec cases, found %zu\n", n);
        return 1;
    }
    return failed;
}
