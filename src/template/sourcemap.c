/* Output ranges → template positions: one entry per emitted piece, found by
 * binary search. Text ranges are counted out in a copy of the output. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "template/sourcemap.h"

typedef struct entry {
    size_t offset;
    size_t file; /* index into files */
    int line, column;
    bool text;
} entry;

struct vq_source_map {
    entry *entries;
    size_t n, cap;
    char **files;
    size_t nfiles;
    char *out;
    size_t out_len;
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
    free(m);
}

static size_t intern(vq_source_map *m, const char *file)
{
    /* A template names few files; the last one is by far the most likely. */
    for (size_t i = m->nfiles; i-- > 0;)
        if (strcmp(m->files[i], file) == 0)
            return i;
    m->files = vq_xrealloc(m->files, (m->nfiles + 1) * sizeof *m->files);
    m->files[m->nfiles] = vq_xstrdup(file);
    return m->nfiles++;
}

void vq_source_map_add(vq_source_map *m, size_t offset, const char *file, int line, int column,
                       bool text)
{
    size_t f = intern(m, file ? file : "");
    /* A later entry at the same offset replaces an empty range. */
    if (m->n && m->entries[m->n - 1].offset >= offset)
        m->n--;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->entries = vq_xrealloc(m->entries, m->cap * sizeof *m->entries);
    }
    m->entries[m->n++] = (entry){offset, f, line, column, text};
}

void vq_source_map_set_output(vq_source_map *m, const char *out, size_t len)
{
    free(m->out);
    m->out = vq_xstrndup(out ? out : "", len);
    m->out_len = len;
}

bool vq_source_map_lookup(const vq_source_map *m, size_t offset, const char **file, int *line,
                          int *column)
{
    if (!m->n || offset < m->entries[0].offset || offset >= m->out_len)
        return false;
    size_t lo = 0, hi = m->n; /* the last entry with entry.offset <= offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->entries[mid].offset <= offset)
            lo = mid;
        else
            hi = mid;
    }
    const entry *e = &m->entries[lo];
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
