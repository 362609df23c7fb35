/* Element-specific attributes: footnote marks, <page>, figures, tables,
 * numbers and dates. */
#include "markup/parser.h"

/* A footnote is numbered unless it brings its own mark ("*", "†", an
 * affiliation's number, or "" for none); a given mark takes no number. */
bool mk_footnote_mark(parser *p, size_t off, const char **atts, vq_node *n)
{
    const char *mark = mk_attr(atts, "mark"), *v = mk_attr(atts, "mark-in-text");
    n->mark_in_text = true;
    if (v && !mk_parse_bool(p, off, "mark-in-text", v, &n->mark_in_text))
        return false;
    if (!mark) {
        if (!n->mark_in_text) {
            mk_fail_at(p, off,
                       "mark-in-text=\"false\" needs a mark=\"…\" (a numbered note shows its "
                       "number in the text)");
            return false;
        }
        n->number = ++p->doc->footnote_count;
        return true;
    }
    size_t chars = 0;
    for (const char *c = mark; *c; c++) {
        chars += ((unsigned char)*c & 0xC0) != 0x80;
        if ((unsigned char)*c < 0x20 || *c == ' ') {
            mk_fail_at(p, off, "mark=\"%s\": a mark has no spaces or control characters", mark);
            return false;
        }
    }
    if (chars > 8) {
        mk_fail_at(p, off, "mark=\"%s\": a mark has at most 8 characters", mark);
        return false;
    }
    n->mark = vq_arena_strdup(p->doc->arena, mark);
    if (!*mark)
        n->mark_in_text = false;
    return true;
}

/* <page size>: a named size or a width and a height. */
static bool page_size(parser *p, size_t off, const char *v, vq_page_setup *pg)
{
    if (!strcmp(v, "A4")) {
        pg->width = 595.28;
        pg->height = 841.89;
    } else if (!strcmp(v, "A5")) {
        pg->width = 419.53;
        pg->height = 595.28;
    } else if (!strcmp(v, "Letter")) {
        pg->width = 612;
        pg->height = 792;
    } else {
        vq_length l[2];
        if (vq_parse_length_list(v, false, false, l, 2) != 2 || l[0].value < 36 ||
            l[1].value < 36) {
            mk_fail_at(p, off,
                       "size=\"%s\": expected A4, A5, Letter or a width and a height "
                       "(\"210mm 297mm\") of at least 36pt each",
                       v);
            return false;
        }
        pg->width = l[0].value;
        pg->height = l[1].value;
    }
    return true;
}

bool mk_handle_page(parser *p, size_t off, const char **atts)
{
    if (p->seen_page) {
        mk_fail_at(p, off, "only one <page> is allowed");
        return false;
    }
    p->seen_page = true;
    vq_page_setup *pg = &p->doc->page;
    const char *v;
    if ((v = mk_attr(atts, "size")) && !page_size(p, off, v, pg))
        return false;
    if ((v = mk_attr(atts, "orientation"))) {
        static const char *const names[] = {"portrait", "landscape"};
        int e = mk_enum_value(v, names, 2);
        if (e < 0) {
            mk_fail_enum(p, off, "orientation", v, names, 2);
            return false;
        }
        bool wide = pg->width > pg->height;
        if ((e == 1) != wide) {
            double t = pg->width;
            pg->width = pg->height;
            pg->height = t;
        }
    }
    if ((v = mk_attr(atts, "margin"))) {
        vq_length l[4];
        int n = vq_parse_length_list(v, false, false, l, 4);
        if (n < 1) {
            mk_fail_at(p, off, "margin=\"%s\": expected 1 to 4 lengths in pt, mm, cm or in", v);
            return false;
        }
        double top = l[0].value, right = n > 1 ? l[1].value : top;
        double bottom = n > 2 ? l[2].value : top, left = n > 3 ? l[3].value : right;
        pg->margin_top = top;
        pg->margin_right = right;
        pg->margin_bottom = bottom;
        pg->margin_left = left;
    }
    if ((v = mk_attr(atts, "column-gap")) &&
        !mk_parse_abs_length(p, off, "column-gap", v, &pg->column_gap))
        return false;
    if ((v = mk_attr(atts, "header-offset")) &&
        !mk_parse_abs_length(p, off, "header-offset", v, &pg->header_offset))
        return false;
    if ((v = mk_attr(atts, "footer-offset")) &&
        !mk_parse_abs_length(p, off, "footer-offset", v, &pg->footer_offset))
        return false;
    if ((v = mk_attr(atts, "first-number")) && !vq_parse_int(v, 1, 1000000, &pg->first_number)) {
        mk_fail_at(p, off, "first-number=\"%s\": expected a whole number from 1 to 1000000", v);
        return false;
    }
    if (pg->margin_left + pg->margin_right > pg->width - 36 ||
        pg->margin_top + pg->margin_bottom > pg->height - 36) {
        mk_fail_at(p, off, "the margins leave less than 36pt of the %gpt × %gpt page", pg->width,
                   pg->height);
        return false;
    }
    return true;
}

static char *resolve_path(parser *p, const char *src)
{
    if (src[0] == '/' || !p->base_dir || !*p->base_dir || !strcmp(p->base_dir, "."))
        return vq_xstrdup(src);
    return vq_path_join(p->base_dir, src);
}

bool mk_handle_figure(parser *p, size_t off, vq_node *n, const char **atts)
{
    const char *src = mk_attr(atts, "src"), *ph = mk_attr(atts, "placeholder"), *v;
    if (!src && !ph) {
        mk_fail_at(p, off, "<figure> needs the attribute src or placeholder");
        return false;
    }
    if (src && ph) {
        mk_fail_at(p, off, "<figure> takes src or placeholder, not both");
        return false;
    }
    n->width.unit = VQ_LEN_AUTO;
    if ((v = mk_attr(atts, "alt")) && *v)
        n->alt = vq_arena_strdup(p->doc->arena, v);
    if ((v = mk_attr(atts, "width")) &&
        (!vq_parse_length(v, true, &n->width) || n->width.value <= 0)) {
        mk_fail_at(p, off, "width=\"%s\": expected a length in pt, mm, cm, in or %%", v);
        return false;
    }
    if ((v = mk_attr(atts, "aspect"))) {
        if (!ph) {
            mk_fail_at(p, off, "aspect= is only for a placeholder figure");
            return false;
        }
        if (!vq_parse_number(v, 0.05, 20, &n->aspect)) {
            mk_fail_at(p, off, "aspect=\"%s\": expected a number from 0.05 to 20 (height ÷ width)",
                       v);
            return false;
        }
    }
    if (ph) {
        n->placeholder = vq_arena_strdup(p->doc->arena, ph);
        if (n->aspect == 0)
            n->aspect = 0.6;
        return true;
    }
    if (!*src) {
        mk_fail_at(p, off, "src=\"\": expected the path of a PNG or JPEG file");
        return false;
    }
    char *path = resolve_path(p, src);
    n->src_data = mk_attribute_data_place(p, off, "src");
    char msg[VQ_ERROR_MESSAGE_MAX - 16];
    const char *type = NULL;
    unsigned char *bytes = NULL;
    size_t size = 0;
    bool ok = mk_is_svg_name(path)
                  ? mk_probe_svg(path, p->roots, &type, &bytes, &size, msg, sizeof msg)
                  : vq_image_probe(path, p->roots, p->max_pixels, &n->image_width, &n->image_height,
                                   &type, &bytes, &size, msg, sizeof msg);
    if (ok) {
        n->src = vq_arena_strdup(p->doc->arena, path);
        n->image_type = type;
        unsigned char *kept = vq_arena_alloc(p->doc->arena, size);
        memcpy(kept, bytes, size);
        n->image_data = kept;
        n->image_len = size;
        free(bytes);
    } else {
        mk_fail_at(p, off, "%s%s", msg, n->src_data ? n->src_data : "");
    }
    free(path);
    return ok;
}

bool mk_handle_table(parser *p, size_t off, frame *f, vq_node *n, const char **atts)
{
    const char *v;
    n->width.unit = VQ_LEN_PERCENT;
    n->width.value = 100;
    if ((v = mk_attr(atts, "width")) &&
        (!vq_parse_length(v, true, &n->width) || n->width.value <= 0)) {
        mk_fail_at(p, off, "width=\"%s\": expected a length in pt, mm, cm, in or %%", v);
        return false;
    }
    if ((v = mk_attr(atts, "header-rows")) && !vq_parse_int(v, 0, 1000, &n->header_rows)) {
        mk_fail_at(p, off, "header-rows=\"%s\": expected a whole number from 0 to 1000", v);
        return false;
    }
    if ((v = mk_attr(atts, "widths"))) {
        vq_length l[MAX_COLUMNS];
        int count = vq_parse_length_list(v, true, true, l, MAX_COLUMNS);
        if (count < 1) {
            mk_fail_at(p, off,
                       "widths=\"%s\": expected one width per column: lengths in pt, mm, cm or in, "
                       "%% or auto",
                       v);
            return false;
        }
        f->widths = vq_arena_alloc(p->doc->arena, sizeof *f->widths * (size_t)count);
        memcpy(f->widths, l, sizeof *l * (size_t)count);
        f->width_count = count;
    }
    return true;
}

/* At </table>: the column count, widths and header rows. */
bool mk_finish_table(parser *p, frame *f)
{
    vq_node *t = f->node;
    int cols = 0, rows = 0;
    for (vq_node *r = t->first_child; r; r = r->next) {
        if (r->kind != VQ_NODE_TABLE_ROW)
            continue;
        int n = 0;
        for (vq_node *c = r->first_child; c; c = c->next)
            n += c->colspan;
        if (f->widths && n > f->width_count) {
            mk_fail_node(p, r, "this row has %d columns but the table's widths= gives %d", n,
                         f->width_count);
            return false;
        }
        if (n > MAX_COLUMNS) {
            mk_fail_node(p, r, "this row has %d columns (at most %d)", n, MAX_COLUMNS);
            return false;
        }
        if (n > cols)
            cols = n;
        r->header = rows < t->header_rows;
        rows++;
    }
    if (t->header_rows > rows) {
        mk_fail_at(p, f->offset, "header-rows=\"%d\" but the table has %d row%s", t->header_rows,
                   rows, rows == 1 ? "" : "s");
        return false;
    }
    if (f->widths)
        cols = f->width_count;
    t->column_count = cols;
    t->column_widths = vq_arena_alloc(p->doc->arena, sizeof(vq_length) * (size_t)(cols ? cols : 1));
    for (int i = 0; i < cols; i++)
        t->column_widths[i] = f->widths ? f->widths[i] : (vq_length){VQ_LEN_AUTO, 0};
    return true;
}

bool mk_handle_number(parser *p, size_t off, const vq_style *s, const char **atts, vq_buf *out)
{
    const char *value = mk_attr(atts, "value"), *v;
    if (!value) {
        mk_fail_at(p, off, "<number> needs the attribute value");
        return false;
    }
    vq_number_options o = {s->text.digits, -1, false};
    if ((v = mk_attr(atts, "decimals")) && !vq_parse_int(v, 0, 15, &o.decimals)) {
        mk_fail_at(p, off, "decimals=\"%s\": expected a whole number from 0 to 15", v);
        return false;
    }
    bool grouping = true;
    if ((v = mk_attr(atts, "grouping")) && !mk_parse_bool(p, off, "grouping", v, &grouping))
        return false;
    o.no_grouping = !grouping;
    vq_error e;
    if (vq_format_number(out, value, s->text.lang, &o, &e) != VQ_OK) {
        mk_fail_at(p, off, "value=\"%s\": expected a number such as 1234.5", value);
        return false;
    }
    return true;
}

bool mk_handle_date(parser *p, size_t off, const vq_style *s, const char **atts, vq_buf *out)
{
    const char *value = mk_attr(atts, "value"), *v;
    if (!value) {
        mk_fail_at(p, off, "<date> needs the attribute value");
        return false;
    }
    vq_date_options o = {VQ_CALENDAR_DEFAULT, VQ_DATE_SHORT, false, s->text.digits};
    if ((v = mk_attr(atts, "calendar"))) {
        static const char *const names[] = {"persian", "gregorian"};
        int e = mk_enum_value(v, names, 2);
        if (e < 0) {
            mk_fail_enum(p, off, "calendar", v, names, 2);
            return false;
        }
        o.calendar = e == 0 ? VQ_CALENDAR_PERSIAN : VQ_CALENDAR_GREGORIAN;
    }
    if ((v = mk_attr(atts, "format"))) {
        static const char *const names[] = {"short", "long"};
        int e = mk_enum_value(v, names, 2);
        if (e < 0) {
            mk_fail_enum(p, off, "format", v, names, 2);
            return false;
        }
        o.style = e == 0 ? VQ_DATE_SHORT : VQ_DATE_LONG;
    }
    if ((v = mk_attr(atts, "weekday")) && !mk_parse_bool(p, off, "weekday", v, &o.weekday))
        return false;
    vq_error e;
    if (vq_format_date(out, value, s->text.lang, &o, &e) != VQ_OK) {
        mk_fail_at(p, off, "value=\"%s\": not a valid date (expected YYYY-MM-DD)", value);
        return false;
    }
    return true;
}
