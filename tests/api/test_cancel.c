/* A render's cancel hook (vq_render_options.cancel) really stops it: a hook
 * that answers non-zero on its n-th call, for every n a render makes,
 * gives VQ_ERR_CANCELLED, writes nothing (an existing output file is left
 * as it was; into memory there is no buffer), and the same engine then
 * renders the document to the same bytes as before. A hook that never
 * cancels changes nothing in the output and is asked between paragraphs
 * and pages. Under the sanitizer build LeakSanitizer checks that each
 * cancelled render released everything it held. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "api_fixture.h"
#include "base/io.h"
#include "varaq/varaq.h"

typedef struct hook {
    unsigned long calls;
    unsigned long cancel_at; /* 0: never */
} hook;

static int count_and_cancel(void *user)
{
    hook *h = user;
    h->calls++;
    return h->cancel_at && h->calls >= h->cancel_at;
}

static void a_markup_render_can_be_cancelled_at_every_poll(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    assert_non_null(vq);
    char *doc = api_write_markup_doc(), *out = api_scratch_path("doc.pdf");

    /* Without a hook, then with one that never cancels: the same bytes. */
    assert_int_equal(vq_engine_render_markup(vq, doc, out, NULL, &err), VQ_OK);
    size_t want_len;
    char *want = api_read(out, &want_len);
    hook h = {0, 0};
    vq_render_options opts = {.cancel = count_and_cancel, .user = &h};
    assert_int_equal(vq_engine_render_markup(vq, doc, out, &opts, &err), VQ_OK);
    api_assert_file_bytes(out, want, want_len);
    unsigned long polls = h.calls;
    /* Each paragraph (heading, two list items, table cells, two
     * paragraphs), the second page, the steps around the layout. */
    assert_true(polls >= 9);

    static const char old[] = "the previous output";
    for (unsigned long n = 1; n <= polls; n++) {
        assert_int_equal(vq_write_file_atomic(out, old, sizeof old - 1, &err), VQ_OK);
        h = (hook){0, n};
        vq_status s = vq_engine_render_markup(vq, doc, out, &opts, &err);
        if (s != VQ_ERR_CANCELLED)
            fail_msg("cancelled at poll %lu of %lu: status %d (%s)", n, polls, s, err.message);
        assert_string_equal(err.message, "render cancelled");
        assert_int_equal(h.calls, n); /* asked no more once it said stop */
        api_assert_file_bytes(out, old, sizeof old - 1);
        /* The engine renders again, to the same bytes. */
        assert_int_equal(vq_engine_render_markup(vq, doc, out, NULL, &err), VQ_OK);
        api_assert_file_bytes(out, want, want_len);
    }
    free(want);
    unlink(out);
    unlink(doc);
    free(out);
    free(doc);
    vq_engine_destroy(vq);
}

static void a_template_render_into_memory_can_be_cancelled(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    assert_non_null(vq);
    vq_record rec;
    char *json =
        api_read_record(VQ_SOURCE_DIR "/samples/scleromyxedema-ivig/case.json", "case.json", &rec);
    hook h = {0, 0};
    vq_render_options opts = {.cancel = count_and_cancel, .user = &h};
    void *want = NULL, *pdf = NULL;
    size_t want_len = 0, pdf_len = 0;
    assert_int_equal(
        vq_engine_render_record_to_memory(vq, "journal-case", &rec, &opts, &want, &want_len, &err),
        VQ_OK);
    unsigned long polls = h.calls;
    /* The seven-page journal is laid out twice (to count its pages). */
    assert_true(polls > 200);
    const unsigned long at[] = {1, 2, polls / 3, polls / 2, polls - 1, polls};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        h = (hook){0, at[i]};
        pdf = (void *)1;
        vq_status s = vq_engine_render_record_to_memory(vq, "journal-case", &rec, &opts, &pdf,
                                                        &pdf_len, &err);
        assert_int_equal(s, VQ_ERR_CANCELLED);
        assert_null(pdf);
        assert_int_equal(vq_engine_page_count(vq), 0);
        assert_int_equal(
            vq_engine_render_record_to_memory(vq, "journal-case", &rec, NULL, &pdf, &pdf_len, &err),
            VQ_OK);
        assert_true(pdf_len == want_len && memcmp(pdf, want, pdf_len) == 0);
        assert_int_equal(vq_engine_page_count(vq), 7);
        free(pdf);
    }
    free(want);
    free(json);
    vq_engine_destroy(vq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_markup_render_can_be_cancelled_at_every_poll),
        cmocka_unit_test(a_template_render_into_memory_can_be_cancelled),
    };
    return cmocka_run_group_tests(tests, api_scratch_setup, api_scratch_teardown);
}
