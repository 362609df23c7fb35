/* Where each byte of an expanded template came from, so that a later stage
 * (the markup parser) can name the template file, line and column of bad
 * text instead of a position in text the user never saw. */
#ifndef VQ_TEMPLATE_SOURCEMAP_H
#define VQ_TEMPLATE_SOURCEMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vq_source_map vq_source_map;

vq_source_map *vq_source_map_create(void);
void vq_source_map_destroy(vq_source_map *m);

/* The template file, line and column (1-based) of the text that produced
 * output byte offset; a byte that came from a data value maps to the tag
 * that inserted it. Returns false when the offset is not covered. */
bool vq_source_map_lookup(const vq_source_map *m, size_t offset, const char **file, int *line,
                          int *column);

#endif
