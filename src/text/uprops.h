/* The Unicode properties the paragraph engine asks of nearly every
 * character (script, general category, default ignorable, joining type and
 * group), from a table ICU fills once per process for ASCII and the Arabic
 * block (U+0600–U+06FF), which most Persian and English text is made of;
 * other code points ask ICU each time. Each answer is ICU's (about 40
 * instructions a call saved, over 100,000 calls in the seed article).
 * Private to src/text. */
#ifndef VQ_TEXT_UPROPS_H
#define VQ_TEXT_UPROPS_H

#include <stdbool.h>
#include <stdint.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

typedef struct vq_uprops {
    int16_t script;     /* UScriptCode */
    int8_t type;        /* UCharCategory */
    bool ignorable;     /* UCHAR_DEFAULT_IGNORABLE_CODE_POINT */
    uint8_t joining;    /* UJoiningType */
    uint8_t join_group; /* UJoiningGroup */
} vq_uprops;

enum { VQ_UPROPS_ASCII = 0x80, VQ_UPROPS_ARABIC = 0x600, VQ_UPROPS_ARABIC_END = 0x700 };
extern vq_uprops vq_uprops_table[VQ_UPROPS_ASCII + VQ_UPROPS_ARABIC_END - VQ_UPROPS_ARABIC];

/* Fills the table (once per process; vq_paragraph_create calls it). */
void vq_uprops_init(void);

/* The table's entry for cp, NULL outside it. */
static inline const vq_uprops *vq_uprops_of(uint32_t cp)
{
    if (cp < VQ_UPROPS_ASCII)
        return &vq_uprops_table[cp];
    if (cp - VQ_UPROPS_ARABIC < VQ_UPROPS_ARABIC_END - VQ_UPROPS_ARABIC)
        return &vq_uprops_table[VQ_UPROPS_ASCII + cp - VQ_UPROPS_ARABIC];
    return NULL;
}

/* uscript_getScript */
static inline int vq_uprops_script(uint32_t cp, UErrorCode *status)
{
    const vq_uprops *u = vq_uprops_of(cp);
    return u ? u->script : uscript_getScript((UChar32)cp, status);
}

/* u_charType */
static inline int8_t vq_uprops_type(uint32_t cp)
{
    const vq_uprops *u = vq_uprops_of(cp);
    return u ? u->type : u_charType((UChar32)cp);
}

/* u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) */
static inline bool vq_uprops_ignorable(uint32_t cp)
{
    const vq_uprops *u = vq_uprops_of(cp);
    return u ? u->ignorable : u_hasBinaryProperty((UChar32)cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

/* u_getIntPropertyValue(cp, UCHAR_JOINING_TYPE) */
static inline int vq_uprops_joining(uint32_t cp)
{
    const vq_uprops *u = vq_uprops_of(cp);
    return u ? u->joining : u_getIntPropertyValue((UChar32)cp, UCHAR_JOINING_TYPE);
}

/* u_getIntPropertyValue(cp, UCHAR_JOINING_GROUP) */
static inline int vq_uprops_join_group(uint32_t cp)
{
    const vq_uprops *u = vq_uprops_of(cp);
    return u ? u->join_group : u_getIntPropertyValue((UChar32)cp, UCHAR_JOINING_GROUP);
}

#endif
