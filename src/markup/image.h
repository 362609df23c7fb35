/* A first look at a figure's image: is it a PNG or JPEG that can be read,
 * and how large is it. Decoding is left to the renderer. */
#ifndef VQ_MARKUP_IMAGE_H
#define VQ_MARKUP_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

/* Fills width/height (pixels) and type ("png", "jpeg"). On failure returns
 * false and writes a message naming path into msg. */
bool vq_image_probe(const char *path, int *width, int *height, const char **type, char *msg,
                    size_t msg_cap);

#endif
