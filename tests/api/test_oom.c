/* Running out of memory inside a render is an error value (VQ_ERR_NOMEM),
 * never an exit or an abort: the n-th allocation of a render is made to
 * fail for every n (base/alloc.h's vq_alloc_fail_at), and each time the
 * call returns VQ_ERR_NOMEM, writes nothing, and the same engine renders
 * the document right afterwards. Under the sanitizer build LeakSanitizer
 * checks that each failed render released everything it held. */
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
#include "base/buf.h"
#include "base/io.h"
#include "varaq/varaq.h"

/* Fails allocation n (1-based) of one render of the markup document; returns
 * the status and checks that nothing was written. */
static vq_status render_failing_at(vq_engine *vq, const char *doc, const char *out, unsigned long n,
                                   vq_error *err)
{
    vq_alloc_fail_at(n);
    vq_status s = vq_engine_render_markup(vq, doc, out, NULL, err);
    vq_alloc_fail_at(0);
    return s;
}

static void every_allocation_of_a_markup_render_can_fail(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    assert_non_null(vq);
    char *doc = api_write_markup_doc(), *out = api_scratch_path("doc.pdf");

    /* The first render also loads the fonts; count both kinds. */
    unsigned long before = vq_alloc_count();
    assert_int_equal(vq_engine_render_markup(vq, doc, out, NULL, &err), VQ_OK);
    unsigned long cold = vq_alloc_count() - before;
    before = vq_alloc_count();
    assert_int_equal(vq_engine_render_markup(vq, doc, out, NULL, &err), VQ_OK);
    unsigned long warm = vq_alloc_count() - before;
    assert_true(warm > 100 && cold > warm);
    unlink(out);

    /* A failure empties the engine's caches: the render after one starts
     * cold, the one after a good render warm. */
    assert_int_equal(render_failing_at(vq, doc, out, 1, &err), VQ_ERR_NOMEM);
    for (int warm_phase = 0; warm_phase < 2; warm_phase++) {
        unsigned long count = warm_phase ? warm : cold;
        for (unsigned long n = 1; n <= count; n++) {
            if (warm_phase)
                assert_int_equal(vq_engine_render_markup(vq, doc, out, NULL, &err), VQ_OK);
            unlink(out);
            vq_status s = render_failing_at(vq, doc, out, n, &err);
            if (s != VQ_ERR_NOMEM)
                fail_msg("%s render, allocation %lu of %lu: status %d (%s)",
                         warm_phase ? "warm" : "cold", n, count, s, err.message);
            assert_string_equal(err.message, "out of memory");
            assert_false(vq_path_exists(out));
        }
    }
    /* Still whole afterwards. */
    assert_int_equal(vq_engine_render_markup(vq, doc, out, NULL, &err), VQ_OK);
    assert_true(vq_path_exists(out));
    unlink(out);
    unlink(doc);
    free(out);
    free(doc);
    vq_engine_destroy(vq);
}

static void a_template_render_into_memory_can_fail(void **state)
{
    (void)state;
    vq_error err;
    vq_engine *vq = vq_engine_create(VQ_SOURCE_DIR, &err);
    vq_record rec;
    char *json = api_read_record(VQ_SOURCE_DIR "/samples/scleromyxedema-ivig/handout.json",
                                 "handout.json", &rec);
    void *pdf = NULL;
    size_t pdf_len = 0;
    unsigned long before = vq_alloc_count();
    assert_int_equal(
        vq_engine_render_record_to_memory(vq, "handout", &rec, NULL, &pdf, &pdf_len, &err), VQ_OK);
    unsigned long total = vq_alloc_count() - before;
    free(pdf);
    /* Every allocation would take minutes under the sanitizers: a spread
     * of about 60, the first 20 included. */
    unsigned long step = total / 60 + 1;
    for (unsigned long n = 1; n <= total; n += n < 20 ? 1 : step) {
        vq_alloc_fail_at(n);
        pdf = (void *)1;
        vq_status s =
            vq_engine_render_record_to_memory(vq, "handout", &rec, NULL, &pdf, &pdf_len, &err);
        vq_alloc_fail_at(0);
        assert_int_equal(s, VQ_ERR_NOMEM);
        assert_null(pdf);
    }
    assert_int_equal(
        vq_engine_render_record_to_memory(vq, "handout", &rec, NULL, &pdf, &pdf_len, &err), VQ_OK);
    assert_true(pdf_len > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
    free(pdf);
    free(json);
    vq_engine_destroy(vq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_allocation_of_a_markup_render_can_fail),
        cmocka_unit_test(a_template_render_into_memory_can_fail),
    };
    return cmocka_run_group_tests(tests, api_scratch_setup, api_scratch_teardown);
}
