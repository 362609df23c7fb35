/* Cancelling a render (vq_render_options.cancel).
 *
 * The engine sets the thread's hook for the length of one public call; the
 * stages poll it where a render can stop cleanly: before each paragraph is
 * broken into lines (text/linebreak.c), at each new page (render/canvas.c)
 * and between the engine's own steps. There only varaq frames lie between
 * the poll and the call's recovery point (base/alloc.h), no lock is held
 * and every object made so far is recorded by the engine's heap, so a hook
 * that answers non-zero ends the call as running out of memory does: all
 * of it released, nothing written, VQ_ERR_CANCELLED. */
#ifndef VQ_BASE_CANCEL_H
#define VQ_BASE_CANCEL_H

typedef int (*vq_cancel_fn)(void *user);

/* Sets the calling thread's hook (NULL: none) and returns the previous
 * one's user through *prev_fn / *prev_user, to be put back after. */
void vq_cancel_set(vq_cancel_fn fn, void *user, vq_cancel_fn *prev_fn, void **prev_user);
/* Asks the thread's hook, if any; when it answers non-zero the call ends
 * at its recovery point (vq_recover_cancelled). */
void vq_cancel_poll(void);

#endif
