/* The public API (include/varaq/varaq.h): one engine, many renders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/io.h"
#include "varaq/varaq.h"

static char scratch[] = "/tmp/vq-engine-XXXXXX";

static char *out_path(const char *name)
{
    return vq_path_join(scratch, name);
}

static char *slurp(const char *path, size_t *len)
{
    vq_error err;
    return vq_read_file(path, len, &err);
}

static void one_engine_renders_the_same_bytes_twice(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    assert_non_null(vq);
    char *a = out_path("a.pdf"), *b = out_path("b.pdf");
    const char *data = VQ_SOURCE_DIR "/samples/scleromyxedema-ivig/handout.json";
    assert_int_equal(vq_engine_render_file(vq, "handout", data, a, NULL, &err), VQ_OK);
    assert_int_equal(vq_engine_render_file(vq, "handout", data, b, NULL, &err), VQ_OK);
    size_t la, lb;
    char *da = slurp(a, &la), *db = slurp(b, &lb);
    assert_non_null(da);
    assert_true(la > 1000 && memcmp(da, "%PDF-", 5) == 0);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    free(da);
    free(db);
    free(a);
    free(b);
    vq_engine_destroy(vq);
}

static void bad_json_in_memory_is_located_and_writes_nothing(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    char *out = out_path("bad.pdf");
    const char json[] = "{\n  \"language\": \"fa\",\n  \"title\": }\n";
    assert_int_equal(
        vq_engine_render_json(vq, "handout", json, strlen(json), "plan.json", out, NULL, &err),
        VQ_ERR_INPUT);
    assert_string_equal(err.file, "plan.json");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 12);
    assert_string_equal(err.message, "unexpected token near '}'");
    assert_false(vq_path_exists(out));
    free(out);
    vq_engine_destroy(vq);
}

static void unknown_template_is_an_io_error(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    char *out = out_path("none.pdf");
    assert_int_equal(
        vq_engine_render_json(vq, "no-such-template", "{}", 2, "d.json", out, NULL, &err),
        VQ_ERR_IO);
    assert_string_equal(err.file, "no-such-template");
    assert_false(vq_path_exists(out));
    free(out);
    vq_engine_destroy(vq);
}

static void markup_renders_to_png_pages(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    char *doc = out_path("doc.xml");
    const char xml[] = "<document lang=\"fa\"><p>سلام دنیا</p><page-break/><p>صفحهٔ دوم</p>"
                       "</document>";
    assert_int_equal(vq_write_file_atomic(doc, xml, strlen(xml), &err), VQ_OK);
    char *pattern = out_path("page-%d.png");
    vq_render_options opts = {.format = VQ_OUTPUT_PNG, .dpi = 30};
    assert_int_equal(vq_engine_render_markup(vq, doc, pattern, &opts, &err), VQ_OK);
    char *p1 = out_path("page-1.png"), *p2 = out_path("page-2.png"), *p3 = out_path("page-3.png");
    assert_true(vq_path_exists(p1));
    assert_true(vq_path_exists(p2));
    assert_false(vq_path_exists(p3));
    free(p1);
    free(p2);
    free(p3);
    free(pattern);
    free(doc);
    vq_engine_destroy(vq);
}

static int cleanup(void **state)
{
    (void)state;
    vq_buf cmd = VQ_BUF_INIT;
    vq_buf_printf(&cmd, "rm -rf '%s'", scratch);
    int rc = system(cmd.data);
    vq_buf_free(&cmd);
    return rc == 0 ? 0 : -1;
}

int main(void)
{
    if (!mkdtemp(scratch))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_engine_renders_the_same_bytes_twice),
        cmocka_unit_test(bad_json_in_memory_is_located_and_writes_nothing),
        cmocka_unit_test(unknown_template_is_an_io_error),
        cmocka_unit_test(markup_renders_to_png_pages),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
