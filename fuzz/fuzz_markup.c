/* libFuzzer target: arbitrary bytes through the markup parser (and the tree
 * dump), which must never crash, hang or leak. Layout has its own target. */
#include <stddef.h>
#include <stdint.h>

#include "markup/markup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vq_error err;
    /* Figures resolve against the test images so that both paths run. */
    vq_document *doc =
        vq_markup_parse((const char *)data, size, "fuzz.xml", NULL, "tests/markup/data", &err);
    if (doc) {
        vq_buf out = VQ_BUF_INIT;
        vq_document_dump(doc, &out);
        vq_buf_free(&out);
        vq_document_destroy(doc);
    }
    return 0;
}
