/* varaq watch: renders like varaq render, then again whenever a file that
 * render read changes. The render itself names its inputs: base's read
 * observer sees every file the template, partial, schema, data and image
 * readers open (or look for), so nothing here guesses which files matter.
 * Folders are watched (inotify), not files: editors save by writing a new
 * file and renaming it over the old one, which a watch on the old file's
 * inode would miss. */
#define _DEFAULT_SOURCE /* realpath */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/io.h"
#include "cli/cli.h"
#include "varaq/varaq.h"

static const char HELP[] =
    "Usage: varaq watch TEMPLATE DATA.json -o OUT.pdf [options]\n"
    "       varaq watch DOC.xml -o OUT.pdf [options]\n"
    "\n"
    "Renders like 'varaq render', then again each time a file that render read\n"
    "changes: the template, its partials, schema.json, the data, the images,\n"
    "the fonts (a .ttf or .otf file added to, replaced in or removed from a\n"
    "font folder: the bundled one, --font-path, $VARAQ_FONT_PATH). A file it\n"
    "looked for and did not find (a partial not written yet) counts when it\n"
    "appears. Each render prints one line on standard error; an error\n"
    "is printed as 'varaq render' prints it and the watch goes on, keeping the\n"
    "last good output: the output is replaced atomically, only by a render\n"
    "that succeeded, so a PDF viewer never sees half a file.\n"
    "\n"
    "Inputs and the output must be files: '-' (standard input or output) is\n"
    "refused. Ctrl-C or SIGTERM stops it (no temporary file is left).\n"
    "\n"
    "Options:\n"
    "  -o, --output PATH  the PDF to write; with --png a pattern with one %d\n"
    "                     for the page number (out-%d.png)\n" VQ_CLI_RENDER_OPTIONS
    "  -h, --help         show this help\n"
    "\n"
    "Examples:\n"
    "  varaq watch report.mustache case.json -o report.pdf\n"
    "  varaq watch handout plan.json --png --dpi 72 -o page-%d.png\n"
    "\n"
    "Exit status: it runs until stopped; 2 bad command line, 3 the files cannot\n"
    "be watched (inotify).\n";

/* A file the last render depends on, as a watched folder and the name in it
 * that leads to the file (the file's own name, "*.ttf" for every .ttf file
 * of a font folder, or the first missing folder on its way when part of the
 * path does not exist yet). */
typedef struct dep {
    int wd;
    char *name;
} dep;

typedef struct watch {
    const vq_cli_render_command *args;
    int fd;       /* inotify */
    char **paths; /* what the render read or looked for */
    size_t path_count;
    dep *deps;
    size_t dep_count;
} watch;

static void on_read(const char *path, void *user)
{
    watch *w = user;
    for (size_t i = 0; i < w->path_count; i++)
        if (strcmp(w->paths[i], path) == 0)
            return;
    w->paths = vq_xrealloc(w->paths, (w->path_count + 1) * sizeof *w->paths);
    w->paths[w->path_count++] = vq_xstrdup(path);
}

/* A name of the form "*.ext": every file of that extension. */
static bool is_kind(const char *name)
{
    return name[0] == '*' && name[1] == '.' && !strchr(name + 1, '/');
}

/* Is the file name (in a watched folder) the one named, or of its kind?
 * As the font loader reads them: any case of the extension, and never a
 * hidden file. */
static bool name_matches(const char *want, const char *name)
{
    if (!is_kind(want))
        return strcmp(want, name) == 0;
    size_t n = strlen(name), k = strlen(want + 1);
    return name[0] != '.' && n > k && strcasecmp(name + n - k, want + 1) == 0;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Watches the nearest existing folder on path's way; false when none can be
 * watched. */
static bool add_dep(watch *w, const char *path)
{
    char *dir = vq_path_dirname(path);
    const char *slash = strrchr(path, '/');
    char *name = vq_xstrdup(slash ? slash + 1 : path);
    while (!is_dir(dir) && strcmp(dir, ".") != 0 && strcmp(dir, "/") != 0) {
        free(name);
        slash = strrchr(dir, '/');
        name = vq_xstrdup(slash ? slash + 1 : dir);
        char *up = vq_path_dirname(dir);
        free(dir);
        dir = up;
    }
    int wd = inotify_add_watch(w->fd, dir,
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                   IN_DELETE | IN_ONLYDIR);
    free(dir);
    if (wd < 0 || !*name) {
        free(name);
        return false;
    }
    w->deps = vq_xrealloc(w->deps, (w->dep_count + 1) * sizeof *w->deps);
    w->deps[w->dep_count++] = (dep){wd, name};
    return true;
}

/* The folders of the paths the last render read, and of the inputs named on
 * the command line (read or not: a data file that does not exist yet is
 * watched for). Folders no longer needed are dropped. Returns how many
 * files are watched. */
static size_t rewatch(watch *w)
{
    dep *old = w->deps;
    size_t old_count = w->dep_count;
    w->deps = NULL;
    w->dep_count = 0;
    for (int i = 0; i < w->args->input_count; i++)
        on_read(w->args->inputs[i], w);
    size_t n = w->path_count;
    for (size_t i = 0; i < n; i++) {
        add_dep(w, w->paths[i]);
        /* A symlinked input changes where its target lies too. */
        char *real = realpath(w->paths[i], NULL);
        if (real && strcmp(real, w->paths[i]) != 0)
            add_dep(w, real);
        free(real);
    }
    for (size_t i = 0; i < old_count; i++) {
        bool kept = false;
        for (size_t j = 0; j < w->dep_count && !kept; j++)
            kept = w->deps[j].wd == old[i].wd;
        for (size_t j = 0; j < i && !kept; j++)
            kept = old[j].wd == old[i].wd; /* already removed */
        if (!kept)
            inotify_rm_watch(w->fd, old[i].wd);
        free(old[i].name);
    }
    free(old);
    return n;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Did path change after wall-clock time since? The kernel stamps files
 * with a coarse clock, up to a tick behind, hence the 20 ms: at worst one
 * render too many. */
static bool changed_file(const char *path, struct timespec since)
{
    struct stat st;
    return stat(path, &st) == 0 && (double)(st.st_ctim.tv_sec - since.tv_sec) +
                                           (double)(st.st_ctim.tv_nsec - since.tv_nsec) / 1e9 >
                                       -0.02;
}

/* The name of a file of kind ("*.ttf") in dir that changed after since, or
 * of dir itself when a file was added or removed (a copy), or NULL. */
static char *changed_kind(const char *dir, const char *kind, struct timespec since)
{
    if (changed_file(dir, since))
        return vq_xstrdup(dir);
    DIR *d = opendir(dir);
    struct dirent *e;
    char *hit = NULL;
    while (d && !hit && (e = readdir(d)) != NULL) {
        if (!name_matches(kind, e->d_name))
            continue;
        char *path = vq_path_join(dir, e->d_name);
        if (changed_file(path, since))
            hit = vq_xstrdup(e->d_name);
        free(path);
    }
    if (d)
        closedir(d);
    return hit;
}

/* The name of a file the render read that changed after wall-clock time
 * since (a copy), or NULL. */
static char *changed_since(const watch *w, struct timespec since)
{
    for (size_t i = 0; i < w->path_count; i++) {
        const char *slash = strrchr(w->paths[i], '/');
        const char *name = slash ? slash + 1 : w->paths[i];
        if (is_kind(name)) {
            char *dir = vq_path_dirname(w->paths[i]);
            char *hit = changed_kind(dir, name, since);
            free(dir);
            if (hit)
                return hit;
        } else if (changed_file(w->paths[i], since)) {
            return vq_xstrdup(name);
        }
    }
    return NULL;
}

/* One render with a fresh engine (a changed partial or font must not come
 * from a cache), then the watch list from what it read. A failed render
 * may have stopped before reading the images: the files of the renders
 * since the last good one stay watched too. A file changed while the
 * render ran, before its folder was watched, is returned (a copy): it
 * calls for another render. */
static char *render(watch *w)
{
    const vq_cli_render_command *a = w->args;
    double start = now();
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    char **before = w->paths;
    size_t before_count = w->path_count;
    w->paths = NULL;
    w->path_count = 0;
    vq_set_read_observer(on_read, w);
    vq_error err;
    vq_engine *vq = vq_cli_render_engine(a, &err);
    vq_status s = vq ? vq_cli_render_once(vq, a, &err) : err.status;
    int pages = vq ? vq_engine_page_count(vq) : 0;
    vq_engine_destroy(vq);
    vq_set_read_observer(NULL, NULL);
    for (size_t i = 0; i < before_count; i++) {
        if (s != VQ_OK)
            on_read(before[i], w);
        free(before[i]);
    }
    free(before);
    size_t files = rewatch(w);
    char *stale = changed_since(w, wall);
    if (s == VQ_OK && a->png) {
        /* The pages by name: page-1.png to page-5.png. */
        const char *out = a->common.output, *d = strstr(out, "%d");
        int at = (int)(d - out);
        fprintf(stderr, "varaq watch: wrote %.*s1%s", at, out, d + 2);
        if (pages > 1)
            fprintf(stderr, " to %.*s%d%s", at, out, pages, d + 2);
        fprintf(stderr, " in %.2f s\n", now() - start);
    } else if (s == VQ_OK) {
        fprintf(stderr, "varaq watch: wrote %s: %d page%s in %.2f s\n", a->common.output, pages,
                pages == 1 ? "" : "s", now() - start);
    } else {
        vq_cli_fail(&err);
        fprintf(stderr, "varaq watch: %s not updated; waiting for a change\n", a->common.output);
    }
    if (w->dep_count == 0)
        fprintf(stderr, "varaq watch: error: cannot watch any of the %zu input files: %s\n", files,
                strerror(errno));
    fflush(stderr);
    return stale;
}

/* Reads the pending events; returns the first that names a file the render
 * depends on (a copy), or NULL. An overflowed queue or a watched folder
 * that went away counts as a change. */
static char *relevant_event(watch *w)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    char *hit = NULL;
    ssize_t n;
    while ((n = read(w->fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            p += sizeof *e + e->len;
            if (hit)
                continue;
            /* IN_IGNORED also follows our own inotify_rm_watch: only a
             * folder still in use counts. */
            bool in_use = false;
            for (size_t i = 0; i < w->dep_count && !in_use; i++)
                in_use = w->deps[i].wd == e->wd;
            if ((e->mask & IN_Q_OVERFLOW) || ((e->mask & IN_IGNORED) && in_use)) {
                hit = vq_xstrdup("a watched folder");
                continue;
            }
            for (size_t i = 0; i < w->dep_count && !hit; i++)
                if (w->deps[i].wd == e->wd && e->len && name_matches(w->deps[i].name, e->name))
                    hit = vq_xstrdup(e->name);
        }
    }
    return hit;
}

static int run(int argc, char **argv)
{
    vq_cli_render_command a;
    int rc = vq_cli_render_command_args("watch", HELP, argc, argv, &a);
    if (rc >= 0)
        return rc;
    for (int i = 0; i < a.input_count; i++)
        if (strcmp(a.inputs[i], "-") == 0)
            return vq_cli_usage("watch", "watch reads files: '-' (standard input) cannot be "
                                         "watched");
    if (strcmp(a.common.output, "-") == 0)
        return vq_cli_usage("watch", "-o needs a file: each render replaces it");
    watch w = {.args = &a, .fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)};
    if (w.fd < 0) {
        fprintf(stderr, "varaq watch: error: inotify: %s\n", strerror(errno));
        return VQ_ERR_IO;
    }
    char *changed = render(&w);
    if (w.dep_count == 0)
        return VQ_ERR_IO;
    struct pollfd pfd = {.fd = w.fd, .events = POLLIN};
    for (;;) {
        if (!changed && poll(&pfd, 1, -1) < 0 && errno != EINTR)
            break;
        if (!changed)
            changed = relevant_event(&w);
        if (!changed)
            continue;
        /* An editor's save is several events (write, rename, attributes):
         * wait until the folder has been quiet for 100 ms (at most 2 s: a
         * log written beside the inputs never is). */
        double until = now() + 2;
        while (now() < until && poll(&pfd, 1, 100) > 0)
            free(relevant_event(&w));
        fprintf(stderr, "varaq watch: %s changed\n", changed);
        free(changed);
        changed = render(&w);
    }
    fprintf(stderr, "varaq watch: error: poll: %s\n", strerror(errno));
    return VQ_ERR_IO;
}

const vq_command vq_cmd_watch = {"watch", "render again each time an input changes", HELP, run};
