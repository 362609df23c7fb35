/* Attribute values: lengths, colours, numbers, and the edit distance that
 * suggests a name for a misspelt one. */
#include "markup/values.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

/* An unsigned decimal: digits with an optional fraction. */
static bool parse_decimal(const char **ps, double *out)
{
    const char *s = *ps;
    double v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*s)) {
        v = v * 10 + (*s++ - '0');
        digits++;
    }
    if (*s == '.') {
        s++;
        double scale = 0.1;
        while (isdigit((unsigned char)*s)) {
            v += (*s++ - '0') * scale;
            scale /= 10;
            digits++;
        }
    }
    if (digits == 0 || digits > 30)
        return false;
    *ps = s;
    *out = v;
    return true;
}

const char *vq_parse_length_at(const char *s, bool allow_percent, bool allow_auto, vq_length *out)
{
    s = skip_ws(s);
    if (allow_auto && strncmp(s, "auto", 4) == 0) {
        out->unit = VQ_LEN_AUTO;
        out->value = 0;
        return s + 4;
    }
    double v;
    if (!parse_decimal(&s, &v))
        return NULL;
    static const struct {
        const char *name;
        double pt;
    } units[] = {{"pt", 1}, {"mm", 72 / 25.4}, {"cm", 72 / 2.54}, {"in", 72}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strncmp(s, units[i].name, 2) == 0) {
            out->unit = VQ_LEN_PT;
            out->value = v * units[i].pt;
            return s + 2;
        }
    }
    if (*s == '%') {
        if (!allow_percent)
            return NULL;
        out->unit = VQ_LEN_PERCENT;
        out->value = v;
        return s + 1;
    }
    /* "0" needs no unit; any other bare number does. */
    if (v == 0 && (*s == 0 || *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
        out->unit = VQ_LEN_PT;
        out->value = 0;
        return s;
    }
    return NULL;
}

bool vq_parse_length(const char *s, bool allow_percent, vq_length *out)
{
    const char *end = vq_parse_length_at(s, allow_percent, false, out);
    return end && *skip_ws(end) == 0 && out->value <= 100000;
}

int vq_parse_length_list(const char *s, bool allow_percent, bool allow_auto, vq_length *out,
                         int max)
{
    int n = 0;
    for (;;) {
        s = skip_ws(s);
        if (*s == 0)
            return n;
        if (n == max)
            return -1;
        vq_length len;
        const char *end = vq_parse_length_at(s, allow_percent, allow_auto, &len);
        if (!end || (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r') ||
            len.value > 100000)
            return -1;
        out[n++] = len;
        s = end;
    }
}

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool vq_parse_color(const char *s, uint32_t *out)
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 4 && n != 7))
        return false;
    uint32_t v = 0;
    for (size_t i = 1; i < n; i++) {
        int h = hex(s[i]);
        if (h < 0)
            return false;
        v = v << 4 | (uint32_t)h;
        if (n == 4)
            v = v << 4 | (uint32_t)h; /* #abc is #aabbcc */
    }
    *out = v;
    return true;
}

bool vq_parse_int(const char *s, int min, int max, int *out)
{
    s = skip_ws(s);
    long v = 0;
    bool neg = *s == '-';
    if (neg)
        s++;
    if (!isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s)) {
        v = v * 10 + (*s++ - '0');
        if (v > 1000000000)
            return false;
    }
    if (*skip_ws(s))
        return false;
    if (neg)
        v = -v;
    if (v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

bool vq_parse_number(const char *s, double min, double max, double *out)
{
    s = skip_ws(s);
    double v;
    if (!parse_decimal(&s, &v) || *skip_ws(s) || v < min || v > max)
        return false;
    *out = v;
    return true;
}

int vq_edit_distance(const char *a, const char *b, int limit)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return limit + 1;
    if ((n > m ? n - m : m - n) > (size_t)limit)
        return limit + 1;
    int d[65][65];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1; /* a swap of neighbours */
            d[i][j] = v;
        }
    }
    return d[n][m] > limit ? limit + 1 : d[n][m];
}

const char *vq_closest_name(const char *word, const char *const *names, size_t count)
{
    const char *best = NULL;
    size_t len = strlen(word);
    int limit = len <= 3 ? 1 : 2, best_d = limit + 1;
    for (size_t i = 0; i < count; i++) {
        if (!names[i])
            continue;
        int d = vq_edit_distance(word, names[i], limit);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}
