/* The English hyphenation patterns as a constant table, made at build time
 * from VQ_HYPHEN_DIR/hyph_en_US.dic by tools/hyphenate_table.c (the
 * generated source is in the build tree), read by hyphenate.c. */
#ifndef VQ_TEXT_HYPHENATE_TABLE_H
#define VQ_TEXT_HYPHENATE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define VQ_HYPHEN_EMPTY UINT32_MAX

typedef struct vq_hyphen_table {
    /* Each pattern once: its length k, its k letters (dots included), then
     * k + 1 digits: the value before each letter, then the one after the
     * last. */
    const uint8_t *entries;
    /* Open addressing by vq_hash_bytes of a pattern's letters, linear
     * probing: an offset into entries, or VQ_HYPHEN_EMPTY. */
    const uint32_t *slots;
    size_t nslots; /* a power of two, at least twice count */
    size_t count;
    size_t max_key;               /* the longest pattern's letters */
    unsigned left_min, right_min; /* the file's LEFTHYPHENMIN, RIGHTHYPHENMIN */
} vq_hyphen_table;

/* No patterns (count 0) when the file was missing at build time. */
extern const vq_hyphen_table vq_hyphen_en_us;

#endif
