#include "markup/image.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
    /* Bitwise: images are probed once, and no table means no shared state. */
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

/* Walks every chunk (lengths and CRCs) so that a truncated or damaged file
 * is caught here, with its path, not as a blank figure later. */
static const char *probe_png(const unsigned char *d, size_t n, int *w, int *h)
{
    size_t pos = 8;
    bool ihdr = false, idat = false;
    while (pos + 12 <= n) {
        uint32_t len = be32(d + pos);
        if (len > n - pos - 12)
            return "truncated";
        const unsigned char *type = d + pos + 4;
        if (crc32_png(type, len + 4) != be32(d + pos + 8 + len))
            return "bad checksum";
        if (!ihdr) {
            if (memcmp(type, "IHDR", 4) != 0 || len != 13)
                return "no IHDR chunk";
            uint32_t ww = be32(d + pos + 8), hh = be32(d + pos + 12);
            if (ww == 0 || hh == 0 || ww > 1000000 || hh > 1000000)
                return "bad size";
            *w = (int)ww;
            *h = (int)hh;
            ihdr = true;
        } else if (memcmp(type, "IDAT", 4) == 0) {
            idat = true;
        } else if (memcmp(type, "IEND", 4) == 0) {
            return idat ? NULL : "no image data";
        }
        pos += 12 + (size_t)len;
    }
    return "truncated";
}

static const char *probe_jpeg(const unsigned char *d, size_t n, int *w, int *h)
{
    size_t pos = 2;
    bool frame = false;
    for (;;) {
        if (pos >= n || d[pos] != 0xFF)
            return pos >= n ? "truncated" : "bad marker";
        while (pos < n && d[pos] == 0xFF)
            pos++;
        if (pos >= n)
            return "truncated";
        unsigned m = d[pos++];
        if (m == 0xD9)
            return frame ? NULL : "no frame header";
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8))
            continue;
        if (pos + 2 > n)
            return "truncated";
        size_t len = (size_t)d[pos] << 8 | d[pos + 1];
        if (len < 2 || pos + len > n)
            return "truncated";
        bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            if (len < 8)
                return "bad frame header";
            *h = d[pos + 3] << 8 | d[pos + 4];
            *w = d[pos + 5] << 8 | d[pos + 6];
            if (*w == 0 || *h == 0)
                return "bad size";
            frame = true;
        }
        pos += len;
        if (m == 0xDA) {
            if (!frame)
                return "scan before frame header";
            /* Entropy-coded data: runs to the next marker that is not a
             * stuffed 0xFF00 or a restart marker. */
            while (pos + 1 < n && !(d[pos] == 0xFF && d[pos + 1] != 0 &&
                                    !(d[pos + 1] >= 0xD0 && d[pos + 1] <= 0xD7)))
                pos++;
            if (pos + 1 >= n)
                return "truncated";
        }
    }
}

bool vq_image_probe(const char *path, const vq_roots *roots, double max_pixels, int *width,
                    int *height, const char **type, unsigned char **bytes, size_t *size, char *msg,
                    size_t msg_cap)
{
    vq_error e;
    size_t n;
    unsigned char *d = (unsigned char *)vq_read_file_in(path, roots, VQ_MAX_IMAGE_BYTES, &n, &e);
    if (!d) {
        snprintf(msg, msg_cap, "cannot read image '%s': %s", path, e.message);
        return false;
    }
    const char *problem;
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
        *type = "png";
        problem = probe_png(d, n, width, height);
    } else if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
        *type = "jpeg";
        problem = probe_jpeg(d, n, width, height);
    } else {
        free(d);
        snprintf(msg, msg_cap, "image '%s' is not a PNG or JPEG file", path);
        return false;
    }
    if (problem) {
        free(d);
        snprintf(msg, msg_cap, "image '%s' is a corrupt %s file (%s)", path,
                 strcmp(*type, "png") == 0 ? "PNG" : "JPEG", problem);
        return false;
    }
    /* Checked from the header, before anything is decoded: a few hundred
     * bytes can declare gigabytes of pixels. */
    double limit = max_pixels > 0 ? max_pixels : VQ_DEFAULT_MAX_PIXELS;
    if ((double)*width * (double)*height > limit) {
        free(d);
        snprintf(msg, msg_cap,
                 "image '%s' is %d × %d pixels, more than the limit of %.0f megapixels", path,
                 *width, *height, limit / 1e6);
        return false;
    }
    *bytes = d;
    *size = n;
    return true;
}
