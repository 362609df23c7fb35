/* ICU's libicui18n (number and date formatting), loaded when a document
 * first formats a number or a date rather than linked: linked, its symbol
 * relocations cost every varaq process about 1.2 million instructions
 * before main, though `varaq text` never needs it (the paragraph engine
 * uses only libicuuc); loaded here, a document that formats dates costs no
 * more than with it linked. */
#ifndef VQ_DOC_I18N_LAZY_H
#define VQ_DOC_I18N_LAZY_H

#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/unum.h>

/* The functions format.c calls, under ICU's own names (which ICU's headers
 * make versioned macros, such as unum_open_72: the members are named so
 * too, and typed after ICU's declarations). */
#define VQ_I18N_FUNCTIONS(X)                                                                       \
    X(unum_open)                                                                                   \
    X(unum_setAttribute)                                                                           \
    X(unum_formatDecimal)                                                                          \
    X(unum_close)                                                                                  \
    X(ucal_open)                                                                                   \
    X(ucal_setGregorianChange)                                                                     \
    X(ucal_clear)                                                                                  \
    X(ucal_setDateTime)                                                                            \
    X(ucal_getMillis)                                                                              \
    X(ucal_close)                                                                                  \
    X(udat_open)                                                                                   \
    X(udat_setCalendar)                                                                            \
    X(udat_format)                                                                                 \
    X(udat_close)

typedef struct vq_i18n {
#define VQ_I18N_MEMBER(f) __typeof__(f) *f;
    VQ_I18N_FUNCTIONS(VQ_I18N_MEMBER)
#undef VQ_I18N_MEMBER
} vq_i18n;

/* The library's functions, loaded once per process (thread-safe); NULL
 * when it cannot be loaded, with *name set to the file looked for. */
const vq_i18n *vq_i18n_get(const char **name);

#endif
