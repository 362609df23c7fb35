/* libmicrohttpd through dlopen (see mhd_lazy.h). */
#include "cli/mhd_lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#ifndef VQ_MHD_SONAME
#define VQ_MHD_SONAME "libmicrohttpd.so.12"
#endif

static struct {
    bool ok;
    struct MHD_Daemon *(*start_va)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
                                   MHD_AccessHandlerCallback, void *, va_list);
    void (*stop)(struct MHD_Daemon *);
    MHD_socket (*quiesce)(struct MHD_Daemon *);
    const union MHD_DaemonInfo *(*info)(struct MHD_Daemon *, enum MHD_DaemonInfoType, ...);
    const char *(*lookup)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
    enum MHD_Result (*queue)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
    struct MHD_Response *(*create)(size_t, void *, enum MHD_ResponseMemoryMode);
    void (*destroy)(struct MHD_Response *);
    enum MHD_Result (*add_header)(struct MHD_Response *, const char *, const char *);
} lib;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *sym(void *h, const char *name)
{
    void *f = dlsym(h, name);
    if (!f)
        lib.ok = false;
    return f;
}

static void load(void)
{
    void *h = dlopen(VQ_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        fprintf(stderr, "varaq serve: error: %s\n", e ? e : "cannot load " VQ_MHD_SONAME);
        return;
    }
    lib.ok = true;
    *(void **)&lib.start_va = sym(h, "MHD_start_daemon_va");
    *(void **)&lib.stop = sym(h, "MHD_stop_daemon");
    *(void **)&lib.quiesce = sym(h, "MHD_quiesce_daemon");
    *(void **)&lib.info = sym(h, "MHD_get_daemon_info");
    *(void **)&lib.lookup = sym(h, "MHD_lookup_connection_value");
    *(void **)&lib.queue = sym(h, "MHD_queue_response");
    *(void **)&lib.create = sym(h, "MHD_create_response_from_buffer");
    *(void **)&lib.destroy = sym(h, "MHD_destroy_response");
    *(void **)&lib.add_header = sym(h, "MHD_add_response_header");
    if (!lib.ok)
        fprintf(stderr, "varaq serve: error: %s lacks a function varaq needs\n", VQ_MHD_SONAME);
}

struct MHD_Daemon *vq_mhd_start_daemon(unsigned int flags, uint16_t port,
                                       MHD_AcceptPolicyCallback apc, void *apc_cls,
                                       MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    pthread_once(&once, load);
    if (!lib.ok)
        return NULL;
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d = lib.start_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

void vq_mhd_stop_daemon(struct MHD_Daemon *d)
{
    lib.stop(d);
}

MHD_socket vq_mhd_quiesce_daemon(struct MHD_Daemon *d)
{
    return lib.quiesce(d);
}

const union MHD_DaemonInfo *vq_mhd_get_daemon_info(struct MHD_Daemon *d,
                                                   enum MHD_DaemonInfoType type)
{
    return lib.info(d, type);
}

const char *vq_mhd_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
                                           const char *key)
{
    return lib.lookup(c, kind, key);
}

enum MHD_Result vq_mhd_queue_response(struct MHD_Connection *c, unsigned int status,
                                      struct MHD_Response *r)
{
    return lib.queue(c, status, r);
}

struct MHD_Response *vq_mhd_create_response_from_buffer(size_t size, void *buffer,
                                                        enum MHD_ResponseMemoryMode mode)
{
    return lib.create(size, buffer, mode);
}

void vq_mhd_destroy_response(struct MHD_Response *r)
{
    lib.destroy(r);
}

enum MHD_Result vq_mhd_add_response_header(struct MHD_Response *r, const char *header,
                                           const char *content)
{
    return lib.add_header(r, header, content);
}
