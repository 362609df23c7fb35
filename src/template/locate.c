/* Finding a template named on the command line. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/io.h"
#include "template/template.h"

static bool is_plain_name(const char *s)
{
    return s[0] && !strchr(s, '/') && !strchr(s, '\\') && !strchr(s, '.');
}

/* exe_dir/templates, then the installed data folder. */
static char *find_in_template_roots(const char *exe_dir, const char *rel)
{
    const char *roots[2] = {NULL, VQ_DATA_DIR "/templates"};
    char *beside = exe_dir ? vq_path_join(exe_dir, "templates") : NULL;
    roots[0] = beside;
    char *found = NULL;
    for (size_t i = 0; i < 2 && !found; i++) {
        if (!roots[i])
            continue;
        char *path = vq_path_join(roots[i], rel);
        if (vq_path_exists(path))
            found = vq_path_shorten(path);
        free(path);
    }
    free(beside);
    return found;
}

/* Edit distance (insert, delete, replace, swap of neighbours), small
 * strings only. */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63)
        return SIZE_MAX;
    size_t d[64][64];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

/* The bundled template whose name is nearest to name (at most a third of
 * its letters off, and at least 2), or NULL. */
static char *nearest_bundled(const char *exe_dir, const char *name)
{
    char *beside = exe_dir ? vq_path_join(exe_dir, "templates") : NULL;
    const char *roots[2] = {beside, VQ_DATA_DIR "/templates"};
    char *best = NULL;
    size_t best_d = strlen(name) / 3 > 2 ? strlen(name) / 3 : 2;
    for (size_t i = 0; i < 2; i++) {
        DIR *d = roots[i] ? opendir(roots[i]) : NULL;
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.' || strcmp(e->d_name, "common") == 0)
                continue;
            size_t k = distance(name, e->d_name);
            if (k > best_d || (best && k == best_d && strcmp(e->d_name, best) >= 0))
                continue;
            char *rel = vq_path_join(e->d_name, "main.mustache");
            char *path = vq_path_join(roots[i], rel);
            if (vq_path_exists(path)) {
                free(best);
                best = vq_xstrdup(e->d_name);
                best_d = k;
            }
            free(path);
            free(rel);
        }
        if (d)
            closedir(d);
    }
    free(beside);
    return best;
}

/* " in A or B (no such folder)": where bundled templates were looked for,
 * so that a program that finds none (run from outside PREFIX/bin) says
 * where it looked. */
static void searched_roots(const char *exe_dir, vq_buf *out)
{
    char *beside = exe_dir ? vq_path_join(exe_dir, "templates") : NULL;
    const char *roots[2] = {beside, VQ_DATA_DIR "/templates"};
    const char *sep = " in ";
    for (size_t i = 0; i < 2; i++) {
        if (!roots[i])
            continue;
        struct stat st;
        char *shown = vq_path_shorten(roots[i]);
        vq_buf_printf(out, "%s%s%s", sep, shown,
                      stat(roots[i], &st) == 0 && S_ISDIR(st.st_mode) ? "" : " (no such folder)");
        free(shown);
        sep = " or ";
    }
    free(beside);
}

char *vq_template_locate(const char *name_or_path, const char *exe_dir, vq_error *err)
{
    /* A folder stands for its main.mustache. A file that exists wins over
     * a bundled template; bundled names have no '/', '\\' or '.'. */
    struct stat st;
    if (stat(name_or_path, &st) == 0 && S_ISDIR(st.st_mode))
        return vq_path_join(name_or_path, "main.mustache");
    if (vq_path_exists(name_or_path) || !is_plain_name(name_or_path))
        return vq_xstrdup(name_or_path);
    vq_buf rel = VQ_BUF_INIT;
    vq_buf_printf(&rel, "%s/main.mustache", name_or_path);
    char *found = find_in_template_roots(exe_dir, rel.data);
    vq_buf_free(&rel);
    if (!found) {
        char *near = nearest_bundled(exe_dir, name_or_path);
        vq_buf why = VQ_BUF_INIT;
        if (near)
            vq_buf_printf(&why, "; did you mean '%s'?", near);
        else
            searched_roots(exe_dir, &why);
        vq_error_set(err, VQ_ERR_IO, name_or_path, 0, 0,
                     "cannot open file: No such file or directory (nor a bundled template of "
                     "that name%s)",
                     why.data ? why.data : "");
        vq_buf_free(&why);
        free(near);
    }
    return found;
}

char *vq_template_common_dir(const char *exe_dir)
{
    return find_in_template_roots(exe_dir, "common");
}
