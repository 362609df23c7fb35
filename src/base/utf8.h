/* UTF-8 checks and decoding shared by the parsers. */
#ifndef VQ_BASE_UTF8_H
#define VQ_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns true when s[0..len) is valid UTF-8 (no overlongs, no surrogates).
 * Otherwise *bad_offset is the byte offset of the first invalid sequence. */
bool vq_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Decodes one code point at s (len bytes available); returns its length in
 * bytes, or 0 for an invalid sequence. Inline for one- and two-byte
 * sequences (Latin, Persian): the text stages decode every character
 * several times. */
size_t vq_utf8_decode_long(const char *s, size_t len, uint32_t *cp);
static inline size_t vq_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len > 0 && s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (len > 1 && s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    return vq_utf8_decode_long(str, len, cp);
}

/* Encodes cp into out (at least 4 bytes); returns the length. */
size_t vq_utf8_encode(uint32_t cp, char *out);

/* 1-based line and column (in code points) of byte offset in s. */
void vq_text_position(const char *s, size_t offset, int *line, int *column);

#endif
