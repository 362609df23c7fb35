/* What Cairo 1.16 cannot say in a tagged PDF, added after it has written
 * the file: /Lang, /Alt and a table header's /Scope on structure elements,
 * /Lang, /MarkInfo and DisplayDocTitle on the catalog. Cairo's structure
 * tags take no attributes (only links and destinations do), so the file
 * gets an incremental update: new versions of those objects, a new xref
 * section and a trailer pointing back at Cairo's (/Prev). Cairo's bytes are
 * kept as they are.
 *
 * Cairo allocates a structure element's object when its tag begins, so the
 * n-th StructElem by object number is the n-th structure tag begun; the
 * roles are compared one by one, and on any mismatch nothing is changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/internal.h"

/* The object `id`'s text, from "id 0 obj" to just before its "endobj". */
static bool object_text(const vq_buf *pdf, const long *offsets, long id, const char **start,
                        size_t *len)
{
    long off = offsets[id];
    if (off <= 0 || (size_t)off >= pdf->len)
        return false;
    const char *s = pdf->data + off;
    const char *end = strstr(s, "endobj");
    if (!end)
        return false;
    *start = s;
    *len = (size_t)(end - s);
    return true;
}

/* Appends the object with `extra` inserted before its dictionary's last
 * ">>", and records where it starts. */
static bool append_patched(vq_buf *out, size_t base, const char *obj, size_t len, const char *extra,
                           long *new_offset)
{
    const char *close = NULL;
    for (const char *p = obj; p + 1 < obj + len; p++)
        if (p[0] == '>' && p[1] == '>')
            close = p;
    if (!close)
        return false;
    *new_offset = (long)(base + out->len);
    vq_buf_append(out, obj, (size_t)(close - obj));
    vq_buf_append_str(out, extra);
    vq_buf_append(out, close, len - (size_t)(close - obj));
    vq_buf_append_str(out, "endobj\n");
    return true;
}

/* A PDF text string: UTF-16BE with a byte order mark, in hex. */
static void text_string(vq_buf *out, const char *utf8)
{
    vq_buf_append_str(out, "<FEFF");
    const unsigned char *s = (const unsigned char *)utf8;
    while (*s) {
        uint32_t cp = *s++;
        int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        cp &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
        for (; more > 0 && (*s & 0xC0) == 0x80; more--)
            cp = cp << 6 | (*s++ & 0x3F);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            vq_buf_printf(out, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
        } else {
            vq_buf_printf(out, "%04X", cp);
        }
    }
    vq_buf_append_char(out, '>');
}

/* A language tag as a PDF string: letters, digits and '-' only. */
static void lang_string(vq_buf *out, const char *lang)
{
    vq_buf_append_char(out, '(');
    for (const char *p = lang; *p; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-')
            vq_buf_append_char(out, *p);
    vq_buf_append_char(out, ')');
}

static bool contains(const char *s, size_t len, const char *what)
{
    size_t wl = strlen(what);
    for (size_t i = 0; i + wl <= len; i++)
        if (memcmp(s + i, what, wl) == 0)
            return true;
    return false;
}

static long find_long_after(const char *s, const char *end, const char *key)
{
    const char *p = strstr(s, key);
    if (!p || p >= end)
        return -1;
    return strtol(p + strlen(key), NULL, 10);
}

bool vq_pdf_add_structure_attributes(vq_buf *pdf, const vq_struct_entry *entries, size_t count,
                                     const char *doc_lang, bool display_title)
{
    if (!pdf->data || pdf->len < 32)
        return false;
    /* The last "startxref", then Cairo's single xref subsection "0 N". */
    const char *sx = NULL;
    for (const char *p = pdf->data + pdf->len - 9; p > pdf->data + pdf->len - 64 && p > pdf->data;
         p--)
        if (memcmp(p, "startxref", 9) == 0) {
            sx = p;
            break;
        }
    if (!sx)
        return false;
    long xref = strtol(sx + 9, NULL, 10);
    if (xref <= 0 || (size_t)xref >= pdf->len || memcmp(pdf->data + xref, "xref\n0 ", 7) != 0)
        return false;
    char *p;
    long n = strtol(pdf->data + xref + 7, &p, 10);
    if (n <= 1 || *p != '\n' || (size_t)(p + 1 - pdf->data) + (size_t)n * 20 > pdf->len)
        return false;
    const char *table = p + 1;
    const char *trailer = table + n * 20;
    const char *pdf_end = pdf->data + pdf->len;
    long root = find_long_after(trailer, pdf_end, "/Root ");
    long info = find_long_after(trailer, pdf_end, "/Info ");
    if (root <= 0 || root >= n)
        return false;
    long *offsets = vq_xcalloc((size_t)n, sizeof *offsets);
    for (long i = 1; i < n; i++)
        offsets[i] = strtol(table + i * 20, NULL, 10);

    vq_buf add = VQ_BUF_INIT;
    long *changed = vq_xmalloc((size_t)n * sizeof *changed);
    long *changed_at = vq_xmalloc((size_t)n * sizeof *changed_at);
    size_t changed_n = 0;
    bool ok = true;
    size_t base = pdf->len + 1; /* after the '\n' that starts the update */

    /* Structure elements in object order, matched to the tags begun. */
    size_t k = 0;
    vq_buf extra = VQ_BUF_INIT;
    for (long id = 1; id < n && ok; id++) {
        const char *obj;
        size_t len;
        if (!object_text(pdf, offsets, id, &obj, &len))
            continue;
        const char *dict = memchr(obj, '\n', len);
        if (!dict || (size_t)(obj + len - dict) < 24 ||
            memcmp(dict + 1, "<< /Type /StructElem", 20))
            continue;
        if (k == count) {
            ok = false; /* more elements than tags: not ours to touch */
            break;
        }
        const vq_struct_entry *e = &entries[k++];
        const char *s = strstr(dict, "/S /");
        size_t rl = strlen(e->role);
        if (!s || s >= obj + len || strncmp(s + 4, e->role, rl) != 0 || s[4 + rl] != '\n') {
            ok = false;
            break;
        }
        vq_buf_clear(&extra);
        if (e->lang) {
            vq_buf_append_str(&extra, "   /Lang ");
            lang_string(&extra, e->lang);
            vq_buf_append_char(&extra, '\n');
        }
        if (e->alt) {
            vq_buf_append_str(&extra, "   /Alt ");
            text_string(&extra, e->alt);
            vq_buf_append_char(&extra, '\n');
        }
        if (e->scope)
            vq_buf_printf(&extra, "   /A << /O /Table /Scope /%s >>\n", e->scope);
        if (!extra.len)
            continue;
        changed[changed_n] = id;
        ok = append_patched(&add, base, obj, len, extra.data, &changed_at[changed_n]);
        changed_n++;
    }
    /* Nothing drawn: Cairo writes no structure tree, and there is nothing
     * to describe. */
    bool none = ok && k == 0;
    if (k != count && !none)
        ok = false;
    if (none)
        changed_n = 0;

    /* The catalog. */
    const char *obj;
    size_t len;
    if (ok && !none && object_text(pdf, offsets, root, &obj, &len)) {
        vq_buf_clear(&extra);
        if (doc_lang && *doc_lang) {
            vq_buf_append_str(&extra, "   /Lang ");
            lang_string(&extra, doc_lang);
            vq_buf_append_char(&extra, '\n');
        }
        if (!contains(obj, len, "/MarkInfo"))
            vq_buf_append_str(&extra, "   /MarkInfo << /Marked true >>\n");
        if (display_title)
            vq_buf_append_str(&extra, "   /ViewerPreferences << /DisplayDocTitle true >>\n");
        if (extra.len) {
            changed[changed_n] = root;
            ok = append_patched(&add, base, obj, len, extra.data, &changed_at[changed_n]);
            changed_n++;
        }
    }
    vq_buf_free(&extra);

    if (ok && changed_n) {
        /* Ascending object numbers: one xref subsection per object. */
        for (size_t i = 1; i < changed_n; i++)
            for (size_t j = i; j > 0 && changed[j - 1] > changed[j]; j--) {
                long t = changed[j];
                changed[j] = changed[j - 1];
                changed[j - 1] = t;
                t = changed_at[j];
                changed_at[j] = changed_at[j - 1];
                changed_at[j - 1] = t;
            }
        size_t xref_at = base + add.len;
        vq_buf_append_str(&add, "xref\n");
        for (size_t i = 0; i < changed_n; i++)
            vq_buf_printf(&add, "%ld 1\n%010ld 00000 n \n", changed[i], changed_at[i]);
        vq_buf_printf(&add, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n", n, root);
        if (info > 0)
            vq_buf_printf(&add, "   /Info %ld 0 R\n", info);
        vq_buf_printf(&add, "   /Prev %ld\n>>\nstartxref\n%zu\n%%%%EOF\n", xref, xref_at);
        vq_buf_append_char(pdf, '\n');
        vq_buf_append(pdf, add.data, add.len);
    }
    vq_buf_free(&add);
    free(changed);
    free(changed_at);
    free(offsets);
    return ok;
}
