/* The JSON Schema subset checker: every violation reported with its JSON
 * pointer, reason and data line:col; unknown fields are warnings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/io.h"
#include "data/json.h"
#include "data/schema.h"

static const char schema_text[] =
    "{\"type\": \"object\", \"additionalProperties\": false,\n"
    " \"required\": [\"language\", \"title\", \"authors\", \"dates\"],\n"
    " \"$defs\": {\"date\": {\"type\": \"string\", \"format\": \"date\"}},\n"
    " \"properties\": {\n"
    "  \"language\": {\"enum\": [\"fa\", \"en\"]},\n"
    "  \"title\": {\"type\": \"string\", \"minLength\": 1},\n"
    "  \"volume\": {\"type\": \"integer\", \"minimum\": 1},\n"
    "  \"dates\": {\"type\": \"object\", \"required\": [\"received\"], \"additionalProperties\": "
    "false,\n"
    "            \"properties\": {\"received\": {\"$ref\": \"#/$defs/date\"},\n"
    "                           \"revised\": {\"type\": [\"string\", \"null\"], \"format\": "
    "\"date\"}}},\n"
    "  \"phone\": {\"type\": \"string\", \"pattern\": \"^[0-9 -]+$\"},\n"
    "  \"authors\": {\"type\": \"array\", \"minItems\": 1, \"items\": {\n"
    "     \"type\": \"object\", \"required\": [\"name\", \"affiliations\"], "
    "\"additionalProperties\": false,\n"
    "     \"properties\": {\"name\": {\"type\": \"string\"},\n"
    "                    \"affiliations\": {\"type\": \"array\", \"items\": {\"type\": "
    "\"integer\"}}}}}\n"
    " }}\n";

typedef struct capture {
    vq_buf lines;
} capture;

static void on_violation(const vq_error *v, void *user)
{
    capture *c = user;
    vq_buf_printf(&c->lines, "%s:%d:%d: error: %s\n", v->file, v->line, v->column, v->message);
}

static void on_warning(const char *file, int line, int column, const char *message, void *user)
{
    capture *c = user;
    vq_buf_printf(&c->lines, "%s:%d:%d: warning: %s\n", file, line, column, message);
}

/* Checks text against the schema above; returns the status, the report in
 * *out (caller frees) and the summary in err. */
static vq_status run(const char *text, char **out, vq_error *err)
{
    vq_error e;
    json_t *schema = vq_json_load_string(schema_text, strlen(schema_text), "schema.json", &e);
    assert_non_null(schema);
    json_t *data = vq_json_load_string(text, strlen(text), "case.json", &e);
    assert_non_null(data);
    capture c = {VQ_BUF_INIT};
    vq_buf_append_str(&c.lines, "");
    vq_set_warning_handler(on_warning, &c);
    vq_schema_options o = {.schema_file = "schema.json",
                           .text = text,
                           .len = strlen(text),
                           .report = on_violation,
                           .user = &c};
    vq_status st = vq_schema_check_ex(schema, data, "case.json", &o, err);
    vq_set_warning_handler(NULL, NULL);
    json_decref(schema);
    json_decref(data);
    *out = vq_buf_steal(&c.lines);
    return st;
}

static void test_valid_data_passes(void **state)
{
    (void)state;
    char *out;
    vq_error err;
    const char *text = "{\"language\": \"fa\", \"title\": \"x\", \"volume\": 28,\n"
                       " \"dates\": {\"received\": \"2016-02-29\", \"revised\": null},\n"
                       " \"phone\": \"011-0123 4567\",\n"
                       " \"authors\": [{\"name\": \"a\", \"affiliations\": [1, 2]}]}\n";
    assert_int_equal(run(text, &out, &err), VQ_OK);
    assert_string_equal(out, "");
    free(out);
}

static void test_missing_required_field(void **state)
{
    (void)state;
    char *out;
    vq_error err;
    const char *text = "{\"language\": \"fa\", \"title\": \"x\",\n"
                       " \"dates\": {\"received\": \"2017-11-11\"},\n"
                       " \"authors\": [{\"name\": \"a\", \"affiliations\": [1]},\n"
                       "             {\"affiliations\": [2]}]}\n";
    assert_int_equal(run(text, &out, &err), VQ_ERR_INPUT);
    assert_string_equal(out, "case.json:4:14: error: /authors/1: missing required field 'name'\n");
    assert_string_equal(err.file, "case.json");
    assert_int_equal(err.line, 0);
    assert_string_equal(err.message, "the data does not match the template's schema: 1 error");
    free(out);
}

static void test_wrong_type(void **state)
{
    (void)state;
    char *out;
    vq_error err;
    const char *text =
        "{\"language\": \"fa\", \"title\": \"x\", \"dates\": {\"received\": \"2017-11-11\"},\n"
        " \"authors\": [{\"name\": \"a\", \"affiliations\": [1]},\n"
        "  {\"name\": \"b\", \"affiliations\": [2]},\n"
        "  {\"name\": \"c\", \"affiliations\": [\"3\"]}]}\n";
    assert_int_equal(run(text, &out, &err), VQ_ERR_INPUT);
    assert_string_equal(out,
                        "case.json:4:34: error: /authors/2/affiliations/0: expected an integer\n");
    free(out);
}

static void test_invalid_iso_date(void **state)
{
    (void)state;
    char *out;
    vq_error err;
    const char *text = "{\"language\": \"fa\", \"title\": \"x\", \"authors\": [{\"name\": \"a\", "
                       "\"affiliations\": []}],\n"
                       " \"dates\": {\"received\": \"2017-02-30\",\n"
                       "           \"revised\": \"2017-1-5\"}}\n";
    assert_int_equal(run(text, &out, &err), VQ_ERR_INPUT);
    assert_string_equal(out,
                        "case.json:2:24: error: /dates/received: \"2017-02-30\" is not a valid "
                        "date (expected YYYY-MM-DD)\n"
                        "case.json:3:23: error: /dates/revised: \"2017-1-5\" is not a valid date "
                        "(expected YYYY-MM-DD)\n");
    assert_string_equal(err.message, "the data does not match the template's schema: 2 errors");
    free(out);
}

static void test_unknown_field_is_a_warning(void **state)
{
    (void)state;
    char *out;
    vq_error err;
    const char *text = "{\"language\": \"fa\", \"title\": \"x\",\n"
                       "  \"dates\": {\"received\": \"2017-11-11\", \"acepted\": \"2018-03-05\"},\n"
                       "  \"authors\": [{\"name\": \"a\", \"affiliations\": [1]}]}\n";
    assert_int_equal(run(text, &out, &err), VQ_OK);
    assert_string_equal(out, "case.json:2:39: warning: /dates/acepted: unknown field (the template "
                             "does not use it)\n");
    free(out);
}

static void test_every_violation_is_reported(void **state)
{
    (void)state;
    char *out;
    vq_error err;
    const char *text =
        "{\"language\": \"de\", \"title\": \"\", \"volume\": 0, \"phone\": \"call me\",\n"
        " \"dates\": {\"revised\": 5}, \"authors\": []}";
    assert_int_equal(run(text, &out, &err), VQ_ERR_INPUT);
    assert_string_equal(out,
                        "case.json:1:14: error: /language: expected one of \"fa\", \"en\"\n"
                        "case.json:1:29: error: /title: must not be empty\n"
                        "case.json:1:43: error: /volume: 0 is less than the minimum 1\n"
                        "case.json:1:55: error: /phone: \"call me\" does not match the pattern "
                        "^[0-9 -]+$\n"
                        "case.json:2:11: error: /dates: missing required field 'received'\n"
                        "case.json:2:23: error: /dates/revised: expected a string or null\n"
                        "case.json:2:38: error: /authors: must not be empty\n");
    assert_string_equal(err.message, "the data does not match the template's schema: 7 errors");
    free(out);
}

static void test_top_level_type(void **state)
{
    (void)state;
    char *out;
    vq_error err;
    assert_int_equal(run("[1, 2]", &out, &err), VQ_ERR_INPUT);
    assert_string_equal(out, "case.json:1:1: error: /: expected an object\n");
    free(out);
}

static void test_unsupported_keyword_is_refused(void **state)
{
    (void)state;
    const char *s = "{\"type\": \"object\", \"properties\": {\"x\": {\"oneOf\": []}}}";
    vq_error err;
    json_t *schema = vq_json_load_string(s, strlen(s), "schema.json", &err);
    json_t *data = json_object();
    vq_schema_options o = {.schema_file = "templates/t/schema.json"};
    assert_int_equal(vq_schema_check_ex(schema, data, "case.json", &o, &err), VQ_ERR_INPUT);
    assert_string_equal(err.file, "templates/t/schema.json");
    assert_string_equal(err.message,
                        "/properties/x: unsupported keyword 'oneOf' (see templates/README.md)");
    json_decref(schema);
    json_decref(data);
}

/* Patterns are compiled once per check and kept by their place in the
 * schema: two patterns on the items of two arrays each judge their own
 * items, every item; a pattern that is no regular expression is refused. */
static void test_patterns_on_items(void **state)
{
    (void)state;
    const char *s =
        "{\"type\": \"object\", \"properties\": {\n"
        " \"codes\": {\"type\": \"array\", \"items\": {\"pattern\": \"^[A-Z][0-9]+$\"}},\n"
        " \"phones\": {\"type\": \"array\", \"items\": {\"pattern\": \"^[0-9 -]+$\"}}}}";
    const char *text = "{\"codes\": [\"A1\", \"b2\", \"C3\", \"0912\"],\n"
                       " \"phones\": [\"0912\", \"x\", \"A1\", \"021 22\"]}";
    vq_error err;
    json_t *schema = vq_json_load_string(s, strlen(s), "schema.json", &err);
    json_t *data = vq_json_load_string(text, strlen(text), "case.json", &err);
    assert_non_null(schema);
    assert_non_null(data);
    capture c = {VQ_BUF_INIT};
    vq_buf_append_str(&c.lines, "");
    vq_schema_options o = {.schema_file = "schema.json",
                           .text = text,
                           .len = strlen(text),
                           .report = on_violation,
                           .user = &c};
    for (int round = 0; round < 2; round++) { /* the same schema checked again */
        c.lines.len = 0;
        assert_int_equal(vq_schema_check_ex(schema, data, "case.json", &o, &err), VQ_ERR_INPUT);
        assert_string_equal(
            c.lines.data,
            "case.json:1:18: error: /codes/1: \"b2\" does not match the pattern ^[A-Z][0-9]+$\n"
            "case.json:1:30: error: /codes/3: \"0912\" does not match the pattern ^[A-Z][0-9]+$\n"
            "case.json:2:21: error: /phones/1: \"x\" does not match the pattern ^[0-9 -]+$\n"
            "case.json:2:26: error: /phones/2: \"A1\" does not match the pattern ^[0-9 -]+$\n");
    }
    vq_buf_free(&c.lines);
    json_decref(schema);
    const char *bad = "{\"properties\": {\"x\": {\"pattern\": \"([0-9\"}}}";
    schema = vq_json_load_string(bad, strlen(bad), "schema.json", &err);
    assert_non_null(schema);
    assert_int_equal(vq_schema_check_ex(schema, data, "case.json", &o, &err), VQ_ERR_INPUT);
    assert_string_equal(err.message,
                        "/properties/x/pattern: not a POSIX extended regular expression");
    json_decref(schema);
    json_decref(data);
}

static void test_pointer_offsets(void **state)
{
    (void)state;
    const char *t = "{\"a/b\": {\"k~\": [10, {\"\\u00e9\": true}]}, \"n\": null}";
    size_t off, key;
    assert_true(vq_json_pointer_offset(t, strlen(t), "/a~1b/k~0/1/\xc3\xa9", &off, &key));
    assert_int_equal(off, 31);
    assert_int_equal(key, 21);
    assert_true(vq_json_pointer_offset(t, strlen(t), "/n", &off, &key));
    assert_int_equal(off, 45);
    assert_true(vq_json_pointer_offset(t, strlen(t), "", &off, NULL));
    assert_int_equal(off, 0);
    assert_false(vq_json_pointer_offset(t, strlen(t), "/a~1b/k~0/2", &off, NULL));
    assert_false(vq_json_pointer_offset(t, strlen(t), "/missing", &off, NULL));
    assert_false(vq_json_pointer_offset(t, strlen(t), "/n/0", &off, NULL));
}

/* The bundled samples match their templates' schemas, with no warning. */
static void check_sample(const char *template_name, const char *sample)
{
    char path[512];
    vq_error err;
    snprintf(path, sizeof path, "%s/templates/%s/schema.json", VQ_SOURCE_DIR, template_name);
    json_t *schema = vq_json_load_file(path, &err);
    assert_non_null(schema);
    snprintf(path, sizeof path, "%s/samples/%s", VQ_SOURCE_DIR, sample);
    size_t len;
    char *text = vq_read_file(path, &len, &err);
    assert_non_null(text);
    json_t *data = vq_json_load_string(text, len, sample, &err);
    assert_non_null(data);
    capture c = {VQ_BUF_INIT};
    vq_buf_append_str(&c.lines, "");
    vq_set_warning_handler(on_warning, &c);
    vq_schema_options o = {
        .schema_file = "schema.json", .text = text, .len = len, .report = on_violation, .user = &c};
    vq_status st = vq_schema_check_ex(schema, data, sample, &o, &err);
    vq_set_warning_handler(NULL, NULL);
    assert_string_equal(c.lines.data, "");
    assert_int_equal(st, VQ_OK);
    vq_buf_free(&c.lines);
    free(text);
    json_decref(schema);
    json_decref(data);
}

static void test_samples_match_their_schemas(void **state)
{
    (void)state;
    check_sample("journal-case", "scleromyxedema-ivig/case.json");
    check_sample("handout", "scleromyxedema-ivig/handout.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_data_passes),
        cmocka_unit_test(test_missing_required_field),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_invalid_iso_date),
        cmocka_unit_test(test_unknown_field_is_a_warning),
        cmocka_unit_test(test_every_violation_is_reported),
        cmocka_unit_test(test_top_level_type),
        cmocka_unit_test(test_unsupported_keyword_is_refused),
        cmocka_unit_test(test_patterns_on_items),
        cmocka_unit_test(test_pointer_offsets),
        cmocka_unit_test(test_samples_match_their_schemas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
