#include "fonts/fonts_cairo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cairo-ft.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "base/buf.h"

typedef struct entry {
    const vq_face *face;
    cairo_font_face_t *cairo;
    uint32_t *marks; /* open-addressed set of glyph ids + 1; 0: empty slot */
    size_t mark_cap, mark_count;
} entry;

struct vq_cairo_faces {
    entry *entries;
    size_t count;
};

/* Reads this long or longer go to the file with pread, shorter ones to the
 * face's own mapping of it. The long reads are Cairo 1.16 reading a whole
 * CFF table (1 to 2 MB) when a face enters a PDF and again to subset it:
 * through a mapping they would make every page of it resident. The short
 * ones are FreeType's glyph frames and Cairo's per-glyph table reads, some
 * 18,000 in the journal sample, each a system call with pread (37 % of its
 * CPU time went to the kernel). */
enum { PREAD_FROM = 64 * 1024 };

/* What a Cairo face owns, freed when Cairo destroys the face, which may be
 * after the cache is gone (a surface can keep a scaled font): so each face
 * has a FreeType library of its own. FreeType reads the registry's bytes
 * through a stream that overlays a patched copy of the table directories
 * (cmap hidden), so the font is not copied.
 *
 * Hidden how: the cmap entry points past the end of the font, at an empty
 * cmap (a Unicode subtable that maps nothing) the stream serves from here.
 * Without any cmap FreeType builds a Unicode charmap from the glyph names
 * when it opens the face (7 million instructions for Amiri, 1.4 for
 * Vazirmatn), one Cairo must not see and that is dropped at once. The
 * subtable is on the Unicode platform (0), not Windows (3, 1): FreeType
 * takes either as the font's Unicode charmap, and Cairo, which looks for a
 * glyph's character in a Windows subtable for every glyph that enters a
 * PDF's font subset, then stops after reading the table's header (two
 * FreeType table loads a glyph instead of four, the same output). */
enum { EMPTY_CMAP_LEN = 36 };
static const unsigned char EMPTY_CMAP[EMPTY_CMAP_LEN] = {
    0,    0,    0, 1,                     /* version 0, one subtable */
    0,    0,    0, 3,  0,    0,    0, 12, /* Unicode platform, BMP, at 12 */
    0,    4,    0, 24, 0,    0,           /* format 4, 24 bytes, language 0 */
    0,    2,    0, 2,  0,    0,    0, 0,  /* one segment */
    0xFF, 0xFF, 0, 0,  0xFF, 0xFF, 0, 1,  /* end, pad, start: U+FFFF, delta 1 */
    0,    0,                              /* range offset: U+FFFF maps to glyph 0 */
};

typedef struct owned {
    FT_Library ft;
    FT_Face ft_face;
    FT_StreamRec stream;
    const unsigned char *data;
    int fd;                   /* the font's file, or -1: read data */
    const unsigned char *map; /* the file mapped again, the face's own, or NULL */
    size_t len;               /* the font's bytes */
    size_t cmap_at;           /* where the empty cmap appears (len, 4-aligned) */
    unsigned char *head;      /* the first head_len bytes, patched */
    size_t head_len;
} owned;

static bool read_fully(int fd, unsigned char *buffer, size_t count, size_t offset)
{
    while (count) {
        ssize_t n = pread(fd, buffer, count, (off_t)offset);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return false;
        }
        buffer += n;
        offset += (size_t)n;
        count -= (size_t)n;
    }
    return true;
}

static unsigned long stream_read(FT_Stream stream, unsigned long offset, unsigned char *buffer,
                                 unsigned long count)
{
    owned *o = stream->descriptor.pointer;
    size_t size = o->cmap_at + EMPTY_CMAP_LEN;
    if (count == 0)
        return offset > size; /* a seek: non-zero means failure */
    if (offset >= size)
        return 0;
    if (count > size - offset)
        count = size - offset;
    /* The font, the padding after it, the empty cmap. */
    for (size_t done = 0; done < count;) {
        size_t at = offset + done, n;
        if (at < o->len) {
            n = o->len - at < count - done ? o->len - at : count - done;
            if (o->fd < 0)
                memcpy(buffer + done, o->data + at, n);
            else if (o->map && n < PREAD_FROM)
                memcpy(buffer + done, o->map + at, n);
            else if (!read_fully(o->fd, buffer + done, n, at))
                return 0;
            if (at < o->head_len)
                memcpy(buffer + done, o->head + at, o->head_len - at < n ? o->head_len - at : n);
        } else if (at < o->cmap_at) {
            n = o->cmap_at - at < count - done ? o->cmap_at - at : count - done;
            memset(buffer + done, 0, n);
        } else {
            n = count - done;
            memcpy(buffer + done, EMPTY_CMAP + (at - o->cmap_at), n);
        }
        done += n;
    }
    return count;
}

static void stream_close(FT_Stream stream)
{
    (void)stream;
}

static const cairo_user_data_key_t owned_key;

/* Releases o's file and mapping and o itself (its FreeType done). */
static void owned_release(owned *o)
{
    if (o->map)
        munmap((void *)o->map, o->len);
    if (o->fd >= 0)
        close(o->fd);
    free(o->head);
    free(o);
}

static void owned_free(void *p)
{
    owned *o = p;
    FT_Done_Face(o->ft_face);
    FT_Done_FreeType(o->ft);
    owned_release(o);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Patches the table directory at offset dir: its cmap entry points at the
 * empty cmap at cmap_at, and a face converted by fonts/convert.py, which
 * keeps its TrueType outlines under private tags, shows them as its glyf,
 * loca and maxp (the CFF-flavoured maxp goes under the private tag) and
 * says it is TrueType. FreeType then loads glyphs with its TrueType driver,
 * six to eight times cheaper a glyph than its CFF engine (bench/README.md),
 * while Cairo still reads the unchanged `CFF ` table for the PDF's font
 * subset: the same embedded font, one resource per face. */
static void patch_directory_at(unsigned char *b, size_t len, size_t dir, size_t cmap_at)
{
    if (dir + 12 > len)
        return;
    size_t n = (size_t)b[dir + 4] << 8 | b[dir + 5];
    if (dir + 12 + 16 * n > len)
        n = (len - dir - 12) / 16;
    unsigned char *glyf = NULL, *loca = NULL, *maxp = NULL, *truetype_maxp = NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char *rec = b + dir + 12 + 16 * i;
        if (memcmp(rec, "cmap", 4) == 0) {
            put32(rec + 8, (uint32_t)cmap_at);
            put32(rec + 12, EMPTY_CMAP_LEN);
        } else if (memcmp(rec, "vqgl", 4) == 0) {
            glyf = rec;
        } else if (memcmp(rec, "vqlo", 4) == 0) {
            loca = rec;
        } else if (memcmp(rec, "vqmp", 4) == 0) {
            truetype_maxp = rec;
        } else if (memcmp(rec, "maxp", 4) == 0) {
            maxp = rec;
        }
    }
    if (glyf && loca && maxp && truetype_maxp) {
        memcpy(glyf, "glyf", 4);
        memcpy(loca, "loca", 4);
        memcpy(maxp, "vqmp", 4);
        memcpy(truetype_maxp, "maxp", 4);
        put32(b + dir, 0x00010000);
    }
}

/* Where the table directories end: the bytes the patches touch. */
static size_t directories_end(const unsigned char *b, size_t len)
{
    size_t end = 0;
    size_t dirs[64], ndir = 0;
    if (len >= 12 && memcmp(b, "ttcf", 4) == 0) {
        size_t n = be32(b + 8);
        for (size_t i = 0; i < n && i < 64 && 12 + 4 * (i + 1) <= len; i++)
            dirs[ndir++] = be32(b + 12 + 4 * i);
        end = 12 + 4 * ndir;
    } else {
        dirs[ndir++] = 0;
    }
    for (size_t i = 0; i < ndir; i++) {
        size_t d = dirs[i];
        if (d + 12 > len)
            continue;
        size_t e = d + 12 + 16 * ((size_t)b[d + 4] << 8 | b[d + 5]);
        if (e > end)
            end = e;
    }
    return end < len ? end : len;
}

static void patch_directories(unsigned char *b, size_t len, size_t cmap_at)
{
    if (len >= 12 && memcmp(b, "ttcf", 4) == 0) {
        size_t n = be32(b + 8);
        for (size_t i = 0; i < n && 12 + 4 * (i + 1) <= len; i++)
            patch_directory_at(b, len, be32(b + 12 + 4 * i), cmap_at);
    } else {
        patch_directory_at(b, len, 0, cmap_at);
    }
}

vq_cairo_faces *vq_cairo_faces_create(void)
{
    return vq_xcalloc(1, sizeof(vq_cairo_faces));
}

void vq_cairo_faces_destroy(vq_cairo_faces *cf)
{
    if (!cf)
        return;
    for (size_t i = 0; i < cf->count; i++) {
        cairo_font_face_destroy(cf->entries[i].cairo);
        free(cf->entries[i].marks);
    }
    free(cf->entries);
    free(cf);
}

cairo_font_face_t *vq_cairo_faces_get(vq_cairo_faces *cf, const vq_face *face, vq_error *err)
{
    for (size_t i = 0; i < cf->count; i++)
        if (cf->entries[i].face == face)
            return cf->entries[i].cairo;
    size_t len;
    unsigned index;
    const void *data = vq_face_draw_data(face, &len, &index);
    if (!data) {
        vq_error_set(err, VQ_ERR_INPUT, vq_face_path(face), 0, 0,
                     "cannot draw this font: its glyphs could not be read");
        return NULL;
    }
    /* Room first: nothing below may fail once Cairo owns the face. */
    cf->entries = vq_xrealloc(cf->entries, (cf->count + 1) * sizeof *cf->entries);
    owned *o = vq_xcalloc(1, sizeof *o);
    o->head_len = directories_end(data, len);
    o->head = vq_xmalloc(o->head_len ? o->head_len : 1);
    /* No varaq allocation from here until Cairo owns o (the face is ready
     * and its file read: opening it again allocates nothing). */
    o->fd = vq_face_open_draw_file(face); /* its own: Cairo may keep the face after the registry */
    if (o->fd >= 0 && len > 0) {
        void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, o->fd, 0);
        o->map = map == MAP_FAILED ? NULL : map; /* without it, every read is a pread */
    }
    o->data = data;
    o->len = len;
    if (FT_Init_FreeType(&o->ft) != 0) {
        owned_release(o);
        vq_error_set(err, VQ_ERR_NOMEM, vq_face_path(face), 0, 0, "cannot initialise FreeType");
        return NULL;
    }
    o->cmap_at = (len + 3) & ~(size_t)3;
    memcpy(o->head, data, o->head_len);
    patch_directories(o->head, o->head_len, o->cmap_at);
    o->stream.size = o->cmap_at + EMPTY_CMAP_LEN;
    o->stream.descriptor.pointer = o;
    o->stream.read = stream_read;
    o->stream.close = stream_close;
    FT_Open_Args args = {.flags = FT_OPEN_STREAM, .stream = &o->stream};
    if (FT_Open_Face(o->ft, &args, (FT_Long)index, &o->ft_face) != 0) {
        FT_Done_FreeType(o->ft);
        owned_release(o);
        vq_error_set(err, VQ_ERR_INPUT, vq_face_path(face), 0, 0, "FreeType cannot load this font");
        return NULL;
    }
    /* FreeType selects the empty cmap (or, for a font without any, one it
     * made from the glyph names); Cairo must see none. */
    o->ft_face->charmap = NULL;
    cairo_font_face_t *cface = cairo_ft_font_face_create_for_ft_face(o->ft_face, 0);
    if (cairo_font_face_set_user_data(cface, &owned_key, o, owned_free) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(cface);
        owned_free(o);
        vq_error_set(err, VQ_ERR_NOMEM, vq_face_path(face), 0, 0, "out of memory");
        return NULL;
    }
    /* Cairo frees o (owned_free) when it drops the face, maybe after the
     * engine's heap is gone: not the heap's to release. */
    vq_heap_forget(o->head);
    vq_heap_forget(o);
    cf->entries[cf->count++] = (entry){face, cface, NULL, 0, 0};
    return cface;
}

static size_t mark_slot(const uint32_t *m, size_t cap, uint32_t glyph)
{
    size_t i = (size_t)((glyph + 1) * 2654435761u) & (cap - 1);
    while (m[i] && m[i] != glyph + 1)
        i = (i + 1) & (cap - 1);
    return i;
}

bool vq_cairo_faces_mark(vq_cairo_faces *cf, const vq_face *face, uint32_t glyph)
{
    entry *e = NULL;
    for (size_t i = 0; i < cf->count && !e; i++)
        if (cf->entries[i].face == face)
            e = &cf->entries[i];
    if (!e)
        return false;
    if (e->mark_cap && e->marks[mark_slot(e->marks, e->mark_cap, glyph)])
        return true;
    if (2 * (e->mark_count + 1) > e->mark_cap) { /* at most half full */
        size_t cap = e->mark_cap ? e->mark_cap * 2 : 256;
        uint32_t *m = vq_xcalloc(cap, sizeof *m);
        for (size_t i = 0; i < e->mark_cap; i++)
            if (e->marks[i])
                m[mark_slot(m, cap, e->marks[i] - 1)] = e->marks[i];
        free(e->marks);
        e->marks = m;
        e->mark_cap = cap;
    }
    e->marks[mark_slot(e->marks, e->mark_cap, glyph)] = glyph + 1;
    e->mark_count++;
    return false;
}
