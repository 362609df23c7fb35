#define _DEFAULT_SOURCE /* realpath */
#include "base/io.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"

/* Reads at most max bytes from fd (max + 1 means "too large"). */
static char *read_fd(int fd, size_t max, size_t *len, bool *too_large, int *error)
{
    vq_buf b = VQ_BUF_INIT;
    char chunk[65536];
    *too_large = false;
    *error = 0;
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *error = errno;
            break;
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > max) {
            *too_large = true;
            break;
        }
        vq_buf_append(&b, chunk, (size_t)n);
    }
    if (*too_large || *error) {
        vq_buf_free(&b);
        return NULL;
    }
    if (len)
        *len = b.len;
    return vq_buf_steal(&b);
}

static vq_status too_large(vq_error *err, const char *path, size_t max)
{
    return vq_error_set(err, VQ_ERR_INPUT, path, 0, 0,
                        "the file is larger than the limit of %zu MB", max >> 20);
}

static _Thread_local vq_read_observer observer;
static _Thread_local void *observer_user;

void vq_set_read_observer(vq_read_observer fn, void *user)
{
    observer = fn;
    observer_user = user;
}

void vq_observe_path(const char *path)
{
    if (observer && path)
        observer(path, observer_user);
}

char *vq_read_file(const char *path, size_t *len, vq_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    if (!is_stdin)
        vq_observe_path(path);
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot open file: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (!is_stdin) {
        const char *why = NULL;
        if (fstat(fd, &st) != 0)
            why = strerror(errno);
        else if (S_ISDIR(st.st_mode))
            why = "Is a directory";
        else if (!S_ISREG(st.st_mode))
            why = "not a regular file";
        if (why) {
            close(fd);
            vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot read file: %s", why);
            return NULL;
        }
        if ((size_t)st.st_size > VQ_MAX_INPUT_BYTES) {
            close(fd);
            too_large(err, path, VQ_MAX_INPUT_BYTES);
            return NULL;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    }
    bool big;
    int error;
    char *text = read_fd(fd, VQ_MAX_INPUT_BYTES, len, &big, &error);
    if (!is_stdin)
        close(fd);
    if (big)
        too_large(err, is_stdin ? "-" : path, VQ_MAX_INPUT_BYTES);
    else if (!text)
        vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot read file: %s", strerror(error));
    return text;
}

void vq_roots_add(vq_roots *r, const char *dir)
{
    if (r->n == sizeof r->dirs / sizeof r->dirs[0])
        return;
    char *real = realpath(dir && *dir ? dir : ".", NULL);
    if (real) {
        /* realpath's block is not the heap's: keep a copy that is, so that
         * running out of memory releases it (base/alloc.h). */
        size_t n = strlen(real) + 1;
        char *copy = vq_try_realloc(NULL, n);
        if (copy)
            memcpy(copy, real, n);
        free(real);
        if (!copy)
            vq_out_of_memory();
        r->dirs[r->n++] = copy;
    }
}

void vq_roots_free(vq_roots *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->dirs[i]);
    r->n = 0;
}

static bool inside(const char *real, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return true;
    return strncmp(real, root, n) == 0 && real[n] == '/';
}

/* The real path of what fd has open: the kernel's own answer, so no rename
 * or symlink swap between the check and the read can change it. */
static bool fd_inside(int fd, const vq_roots *roots)
{
    char link[64], real[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, sizeof real - 1);
    if (n <= 0 || (size_t)n >= sizeof real - 1)
        return false;
    real[n] = '\0';
    for (size_t i = 0; i < roots->n; i++)
        if (inside(real, roots->dirs[i]))
            return true;
    return false;
}

char *vq_read_file_in(const char *path, const vq_roots *roots, size_t max, size_t *len,
                      vq_error *err)
{
    vq_observe_path(path);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !fd_inside(fd, roots)) {
        if (fd >= 0)
            close(fd);
        vq_error_set(err, VQ_ERR_INPUT, path, 0, 0, VQ_CONFINED_MISSING);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        /* Inside the folders the reader may see what is there. */
        close(fd);
        vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot read file: %s",
                     S_ISDIR(st.st_mode) ? "Is a directory" : "not a regular file");
        return NULL;
    }
    if ((size_t)st.st_size > max) {
        close(fd);
        too_large(err, path, max);
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    bool big;
    int error;
    char *text = read_fd(fd, max, len, &big, &error);
    close(fd);
    if (big)
        too_large(err, path, max);
    else if (!text)
        vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot read file: %s", strerror(error));
    return text;
}

/* Temporary files to remove on a signal. Each slot is filled before it is
 * marked used, so the handler never sees half a path; a slot is claimed
 * with a compare-and-swap (3 = being filled), so threads rendering at once
 * never share one. Lock-free atomics are async-signal-safe. */
enum { TEMP_SLOTS = 64, TEMP_PATH_MAX = 4096 };
static struct {
    _Atomic int used; /* 0 free, 1 file, 2 pattern, 3 being filled */
    char path[TEMP_PATH_MAX];
} temps[TEMP_SLOTS];

/* Removal and creation exclude each other, so a thread creating a
 * temporary file while another one handles a signal (a batch's workers)
 * leaves nothing behind: the remover raises `removing` and then waits
 * (briefly: the creator may be the very thread it interrupted) until no
 * creation is under way; a creator counts itself in `creating` and then
 * gives up when removal has begun. Both sides store before they load
 * (sequentially consistent), so at least one of them sees the other. */
static _Atomic int removing, creating;

static bool temp_create_begin(void)
{
    atomic_fetch_add(&creating, 1);
    if (atomic_load(&removing)) {
        atomic_fetch_sub(&creating, 1);
        return false;
    }
    return true;
}

static void temp_create_end(void)
{
    atomic_fetch_sub(&creating, 1);
}

static int temp_claim(const char *path, int kind)
{
    size_t n = strlen(path);
    if (n >= TEMP_PATH_MAX)
        return -1;
    for (int i = 0; i < TEMP_SLOTS; i++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&temps[i].used, &expected, 3)) {
            memcpy(temps[i].path, path, n + 1);
            atomic_store(&temps[i].used, kind);
            return i;
        }
    }
    return -1;
}

int vq_temp_register(const char *path)
{
    return temp_claim(path, 1);
}

int vq_temp_register_pattern(const char *pattern)
{
    return temp_claim(pattern, 2);
}

void vq_temp_unregister(int slot)
{
    if (slot >= 0)
        atomic_store(&temps[slot].used, 0);
}

/* pattern with its %d replaced by page, without stdio (signal-safe). */
static void pattern_name(char *out, size_t cap, const char *pattern, int page)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 12 < cap; p++) {
        if (p[0] == '%' && p[1] == 'd') {
            char digits[12];
            int k = 0;
            do
                digits[k++] = (char)('0' + page % 10);
            while ((page /= 10) > 0);
            while (k)
                out[o++] = digits[--k];
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

void vq_remove_temp_files(void)
{
    atomic_store(&removing, 1);
    for (int waited = 0; atomic_load(&creating) > 0 && waited < 200; waited++) {
        struct timespec ms = {0, 1000 * 1000};
        nanosleep(&ms, NULL); /* async-signal-safe */
    }
    for (int i = 0; i < TEMP_SLOTS; i++) {
        int used = atomic_load(&temps[i].used);
        if (used == 3)
            continue;
        if (used == 1) {
            unlink(temps[i].path);
        } else if (used == 2) {
            /* Pages are written in order: 1, 2, … up to the first gap. */
            char name[TEMP_PATH_MAX + 16];
            for (int p = 1;; p++) {
                pattern_name(name, sizeof name, temps[i].path, p);
                if (unlink(name) != 0)
                    break;
            }
        }
        atomic_store(&temps[i].used, 0);
    }
}

static void on_signal(int sig)
{
    vq_remove_temp_files();
    signal(sig, SIG_DFL);
    raise(sig);
}

void vq_install_cleanup_handlers(void)
{
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        struct sigaction old;
        /* A signal the caller ignores (nohup) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

vq_status vq_check_output_path(const char *path, vq_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return VQ_OK; /* a new file; its folder is checked by creating it */
    if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
        return vq_error_set(err, VQ_ERR_IO, path, 0, 0,
                            "cannot write file: a symlink to a file that does not exist");
    if (!S_ISREG(st.st_mode))
        return vq_error_set(err, VQ_ERR_IO, path, 0, 0,
                            "cannot write file: it exists and is not a regular file "
                            "(a folder, device or FIFO is never replaced)");
    return VQ_OK;
}

bool vq_same_file(const char *a, const char *b)
{
    struct stat x, y;
    return a && b && stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev &&
           x.st_ino == y.st_ino;
}

struct vq_atomic_file {
    char *target;
    char *temp; /* NULL when writing to stdout */
    FILE *stream;
    int slot;
};

static void abort_owned(void *f)
{
    vq_atomic_abort(f);
}

vq_atomic_file *vq_atomic_open(const char *path, vq_error *err)
{
    vq_atomic_file *f = vq_xcalloc(1, sizeof *f);
    f->slot = -1;
    if (strcmp(path, "-") == 0) {
        /* Unnamed: nothing is left behind, whatever ends the run. */
        f->target = vq_xstrdup(path);
        f->stream = tmpfile();
        if (!f->stream) {
            vq_error_set(err, VQ_ERR_IO, "-", 0, 0, "cannot create a temporary file: %s",
                         strerror(errno));
            free(f->target);
            free(f);
            return NULL;
        }
        vq_heap_own(f, abort_owned);
        return f;
    }
    if (vq_check_output_path(path, err) != VQ_OK) {
        free(f);
        return NULL;
    }
    /* A symlink is written through: its target is what gets replaced. */
    struct stat st;
    char *real = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL) : NULL;
    f->target = real ? real : vq_xstrdup(path);
    vq_buf tmp = VQ_BUF_INIT;
    vq_buf_printf(&tmp, "%s.tmp-XXXXXX", f->target);
    f->temp = vq_buf_steal(&tmp);
    /* Created and registered as one step against vq_remove_temp_files. */
    if (!temp_create_begin()) {
        vq_error_set(err, VQ_ERR_IO, path, 0, 0, "cannot create file: the process is stopping");
        free(f->temp);
        free(f->target);
        free(f);
        return NULL;
    }
    int fd = mkstemp(f->temp);
    if (fd >= 0)
        f->slot = vq_temp_register(f->temp);
    temp_create_end();
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
    vq_heap_own(f, abort_owned); /* removed if memory runs out */
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
    vq_heap_disown(f);
    vq_temp_unregister(f->slot);
    free(f->target);
    free(f->temp);
    free(f);
}

static vq_status commit_stdout(vq_atomic_file *f, vq_error *err)
{
    bool bad = ferror(f->stream) || fflush(f->stream) != 0;
    int saved = errno;
    if (!bad) {
        rewind(f->stream);
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f->stream)) > 0)
            if (fwrite(chunk, 1, n, stdout) != n)
                break;
        bad = ferror(f->stream) || ferror(stdout) || fflush(stdout) != 0;
        saved = errno;
    }
    fclose(f->stream);
    atomic_free(f);
    if (bad)
        return vq_error_set(err, VQ_ERR_IO, "-", 0, 0, "cannot write to standard output: %s",
                            strerror(saved));
    return VQ_OK;
}

vq_status vq_atomic_commit(vq_atomic_file *f, vq_error *err)
{
    if (!f->temp)
        return commit_stdout(f, err);
    errno = 0;
    int bad = ferror(f->stream);
    int saved = errno;
    bad |= fflush(f->stream) != 0;
    if (bad && !saved)
        saved = errno;
    bad |= fclose(f->stream) != 0;
    if (bad && !saved)
        saved = errno;
    if (!bad && rename(f->temp, f->target) != 0) {
        bad = 1;
        saved = errno;
    }
    if (bad) {
        unlink(f->temp);
        vq_error_set(err, VQ_ERR_IO, f->target, 0, 0, "cannot write file: %s",
                     saved ? strerror(saved) : "write error");
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
    fclose(f->stream);
    if (f->temp)
        unlink(f->temp);
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

char *vq_hidden_sibling(const char *path, const char *tag)
{
    char *dir = vq_path_dirname(path);
    const char *slash = strrchr(path, '/');
    vq_buf name = VQ_BUF_INIT;
    vq_buf_printf(&name, ".%s.%s-%ld", slash ? slash + 1 : path, tag, (long)getpid());
    char *out = vq_path_join(dir, name.data);
    vq_buf_free(&name);
    free(dir);
    return out;
}

/* A page set's pages: 1, 2, … up to the first that is not a regular file. */
static int count_pages(const char *pattern)
{
    char name[TEMP_PATH_MAX + 16];
    int p = 1;
    for (struct stat st;; p++) {
        pattern_name(name, sizeof name, pattern, p);
        if (lstat(name, &st) != 0 || !S_ISREG(st.st_mode))
            break;
    }
    return p - 1;
}

/* Swaps in a page set. Every old page is first hard-linked to a hidden
 * backup name; the new set then goes in from the highest page down (pages
 * past the new count removed first, page 1 renamed last), so a reader that
 * sees a new page 1 sees the whole new set. A rename that fails puts every
 * page already changed back from its backup: a failed commit leaves the old
 * set as it was (a page whose backup could not be made, on a file system
 * without hard links, is the one exception: it is left new). */
vq_status vq_page_set_commit(const char *temp_pattern, const char *pattern, int pages,
                             vq_error *err)
{
    if (strlen(pattern) >= TEMP_PATH_MAX)
        return vq_error_set(err, VQ_ERR_IO, pattern, 0, 0, "cannot write file: name too long");
    int old = count_pages(pattern);
    int top = pages > old ? pages : old;
    char *backup = vq_hidden_sibling(pattern, "old");
    int slot = vq_temp_register_pattern(backup);
    bool *saved = vq_xcalloc((size_t)top + 1, sizeof *saved);
    char from[TEMP_PATH_MAX + 16], to[TEMP_PATH_MAX + 16], bak[TEMP_PATH_MAX + 16];
    for (int p = 1; p <= old; p++) {
        pattern_name(to, sizeof to, pattern, p);
        pattern_name(bak, sizeof bak, backup, p);
        unlink(bak);
        saved[p] = link(to, bak) == 0;
    }
    vq_status s = VQ_OK;
    int p = top;
    for (; p >= 1; p--) {
        pattern_name(to, sizeof to, pattern, p);
        pattern_name(from, sizeof from, temp_pattern, p);
        int r = p > pages ? unlink(to) : rename(from, to);
        if (r != 0 && !(p > pages && errno == ENOENT)) {
            s = vq_error_set(err, VQ_ERR_IO, to, 0, 0, "cannot write file: %s", strerror(errno));
            break;
        }
    }
    /* After a failure at page p: pages above it go back, pages from it
     * down were never moved and their new versions go. */
    for (int q = 1; q <= top; q++) {
        pattern_name(to, sizeof to, pattern, q);
        pattern_name(from, sizeof from, temp_pattern, q);
        pattern_name(bak, sizeof bak, backup, q);
        if (s != VQ_OK && q > p && saved[q])
            rename(bak, to);
        else if (s != VQ_OK && q > p && q <= pages)
            unlink(to);
        if (s != VQ_OK && q <= p && q <= pages)
            unlink(from);
        if (saved[q])
            unlink(bak);
    }
    vq_temp_unregister(slot);
    free(saved);
    free(backup);
    return s;
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
