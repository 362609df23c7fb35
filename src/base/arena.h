/* A bump allocator: a document's nodes and strings live in one arena and
 * are freed at once. */
#ifndef VQ_BASE_ARENA_H
#define VQ_BASE_ARENA_H

#include <stddef.h>

typedef struct vq_arena vq_arena;

vq_arena *vq_arena_create(void);
void vq_arena_destroy(vq_arena *a);
/* Zeroed, aligned for any type; aborts when memory runs out. */
void *vq_arena_alloc(vq_arena *a, size_t size);
char *vq_arena_strndup(vq_arena *a, const char *s, size_t n);
char *vq_arena_strdup(vq_arena *a, const char *s);

#endif
