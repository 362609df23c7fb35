/* Step 4: shape every item once with HarfBuzz, the whole paragraph given
 * as context so joining across item edges stays right. Default ignorables
 * keep a glyph (their text copies out) that is blank and zero-width. The buffer is
 * reused; hb_buffer_clear_contents resets direction, script, language and
 * flags, so they are set again for every item. */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base/chars.h"
#include "base/hash.h"
#include "text/internal.h"
#include "text/uprops.h"

hb_buffer_t *vq_text_buffer(vq_paragraph *p)
{
    if (!p->hb)
        p->hb = hb_buffer_create();
    return p->hb;
}

static void setup_buffer(vq_paragraph *p, const vq_item *it)
{
    hb_buffer_t *b = vq_text_buffer(p);
    hb_buffer_clear_contents(b);
    /* The direction comes from the bidi level, never from a guess: Persian
     * digits at an even level must come out left to right. */
    hb_buffer_set_direction(b, (it->level & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(b, hb_script_from_string(uscript_getShortName(it->script), -1));
    const char *lang = p->spans[it->span].style.lang;
    if (lang && *lang)
        hb_buffer_set_language(b, hb_language_from_string(lang, -1));
    else if (it->script == USCRIPT_ARABIC)
        hb_buffer_set_language(b, hb_language_from_string("fa", -1));
    /* ZWNJ stays the font's own zero-width glyph, one cluster per
     * character where the font allows it. */
    hb_buffer_flags_t flags = HB_BUFFER_FLAG_PRESERVE_DEFAULT_IGNORABLES;
    /* Where a tatweel may go without breaking a join: for kashida
     * justification (justify.c), kept in vq_sglyph.flags. */
    if (it->script == USCRIPT_ARABIC)
        flags |= HB_BUFFER_FLAG_PRODUCE_SAFE_TO_INSERT_TATWEEL;
    hb_buffer_set_flags(b, flags);
    hb_buffer_set_cluster_level(b, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
}

/* A glyph with no outline and no advance. */
static bool is_blank(hb_font_t *font, hb_codepoint_t g)
{
    hb_glyph_extents_t ext;
    return g != 0 && hb_font_get_glyph_h_advance(font, g) == 0 &&
           (!hb_font_get_glyph_extents(font, g, &ext) || (ext.width == 0 && ext.height == 0));
}

/* The order in which default ignorables get a spare: the common ones first. */
static unsigned ignorable_rank(uint32_t cp)
{
    static const uint32_t order[] = {0x200C, 0x200D, 0x2060, 0x200B, 0xFEFF, 0x034F, 0x180E};
    for (unsigned i = 0; i < sizeof order / sizeof *order; i++)
        if (order[i] == cp)
            return i;
    return sizeof order / sizeof *order;
}

/* The glyph a default ignorable (ZWNJ, ZWJ, U+2060, a variation selector)
 * is drawn with: it must show nothing and, because Cairo keeps one text per
 * glyph for a whole document, belong to this character alone so that its
 * text copies out. Amiri and Noto Serif draw ZWNJ and ZWJ as visible
 * marks, Vazirmatn has no U+2060. In order: the face's own glyph when it is
 * blank; a blank glyph of a character that is never drawn (LRM, RLM,
 * LRE…, the isolates), one per ignorable by rank; else the last of the
 * blank glyphs the conversion step added (shared by the rare rest). */
static uint32_t ignorable_glyph(vq_paragraph *p, const vq_face *face, uint32_t cp)
{
    size_t slot = cp % (sizeof p->blank_cache / sizeof *p->blank_cache);
    if (p->blank_cache[slot].face == face && p->blank_cache[slot].cp == cp)
        return p->blank_cache[slot].glyph;
    hb_font_t *font = vq_face_hb_font(face);
    hb_codepoint_t g = 0;
    if (!hb_font_get_nominal_glyph(font, cp, &g) || !is_blank(font, g)) {
        g = 0;
        unsigned rank = ignorable_rank(cp), seen = 0;
        /* Characters the paragraph engine never draws: their blank glyphs
         * are free to carry another invisible character's text. */
        uint32_t spare;
        for (size_t i = 0; !g && (spare = vq_char_dropped_nth(i)) != 0; i++) {
            hb_codepoint_t s;
            if (hb_font_get_nominal_glyph(font, spare, &s) && is_blank(font, s) && seen++ == rank)
                g = s;
        }
        size_t nblank;
        const uint32_t *blanks = vq_face_blank_glyphs(face, &nblank);
        if (!g && nblank > 0)
            g = blanks[nblank - 1];
    }
    p->blank_cache[slot].face = face;
    p->blank_cache[slot].cp = cp;
    p->blank_cache[slot].glyph = g;
    return g;
}

/* Appends glyphs g[0..n) (clusters relative to cluster_base) to *out,
 * leaving out those of bidi controls and line separators (they come from
 * the input and must not show). */
static size_t take_glyphs(vq_paragraph *p, const vq_item *it, const vq_cglyph *g, size_t n,
                          vq_sglyph **out, size_t *count, size_t *cap, uint32_t cluster_base)
{
    vq_text_grow(out, cap, *count + n, sizeof **out);
    size_t first = *count;
    for (size_t i = 0; i < n; i++) {
        uint32_t cluster = g[i].cluster + cluster_base;
        if (vq_text_dropped_at(p, cluster))
            continue;
        vq_sglyph *o = &(*out)[(*count)++];
        o->id = g[i].id;
        o->x_advance = g[i].x_advance;
        o->x_offset = g[i].x_offset;
        o->y_offset = g[i].y_offset;
        o->cluster = cluster;
        o->flags = g[i].flags;
        /* Kept by HB_BUFFER_FLAG_PRESERVE_DEFAULT_IGNORABLES so that its
         * text copies out, but never seen and never taking room. */
        uint32_t cp = vq_text_cp_at(p, cluster);
        if (cp >= 0xAD && vq_uprops_ignorable(cp) && (i == 0 || g[i - 1].cluster != g[i].cluster) &&
            (i + 1 == n || g[i + 1].cluster != g[i].cluster)) {
            uint32_t blank = ignorable_glyph(p, it->face, cp);
            if (blank)
                o->id = blank;
            o->x_advance = o->x_offset = o->y_offset = 0;
        }
    }
    return first;
}

/* The buffer's glyphs, clusters made relative to base, in p->cg. */
static const vq_cglyph *from_buffer(vq_paragraph *p, uint32_t base, size_t *count)
{
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(p->hb, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(p->hb, NULL);
    vq_text_grow(&p->cg, &p->cg_cap, n, sizeof *p->cg);
    for (unsigned i = 0; i < n; i++) {
        vq_cglyph *g = &p->cg[i];
        g->id = info[i].codepoint;
        g->cluster = info[i].cluster - base;
        g->flags = hb_glyph_info_get_glyph_flags(&info[i]);
        g->x_advance = pos[i].x_advance;
        g->x_offset = pos[i].x_offset;
        g->y_offset = pos[i].y_offset;
    }
    *count = n;
    return p->cg;
}

/* ---- the shaping cache ----
 *
 * HarfBuzz's output depends only on the font, the buffer's properties and
 * its text with up to HB_CONTEXT code points of context either side. The
 * same text is shaped many times over: a document laid out twice (once to
 * count its pages), a table cell measured and then set, a template's fixed
 * words in every record of a batch. Each face keeps what it shaped (on its
 * hb_font, so the cache lives and dies with the face's registry, which one
 * engine, used by one thread at a time, owns), keyed by all of that. */

enum {
    HB_CONTEXT = 5,                /* HB_BUFFER_CONTEXT_LENGTH in HarfBuzz */
    CACHE_BYTES = 4 * 1024 * 1024, /* per face: past it, the cache starts again empty */
};

typedef struct centry {
    struct centry *next;
    uint64_t hash;
    hb_direction_t dir;
    hb_script_t script;
    hb_language_t lang;
    hb_buffer_flags_t flags;
    uint32_t pre, len, post; /* bytes of context before, text, context after */
    uint32_t glyph_count;
    vq_cglyph glyphs[]; /* then the pre + len + post bytes of the key */
} centry;

typedef struct shape_cache {
    centry **slots;
    size_t nslots, count, bytes;
} shape_cache;

static hb_user_data_key_t cache_key;

static void cache_clear(shape_cache *c)
{
    for (size_t i = 0; i < c->nslots; i++)
        for (centry *e = c->slots[i], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    free(c->slots);
    c->slots = NULL;
    c->nslots = c->count = c->bytes = 0;
}

static void cache_free(void *data)
{
    cache_clear(data);
    free(data);
}

static shape_cache *cache_of(hb_font_t *font)
{
    shape_cache *c = hb_font_get_user_data(font, &cache_key);
    if (c)
        return c;
    c = vq_xcalloc(1, sizeof *c);
    if (!hb_font_set_user_data(font, &cache_key, c, cache_free, false)) {
        free(c);
        return NULL;
    }
    return c;
}

static const char *entry_key(const centry *e)
{
    return (const char *)&e->glyphs[e->glyph_count];
}

/* The key of item it: its text and the context HarfBuzz sees around it. */
typedef struct ckey {
    const char *bytes; /* pre + len + post */
    uint32_t pre, len, post;
    hb_direction_t dir;
    hb_script_t script;
    hb_language_t lang;
    hb_buffer_flags_t flags;
    uint64_t hash;
} ckey;

static void make_key(const vq_paragraph *p, size_t start, size_t end, ckey *k)
{
    const char *t = p->text.data;
    size_t a = start, b = end;
    for (int n = 0; n < HB_CONTEXT && a > 0; n++) /* whole code points back */
        a = vq_text_prev_start(t, a);
    for (int n = 0; n < HB_CONTEXT && b < p->text.len; n++)
        do
            b++;
        while (b < p->text.len && ((unsigned char)t[b] & 0xC0) == 0x80);
    k->bytes = t + a;
    k->pre = (uint32_t)(start - a);
    k->len = (uint32_t)(end - start);
    k->post = (uint32_t)(b - end);
    hb_buffer_t *buf = p->hb;
    k->dir = hb_buffer_get_direction(buf);
    k->script = hb_buffer_get_script(buf);
    k->lang = hb_buffer_get_language(buf);
    k->flags = hb_buffer_get_flags(buf);
    uint64_t h = vq_hash_bytes(VQ_HASH_SEED, k->bytes, b - a);
    uint64_t props[] = {(uint64_t)k->dir,
                        (uint64_t)k->script,
                        (uint64_t)(uintptr_t)k->lang,
                        (uint64_t)k->flags,
                        k->pre,
                        k->len};
    for (size_t i = 0; i < sizeof props / sizeof *props; i++)
        h = vq_hash_word(h, props[i]);
    k->hash = h;
}

static centry *cache_find(const shape_cache *c, const ckey *k)
{
    if (!c->nslots)
        return NULL;
    for (centry *e = c->slots[k->hash & (c->nslots - 1)]; e; e = e->next)
        if (e->hash == k->hash && e->pre == k->pre && e->len == k->len && e->post == k->post &&
            e->dir == k->dir && e->script == k->script && e->lang == k->lang &&
            e->flags == k->flags && memcmp(entry_key(e), k->bytes, k->pre + k->len + k->post) == 0)
            return e;
    return NULL;
}

static void cache_add(shape_cache *c, const ckey *k, const vq_cglyph *g, size_t n)
{
    size_t keylen = (size_t)k->pre + k->len + k->post;
    size_t size = sizeof(centry) + n * sizeof *g + keylen;
    if (c->bytes + size > CACHE_BYTES)
        cache_clear(c);
    if (c->count >= c->nslots) { /* at most one entry per slot on average */
        size_t ns = c->nslots ? c->nslots * 2 : 256;
        centry **slots = vq_xcalloc(ns, sizeof *slots);
        for (size_t i = 0; i < c->nslots; i++)
            for (centry *e = c->slots[i], *next; e; e = next) {
                next = e->next;
                e->next = slots[e->hash & (ns - 1)];
                slots[e->hash & (ns - 1)] = e;
            }
        free(c->slots);
        c->slots = slots;
        c->nslots = ns;
    }
    centry *e = vq_xmalloc(size);
    e->hash = k->hash;
    e->dir = k->dir;
    e->script = k->script;
    e->lang = k->lang;
    e->flags = k->flags;
    e->pre = k->pre;
    e->len = k->len;
    e->post = k->post;
    e->glyph_count = (uint32_t)n;
    memcpy(e->glyphs, g, n * sizeof *g);
    memcpy((char *)entry_key(e), k->bytes, keylen);
    e->next = c->slots[k->hash & (c->nslots - 1)];
    c->slots[k->hash & (c->nslots - 1)] = e;
    c->count++;
    c->bytes += size;
}

/* The glyphs of item it as hb_shape gives them with the whole paragraph
 * as context, clusters relative to it->start: from the face's cache, or
 * shaped and remembered. */
static const vq_cglyph *shape_item(vq_paragraph *p, const vq_item *it, size_t *count)
{
    hb_font_t *font = vq_face_hb_font(it->face);
    setup_buffer(p, it);
    ckey k;
    make_key(p, it->start, it->end, &k);
    shape_cache *c = cache_of(font);
    const centry *e = c ? cache_find(c, &k) : NULL;
    if (e) {
        *count = e->glyph_count;
        return e->glyphs;
    }
    hb_buffer_add_utf8(p->hb, p->text.data, (int)p->text.len, (unsigned)it->start,
                       (int)(it->end - it->start));
    hb_shape(font, p->hb, NULL, 0);
    p->shape_count++;
    const vq_cglyph *g = from_buffer(p, (uint32_t)it->start, count);
    if (c)
        cache_add(c, &k, g, *count);
    return g;
}

void vq_text_shape(vq_paragraph *p)
{
    size_t len = p->text.len;
    p->glyph_count = 0;
    for (size_t i = 0; i < p->item_count; i++) {
        vq_item *it = &p->items[i];
        size_t n;
        const vq_cglyph *g = shape_item(p, it, &n);
        it->glyph_start = take_glyphs(p, it, g, n, &p->glyphs, &p->glyph_count, &p->glyph_cap,
                                      (uint32_t)it->start);
        it->glyph_count = p->glyph_count - it->glyph_start;
    }

    /* Widths by text position, so that any line's width is one subtraction. */
    p->x_prefix = vq_xrealloc(p->x_prefix, (len + 1) * sizeof *p->x_prefix);
    p->space_prefix = vq_xrealloc(p->space_prefix, (len + 1) * sizeof *p->space_prefix);
    memset(p->x_prefix, 0, (len + 1) * sizeof *p->x_prefix);
    memset(p->space_prefix, 0, (len + 1) * sizeof *p->space_prefix);
    for (size_t i = 0; i < p->item_count; i++) {
        const vq_item *it = &p->items[i];
        for (size_t k = 0; k < it->glyph_count; k++) {
            const vq_sglyph *g = &p->glyphs[it->glyph_start + k];
            double w = g->x_advance * it->scale;
            p->x_prefix[g->cluster + 1] += w;
            if (vq_text_space_at(p, g->cluster))
                p->space_prefix[g->cluster + 1] += w;
        }
    }
    for (size_t b = 1; b <= len; b++) {
        p->x_prefix[b] += p->x_prefix[b - 1];
        p->space_prefix[b] += p->space_prefix[b - 1];
    }
}

size_t vq_text_reshape(vq_paragraph *p, const vq_item *item, size_t start, size_t end,
                       size_t *count)
{
    setup_buffer(p, item);
    hb_buffer_add_utf8(p->hb, p->text.data + start, (int)(end - start), 0, (int)(end - start));
    hb_shape(vq_face_hb_font(item->face), p->hb, NULL, 0);
    size_t before = p->scratch_count, n;
    const vq_cglyph *g = from_buffer(p, 0, &n);
    size_t first = take_glyphs(p, item, g, n, &p->scratch, &p->scratch_count, &p->scratch_cap,
                               (uint32_t)start);
    *count = p->scratch_count - before;
    return first;
}

bool vq_text_hyphen_for(const vq_paragraph *p, size_t shy, uint32_t *glyph, double *advance)
{
    size_t lo = 0, hi = p->item_count;
    while (lo < hi) { /* the item holding byte shy */
        size_t mid = lo + (hi - lo) / 2;
        if (p->items[mid].end <= shy)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == p->item_count)
        return false;
    const vq_item *it = &p->items[lo];
    hb_font_t *font = vq_face_hb_font(it->face);
    hb_codepoint_t g;
    if (!hb_font_get_nominal_glyph(font, 0x2010, &g) && !hb_font_get_nominal_glyph(font, '-', &g))
        return false;
    *glyph = g;
    *advance = hb_font_get_glyph_h_advance(font, g) * it->scale;
    return true;
}
