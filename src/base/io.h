/* Reading whole files and writing them atomically. */
#ifndef VQ_BASE_IO_H
#define VQ_BASE_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "varaq/error.h"

/* Reads the whole file (or stdin when path is "-") into a NUL-terminated
 * buffer. On failure returns NULL and sets err to VQ_ERR_IO with a message
 * such as "cannot open file: No such file or directory" located at path. */
char *vq_read_file(const char *path, size_t *len, vq_error *err);

/* An output file that appears only when committed: bytes go to a temporary
 * file beside the target, and vq_atomic_commit renames it over the target.
 * vq_atomic_abort (or a failed commit) removes the temporary file, so a
 * failed run leaves no partial file and keeps an older one intact. The path
 * "-" writes to stdout directly. */
typedef struct vq_atomic_file vq_atomic_file;

vq_atomic_file *vq_atomic_open(const char *path, vq_error *err);
/* The stream to write to; valid until commit or abort. */
void *vq_atomic_stream(vq_atomic_file *f);                /* FILE * */
const char *vq_atomic_temp_path(const vq_atomic_file *f); /* NULL for stdout */
vq_status vq_atomic_commit(vq_atomic_file *f, vq_error *err);
void vq_atomic_abort(vq_atomic_file *f);

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
