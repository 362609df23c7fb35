/* Compiling templates, and the partials they load on first use. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "template/internal.h"

typedef struct cache_entry {
    char *dir; /* the including template's folder ("" for none) */
    char *name;
    vq_template *t; /* NULL: no such partial */
} cache_entry;

struct partial_cache {
    cache_entry *entries;
    size_t n, cap;
};

static vq_template *new_template(const char *file, const char *dir, vq_template *root)
{
    vq_template *t = vq_xcalloc(1, sizeof *t);
    t->arena = vq_arena_create();
    t->file = vq_xstrdup(file ? file : "");
    t->dir = dir ? vq_xstrdup(dir) : NULL;
    t->root = root ? root : t;
    return t;
}

static void free_template(vq_template *t)
{
    vq_arena_destroy(t->arena);
    free(t->file);
    free(t->dir);
    free(t);
}

vq_template *vq_template_compile_string(const char *text, size_t len, const char *name,
                                        const char *dir, const vq_template_options *opts,
                                        vq_error *err)
{
    vq_template *t = new_template(name, dir, NULL);
    t->cache = vq_xcalloc(1, sizeof *t->cache);
    if (opts) {
        t->strict = opts->strict;
        t->warn_missing = opts->warn_missing;
        t->spec_only = opts->spec_only;
        t->max_output = opts->max_output;
        t->partial_dir_count = opts->partial_dir_count;
        t->partial_dirs = vq_xcalloc(opts->partial_dir_count + 1, sizeof(char *));
        for (size_t i = 0; i < opts->partial_dir_count; i++)
            t->partial_dirs[i] = vq_xstrdup(opts->partial_dirs[i]);
    }
    if (!t->max_output)
        t->max_output = VQ_TEMPLATE_DEFAULT_MAX_OUTPUT;
    if (vq_template_parse(t, text, len, err) != VQ_OK) {
        vq_template_destroy(t);
        return NULL;
    }
    return t;
}

vq_template *vq_template_compile_file(const char *path, const vq_template_options *opts,
                                      vq_error *err)
{
    size_t len;
    char *text = vq_read_file(path, &len, err);
    if (!text)
        return NULL;
    char *dir = vq_path_dirname(path);
    vq_template *t = vq_template_compile_string(text, len, path, dir, opts, err);
    free(dir);
    free(text);
    return t;
}

void vq_template_destroy(vq_template *t)
{
    if (!t)
        return;
    if (t->cache) {
        for (size_t i = 0; i < t->cache->n; i++) {
            cache_entry *e = &t->cache->entries[i];
            if (e->t)
                free_template(e->t);
            free(e->dir);
            free(e->name);
        }
        free(t->cache->entries);
        free(t->cache);
    }
    for (size_t i = 0; i < t->partial_dir_count; i++)
        free(t->partial_dirs[i]);
    free(t->partial_dirs);
    free_template(t);
}

/* Reads and compiles dir/name.mustache; *found stays NULL when the file does
 * not exist. */
static vq_status load(vq_template *root, const char *dir, const char *name, vq_template **found,
                      vq_error *err)
{
    vq_buf file = VQ_BUF_INIT;
    vq_buf_printf(&file, "%s.mustache", name);
    /* Partials of a template in the working folder keep short names. */
    char *path = strcmp(dir, ".") == 0 ? vq_buf_steal(&file) : vq_path_join(dir, file.data);
    vq_buf_free(&file);
    vq_status st = VQ_OK;
    vq_observe_path(path); /* watched even when missing: it may be written next */
    if (vq_path_exists(path)) {
        /* A partial is read only from inside its folder: a symlink to a
         * file elsewhere is refused (it would print that file). */
        vq_roots roots = {0};
        vq_roots_add(&roots, dir);
        size_t len;
        char *text = vq_read_file_in(path, &roots, VQ_MAX_INPUT_BYTES, &len, err);
        vq_roots_free(&roots);
        if (!text) {
            st = err ? err->status : VQ_ERR_IO;
        } else {
            vq_template *t = new_template(path, dir, root);
            st = vq_template_parse(t, text, len, err);
            free(text);
            if (st)
                free_template(t);
            else
                *found = t;
        }
    }
    free(path);
    return st;
}

vq_status vq_template_partial(const vq_template *from, const char *name, size_t len,
                              const vq_template **found, vq_error *err)
{
    vq_template *root = from->root;
    partial_cache *c = root->cache;
    const char *from_dir = from->dir ? from->dir : "";
    *found = NULL;
    for (size_t i = 0; i < c->n; i++) {
        cache_entry *e = &c->entries[i];
        if (strcmp(e->dir, from_dir) == 0 && strlen(e->name) == len &&
            memcmp(e->name, name, len) == 0) {
            *found = e->t;
            return VQ_OK;
        }
    }
    char *key = vq_xstrndup(name, len);
    vq_template *t = NULL;
    vq_status st = VQ_OK;
    if (from->dir)
        st = load(root, from->dir, key, &t, err);
    for (size_t i = 0; !st && !t && i < root->partial_dir_count; i++)
        st = load(root, root->partial_dirs[i], key, &t, err);
    if (st) {
        free(key);
        return st;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->entries = vq_xrealloc(c->entries, c->cap * sizeof *c->entries);
    }
    c->entries[c->n++] = (cache_entry){vq_xstrdup(from_dir), key, t};
    *found = t;
    return VQ_OK;
}
