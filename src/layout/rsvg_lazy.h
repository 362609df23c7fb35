/* librsvg, loaded when the first SVG figure is read rather than linked:
 * linked, it brings GLib, GIO, Pango, libxml2 and some thirty more
 * libraries into every varaq process (about 11 million instructions of
 * symbol relocation and 4 MiB of memory before main), though few
 * documents have an SVG figure. Include after <librsvg/rsvg.h>: the calls
 * below go through the loaded library. When it cannot be loaded,
 * rsvg_handle_new_from_data returns NULL and no GError. */
#ifndef VQ_LAYOUT_RSVG_LAZY_H
#define VQ_LAYOUT_RSVG_LAZY_H

#include <librsvg/rsvg.h>

#include "fonts/fonts.h"

RsvgHandle *vq_rsvg_handle_new_from_data(const guint8 *data, gsize len, GError **error);
void vq_rsvg_handle_set_dpi(RsvgHandle *h, double dpi);
gboolean vq_rsvg_handle_get_intrinsic_size_in_pixels(RsvgHandle *h, gdouble *w, gdouble *height);
void vq_rsvg_handle_get_intrinsic_dimensions(RsvgHandle *h, gboolean *has_w, RsvgLength *w,
                                             gboolean *has_h, RsvgLength *height, gboolean *has_vb,
                                             RsvgRectangle *vb);
gboolean vq_rsvg_handle_render_document(RsvgHandle *h, cairo_t *cr, const RsvgRectangle *viewport,
                                        GError **error);
void vq_g_object_unref(gpointer obj);
/* Makes SVG text drawn on this thread use exactly reg's fonts (the bundled
 * ones, --font-path, $VARAQ_FONT_PATH) instead of the system's: the output
 * never depends on the fonts the machine has installed. Cheap when this
 * thread already uses them. */
void vq_rsvg_use_fonts(const vq_font_registry *reg);
void vq_g_error_free(GError *error);

#define rsvg_handle_new_from_data vq_rsvg_handle_new_from_data
#define rsvg_handle_set_dpi vq_rsvg_handle_set_dpi
#define rsvg_handle_get_intrinsic_size_in_pixels vq_rsvg_handle_get_intrinsic_size_in_pixels
#define rsvg_handle_get_intrinsic_dimensions vq_rsvg_handle_get_intrinsic_dimensions
#define rsvg_handle_render_document vq_rsvg_handle_render_document
#define g_object_unref vq_g_object_unref
#define g_error_free vq_g_error_free

#endif
