/* librsvg through dlopen (see rsvg_lazy.h). */
#include "layout/rsvg_lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"

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

/* Pango and fontconfig, from librsvg's own dependencies (their types are
 * opaque here: varaq has no other use for them). Without them SVG text
 * falls back to fontconfig's system fonts. */
static struct {
    bool ok;
    void *(*config_create)(void);
    int (*config_add_file)(void *config, const unsigned char *file);
    int (*config_parse)(void *config, const unsigned char *xml, int complain);
    void (*config_destroy)(void *config);
    void *(*map_new)(cairo_font_type_t type);
    void (*map_set_config)(void *map, void *config);
    void (*map_set_default)(void *map);
} fc;

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
    *(void **)&fc.config_create = dlsym(h, "FcConfigCreate");
    *(void **)&fc.config_add_file = dlsym(h, "FcConfigAppFontAddFile");
    *(void **)&fc.config_parse = dlsym(h, "FcConfigParseAndLoadFromMemory");
    *(void **)&fc.config_destroy = dlsym(h, "FcConfigDestroy");
    *(void **)&fc.map_new = dlsym(h, "pango_cairo_font_map_new_for_font_type");
    *(void **)&fc.map_set_config = dlsym(h, "pango_fc_font_map_set_config");
    *(void **)&fc.map_set_default = dlsym(h, "pango_cairo_font_map_set_default");
    fc.ok = lib.ok && fc.config_create && fc.config_add_file && fc.config_parse &&
            fc.config_destroy && fc.map_new && fc.map_set_config && fc.map_set_default;
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

/* The fonts of this thread's default Pango font map (librsvg draws text
 * with it; Pango keeps one per thread), as a hash of reg's files and
 * default families; 0 = the system's. */
static _Thread_local uint64_t thread_fonts;

/* A fontconfig configuration whose only fonts are reg's files: every family
 * an SVG asks for is followed by the registry's defaults (Latin, then
 * Persian), so text in a family the fonts lack, or in none (librsvg's
 * default is Times New Roman), is drawn as varaq draws it. */
static void *make_config(const vq_font_registry *reg, const char *latin, const char *persian)
{
    void *config = fc.config_create();
    if (!config)
        return NULL;
    vq_buf xml = VQ_BUF_INIT;
    vq_buf_append_str(&xml, "<?xml version=\"1.0\"?>\n<fontconfig><match target=\"pattern\">");
    const char *families[2] = {latin, persian};
    for (size_t i = 0; i < 2; i++) {
        if (!families[i] || (i == 1 && latin && strcmp(latin, persian) == 0))
            continue;
        vq_buf_append_str(&xml, "<edit name=\"family\" mode=\"append_last\" "
                                "binding=\"strong\"><string>");
        for (const char *c = families[i]; *c; c++) {
            if (*c == '<')
                vq_buf_append_str(&xml, "&lt;");
            else if (*c == '&')
                vq_buf_append_str(&xml, "&amp;");
            else
                vq_buf_append_char(&xml, *c);
        }
        vq_buf_append_str(&xml, "</string></edit>");
    }
    vq_buf_append_str(&xml, "</match></fontconfig>\n");
    bool ok = fc.config_parse(config, (const unsigned char *)xml.data, 1);
    vq_buf_free(&xml);
    for (size_t i = 0; ok && i < vq_font_registry_face_count(reg); i++) {
        const char *path = vq_face_path(vq_font_registry_face(reg, i));
        if (i == 0 || strcmp(path, vq_face_path(vq_font_registry_face(reg, i - 1))) != 0)
            ok = fc.config_add_file(config, (const unsigned char *)path);
    }
    if (!ok) {
        fc.config_destroy(config);
        return NULL;
    }
    return config;
}

void vq_rsvg_use_fonts(const vq_font_registry *reg)
{
    pthread_once(&once, load);
    if (!fc.ok || !reg)
        return;
    const char *latin = vq_font_default_family(reg, "en");
    const char *persian = vq_font_default_family(reg, "fa");
    uint64_t key = VQ_HASH_SEED;
    for (size_t i = 0; i < vq_font_registry_face_count(reg); i++) {
        const char *path = vq_face_path(vq_font_registry_face(reg, i));
        key = vq_hash_bytes(key, path, strlen(path) + 1);
    }
    key = vq_hash_bytes(key, latin ? latin : "", latin ? strlen(latin) + 1 : 1);
    key = vq_hash_bytes(key, persian ? persian : "", persian ? strlen(persian) + 1 : 1);
    if (key == thread_fonts)
        return;
    void *config = make_config(reg, latin, persian);
    void *map = config ? fc.map_new(CAIRO_FONT_TYPE_FT) : NULL;
    if (map) {
        fc.map_set_config(map, config); /* the map takes its own reference */
        fc.map_set_default(map);        /* and the thread one on the map */
        lib.object_unref(map);
        thread_fonts = key;
    }
    if (config)
        fc.config_destroy(config);
}
