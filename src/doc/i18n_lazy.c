/* libicui18n through dlopen (see i18n_lazy.h). */
#include "doc/i18n_lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>

#include <unicode/uvernum.h>

/* The library that goes with the ICU varaq was built against (its
 * functions carry that version in their names too). */
#ifndef VQ_ICU_I18N_SONAME
#define VQ_ICU_I18N_SONAME "libicui18n.so." U_ICU_VERSION_SHORT
#endif

#define VQ_NAME_OF(f) #f
#define VQ_SYMBOL_OF(f) VQ_NAME_OF(f) /* after ICU's renaming macro */

static vq_i18n lib;
static bool loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    void *h = dlopen(VQ_ICU_I18N_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
    bool all = true;
#define VQ_I18N_LOAD(f)                                                                            \
    *(void **)&lib.f = dlsym(h, VQ_SYMBOL_OF(f));                                                  \
    all = all && lib.f;
    VQ_I18N_FUNCTIONS(VQ_I18N_LOAD)
#undef VQ_I18N_LOAD
    loaded = all;
}

const vq_i18n *vq_i18n_get(const char **name)
{
    pthread_once(&once, load);
    if (name)
        *name = VQ_ICU_I18N_SONAME;
    return loaded ? &lib : NULL;
}
