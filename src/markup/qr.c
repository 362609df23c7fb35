/* <qr value="…" size="…"/> and SVG figures: the markup side. The QR code
 * and the SVG are drawn as vectors by the layout (src/layout/vector.c). */
#include <errno.h>
#include <strings.h>

#include "markup/parser.h"

/* Bytes a QR code holds at error correction level M (version 40, 8-bit). */
enum { QR_MAX_BYTES = 2331 };

bool mk_handle_qr(parser *p, size_t off, vq_node *n, const char **atts)
{
    const char *value = mk_attr(atts, "value"), *v;
    if (!value || !*value) {
        mk_fail_at(p, off, "<qr> needs a non-empty value=\"…\" (the text or link to encode)");
        return false;
    }
    size_t len = strlen(value);
    if (len > QR_MAX_BYTES) {
        const char *data_at = mk_attribute_data_place(p, off, "value");
        mk_fail_at(p, off, "<qr> value is %zu bytes; a QR code holds at most %d%s", len,
                   QR_MAX_BYTES, data_at ? data_at : "");
        return false;
    }
    n->width.unit = VQ_LEN_PT;
    n->width.value = 25 * 72 / 25.4; /* 25 mm: scans from a phone at arm's length */
    if ((v = mk_attr(atts, "size")) &&
        (!vq_parse_length(v, true, &n->width) || n->width.value <= 0)) {
        mk_fail_at(p, off, "size=\"%s\": expected a length in pt, mm, cm, in or %%", v);
        return false;
    }
    n->qr = vq_arena_strdup(p->doc->arena, value);
    return true;
}

bool mk_is_svg_name(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".svg") == 0;
}

bool mk_probe_svg(const char *path, const vq_roots *roots, const char **type, unsigned char **bytes,
                  size_t *size, char *msg, size_t msg_cap)
{
    vq_error e;
    size_t n;
    char *d = vq_read_file_in(path, roots, VQ_MAX_IMAGE_BYTES, &n, &e);
    if (!d) {
        snprintf(msg, msg_cap, "cannot read image '%s': %s", path, e.message);
        return false;
    }
    /* The <svg> element near the start (after an XML declaration, comments
     * or a doctype); librsvg parses the whole file at layout. */
    char head[4097];
    size_t k = n < sizeof head - 1 ? n : sizeof head - 1;
    memcpy(head, d, k);
    head[k] = '\0';
    if (!strstr(head, "<svg")) {
        free(d);
        snprintf(msg, msg_cap, "image '%s': not an SVG file (no <svg> element at its start)", path);
        return false;
    }
    *type = "svg";
    *bytes = (unsigned char *)d;
    *size = n;
    return true;
}
