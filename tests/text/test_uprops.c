/* The table of text/uprops.h answers as ICU does, for every code point
 * (inside the table: ASCII and U+0600–U+06FF; outside: passed to ICU). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "text/uprops.h"

static void same_as_icu(void **state)
{
    (void)state;
    vq_uprops_init();
    size_t differ = 0;
    for (UChar32 cp = 0; cp <= 0x10FFFF; cp++) {
        UErrorCode ours = U_ZERO_ERROR, icus = U_ZERO_ERROR;
        bool same =
            vq_uprops_script((uint32_t)cp, &ours) == uscript_getScript(cp, &icus) && ours == icus &&
            vq_uprops_type((uint32_t)cp) == u_charType(cp) &&
            vq_uprops_ignorable((uint32_t)cp) ==
                (bool)u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) &&
            vq_uprops_joining((uint32_t)cp) == u_getIntPropertyValue(cp, UCHAR_JOINING_TYPE) &&
            vq_uprops_join_group((uint32_t)cp) == u_getIntPropertyValue(cp, UCHAR_JOINING_GROUP);
        if (!same && differ++ < 10)
            print_error("U+%04X differs from ICU\n", (unsigned)cp);
    }
    assert_int_equal(differ, 0);
}

/* A few answers spelled out: the table is in use, not only ICU. */
static void known_values(void **state)
{
    (void)state;
    vq_uprops_init();
    UErrorCode status = U_ZERO_ERROR;
    assert_non_null(vq_uprops_of(0x06CC));
    assert_null(vq_uprops_of(0x0700));
    assert_int_equal(vq_uprops_script('a', &status), USCRIPT_LATIN);
    assert_int_equal(vq_uprops_script(0x0628, &status), USCRIPT_ARABIC); /* beh */
    assert_int_equal(vq_uprops_script(0x0640, &status), USCRIPT_COMMON); /* tatweel */
    assert_int_equal(vq_uprops_script(0x064B, &status), USCRIPT_INHERITED);
    assert_true(vq_uprops_ignorable(0x061C)); /* ALM */
    assert_false(vq_uprops_ignorable(0x0600));
    assert_int_equal(vq_uprops_joining(0x0627), U_JT_RIGHT_JOINING); /* alef */
    assert_int_equal(vq_uprops_join_group(0x06CC), U_JG_FARSI_YEH);
    assert_int_equal(vq_uprops_type(0x064E), U_NON_SPACING_MARK);
    assert_int_equal(vq_uprops_type(' '), U_SPACE_SEPARATOR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_as_icu),
        cmocka_unit_test(known_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
