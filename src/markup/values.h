/* Parsing attribute values of the markup. Every function returns false (or
 * NULL, -1) for a value it does not accept; the caller words the error. */
#ifndef VQ_MARKUP_VALUES_H
#define VQ_MARKUP_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc/doc.h"

/* One length ("12pt", "4.5mm", "2cm", "0.5in", "50%", "0") converted to pt
 * (or a percentage). Negative values are refused. */
bool vq_parse_length(const char *s, bool allow_percent, vq_length *out);
/* Parses one length at s; returns the end, or NULL. */
const char *vq_parse_length_at(const char *s, bool allow_percent, bool allow_auto, vq_length *out);
/* Space-separated lengths (and "auto" when allowed): their count, or -1
 * when one is bad or there are more than max. */
int vq_parse_length_list(const char *s, bool allow_percent, bool allow_auto, vq_length *out,
                         int max);
/* "#rgb" or "#rrggbb" → 0xRRGGBB. */
bool vq_parse_color(const char *s, uint32_t *out);
/* A whole number in [min, max]. */
bool vq_parse_int(const char *s, int min, int max, int *out);
/* An unsigned decimal ("1.5") in [min, max]. */
bool vq_parse_number(const char *s, double min, double max, double *out);

/* The name in names closest to word (edit distance ≤ 1 for short words, ≤ 2
 * otherwise), or NULL. NULL entries are skipped. */
const char *vq_closest_name(const char *word, const char *const *names, size_t count);

#endif
