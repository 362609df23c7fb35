/* Inline nodes to a paragraph: spans become text styles, links and
 * footnote marks become tags the glyph runs carry, fields become text. */
#include <stdio.h>
#include <string.h>

#include "base/lang.h"
#include "layout/lay.h"
#include "layout/layout.h"

bool lay_is_inline(vq_node_kind k)
{
    return k == VQ_NODE_TEXT || k == VQ_NODE_SPAN || k == VQ_NODE_LINK || k == VQ_NODE_LINE_BREAK ||
           k == VQ_NODE_FOOTNOTE || k == VQ_NODE_FIELD;
}

bool lay_persian_digits(const vq_text_style *ts)
{
    if (ts->digits == VQ_DIGITS_PERSIAN)
        return true;
    if (ts->digits == VQ_DIGITS_LATIN)
        return false;
    return vq_lang_is_persian(ts->lang);
}

void lay_format_number(char *out, size_t size, long n, const vq_text_style *ts)
{
    char latin[32];
    snprintf(latin, sizeof latin, "%ld", n);
    if (!lay_persian_digits(ts)) {
        snprintf(out, size, "%s", latin);
        return;
    }
    size_t o = 0;
    for (const char *c = latin; *c && o + 3 < size; c++) {
        if (*c >= '0' && *c <= '9') {
            /* U+06F0 + d is 0xDB 0xB0+d in UTF-8 */
            out[o++] = (char)0xDB;
            out[o++] = (char)(0xB0 + (*c - '0'));
        } else {
            out[o++] = *c;
        }
    }
    out[o] = '\0';
}

void lay_format_mark(char *out, size_t size, const vq_node *fn, const vq_text_style *ts)
{
    if (!fn->mark) {
        lay_format_number(out, size, fn->number, ts);
        return;
    }
    bool persian = lay_persian_digits(ts);
    size_t o = 0;
    for (const char *c = fn->mark; *c && o + 3 < size; c++) {
        if (persian && *c >= '0' && *c <= '9') {
            out[o++] = (char)0xDB;
            out[o++] = (char)(0xB0 + (*c - '0'));
        } else {
            out[o++] = *c;
        }
    }
    out[o] = '\0';
}

long lay_page_label(const lay_ctx *ctx, int page)
{
    int first = ctx->doc->page.first_number;
    return (long)(first > 1 ? first : 1) + page - 1;
}

void lay_add_plain(lay_ctx *ctx, vq_paragraph *p, const char *text, const vq_text_style *ts)
{
    ctx->para_text |= *text != '\0';
    vq_paragraph_add_text(p, text, strlen(text), ts);
}

static const vq_text_style *text_style_of(const vq_node *n)
{
    while (n && n->style.text.size <= 0)
        n = n->parent;
    static const vq_text_style fallback = {.size = 10, .weight = 400};
    return n ? &n->style.text : &fallback;
}

static void add_field(lay_ctx *ctx, vq_paragraph *p, const vq_node *n, vq_text_style *ts)
{
    char num[64];
    switch (n->field) {
    case VQ_FIELD_PAGE:
        lay_format_number(num, sizeof num, lay_page_label(ctx, ctx->page), ts);
        lay_add_plain(ctx, p, num, ts);
        break;
    case VQ_FIELD_PAGES:
        /* Before the total is known (a counting pass, or a paragraph set
         * again once it is), reserve the width of a similar number. */
        ctx->count_fields += ctx->page_count == 0;
        lay_format_number(num, sizeof num, ctx->page_count ? ctx->page_count : ctx->page, ts);
        lay_add_plain(ctx, p, num, ts);
        break;
    case VQ_FIELD_LAST_PAGE:
        /* Before the total is known, the width of the current page's. */
        ctx->count_fields += ctx->page_count == 0;
        lay_format_number(num, sizeof num,
                          lay_page_label(ctx, ctx->page_count ? ctx->page_count : ctx->page), ts);
        lay_add_plain(ctx, p, num, ts);
        break;
    case VQ_FIELD_TITLE:
        if (ctx->doc->title)
            lay_add_plain(ctx, p, ctx->doc->title, ts);
        break;
    }
}

static void add_footnote_mark(lay_ctx *ctx, vq_paragraph *p, const vq_node *n, double scale)
{
    vq_text_style ts = *text_style_of(n->parent);
    ts.size *= scale;
    ts.tag = lay_new_tag(ctx, NULL, n);
    /* A note whose mark is not in the text has only its tag: the paragraph's
     * first line takes it (footnote.c). */
    if (n->mark && !n->mark_in_text)
        return;
    ts.size_scale = 0.65;
    ts.baseline_shift = ts.size * 0.38;
    char num[64];
    lay_format_mark(num, sizeof num, n, &ts);
    lay_add_plain(ctx, p, num, &ts);
}

static void add_inlines(lay_ctx *ctx, vq_paragraph *p, const vq_node *first, const vq_node *stop,
                        int tag, double scale);

void lay_add_inlines(lay_ctx *ctx, vq_paragraph *p, const vq_node *first, const vq_node *stop,
                     int tag, double scale)
{
    /* Each paragraph's inlines are added in one call, just before it is laid
     * out; what an earlier call left unclaimed (a table cell measured, not
     * set) is forgotten here. */
    ctx->hidden_para = p;
    ctx->para_tag_start = ctx->tag_n;
    ctx->para_text = false;
    add_inlines(ctx, p, first, stop, tag, scale);
    if (ctx->para_text)
        return;
    /* Only notes with no mark in the text: a word joiner (invisible, no
     * width) gives the paragraph the line that takes them. */
    for (size_t t = ctx->para_tag_start; t < ctx->tag_n; t++) {
        const vq_node *fn = ctx->tags[t].footnote;
        if (fn && fn->mark && !fn->mark_in_text) {
            lay_add_plain(ctx, p, "\u2060", text_style_of(fn->parent));
            return;
        }
    }
}

static void add_inlines(lay_ctx *ctx, vq_paragraph *p, const vq_node *first, const vq_node *stop,
                        int tag, double scale)
{
    for (const vq_node *c = first; c && c != stop; c = c->next) {
        vq_text_style ts = *text_style_of(c);
        ts.size *= scale;
        if (tag)
            ts.tag = tag;
        switch (c->kind) {
        case VQ_NODE_TEXT:
            if (c->text && *c->text)
                lay_add_plain(ctx, p, c->text, &ts);
            break;
        case VQ_NODE_SPAN: {
            /* A span's id is a target where its text starts. */
            int t = tag;
            if (c->id && *c->id) {
                if (!t)
                    t = lay_new_tag(ctx, NULL, NULL);
                if (!ctx->tags[t].dest)
                    ctx->tags[t].dest = c->id;
            }
            add_inlines(ctx, p, c->first_child, NULL, t, scale);
            break;
        }
        case VQ_NODE_LINK: {
            int t = c->href ? lay_new_tag(ctx, c->href, NULL) : tag;
            if (t && c->id && *c->id && !ctx->tags[t].dest)
                ctx->tags[t].dest = c->id;
            add_inlines(ctx, p, c->first_child, NULL, t, scale);
            break;
        }
        case VQ_NODE_LINE_BREAK:
            vq_paragraph_add_line_break(p);
            break;
        case VQ_NODE_FOOTNOTE:
            add_footnote_mark(ctx, p, c, scale);
            break;
        case VQ_NODE_FIELD:
            add_field(ctx, p, c, &ts);
            break;
        default:
            /* A block inside inline content: keep its words. */
            add_inlines(ctx, p, c->first_child, NULL, tag, scale);
            break;
        }
    }
}

vq_switch lay_hyphenate(const vq_node *n, const vq_style *st)
{
    /* Headings are not hyphenated unless asked to (hyphenate="on"). */
    if (n && n->kind == VQ_NODE_HEADING && st->hyphenate == VQ_SWITCH_AUTO)
        return VQ_SWITCH_OFF;
    return st->hyphenate;
}

static _Thread_local unsigned long paragraphs_set;

unsigned long vq_layout_paragraphs_set(void)
{
    return paragraphs_set;
}

vq_status lay_layout_para(lay_ctx *ctx, lay_para *lp, const vq_node *n, const vq_style *st,
                          double width, double first_indent)
{
    paragraphs_set++;
    vq_paragraph_style ps;
    vq_paragraph_style_init(&ps, width > 1 ? width : 1);
    ps.dir = st->dir;
    ps.align = st->align;
    ps.first_indent = first_indent;
    if (st->line_height > 0)
        ps.line_height = st->line_height;
    ps.normalize_persian = vq_lang_is_persian(st->text.lang);
    ps.kashida = st->kashida;
    ps.hyphenate = lay_hyphenate(n, st);
    vq_error e;
    vq_error_clear(&e);
    lp->shift = 0;
    lay_para_recall(ctx, lp, &ps);
    if (vq_paragraph_layout(lp->p, &ps, &e) != VQ_OK)
        return lay_fail(ctx, n, e.status, "%s", e.message);
    /* A word is never split without a hyphen: when one is wider than the
     * measure and cannot be hyphenated narrower, the paragraph is set
     * wider (it overflows) and says so. Its words are hyphenated for
     * measuring only when one is wider than the measure. */
    vq_paragraph_style whole = ps;
    whole.hyphenate = VQ_SWITCH_OFF;
    double need;
    if (vq_paragraph_min_width(lp->p, &whole, &need, &e) != VQ_OK ||
        (need > ps.width + 0.01 && vq_paragraph_min_width(lp->p, &ps, &need, &e) != VQ_OK))
        return lay_fail(ctx, n, e.status, "%s", e.message);
    if (need > ps.width + 0.01) {
        if (ctx->cr && n && !ctx->quiet)
            vq_warn(n->loc.file, n->loc.line, n->loc.column,
                    "a word is %.1f pt wider than its %.1f pt measure and overflows it",
                    need - ps.width, ps.width);
        ps.width = need;
        if (vq_paragraph_layout(lp->p, &ps, &e) != VQ_OK)
            return lay_fail(ctx, n, e.status, "%s", e.message);
    }
    /* A heading of several lines is balanced: the narrowest measure that
     * keeps its number of lines (no "Report" alone under a full line). */
    size_t lines = vq_paragraph_line_count(lp->p);
    if (n && n->kind == VQ_NODE_HEADING && lines >= 2) {
        double full = ps.width, lo = full / 2, hi = full;
        for (int step = 0; step < 10 && hi - lo > 1; step++) {
            ps.width = (lo + hi) / 2;
            if (vq_paragraph_layout(lp->p, &ps, &e) != VQ_OK)
                return lay_fail(ctx, n, e.status, "%s", e.message);
            if (vq_paragraph_line_count(lp->p) == lines)
                hi = ps.width;
            else
                lo = ps.width;
        }
        ps.width = hi;
        if (vq_paragraph_layout(lp->p, &ps, &e) != VQ_OK)
            return lay_fail(ctx, n, e.status, "%s", e.message);
        /* Keep the heading where its alignment puts it in the full measure. */
        bool right = st->align == VQ_ALIGN_RIGHT ||
                     (st->align != VQ_ALIGN_LEFT && st->align != VQ_ALIGN_CENTER &&
                      (st->dir == VQ_DIR_RTL) == (st->align != VQ_ALIGN_END));
        lp->shift = st->align == VQ_ALIGN_CENTER ? (full - hi) / 2 : right ? full - hi : 0;
    }
    return VQ_OK;
}

void lay_plain_text(const vq_node *n, vq_buf *out)
{
    for (const vq_node *c = n->first_child; c; c = c->next) {
        if (c->kind == VQ_NODE_TEXT && c->text)
            vq_buf_append_str(out, c->text);
        else if (c->kind != VQ_NODE_FOOTNOTE)
            lay_plain_text(c, out);
    }
}
