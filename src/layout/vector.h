/* Figures drawn as vectors: QR codes (libqrencode, one filled square per
 * dark module, merged into row runs) and SVG images (librsvg renders the
 * document's paths into the PDF as paths). */
#ifndef VQ_LAYOUT_VECTOR_H
#define VQ_LAYOUT_VECTOR_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "fonts/fonts.h"

typedef struct lay_vector lay_vector;

/* A QR code of text at error correction M, with the 4-module quiet zone;
 * NULL with a message in why when it cannot be made. */
lay_vector *lay_vector_qr(const char *text, char *why, size_t why_size);
/* An SVG file's bytes (read, within the allowed folders, when the markup
 * was parsed); NULL with a message in why when librsvg cannot read it.
 * Without a base file librsvg loads nothing the SVG refers to. Its text is
 * drawn with fonts' faces only (fonts must outlive v). */
lay_vector *lay_vector_svg(const unsigned char *data, size_t len, const vq_font_registry *fonts,
                           char *why, size_t why_size);
void lay_vector_free(lay_vector *v);

/* The natural size in pt (a QR code's is 1 × 1: it takes the size asked). */
void lay_vector_size(const lay_vector *v, double *width, double *height);
/* The QR code's modules across, quiet zone included (0 for an SVG). */
int lay_vector_modules(const lay_vector *v);

/* Draws v into the box at x, y of width × height pt. */
void lay_vector_draw(const lay_vector *v, cairo_t *cr, double x, double y, double width,
                     double height);

#endif
