#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/io.h"

bool vq_buf_try_reserve(vq_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *data = vq_try_realloc(b->data, cap);
    if (!data)
        return false;
    b->data = data;
    b->cap = cap;
    return true;
}

void vq_buf_reserve(vq_buf *b, size_t extra)
{
    if (!vq_buf_try_reserve(b, extra))
        vq_out_of_memory();
}

void vq_buf_append(vq_buf *b, const void *data, size_t len)
{
    vq_buf_reserve(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void vq_buf_append_str(vq_buf *b, const char *s)
{
    vq_buf_append(b, s, strlen(s));
}

void vq_buf_append_char(vq_buf *b, char c)
{
    vq_buf_append(b, &c, 1);
}

void vq_buf_vprintf(vq_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    vq_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void vq_buf_printf(vq_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vq_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void vq_buf_clear(vq_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *vq_buf_steal(vq_buf *b)
{
    char *d = b->data ? b->data : vq_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void vq_buf_free(vq_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
