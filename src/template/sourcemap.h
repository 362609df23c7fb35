/* Where each byte of an expanded template came from, so that a later stage
 * (the markup parser) can name the template file, line and column of bad
 * text instead of a position in text the user never saw. */
#ifndef VQ_TEMPLATE_SOURCEMAP_H
#define VQ_TEMPLATE_SOURCEMAP_H

#include <jansson.h>
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

/* Building a map (the template renderer does this; tests may too). */

/* Output from offset on came from file:line:column. A text range advances
 * through the template text with the output (so a byte inside it maps to its
 * own position); a value range maps every byte to the tag. Offsets must not
 * decrease. The map keeps its own copy of file. */
void vq_source_map_add(vq_source_map *m, size_t offset, const char *file, int line, int column,
                       bool text);
/* A value range (text false) that came from the data value `value`, so
 * that an error about that text can also name its place in the data file
 * (vq_source_map_data_place). */
void vq_source_map_add_value(vq_source_map *m, size_t offset, const char *file, int line,
                             int column, const json_t *value);
/* The data the values came from: its top value, its file's name (copied)
 * and JSON text. root and text are kept by reference and must outlive the
 * lookups. */
void vq_source_map_set_data(vq_source_map *m, const json_t *root, const char *name,
                            const char *text, size_t len);
/* The data file, line and column of the value that output byte offset came
 * from; false when it came from the template or the data's text is
 * unknown. Costs a walk of the data and a scan of its text: for errors. */
bool vq_source_map_data_place(const vq_source_map *m, size_t offset, const char **file, int *line,
                              int *column);
/* Hands the map a copy of the output, which text ranges are counted in. */
void vq_source_map_set_output(vq_source_map *m, const char *out, size_t len);
/* Forgets all ranges. */
void vq_source_map_clear(vq_source_map *m);

/* Bytes one recorded piece of output costs the map (a template's budget
 * counts them). */
#define VQ_SOURCE_MAP_ENTRY_COST 32

#endif
