/* A checker for the JSON Schema subset listed in schema.h. It walks the
 * data and the schema together, keeps the JSON pointer of the value it is
 * at, and reports every violation instead of stopping at the first, so a
 * user fixes a data file in one pass. jansson keeps no positions for
 * values, so a violation's line and column come from re-scanning the data's
 * text along the pointer (only when there is something to report). */
#include "data/schema.h"

#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"

enum { MAX_REF_DEPTH = 64, MAX_SCAN_DEPTH = 512 };

typedef struct segment {
    const char *key; /* NULL for an array index */
    size_t index;
} segment;

/* Each "pattern" of the schema compiled once per check (lint compiles them
 * all to validate them; a pattern on an array's items is asked for once per
 * item), by the address of its string in the schema. Owned by the engine's
 * heap while the check runs, so a jump out of it frees them. */
typedef struct compiled {
    const char *src;
    regex_t re;
    bool ok; /* regcomp accepted it */
} compiled;

typedef struct patterns {
    compiled *items;
    size_t count, cap;
} patterns;

typedef struct checker {
    const json_t *root;
    const char *data_file;
    const char *schema_file;
    const char *text;
    size_t len;
    vq_schema_report_fn report;
    void *user;
    segment *path;
    size_t depth, cap;
    int errors;
    int ref_depth;
    bool schema_bad; /* err holds the schema problem; stop */
    vq_error *err;
    patterns *patterns;
} checker;

static void patterns_destroy(void *p)
{
    patterns *ps = p;
    for (size_t i = 0; i < ps->count; i++)
        if (ps->items[i].ok)
            regfree(&ps->items[i].re);
    free(ps->items);
    free(ps);
}

/* The compiled pattern src (a string of the schema), or NULL when it is not
 * a POSIX extended regular expression. */
static const regex_t *pattern_re(checker *c, const char *src)
{
    patterns *ps = c->patterns;
    if (!ps) {
        ps = c->patterns = vq_xcalloc(1, sizeof *ps);
        vq_heap_own(ps, patterns_destroy);
    }
    for (size_t i = 0; i < ps->count; i++)
        if (ps->items[i].src == src)
            return ps->items[i].ok ? &ps->items[i].re : NULL;
    if (ps->count == ps->cap) {
        ps->cap = ps->cap ? 2 * ps->cap : 8;
        ps->items = vq_xrealloc(ps->items, ps->cap * sizeof *ps->items);
    }
    compiled *k = &ps->items[ps->count];
    k->src = src;
    k->ok = regcomp(&k->re, src, REG_EXTENDED | REG_NOSUB) == 0;
    ps->count++;
    return k->ok ? &k->re : NULL;
}

/* ---------- JSON pointers ---------- */

static void push_key(checker *c, const char *key)
{
    if (c->depth == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->path = vq_xrealloc(c->path, c->cap * sizeof *c->path);
    }
    c->path[c->depth++] = (segment){key, 0};
}

static void push_index(checker *c, size_t index)
{
    push_key(c, NULL);
    c->path[c->depth - 1].index = index;
}

static void pop(checker *c)
{
    c->depth--;
}

/* The pointer of the current value ("" at the top). */
static void current_pointer(const checker *c, vq_buf *b)
{
    vq_buf_clear(b);
    vq_buf_append_str(b, "");
    for (size_t i = 0; i < c->depth; i++) {
        if (c->path[i].key)
            vq_json_pointer_append(b, c->path[i].key);
        else
            vq_buf_printf(b, "/%zu", c->path[i].index);
    }
}

/* ---------- finding a pointer in the JSON text ---------- */

static size_t skip_ws(const char *t, size_t n, size_t i)
{
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

static int hex4(const char *t, size_t n, size_t i)
{
    int v = 0;
    if (i + 4 > n)
        return -1;
    for (size_t k = i; k < i + 4; k++) {
        char ch = t[k];
        v <<= 4;
        if (ch >= '0' && ch <= '9')
            v |= ch - '0';
        else if (ch >= 'a' && ch <= 'f')
            v |= ch - 'a' + 10;
        else if (ch >= 'A' && ch <= 'F')
            v |= ch - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* Reads the string at t[*i] == '"', decoding escapes into out (when not
 * NULL); *i ends after the closing quote. */
static bool scan_string(const char *t, size_t n, size_t *i, vq_buf *out)
{
    size_t k = *i + 1;
    while (k < n && t[k] != '"') {
        if (t[k] != '\\') {
            if (out)
                vq_buf_append_char(out, t[k]);
            k++;
            continue;
        }
        if (k + 1 >= n)
            return false;
        char e = t[k + 1];
        k += 2;
        if (e == 'u') {
            int u = hex4(t, n, k);
            if (u < 0)
                return false;
            k += 4;
            uint32_t cp = (uint32_t)u;
            if (cp >= 0xD800 && cp < 0xDC00 && k + 6 <= n && t[k] == '\\' && t[k + 1] == 'u') {
                int lo = hex4(t, n, k + 2);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                    k += 6;
                }
            }
            if (out) {
                char enc[4];
                vq_buf_append(out, enc, vq_utf8_encode(cp, enc));
            }
            continue;
        }
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *p = memchr(from, e, sizeof from - 1);
        if (!p)
            return false;
        if (out)
            vq_buf_append_char(out, to[p - from]);
    }
    if (k >= n)
        return false;
    *i = k + 1;
    return true;
}

static bool skip_value(const char *t, size_t n, size_t *i, int depth)
{
    size_t k = skip_ws(t, n, *i);
    if (k >= n || depth > MAX_SCAN_DEPTH)
        return false;
    if (t[k] == '"') {
        *i = k;
        return scan_string(t, n, i, NULL);
    }
    if (t[k] == '{' || t[k] == '[') {
        char close = t[k] == '{' ? '}' : ']';
        k = skip_ws(t, n, k + 1);
        if (k < n && t[k] == close) {
            *i = k + 1;
            return true;
        }
        for (;;) {
            if (close == '}') {
                k = skip_ws(t, n, k);
                if (k >= n || t[k] != '"' || !scan_string(t, n, &k, NULL))
                    return false;
                k = skip_ws(t, n, k);
                if (k >= n || t[k] != ':')
                    return false;
                k++;
            }
            if (!skip_value(t, n, &k, depth + 1))
                return false;
            k = skip_ws(t, n, k);
            if (k < n && t[k] == ',') {
                k++;
                continue;
            }
            if (k < n && t[k] == close) {
                *i = k + 1;
                return true;
            }
            return false;
        }
    }
    /* number, true, false, null */
    size_t start = k;
    while (k < n && !strchr(" \t\r\n,]}:", t[k]))
        k++;
    *i = k;
    return k > start;
}

bool vq_json_pointer_offset(const char *text, size_t len, const char *pointer, size_t *offset,
                            size_t *key_offset)
{
    /* past a UTF-8 byte order mark, as vq_json_load_string reads it */
    size_t i = skip_ws(text, len, len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0);
    size_t key_at = i;
    const char *p = pointer;
    vq_buf token = VQ_BUF_INIT, key = VQ_BUF_INIT;
    bool ok = true;
    while (ok && *p == '/') {
        /* the next token, unescaped */
        p++;
        vq_buf_clear(&token);
        vq_buf_append_str(&token, "");
        while (*p && *p != '/') {
            if (p[0] == '~' && p[1] == '0')
                vq_buf_append_char(&token, '~'), p += 2;
            else if (p[0] == '~' && p[1] == '1')
                vq_buf_append_char(&token, '/'), p += 2;
            else
                vq_buf_append_char(&token, *p++);
        }
        if (i >= len || (text[i] != '{' && text[i] != '[')) {
            ok = false;
            break;
        }
        bool object = text[i] == '{';
        char *end = NULL;
        size_t want = object ? 0 : strtoul(token.data, &end, 10);
        if (!object && (!token.len || *end)) {
            ok = false;
            break;
        }
        size_t k = skip_ws(text, len, i + 1), count = 0;
        bool found = false;
        while (k < len && text[k] != (object ? '}' : ']')) {
            bool match;
            size_t here = k;
            if (object) {
                vq_buf_clear(&key);
                vq_buf_append_str(&key, "");
                if (text[k] != '"' || !scan_string(text, len, &k, &key))
                    break;
                match = key.len == token.len && memcmp(key.data, token.data, key.len) == 0;
                k = skip_ws(text, len, k);
                if (k >= len || text[k] != ':')
                    break;
                k = skip_ws(text, len, k + 1);
            } else {
                match = count == want;
            }
            if (match) {
                key_at = here;
                i = k;
                found = true;
                break;
            }
            if (!skip_value(text, len, &k, 0))
                break;
            k = skip_ws(text, len, k);
            if (k < len && text[k] == ',')
                k = skip_ws(text, len, k + 1);
            count++;
        }
        ok = found;
    }
    vq_buf_free(&token);
    vq_buf_free(&key);
    if (!ok || *p)
        return false;
    *offset = i;
    if (key_offset)
        *key_offset = key_at;
    return true;
}

void vq_json_pointer_append(vq_buf *pointer, const char *key)
{
    vq_buf_append_char(pointer, '/');
    for (const char *p = key; *p; p++) {
        if (*p == '~')
            vq_buf_append_str(pointer, "~0");
        else if (*p == '/')
            vq_buf_append_str(pointer, "~1");
        else
            vq_buf_append_char(pointer, *p);
    }
}

bool vq_json_pointer_of(const json_t *root, const json_t *value, vq_buf *pointer)
{
    if (root == value)
        return true;
    size_t mark = pointer->len;
    if (json_is_object(root)) {
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)root, key, v)
        {
            vq_json_pointer_append(pointer, key);
            if (vq_json_pointer_of(v, value, pointer))
                return true;
            pointer->len = mark;
        }
    } else if (json_is_array(root)) {
        for (size_t i = 0; i < json_array_size(root); i++) {
            vq_buf_printf(pointer, "/%zu", i);
            if (vq_json_pointer_of(json_array_get(root, i), value, pointer))
                return true;
            pointer->len = mark;
        }
    }
    if (pointer->data)
        pointer->data[mark] = '\0';
    return false;
}

/* ---------- reporting ---------- */

enum where { AT_VALUE, AT_KEY };

static void locate(const checker *c, const char *pointer, enum where where, int *line, int *col)
{
    size_t value_at, key_at;
    *line = *col = 0;
    if (c->text && vq_json_pointer_offset(c->text, c->len, pointer, &value_at, &key_at))
        vq_text_position(c->text, where == AT_KEY ? key_at : value_at, line, col);
}

static void violation(checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void violation(checker *c, const char *fmt, ...)
{
    vq_buf ptr = VQ_BUF_INIT, msg = VQ_BUF_INIT;
    current_pointer(c, &ptr);
    int line, col;
    locate(c, ptr.data, AT_VALUE, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    vq_buf_printf(&msg, "%s: ", ptr.len ? ptr.data : "/");
    vq_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    vq_error v;
    vq_error_set(&v, VQ_ERR_INPUT, c->data_file, line, col, "%s", msg.data);
    if (c->report)
        c->report(&v, c->user);
    else
        vq_error_print(&v, stderr);
    c->errors++;
    vq_buf_free(&ptr);
    vq_buf_free(&msg);
}

static void unknown_field(checker *c, const char *key)
{
    vq_buf ptr = VQ_BUF_INIT;
    push_key(c, key);
    current_pointer(c, &ptr);
    pop(c);
    int line, col;
    locate(c, ptr.data, AT_KEY, &line, &col);
    vq_warn(c->data_file, line, col, "%s: unknown field (the template does not use it)", ptr.data);
    vq_buf_free(&ptr);
}

static void schema_error(checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void schema_error(checker *c, const char *fmt, ...)
{
    if (c->schema_bad)
        return;
    va_list ap;
    va_start(ap, fmt);
    vq_error_setv(c->err, VQ_ERR_INPUT, c->schema_file, 0, 0, fmt, ap);
    va_end(ap);
    c->schema_bad = true;
}

/* ---------- the schema itself ---------- */

static const char *const known_keywords[] = {
    "$schema",
    "$id",
    "$ref",
    "$defs",
    "definitions",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
};

static const char *const type_names[] = {"string", "integer", "number", "boolean",
                                         "object", "array",   "null"};

static bool known(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* Checks that a schema uses only what this checker understands, so that no
 * rule a template author wrote is silently skipped. */
static void lint(checker *c, const json_t *s, vq_buf *where)
{
    if (c->schema_bad || json_is_boolean(s))
        return;
    if (!json_is_object(s)) {
        schema_error(c, "%s: a schema must be an object or a boolean",
                     where->len ? where->data : "/");
        return;
    }
    size_t mark = where->len;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)s, k, v)
    {
        if (!known(known_keywords, COUNT(known_keywords), k)) {
            schema_error(c, "%s: unsupported keyword '%s' (see templates/README.md)",
                         where->len ? where->data : "/", k);
            return;
        }
        if (strcmp(k, "type") == 0) {
            bool ok =
                json_is_string(v) && known(type_names, COUNT(type_names), json_string_value(v));
            if (json_is_array(v)) {
                ok = json_array_size(v) > 0;
                size_t i;
                json_t *t;
                json_array_foreach(v, i, t) ok =
                    ok && json_is_string(t) &&
                    known(type_names, COUNT(type_names), json_string_value(t));
            }
            if (!ok)
                schema_error(c, "%s/type: unknown type", where->data);
        } else if (strcmp(k, "format") == 0) {
            if (!json_is_string(v) || strcmp(json_string_value(v), "date") != 0)
                schema_error(c, "%s/format: only \"date\" is supported", where->data);
        } else if (strcmp(k, "pattern") == 0) {
            if (!json_is_string(v) || !pattern_re(c, json_string_value(v)))
                schema_error(c, "%s/pattern: not a POSIX extended regular expression", where->data);
        } else if (strcmp(k, "$ref") == 0) {
            const char *r = json_string_value(v);
            if (!r || strncmp(r, "#/", 2) != 0)
                schema_error(
                    c,
                    "%s/$ref: only references inside the schema (\"#/$defs/name\") are supported",
                    where->data);
        } else if (strcmp(k, "properties") == 0 || strcmp(k, "$defs") == 0 ||
                   strcmp(k, "definitions") == 0) {
            const char *name;
            json_t *sub;
            if (!json_is_object(v)) {
                schema_error(c, "%s/%s: expected an object", where->data, k);
                return;
            }
            json_object_foreach(v, name, sub)
            {
                vq_buf_printf(where, "/%s", k);
                vq_json_pointer_append(where, name);
                lint(c, sub, where);
                where->len = mark;
                where->data[mark] = '\0';
            }
        } else if (strcmp(k, "items") == 0 || strcmp(k, "additionalProperties") == 0) {
            vq_buf_printf(where, "/%s", k);
            lint(c, v, where);
            where->len = mark;
            where->data[mark] = '\0';
        } else if (strcmp(k, "required") == 0) {
            size_t i;
            json_t *t;
            bool ok = json_is_array(v);
            if (ok)
                json_array_foreach(v, i, t) ok = ok && json_is_string(t);
            if (!ok)
                schema_error(c, "%s/required: expected an array of names", where->data);
        } else if (strcmp(k, "enum") == 0 && !json_is_array(v)) {
            schema_error(c, "%s/enum: expected an array", where->data);
        } else if ((strstr(k, "imum") || strncmp(k, "min", 3) == 0 || strncmp(k, "max", 3) == 0) &&
                   !json_is_number(v)) {
            schema_error(c, "%s/%s: expected a number", where->data, k);
        }
    }
}

/* Resolves "#/a/b" inside the root schema. */
static const json_t *resolve(const checker *c, const char *ref)
{
    const json_t *node = c->root;
    const char *p = ref + 1;
    vq_buf token = VQ_BUF_INIT;
    while (node && *p == '/') {
        p++;
        vq_buf_clear(&token);
        vq_buf_append_str(&token, "");
        while (*p && *p != '/') {
            if (p[0] == '~' && (p[1] == '0' || p[1] == '1')) {
                vq_buf_append_char(&token, p[1] == '0' ? '~' : '/');
                p += 2;
            } else {
                vq_buf_append_char(&token, *p++);
            }
        }
        node = json_is_object(node) ? json_object_get(node, token.data) : NULL;
    }
    vq_buf_free(&token);
    return *p ? NULL : node;
}

/* ---------- checking values ---------- */

static bool is_integral(const json_t *v)
{
    if (json_is_integer(v))
        return true;
    if (!json_is_real(v))
        return false;
    double d = json_real_value(v);
    return d == (double)(long long)d;
}

static bool has_type(const json_t *v, const char *t)
{
    if (strcmp(t, "string") == 0)
        return json_is_string(v);
    if (strcmp(t, "integer") == 0)
        return is_integral(v);
    if (strcmp(t, "number") == 0)
        return json_is_number(v);
    if (strcmp(t, "boolean") == 0)
        return json_is_boolean(v);
    if (strcmp(t, "object") == 0)
        return json_is_object(v);
    if (strcmp(t, "array") == 0)
        return json_is_array(v);
    return json_is_null(v);
}

static const char *type_phrase(const char *t)
{
    if (strcmp(t, "string") == 0)
        return "a string";
    if (strcmp(t, "integer") == 0)
        return "an integer";
    if (strcmp(t, "number") == 0)
        return "a number";
    if (strcmp(t, "boolean") == 0)
        return "true or false";
    if (strcmp(t, "object") == 0)
        return "an object";
    if (strcmp(t, "array") == 0)
        return "an array";
    return "null";
}

static bool check_type(checker *c, const json_t *type, const json_t *v)
{
    if (json_is_string(type)) {
        if (has_type(v, json_string_value(type)))
            return true;
        violation(c, "expected %s", type_phrase(json_string_value(type)));
        return false;
    }
    size_t i;
    json_t *t;
    json_array_foreach(type, i, t) if (has_type(v, json_string_value(t))) return true;
    vq_buf msg = VQ_BUF_INIT;
    json_array_foreach(type, i, t)
    {
        if (i)
            vq_buf_append_str(&msg, i + 1 == json_array_size(type) ? " or " : ", ");
        vq_buf_append_str(&msg, type_phrase(json_string_value(t)));
    }
    violation(c, "expected %s", msg.data);
    vq_buf_free(&msg);
    return false;
}

/* An ISO calendar date YYYY-MM-DD that exists (no 2017-02-30). */
static bool valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    int max = days[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
    return d <= max;
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void append_json(vq_buf *b, const json_t *v)
{
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    vq_buf_append_str(b, s ? s : "?");
    free(s);
}

static void check(checker *c, const json_t *s, const json_t *v);

static void check_string(checker *c, const json_t *s, const json_t *v)
{
    const char *str = json_string_value(v);
    json_t *k;
    size_t n = code_points(str);
    if ((k = json_object_get(s, "minLength")) && n < (size_t)json_number_value(k)) {
        if (json_number_value(k) == 1)
            violation(c, "must not be empty");
        else
            violation(c, "expected at least %g characters", json_number_value(k));
    }
    if ((k = json_object_get(s, "maxLength")) && n > (size_t)json_number_value(k))
        violation(c, "expected at most %g characters", json_number_value(k));
    if ((k = json_object_get(s, "pattern"))) {
        const regex_t *re = json_is_string(k) ? pattern_re(c, json_string_value(k)) : NULL;
        if (re && regexec(re, str, 0, NULL, 0) != 0)
            violation(c, "\"%.60s\" does not match the pattern %s", str, json_string_value(k));
    }
    if ((k = json_object_get(s, "format")) && !valid_date(str))
        violation(c, "\"%.60s\" is not a valid date (expected YYYY-MM-DD)", str);
}

static void check_number(checker *c, const json_t *s, const json_t *v)
{
    double x = json_number_value(v);
    json_t *k;
    vq_buf num = VQ_BUF_INIT;
    append_json(&num, v);
    if ((k = json_object_get(s, "minimum")) && x < json_number_value(k))
        violation(c, "%s is less than the minimum %g", num.data, json_number_value(k));
    if ((k = json_object_get(s, "maximum")) && x > json_number_value(k))
        violation(c, "%s is more than the maximum %g", num.data, json_number_value(k));
    if ((k = json_object_get(s, "exclusiveMinimum")) && x <= json_number_value(k))
        violation(c, "%s is not more than %g", num.data, json_number_value(k));
    if ((k = json_object_get(s, "exclusiveMaximum")) && x >= json_number_value(k))
        violation(c, "%s is not less than %g", num.data, json_number_value(k));
    vq_buf_free(&num);
}

static void check_object(checker *c, const json_t *s, const json_t *v)
{
    json_t *req = json_object_get(s, "required");
    json_t *props = json_object_get(s, "properties");
    json_t *extra = json_object_get(s, "additionalProperties");
    json_t *k;
    size_t i;
    json_t *name;
    json_array_foreach(req, i, name)
    {
        if (!json_object_get(v, json_string_value(name)))
            violation(c, "missing required field '%s'", json_string_value(name));
    }
    size_t n = json_object_size(v);
    if ((k = json_object_get(s, "minProperties")) && n < (size_t)json_number_value(k))
        violation(c, "expected at least %g fields", json_number_value(k));
    if ((k = json_object_get(s, "maxProperties")) && n > (size_t)json_number_value(k))
        violation(c, "expected at most %g fields", json_number_value(k));
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)v, key, member)
    {
        json_t *sub = props ? json_object_get(props, key) : NULL;
        if (!sub && json_is_false(extra)) {
            unknown_field(c, key);
            continue;
        }
        if (!sub)
            sub = extra; /* NULL or true: anything goes */
        if (sub) {
            push_key(c, key);
            check(c, sub, member);
            pop(c);
        }
    }
}

static void check_array(checker *c, const json_t *s, const json_t *v)
{
    json_t *k;
    size_t n = json_array_size(v);
    if ((k = json_object_get(s, "minItems")) && n < (size_t)json_number_value(k)) {
        if (json_number_value(k) == 1)
            violation(c, "must not be empty");
        else
            violation(c, "expected at least %g items", json_number_value(k));
    }
    if ((k = json_object_get(s, "maxItems")) && n > (size_t)json_number_value(k))
        violation(c, "expected at most %g items", json_number_value(k));
    json_t *items = json_object_get(s, "items");
    if (!items)
        return;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        push_index(c, i);
        check(c, items, item);
        pop(c);
    }
}

static void check(checker *c, const json_t *s, const json_t *v)
{
    if (c->schema_bad || json_is_true(s))
        return;
    if (json_is_false(s)) {
        violation(c, "not allowed here");
        return;
    }
    json_t *k;
    if ((k = json_object_get(s, "$ref"))) {
        const json_t *target = resolve(c, json_string_value(k));
        if (!target) {
            schema_error(c, "$ref \"%s\" names nothing in the schema", json_string_value(k));
            return;
        }
        if (++c->ref_depth > MAX_REF_DEPTH) {
            schema_error(c, "$ref \"%s\" nests deeper than %d", json_string_value(k),
                         MAX_REF_DEPTH);
            return;
        }
        check(c, target, v);
        c->ref_depth--;
    }
    if ((k = json_object_get(s, "type")) && !check_type(c, k, v))
        return; /* the other rules would only repeat the same mistake */
    if ((k = json_object_get(s, "enum"))) {
        size_t i;
        json_t *e;
        bool found = false;
        json_array_foreach(k, i, e) found = found || json_equal(e, (json_t *)v);
        if (!found) {
            vq_buf msg = VQ_BUF_INIT;
            json_array_foreach(k, i, e)
            {
                if (i)
                    vq_buf_append_str(&msg, ", ");
                append_json(&msg, e);
            }
            violation(c, "expected one of %s", msg.data);
            vq_buf_free(&msg);
        }
    }
    if ((k = json_object_get(s, "const")) && !json_equal(k, (json_t *)v)) {
        vq_buf msg = VQ_BUF_INIT;
        append_json(&msg, k);
        violation(c, "expected %s", msg.data);
        vq_buf_free(&msg);
    }
    if (json_is_string(v))
        check_string(c, s, v);
    else if (json_is_number(v))
        check_number(c, s, v);
    else if (json_is_object(v))
        check_object(c, s, v);
    else if (json_is_array(v))
        check_array(c, s, v);
}

vq_status vq_schema_check_ex(const json_t *schema, const json_t *data, const char *data_file,
                             const vq_schema_options *opts, vq_error *err)
{
    checker c = {
        .root = schema,
        .data_file = data_file ? data_file : "",
        .schema_file = opts && opts->schema_file ? opts->schema_file : "schema.json",
        .text = opts ? opts->text : NULL,
        .len = opts ? opts->len : 0,
        .report = opts ? opts->report : NULL,
        .user = opts ? opts->user : NULL,
        .err = err,
    };
    vq_buf where = VQ_BUF_INIT;
    vq_buf_append_str(&where, "");
    lint(&c, schema, &where);
    vq_buf_free(&where);
    if (!c.schema_bad)
        check(&c, schema, data);
    free(c.path);
    if (c.patterns) {
        vq_heap_disown(c.patterns);
        patterns_destroy(c.patterns);
    }
    if (c.schema_bad)
        return VQ_ERR_INPUT;
    if (c.errors)
        return vq_error_set(err, VQ_ERR_INPUT, c.data_file, 0, 0,
                            "the data does not match the template's schema: %d error%s", c.errors,
                            c.errors == 1 ? "" : "s");
    vq_error_clear(err);
    return VQ_OK;
}

vq_status vq_schema_check(const json_t *schema, const json_t *data, const char *data_file,
                          vq_error *err)
{
    return vq_schema_check_ex(schema, data, data_file, NULL, err);
}
