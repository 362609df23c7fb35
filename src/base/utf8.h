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
 * bytes, or 0 for an invalid sequence. */
size_t vq_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (at least 4 bytes); returns the length. */
size_t vq_utf8_encode(uint32_t cp, char *out);

/* 1-based line and column (in code points) of byte offset in s. */
void vq_text_position(const char *s, size_t offset, int *line, int *column);

#endif
