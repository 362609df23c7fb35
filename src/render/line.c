/* Drawing a line so that text copied out of the PDF reads back as written.
 *
 * The method (measured on poppler, pdf.js, PDFium and MuPDF; see
 * docs/copyout.md):
 * - one glyph per cluster, with the glyph's own text (further glyphs of a
 *   cluster are drawn as paths, outside the text); the text of an RTL
 *   ligature is reversed (extractors spread it left to right, then reverse
 *   the RTL section); NFC where that gives one code point;
 * - bidi controls from the input are dropped; ZWNJ keeps its glyph;
 * - the runs of a line go out in LOGICAL order, each run's glyphs left to
 *   right (cluster flags 0), every other run 0.02 pt lower so that Cairo
 *   starts a new TJ for it;
 * - a space at the logical start or end of a run is the no-break-space
 *   glyph with the text RLM + space; a space with RTL on its left and LTR on
 *   its right also gets a zero-width RLM glyph 0.12 em left of its right
 *   edge;
 * - a nonspacing mark ligated into its base goes on a blank glyph of its
 *   own at the base's origin, just before the base (RLM first when it opens
 *   a run); a mark with a glyph of its own in an RTL run is drawn as a path
 *   and its text goes on such a carrier;
 * - '-' and '+' inside an RTL run copy out as RLM + the sign, and other
 *   punctuation in an RTL run gets a zero-width RLM glyph first;
 * - a space mostly covered by the box of the glyph before it (Amiri's
 *   narrowed forms) is RLM + space on blank glyph 1 at the box's end;
 * - with vq_canvas_set_end_space on (table cells), a line ends with RLM
 *   (LRM in an LTR line) + space on blank glyph 1, 0.15 em past its visual
 *   end;
 * - a kashida tatweel the engine added (only in a face without a kashida
 *   composite for the letter: text/kashida.c) is a cluster of its own with
 *   the text ZWJ, and so is the face's tatweel inside a cluster (Amiri's
 *   lam + kaf); a composite is the letter's own glyph, with its text;
 *   a hyphenation point's hyphen has the text "-" (poppler then joins the word again);
 * - a letter set more than 0.1 em sideways (0.03 em where poppler starts
 *   a new word just before it; or, after a kashida tatweel,
 *   raised) is drawn as a path and its text goes on a blank glyph about as
 *   wide as its advance (the face's wide blanks, then its space glyphs), at
 *   its pen position on the baseline;
 * - a glyph drawn with another text than its first (Cairo keeps one per
 *   glyph) is drawn as a path, that text on a blank glyph as wide;
 * - a mostly Latin line of a right-to-left paragraph ends with a blank glyph
 *   whose text is Arabic letter marks, so that poppler reads its page right
 *   to left.
 * Everything added is drawn with glyphs that have no outline. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include "base/chars.h"
#include "base/utf8.h"
#include "render/internal.h"

enum { BLANK_RLM = 0, BLANK_FIRST_MARK = 2, MAX_CPS = 32 };
/* The keys under which mark_carrier gives the blank glyphs of the page's
 * tip (VQ_TIP_ALMS times U+061C, pagedir.c) and of a line's (push_tip: one
 * U+061C); no text holds U+FFFF. LATIN_LINE: how many more Latin letters
 * than others make a line of mostly Latin letters. */
enum { TIP_KEY = 0x061C, LINE_TIP_KEY = 0xFFFF, LATIN_LINE = 30 };

static const double ALT_DROP = 0.02;  /* pt: every other run, so Cairo opens a new TJ */
static const double RLM_INSET = 0.12; /* em, from the right edge of the space */
static const double END_GAP = 0.15;   /* em, poppler starts a new word past 0.1 */
/* em: a letter's offset that extractors see as a gap (pdf.js and poppler
 * start a new word past 0.1 em); where poppler has started one just before
 * (poppler_breaks_at), any offset past 0.03 em, across which poppler does
 * not join the pieces again. */
static const double SIDEWAYS = 0.1, SIDEWAYS_AFTER_BREAK = 0.03;
static const double DUP_START = 0.1; /* em: poppler's test for text drawn twice */
static const double RAISED = 0.001;  /* em: Cairo starts a new text position past this */
/* em: how much narrower or wider than the letter's advance its carrier may be */
static const double WIDE_BELOW = 0.09, WIDE_ABOVE = 0.18;
enum { WIDE_RESERVED = 3 }; /* carriers a gap may not take (left for worse cases) */

static void reserve_glyphs(vq_canvas *c, size_t n)
{
    if (n <= c->glyph_cap)
        return;
    size_t cap = c->glyph_cap ? c->glyph_cap : 256;
    while (cap < n)
        cap *= 2;
    c->glyphs = vq_xrealloc(c->glyphs, cap * sizeof *c->glyphs);
    c->clusters = vq_xrealloc(c->clusters, cap * sizeof *c->clusters);
    c->glyph_cap = cap;
}

/* The glyph batch of one cairo_show_text_glyphs call. */
typedef struct batch {
    vq_canvas *c;
    size_t n;
    vq_mark_face *mf; /* of the face being drawn */
} batch;

static uint64_t text_hash(const uint32_t *cps, size_t n)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ cps[i]) * 1099511628211u;
    return h;
}

/* The slot of gid in the face's table of first texts (empty when new). */
static size_t text_slot(const vq_mark_face *mf, uint32_t gid)
{
    size_t i = (gid * 2654435761u) & (mf->text_cap - 1);
    while (mf->text_gid[i] && mf->text_gid[i] != gid + 1)
        i = (i + 1) & (mf->text_cap - 1);
    return i;
}

/* Whether gid was drawn before with another text: Cairo keeps the first
 * text of a glyph for the whole document and wraps the glyph in an
 * ActualText span wherever it is drawn with another, and pdf.js ends its
 * item at the span (a Persian '-' as RLM + '-' after an English '-'; a
 * bracket mirrored in a right-to-left run after one in a left-to-right run). */
static bool glyph_text_taken(const vq_mark_face *mf, uint32_t gid, const uint32_t *cps, size_t n)
{
    if (!mf->text_cap)
        return false;
    size_t i = text_slot(mf, gid);
    return mf->text_gid[i] && mf->text_hash[i] != text_hash(cps, n);
}

/* Records gid's text if it is the glyph's first. */
static void note_glyph_text(vq_mark_face *mf, uint32_t gid, const uint32_t *cps, size_t n)
{
    if (2 * (mf->text_count + 1) > mf->text_cap) {
        /* Rehashed into a new table first: a failed allocation leaves the
         * old one whole. */
        size_t cap = mf->text_cap ? 2 * mf->text_cap : 256;
        vq_mark_face grown = {.text_cap = cap};
        grown.text_gid = vq_xcalloc(cap, sizeof *grown.text_gid);
        grown.text_hash = vq_xcalloc(cap, sizeof *grown.text_hash);
        for (size_t i = 0; i < mf->text_cap; i++)
            if (mf->text_gid[i]) {
                size_t j = text_slot(&grown, mf->text_gid[i] - 1);
                grown.text_gid[j] = mf->text_gid[i];
                grown.text_hash[j] = mf->text_hash[i];
            }
        free(mf->text_gid);
        free(mf->text_hash);
        mf->text_gid = grown.text_gid;
        mf->text_hash = grown.text_hash;
        mf->text_cap = cap;
    }
    size_t i = text_slot(mf, gid);
    if (!mf->text_gid[i]) {
        mf->text_gid[i] = gid + 1;
        mf->text_hash[i] = text_hash(cps, n);
        mf->text_count++;
    }
}

static void push(batch *b, uint32_t gid, double x, double y, const uint32_t *cps, size_t ncp)
{
    vq_canvas *c = b->c;
    reserve_glyphs(c, b->n + 1);
    note_glyph_text(b->mf, gid, cps, ncp);
    vq_page_dir_count(c, cps, ncp);
    size_t before = c->utf8.len;
    for (size_t i = 0; i < ncp; i++) {
        char enc[4];
        size_t k = vq_utf8_encode(cps[i], enc);
        vq_buf_append(&c->utf8, enc, k);
    }
    c->glyphs[b->n] = (cairo_glyph_t){gid, x, y};
    c->clusters[b->n] = (cairo_text_cluster_t){(int)(c->utf8.len - before), 1};
    b->n++;
}

/* A glyph drawn as a path: its ink shows, and no extractor sees it. */
static void push_ink(batch *b, uint32_t gid, double x, double y)
{
    vq_canvas *c = b->c;
    if (c->ink_count == c->ink_cap) {
        c->ink_cap = c->ink_cap ? c->ink_cap * 2 : 16;
        c->ink = vq_xrealloc(c->ink, c->ink_cap * sizeof *c->ink);
    }
    c->ink[c->ink_count++] = (cairo_glyph_t){gid, x, y};
}

static void flush(batch *b, const vq_glyph_run *r)
{
    vq_canvas *c = b->c;
    if (b->n == 0 && c->ink_count == 0)
        return;
    vq_error err;
    cairo_font_face_t *face = vq_cairo_faces_get(c->faces, r->face, &err);
    if (!face) {
        if (c->err.status == VQ_OK)
            c->err = err;
    } else {
        cairo_t *cr = c->cr;
        cairo_set_font_face(cr, face);
        cairo_set_font_size(cr, r->size);
        cairo_set_source_rgb(cr, ((r->color >> 16) & 0xff) / 255.0,
                             ((r->color >> 8) & 0xff) / 255.0, (r->color & 0xff) / 255.0);
        vq_canvas_load_glyphs(c, r->face, c->glyphs, b->n);
        if (b->n)
            cairo_show_text_glyphs(cr, c->utf8.data ? c->utf8.data : "", (int)c->utf8.len,
                                   c->glyphs, (int)b->n, c->clusters, (int)b->n, 0);
        c->page_has_text |= b->n > 0;
        if (c->ink_count && c->kind == VQ_CANVAS_PDF) {
            vq_stamp_glyphs(c, r->face, face, r->size, r->color, c->ink, c->ink_count);
        } else if (c->ink_count) {
            cairo_new_path(cr);
            cairo_glyph_path(cr, c->ink, (int)c->ink_count);
            cairo_fill(cr);
        }
        cairo_status_t st = cairo_status(cr);
        if (st != CAIRO_STATUS_SUCCESS)
            vq_render_fail(c, cairo_status_to_string(st));
    }
    b->n = 0;
    c->ink_count = 0;
    vq_buf_clear(&c->utf8);
}

/* The face's record of what its blank glyphs carry, made on first use. */
static vq_mark_face *mark_face_of(vq_canvas *c, const vq_face *face)
{
    for (size_t i = 0; i < c->mark_face_count; i++)
        if (c->mark_faces[i].face == face)
            return &c->mark_faces[i];
    size_t nblank;
    vq_face_blank_glyphs(face, &nblank);
    c->mark_faces = vq_xrealloc(c->mark_faces, (c->mark_face_count + 1) * sizeof *c->mark_faces);
    /* Counted once whole: an allocation that fails leaves no half entry. */
    uint32_t *marks = vq_xcalloc(nblank ? nblank : 1, sizeof *marks);
    vq_mark_face *mf = &c->mark_faces[c->mark_face_count++];
    *mf = (vq_mark_face){.face = face, .marks = marks};
    return mf;
}

/* The blank glyph that carries mark in face, assigned on first use; 0 when
 * the face has no blank glyph left. */
static uint32_t mark_carrier(vq_canvas *c, const vq_face *face, uint32_t mark)
{
    size_t nblank;
    const uint32_t *blanks = vq_face_blank_glyphs(face, &nblank);
    if (nblank <= BLANK_FIRST_MARK)
        return 0;
    vq_mark_face *mf = mark_face_of(c, face);
    for (size_t i = 0; i < mf->count; i++)
        if (mf->marks[i] == mark)
            return blanks[BLANK_FIRST_MARK + i];
    if (BLANK_FIRST_MARK + mf->count >= nblank)
        return 0;
    mf->marks[mf->count] = mark;
    return blanks[BLANK_FIRST_MARK + mf->count++];
}

uint32_t vq_canvas_tip_carrier(vq_canvas *c, const vq_face *face)
{
    return mark_carrier(c, face, TIP_KEY);
}

/* Space characters whose blank glyphs may carry a letter instead, when the
 * face's own wide blanks (vq_face_wide_blanks) have none left, the rarely
 * typed ones first: a glyph carries one text for the whole document, so a
 * document that also types this space gets an ActualText span there. */
static const uint32_t WIDE_POOL[] = {0x200A, 0x2006, 0x2005, 0x2008, 0x2004,
                                     0x2007, 0x2000, 0x2001, 0x2002, 0x2009};
enum { WIDE_POOL_SIZE = sizeof WIDE_POOL / sizeof WIDE_POOL[0] };

/* The best carrier so far: the untaken glyph of width within (lo, hi)
 * closest to the advance. */
typedef struct carrier_pick {
    const vq_mark_face *mf;
    double advance, lo, hi;
    uint32_t gid;
    double w, d; /* its width, and how far that is from the advance */
} carrier_pick;

static void consider(carrier_pick *p, uint32_t gid, double w)
{
    if (w <= p->lo || w >= p->hi || fabs(w - p->advance) >= p->d)
        return;
    for (size_t i = 0; i < p->mf->wide_count; i++)
        if (p->mf->wide_gid[i] == gid)
            return;
    p->gid = gid;
    p->w = w;
    p->d = fabs(w - p->advance);
}

/* A blank glyph about `advance` wide (font units) that carries the text
 * whose hash is key, or 0. Extractors join a glyph to the one before when it
 * starts within about 0.1 em after that one's box ends and less than 0.2 em
 * before it. */
static uint32_t wide_carrier(vq_canvas *c, const vq_face *face, uint64_t key, double advance,
                             size_t claims)
{
    hb_font_t *hbf = vq_face_hb_font(face);
    double upem = vq_face_units_per_em(face);
    double lo = advance - WIDE_BELOW * upem, hi = advance + WIDE_ABOVE * upem;
    vq_mark_face *mf = mark_face_of(c, face);
    uint32_t best = 0;
    double best_d = HUGE_VAL;
    for (size_t i = 0; i < mf->wide_count; i++) {
        double w = mf->wide_w[i];
        if (mf->wide_text[i] == key && w > lo && w < hi && fabs(w - advance) < best_d) {
            best = mf->wide_gid[i];
            best_d = fabs(w - advance);
        }
    }
    if (best || mf->wide_count >= claims)
        return best;
    carrier_pick pick = {mf, advance, lo, hi, 0, 0, HUGE_VAL};
    const uint32_t *wides;
    const uint16_t *widths;
    size_t nwide = vq_face_wide_blanks(face, &wides, &widths);
    for (size_t k = 0; k < nwide; k++)
        consider(&pick, wides[k], widths[k]);
    hb_codepoint_t space = 0, nbsp = 0;
    hb_font_get_nominal_glyph(hbf, ' ', &space);
    hb_font_get_nominal_glyph(hbf, 0xA0, &nbsp);
    size_t npool = pick.gid ? 0 : WIDE_POOL_SIZE; /* space glyphs only when no wide blank fits */
    for (size_t k = 0; k < npool; k++) {
        hb_codepoint_t gid;
        hb_glyph_extents_t ext;
        if (!hb_font_get_nominal_glyph(hbf, WIDE_POOL[k], &gid) || gid == 0 || gid == space ||
            gid == nbsp || !hb_font_get_glyph_extents(hbf, gid, &ext) || ext.width != 0 ||
            ext.height != 0)
            continue;
        consider(&pick, gid, hb_font_get_glyph_h_advance(hbf, gid));
    }
    best = pick.gid;
    if (best) {
        mf->wide_w[mf->wide_count] = pick.w;
        mf->wide_gid[mf->wide_count] = best;
        mf->wide_text[mf->wide_count++] = key;
    }
    return best;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted distinct clusters of the run, so that a glyph's text runs from its
 * cluster to the next greater one. */
static size_t sorted_clusters(vq_canvas *c, const vq_glyph_run *r)
{
    if (c->scratch_cap < r->glyph_count) {
        c->scratch_cap = r->glyph_count * 2;
        c->scratch = vq_xrealloc(c->scratch, c->scratch_cap * sizeof *c->scratch);
    }
    /* Clusters are monotone in a run (HarfBuzz's monotone cluster levels):
     * rising left to right in LTR runs, falling in RTL ones. Sort only
     * when they are not. */
    size_t n0 = r->glyph_count;
    bool up = true, down = true;
    for (size_t i = 1; i < n0; i++) {
        up = up && r->glyphs[i - 1].cluster <= r->glyphs[i].cluster;
        down = down && r->glyphs[i - 1].cluster >= r->glyphs[i].cluster;
    }
    for (size_t i = 0; i < n0; i++)
        c->scratch[i] = r->glyphs[up || !down ? i : n0 - 1 - i].cluster;
    if (!up && !down)
        qsort(c->scratch, n0, sizeof *c->scratch, cmp_u32);
    size_t n = 0;
    for (size_t i = 0; i < r->glyph_count; i++)
        if (n == 0 || c->scratch[n - 1] != c->scratch[i])
            c->scratch[n++] = c->scratch[i];
    return n;
}

static size_t cluster_end(const vq_canvas *c, size_t n, uint32_t cluster, size_t run_end)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->scratch[mid] <= cluster)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n ? c->scratch[lo] : run_end;
}

/* Decodes text[s, e) (stopping at MAX_CPS code points), without bidi
 * controls. *had_text tells whether the range held anything at all. */
static size_t decode(const char *text, size_t s, size_t e, uint32_t *cps, bool *had_text)
{
    size_t n = 0;
    *had_text = s < e;
    while (s < e && n < MAX_CPS) {
        uint32_t cp;
        size_t k = vq_utf8_decode(text + s, e - s, &cp);
        if (k == 0)
            break;
        s += k;
        if (!vq_char_is_bidi_control(cp))
            cps[n++] = cp;
    }
    return n;
}

/* The space nearest the run's right (or left) edge with only punctuation
 * between it and that edge ("۱: ضایعات" puts ':' there), or SIZE_MAX. */
static size_t guarded_space(const char *text, size_t len, const vq_glyph_run *r, const vq_canvas *c,
                            size_t nclusters, bool from_right)
{
    for (size_t i = 0; i < r->glyph_count; i++) {
        size_t k = from_right ? r->glyph_count - 1 - i : i;
        size_t s = r->glyphs[k].cluster;
        size_t e = cluster_end(c, nclusters, r->glyphs[k].cluster, r->text_end);
        uint32_t cp;
        if (s >= len || e <= s || vq_utf8_decode(text + s, (e < len ? e : len) - s, &cp) == 0)
            return SIZE_MAX;
        if (cp == ' ')
            return k;
        if (!u_ispunct((UChar32)cp))
            return SIZE_MAX;
    }
    return SIZE_MAX;
}

/* Whether the glyph left of space k overhangs it. Extractors take a glyph's
 * width from the font's advance, not from where the next glyph is drawn:
 * Amiri narrows some contextual forms by positioning (its KafRaa initial
 * forms, 573 units wide, are set 329 wide before a space), so the glyph's
 * box covers the space and the words on both sides touch. pdf.js and
 * poppler drop a plain space between touching words ("مشاهدهگردید"); they
 * keep RLM + space, as at run edges. */
static double covered_space(const vq_glyph_run *r, size_t k, double upem)
{
    if (k == 0 || upem <= 0)
        return 0;
    const vq_glyph *left = &r->glyphs[k - 1], *sp = &r->glyphs[k];
    hb_font_t *hbf = vq_face_hb_font(r->face);
    double nominal = hb_font_get_glyph_h_advance(hbf, left->id) * r->size / upem;
    /* How far the left glyph's box reaches past the space's start. */
    double over = left->x_offset + nominal - left->x_advance;
    return over > 0.5 * sp->x_advance ? over : 0;
}

typedef struct line_ctx {
    vq_canvas *c;
    const char *text;
    size_t text_len;
    const vq_line *line;
    double x0, y0;
    bool has_rtl;
    uint32_t rlm_gid; /* of the current run's face; 0 = none */
    size_t end_run;   /* the run at the line's visual end (left when RTL) */
    bool rtl_para;    /* the line's base direction */
    /* In a right-to-left line of mostly Latin letters, the run drawn last
     * (its logical end), after which push_tip goes; SIZE_MAX: none. */
    size_t tip_run;
} line_ctx;

/* The run drawn just right (dir > 0) or left (dir < 0) of run i. */
static const vq_glyph_run *visual_neighbour(const vq_line *line, size_t i, int dir)
{
    const vq_glyph_run *r = &line->runs[i], *best = NULL;
    for (size_t j = 0; j < line->run_count; j++) {
        const vq_glyph_run *o = &line->runs[j];
        if (j == i || o->glyph_count == 0)
            continue;
        if (dir > 0 ? o->x >= r->x + r->width - 0.01 && (!best || o->x < best->x)
                    : o->x + o->width <= r->x + 0.01 && (!best || o->x > best->x))
            best = o;
    }
    return best;
}

/* What the glyphs of one run share, worked out once before the first. */
typedef struct run_ctx {
    vq_canvas *c;
    batch *b;
    const line_ctx *lc;
    const vq_glyph_run *r;
    bool rtl;
    double y, pen; /* baseline; origin of the next glyph */
    size_t nclusters;
    const uint32_t *blanks;
    size_t nblank;
    uint32_t rlm;                 /* blank glyph for RLM; 0 = none */
    uint32_t nbsp;                /* glyph for RLM + space; 0 = none */
    size_t guard;                 /* space that gets an RLM glyph near its right edge */
    size_t edge_left, edge_right; /* spaces at the run's edges */
    double upem;
    bool first;                /* nothing with text pushed yet */
    uint32_t tatweel;          /* the face's kashida tatweel (RTL runs); 0 = none */
    bool tatweels;             /* a kashida tatweel pushed, in this run */
    uint32_t pending[MAX_CPS]; /* marks of the glyph before, for carriers at this base */
    size_t npending;
} run_ctx;

static void run_begin(run_ctx *rc, line_ctx *lc, batch *b, size_t ri)
{
    vq_canvas *c = lc->c;
    const vq_glyph_run *r = &lc->line->runs[ri];
    *rc = (run_ctx){.c = c, .b = b, .lc = lc, .r = r, .rtl = r->level & 1, .first = true};
    rc->y = lc->y0 - r->baseline_shift + ((ri & 1) ? ALT_DROP : 0);
    rc->pen = lc->x0 + r->x;
    rc->nclusters = sorted_clusters(c, r);
    rc->blanks = vq_face_blank_glyphs(r->face, &rc->nblank);
    rc->rlm = rc->nblank > BLANK_RLM ? rc->blanks[BLANK_RLM] : 0;
    /* The glyph for RLM + space: the face's no-break space, else its blank
     * glyph 1 (never the space glyph itself, whose text is a plain space). */
    if (lc->has_rtl) {
        hb_codepoint_t nbsp = 0, space_gid = 0;
        hb_font_t *hbf = vq_face_hb_font(r->face);
        if (!hb_font_get_nominal_glyph(hbf, 0xA0, &nbsp) ||
            (hb_font_get_nominal_glyph(hbf, ' ', &space_gid) && nbsp == space_gid))
            nbsp = rc->nblank > 1 ? rc->blanks[1] : 0;
        rc->nbsp = nbsp;
    }
    /* A space with RTL on its left and LTR on its right: the visual right
     * edge of an RTL run before an LTR run, or the left edge of an LTR run
     * after an RTL run. */
    rc->guard = SIZE_MAX;
    if (lc->has_rtl && rc->rlm) {
        const vq_glyph_run *right = visual_neighbour(lc->line, ri, 1);
        const vq_glyph_run *left = visual_neighbour(lc->line, ri, -1);
        if (rc->rtl && right && !(right->level & 1))
            rc->guard = guarded_space(lc->text, lc->text_len, r, c, rc->nclusters, true);
        else if (!rc->rtl && left && (left->level & 1))
            rc->guard = guarded_space(lc->text, lc->text_len, r, c, rc->nclusters, false);
    }
    /* Spaces at a run's edges, or with only punctuation between them and
     * the edge ("داشتیم (۱)": the space before "(" next to the digit run). */
    rc->edge_left = rc->edge_right = SIZE_MAX;
    if (lc->has_rtl) {
        rc->edge_left = guarded_space(lc->text, lc->text_len, r, c, rc->nclusters, false);
        rc->edge_right = guarded_space(lc->text, lc->text_len, r, c, rc->nclusters, true);
    }
    rc->upem = vq_face_units_per_em(r->face);
    rc->tatweel = rc->rtl ? vq_face_tatweel_glyph(r->face) : 0;
}

static void push_rlm(run_ctx *rc, double x, double y)
{
    uint32_t t = 0x200F;
    push(rc->b, rc->rlm, x, y, &t, 1);
}

/* A mark's carrier at a base's origin, RLM first when it opens the run.
 * pdf.js joins a zero-width mark to the glyph before it in the stream: when
 * that is a plain space (the mark ends a word), it becomes the RLM-space
 * glyph, as at run edges. */
static void carry_mark(run_ctx *rc, uint32_t carrier, uint32_t mark, double x, double y)
{
    if (rc->first && rc->rlm)
        push_rlm(rc, x, y);
    batch *b = rc->b;
    vq_canvas *c = b->c;
    uint32_t nbsp = rc->nbsp;
    bool space = b->n > 0 && c->utf8.len > 0 && c->utf8.data[c->utf8.len - 1] == ' ';
    if (space && c->clusters[b->n - 1].num_bytes == 1) {
        c->utf8.len--;
        vq_buf_append(&c->utf8, "\xe2\x80\x8f ", 4);
        c->clusters[b->n - 1].num_bytes = 4;
        if (nbsp)
            c->glyphs[b->n - 1].index = nbsp;
    }
    /* A justified space is wider than the glyph's own advance, and pdf.js
     * finds the rest as a gap at the next glyph with a width: the base,
     * after the zero-width mark, which it then read as a word of its own
     * ("جلسه ٔ"). The space glyph is moved on to end where the base starts,
     * so that the gap comes before it. */
    if (space && nbsp && c->glyphs[b->n - 1].index == nbsp) {
        double advance = rc->upem > 0
                             ? hb_font_get_glyph_h_advance(vq_face_hb_font(rc->r->face), nbsp) *
                                   rc->r->size / rc->upem
                             : 0;
        if (x - advance > c->glyphs[b->n - 1].x)
            c->glyphs[b->n - 1].x = x - advance;
    }
    push(b, carrier, x, y, &mark, 1);
    rc->first = false;
}

/* Whether glyph k carries its cluster's text: only the logically first
 * glyph of a cluster does (added glyphs next to it do not count). */
static bool owns_text(const vq_glyph_run *r, size_t k, bool rtl)
{
    uint32_t cluster = r->glyphs[k].cluster;
    size_t nb = k + 1, pb = k;
    while (nb < r->glyph_count && (r->glyphs[nb].flags & VQ_GLYPH_KASHIDA))
        nb++;
    while (pb > 0 && (r->glyphs[pb - 1].flags & VQ_GLYPH_KASHIDA))
        pb--;
    return rtl ? (nb == r->glyph_count || r->glyphs[nb].cluster != cluster)
               : (pb == 0 || r->glyphs[pb - 1].cluster != cluster);
}

/* A mark with a glyph of its own, left of its base in an RTL run: the
 * glyph's ink is drawn as a path, outside the text, and its text goes on a
 * carrier at the base's origin (at the mark's own offset, extractors read
 * it as a separate word: "معمولا ً"; as a glyph without text, Cairo gives
 * it an ActualText that splits pdf.js's items). True when glyph k was
 * deferred so. */
static bool defer_marks(run_ctx *rc, size_t k, const uint32_t *cps, size_t n, double gx, double gy)
{
    const vq_glyph_run *r = rc->r;
    const vq_glyph *g = &r->glyphs[k];
    if (!rc->rtl || n == 0 || k + 1 >= r->glyph_count || r->glyphs[k + 1].cluster >= g->cluster ||
        rc->npending + n > MAX_CPS)
        return false;
    bool marks = true;
    for (size_t i = 0; i < n; i++)
        if (u_charType((UChar32)cps[i]) != U_NON_SPACING_MARK ||
            !mark_carrier(rc->c, r->face, cps[i]))
            marks = false;
    if (!marks)
        return false;
    push_ink(rc->b, g->id, gx, gy);
    memcpy(rc->pending + rc->npending, cps, n * sizeof *cps);
    rc->npending += n;
    return true;
}

/* The deferred marks, on carriers at the origin of the base that follows. */
static void carry_pending(run_ctx *rc, double gx, double gy)
{
    for (size_t i = 0; i < rc->npending; i++)
        carry_mark(rc, mark_carrier(rc->c, rc->r->face, rc->pending[i]), rc->pending[i], gx, gy);
    rc->npending = 0;
}

/* Two code points NFC composes into one become that one. */
static size_t compose_pair(uint32_t *cps, size_t n)
{
    if (n != 2)
        return n;
    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&ec);
    UChar32 composed =
        U_SUCCESS(ec) ? unorm2_composePair(nfc, (UChar32)cps[0], (UChar32)cps[1]) : -1;
    if (composed < 0)
        return n;
    cps[0] = (uint32_t)composed;
    return 1;
}

/* Marks ligated into a base go on carriers of their own; returns what is
 * left of the glyph's text. */
static size_t carry_ligated_marks(run_ctx *rc, uint32_t *cps, size_t n, double gx, double gy)
{
    if (n < 2)
        return n;
    size_t base = 0;
    for (size_t i = 0; i < n; i++)
        if (u_charType((UChar32)cps[i]) != U_NON_SPACING_MARK)
            base++;
    if (base == 0 || base == n)
        return n;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = cps[i];
        uint32_t carrier = u_charType((UChar32)cp) == U_NON_SPACING_MARK
                               ? mark_carrier(rc->c, rc->r->face, cp)
                               : 0;
        if (!carrier)
            cps[kept++] = cp;
        else
            carry_mark(rc, carrier, cp, gx, gy);
    }
    return kept;
}

/* The glyph's text as extractors want it in an RTL run: a ligature's text
 * reversed; and a '-' or '+' between letters as RLM + the sign (MuPDF split
 * the run there and put the halves in visual order, "رضا-علی" for
 * "علی-رضا"; pdf.js and poppler agree). cps holds MAX_CPS + 1. */
static size_t rtl_text(const run_ctx *rc, uint32_t *cps, size_t n)
{
    if (!rc->rtl)
        return n;
    if (n >= 2)
        for (size_t i = 0, j = n - 1; i < j; i++, j--) {
            uint32_t t = cps[i];
            cps[i] = cps[j];
            cps[j] = t;
        }
    if (n == 1 && rc->rlm && u_charDirection((UChar32)cps[0]) == U_EUROPEAN_NUMBER_SEPARATOR) {
        cps[1] = cps[0];
        cps[0] = 0x200F;
        n = 2;
    }
    return n;
}

/* Poppler reads a page of right-to-left paragraphs right to left once
 * pagedir.c has tipped it, and then moves the last punctuation of a line
 * of mostly Latin letters to the line's start ("Scleromyxedema." ->
 * ".Scleromyxedema"). One Arabic letter mark (U+061C, invisible, a
 * right-to-left letter to poppler; pdf.js skips it) on a zero-width glyph
 * at the end of such a line keeps it in place. */
static void push_tip(run_ctx *rc, double x)
{
    uint32_t carrier = mark_carrier(rc->c, rc->r->face, LINE_TIP_KEY);
    if (!carrier)
        return;
    uint32_t alm = 0x061C;
    push(rc->b, carrier, x, rc->y, &alm, 1);
}

/* Punctuation at the left edge of an RTL run (not a bracket) copies out as
 * ALM + the sign, in the glyph's own text, instead of after an RLM glyph:
 * pdf.js skips a glyph whose whole text is a format character, and reads an
 * item with no right-to-left letter left to right, so the run's piece
 * after a number, ")." of "(۹).", came back as ".)"; ALM (U+061C, an
 * Arabic letter to pdf.js, RLM is not) turns that item round. MuPDF takes
 * the run's order from it as from the RLM glyph. The sign's glyph then has
 * two texts (a Latin full stop has the plain one): only when a carrier is
 * left for the second (push_text_glyph). A bracket keeps the RLM glyph:
 * with ALM, pdf.js moved the words before "(" past it. */
static bool alm_first(run_ctx *rc, size_t k, uint32_t *cps, size_t *n)
{
    const vq_glyph_run *r = rc->r;
    uint32_t text[2] = {0x061C, cps[0]};
    if (u_isMirrored((UChar32)cps[0]))
        return false;
    if (glyph_text_taken(rc->b->mf, r->glyphs[k].id, text, 2) &&
        !wide_carrier(rc->c, r->face, text_hash(text, 2),
                      r->glyphs[k].x_advance * rc->upem / r->size,
                      VQ_WIDE_CARRIERS - WIDE_RESERVED))
        return false;
    cps[0] = text[0];
    cps[1] = text[1];
    *n = 2;
    return true;
}

/* Pushes glyph k with its text; a space becomes RLM + space where
 * extractors would lose a plain one. at_edge: the glyph's text touches the
 * run's edge (or only punctuation lies between). */
static void push_text_glyph(run_ctx *rc, size_t k, double gx, double gy, uint32_t *cps, size_t n,
                            bool at_edge)
{
    const vq_glyph_run *r = rc->r;
    const vq_glyph *g = &r->glyphs[k];
    double adv = g->x_advance;
    bool has_rtl = rc->lc->has_rtl;
    uint32_t gid = g->id;
    /* Other space characters (the em space between a label and a
     * value) are spaces here too: pdf.js dropped one at a run's edge
     * as it drops a plain space there ("کاظمیسن"). */
    bool space = n == 1 && (cps[0] == ' ' || (cps[0] != 0xA0 && cps[0] != 0x202F &&
                                              u_charType((UChar32)cps[0]) == U_SPACE_SEPARATOR));
    double over = space && has_rtl && rc->nblank > 1 ? covered_space(r, k, rc->upem) : 0;
    if (over > 0) {
        /* The words each side touch for the extractors; pdf.js then
         * drops a plain space, and flushes its item at a glyph drawn
         * more than 0.2 em left of the previous one's end. Blank glyph 1
         * (zero width, RLM + space) at the end of the overhanging box
         * breaks neither. */
        gid = rc->blanks[1];
        gx += fmin(over, adv);
        cps[1] = ' ';
        cps[0] = 0x200F;
        n = 2;
    } else if (space && has_rtl && at_edge) {
        if (rc->nbsp)
            gid = rc->nbsp;
        cps[1] = ' ';
        cps[0] = 0x200F;
        n = 2;
    }
    if (gid == g->id && glyph_text_taken(rc->b->mf, gid, cps, n)) {
        /* The glyph's first text is another: its ink as a path, this text
         * on a blank glyph as wide, where it stands. */
        uint32_t carrier = wide_carrier(rc->c, r->face, text_hash(cps, n), adv * rc->upem / r->size,
                                        VQ_WIDE_CARRIERS - WIDE_RESERVED);
        if (carrier) {
            push_ink(rc->b, gid, gx, gy);
            gid = carrier;
        }
    }
    push(rc->b, gid, gx, gy, cps, n);
    rc->first = false;
    if (space && k == rc->guard)
        push_rlm(rc, gx + adv - RLM_INSET * r->size, gy);
}

/* A letter drawn with a sideways offset (Amiri's cursive attachment: reh
 * after yeh 0.12 em right of its pen position, waw after a narrowed gaf
 * 0.29 em left): extractors measure gaps from glyph boxes and put a space
 * into the word ("تعر یف") or, at a jump of more than 0.2 em to the left,
 * end pdf.js's item there and read the halves in visual order. After a
 * kashida tatweel, a raised letter too: Cairo starts a new text position
 * for it, and pdf.js, which skips a tatweel's ZWJ without moving on, saw a
 * jump inside the word there. The letter's ink is drawn as a path and its
 * text goes on a blank glyph about as wide as its advance, at its pen
 * position on the baseline, so that the boxes follow each other. */
/* Whether poppler starts a new word at glyph k: it takes a glyph that
 * starts within 0.1 em of the one before for text drawn twice and starts
 * new words there and at the glyph after (Amiri's medial khah is 0.055 em
 * wide: in "اثربخشی" the beh after it, then the reh set 0.083 em right). */
static bool poppler_breaks_at(const vq_glyph_run *r, size_t k)
{
    for (size_t j = k; j >= 1 && j + 1 >= k; j--) {
        const vq_glyph *a = &r->glyphs[j - 1], *b = &r->glyphs[j];
        if (a->x_advance + b->x_offset - a->x_offset < DUP_START * r->size)
            return true;
    }
    return false;
}

static bool carry_sideways(run_ctx *rc, size_t k, double gx, double gy, const uint32_t *cps,
                           size_t n)
{
    const vq_glyph_run *r = rc->r;
    const vq_glyph *g = &r->glyphs[k];
    bool sideways = fabs(g->x_offset) > SIDEWAYS * r->size ||
                    (fabs(g->x_offset) > SIDEWAYS_AFTER_BREAK * r->size && poppler_breaks_at(r, k));
    bool raised = rc->tatweels && fabs(g->y_offset) > RAISED * r->size;
    if (n != 1 || !(sideways || raised) || rc->upem <= 0 || !u_isalpha((UChar32)cps[0]))
        return false;
    /* A gap splits a word; a jump to the left (or a new text position
     * after a tatweel) also turns pdf.js's pieces round: those may take
     * the last carriers. */
    bool worse = g->x_offset < 0 || !sideways;
    uint32_t carrier =
        wide_carrier(rc->c, r->face, text_hash(cps, 1), g->x_advance * rc->upem / r->size,
                     worse ? VQ_WIDE_CARRIERS : VQ_WIDE_CARRIERS - WIDE_RESERVED);
    if (!carrier)
        return false;
    push_ink(rc->b, g->id, gx, gy);
    push(rc->b, carrier, gx - g->x_offset, rc->y, cps, 1);
    rc->first = false;
    return true;
}

static void draw_glyph(run_ctx *rc, size_t k)
{
    const vq_glyph_run *r = rc->r;
    const vq_glyph *g = &r->glyphs[k];
    double gx = rc->pen + g->x_offset, gy = rc->y - g->y_offset;
    rc->pen += g->x_advance;
    /* Glyphs the engine added stand for no character: a kashida
     * tatweel carries ZWJ (extractors keep the word whole and show
     * nothing), a hyphenation point's hyphen "-", which poppler
     * removes when it joins the word across the lines (with U+00AD or
     * U+2010 it kept the halves apart: seed 97.8 vs 98.3 %). */
    if (g->flags & (VQ_GLYPH_KASHIDA | VQ_GLYPH_HYPHEN)) {
        uint32_t t = (g->flags & VQ_GLYPH_KASHIDA) ? 0x200D : '-';
        push(rc->b, g->id, gx, gy, &t, 1);
        rc->first = false;
        rc->tatweels = rc->tatweels || (g->flags & VQ_GLYPH_KASHIDA);
        return;
    }
    bool owner = owns_text(r, k, rc->rtl);
    /* The face's own tatweel inside a cluster (Amiri draws lam before
     * kaf as lam + tatweel): as a path it left a gap of 0.19 em between
     * the letters' boxes, where every extractor split the word
     * ("ال کترو"); it copies out as the kashida tatweel does. */
    if (!owner && rc->tatweel && g->id == rc->tatweel) {
        uint32_t t = 0x200D;
        push(rc->b, g->id, gx, gy, &t, 1);
        rc->first = false;
        return;
    }
    if (!owner) {
        /* Drawn as a path: a glyph without text would get an ActualText
         * span from Cairo, which splits pdf.js's items (Amiri draws
         * shadda + fatha as two glyphs of one cluster). */
        push_ink(rc->b, g->id, gx, gy);
        return;
    }
    const line_ctx *lc = rc->lc;
    size_t s = g->cluster;
    size_t e = cluster_end(rc->c, rc->nclusters, g->cluster, r->text_end);
    if (e > lc->text_len)
        e = lc->text_len;
    uint32_t cps[MAX_CPS + 1];
    bool had_text;
    size_t n = decode(lc->text, s, e, cps, &had_text);
    if (n == 0 && had_text)
        return; /* a bidi control from the input: no glyph, no text */
    if (defer_marks(rc, k, cps, n, gx, gy))
        return;
    carry_pending(rc, gx, gy);
    n = compose_pair(cps, n);
    n = carry_ligated_marks(rc, cps, n, gx, gy);
    n = rtl_text(rc, cps, n);
    /* Punctuation in an RTL run gets a zero-width RLM glyph just before
     * it (left of it). At the run's left edge (its logical end: a
     * paragraph's full stop, a colon before a number) the punctuation
     * opens the run's TJ, and MuPDF then read the run's order from it: the
     * full stop came back at the paragraph's start (".بیماری"). Inside the
     * run, poppler takes '.', '،' and ':' for parts of a number and the
     * space left of them into a left-to-right piece, which it moves past
     * the punctuation ("است. شیوع" → "است .شیوع"); the RLM ends that piece.
     * pdf.js skips it. (As RLM + '.' in the glyph's own text, the full stop
     * would carry two texts.) A sign that carries RLM already (rtl_text)
     * needs none. */
    if (rc->rtl && n == 1 && rc->rlm && u_ispunct((UChar32)cps[0]) &&
        !(k == 0 && alm_first(rc, k, cps, &n)))
        push_rlm(rc, gx, gy);
    if (carry_sideways(rc, k, gx, gy, cps, n))
        return;
    bool at_edge =
        s == r->text_start || e == r->text_end || k == rc->edge_left || k == rc->edge_right;
    push_text_glyph(rc, k, gx, gy, cps, n, at_edge);
}

/* Whether the line's text ends in '-' (a compound broken there: PDFium joins
 * the halves only when the hyphen ends its line). */
static bool ends_with_hyphen(const char *text, size_t len, const vq_line *line)
{
    size_t e = line->text_end < len ? line->text_end : len;
    while (e > line->text_start && (text[e - 1] == ' ' || text[e - 1] == '\n'))
        e--;
    return e > line->text_start && text[e - 1] == '-';
}

/* Left-to-right letters less right-to-left ones in the line's text. */
static long latin_excess(const char *text, size_t len, const vq_line *line)
{
    long excess = 0;
    for (size_t i = 0; i < line->run_count; i++) {
        const vq_glyph_run *r = &line->runs[i];
        for (size_t s = r->text_start; s < r->text_end && s < len;) {
            uint32_t cp;
            size_t k = vq_utf8_decode(text + s, len - s, &cp);
            if (k == 0)
                break;
            s += k;
            UCharDirection d = u_charDirection((UChar32)cp);
            int strong = vq_bidi_strong(d);
            /* Arabic numbers (bidi class AN) count as right to left here. */
            excess -= strong ? strong : d == U_ARABIC_NUMBER;
        }
    }
    return excess;
}

static void draw_run(line_ctx *lc, batch *b, size_t ri)
{
    run_ctx rc;
    run_begin(&rc, lc, b, ri);
    b->mf = mark_face_of(lc->c, rc.r->face);
    const vq_glyph_run *r = rc.r;
    /* The line's end space (vq_canvas_set_end_space), at its visual end:
     * left of an RTL line, drawn just before the leftmost run's glyphs;
     * right of an LTR line, just after the rightmost run's. END_GAP apart
     * from the text, so that poppler makes it a word of its own and the
     * text's words stay as they are. Not next to a run of the other
     * direction (a date ending in digits): poppler put it inside the date. */
    bool end_space =
        lc->c->end_space && ri == lc->end_run && rc.nblank > 1 && rc.rtl == lc->rtl_para;
    /* The mark takes the line's direction: an RLM in an LTR line made
     * poppler wrap it in RLE ... PDF, three invisible characters per cell. */
    uint32_t sp_cps[2] = {lc->rtl_para ? 0x200F : 0x200E, ' '};
    if (end_space && lc->rtl_para)
        push(b, rc.blanks[1], rc.pen - END_GAP * r->size, rc.y, sp_cps, 2);
    for (size_t k = 0; k < r->glyph_count; k++)
        draw_glyph(&rc, k);
    if (ri == lc->tip_run)
        push_tip(&rc, rc.pen);
    if (end_space && !lc->rtl_para) {
        /* LRM + space has a blank glyph of its own: blank glyph 1 carries
         * RLM + space (a glyph keeps one text per document). */
        uint32_t lrm_space = mark_carrier(lc->c, r->face, 0x200E);
        push(b, lrm_space ? lrm_space : rc.blanks[1], rc.pen + END_GAP * r->size, rc.y, sp_cps, 2);
    }
}

static bool same_font(const vq_glyph_run *a, const vq_glyph_run *b)
{
    return a->face == b->face && a->size == b->size && a->color == b->color;
}

bool vq_canvas_set_end_space(vq_canvas *c, bool on)
{
    bool was = c->end_space;
    c->end_space = on;
    return was;
}

void vq_canvas_draw_glyph_line(vq_canvas *c, const char *text, size_t text_len, const vq_line *line,
                               double x, double y)
{
    if (c->finished || !c->cr)
        return;
    line_ctx lc = {c, text, text_len, line, x, y, false, 0, SIZE_MAX, false, SIZE_MAX};
    int base = 255;
    size_t last_run = 0; /* the last drawn */
    for (size_t i = 0; i < line->run_count; i++) {
        if (line->runs[i].level & 1)
            lc.has_rtl = true;
        if (line->runs[i].face && line->runs[i].glyph_count) {
            last_run = i;
            if (line->runs[i].level < base)
                base = line->runs[i].level;
        }
    }
    lc.rtl_para = base & 1;
    /* A line of left-to-right runs only is still in a right-to-left
     * paragraph when their level is 2 or more. */
    bool in_rtl_para = base < 255 && (base & 1 || base >= 2);
    if (in_rtl_para && !ends_with_hyphen(text, text_len, line) &&
        latin_excess(text, text_len, line) >= LATIN_LINE)
        lc.tip_run = last_run;
    for (size_t i = 0; i < line->run_count; i++) {
        const vq_glyph_run *r = &line->runs[i],
                           *e = lc.end_run < line->run_count ? &line->runs[lc.end_run] : NULL;
        if (r->face && r->glyph_count &&
            (!e || (lc.rtl_para ? r->x < e->x : r->x + r->width > e->x + e->width)))
            lc.end_run = i;
    }
    batch b = {c, 0, NULL};
    vq_buf_clear(&c->utf8);
    long letters = c->dir.ltr + c->dir.rtl;
    const vq_glyph_run *cur = NULL;
    for (size_t i = 0; i < line->run_count; i++) {
        const vq_glyph_run *r = &line->runs[i];
        if (!r->face || r->glyph_count == 0)
            continue;
        if (cur && !same_font(cur, r))
            flush(&b, cur);
        cur = r;
        draw_run(&lc, &b, i);
    }
    if (cur)
        flush(&b, cur);
    vq_page_dir_line(c, line, x, y, in_rtl_para, c->dir.ltr + c->dir.rtl - letters);
}
