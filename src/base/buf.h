/* A growable byte buffer, always NUL-terminated. Allocation failure is
 * handled as base/alloc.h says (VQ_ERR_NOMEM from the public API). */
#ifndef VQ_BASE_BUF_H
#define VQ_BASE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/alloc.h"

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
/* vq_buf_reserve for a library's callback: false when memory ran out. */
bool vq_buf_try_reserve(vq_buf *b, size_t extra);
void vq_buf_append(vq_buf *b, const void *data, size_t len);
void vq_buf_append_str(vq_buf *b, const char *s);
void vq_buf_append_char(vq_buf *b, char c);
void vq_buf_printf(vq_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vq_buf_vprintf(vq_buf *b, const char *fmt, va_list ap);
void vq_buf_clear(vq_buf *b);
/* Hands the bytes to the caller (free() them) and resets b. Never NULL. */
char *vq_buf_steal(vq_buf *b);
void vq_buf_free(vq_buf *b);

#endif
