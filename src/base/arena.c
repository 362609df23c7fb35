#include "base/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

typedef struct arena_block {
    struct arena_block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
} arena_block;

struct vq_arena {
    arena_block *head;
};

enum { ARENA_BLOCK_SIZE = 64 * 1024 };

vq_arena *vq_arena_create(void)
{
    return vq_xcalloc(1, sizeof(vq_arena));
}

void vq_arena_destroy(vq_arena *a)
{
    if (!a)
        return;
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *vq_arena_alloc(vq_arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE;
        b = vq_xmalloc(sizeof *b + cap);
        b->size = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *vq_arena_strndup(vq_arena *a, const char *s, size_t n)
{
    char *d = vq_arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *vq_arena_strdup(vq_arena *a, const char *s)
{
    return vq_arena_strndup(a, s, strlen(s));
}
