/* Output ranges → template positions: one entry per emitted piece, found by
 * binary search. Text ranges are counted out in a copy of the output. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "data/schema.h"
#include "template/sourcemap.h"

/* 32 bytes (VQ_SOURCE_MAP_ENTRY_COST). */
typedef struct entry {
    size_t offset;
    const json_t *value; /* the data value a value range came from, or NULL */
    int line, column;
    unsigned file; /* index into files */
    bool text;
} entry;

struct vq_source_map {
    entry *entries;
    size_t n, cap;
    char **files;
    size_t nfiles;
    char *out;
    size_t out_len;
    const json_t *data; /* vq_source_map_set_data */
    char *data_name;
    const char *data_text;
    size_t data_len;
};

vq_source_map *vq_source_map_create(void)
{
    return vq_xcalloc(1, sizeof(vq_source_map));
}

void vq_source_map_clear(vq_source_map *m)
{
    m->n = 0;
    free(m->out);
    m->out = NULL;
    m->out_len = 0;
}

void vq_source_map_destroy(vq_source_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nfiles; i++)
        free(m->files[i]);
    free(m->files);
    free(m->entries);
    free(m->out);
    free(m->data_name);
    free(m);
}

static unsigned intern(vq_source_map *m, const char *file)
{
    /* A template names few files; the last one is by far the most likely. */
    for (size_t i = m->nfiles; i-- > 0;)
        if (strcmp(m->files[i], file) == 0)
            return (unsigned)i;
    m->files = vq_xrealloc(m->files, (m->nfiles + 1) * sizeof *m->files);
    m->files[m->nfiles] = vq_xstrdup(file);
    return (unsigned)m->nfiles++;
}

static void add(vq_source_map *m, size_t offset, const char *file, int line, int column, bool text,
                const json_t *value)
{
    unsigned f = intern(m, file ? file : "");
    /* A later entry at the same offset replaces an empty range. */
    if (m->n && m->entries[m->n - 1].offset >= offset)
        m->n--;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->entries = vq_xrealloc(m->entries, m->cap * sizeof *m->entries);
    }
    m->entries[m->n++] = (entry){offset, value, line, column, f, text};
}

void vq_source_map_add(vq_source_map *m, size_t offset, const char *file, int line, int column,
                       bool text)
{
    add(m, offset, file, line, column, text, NULL);
}

void vq_source_map_add_value(vq_source_map *m, size_t offset, const char *file, int line,
                             int column, const json_t *value)
{
    add(m, offset, file, line, column, false, value);
}

void vq_source_map_set_data(vq_source_map *m, const json_t *root, const char *name,
                            const char *text, size_t len)
{
    free(m->data_name);
    m->data = root;
    m->data_name = name ? vq_xstrdup(name) : NULL;
    m->data_text = text;
    m->data_len = len;
}

void vq_source_map_set_output(vq_source_map *m, const char *out, size_t len)
{
    free(m->out);
    m->out = vq_xstrndup(out ? out : "", len);
    m->out_len = len;
}

/* The entry offset falls in, or NULL. */
static const entry *find(const vq_source_map *m, size_t offset)
{
    if (!m->n || offset < m->entries[0].offset || offset >= m->out_len)
        return NULL;
    size_t lo = 0, hi = m->n; /* the last entry with entry.offset <= offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->entries[mid].offset <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return &m->entries[lo];
}

bool vq_source_map_data_place(const vq_source_map *m, size_t offset, const char **file, int *line,
                              int *column)
{
    const entry *e = find(m, offset);
    if (!e || !e->value || !m->data || !m->data_text || !m->data_name)
        return false;
    vq_buf ptr = VQ_BUF_INIT;
    vq_buf_append_str(&ptr, "");
    size_t at;
    bool found = vq_json_pointer_of(m->data, e->value, &ptr) &&
                 vq_json_pointer_offset(m->data_text, m->data_len, ptr.data, &at, NULL);
    vq_buf_free(&ptr);
    if (!found)
        return false;
    vq_text_position(m->data_text, at, line, column);
    *file = m->data_name;
    return true;
}

bool vq_source_map_lookup(const vq_source_map *m, size_t offset, const char **file, int *line,
                          int *column)
{
    const entry *e = find(m, offset);
    if (!e)
        return false;
    int l = e->line, c = e->column;
    if (e->text) {
        for (size_t i = e->offset; i < offset; i++) {
            if (m->out[i] == '\n') {
                l++;
                c = 1;
            } else if (((unsigned char)m->out[i] & 0xC0) != 0x80) {
                c++;
            }
        }
    }
    if (file)
        *file = m->files[e->file];
    if (line)
        *line = l;
    if (column)
        *column = c;
    return true;
}
