/* Finding a template named on the command line. */
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
    if (!found)
        vq_error_set(
            err, VQ_ERR_IO, name_or_path, 0, 0,
            "cannot open file: No such file or directory (nor a bundled template of that name)");
    return found;
}

char *vq_template_common_dir(const char *exe_dir)
{
    return find_in_template_roots(exe_dir, "common");
}
