/* The template library beyond the spec: numbers, escaping, strict mode,
 * partial lookup and nesting, the source map, bundled template lookup, and
 * data loading errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/io.h"
#include "data/json.h"
#include "template/template.h"

static char scratch[] = VQ_SCRATCH_DIR "/unit-XXXXXX";

static char *path_in(const char *dir, const char *name)
{
    vq_buf b = VQ_BUF_INIT;
    vq_buf_printf(&b, "%s/%s", dir, name);
    return vq_buf_steal(&b);
}

static void put(const char *dir, const char *name, const char *text)
{
    char *p = path_in(dir, name);
    vq_error err;
    assert_int_equal(vq_write_file_atomic(p, text, strlen(text), &err), VQ_OK);
    free(p);
}

static char *make_dir(const char *parent, const char *name)
{
    char *p = path_in(parent, name);
    mkdir(p, 0755);
    return p;
}

/* Renders text with data (JSON text); returns the output, or the error as
 * "line:col: message". */
static char *expand_opts(const char *text, const char *data, const vq_template_options *opts,
                         const char *dir)
{
    vq_error err;
    vq_error_clear(&err);
    json_t *json = vq_json_load_string(data, strlen(data), "data", &err);
    assert_non_null(json);
    vq_template *t = vq_template_compile_string(text, strlen(text), "t", dir, opts, &err);
    vq_buf out = VQ_BUF_INIT;
    char *result;
    if (t && vq_template_render(t, json, &out, NULL, &err) == VQ_OK) {
        result = vq_buf_steal(&out);
    } else {
        vq_buf e = VQ_BUF_INIT;
        vq_buf_printf(&e, "%s:%d:%d: %s", err.file, err.line, err.column, err.message);
        result = vq_buf_steal(&e);
    }
    vq_buf_free(&out);
    vq_template_destroy(t);
    json_decref(json);
    return result;
}

static char *expand(const char *text, const char *data)
{
    return expand_opts(text, data, NULL, NULL);
}

static char *expand_strict(const char *text, const char *data)
{
    vq_template_options opts = {.strict = true};
    return expand_opts(text, data, &opts, NULL);
}

#define assert_expands(text, data, want)                                                           \
    do {                                                                                           \
        char *got_ = expand(text, data);                                                           \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

#define assert_strict(text, data, want)                                                            \
    do {                                                                                           \
        char *got_ = expand_strict(text, data);                                                    \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void number_text(const char *json, const char *want)
{
    vq_error err;
    json_t *n = vq_json_load_string(json, strlen(json), "n", &err);
    assert_non_null(n);
    vq_buf b = VQ_BUF_INIT;
    vq_json_format_number(n, &b);
    assert_string_equal(b.data, want);
    /* It reads back as the same double. */
    if (json_is_real(n))
        assert_true(strtod(b.data, NULL) == json_real_value(n));
    vq_buf_free(&b);
    json_decref(n);
}

static void numbers_print_shortest(void **state)
{
    (void)state;
    number_text("1.1", "1.1");
    number_text("85.0", "85");
    number_text("1.210", "1.21");
    number_text("0.30000000000000004", "0.30000000000000004");
    number_text("-2.5", "-2.5");
    number_text("123456.789", "123456.789");
    number_text("1e-7", "1e-07");
    number_text("1e300", "1e+300");
    number_text("1e16", "1e+16");
    number_text("4503599627370496.0", "4503599627370496");
    number_text("42", "42");
    number_text("-9223372036854775807", "-9223372036854775807");
    number_text("0.1", "0.1");
    number_text("100", "100");
    assert_expands("{{a}} {{b}} {{c}}", "{\"a\": 1.1, \"b\": 85.0, \"c\": -0.5}", "1.1 85 -0.5");
}

static void values_escape_for_xml(void **state)
{
    (void)state;
    assert_expands("{{x}}|{{{x}}}|{{& x}}", "{\"x\": \"<b a=\\\"1\\\">&'</b>\"}",
                   "&lt;b a=&quot;1&quot;&gt;&amp;'&lt;/b&gt;|<b a=\"1\">&'</b>|<b a=\"1\">&'</b>");
    assert_expands("{{t}} {{f}} {{n}}.", "{\"t\": true, \"f\": false, \"n\": null}",
                   "true false .");
    assert_expands("{{x}}", "{\"x\": \"دارو ۱۰ mg\"}", "دارو ۱۰ mg");
}

static void any_json_value_at_the_top(void **state)
{
    (void)state;
    assert_expands("{{#.}}[{{.}}]{{/.}}", "[1, \"a\", 2.5]", "[1][a][2.5]");
    assert_expands("{{.}}", "\"just text\"", "just text");
    assert_expands("{{.}}|{{x}}", "7", "7|");
    assert_expands("{{^.}}none{{/.}}", "null", "none");
    assert_expands("{{^.}}empty{{/.}}", "[]", "empty");
}

static void empty_string_is_falsey(void **state)
{
    (void)state;
    assert_expands("{{#note}}Note: {{note}}{{/note}}{{^note}}-{{/note}}", "{\"note\": \"\"}", "-");
    assert_expands("{{#n}}zero is a value{{/n}}", "{\"n\": 0}", "zero is a value");
}

static void strict_mode_reports_missing_names(void **state)
{
    (void)state;
    const char *data = "{\"patient\": {\"name\": \"Sara\", \"allergies\": null}}";
    assert_strict("{{patient.name}}", data, "Sara");
    assert_strict("{{patient.allergies}}.", data, ".");
    assert_strict("Name:\n  {{patient.nmae}}", data, "t:2:3: no value for 'patient.nmae'");
    assert_strict("{{#patient}}{{nmae}}{{/patient}}", data, "t:1:13: no value for 'nmae'");
    assert_strict("{{^doctor}}x{{/doctor}}", data, "t:1:1: no value for 'doctor'");
    assert_strict("{{>*doctor}}", data, "t:1:1: no value for 'doctor'");
    assert_strict("{{patient}}", data,
                  "t:1:1: 'patient' is an object, not a value that can be printed");
    assert_strict("a {{> header}}", data, "t:1:3: partial 'header' not found");
    assert_expands("[{{patient.nmae}}]", data, "[]");
    assert_expands("a{{> header}}b", data, "ab");
}

/* {{@index}} and {{@number}}: the innermost list item's position (an
 * extension beyond the spec), empty outside a list, off with spec_only. */
static void row_numbers_in_lists(void **state)
{
    (void)state;
    const char *data = "{\"rows\": [{\"n\": \"a\", \"sub\": [1, 2]}, {\"n\": \"b\", \"sub\": [3]}],"
                       " \"one\": {\"n\": \"c\"}}";
    assert_strict("{{#rows}}{{@number}}. {{n}}\n{{/rows}}", data, "1. a\n2. b\n");
    assert_strict("{{#rows}}{{@index}}{{n}};{{/rows}}", data, "0a;1b;");
    assert_strict("{{#rows}}{{#sub}}{{@number}}/{{.}} {{/sub}}{{@number}}|{{/rows}}", data,
                  "1/1 2/2 1|1/3 2|");
    assert_strict("{{#rows}}{{#one}}{{@number}}{{n}}{{/one}}{{/rows}}", data, "1c2c");
    assert_strict("{{@number}}", data, "t:1:1: no value for '@number'");
    assert_strict("{{#rows}}{{@count}}{{/rows}}", data, "t:1:10: no value for '@count'");
    vq_template_options spec = {.spec_only = true};
    char *got = expand_opts("{{#rows}}[{{@number}}]{{/rows}}", data, &spec, NULL);
    assert_string_equal(got, "[][]");
    free(got);
    assert_expands("{{#rows}}[{{@number}}]{{/rows}}", data, "[1][2]");
}

static void compile_errors_name_the_place(void **state)
{
    (void)state;
    assert_expands("x\n{{#a}}\ny {{^b}}z{{/b}}", "{}",
                   "t:3:16: unclosed section 'a' (opened at 2:1)");
    assert_expands("{{#a}}{{/b}}", "{}",
                   "t:1:7: closing tag 'b' does not match section 'a' (opened at 1:1)");
    assert_expands("ا ب {{x", "{}", "t:1:5: unterminated tag: no closing '}}'");
    assert_expands("{{=| |=}}|x", "{}", "t:1:10: unterminated tag: no closing '|'");
    assert_expands("{{>*a/b}}", "{\"a/b\": \"x\"}", "");
    assert_expands(
        "{{>*p}}", "{\"p\": \"../etc\"}",
        "t:1:1: bad partial name '../etc' (from 'p'): it may not contain '/', '\\' or '..'");
}

/* A partial is looked up beside the template that includes it, then in the
 * partial folders, in order. */
static void partials_are_found_in_order(void **state)
{
    (void)state;
    char *own = make_dir(scratch, "own");
    char *common = make_dir(scratch, "common");
    char *extra = make_dir(scratch, "extra");
    put(own, "a.mustache", "own-a {{> b}}");
    put(common, "a.mustache", "common-a");
    put(common, "b.mustache", "common-b {{> c}}");
    put(extra, "c.mustache", "extra-c");
    put(extra, "b.mustache", "extra-b");
    const char *dirs[] = {common, extra};
    vq_template_options opts = {.partial_dirs = dirs, .partial_dir_count = 2, .strict = true};
    char *got = expand_opts("{{> a}}|{{> c}}", "{}", &opts, own);
    assert_string_equal(got, "own-a common-b extra-c|extra-c");
    free(got);
    /* Without a folder of its own, only the partial folders count. */
    got = expand_opts("{{> a}}", "{}", &opts, NULL);
    assert_string_equal(got, "common-a");
    free(got);
    free(own);
    free(common);
    free(extra);
}

/* 64 nested partials are fine, the 65th is an error. */
static void partial_nesting_is_limited(void **state)
{
    (void)state;
    char *dir = make_dir(scratch, "deep");
    put(dir, "node.mustache", "{{#n}}({{> node}}){{/n}}");
    vq_buf data = VQ_BUF_INIT, want = VQ_BUF_INIT;
    for (int depth = 64; depth <= 65; depth++) {
        vq_buf_clear(&data);
        vq_buf_clear(&want);
        /* The partial is entered depth times: depth - 1 objects whose "n"
         * goes on, then one whose "n" is false (a missing "n" would be
         * found further down the context stack). */
        for (int i = 1; i < depth; i++)
            vq_buf_append_str(&data, "{\"n\": ");
        vq_buf_append_str(&data, "{\"n\": false}");
        for (int i = 1; i < depth; i++)
            vq_buf_append_str(&data, "}");
        for (int i = 1; i < depth; i++)
            vq_buf_append_str(&want, "(");
        for (int i = 1; i < depth; i++)
            vq_buf_append_str(&want, ")");
        char *got = expand_opts("{{> node}}", data.data, NULL, dir);
        if (depth == 64) {
            assert_string_equal(got, want.data);
        } else {
            char *expected =
                path_in(dir, "node.mustache:1:8: partials nested deeper than 64 levels");
            assert_string_equal(got, expected);
            free(expected);
        }
        free(got);
    }
    vq_buf_free(&data);
    vq_buf_free(&want);
    free(dir);
}

static void expansion_size_is_limited(void **state)
{
    (void)state;
    vq_template_options opts = {.max_output = 1000};
    char *got = expand_opts("{{#a}}{{#a}}{{#a}}xxxxxxxxxx{{/a}}{{/a}}{{/a}}",
                            "{\"a\": [1,2,3,4,5,6,7,8,9,10]}", &opts, NULL);
    assert_string_equal(got, "t:1:19: the expansion grows past 1000 bytes (or steps); is a section "
                             "or partial repeating without end?");
    free(got);
}

static void compiled_template_renders_many_times(void **state)
{
    (void)state;
    vq_error err;
    const char *text = "Dear {{name}},\n{{#items}}- {{.}}\n{{/items}}";
    vq_template *t = vq_template_compile_string(text, strlen(text), "t", NULL, NULL, &err);
    assert_non_null(t);
    const char *data[] = {"{\"name\": \"A\", \"items\": [1, 2]}",
                          "{\"name\": \"B\", \"items\": []}"};
    const char *want[] = {"Dear A,\n- 1\n- 2\n", "Dear B,\n"};
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 2; i++) {
            json_t *j = vq_json_load_string(data[i], strlen(data[i]), "d", &err);
            vq_buf out = VQ_BUF_INIT;
            assert_int_equal(vq_template_render(t, j, &out, NULL, &err), VQ_OK);
            assert_string_equal(out.data, want[i]);
            vq_buf_free(&out);
            json_decref(j);
        }
    }
    vq_template_destroy(t);
}

static void source_map_points_at_the_template(void **state)
{
    (void)state;
    char *dir = make_dir(scratch, "map");
    put(dir, "p.mustache", "in p\n");
    const char *text = "Hi {{name}}!\n  {{> p}}ب {{x}}";
    vq_error err;
    vq_template *t =
        vq_template_compile_string(text, strlen(text), "main.mustache", dir, NULL, &err);
    assert_non_null(t);
    json_t *j = json_pack("{s:s, s:i}", "name", "Ωmega", "x", 5);
    vq_buf out = VQ_BUF_INIT;
    vq_source_map *m = vq_source_map_create();
    assert_int_equal(vq_template_render(t, j, &out, m, &err), VQ_OK);
    assert_string_equal(out.data, "Hi Ωmega!\n  in p\nب 5");
    struct {
        const char *at; /* the output text the offset points to */
        const char *file;
        int line, column;
    } want[] = {
        {"Hi ", "main.mustache", 1, 1},   {"i Ω", "main.mustache", 1, 2},
        {"mega!", "main.mustache", 1, 4}, {"!\n", "main.mustache", 1, 12},
        {"  in", "main.mustache", 2, 1},  {"in p", "p.mustache", 1, 1},
        {" p\n", "p.mustache", 1, 3},     {"ب", "main.mustache", 2, 10},
        {"5", "main.mustache", 2, 12},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *hit = strstr(out.data, want[i].at);
        assert_non_null(hit);
        const char *file;
        int line, column;
        assert_true(vq_source_map_lookup(m, (size_t)(hit - out.data), &file, &line, &column));
        char *expected_file = strcmp(want[i].file, "p.mustache") == 0 ? path_in(dir, want[i].file)
                                                                      : strdup(want[i].file);
        assert_string_equal(file, expected_file);
        free(expected_file);
        assert_int_equal(line, want[i].line);
        assert_int_equal(column, want[i].column);
    }
    assert_false(vq_source_map_lookup(m, out.len, NULL, NULL, NULL));
    vq_source_map_destroy(m);
    vq_buf_free(&out);
    json_decref(j);
    vq_template_destroy(t);
    free(dir);
}

/* A byte that came from a data value names that value's place in the data
 * file; template text, @number and a map without the data's text do not. */
static void source_map_names_the_data_place(void **state)
{
    (void)state;
    const char *text = "{{#figs}}<f src=\"img/{{src}}\" n=\"{{@number}}\"/>{{/figs}}";
    const char *json = "{\"figs\": [\n  {\"src\": \"a.png\"},\n  {\"src\": \"b~/.png\"}]}";
    vq_error err;
    vq_template *t = vq_template_compile_string(text, strlen(text), "t.mustache", NULL, NULL, &err);
    assert_non_null(t);
    json_t *j = vq_json_load_string(json, strlen(json), "d.json", &err);
    assert_non_null(j);
    vq_buf out = VQ_BUF_INIT;
    vq_source_map *m = vq_source_map_create();
    vq_template_data_source src = {"d.json", json, strlen(json)};
    assert_int_equal(vq_template_render_ex(t, j, &src, &out, m, &err), VQ_OK);
    assert_string_equal(out.data, "<f src=\"img/a.png\" n=\"1\"/><f src=\"img/b~/.png\" n=\"2\"/>");
    const char *file;
    int line, column;
    size_t b = (size_t)(strstr(out.data, "b~/") - out.data);
    assert_true(vq_source_map_data_place(m, b + 2, &file, &line, &column));
    assert_string_equal(file, "d.json");
    assert_int_equal(line, 3);
    assert_int_equal(column, 11);
    assert_true(vq_source_map_data_place(m, (size_t)(strstr(out.data, "a.png") - out.data), &file,
                                         &line, &column));
    assert_int_equal(line, 2);
    assert_int_equal(column, 11);
    assert_false(vq_source_map_data_place(m, b - 1, &file, &line, &column)); /* "img/" */
    assert_false(vq_source_map_data_place(m, (size_t)(strstr(out.data, "1") - out.data), &file,
                                          &line, &column));
    vq_buf_clear(&out);
    vq_source_map_clear(m);
    assert_int_equal(vq_template_render(t, j, &out, m, &err), VQ_OK);
    assert_false(vq_source_map_data_place(m, b + 2, &file, &line, &column));
    vq_source_map_destroy(m);
    vq_buf_free(&out);
    json_decref(j);
    vq_template_destroy(t);
}

static void bundled_templates_are_located(void **state)
{
    (void)state;
    char *exe = make_dir(scratch, "bin");
    char *templates = make_dir(exe, "templates");
    char *report = make_dir(templates, "report");
    char *common = make_dir(templates, "common");
    put(report, "main.mustache", "x");
    vq_error err;
    char *found = vq_template_locate("report", exe, &err);
    char *want = path_in(report, "main.mustache");
    /* Found bundled templates are named relative to the current folder. */
    char *want_short = vq_path_shorten(want);
    assert_string_equal(found, want_short);
    free(want_short);
    free(found);
    /* A folder stands for its main.mustache. */
    found = vq_template_locate(report, NULL, &err);
    assert_string_equal(found, want);
    free(found);
    free(want);
    found = vq_template_common_dir(exe);
    char *common_short = vq_path_shorten(common);
    assert_string_equal(found, common_short);
    free(common_short);
    free(found);
    assert_null(vq_template_locate("nosuch", exe, &err));
    assert_int_equal(err.status, VQ_ERR_IO);
    assert_string_equal(err.file, "nosuch");
    /* Anything that looks like a path is returned as it is. */
    found = vq_template_locate("nosuch.mustache", exe, &err);
    assert_string_equal(found, "nosuch.mustache");
    free(found);
    free(exe);
    free(templates);
    free(report);
    free(common);
}

static void json_errors_have_positions(void **state)
{
    (void)state;
    vq_error err;
    const char *bad = "{\n  \"a\": [1,\n  }";
    assert_null(vq_json_load_string(bad, strlen(bad), "case.json", &err));
    assert_int_equal(err.status, VQ_ERR_INPUT);
    assert_string_equal(err.file, "case.json");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.message, "unexpected token near '}'");
    const char *utf = "[\"ok\",\n \"\xe0\x80\x80\"]";
    assert_null(vq_json_load_string(utf, strlen(utf), "case.json", &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.message, "invalid UTF-8 byte sequence");
    char *missing = path_in(scratch, "missing.json");
    assert_null(vq_json_load_file(missing, &err));
    assert_int_equal(err.status, VQ_ERR_IO);
    assert_string_equal(err.message, "cannot open file: No such file or directory");
    free(missing);
    json_t *top = vq_json_load_string("\"text\"", 6, "x", &err);
    assert_true(json_is_string(top));
    json_decref(top);
}

int main(void)
{
    if (!mkdtemp(scratch))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_print_shortest),
        cmocka_unit_test(values_escape_for_xml),
        cmocka_unit_test(any_json_value_at_the_top),
        cmocka_unit_test(empty_string_is_falsey),
        cmocka_unit_test(strict_mode_reports_missing_names),
        cmocka_unit_test(row_numbers_in_lists),
        cmocka_unit_test(compile_errors_name_the_place),
        cmocka_unit_test(partials_are_found_in_order),
        cmocka_unit_test(partial_nesting_is_limited),
        cmocka_unit_test(expansion_size_is_limited),
        cmocka_unit_test(compiled_template_renders_many_times),
        cmocka_unit_test(source_map_points_at_the_template),
        cmocka_unit_test(source_map_names_the_data_place),
        cmocka_unit_test(bundled_templates_are_located),
        cmocka_unit_test(json_errors_have_positions),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    vq_buf cmd = VQ_BUF_INIT;
    vq_buf_printf(&cmd, "rm -rf '%s'", scratch);
    if (system(cmd.data) != 0)
        failed++;
    vq_buf_free(&cmd);
    return failed;
}
