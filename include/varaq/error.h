/* varaq — error values shared by every stage.
 *
 * A stage that fails fills a vq_error and returns its status; callers pass it
 * up unchanged and the CLI prints it compiler style:
 *
 *     templates/x/main.mustache:12:5: error: unclosed section 'authors'
 */
#ifndef VARAQ_ERROR_H
#define VARAQ_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the public API: the library is built with hidden visibility, so
 * only what is marked VQ_API is exported (the stages' own functions stay
 * inside libvaraq). */
#ifndef VQ_API
#define VQ_API __attribute__((visibility("default")))
#endif

/* Status codes double as the CLI's exit codes. */
typedef enum vq_status {
    VQ_OK = 0,
    VQ_ERR_INPUT = 1, /* bad template, data, markup or text */
    VQ_ERR_USAGE = 2, /* bad command line or API argument */
    VQ_ERR_IO = 3,    /* a file could not be read or written */
    VQ_ERR_NOMEM = 4,
    VQ_ERR_CANCELLED = 5, /* the render's cancel hook asked it to stop */
} vq_status;

enum { VQ_ERROR_FILE_MAX = 512, VQ_ERROR_MESSAGE_MAX = 1024 };

typedef struct vq_error {
    vq_status status;
    char file[VQ_ERROR_FILE_MAX]; /* empty when the error has no file */
    int line;                     /* 1-based; 0 when unknown */
    int column;                   /* 1-based; 0 when unknown */
    char message[VQ_ERROR_MESSAGE_MAX];
    size_t record; /* 1-based record of a batch the error belongs to; 0 outside one */
} vq_error;

/* Resets err to VQ_OK with no location. */
VQ_API void vq_error_clear(vq_error *err);

/* Fills err (if not NULL) and returns status, so a failing path can end with
 * `return vq_error_set(err, VQ_ERR_INPUT, path, line, col, "…", …);`.
 * file may be NULL; line/column 0 mean unknown. */
VQ_API vq_status vq_error_set(vq_error *err, vq_status status, const char *file, int line,
                              int column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
VQ_API vq_status vq_error_setv(vq_error *err, vq_status status, const char *file, int line,
                               int column, const char *fmt, va_list ap);

/* Writes "file:line:col: error: message\n" (parts that are unknown are left
 * out) to out. */
VQ_API void vq_error_print(const vq_error *err, FILE *out);

/* Warnings do not stop the work; they go to a handler, stderr by default.
 * vq_set_warning_handler sets the process-wide handler (set it before any
 * thread renders); vq_set_thread_warning_handler overrides it for the
 * calling thread only (NULL removes the override), so threads rendering at
 * once can each collect their own warnings. */
typedef void (*vq_warning_handler)(const char *file, int line, int column, const char *message,
                                   void *user);
VQ_API void vq_set_warning_handler(vq_warning_handler handler, void *user);
VQ_API void vq_set_thread_warning_handler(vq_warning_handler handler, void *user);
/* The calling thread's override (NULL, NULL when it has none). */
VQ_API void vq_get_thread_warning_handler(vq_warning_handler *handler, void **user);
VQ_API void vq_warn(const char *file, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

VQ_API const char *vq_status_string(vq_status status);

#ifdef __cplusplus
}
#endif
#endif
