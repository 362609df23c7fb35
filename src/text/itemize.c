/* Step 3: cut the text into items of one bidi level, one script, one span
 * and one face, each to be shaped once.
 *
 * Common and inherited characters (spaces, digits, punctuation, marks,
 * ZWNJ) take the script of the text before them, or after them at the
 * start. A character the span's face lacks goes to the fallback chain of
 * its script; marks and default ignorables (joiners, U+2060, variation
 * selectors) stay with their base's face, or the span's at its start. */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base/lang.h"
#include "base/utf8.h"
#include "text/internal.h"
#include "text/uprops.h"

typedef struct cp_info {
    size_t pos;
    uint32_t cp;
    int script;
    size_t span;
    const vq_face *face;
} cp_info;

/* Characters that belong to the face of the character before them. */
static bool follows_base(uint32_t cp)
{
    if (cp < 0x300)
        return false;
    /* Joiners, bidi controls, variation selectors, U+2060…: no face
     * needs to have them, shape.c draws them blank. */
    if (vq_char_is_dropped(cp) || vq_uprops_ignorable(cp))
        return true;
    int8_t gc = vq_uprops_type(cp);
    return gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_COMBINING_SPACING_MARK;
}

/* Does number token k (bidi.c) hold a Latin letter (a unit)? */
static bool has_latin_letter(const vq_paragraph *p, size_t k)
{
    for (size_t i = p->unit_ranges[2 * k]; i < p->unit_ranges[2 * k + 1]; i++) {
        char c = p->text.data[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            return true;
    }
    return false;
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Spans added one after another in the same style (a caller that adds
 * text piece by piece) make one item, hence one run. */
static bool same_style(const vq_paragraph *p, size_t a, size_t b)
{
    if (a == b)
        return true;
    const vq_text_style *x = &p->spans[a].style, *y = &p->spans[b].style;
    return same_str(x->family, y->family) && same_str(x->lang, y->lang) && x->size == y->size &&
           x->weight == y->weight && x->italic == y->italic && x->color == y->color &&
           x->baseline_shift == y->baseline_shift && x->size_scale == y->size_scale &&
           x->digits == y->digits && x->tag == y->tag;
}

enum { FACE_CACHE_SIZE = 256 };
typedef struct face_cache {
    const vq_face *primary;
    uint32_t cp;
    int script;
    const vq_face *face;
} face_cache;

static const vq_face *span_face(vq_paragraph *p, const vq_span *sp)
{
    const vq_text_style *st = &sp->style;
    int weight = st->weight ? st->weight : 400;
    const vq_face *f = vq_font_find(p->fonts, st->family, weight, st->italic);
    if (!f)
        f = vq_font_find(p->fonts, vq_font_default_family(p->fonts, st->lang), weight, st->italic);
    if (!f)
        f = vq_font_registry_face(p->fonts, 0);
    return f;
}

static void push_item(vq_paragraph *p, size_t start, size_t end, uint8_t level, int script,
                      size_t span, const vq_face *face)
{
    vq_text_grow(&p->items, &p->item_cap, p->item_count + 1, sizeof *p->items);
    const vq_text_style *st = &p->spans[span].style;
    vq_item *it = &p->items[p->item_count++];
    memset(it, 0, sizeof *it);
    it->start = start;
    it->end = end;
    it->level = level;
    it->script = script;
    it->span = span;
    it->face = face;
    it->size = st->size * (st->size_scale > 0 ? st->size_scale : 1.0);
    it->scale = it->size / vq_face_units_per_em(face);
}

/* A number with a unit ("500 mg/day") whose letters the span's face lacks
 * is drawn whole in the face its letters fell back to, when that face has
 * every character of it: one run, not "500 " in a Persian face and
 * "mg/day" in a Latin one (copy-out reads two runs of one isolate in the
 * wrong order). */
static void unit_faces(const vq_paragraph *p, cp_info *cps, size_t n)
{
    size_t i = 0;
    for (size_t k = 0; k < p->unit_count; k++) {
        size_t from = p->unit_ranges[2 * k], to = p->unit_ranges[2 * k + 1];
        while (i < n && cps[i].pos < from)
            i++;
        size_t first = i, last = i;
        const vq_face *fell = NULL; /* the face of its first Latin letter */
        for (; last < n && cps[last].pos < to; last++) {
            uint32_t cp = cps[last].cp;
            if (!fell && (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
                fell = cps[last].face;
        }
        bool mixed = false;
        for (size_t j = first; j < last && fell; j++)
            if (cps[j].face != fell)
                mixed = true;
        if (!mixed) {
            i = last;
            continue;
        }
        bool covers = true;
        for (size_t j = first; j < last && covers; j++)
            if (cps[j].span != cps[first].span ||
                (cps[j].face != fell && !vq_face_has_char(fell, cps[j].cp)))
                covers = false;
        if (covers)
            for (size_t j = first; j < last; j++)
                cps[j].face = fell;
        i = last;
    }
}

void vq_text_itemize(vq_paragraph *p)
{
    const char *t = p->text.data;
    size_t len = p->text.len;
    p->item_count = 0;
    if (len == 0)
        return;

    /* Pass 1: scripts, with common/inherited resolved to the neighbours. */
    size_t n = 0, cap = len;
    cp_info *cps = vq_xmalloc(cap * sizeof *cps);
    int last = USCRIPT_COMMON;
    size_t unit = 0;
    bool latin_unit = p->unit_count > 0 && has_latin_letter(p, 0);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = vq_utf8_decode(t + i, len - i, &cp);
        UErrorCode status = U_ZERO_ERROR;
        int sc = vq_uprops_script(cp, &status);
        /* Persian and Arabic-Indic digits and separators shape the same in
         * any script: let them join their neighbours ("آلفا۲b" keeps ۲b
         * in one run, which copy-out reads as one word). */
        if ((cp >= 0x0660 && cp <= 0x066C) || (cp >= 0x06F0 && cp <= 0x06F9))
            sc = USCRIPT_COMMON;
        /* At a level change the neighbour that counts is the one after:
         * "50 mg/day" in Persian is one Latin item, not Arabic "50 ". */
        if (i > 0 && p->levels[i] != p->levels[cps[n - 1].pos])
            last = USCRIPT_COMMON;
        while (unit < p->unit_count && p->unit_ranges[2 * unit + 1] <= i) {
            unit++;
            latin_unit = unit < p->unit_count && has_latin_letter(p, unit);
        }
        /* "۴۰۰ mg" is one Latin phrase: one item, one run ("۷۸٪" stays
         * Arabic). */
        if (latin_unit && i >= p->unit_ranges[2 * unit])
            sc = USCRIPT_LATIN;
        if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED || U_FAILURE(status))
            sc = last;
        else
            last = sc;
        cps[n].pos = i;
        cps[n].cp = cp;
        cps[n].script = sc;
        cps[n].face = NULL;
        n++;
        i += k;
    }
    /* Text with no script of its own (digits, punctuation) takes the
     * language's. */
    int fallback_script =
        vq_lang_is_arabic_script(p->spans[0].style.lang) ? USCRIPT_ARABIC : USCRIPT_LATIN;
    int next = USCRIPT_COMMON;
    for (size_t i = n; i-- > 0;) {
        if (cps[i].script == USCRIPT_COMMON)
            cps[i].script = next == USCRIPT_COMMON ? fallback_script : next;
        else
            next = cps[i].script;
    }

    /* Pass 2: faces by coverage, then items. A small cache keeps the
     * coverage lookups to one per distinct character and style. */
    face_cache cache[FACE_CACHE_SIZE];
    memset(cache, 0, sizeof cache);
    size_t span = 0;
    const vq_face *primary = NULL;
    size_t primary_span = (size_t)-1;
    size_t item_start = 0;
    for (size_t i = 0; i < n; i++) {
        size_t pos = cps[i].pos;
        while (span + 1 < p->span_count && pos >= p->spans[span].end)
            span++;
        if (span != primary_span) {
            primary = span_face(p, &p->spans[span]);
            primary_span = span;
        }
        const vq_text_style *st = &p->spans[span].style;
        uint32_t cp = cps[i].cp;
        const vq_face *face;
        face_cache *fc = &cache[cp & (FACE_CACHE_SIZE - 1)];
        if (i > 0 && follows_base(cp) && pos > p->spans[span].start) {
            face = cps[i - 1].face;
        } else if (vq_uprops_ignorable(cp)) {
            face = primary; /* a joiner opening a span: no fallback, no warning */
        } else if (fc->primary == primary && fc->cp == cp && fc->script == cps[i].script) {
            face = fc->face;
        } else {
            face = vq_font_fallback(p->fonts, primary, cp, cps[i].script,
                                    st->weight ? st->weight : 400, st->italic);
            if (face) {
                fc->primary = primary;
                fc->cp = cp;
                fc->script = cps[i].script;
                fc->face = face;
            }
            if (!face) {
                if (!vq_char_is_word_space(cp) && vq_font_registry_first_missing(p->fonts, cp))
                    vq_warn(NULL, 0, 0, "no font has U+%04X; it is drawn as .notdef", cp);
                face = i > 0 && pos > p->spans[span].start ? cps[i - 1].face : primary;
            }
        }
        cps[i].face = face;
        cps[i].span = span;
    }
    unit_faces(p, cps, n);
    for (size_t i = 1; i < n; i++) {
        const cp_info *prev = &cps[i - 1], *cur = &cps[i];
        if (!same_style(p, prev->span, cur->span) || prev->face != cur->face ||
            prev->script != cur->script || p->levels[prev->pos] != p->levels[cur->pos]) {
            push_item(p, item_start, cur->pos, p->levels[prev->pos], prev->script, prev->span,
                      prev->face);
            item_start = cur->pos;
        }
    }
    push_item(p, item_start, len, p->levels[cps[n - 1].pos], cps[n - 1].script, cps[n - 1].span,
              cps[n - 1].face);
    free(cps);
}
