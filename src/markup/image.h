/* A first look at a figure's image: is it a PNG or JPEG that can be read,
 * and how large is it. Decoding is left to the renderer. */
#ifndef VQ_MARKUP_IMAGE_H
#define VQ_MARKUP_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/io.h"

/* An image file may hold at most this many bytes. */
#define VQ_MAX_IMAGE_BYTES ((size_t)32 << 20)
/* Pixels (width × height) an image may declare unless the caller sets
 * another limit: 50 megapixels decode to 200 MB. */
#define VQ_DEFAULT_MAX_PIXELS 50e6

/* Reads path (only inside roots, see vq_read_file_in), checks that it is a
 * whole PNG or JPEG of at most max_pixels (0 = the default), and fills
 * width/height (pixels), type ("png", "jpeg") and the file's bytes
 * (malloc'd: the caller frees them). On failure returns false and writes
 * a message naming path into msg. */
bool vq_image_probe(const char *path, const vq_roots *roots, double max_pixels, int *width,
                    int *height, const char **type, unsigned char **bytes, size_t *size, char *msg,
                    size_t msg_cap);

#endif
