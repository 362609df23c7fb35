/* Memory, and what running out of it does.
 *
 * Every allocation in varaq goes through vq_xmalloc and friends, and every
 * free through vq_free (this header turns free() into vq_free for every file
 * that includes it). When an allocation fails:
 *
 *  - inside a public API call (an engine's render), the call returns
 *    VQ_ERR_NOMEM. The engine keeps a heap (vq_heap) that records every
 *    block and every owner object (an ICU, HarfBuzz, Cairo or expat handle
 *    wrapped in a varaq object) made on its behalf; the failing allocation
 *    jumps back to the recovery point the outermost API call set
 *    (vq_oom_enter + setjmp), which releases them all: nothing leaks, and
 *    the engine, its caches emptied, can render again.
 *  - anywhere else (the CLI's own code, a stage used alone) the process ends
 *    with status 1 after removing temporary output files (never abort()).
 *
 * The jump crosses only varaq's frames and the libraries' callbacks into
 * them (expat's handlers): no varaq code holds a lock while it allocates. */
#ifndef VQ_BASE_ALLOC_H
#define VQ_BASE_ALLOC_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

void *vq_xmalloc(size_t n);
void *vq_xcalloc(size_t count, size_t size);
void *vq_xrealloc(void *p, size_t n);
char *vq_xstrdup(const char *s);
char *vq_xstrndup(const char *s, size_t n);
/* For a callback a library calls (Cairo's write function): NULL on failure
 * instead of the jump, which must not cross the library's frames; the
 * varaq code the library returns to then calls vq_out_of_memory. */
void *vq_try_realloc(void *p, size_t n);
/* Ends the call as a failed allocation does, for a library that reported
 * running out of memory (CAIRO_STATUS_NO_MEMORY). */
_Noreturn void vq_out_of_memory(void);
/* free() for any pointer, varaq's or a library's: forgets a recorded block. */
void vq_free(void *p);
#define free(p) vq_free(p)

typedef struct vq_heap vq_heap;
/* NULL when even that fails. */
vq_heap *vq_heap_create(void);
/* Forgets its records (frees nothing they name) and the heap. */
void vq_heap_destroy(vq_heap *h);
/* Destroys the owner objects (last recorded first), then frees every
 * recorded block; the heap is empty afterwards. */
void vq_heap_release(vq_heap *h);

/* A recovery point. vq_oom_enter makes h the calling thread's heap and
 * returns true when this is the outermost point on the thread: the caller
 * then calls setjmp(point->jump) and handles a return of 1 as "out of
 * memory" (release the heap, return VQ_ERR_NOMEM). vq_oom_leave restores
 * the thread's previous heap and point. */
typedef struct vq_oom_point {
    jmp_buf jump;
    vq_heap *prev_heap;
    struct vq_oom_point *prev;
    bool outermost;
} vq_oom_point;
bool vq_oom_enter(vq_oom_point *point, vq_heap *h);
void vq_oom_leave(vq_oom_point *point);
/* Ends the call at the thread's recovery point as cancelled: its setjmp
 * returns VQ_RECOVER_CANCELLED (1 is out of memory), and everything the
 * heap recorded is released as for out of memory. Does nothing outside a
 * recovery point. Callers make sure only varaq frames lie between (see
 * base/cancel.h). */
enum { VQ_RECOVER_NOMEM = 1, VQ_RECOVER_CANCELLED = 2 };
void vq_recover_cancelled(void);

/* Records obj, to be destroyed with destroy(obj) if the heap is released
 * before vq_heap_disown(obj) (call it where obj is destroyed normally).
 * Both do nothing outside a heap. */
void vq_heap_own(void *obj, void (*destroy)(void *));
void vq_heap_disown(void *obj);
/* Hands a recorded block to the library's caller (who frees it). */
void vq_heap_forget(void *p);

/* For tests: the n-th recorded allocation from now on fails (0: none);
 * vq_alloc_count is how many recorded allocations were made. */
void vq_alloc_fail_at(unsigned long n);
unsigned long vq_alloc_count(void);

#endif
