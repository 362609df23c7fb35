/* FNV-1a, the one hash of varaq's tables (markup ids, hyphenation patterns,
 * the shaping cache): short keys, no adversary beyond the input limits. */
#ifndef VQ_BASE_HASH_H
#define VQ_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define VQ_HASH_SEED 1469598103934665603u

/* Continues hash h over n bytes (start with VQ_HASH_SEED). */
static inline uint64_t vq_hash_bytes(uint64_t h, const void *bytes, size_t n)
{
    const unsigned char *s = bytes;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211u;
    return h;
}

/* Mixes one word into h, as the shaping cache mixes its key's fields. */
static inline uint64_t vq_hash_word(uint64_t h, uint64_t v)
{
    return (h ^ v) * 1099511628211u;
}

#endif
