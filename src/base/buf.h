/* A growable byte buffer, always NUL-terminated. Allocation failure ends
 * the process with status 1 after removing temporary output files (never
 * abort()): varaq treats out-of-memory as fatal, like most text tools, and
 * bounds its inputs so that it stays rare (docs/limits.md). */
#ifndef VQ_BASE_BUF_H
#define VQ_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct vq_buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} vq_buf;

#define VQ_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void vq_buf_reserve(vq_buf *b, size_t extra);
void vq_buf_append(vq_buf *b, const void *data, size_t len);
void vq_buf_append_str(vq_buf *b, const char *s);
void vq_buf_append_char(vq_buf *b, char c);
void vq_buf_printf(vq_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vq_buf_vprintf(vq_buf *b, const char *fmt, va_list ap);
void vq_buf_clear(vq_buf *b);
/* Hands the bytes to the caller (free() them) and resets b. Never NULL. */
char *vq_buf_steal(vq_buf *b);
void vq_buf_free(vq_buf *b);

/* malloc/calloc/realloc/strdup that end the process (status 1) on failure. */
void *vq_xmalloc(size_t n);
void *vq_xcalloc(size_t count, size_t size);
void *vq_xrealloc(void *p, size_t n);
char *vq_xstrdup(const char *s);
char *vq_xstrndup(const char *s, size_t n);

#endif
