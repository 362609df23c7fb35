/* TrueType (or name-keyed CFF) to CID-keyed CFF OpenType, in memory; see
 * cidcff.h for why. The CFF written is the one fonts/convert.py writes for
 * the bundled faces: ROS Adobe-Identity-0, CID = glyph id, one Font DICT,
 * the scale in the top DICT's FontMatrix, no subroutines, no hints. */
#include "fonts/cidcff.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned rd16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static void put16(vq_buf *b, unsigned v)
{
    vq_buf_append_char(b, (char)(v >> 8 & 0xFF));
    vq_buf_append_char(b, (char)(v & 0xFF));
}

static void put32(vq_buf *b, uint32_t v)
{
    put16(b, v >> 16);
    put16(b, v & 0xFFFF);
}

static void set16(vq_buf *b, size_t at, unsigned v)
{
    b->data[at] = (char)(v >> 8 & 0xFF);
    b->data[at + 1] = (char)(v & 0xFF);
}

/* One table of the face: where it is, or NULL. */
static const unsigned char *table(const unsigned char *data, size_t len, unsigned index,
                                  const char tag[4], size_t *tlen)
{
    size_t dir = 0;
    if (len >= 12 && memcmp(data, "ttcf", 4) == 0) {
        if (index >= rd32(data + 8) || 12 + 4 * (size_t)(index + 1) > len)
            return NULL;
        dir = rd32(data + 12 + 4 * index);
    } else if (index != 0) {
        return NULL;
    }
    if (dir + 12 > len)
        return NULL;
    unsigned n = rd16(data + dir + 4);
    for (unsigned i = 0; i < n && dir + 12 + 16 * (size_t)(i + 1) <= len; i++) {
        const unsigned char *rec = data + dir + 12 + 16 * i;
        if (memcmp(rec, tag, 4) != 0)
            continue;
        size_t off = rd32(rec + 8), l = rd32(rec + 12);
        if (off > len || l > len - off)
            return NULL;
        *tlen = l;
        return data + off;
    }
    return NULL;
}

/* ---- Type 2 charstrings ---- */

/* Bytes of one operator and its operands are gathered in ops, then
 * appended at once. */
typedef struct pen {
    vq_buf *cs;
    long x, y; /* current point, font units */
    long xmin;
    unsigned char ops[32];
    size_t n;
} pen;

static size_t cs_num(unsigned char *b, long v)
{
    if (v >= -107 && v <= 107) {
        b[0] = (unsigned char)(v + 139);
        return 1;
    }
    if (v >= 108 && v <= 1131) {
        v -= 108;
        b[0] = (unsigned char)((v >> 8) + 247);
        b[1] = (unsigned char)(v & 0xFF);
        return 2;
    }
    if (v >= -1131 && v <= -108) {
        v = -v - 108;
        b[0] = (unsigned char)((v >> 8) + 251);
        b[1] = (unsigned char)(v & 0xFF);
        return 2;
    }
    v = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
    b[0] = 28;
    b[1] = (unsigned char)(v >> 8 & 0xFF);
    b[2] = (unsigned char)(v & 0xFF);
    return 3;
}

static long round_unit(double v)
{
    return (long)floor(v + 0.5);
}

static void to(pen *p, double fx, double fy)
{
    long x = round_unit(fx), y = round_unit(fy);
    p->n += cs_num(p->ops + p->n, x - p->x);
    p->n += cs_num(p->ops + p->n, y - p->y);
    p->x = x;
    p->y = y;
    if (x < p->xmin)
        p->xmin = x;
}

static void emit(pen *p, unsigned char code)
{
    p->ops[p->n++] = code;
    vq_buf_append(p->cs, p->ops, p->n);
    p->n = 0;
}

static int move_to(const FT_Vector *v, void *user)
{
    pen *p = user;
    to(p, (double)v->x, (double)v->y);
    emit(p, 21); /* rmoveto */
    return 0;
}

static int line_to(const FT_Vector *v, void *user)
{
    pen *p = user;
    to(p, (double)v->x, (double)v->y);
    emit(p, 5); /* rlineto */
    return 0;
}

static int cubic_to(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *v, void *user)
{
    pen *p = user;
    to(p, (double)c1->x, (double)c1->y);
    to(p, (double)c2->x, (double)c2->y);
    to(p, (double)v->x, (double)v->y);
    emit(p, 8); /* rrcurveto */
    return 0;
}

/* A quadratic segment is the cubic with controls 2/3 of the way to its one
 * control point; rounded to font units (the TrueType points are integers). */
static int conic_to(const FT_Vector *c, const FT_Vector *v, void *user)
{
    pen *p = user;
    double x0 = (double)p->x, y0 = (double)p->y;
    double c1x = x0 + 2.0 / 3.0 * ((double)c->x - x0), c1y = y0 + 2.0 / 3.0 * ((double)c->y - y0);
    double c2x = (double)v->x + 2.0 / 3.0 * ((double)c->x - (double)v->x);
    double c2y = (double)v->y + 2.0 / 3.0 * ((double)c->y - (double)v->y);
    to(p, c1x, c1y);
    to(p, c2x, c2y);
    to(p, (double)v->x, (double)v->y);
    emit(p, 8);
    return 0;
}

/* ---- CFF DICT and INDEX ---- */

static void dict_int(vq_buf *b, long v)
{
    if (v >= -107 && v <= 107) {
        vq_buf_append_char(b, (char)(v + 139));
    } else if (v >= -32768 && v <= 32767) {
        vq_buf_append_char(b, 28);
        put16(b, (unsigned)(v & 0xFFFF));
    } else {
        vq_buf_append_char(b, 29);
        put32(b, (uint32_t)v);
    }
}

/* Always 5 bytes, so that offsets can be filled in once they are known. */
static size_t dict_offset(vq_buf *b)
{
    vq_buf_append_char(b, 29);
    size_t at = b->len;
    put32(b, 0);
    return at;
}

static void set_offset(vq_buf *b, size_t at, size_t v)
{
    set16(b, at, (unsigned)(v >> 16));
    set16(b, at + 2, (unsigned)(v & 0xFFFF));
}

static void dict_real(vq_buf *b, double v)
{
    char s[32];
    snprintf(s, sizeof s, "%.10g", v);
    unsigned char nib[64];
    size_t n = 0;
    for (const char *p = s; *p && n < 60; p++) {
        if (*p >= '0' && *p <= '9')
            nib[n++] = (unsigned char)(*p - '0');
        else if (*p == '.')
            nib[n++] = 0xA;
        else if (*p == '-')
            nib[n++] = 0xE;
        else if ((*p == 'e' || *p == 'E') && p[1] == '-') {
            nib[n++] = 0xC;
            p++;
        } else if (*p == 'e' || *p == 'E') {
            nib[n++] = 0xB;
            if (p[1] == '+')
                p++;
        }
    }
    nib[n++] = 0xF;
    if (n % 2)
        nib[n++] = 0xF;
    vq_buf_append_char(b, 30);
    for (size_t i = 0; i < n; i += 2)
        vq_buf_append_char(b, (char)(nib[i] << 4 | nib[i + 1]));
}

static void op(vq_buf *b, int code)
{
    if (code >= 1200) {
        vq_buf_append_char(b, 12);
        vq_buf_append_char(b, (char)(code - 1200));
    } else {
        vq_buf_append_char(b, (char)code);
    }
}

/* An INDEX of count items whose data is `data`, item i being
 * data[ends[i-1], ends[i]) (ends[-1] = 0). */
static void put_index(vq_buf *b, const char *data, const size_t *ends, size_t count)
{
    put16(b, (unsigned)count);
    if (count == 0)
        return;
    size_t total = ends[count - 1] + 1;
    unsigned os = total <= 0xFF ? 1 : total <= 0xFFFF ? 2 : total <= 0xFFFFFF ? 3 : 4;
    vq_buf_append_char(b, (char)os);
    for (size_t i = 0; i <= count; i++) {
        size_t o = (i == 0 ? 0 : ends[i - 1]) + 1;
        for (unsigned k = os; k-- > 0;)
            vq_buf_append_char(b, (char)(o >> (8 * k) & 0xFF));
    }
    vq_buf_append(b, data, ends[count - 1]);
}

static void put_one(vq_buf *b, const char *data, size_t len)
{
    put_index(b, data, &len, 1);
}

/* The PostScript name (name ID 6) in ASCII, or a stand-in. */
static void ps_name(const unsigned char *name, size_t len, char *out, size_t size)
{
    snprintf(out, size, "VaraqUserFont");
    if (!name || len < 6)
        return;
    unsigned count = rd16(name + 2), strings = rd16(name + 4);
    for (unsigned i = 0; i < count && 6 + 12 * (size_t)(i + 1) <= len; i++) {
        const unsigned char *r = name + 6 + 12 * i;
        unsigned platform = rd16(r), id = rd16(r + 6), l = rd16(r + 8), off = rd16(r + 10);
        if (id != 6 || (size_t)strings + off + l > len)
            continue;
        const unsigned char *s = name + strings + off;
        size_t n = 0;
        bool wide = platform == 0 || platform == 3;
        for (unsigned k = wide ? 1 : 0; k < l && n + 1 < size && n < 63; k += wide ? 2 : 1)
            if (s[k] > 32 && s[k] < 127 && !strchr("[](){}<>/%", s[k]))
                out[n++] = (char)s[k];
        if (n) {
            out[n] = 0;
            return;
        }
    }
}

/* The CFF table: glyphs' charstrings in cs (item i ends at ends[i]). */
static void build_cff(vq_buf *out, const char *name, unsigned upem, const int bbox[4],
                      const char *cs, const size_t *ends, unsigned count)
{
    size_t start = out->len;
    vq_buf_append(out, "\x01\x00\x04\x04", 4);
    put_one(out, name, strlen(name));

    /* Strings: 391 "Adobe", 392 "Identity", 393 the font name. */
    vq_buf top = VQ_BUF_INIT;
    dict_int(&top, 391);
    dict_int(&top, 392);
    dict_int(&top, 0);
    op(&top, 1230); /* ROS */
    dict_int(&top, count);
    op(&top, 1234); /* CIDCount */
    for (int i = 0; i < 6; i++) {
        if (i == 0 || i == 3)
            dict_real(&top, 1.0 / upem);
        else
            dict_int(&top, 0);
    }
    op(&top, 1207); /* FontMatrix */
    for (int i = 0; i < 4; i++)
        dict_int(&top, bbox[i]);
    op(&top, 5); /* FontBBox */
    size_t at_charset = dict_offset(&top);
    op(&top, 15);
    size_t at_charstrings = dict_offset(&top);
    op(&top, 17);
    size_t at_fdarray = dict_offset(&top);
    op(&top, 1236);
    size_t at_fdselect = dict_offset(&top);
    op(&top, 1237);

    /* The top DICT's offsets are from the start of the CFF; its size does
     * not change when they are filled in. */
    put_one(out, top.data, top.len);
    size_t top_at = out->len - top.len;

    const char *strs[3] = {"Adobe", "Identity", name};
    size_t send[3], sl = 0;
    vq_buf sdata = VQ_BUF_INIT;
    for (int i = 0; i < 3; i++) {
        vq_buf_append_str(&sdata, strs[i]);
        sl += strlen(strs[i]);
        send[i] = sl;
    }
    put_index(out, sdata.data, send, 3);
    vq_buf_free(&sdata);
    put16(out, 0); /* no global subroutines */

    size_t charset = out->len - start;
    vq_buf_append_char(out, 2); /* format 2: CIDs 1..count-1 in one range */
    put16(out, 1);
    put16(out, count - 2);
    size_t fdselect = out->len - start;
    vq_buf_append_char(out, 3);
    put16(out, 1);
    put16(out, 0);
    vq_buf_append_char(out, 0);
    put16(out, count);
    size_t charstrings = out->len - start;
    put_index(out, cs, ends, count);

    /* Private DICT: the widths are written in every charstring (nominal 0);
     * a Private DICT that is not empty (poppler rejects an empty one). */
    static const char private_dict[] = {(char)139, 20, (char)139, 21};
    vq_buf fd = VQ_BUF_INIT;
    dict_int(&fd, 393);
    op(&fd, 1238); /* FontName */
    dict_int(&fd, (long)sizeof private_dict);
    size_t at_private = dict_offset(&fd);
    op(&fd, 18);
    size_t fdarray = out->len - start;
    put_one(out, fd.data, fd.len);
    size_t fd_at = out->len - fd.len;
    size_t private_at = out->len - start;
    vq_buf_append(out, private_dict, sizeof private_dict);
    set_offset(out, fd_at + at_private, private_at);
    vq_buf_free(&fd);

    set_offset(out, top_at + at_charset, charset);
    set_offset(out, top_at + at_charstrings, charstrings);
    set_offset(out, top_at + at_fdarray, fdarray);
    set_offset(out, top_at + at_fdselect, fdselect);
    vq_buf_free(&top);
}

/* ---- The OpenType file ---- */

typedef struct out_table {
    char tag[5];
    size_t at, len;
} out_table;

static uint32_t checksum(const char *p, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i += 4) {
        unsigned char w[4] = {0, 0, 0, 0};
        memcpy(w, p + i, len - i < 4 ? len - i : 4);
        sum += rd32(w);
    }
    return sum;
}

/* The source's TrueType outlines, for the renderer's FreeType face only
 * (fonts_cairo.c shows them as glyf, loca and maxp, as for the bundled
 * faces: fonts/convert.py): glyf as it is, loca with the appended glyphs
 * empty, a version 1 maxp counting them. NULL glyf when the face has no
 * such outlines to keep. */
typedef struct truetype_outlines {
    const unsigned char *glyf, *loca, *maxp;
    size_t glyf_len;
    bool long_offsets;
} truetype_outlines;

static truetype_outlines find_truetype_outlines(const unsigned char *data, size_t len,
                                                unsigned index, const unsigned char *head,
                                                unsigned n)
{
    truetype_outlines tt = {0};
    size_t loca_len, maxp_len;
    const unsigned char *glyf = table(data, len, index, "glyf", &tt.glyf_len);
    const unsigned char *loca = table(data, len, index, "loca", &loca_len);
    const unsigned char *maxp = table(data, len, index, "maxp", &maxp_len);
    unsigned format = rd16(head + 50);
    if (!glyf || !loca || !maxp || maxp_len < 32 || rd32(maxp) != 0x00010000 || format > 1 ||
        loca_len < (size_t)(n + 1) * (format ? 4 : 2))
        return tt;
    tt.glyf = glyf;
    tt.loca = loca;
    tt.maxp = maxp;
    tt.long_offsets = format == 1;
    return tt;
}

/* Glyph g's offset in glyf, from loca. */
static size_t loca_at(const truetype_outlines *tt, unsigned g)
{
    return tt->long_offsets ? rd32(tt->loca + 4 * (size_t)g)
                            : 2 * (size_t)rd16(tt->loca + 2 * (size_t)g);
}

/* A TrueType glyph's least x (its header's xMin), the left side bearing
 * FreeType's TrueType driver needs to leave the outline where it is. */
static bool truetype_x_min(const truetype_outlines *tt, unsigned g, int *x_min)
{
    size_t at = loca_at(tt, g), end = loca_at(tt, g + 1);
    if (end <= at || end > tt->glyf_len || end - at < 10)
        return false;
    *x_min = (int16_t)rd16(tt->glyf + at + 2);
    return true;
}

unsigned vq_cid_wide_width(unsigned i, unsigned upem)
{
    /* As fonts/convert.py: VQ_WIDE_EMS, VQ_WIDE_COPIES of each. */
    static const double ems[] = {0.1, 0.35, 0.6, 0.85, 1.1};
    unsigned k = i / VQ_CID_WIDE_COPIES;
    return (unsigned)lround(ems[k < 5 ? k : 4] * upem);
}

bool vq_cid_convert(const unsigned char *data, size_t len, unsigned index, vq_buf *out)
{
    size_t head_len, hhea_len, hmtx_len, os2_len = 0, name_len = 0, post_len = 0;
    const unsigned char *head = table(data, len, index, "head", &head_len);
    const unsigned char *hhea = table(data, len, index, "hhea", &hhea_len);
    const unsigned char *hmtx = table(data, len, index, "hmtx", &hmtx_len);
    const unsigned char *os2 = table(data, len, index, "OS/2", &os2_len);
    const unsigned char *name = table(data, len, index, "name", &name_len);
    const unsigned char *post = table(data, len, index, "post", &post_len);
    if (!head || head_len < 54 || !hhea || hhea_len < 36 || !hmtx)
        return false;
    unsigned nhm = rd16(hhea + 34);
    if (nhm == 0 || hmtx_len < 4 * (size_t)nhm)
        return false;

    FT_Library ft;
    if (FT_Init_FreeType(&ft) != 0)
        return false;
    FT_Face face;
    if (FT_New_Memory_Face(ft, data, (FT_Long)len, (FT_Long)index, &face) != 0) {
        FT_Done_FreeType(ft);
        return false;
    }
    unsigned n = (unsigned)face->num_glyphs, count = n + VQ_CID_WIDES + VQ_CID_BLANKS;
    unsigned upem = face->units_per_EM ? face->units_per_EM : 1000;
    if (n < 1 || count > 65535) {
        FT_Done_Face(face);
        FT_Done_FreeType(ft);
        return false;
    }
    truetype_outlines tt = find_truetype_outlines(data, len, index, head, n);
    vq_buf cs = VQ_BUF_INIT;
    size_t *ends = vq_xmalloc(count * sizeof *ends);
    unsigned *adv = vq_xmalloc(count * sizeof *adv);
    int *lsb = vq_xmalloc(count * sizeof *lsb);
    FT_Outline_Funcs funcs = {move_to, line_to, conic_to, cubic_to, 0, 0};
    for (unsigned g = 0; g < count; g++) {
        unsigned a = 0;
        if (g < n)
            a = rd16(hmtx + 4 * (g < nhm ? g : nhm - 1));
        else if (g < n + VQ_CID_WIDES)
            a = vq_cid_wide_width(g - n, upem);
        adv[g] = a;
        lsb[g] = 0;
        pen p = {&cs, 0, 0, 0x7FFFFFFF, {0}, 0};
        if (a)
            p.n = cs_num(p.ops, (long)a); /* the width, nominalWidthX being 0 */
        if (g < n &&
            FT_Load_Glyph(face, g, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) ==
                0 &&
            face->glyph->format == FT_GLYPH_FORMAT_OUTLINE && face->glyph->outline.n_points > 0) {
            FT_Outline_Decompose(&face->glyph->outline, &funcs, &p);
            lsb[g] = p.xmin == 0x7FFFFFFF ? 0 : (int)p.xmin;
            int x_min;
            if (tt.glyf && truetype_x_min(&tt, g, &x_min))
                lsb[g] = x_min;
        }
        emit(&p, 14); /* endchar */
        ends[g] = cs.len;
    }
    FT_Done_Face(face);
    FT_Done_FreeType(ft);

    char psname[64];
    ps_name(name, name_len, psname, sizeof psname);
    int bbox[4] = {(int16_t)rd16(head + 36), (int16_t)rd16(head + 38), (int16_t)rd16(head + 40),
                   (int16_t)rd16(head + 42)};

    /* Tables in tag order. */
    out_table t[11];
    int nt = 0;
    vq_buf body = VQ_BUF_INIT;
#define BEGIN(tg) (memcpy(t[nt].tag, tg, 5), t[nt].at = body.len)
#define END()                                                                                      \
    (t[nt].len = body.len - t[nt].at, nt++, vq_buf_append(&body, "\0\0\0", (4 - body.len % 4) % 4))
    BEGIN("CFF ");
    build_cff(&body, psname, upem, bbox, cs.data, ends, count);
    END();
    if (os2) {
        BEGIN("OS/2");
        vq_buf_append(&body, os2, os2_len);
        END();
    }
    BEGIN("head");
    vq_buf_append(&body, head, 54);
    memset(body.data + t[nt].at + 8, 0, 4); /* checkSumAdjustment */
    END();
    BEGIN("hhea");
    vq_buf_append(&body, hhea, 36);
    set16(&body, t[nt].at + 34, count);
    END();
    BEGIN("hmtx");
    for (unsigned g = 0; g < count; g++) {
        put16(&body, adv[g]);
        put16(&body, (unsigned)(lsb[g] & 0xFFFF));
    }
    END();
    BEGIN("maxp");
    put32(&body, 0x00005000);
    put16(&body, count);
    END();
    if (name) {
        BEGIN("name");
        vq_buf_append(&body, name, name_len);
        END();
    }
    BEGIN("post");
    /* Format 3: no glyph names (a CID font has none). */
    unsigned char p3[32] = {0, 3, 0, 0};
    if (post && post_len >= 32)
        memcpy(p3 + 4, post + 4, 28);
    vq_buf_append(&body, p3, sizeof p3);
    END();
    if (tt.glyf) {
        BEGIN("vqgl");
        vq_buf_append(&body, tt.glyf, tt.glyf_len);
        END();
        BEGIN("vqlo");
        for (unsigned g = 0; g <= count; g++) {
            size_t at = loca_at(&tt, g <= n ? g : n);
            if (tt.long_offsets)
                put32(&body, (uint32_t)at);
            else
                put16(&body, (unsigned)(at / 2));
        }
        END();
        BEGIN("vqmp");
        vq_buf_append(&body, tt.maxp, 32);
        set16(&body, t[nt].at + 4, count);
        END();
    }
#undef BEGIN
#undef END

    unsigned sel = 0;
    while ((2u << sel) <= (unsigned)nt)
        sel++;
    size_t dir_len = 12 + 16 * (size_t)nt;
    vq_buf_append(out, "OTTO", 4);
    put16(out, (unsigned)nt);
    put16(out, 16u << sel);
    put16(out, sel);
    put16(out, (unsigned)nt * 16 - (16u << sel));
    for (int i = 0; i < nt; i++) {
        vq_buf_append(out, t[i].tag, 4);
        put32(out, checksum(body.data + t[i].at, t[i].len));
        put32(out, (uint32_t)(dir_len + t[i].at));
        put32(out, (uint32_t)t[i].len);
    }
    vq_buf_append(out, body.data, body.len);
    vq_buf_free(&body);
    vq_buf_free(&cs);
    free(ends);
    free(adv);
    free(lsb);
    return true;
}
