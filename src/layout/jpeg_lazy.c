/* libjpeg and libqrencode through dlopen (see jpeg_lazy.h). */
#include "layout/jpeg_lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>

/* The libraries varaq was built against (CMakeLists.txt reads their
 * sonames). */
#ifndef VQ_JPEG_SONAME
#define VQ_JPEG_SONAME "libjpeg.so.62"
#endif
#ifndef VQ_QRENCODE_SONAME
#define VQ_QRENCODE_SONAME "libqrencode.so.4"
#endif

/* Fills table.f from the library h; all stays true while each is found. */
#define LAY_LOAD(table, f)                                                                         \
    *(void **)&table.f = dlsym(h, #f);                                                             \
    all = all && table.f;
#define LAY_LOAD_JPEG(f) LAY_LOAD(jpeg, f)
#define LAY_LOAD_QR(f) LAY_LOAD(qr, f)

static lay_jpeg jpeg;
static bool jpeg_loaded;
static pthread_once_t jpeg_once = PTHREAD_ONCE_INIT;

static void load_jpeg(void)
{
    void *h = dlopen(VQ_JPEG_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
    bool all = true;
    LAY_JPEG_FUNCTIONS(LAY_LOAD_JPEG)
    jpeg_loaded = all;
}

const lay_jpeg *lay_jpeg_get(const char **name)
{
    pthread_once(&jpeg_once, load_jpeg);
    if (name)
        *name = VQ_JPEG_SONAME;
    return jpeg_loaded ? &jpeg : NULL;
}

static lay_qr qr;
static bool qr_loaded;
static pthread_once_t qr_once = PTHREAD_ONCE_INIT;

static void load_qr(void)
{
    void *h = dlopen(VQ_QRENCODE_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
    bool all = true;
    LAY_QR_FUNCTIONS(LAY_LOAD_QR)
    qr_loaded = all;
}

const lay_qr *lay_qr_get(const char **name)
{
    pthread_once(&qr_once, load_qr);
    if (name)
        *name = VQ_QRENCODE_SONAME;
    return qr_loaded ? &qr : NULL;
}
