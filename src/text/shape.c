/* Step 4: shape every item once with HarfBuzz, the whole paragraph given
 * as context so joining across item edges stays right. Default ignorables
 * keep a glyph (their text copies out) that is blank and zero-width. The buffer is
 * reused; hb_buffer_clear_contents resets direction, script, language and
 * flags, so they are set again for every item. */
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "text/internal.h"

static void setup_buffer(vq_paragraph *p, const vq_item *it)
{
    hb_buffer_t *b = p->hb;
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

/* Characters the paragraph engine never draws (vq_char_is_dropped): their
 * blank glyphs are free to carry another invisible character's text. */
static const uint32_t SPARE_SOURCES[] = {0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                         0x2066, 0x2067, 0x2068, 0x2069, 0x061C, 0x2028};

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
        for (size_t i = 0; i < sizeof SPARE_SOURCES / sizeof *SPARE_SOURCES && !g; i++) {
            hb_codepoint_t s;
            if (hb_font_get_nominal_glyph(font, SPARE_SOURCES[i], &s) && is_blank(font, s) &&
                seen++ == rank)
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

/* Appends the buffer's glyphs to *out, leaving out those of bidi controls
 * and line separators (they come from the input and must not show). */
static size_t take_glyphs(vq_paragraph *p, const vq_item *it, vq_sglyph **out, size_t *count,
                          size_t *cap, uint32_t cluster_base)
{
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(p->hb, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(p->hb, NULL);
    vq_text_grow(out, cap, *count + n, sizeof **out);
    size_t first = *count;
    for (unsigned i = 0; i < n; i++) {
        uint32_t cluster = info[i].cluster + cluster_base;
        if (vq_text_dropped_at(p, cluster))
            continue;
        vq_sglyph *g = &(*out)[(*count)++];
        g->id = info[i].codepoint;
        g->x_advance = pos[i].x_advance;
        g->x_offset = pos[i].x_offset;
        g->y_offset = pos[i].y_offset;
        g->cluster = cluster;
        g->flags = hb_glyph_info_get_glyph_flags(&info[i]);
        /* Kept by HB_BUFFER_FLAG_PRESERVE_DEFAULT_IGNORABLES so that its
         * text copies out, but never seen and never taking room. */
        uint32_t cp = vq_text_cp_at(p, cluster);
        if (cp >= 0xAD && u_hasBinaryProperty((UChar32)cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) &&
            (i == 0 || info[i - 1].cluster != info[i].cluster) &&
            (i + 1 == n || info[i + 1].cluster != info[i].cluster)) {
            uint32_t blank = ignorable_glyph(p, it->face, cp);
            if (blank)
                g->id = blank;
            g->x_advance = g->x_offset = g->y_offset = 0;
        }
    }
    return first;
}

void vq_text_shape(vq_paragraph *p)
{
    if (!p->hb)
        p->hb = hb_buffer_create();
    size_t len = p->text.len;
    p->glyph_count = 0;
    for (size_t i = 0; i < p->item_count; i++) {
        vq_item *it = &p->items[i];
        setup_buffer(p, it);
        hb_buffer_add_utf8(p->hb, p->text.data, (int)len, (unsigned)it->start,
                           (int)(it->end - it->start));
        hb_shape(vq_face_hb_font(it->face), p->hb, NULL, 0);
        it->glyph_start = take_glyphs(p, it, &p->glyphs, &p->glyph_count, &p->glyph_cap, 0);
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
    size_t before = p->scratch_count;
    size_t first =
        take_glyphs(p, item, &p->scratch, &p->scratch_count, &p->scratch_cap, (uint32_t)start);
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
