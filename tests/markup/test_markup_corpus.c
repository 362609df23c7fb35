/* The fuzz corpus as a regression suite: every input parses or fails with a
 * message (run under ASan, no crash or leak); the hand-written seeds
 * (*.xml, except bad.xml) must parse. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/io.h"
#include "markup/markup.h"

#define CORPUS "fuzz/corpus/markup"

static void corpus(void **state)
{
    (void)state;
    DIR *dir = opendir(CORPUS);
    assert_non_null(dir);
    int files = 0, parsed = 0, seeds = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        char *path = vq_path_join(CORPUS, e->d_name);
        size_t len;
        vq_error err;
        char *text = vq_read_file(path, &len, &err);
        assert_non_null(text);
        vq_document *doc = vq_markup_parse(text, len, e->d_name, NULL, "tests/markup/data", &err);
        size_t n = strlen(e->d_name);
        bool seed = n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0;
        if (seed && strcmp(e->d_name, "bad.xml") != 0) {
            if (!doc)
                fail_msg("%s:%d:%d: %s", err.file, err.line, err.column, err.message);
            seeds++;
        }
        if (doc) {
            vq_buf out = VQ_BUF_INIT;
            vq_document_dump(doc, &out);
            assert_true(out.len > 0);
            vq_buf_free(&out);
            vq_document_destroy(doc);
            parsed++;
        } else {
            assert_int_equal(err.status, VQ_ERR_INPUT);
            assert_true(err.message[0] != 0);
            assert_true(err.line >= 1);
        }
        free(text);
        free(path);
        files++;
    }
    closedir(dir);
    assert_true(seeds >= 7);
    assert_true(files > parsed && parsed > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(corpus)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
