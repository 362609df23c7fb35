/* What the fuzz targets share: a temporary folder for the files an input
 * is written to, and a warning handler that keeps the run quiet. */
#ifndef VQ_FUZZ_COMMON_H
#define VQ_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "base/io.h"

/* A new folder $TMPDIR/vq-fuzz-NAME-XXXXXX (the caller frees the path);
 * the run aborts when it cannot be made. */
static inline char *fuzz_temp_dir(const char *name)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir;
    char pattern[64];
    snprintf(pattern, sizeof pattern, "vq-fuzz-%s-XXXXXX", name);
    char *dir = vq_path_join(tmp, pattern);
    if (!mkdtemp(dir))
        abort();
    return dir;
}

static inline void fuzz_no_warning(const char *file, int line, int column, const char *message,
                                   void *user)
{
    (void)file;
    (void)line;
    (void)column;
    (void)message;
    (void)user;
}

#endif
