/* The thread's cancel hook (base/cancel.h). */
#include "base/cancel.h"

#include <stddef.h>

#include "base/alloc.h"

static _Thread_local vq_cancel_fn hook;
static _Thread_local void *hook_user;

void vq_cancel_set(vq_cancel_fn fn, void *user, vq_cancel_fn *prev_fn, void **prev_user)
{
    if (prev_fn)
        *prev_fn = hook;
    if (prev_user)
        *prev_user = hook_user;
    hook = fn;
    hook_user = user;
}

void vq_cancel_poll(void)
{
    if (hook && hook(hook_user) != 0) {
        /* Asked once: the release that follows must not poll again. */
        hook = NULL;
        vq_recover_cancelled();
    }
}
