#include "varaq/error.h"

#include <stdio.h>
#include <string.h>

void vq_error_clear(vq_error *err)
{
    if (!err)
        return;
    err->status = VQ_OK;
    err->file[0] = '\0';
    err->line = 0;
    err->column = 0;
    err->message[0] = '\0';
    err->record = 0;
}

vq_status vq_error_setv(vq_error *err, vq_status status, const char *file, int line, int column,
                        const char *fmt, va_list ap)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    err->record = 0;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return status;
}

vq_status vq_error_set(vq_error *err, vq_status status, const char *file, int line, int column,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vq_error_setv(err, status, file, line, column, fmt, ap);
    va_end(ap);
    return status;
}

static void print_location(FILE *out, const char *file, int line, int column)
{
    if (file && file[0]) {
        fputs(file, out);
        if (line > 0) {
            fprintf(out, ":%d", line);
            if (column > 0)
                fprintf(out, ":%d", column);
        }
        fputs(": ", out);
    }
}

void vq_error_print(const vq_error *err, FILE *out)
{
    print_location(out, err->file, err->line, err->column);
    fprintf(out, "error: %s\n", err->message);
}

static void default_warning(const char *file, int line, int column, const char *message, void *user)
{
    (void)user;
    print_location(stderr, file, line, column);
    fprintf(stderr, "warning: %s\n", message);
}

static vq_warning_handler warning_handler = default_warning;
static void *warning_user;
/* A thread's own handler wins over the process-wide one. */
static _Thread_local vq_warning_handler thread_handler;
static _Thread_local void *thread_user;

void vq_get_thread_warning_handler(vq_warning_handler *handler, void **user)
{
    *handler = thread_handler;
    *user = thread_user;
}

void vq_set_thread_warning_handler(vq_warning_handler handler, void *user)
{
    thread_handler = handler;
    thread_user = handler ? user : NULL;
}

void vq_set_warning_handler(vq_warning_handler handler, void *user)
{
    warning_handler = handler ? handler : default_warning;
    warning_user = user;
}

void vq_warn(const char *file, int line, int column, const char *fmt, ...)
{
    char message[VQ_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (thread_handler)
        thread_handler(file, line, column, message, thread_user);
    else
        warning_handler(file, line, column, message, warning_user);
}

const char *vq_status_string(vq_status status)
{
    switch (status) {
    case VQ_OK:
        return "success";
    case VQ_ERR_INPUT:
        return "bad input";
    case VQ_ERR_USAGE:
        return "usage error";
    case VQ_ERR_IO:
        return "input/output error";
    case VQ_ERR_NOMEM:
        return "out of memory";
    case VQ_ERR_CANCELLED:
        return "cancelled";
    }
    return "unknown status";
}
