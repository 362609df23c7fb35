/* The allocator and the out-of-memory recovery of base/alloc.h.
 *
 * A heap records its blocks in an open-addressing hash set of addresses
 * (linear probing, deletion by shifting back), so vq_free can take any
 * pointer without reading memory around it, and its owner objects on a
 * stack. Outside a heap the functions are malloc and free plus a check. */
#include "base/alloc.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "base/io.h"
#include "varaq/error.h"

#undef free

typedef struct owner {
    void *obj;
    void (*destroy)(void *);
} owner;

struct vq_heap {
    uintptr_t *slots; /* 0 = empty */
    size_t cap;       /* a power of two */
    size_t count;
    owner *owners;
    size_t owner_count, owner_cap;
};

static _Thread_local vq_heap *current_heap;
static _Thread_local vq_oom_point *current_point;
static _Thread_local unsigned long fail_at, made;

/* No stage can go on without the memory it asked for: the outermost API
 * call on this thread gets VQ_ERR_NOMEM; without one the run ends as an
 * input error would, temporary files removed (never abort(): exit 134 and
 * a core file). */
_Noreturn void vq_out_of_memory(void)
{
    vq_oom_point *p = current_point;
    if (p)
        longjmp(p->jump, VQ_RECOVER_NOMEM);
    vq_remove_temp_files();
    static const char msg[] = "varaq: error: out of memory\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
    }
    _exit(VQ_ERR_INPUT);
}

static size_t slot_of(uintptr_t key, size_t cap)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

static bool grow(vq_heap *h)
{
    size_t cap = h->cap ? h->cap * 2 : 1024;
    uintptr_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < h->cap; i++) {
        if (!h->slots[i])
            continue;
        size_t j = slot_of(h->slots[i], cap);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = h->slots[i];
    }
    free(h->slots);
    h->slots = slots;
    h->cap = cap;
    return true;
}

static bool insert(vq_heap *h, void *p)
{
    if ((h->count + 1) * 2 > h->cap && !grow(h))
        return false;
    uintptr_t key = (uintptr_t)p;
    size_t i = slot_of(key, h->cap);
    while (h->slots[i] && h->slots[i] != key)
        i = (i + 1) & (h->cap - 1);
    if (!h->slots[i]) {
        h->slots[i] = key;
        h->count++;
    }
    return true;
}

static bool remove_key(vq_heap *h, void *p)
{
    if (!h->count)
        return false;
    uintptr_t key = (uintptr_t)p;
    size_t mask = h->cap - 1, i = slot_of(key, h->cap);
    while (h->slots[i] != key) {
        if (!h->slots[i])
            return false;
        i = (i + 1) & mask;
    }
    /* Shift back the entries after it that probed past i. */
    for (size_t j = (i + 1) & mask; h->slots[j]; j = (j + 1) & mask) {
        size_t home = slot_of(h->slots[j], h->cap);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            h->slots[i] = h->slots[j];
            i = j;
        }
    }
    h->slots[i] = 0;
    h->count--;
    return true;
}

/* Records a new block (p from malloc), or ends the call when it cannot. */
static void *record(void *p)
{
    if (!p)
        vq_out_of_memory();
    if (current_heap && !insert(current_heap, p)) {
        free(p);
        vq_out_of_memory();
    }
    return p;
}

/* The test hook: counts the allocations made inside a heap. */
static bool injected_failure(void)
{
    if (!current_heap)
        return false;
    made++;
    if (fail_at && made == fail_at) {
        fail_at = 0;
        return true;
    }
    return false;
}

void *vq_xmalloc(size_t n)
{
    return record(injected_failure() ? NULL : malloc(n ? n : 1));
}

void *vq_xcalloc(size_t count, size_t size)
{
    return record(injected_failure() ? NULL : calloc(count ? count : 1, size ? size : 1));
}

void *vq_try_realloc(void *p, size_t n)
{
    if (injected_failure())
        return NULL; /* p stays valid and recorded */
    /* A block made outside the heap stays outside it when it moves. */
    bool recorded = current_heap && (!p || remove_key(current_heap, p));
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        if (recorded && p)
            insert(current_heap, p); /* it was just removed: room is there */
        return NULL;
    }
    if (recorded && !insert(current_heap, q)) {
        free(q);
        return NULL;
    }
    return q;
}

void *vq_xrealloc(void *p, size_t n)
{
    if (!p)
        return vq_xmalloc(n);
    void *q = vq_try_realloc(p, n);
    if (!q)
        vq_out_of_memory();
    return q;
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

void vq_free(void *p)
{
    if (p && current_heap)
        remove_key(current_heap, p);
    free(p);
}

vq_heap *vq_heap_create(void)
{
    return calloc(1, sizeof(vq_heap));
}

void vq_heap_destroy(vq_heap *h)
{
    if (!h)
        return;
    free(h->slots);
    free(h->owners);
    free(h);
}

void vq_heap_release(vq_heap *h)
{
    vq_heap *prev = current_heap;
    current_heap = h; /* the owners' destroy functions free through it */
    while (h->owner_count) {
        owner o = h->owners[--h->owner_count];
        o.destroy(o.obj);
    }
    current_heap = prev;
    for (size_t i = 0; i < h->cap; i++)
        if (h->slots[i])
            free((void *)h->slots[i]);
    memset(h->slots, 0, h->cap * sizeof *h->slots);
    h->count = 0;
}

bool vq_oom_enter(vq_oom_point *point, vq_heap *h)
{
    point->prev_heap = current_heap;
    point->prev = current_point;
    point->outermost = !current_point && h;
    if (point->outermost) {
        current_heap = h;
        current_point = point;
    }
    return point->outermost;
}

void vq_recover_cancelled(void)
{
    if (current_point)
        longjmp(current_point->jump, VQ_RECOVER_CANCELLED);
}

void vq_oom_leave(vq_oom_point *point)
{
    if (!point->outermost)
        return;
    current_heap = point->prev_heap;
    current_point = point->prev;
}

void vq_heap_own(void *obj, void (*destroy)(void *))
{
    vq_heap *h = current_heap;
    if (!h || !obj)
        return;
    if (h->owner_count == h->owner_cap) {
        size_t cap = h->owner_cap ? h->owner_cap * 2 : 64;
        owner *o = realloc(h->owners, cap * sizeof *o);
        if (!o) {
            destroy(obj);
            vq_out_of_memory();
        }
        h->owners = o;
        h->owner_cap = cap;
    }
    h->owners[h->owner_count++] = (owner){obj, destroy};
}

void vq_heap_disown(void *obj)
{
    vq_heap *h = current_heap;
    if (!h || !obj)
        return;
    for (size_t i = h->owner_count; i-- > 0;)
        if (h->owners[i].obj == obj) {
            memmove(h->owners + i, h->owners + i + 1, (h->owner_count - i - 1) * sizeof *h->owners);
            h->owner_count--;
            return;
        }
}

void vq_heap_forget(void *p)
{
    if (p && current_heap)
        remove_key(current_heap, p);
}

void vq_alloc_fail_at(unsigned long n)
{
    fail_at = n ? made + n : 0;
}

unsigned long vq_alloc_count(void)
{
    return made;
}
