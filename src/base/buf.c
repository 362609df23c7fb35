#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/io.h"

/* No stage can go on without the memory it asked for; the limits
 * (docs/limits.md) keep ordinary input far from this. The run ends as an
 * input error would: temporary files removed, exit status 1, never abort()
 * (exit 134 and a core file). */
static void out_of_memory(void)
{
    vq_remove_temp_files();
    static const char msg[] = "varaq: error: out of memory\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
    }
    _exit(VQ_ERR_INPUT);
}

void *vq_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *vq_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *vq_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *vq_xstrndup(const char *s, size_t n)
{
    char *d = vq_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *vq_xstrdup(const char *s)
{
    return vq_xstrndup(s, strlen(s));
}

void vq_buf_reserve(vq_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = vq_xrealloc(b->data, cap);
    b->cap = cap;
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
