#include "cli/batch_records.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/utf8.h"
#include "data/json.h"

static void add(vq_batch_records *r, const char *text, size_t len, const char *name, int line,
                int column)
{
    if ((r->count & (r->count + 1)) == 0 || r->count == 0)
        r->items = vq_xrealloc(r->items, (r->count * 2 + 2) * sizeof *r->items);
    vq_batch_record *b = &r->items[r->count];
    memset(b, 0, sizeof *b);
    b->rec = (vq_record){.json = text,
                         .len = len,
                         .name = name,
                         .line = line,
                         .column = column,
                         .index = r->count + 1};
    vq_error_clear(&b->error);
    r->count++;
}

static void own(vq_batch_records *r, char *p)
{
    size_t n = 0;
    while (r->owned && r->owned[n])
        n++;
    r->owned = vq_xrealloc(r->owned, (n + 2) * sizeof *r->owned);
    r->owned[n] = p;
    r->owned[n + 1] = NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static vq_batch_records *read_folder(vq_batch_records *r, const char *path, vq_error *err)
{
    DIR *d = opendir(path);
    if (!d) {
        vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot open folder: %s", strerror(errno));
        vq_batch_records_free(r);
        return NULL;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        names = vq_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = vq_path_join(path, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    vq_status s = VQ_OK;
    for (size_t i = 0; i < n; i++) {
        own(r, names[i]);
        if (s != VQ_OK)
            continue;
        size_t len;
        char *text = vq_read_file(names[i], &len, err);
        if (!text) {
            s = err->status;
            continue;
        }
        own(r, text);
        add(r, text, len, names[i], 1, 1);
    }
    free(names);
    if (s != VQ_OK) {
        vq_batch_records_free(r);
        return NULL;
    }
    return r;
}

/* The end of the JSON value starting at i (the text is valid JSON). */
static size_t value_end(const char *t, size_t len, size_t i)
{
    int depth = 0;
    for (; i < len; i++) {
        char c = t[i];
        if (c == '"') {
            for (i++; i < len && t[i] != '"'; i++)
                if (t[i] == '\\')
                    i++;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return i;
            if (--depth == 0)
                return i + 1;
        } else if (c == ',' && depth == 0) {
            return i;
        }
    }
    return i;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The line and column of offset, counted on from an earlier position
 * (*line, *line_start), so that placing every record costs one pass over
 * the file, not one per record. */
static void position_from(const char *t, size_t offset, int *line, size_t *line_start, int *column)
{
    for (size_t i = *line_start; i < offset; i++)
        if (t[i] == '\n') {
            (*line)++;
            *line_start = i + 1;
        }
    int l, c;
    vq_text_position(t + *line_start, offset - *line_start, &l, &c);
    *column = c;
}

static void split_array(vq_batch_records *r, const char *t, size_t len, size_t i, const char *name)
{
    int cur_line = 1;
    size_t line_start = 0;
    i++; /* '[' */
    for (;;) {
        while (i < len && is_space(t[i]))
            i++;
        if (i >= len || t[i] == ']')
            return;
        size_t end = value_end(t, len, i);
        size_t trimmed = end;
        while (trimmed > i && is_space(t[trimmed - 1]))
            trimmed--;
        int col;
        position_from(t, i, &cur_line, &line_start, &col);
        add(r, t + i, trimmed - i, name, cur_line, col);
        i = end;
        while (i < len && is_space(t[i]))
            i++;
        if (i < len && t[i] == ',')
            i++;
    }
}

static void split_lines(vq_batch_records *r, const char *t, size_t len, const char *name)
{
    int line = 1;
    for (size_t i = 0; i < len; line++) {
        const char *nl = memchr(t + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - t) : len;
        size_t a = i, b = end;
        while (a < b && is_space(t[a]))
            a++;
        while (b > a && is_space(t[b - 1]))
            b--;
        if (b > a) {
            int l, col;
            vq_text_position(t + i, a - i, &l, &col);
            add(r, t + a, b - a, name, line, col);
        }
        i = end + 1;
    }
}

vq_batch_records *vq_batch_records_read(const char *path, vq_error *err)
{
    vq_error_clear(err);
    vq_batch_records *r = vq_xcalloc(1, sizeof *r);
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return read_folder(r, path, err);
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    size_t len;
    r->text = vq_read_file(path, &len, err);
    if (!r->text) {
        vq_batch_records_free(r);
        return NULL;
    }
    own(r, vq_xstrdup(name));
    name = r->owned[0];
    size_t i = 0;
    while (i < len && is_space(r->text[i]))
        i++;
    if (i < len && r->text[i] == '[') {
        /* An array must be valid JSON as a whole before it is cut up. */
        json_t *all = vq_json_load_string(r->text, len, name, err);
        if (!all) {
            vq_batch_records_free(r);
            return NULL;
        }
        json_decref(all);
        split_array(r, r->text, len, i, name);
    } else {
        split_lines(r, r->text, len, name);
    }
    return r;
}

/* ---------- naming outputs ---------- */

static void fail(vq_batch_record *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(vq_batch_record *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vq_error_setv(&b->error, VQ_ERR_INPUT, b->rec.name, b->rec.line, b->rec.column, fmt, ap);
    va_end(ap);
    b->error.record = b->rec.index;
    free(b->output);
    b->output = NULL;
}

/* A JSON error inside the record, moved to its place in the file. */
static void fail_json(vq_batch_record *b, const vq_error *e)
{
    b->error = *e;
    if (b->error.line == 1 && b->rec.column > 1)
        b->error.column += b->rec.column - 1;
    if (b->error.line > 0)
        b->error.line += b->rec.line - 1;
    b->error.record = b->rec.index;
}

static const json_t *lookup(const json_t *v, const char *path, size_t len)
{
    char key[256];
    while (v && len) {
        const char *dot = memchr(path, '.', len);
        size_t n = dot ? (size_t)(dot - path) : len;
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        if (json_is_array(v)) {
            char *end;
            long i = strtol(key, &end, 10);
            v = *end || n == 0 ? NULL : json_array_get(v, (size_t)i);
        } else {
            v = json_object_get(v, key);
        }
        path += n + (dot ? 1 : 0);
        len -= n + (dot ? 1 : 0);
    }
    return v;
}

static bool safe_value(const char *s)
{
    if (!*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (; *s; s++)
        if (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20)
            return false;
    return true;
}

/* Fills b->output from the pattern (checked by the caller). */
static void name_one(vq_batch_record *b, const char *pattern, const json_t *data)
{
    vq_buf out = VQ_BUF_INIT, val = VQ_BUF_INIT;
    for (const char *p = pattern; *p;) {
        if (*p != '{') {
            vq_buf_append_char(&out, *p++);
            continue;
        }
        const char *close = strchr(p, '}');
        size_t n = (size_t)(close - p - 1);
        vq_buf_clear(&val);
        if (n == 1 && p[1] == '#') {
            vq_buf_printf(&val, "%zu", b->rec.index);
        } else {
            const json_t *v = lookup(data, p + 1, n);
            if (json_is_string(v)) {
                vq_buf_append(&val, json_string_value(v), json_string_length(v));
            } else if (json_is_integer(v)) {
                vq_json_format_number(v, &val);
            } else {
                fail(b, "the output pattern's {%.*s} %s", (int)n, p + 1,
                     v ? "is neither a string nor an integer in this record"
                       : "is missing from this record");
                goto done;
            }
            vq_buf_append_char(&val, '\0');
            if (strlen(val.data) + 1 != val.len || !safe_value(val.data)) {
                fail(b, "the output pattern's {%.*s} is '%s', which would leave the output folder",
                     (int)n, p + 1, val.data);
                goto done;
            }
        }
        vq_buf_append_str(&out, val.data ? val.data : "");
        p = close + 1;
    }
    b->output = vq_buf_steal(&out);
done:
    vq_buf_free(&out);
    vq_buf_free(&val);
}

static int mkdirs(char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : -1;
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        int rc = mkdirs(dir);
        *slash = '/';
        if (rc)
            return rc;
    }
    return mkdir(dir, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

static const vq_batch_records *sort_recs;
static int by_output(const void *a, const void *b)
{
    const vq_batch_record *x = &sort_recs->items[*(const size_t *)a];
    const vq_batch_record *y = &sort_recs->items[*(const size_t *)b];
    int c = strcmp(x->output, y->output);
    return c ? c : (x->rec.index > y->rec.index) - (x->rec.index < y->rec.index);
}

vq_status vq_batch_records_name(vq_batch_records *recs, const char *pattern, vq_error *err)
{
    vq_error_clear(err);
    bool fields = false, any = false;
    for (const char *p = pattern; *p; p++) {
        if (*p == '}')
            return vq_error_set(err, VQ_ERR_USAGE, NULL, 0, 0,
                                "the output pattern '%s' has a '}' without '{'", pattern);
        if (*p != '{')
            continue;
        const char *close = strchr(p, '}');
        if (!close || close == p + 1 || memchr(p + 1, '{', (size_t)(close - p - 1)))
            return vq_error_set(err, VQ_ERR_USAGE, NULL, 0, 0,
                                "the output pattern '%s' has a '{' without a name and '}'",
                                pattern);
        any = true;
        if (!(close == p + 2 && p[1] == '#'))
            fields = true;
        p = close;
    }
    if (!any && recs->count > 1)
        return vq_error_set(err, VQ_ERR_USAGE, NULL, 0, 0,
                            "the output pattern '%s' names every record the same: add {#} or "
                            "a field such as {patient.file_number}",
                            pattern);
    for (size_t i = 0; i < recs->count; i++) {
        vq_batch_record *b = &recs->items[i];
        json_t *data = NULL;
        if (fields) {
            vq_error e;
            data = vq_json_load_string(b->rec.json, b->rec.len, b->rec.name, &e);
            if (!data) {
                fail_json(b, &e);
                continue;
            }
        }
        name_one(b, pattern, data);
        json_decref(data);
    }
    /* A repeated name fails every record after the first that has it. */
    size_t *order = vq_xmalloc((recs->count + 1) * sizeof *order), n = 0;
    for (size_t i = 0; i < recs->count; i++)
        if (recs->items[i].output)
            order[n++] = i;
    sort_recs = recs;
    qsort(order, n, sizeof *order, by_output);
    for (size_t k = 1; k < n; k++) {
        vq_batch_record *first = &recs->items[order[k - 1]], *b = &recs->items[order[k]];
        if (strcmp(first->output, b->output) == 0) {
            char *name = vq_xstrdup(b->output);
            fail(b, "the output name '%s' repeats that of record %zu (line %d)", name,
                 first->rec.index, first->rec.line);
            free(name);
            /* Later repeats are compared with the first record too. */
            order[k] = order[k - 1];
        }
    }
    free(order);
    for (size_t i = 0; i < recs->count; i++) {
        vq_batch_record *b = &recs->items[i];
        if (b->error.status != VQ_OK) {
            free(b->output);
            b->output = NULL;
            continue;
        }
        char *dir = vq_path_dirname(b->output);
        int rc = mkdirs(dir);
        if (rc)
            vq_error_set(err, VQ_ERR_IO, dir, 0, 0, "cannot create folder: %s", strerror(errno));
        free(dir);
        if (rc)
            return err->status;
    }
    return VQ_OK;
}

void vq_batch_records_free(vq_batch_records *recs)
{
    if (!recs)
        return;
    for (size_t i = 0; i < recs->count; i++)
        free(recs->items[i].output);
    free(recs->items);
    for (size_t i = 0; recs->owned && recs->owned[i]; i++)
        free(recs->owned[i]);
    free(recs->owned);
    free(recs->text);
    free(recs);
}
