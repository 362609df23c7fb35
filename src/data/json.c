#include "data/json.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/io.h"
#include "base/utf8.h"

json_t *vq_json_load_string(const char *text, size_t len, const char *name, vq_error *err)
{
    /* jansson rejects bad UTF-8 too, but names the byte, not the place. */
    size_t bad;
    if (!vq_utf8_valid(text, len, &bad)) {
        int line, col;
        vq_text_position(text, bad, &line, &col);
        vq_error_set(err, VQ_ERR_INPUT, name, line, col, "invalid UTF-8 byte sequence");
        return NULL;
    }
    /* A UTF-8 byte order mark (Windows editors write one) is skipped;
     * jansson would stop at it with "invalid token near ''". */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        vq_error_set(err, VQ_ERR_INPUT, name, jerr.line > 0 ? jerr.line : 0,
                     jerr.column > 0 ? jerr.column : 0, "%s", jerr.text);
        return NULL;
    }
    return root;
}

json_t *vq_json_load_file(const char *path, vq_error *err)
{
    size_t len;
    char *text = vq_read_file(path, &len, err);
    if (!text)
        return NULL;
    json_t *root = vq_json_load_string(text, len, path, err);
    free(text);
    return root;
}

/* Made once for the process; pthread_once because engines in several
 * threads may format their first number at the same moment. */
static locale_t c_numeric;
static pthread_once_t c_numeric_once = PTHREAD_ONCE_INIT;
static void make_c_numeric(void)
{
    c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

void vq_json_format_number(const json_t *n, vq_buf *out)
{
    if (json_is_integer(n)) {
        vq_buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(n));
        return;
    }
    double v = json_real_value(n);
    /* Whole numbers below 2^53 print without exponent or fraction. */
    if (isfinite(v) && v == trunc(v) && fabs(v) < 9007199254740992.0) {
        vq_buf_printf(out, "%.0f", v);
        return;
    }
    /* printf and strtod follow LC_NUMERIC, which a caller may have set to a
     * locale with a decimal comma; JSON numbers always use a point. */
    pthread_once(&c_numeric_once, make_c_numeric);
    locale_t saved = c_numeric ? uselocale(c_numeric) : (locale_t)0;
    char text[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(text, sizeof text, "%.*g", prec, v);
        if (strtod(text, NULL) == v)
            break;
    }
    if (saved)
        uselocale(saved);
    vq_buf_append_str(out, text);
}
