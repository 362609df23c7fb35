/* The source line under an error, with a caret at its column, as compilers
 * print it:
 *
 *     t.mustache:2:3: error: no value for 'patient.nmae'
 *         2 |   {{patient.nmae}}
 *           |   ^
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/io.h"
#include "cli/cli.h"

enum { MAX_SOURCE = 64 << 20, MAX_SHOWN = 160 };

static size_t char_len(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

void vq_cli_print_excerpt(const char *file, int line, int column, FILE *out)
{
    struct stat st;
    if (!file || !file[0] || strcmp(file, "-") == 0 || line <= 0 || stat(file, &st) != 0 ||
        !S_ISREG(st.st_mode) || st.st_size > MAX_SOURCE)
        return;
    vq_error err;
    size_t len;
    char *text = vq_read_file(file, &len, &err);
    if (!text)
        return;
    const char *p = text, *end = text + len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    if (eol > p && eol[-1] == '\r')
        eol--;
    if (p >= end && line > 1) {
        free(text);
        return;
    }
    /* The caret's indentation copies the tabs of the line, so it stands under
     * the column in any terminal; a long line is shown around the column. */
    const char *at = p;
    for (int c = 1; c < column && at < eol; c++)
        at += char_len((unsigned char)*at);
    const char *from = p;
    bool cut_start = false, cut_end = false;
    while (at - from > MAX_SHOWN / 2) {
        from += char_len((unsigned char)*from);
        cut_start = true;
    }
    const char *to = from;
    int shown = 0;
    while (to < eol && shown < MAX_SHOWN) {
        to += char_len((unsigned char)*to);
        shown++;
    }
    cut_end = to < eol;
    char num[16];
    int width = snprintf(num, sizeof num, "%d", line);
    fprintf(out, " %s | %s%.*s%s\n", num, cut_start ? "..." : "", (int)(to - from), from,
            cut_end ? "..." : "");
    if (column > 0) {
        fprintf(out, " %*s | %s", width, "", cut_start ? "   " : "");
        for (const char *q = from; q < at && q < to; q += char_len((unsigned char)*q))
            fputc(*q == '\t' ? '\t' : ' ', out);
        fputs("^\n", out);
    }
    free(text);
}

void vq_cli_print_data_note(const char *message, FILE *out)
{
    const char *at = strstr(message, "(data at ");
    size_t n = at ? strlen(at) : 0;
    if (!at || at[n - 1] != ')')
        return;
    char place[1024];
    if (n - 10 >= sizeof place)
        return;
    memcpy(place, at + 9, n - 10);
    place[n - 10] = '\0';
    char *c2 = strrchr(place, ':');
    if (!c2)
        return;
    *c2 = '\0';
    char *c1 = strrchr(place, ':');
    if (!c1)
        return;
    *c1 = '\0';
    int line = atoi(c1 + 1), column = atoi(c2 + 1);
    fprintf(out, "%s:%d:%d: note: the value in the data\n", place, line, column);
    vq_cli_print_excerpt(place, line, column, out);
}
