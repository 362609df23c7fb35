#include "base/io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"

char *vq_read_file(const char *path, size_t *len, vq_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot open file: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (!is_stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot read file: Is a directory");
        return NULL;
    }
    vq_buf b = VQ_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        vq_buf_append(&b, chunk, n);
    int failed = ferror(f);
    int saved = errno;
    if (!is_stdin)
        fclose(f);
    if (failed) {
        vq_buf_free(&b);
        vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot read file: %s", strerror(saved));
        return NULL;
    }
    if (len)
        *len = b.len;
    return vq_buf_steal(&b);
}

struct vq_atomic_file {
    char *target;
    char *temp; /* NULL when writing to stdout */
    FILE *stream;
};

vq_atomic_file *vq_atomic_open(const char *path, vq_error *err)
{
    vq_atomic_file *f = vq_xcalloc(1, sizeof *f);
    f->target = vq_xstrdup(path);
    if (strcmp(path, "-") == 0) {
        f->stream = stdout;
        return f;
    }
    vq_buf tmp = VQ_BUF_INIT;
    vq_buf_printf(&tmp, "%s.tmp-XXXXXX", path);
    f->temp = vq_buf_steal(&tmp);
    int fd = mkstemp(f->temp);
    if (fd < 0) {
        vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot create file: %s", strerror(errno));
        free(f->temp);
        free(f->target);
        free(f);
        return NULL;
    }
    /* mkstemp makes the file 0600; an output file gets the usual mode. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    f->stream = fdopen(fd, "wb");
    return f;
}

void *vq_atomic_stream(vq_atomic_file *f)
{
    return f->stream;
}

const char *vq_atomic_temp_path(const vq_atomic_file *f)
{
    return f->temp;
}

static void atomic_free(vq_atomic_file *f)
{
    free(f->target);
    free(f->temp);
    free(f);
}

vq_status vq_atomic_commit(vq_atomic_file *f, vq_error *err)
{
    if (!f->temp) {
        int bad = fflush(stdout) != 0 || ferror(stdout);
        atomic_free(f);
        if (bad)
            return vq_error_set(err, VQ_ERR_IO, "-", 0, 0, "cannot write to standard output");
        return VQ_OK;
    }
    int bad = ferror(f->stream);
    bad |= fclose(f->stream) != 0;
    if (bad) {
        int saved = errno;
        unlink(f->temp);
        vq_error_set(err, VQ_ERR_IO, f->target, 0, 0, "cannot write file: %s", strerror(saved));
        atomic_free(f);
        return VQ_ERR_IO;
    }
    if (rename(f->temp, f->target) != 0) {
        int saved = errno;
        unlink(f->temp);
        vq_error_set(err, VQ_ERR_IO, f->target, 0, 0, "cannot write file: %s", strerror(saved));
        atomic_free(f);
        return VQ_ERR_IO;
    }
    atomic_free(f);
    return VQ_OK;
}

void vq_atomic_abort(vq_atomic_file *f)
{
    if (!f)
        return;
    if (f->temp) {
        fclose(f->stream);
        unlink(f->temp);
    }
    atomic_free(f);
}

vq_status vq_write_file_atomic(const char *path, const void *data, size_t len, vq_error *err)
{
    vq_atomic_file *f = vq_atomic_open(path, err);
    if (!f)
        return err ? err->status : VQ_ERR_IO;
    if (len && fwrite(data, 1, len, vq_atomic_stream(f)) != len) {
        vq_atomic_abort(f);
        return vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot write file: %s", strerror(errno));
    }
    return vq_atomic_commit(f, err);
}

char *vq_path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return vq_xstrdup(".");
    if (slash == path)
        return vq_xstrdup("/");
    return vq_xstrndup(path, (size_t)(slash - path));
}

char *vq_path_join(const char *dir, const char *name)
{
    vq_buf b = VQ_BUF_INIT;
    vq_buf_append_str(&b, dir);
    if (b.len && b.data[b.len - 1] != '/')
        vq_buf_append_char(&b, '/');
    vq_buf_append_str(&b, name);
    return vq_buf_steal(&b);
}

bool vq_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

char *vq_path_shorten(const char *path)
{
    char cwd[4096];
    if (path[0] != '/' || !getcwd(cwd, sizeof cwd))
        return vq_xstrdup(path);
    size_t n = strlen(cwd);
    if (strncmp(path, cwd, n) == 0 && path[n] == '/' && path[n + 1])
        return vq_xstrdup(path + n + 1);
    return vq_xstrdup(path);
}

char *vq_exe_dir(void)
{
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return vq_xstrdup(".");
    path[n] = '\0';
    return vq_path_dirname(path);
}

static bool has_dir(const char *dir, const char *name)
{
    char *path = vq_path_join(dir, name);
    bool found = vq_path_exists(path);
    free(path);
    return found;
}

/* The executable's folder when the bundled fonts are beside it (the build
 * folder); else PREFIX/share/varaq for a program in PREFIX/bin, so an
 * install moved or made with `cmake --install --prefix` still finds its
 * data. Failing both, fonts and templates fall back to VQ_DATA_DIR. */
char *vq_default_data_dir(void)
{
    char *exe = vq_exe_dir();
    if (has_dir(exe, "fonts"))
        return exe;
    char *prefix = vq_path_dirname(exe);
    char *share = vq_path_join(prefix, "share/varaq");
    free(prefix);
    if (has_dir(share, "fonts") && has_dir(share, "templates")) {
        free(exe);
        return share;
    }
    free(share);
    return exe;
}
