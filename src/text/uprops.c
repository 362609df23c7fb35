/* The table of text/uprops.h, filled from ICU. */
#include "text/uprops.h"

#include <pthread.h>

vq_uprops vq_uprops_table[VQ_UPROPS_ASCII + VQ_UPROPS_ARABIC_END - VQ_UPROPS_ARABIC];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void fill(void)
{
    for (uint32_t i = 0; i < sizeof vq_uprops_table / sizeof *vq_uprops_table; i++) {
        UChar32 cp = (UChar32)(i < VQ_UPROPS_ASCII ? i : i - VQ_UPROPS_ASCII + VQ_UPROPS_ARABIC);
        UErrorCode status = U_ZERO_ERROR;
        vq_uprops_table[i] = (vq_uprops){
            .script = (int16_t)uscript_getScript(cp, &status),
            .type = u_charType(cp),
            .ignorable = u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT),
            .joining = (uint8_t)u_getIntPropertyValue(cp, UCHAR_JOINING_TYPE),
            .join_group = (uint8_t)u_getIntPropertyValue(cp, UCHAR_JOINING_GROUP),
        };
    }
}

void vq_uprops_init(void)
{
    pthread_once(&once, fill);
}
