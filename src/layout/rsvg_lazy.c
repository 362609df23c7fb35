/* librsvg through dlopen (see rsvg_lazy.h). */
#include "layout/rsvg_lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>

#ifndef VQ_RSVG_SONAME
#define VQ_RSVG_SONAME "librsvg-2.so.2"
#endif

static struct {
    bool ok;
    RsvgHandle *(*new_from_data)(const guint8 *, gsize, GError **);
    void (*set_dpi)(RsvgHandle *, double);
    gboolean (*size_in_pixels)(RsvgHandle *, gdouble *, gdouble *);
    void (*dimensions)(RsvgHandle *, gboolean *, RsvgLength *, gboolean *, RsvgLength *, gboolean *,
                       RsvgRectangle *);
    gboolean (*render_document)(RsvgHandle *, cairo_t *, const RsvgRectangle *, GError **);
    void (*object_unref)(gpointer);
    void (*error_free)(GError *);
} lib;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *sym(void *h, const char *name)
{
    void *f = dlsym(h, name);
    if (!f && lib.ok)
        lib.ok = false;
    return f;
}

static void load(void)
{
    void *h = dlopen(VQ_RSVG_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
    lib.ok = true;
    /* GLib's functions come from librsvg's own dependencies. */
    *(void **)&lib.new_from_data = sym(h, "rsvg_handle_new_from_data");
    *(void **)&lib.set_dpi = sym(h, "rsvg_handle_set_dpi");
    *(void **)&lib.size_in_pixels = sym(h, "rsvg_handle_get_intrinsic_size_in_pixels");
    *(void **)&lib.dimensions = sym(h, "rsvg_handle_get_intrinsic_dimensions");
    *(void **)&lib.render_document = sym(h, "rsvg_handle_render_document");
    *(void **)&lib.object_unref = sym(h, "g_object_unref");
    *(void **)&lib.error_free = sym(h, "g_error_free");
}

RsvgHandle *vq_rsvg_handle_new_from_data(const guint8 *data, gsize len, GError **error)
{
    pthread_once(&once, load);
    if (!lib.ok) {
        /* No GLib to make a GError with: the caller says librsvg cannot
         * read the file. */
        *error = NULL;
        return NULL;
    }
    return lib.new_from_data(data, len, error);
}

void vq_rsvg_handle_set_dpi(RsvgHandle *h, double dpi)
{
    lib.set_dpi(h, dpi);
}

gboolean vq_rsvg_handle_get_intrinsic_size_in_pixels(RsvgHandle *h, gdouble *w, gdouble *height)
{
    return lib.size_in_pixels(h, w, height);
}

void vq_rsvg_handle_get_intrinsic_dimensions(RsvgHandle *h, gboolean *has_w, RsvgLength *w,
                                             gboolean *has_h, RsvgLength *height, gboolean *has_vb,
                                             RsvgRectangle *vb)
{
    lib.dimensions(h, has_w, w, has_h, height, has_vb, vb);
}

gboolean vq_rsvg_handle_render_document(RsvgHandle *h, cairo_t *cr, const RsvgRectangle *viewport,
                                        GError **error)
{
    return lib.render_document(h, cr, viewport, error);
}

void vq_g_object_unref(gpointer obj)
{
    lib.object_unref(obj);
}

void vq_g_error_free(GError *error)
{
    lib.error_free(error);
}
