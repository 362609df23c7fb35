/* Checking case data against a template's JSON Schema before rendering.
 *
 * Debian 12 ships no maintained JSON Schema validator for C, so this is a
 * checker for the subset the bundled templates use (templates/README.md
 * lists it): type, properties, required, additionalProperties, items,
 * enum, const, minimum, maximum, minLength, maxLength, minItems, maxItems,
 * minProperties, maxProperties, pattern (POSIX extended syntax), format
 * "date", and local $ref ("#/$defs/name"). A schema that uses any other
 * validation keyword is refused, so that no rule is silently ignored.
 *
 *     json_t *schema = vq_json_load_file("templates/x/schema.json", &err);
 *     vq_schema_options o = {.schema_file = "templates/x/schema.json", .text = text, .len = len};
 *     if (vq_schema_check_ex(schema, data, "case.json", &o, &err) != VQ_OK)
 *         ... every violation was reported; err holds the summary ...
 *
 * Every violation is reported, each as a vq_error located in the data file:
 *
 *     case.json:14:22: error: /authors/2/affiliations/0: expected an integer
 *
 * Unknown fields (additionalProperties: false) are warnings (vq_warn), not
 * errors: "case.json:3:5: warning: /journal/nmae: unknown field". */
#ifndef VQ_DATA_SCHEMA_H
#define VQ_DATA_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "varaq/error.h"

/* Receives each violation; violation->file is the data file, line and
 * column are set when the data's text was given and the value was found. */
typedef void (*vq_schema_report_fn)(const vq_error *violation, void *user);

typedef struct vq_schema_options {
    const char *schema_file; /* for errors in the schema itself; NULL = "schema.json" */
    const char *text;        /* the data file's JSON text, for line:col; may be NULL */
    size_t len;
    vq_schema_report_fn report; /* NULL: print each violation to stderr */
    void *user;
} vq_schema_options;

/* Checks data against schema; opts may be NULL. Returns VQ_OK when the data
 * matches (warnings allowed); VQ_ERR_INPUT with a summary in err, located
 * at data_file ("the data does not match the template's schema: 3
 * errors"), when it does not; VQ_ERR_INPUT located at the schema file when
 * the schema itself is unusable (unsupported keyword, bad $ref or
 * pattern). */
vq_status vq_schema_check_ex(const json_t *schema, const json_t *data, const char *data_file,
                             const vq_schema_options *opts, vq_error *err);

/* The same with no text (no line and column) and the default report. */
vq_status vq_schema_check(const json_t *schema, const json_t *data, const char *data_file,
                          vq_error *err);

/* Byte offset in text of the value that the JSON pointer (RFC 6901,
 * "/authors/2/name") names; key_offset (may be NULL) gets the offset of the
 * member's key when the last step is an object member, else the value's.
 * Returns false when text is not JSON or the pointer leads nowhere. */
bool vq_json_pointer_offset(const char *text, size_t len, const char *pointer, size_t *offset,
                            size_t *key_offset);

/* Appends "/" and key escaped as a pointer token (~ as ~0, / as ~1). */
void vq_json_pointer_append(vq_buf *pointer, const char *key);

/* Appends the pointer of value inside root ("/figures/2/src"), found by
 * identity: every value jansson parses is an object of its own, except
 * true, false and null, which are shared and never found. Returns false
 * (pointer unchanged) when value is not in root. */
bool vq_json_pointer_of(const json_t *root, const json_t *value, vq_buf *pointer);

#endif
