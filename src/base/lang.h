/* Languages: the one place that decides, from a BCP 47 tag, whether text
 * is Persian, is written in the Arabic script, or runs right to left. Only
 * the primary subtag counts ("fa-IR" is Persian, "far" is not). */
#ifndef VQ_BASE_LANG_H
#define VQ_BASE_LANG_H

#include <stdbool.h>
#include <stddef.h>

/* The length of the primary subtag ("fa-IR" → 2; '-' or '_' ends it). */
size_t vq_lang_primary_len(const char *lang);
/* Persian: Persian digits by default, ی/ک normalization, Persian labels. */
bool vq_lang_is_persian(const char *lang);
/* Written in the Arabic script (fa, ar, ur, ps, ckb, sd, ug): the Persian
 * face by default, Arabic shaping of common characters. */
bool vq_lang_is_arabic_script(const char *lang);
/* Right to left (the Arabic-script languages, he, yi, dv): the default
 * direction of a document or block in that language. */
bool vq_lang_is_rtl(const char *lang);

#endif
