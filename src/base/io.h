/* Reading whole files and writing them atomically. */
#ifndef VQ_BASE_IO_H
#define VQ_BASE_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "base/alloc.h" /* callers free what it returns with vq_free */
#include "varaq/error.h"

/* The most bytes any one input file may hold (data, markup, templates,
 * images, fonts); larger files are refused before they are read. */
#define VQ_MAX_INPUT_BYTES ((size_t)64 << 20)

/* Reads the whole file (or stdin when path is "-") into a NUL-terminated
 * buffer. On failure returns NULL and sets err to VQ_ERR_IO with a message
 * such as "cannot open file: No such file or directory" located at path.
 * Only regular files (and stdin) are read, never a device or FIFO, and at
 * most VQ_MAX_INPUT_BYTES. */
char *vq_read_file(const char *path, size_t *len, vq_error *err);

/* The files a thread's render depends on (varaq watch re-renders when one
 * changes): fn sees each path vq_read_file or vq_read_file_in is asked to
 * read, found or not, and each path looked for with vq_observe_path (a
 * partial that may appear later). A path whose last part is "*.ext"
 * stands for every file of that extension in the folder (a font folder
 * read is two: "*.otf" and "*.ttf" in it). Per thread; fn NULL stops it. */
typedef void (*vq_read_observer)(const char *path, void *user);
void vq_set_read_observer(vq_read_observer fn, void *user);
void vq_observe_path(const char *path);

/* The folders that files named inside data or templates may come from
 * (each kept as its real path, symlinks resolved). */
typedef struct vq_roots {
    char *dirs[8];
    size_t n;
} vq_roots;
/* Adds dir (ignored when it does not exist or the list is full). */
void vq_roots_add(vq_roots *r, const char *dir);
void vq_roots_free(vq_roots *r);
/* The message every refused or missing confined file gets: it says nothing
 * about whether the file exists or what it is. */
#define VQ_CONFINED_MISSING "no such file inside the allowed folders"

/* Reads path like vq_read_file, but only when its real location (after
 * every symlink, checked on the open descriptor, so a swapped link cannot
 * escape) lies inside one of roots, it is a regular file, and it holds at
 * most max bytes. A missing file or one outside gets the one message
 * VQ_CONFINED_MISSING (VQ_ERR_INPUT); a folder or FIFO inside, "cannot
 * read file: …" (VQ_ERR_IO); too large, "larger than the limit of N MB". */
char *vq_read_file_in(const char *path, const vq_roots *roots, size_t max, size_t *len,
                      vq_error *err);

/* An output file that appears only when committed: bytes go to a temporary
 * file beside the target, and vq_atomic_commit renames it over the target.
 * vq_atomic_abort (or a failed commit) removes the temporary file, so a
 * failed run leaves no partial file and keeps an older one intact. The path
 * "-" writes to stdout directly. */
typedef struct vq_atomic_file vq_atomic_file;

/* Refuses a target that exists and is not a regular file (a device, FIFO,
 * folder) and a dangling symlink; a symlink to a regular file is written
 * through (its target is replaced). For "-" the bytes are kept in an
 * unnamed temporary file and copied to stdout only at commit, so a failed
 * run writes nothing there either. */
vq_atomic_file *vq_atomic_open(const char *path, vq_error *err);
/* The stream to write to; valid until commit or abort. */
void *vq_atomic_stream(vq_atomic_file *f);                /* FILE * */
const char *vq_atomic_temp_path(const vq_atomic_file *f); /* NULL for stdout */
vq_status vq_atomic_commit(vq_atomic_file *f, vq_error *err);
void vq_atomic_abort(vq_atomic_file *f);

/* Temporary files are registered so that vq_remove_temp_files (called by
 * the signal handlers vq_install_cleanup_handlers sets for SIGINT, SIGTERM,
 * SIGHUP, and on running out of memory) removes them; a PNG page set
 * registers its pattern (pages 1, 2, … up to the first missing one).
 * vq_remove_temp_files is async-signal-safe. SIGKILL cannot be caught. */
void vq_install_cleanup_handlers(void);
void vq_remove_temp_files(void);
int vq_temp_register(const char *path);            /* slot, or -1 when full */
int vq_temp_register_pattern(const char *pattern); /* one %d */
void vq_temp_unregister(int slot);

/* dir/.NAME.TAG-PID for path dir/NAME: a hidden name in the same folder
 * (so rename(2) over path is atomic) that no other process uses. */
char *vq_hidden_sibling(const char *path, const char *tag);

/* Replaces the PNG page set `pattern` (its pages 1, 2, … up to the first
 * missing one) with the `pages` pages drawn under temp_pattern (same folder
 * and one %d): as one output, as far as rename(2) allows. The old pages are
 * hard-linked to backups first; a failed rename puts back every page
 * already replaced, so a failed commit leaves the old set intact. Pages are
 * replaced from the last to the first (old pages past the new count go
 * first), so page 1 changes last. The temporary pages are gone afterwards,
 * whatever the outcome. */
vq_status vq_page_set_commit(const char *temp_pattern, const char *pattern, int pages,
                             vq_error *err);

/* Refuses an output that is not a regular file when it exists (or a folder
 * for its parent): message at path, VQ_ERR_IO. */
vq_status vq_check_output_path(const char *path, vq_error *err);
/* True when a and b name the same existing file. */
bool vq_same_file(const char *a, const char *b);

/* Writes len bytes to path atomically. */
vq_status vq_write_file_atomic(const char *path, const void *data, size_t len, vq_error *err);

/* The folder part of path ("." when it has none); caller frees. */
char *vq_path_dirname(const char *path);
/* Joins a folder and a name with one '/'; caller frees. */
char *vq_path_join(const char *dir, const char *name);
bool vq_path_exists(const char *path);
/* path relative to the current folder when it lies inside it (messages
 * then name "build/templates/x.mustache", not a long absolute path), else
 * a copy of path; caller frees. */
char *vq_path_shorten(const char *path);
/* The folder holding the running executable ("." if unknown); caller frees. */
char *vq_exe_dir(void);
/* The folder holding the bundled fonts/ and templates/: the executable's
 * folder when fonts/ is beside it, else PREFIX/share/varaq for a program in
 * PREFIX/bin; caller frees. */
char *vq_default_data_dir(void);

#endif
