/* The public API (include/varaq/varaq.h): one engine, many renders. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "api_fixture.h"
#include "base/buf.h"
#include "base/io.h"
#include "varaq/varaq.h"

static void one_engine_renders_the_same_bytes_twice(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    assert_non_null(vq);
    char *a = api_scratch_path("a.pdf"), *b = api_scratch_path("b.pdf");
    const char *data = VQ_SOURCE_DIR "/samples/scleromyxedema-ivig/handout.json";
    assert_int_equal(vq_engine_render_file(vq, "handout", data, a, NULL, &err), VQ_OK);
    assert_int_equal(vq_engine_render_file(vq, "handout", data, b, NULL, &err), VQ_OK);
    size_t la, lb;
    char *da = api_read(a, &la), *db = api_read(b, &lb);
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
    char *out = api_scratch_path("bad.pdf");
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
    char *out = api_scratch_path("none.pdf");
    assert_int_equal(
        vq_engine_render_json(vq, "no-such-template", "{}", 2, "d.json", out, NULL, &err),
        VQ_ERR_IO);
    assert_string_equal(err.file, "no-such-template");
    assert_false(vq_path_exists(out));
    free(out);
    vq_engine_destroy(vq);
}

/* A wrong data folder fails at once with its name; with no bundled
 * templates where the engine looks, the error lists those folders. */
static void missing_data_folders_are_named(void **state)
{
    (void)state;
    vq_error err;
    assert_null(vq_engine_create(VQ_SOURCE_DIR "/no-such-folder", &err));
    assert_int_equal(err.status, VQ_ERR_IO);
    assert_string_equal(err.file, VQ_SOURCE_DIR "/no-such-folder");
    assert_string_equal(err.message,
                        "data folder (fonts/ and templates/): No such file or directory");
    char *empty = api_scratch_path("empty-data");
    mkdir(empty, 0700);
    vq_engine *vq = vq_engine_create(empty, &err);
    assert_non_null(vq);
    assert_int_equal(vq_engine_render_json(vq, "handout", "{}", 2, "d.json", "x.pdf", NULL, &err),
                     VQ_ERR_IO);
    char want[4096];
    snprintf(want, sizeof want,
             "cannot open file: No such file or directory (nor a bundled template of that "
             "name in %s/templates (no such folder) or ",
             empty);
    assert_memory_equal(err.message, want, strlen(want));
    vq_engine_destroy(vq);
    rmdir(empty);
    free(empty);
}

static void markup_renders_to_png_pages(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    char *doc = api_scratch_path("doc.xml");
    const char xml[] = "<document lang=\"fa\"><p>سلام دنیا</p><page-break/><p>صفحهٔ دوم</p>"
                       "</document>";
    assert_int_equal(vq_write_file_atomic(doc, xml, strlen(xml), &err), VQ_OK);
    char *pattern = api_scratch_path("page-%d.png");
    vq_render_options opts = {.format = VQ_OUTPUT_PNG, .dpi = 30};
    assert_int_equal(vq_engine_render_markup(vq, doc, pattern, &opts, &err), VQ_OK);
    char *p1 = api_scratch_path("page-1.png"), *p2 = api_scratch_path("page-2.png"),
         *p3 = api_scratch_path("page-3.png");
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

static void memory_render_gives_the_file_bytes(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    const char *data = VQ_SOURCE_DIR "/samples/scleromyxedema-ivig/handout.json";
    char *file = api_scratch_path("file.pdf");
    assert_int_equal(vq_engine_render_file(vq, "handout", data, file, NULL, &err), VQ_OK);
    size_t flen;
    char *fbytes = api_read(file, &flen);
    vq_record rec;
    char *json = api_read_record(data, data, &rec);
    void *mem = NULL;
    size_t mlen = 0;
    assert_int_equal(
        vq_engine_render_record_to_memory(vq, "handout", &rec, NULL, &mem, &mlen, &err), VQ_OK);
    assert_int_equal(mlen, flen);
    assert_memory_equal(mem, fbytes, flen);
    free(mem);
    /* PNG: the page asked for, and an error for a page past the end. */
    vq_render_options png = {.format = VQ_OUTPUT_PNG, .dpi = 20, .page = 1};
    assert_int_equal(
        vq_engine_render_record_to_memory(vq, "handout", &rec, &png, &mem, &mlen, &err), VQ_OK);
    assert_true(mlen > 100 && memcmp(mem, "\x89PNG", 4) == 0);
    free(mem);
    png.page = 99;
    assert_int_equal(
        vq_engine_render_record_to_memory(vq, "handout", &rec, &png, &mem, &mlen, &err),
        VQ_ERR_USAGE);
    assert_null(mem);
    assert_string_equal(err.message, "the document has no page 99");
    free(json);
    free(fbytes);
    free(file);
    vq_engine_destroy(vq);
}

typedef struct seen {
    char lines[8][512];
    int count;
    char language[2048]; /* the violation at /language */
    int warnings;
} seen;

static void keep(const vq_error *e, void *user)
{
    seen *s = user;
    if (s->count < 8) {
        vq_buf b = VQ_BUF_INIT;
        vq_buf_printf(&b, "%s:%d:%d: %s #%zu", e->file, e->line, e->column, e->message, e->record);
        memcpy(s->lines[s->count++], b.data, b.len < 511 ? b.len + 1 : 512);
        s->lines[s->count - 1][511] = '\0';
        vq_buf_free(&b);
    }
    if (strstr(e->message, "/language:"))
        snprintf(s->language, sizeof s->language, "%d:%d: %s #%zu", e->line, e->column, e->message,
                 e->record);
}

static void count_warning(const char *file, int line, int column, const char *message, void *user)
{
    (void)file, (void)line, (void)column, (void)message;
    ((seen *)user)->warnings++;
}

static void record_errors_are_placed_in_their_file(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    /* A record starting at line 17, column 5 of records.json. */
    const char bad_json[] = "{\n  \"language\": }";
    vq_record rec = {.json = bad_json,
                     .len = strlen(bad_json),
                     .name = "records.json",
                     .line = 17,
                     .column = 5,
                     .index = 9};
    char *out = api_scratch_path("r.pdf");
    assert_int_equal(vq_engine_render_record(vq, "handout", &rec, out, NULL, &err), VQ_ERR_INPUT);
    assert_string_equal(err.file, "records.json");
    assert_int_equal(err.line, 18);
    assert_int_equal(err.column, 15);
    assert_int_equal(err.record, 9);
    /* Schema violations go to the report callback, moved the same way; on
     * the record's first line the column moves too. */
    const char wrong[] = "{\"language\": 5}";
    rec.json = wrong;
    rec.len = strlen(wrong);
    seen s = {0};
    vq_render_options opts = {.report = keep, .warning = count_warning, .user = &s};
    assert_int_equal(vq_engine_render_record(vq, "handout", &rec, out, &opts, &err), VQ_ERR_INPUT);
    assert_true(s.count >= 2);
    assert_string_equal(s.lines[0], "records.json:17:5: /: missing required field 'page_size' #9");
    assert_string_equal(s.language, "17:18: /language: expected one of \"fa\", \"en\" #9");
    assert_int_equal(err.line, 17);
    assert_int_equal(err.column, 5);
    assert_false(vq_path_exists(out));
    free(out);
    vq_engine_destroy(vq);
}

static void images_outside_the_root_are_refused(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    char *doc = api_scratch_path("img.xml");
    const char xml[] =
        "<document><figure src=\"" VQ_SOURCE_DIR "/tests/layout/img/page.png\"/></document>";
    assert_int_equal(vq_write_file_atomic(doc, xml, strlen(xml), &err), VQ_OK);
    char *out = api_scratch_path("img.pdf");
    vq_render_options opts = {.image_root = api_scratch};
    assert_int_equal(vq_engine_render_markup(vq, doc, out, &opts, &err), VQ_ERR_INPUT);
    assert_string_equal(err.message, "cannot read image '" VQ_SOURCE_DIR
                                     "/tests/layout/img/page.png': no such file inside the "
                                     "allowed folders");
    assert_false(vq_path_exists(out));
    opts.image_root = VQ_SOURCE_DIR "/tests/layout";
    assert_int_equal(vq_engine_render_markup(vq, doc, out, &opts, &err), VQ_OK);
    free(out);
    free(doc);
    vq_engine_destroy(vq);
}

/* Markup with several errors: each goes to the report callback in order,
 * err has the count, nothing is written. */
static void markup_errors_are_each_reported(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    char *doc = api_scratch_path("errors.xml");
    const char xml[] = "<document>\n<p><blink/></p>\n<hr colour=\"red\"/></document>";
    assert_int_equal(vq_write_file_atomic(doc, xml, strlen(xml), &err), VQ_OK);
    char *out = api_scratch_path("errors.pdf");
    seen s = {0};
    vq_render_options opts = {.report = keep, .user = &s};
    assert_int_equal(vq_engine_render_markup(vq, doc, out, &opts, &err), VQ_ERR_INPUT);
    assert_int_equal(s.count, 2);
    char want[2][1024];
    snprintf(want[0], sizeof want[0], "%s:2:4: unknown element <blink> #0", doc);
    snprintf(want[1], sizeof want[1],
             "%s:3:5: unknown attribute 'colour' on <hr> (did you mean 'color'?); allowed: id, "
             "class and the style attributes #0",
             doc);
    assert_string_equal(s.lines[0], want[0]);
    assert_string_equal(s.lines[1], want[1]);
    assert_string_equal(err.message, "2 errors in the markup");
    assert_int_equal(err.line, 0);
    assert_false(vq_path_exists(out));
    free(out);
    free(doc);
    vq_engine_destroy(vq);
}

/* Two threads, each with its own engine, render at once and give the bytes
 * one engine gives alone. */
typedef struct job {
    const char *json;
    size_t len;
    void *pdf;
    size_t pdf_len;
    vq_status status;
} job;

static void *render_in_thread(void *arg)
{
    job *j = arg;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    vq_record rec = {.json = j->json, .len = j->len, .name = "h.json"};
    for (int i = 0; i < 3; i++) {
        free(j->pdf);
        j->pdf = NULL;
        j->status = vq_engine_render_record_to_memory(vq, "handout", &rec, NULL, &j->pdf,
                                                      &j->pdf_len, &err);
    }
    vq_engine_destroy(vq);
    return NULL;
}

static void engines_in_threads_agree(void **state)
{
    (void)state;
    size_t len;
    char *json = api_read(VQ_SOURCE_DIR "/samples/scleromyxedema-ivig/handout.json", &len);
    job a = {json, len, NULL, 0, VQ_OK}, b = a, alone = a;
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, render_in_thread, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, render_in_thread, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    render_in_thread(&alone);
    assert_int_equal(a.status, VQ_OK);
    assert_int_equal(b.status, VQ_OK);
    assert_int_equal(a.pdf_len, alone.pdf_len);
    assert_int_equal(b.pdf_len, alone.pdf_len);
    assert_memory_equal(a.pdf, alone.pdf, alone.pdf_len);
    assert_memory_equal(b.pdf, alone.pdf, alone.pdf_len);
    free(a.pdf);
    free(b.pdf);
    free(alone.pdf);
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_engine_renders_the_same_bytes_twice),
        cmocka_unit_test(bad_json_in_memory_is_located_and_writes_nothing),
        cmocka_unit_test(unknown_template_is_an_io_error),
        cmocka_unit_test(missing_data_folders_are_named),
        cmocka_unit_test(markup_renders_to_png_pages),
        cmocka_unit_test(memory_render_gives_the_file_bytes),
        cmocka_unit_test(record_errors_are_placed_in_their_file),
        cmocka_unit_test(images_outside_the_root_are_refused),
        cmocka_unit_test(markup_errors_are_each_reported),
        cmocka_unit_test(engines_in_threads_agree),
    };
    return cmocka_run_group_tests(tests, api_scratch_setup, api_scratch_teardown);
}
