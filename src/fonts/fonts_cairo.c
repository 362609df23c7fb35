#include "fonts/fonts_cairo.h"

#include <stdlib.h>
#include <string.h>

#include <cairo-ft.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "base/buf.h"

typedef struct entry {
    const vq_face *face;
    cairo_font_face_t *cairo;
} entry;

struct vq_cairo_faces {
    entry *entries;
    size_t count;
};

/* What a Cairo face owns, freed when Cairo destroys the face, which may be
 * after the cache is gone (a surface can keep a scaled font): so each face
 * has a FreeType library of its own. FreeType reads the registry's bytes
 * through a stream that overlays a patched copy of the table directories
 * (cmap hidden), so the font is not copied. */
typedef struct owned {
    FT_Library ft;
    FT_Face ft_face;
    FT_StreamRec stream;
    const unsigned char *data;
    size_t len;
    unsigned char *head; /* the first head_len bytes, patched */
    size_t head_len;
} owned;

static unsigned long stream_read(FT_Stream stream, unsigned long offset, unsigned char *buffer,
                                 unsigned long count)
{
    owned *o = stream->descriptor.pointer;
    if (count == 0)
        return offset > o->len; /* a seek: non-zero means failure */
    if (offset >= o->len)
        return 0;
    if (count > o->len - offset)
        count = o->len - offset;
    memcpy(buffer, o->data + offset, count);
    if (offset < o->head_len) {
        size_t n = o->head_len - offset < count ? o->head_len - offset : count;
        memcpy(buffer, o->head + offset, n);
    }
    return count;
}

static void stream_close(FT_Stream stream)
{
    (void)stream;
}

static const cairo_user_data_key_t owned_key;

static void owned_free(void *p)
{
    owned *o = p;
    FT_Done_Face(o->ft_face);
    FT_Done_FreeType(o->ft);
    free(o->head);
    free(o);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Renames the cmap entry of the table directory at offset dir ("cmap" →
 * "cmaX"; directories are searched linearly by FreeType, so the order does
 * not matter). */
static void hide_cmap_at(unsigned char *b, size_t len, size_t dir)
{
    if (dir + 12 > len)
        return;
    size_t n = (size_t)b[dir + 4] << 8 | b[dir + 5];
    if (dir + 12 + 16 * n > len)
        n = (len - dir - 12) / 16;
    for (size_t i = 0; i < n && dir + 12 + 16 * (i + 1) <= len; i++) {
        unsigned char *rec = b + dir + 12 + 16 * i;
        if (memcmp(rec, "cmap", 4) == 0)
            rec[3] = 'X';
    }
}

/* Where the table directories end: the bytes the cmap patch touches. */
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

static void hide_cmap(unsigned char *b, size_t len)
{
    if (len >= 12 && memcmp(b, "ttcf", 4) == 0) {
        size_t n = be32(b + 8);
        for (size_t i = 0; i < n && 12 + 4 * (i + 1) <= len; i++)
            hide_cmap_at(b, len, be32(b + 12 + 4 * i));
    } else {
        hide_cmap_at(b, len, 0);
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
    for (size_t i = 0; i < cf->count; i++)
        cairo_font_face_destroy(cf->entries[i].cairo);
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
    /* Room first: nothing below may fail once Cairo owns the face. */
    cf->entries = vq_xrealloc(cf->entries, (cf->count + 1) * sizeof *cf->entries);
    owned *o = vq_xcalloc(1, sizeof *o);
    o->head_len = directories_end(data, len);
    o->head = vq_xmalloc(o->head_len ? o->head_len : 1);
    /* No varaq allocation from here until Cairo owns o. */
    if (FT_Init_FreeType(&o->ft) != 0) {
        free(o->head);
        free(o);
        vq_error_set(err, VQ_ERR_NOMEM, vq_face_path(face), 0, 0, "cannot initialise FreeType");
        return NULL;
    }
    o->data = data;
    o->len = len;
    memcpy(o->head, data, o->head_len);
    hide_cmap(o->head, o->head_len);
    o->stream.size = len;
    o->stream.descriptor.pointer = o;
    o->stream.read = stream_read;
    o->stream.close = stream_close;
    FT_Open_Args args = {.flags = FT_OPEN_STREAM, .stream = &o->stream};
    if (FT_Open_Face(o->ft, &args, (FT_Long)index, &o->ft_face) != 0) {
        FT_Done_FreeType(o->ft);
        free(o->head);
        free(o);
        vq_error_set(err, VQ_ERR_INPUT, vq_face_path(face), 0, 0, "FreeType cannot load this font");
        return NULL;
    }
    /* FreeType may synthesise a Unicode charmap from glyph names; Cairo must
     * see none. */
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
    cf->entries[cf->count++] = (entry){face, cface};
    return cface;
}
