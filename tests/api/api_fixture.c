#include "api_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/io.h"

char api_scratch[] = "/tmp/vq-api-XXXXXX";

int api_scratch_setup(void **state)
{
    (void)state;
    return mkdtemp(api_scratch) ? 0 : -1;
}

int api_scratch_teardown(void **state)
{
    (void)state;
    vq_buf cmd = VQ_BUF_INIT;
    vq_buf_printf(&cmd, "rm -rf '%s'", api_scratch);
    int rc = system(cmd.data);
    vq_buf_free(&cmd);
    return rc == 0 ? 0 : -1;
}

char *api_scratch_path(const char *name)
{
    return vq_path_join(api_scratch, name);
}

char *api_read(const char *path, size_t *len)
{
    vq_error err;
    char *bytes = vq_read_file(path, len, &err);
    if (!bytes)
        fail_msg("%s", err.message);
    return bytes;
}

void api_assert_file_bytes(const char *path, const void *want, size_t len)
{
    size_t got_len;
    char *got = api_read(path, &got_len);
    assert_true(got_len == len && memcmp(got, want, len) == 0);
    free(got);
}

char *api_read_record(const char *path, const char *name, vq_record *rec)
{
    size_t len;
    char *json = api_read(path, &len);
    *rec = (vq_record){.json = json, .len = len, .name = name};
    return json;
}

char *api_write_markup_doc(void)
{
    static const char xml[] =
        "<document lang=\"fa\"><h1>عنوان</h1>"
        "<p>سلام دنیا، روزانه 50 mg/day و <b>پررنگ</b> و <a href=\"#x\">پیوند</a>.</p>"
        "<ul><li>یک</li><li>two</li></ul>"
        "<table><tr><th>الف</th><td>1403/01/01</td></tr></table>"
        "<page-break/><p lang=\"en\" id=\"x\">An English paragraph on page two, "
        "hyphenated where it must be: pseudopseudohypoparathyroidism.</p></document>";
    char *doc = api_scratch_path("doc.xml");
    vq_error err;
    if (vq_write_file_atomic(doc, xml, strlen(xml), &err) != VQ_OK)
        fail_msg("%s", err.message);
    return doc;
}
