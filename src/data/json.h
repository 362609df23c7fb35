/* Case data: JSON files read with jansson, and numbers printed the way a
 * reader expects them (1.1, not 1.1000000000000001). */
#ifndef VQ_DATA_JSON_H
#define VQ_DATA_JSON_H

#include <jansson.h>

#include "base/buf.h"
#include "varaq/error.h"

/* Parses the JSON file at path ("-" is stdin); any JSON value may be at the
 * top. On failure returns NULL and fills err: VQ_ERR_IO when the file cannot
 * be read, VQ_ERR_INPUT with jansson's line and column for bad JSON, and the
 * line and column of the first bad byte for invalid UTF-8. Free the result
 * with json_decref. */
json_t *vq_json_load_file(const char *path, vq_error *err);

/* The same for text already in memory; name is used in error messages. */
json_t *vq_json_load_string(const char *text, size_t len, const char *name, vq_error *err);

/* Appends the shortest text that reads back as the same number: integers as
 * integers, reals with at most 17 significant digits ("1.1", "85" for 85.0).
 * n must be a JSON integer or real. */
void vq_json_format_number(const json_t *n, vq_buf *out);

#endif
