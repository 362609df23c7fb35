/* Computed styles: style attributes, <style> rules and classes, element
 * defaults and inheritance. */
#include "markup/parser.h"

static const char *const ALIGN_NAMES[] = {"start", "end", "center", "justify", "left", "right"};
static const char *const DIR_NAMES[] = {"auto", "ltr", "rtl"};
static const char *const DIGIT_NAMES[] = {"as-written", "persian", "latin"};
static const char *const SWITCH_NAMES[] = {"auto", "on", "off"}; /* as vq_switch */

int mk_enum_value(const char *v, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    return -1;
}

void mk_fail_enum(parser *p, size_t off, const char *name, const char *v, const char *const *names,
                  int count)
{
    vq_buf b = VQ_BUF_INIT;
    for (int i = 0; i < count; i++)
        vq_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    mk_fail_at(p, off, "%s=\"%s\": expected one of %s", name, v, b.data);
    vq_buf_free(&b);
}

bool mk_parse_bool(parser *p, size_t off, const char *name, const char *v, bool *out)
{
    if (strcmp(v, "true") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0)
        *out = false;
    else {
        mk_fail_at(p, off, "%s=\"%s\": expected true or false", name, v);
        return false;
    }
    return true;
}

bool mk_parse_abs_length(parser *p, size_t off, const char *name, const char *v, double *out)
{
    vq_length len;
    if (!vq_parse_length(v, false, &len)) {
        mk_fail_at(p, off, "%s=\"%s\": expected a length in pt, mm, cm or in", name, v);
        return false;
    }
    *out = len.value;
    return true;
}

static bool parse_colour(parser *p, size_t off, const char *name, const char *v, uint32_t *out)
{
    if (!vq_parse_color(v, out)) {
        mk_fail_at(p, off, "%s=\"%s\": expected a colour as #rgb or #rrggbb", name, v);
        return false;
    }
    return true;
}

static bool valid_lang(const char *v)
{
    /* BCP 47 in shape: a 2–8 letter language, then 1–8 alphanumeric subtags. */
    size_t n = 0;
    while ((v[n] >= 'a' && v[n] <= 'z') || (v[n] >= 'A' && v[n] <= 'Z'))
        n++;
    if (n < 2 || n > 8)
        return false;
    const char *s = v + n;
    while (*s == '-') {
        s++;
        size_t k = 0;
        while ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
               (s[k] >= '0' && s[k] <= '9'))
            k++;
        if (k < 1 || k > 8)
            return false;
        s += k;
    }
    return *s == 0;
}

/* Applies one style attribute. Returns false on a bad value (error set). */
bool mk_apply_style_attr(parser *p, size_t off, style_work *w, const char *name, const char *v)
{
    vq_style *s = &w->s;
    int e;
    vq_length len;
    if (strcmp(name, "font") == 0) {
        if (!*v || mk_all_ws(v, strlen(v))) {
            mk_fail_at(p, off, "font=\"%s\": expected a font family name", v);
            return false;
        }
        s->text.family = vq_arena_strdup(p->doc->arena, v);
        w->set |= SET_FONT;
    } else if (strcmp(name, "font-size") == 0) {
        if (!vq_parse_length(v, true, &len) || len.value <= 0) {
            mk_fail_at(p, off, "%s=\"%s\": expected a length in pt, mm, cm, in or %%", name, v);
            return false;
        }
        s->text.size = len.unit == VQ_LEN_PERCENT ? w->parent_size * len.value / 100 : len.value;
        if (s->text.size > 1000)
            s->text.size = 1000;
        if (s->text.size < 1)
            s->text.size = 1;
    } else if (strcmp(name, "font-weight") == 0) {
        int weight;
        if (strcmp(v, "normal") == 0)
            s->text.weight = 400;
        else if (strcmp(v, "bold") == 0)
            s->text.weight = 700;
        else if (vq_parse_int(v, 100, 900, &weight))
            s->text.weight = weight;
        else {
            mk_fail_at(p, off, "%s=\"%s\": expected normal, bold or a weight from 100 to 900", name,
                       v);
            return false;
        }
    } else if (strcmp(name, "font-style") == 0) {
        static const char *const names[] = {"normal", "italic"};
        if ((e = mk_enum_value(v, names, 2)) < 0) {
            mk_fail_enum(p, off, name, v, names, 2);
            return false;
        }
        s->text.italic = e == 1;
    } else if (strcmp(name, "color") == 0) {
        if (!parse_colour(p, off, name, v, &s->text.color))
            return false;
    } else if (strcmp(name, "align") == 0) {
        if ((e = mk_enum_value(v, ALIGN_NAMES, 6)) < 0) {
            mk_fail_enum(p, off, name, v, ALIGN_NAMES, 6);
            return false;
        }
        s->align = (vq_align)e;
    } else if (strcmp(name, "line-height") == 0) {
        double m;
        if (vq_parse_number(v, 0.1, 20, &m)) {
            s->line_height = m;
            w->lh_is_length = false;
        } else if (vq_parse_length(v, true, &len) && len.value > 0) {
            if (len.unit == VQ_LEN_PERCENT) {
                s->line_height = len.value / 100;
                w->lh_is_length = false;
            } else {
                w->lh_is_length = true;
                w->lh_length = len.value;
            }
        } else {
            mk_fail_at(p, off,
                       "%s=\"%s\": expected a number (a multiple of the font size), a %% or "
                       "a length",
                       name, v);
            return false;
        }
        w->set |= SET_LINE_HEIGHT;
    } else if (strcmp(name, "indent") == 0) {
        if (!mk_parse_abs_length(p, off, name, v, &s->indent))
            return false;
    } else if (strcmp(name, "dir") == 0) {
        if ((e = mk_enum_value(v, DIR_NAMES, 3)) < 0) {
            mk_fail_enum(p, off, name, v, (const char *const[]){"rtl", "ltr", "auto"}, 3);
            return false;
        }
        s->dir = (vq_dir)e;
        w->set |= SET_DIR;
    } else if (strcmp(name, "lang") == 0) {
        if (!valid_lang(v)) {
            mk_fail_at(p, off, "lang=\"%s\": expected a language tag such as fa or en", v);
            return false;
        }
        s->text.lang = vq_arena_strdup(p->doc->arena, v);
        w->set |= SET_LANG;
    } else if (strcmp(name, "digits") == 0) {
        if ((e = mk_enum_value(v, DIGIT_NAMES, 3)) < 0) {
            mk_fail_enum(p, off, name, v, (const char *const[]){"persian", "latin", "as-written"},
                         3);
            return false;
        }
        s->text.digits = (vq_digits)e;
        w->set |= SET_DIGITS;
    } else if (strcmp(name, "space-before") == 0) {
        if (!mk_parse_abs_length(p, off, name, v, &s->space_before))
            return false;
        w->set |= SET_SPACE_BEFORE;
    } else if (strcmp(name, "space-after") == 0) {
        if (!mk_parse_abs_length(p, off, name, v, &s->space_after))
            return false;
        w->set |= SET_SPACE_AFTER;
    } else if (strcmp(name, "margin-start") == 0) {
        if (!mk_parse_abs_length(p, off, name, v, &s->margin_start))
            return false;
        w->set |= SET_MARGIN_START;
    } else if (strcmp(name, "margin-end") == 0) {
        if (!mk_parse_abs_length(p, off, name, v, &s->margin_end))
            return false;
    } else if (strcmp(name, "kashida") == 0 || strcmp(name, "hyphenate") == 0) {
        if ((e = mk_enum_value(v, SWITCH_NAMES, 3)) < 0) {
            mk_fail_enum(p, off, name, v, SWITCH_NAMES, 3);
            return false;
        }
        if (name[0] == 'k')
            s->kashida = (vq_switch)e;
        else
            s->hyphenate = (vq_switch)e;
    } else if (strcmp(name, "keep-with-next") == 0) {
        if (!mk_parse_bool(p, off, name, v, &s->keep_with_next))
            return false;
        w->set |= SET_KEEP;
    } else if (strcmp(name, "keep-together") == 0) {
        if (!mk_parse_bool(p, off, name, v, &s->keep_together))
            return false;
    } else if (strcmp(name, "border") == 0) {
        if (!mk_parse_abs_length(p, off, name, v, &s->border_width))
            return false;
        w->set |= SET_BORDER;
    } else if (strcmp(name, "border-color") == 0) {
        if (!parse_colour(p, off, name, v, &s->border_color))
            return false;
        w->set |= SET_BORDER_COLOR;
    } else if (strcmp(name, "background") == 0) {
        if (strcmp(v, "none") == 0) {
            s->has_background = false;
            s->background = 0;
        } else if (vq_parse_color(v, &s->background)) {
            s->has_background = true;
        } else {
            mk_fail_at(p, off, "%s=\"%s\": expected a colour as #rgb or #rrggbb, or none", name, v);
            return false;
        }
    } else if (strcmp(name, "padding") == 0) {
        if (!mk_parse_abs_length(p, off, name, v, &s->padding))
            return false;
        w->set |= SET_PADDING;
    }
    return true;
}

/* The inherited part of parent: what a child starts from. */
vq_style mk_inherit(const vq_style *parent, bool inline_el)
{
    vq_style s = *parent;
    s.space_before = s.space_after = 0;
    s.margin_start = s.margin_end = 0;
    s.keep_with_next = false;
    s.keep_together = false;
    s.padding = 0;
    s.border_width = 0;
    s.border_color = 0;
    s.background = 0;
    s.has_background = false;
    s.text.tag = 0;
    if (!inline_el) {
        s.text.baseline_shift = 0;
        s.text.size_scale = 1;
    }
    return s;
}

static const style_rule *find_class(const parser *p, const char *name, size_t n)
{
    for (int i = 0; i < p->rule_count; i++)
        if (p->rules[i].name && strlen(p->rules[i].name) == n &&
            strncmp(p->rules[i].name, name, n) == 0)
            return &p->rules[i];
    return NULL;
}

static bool apply_rule(parser *p, size_t off, style_work *w, const style_rule *r)
{
    for (int i = 0; i < r->attr_count; i++)
        if (!mk_apply_style_attr(p, off, w, r->attrs[2 * i], r->attrs[2 * i + 1]))
            return false;
    return true;
}

static void fail_unknown_class(parser *p, size_t off, const char *name)
{
    const char **names = vq_xcalloc((size_t)p->rule_count + 1, sizeof *names);
    for (int i = 0; i < p->rule_count; i++)
        names[i] = p->rules[i].name;
    const char *hint = vq_closest_name(name, names, (size_t)p->rule_count);
    if (hint)
        mk_fail_at(p, off, "unknown style class '%s' (did you mean '%s'?)", name, hint);
    else
        mk_fail_at(p, off, "unknown style class '%s' (define it with <style name=\"%s\" …/> first)",
                   name, name);
    free(names);
}

static double heading_scale(el_id el)
{
    static const double scale[] = {1.6, 1.35, 1.15, 1.0};
    return scale[el - EL_H1];
}

/* The computed style of element el opened under parent with atts. */
bool mk_compute_style(parser *p, size_t off, el_id el, const frame *parent, const char **atts,
                      vq_style *out, bool *font_explicit, bool *dir_set, unsigned *own_set)
{
    bool inline_el = mk_els[el].place == P_INLINE;
    style_work w = {0};
    w.s = mk_inherit(&parent->style, inline_el);
    w.parent_size = parent->style.text.size;
    vq_style *s = &w.s;

    /* The element's own look, before rules and attributes. */
    switch (el) {
    case EL_H1:
    case EL_H2:
    case EL_H3:
    case EL_H4:
        s->text.size *= heading_scale(el);
        s->text.weight = 700;
        break;
    case EL_TH:
    case EL_B:
    case EL_STRONG:
        s->text.weight = 700;
        break;
    case EL_I:
    case EL_EM:
        s->text.italic = true;
        break;
    case EL_CAPTION:
        s->text.size *= 0.9;
        break;
    case EL_FOOTNOTE:
        s->text.size *= 0.8;
        s->text.baseline_shift = 0;
        s->text.size_scale = 1;
        break;
    default:
        break;
    }

    /* <style element="…"> rules, then classes, then the attributes. */
    for (int i = 0; i < p->rule_count; i++) {
        const style_rule *r = &p->rules[i];
        if (r->elements && strstr(r->elements, mk_els[el].name)) {
            char key[32];
            snprintf(key, sizeof key, " %s ", mk_els[el].name);
            if (strstr(r->elements, key) && !apply_rule(p, off, &w, r))
                return false;
        }
    }
    const char *cls = mk_attr(atts, "class");
    for (const char *c = cls; c && *c;) {
        while (mk_is_ws(*c))
            c++;
        size_t n = 0;
        while (c[n] && !mk_is_ws(c[n]))
            n++;
        if (!n)
            break;
        const style_rule *r = find_class(p, c, n);
        if (!r) {
            char *name = vq_xstrndup(c, n);
            fail_unknown_class(p, off, name);
            free(name);
            return false;
        }
        if (!apply_rule(p, off, &w, r))
            return false;
        c += n;
    }
    for (int i = 0; atts[i]; i += 2)
        if (mk_is_style_attr(atts[i]) && !mk_apply_style_attr(p, off, &w, atts[i], atts[i + 1]))
            return false;

    /* Defaults that depend on the final size, where nothing set them. */
    double size = s->text.size;
    if (w.lh_is_length)
        s->line_height = w.lh_length / size;
    switch (el) {
    case EL_H1:
    case EL_H2:
    case EL_H3:
    case EL_H4: {
        static const double before[] = {1.0, 0.9, 0.8, 0.7};
        if (!(w.set & SET_SPACE_BEFORE))
            s->space_before = before[el - EL_H1] * size;
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.4 * size;
        if (!(w.set & SET_LINE_HEIGHT))
            s->line_height = 1.25;
        if (!(w.set & SET_KEEP))
            s->keep_with_next = true;
        break;
    }
    case EL_P:
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.5 * size;
        break;
    case EL_UL:
    case EL_OL:
        if (!(w.set & SET_MARGIN_START))
            s->margin_start = 1.5 * size;
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.5 * size;
        break;
    case EL_LI:
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.2 * size;
        break;
    case EL_TABLE:
        if (!(w.set & SET_PADDING))
            s->padding = 3;
        /* fall through */
    case EL_FIGURE:
    case EL_QR:
    case EL_BOX:
        if (!(w.set & SET_SPACE_BEFORE) && el != EL_BOX)
            s->space_before = 0.5 * size;
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.5 * size;
        break;
    case EL_HR:
        if (!(w.set & SET_BORDER))
            s->border_width = 0.5;
        if (!(w.set & SET_SPACE_BEFORE))
            s->space_before = 0.5 * size;
        if (!(w.set & SET_SPACE_AFTER))
            s->space_after = 0.5 * size;
        break;
    case EL_TH:
    case EL_TD: {
        /* Cells take their table's grid unless they say otherwise. */
        const frame *table = parent - 1;
        if (table->el == EL_TABLE) {
            if (!(w.set & SET_PADDING))
                s->padding = table->style.padding;
            if (!(w.set & SET_BORDER))
                s->border_width = table->style.border_width;
            if (!(w.set & SET_BORDER_COLOR))
                s->border_color = table->style.border_color;
        }
        break;
    }
    case EL_SUP:
    case EL_SUB: {
        double visible = size * (s->text.size_scale > 0 ? s->text.size_scale : 1);
        s->text.baseline_shift += (el == EL_SUP ? 0.33 : -0.15) * visible;
        s->text.size_scale = (s->text.size_scale > 0 ? s->text.size_scale : 1) * 0.7;
        break;
    }
    default:
        break;
    }

    /* A block whose language changes takes that language's direction and
     * (unless a font was chosen) its default font. */
    bool block = !inline_el;
    *font_explicit = parent->font_explicit || (w.set & SET_FONT);
    *dir_set = w.set & SET_DIR;
    *own_set = w.set;
    if (block && (w.set & SET_LANG)) {
        if (!(w.set & SET_DIR))
            s->dir = vq_lang_is_rtl(s->text.lang) ? VQ_DIR_RTL : VQ_DIR_LTR;
        if (!*font_explicit)
            s->text.family = vq_lang_default_font(s->text.lang);
    }
    *out = *s;
    return true;
}

/* ---- <style> ---- */

bool mk_handle_style(parser *p, size_t off, const char **atts)
{
    const char *name = mk_attr(atts, "name"), *elements = mk_attr(atts, "element");
    if (!name && !elements) {
        mk_fail_at(p, off, "<style> needs the attribute name or element");
        return false;
    }
    if (name) {
        if (!*name || strpbrk(name, " \t\r\n")) {
            mk_fail_at(p, off, "name=\"%s\": expected one word", name);
            return false;
        }
        if (find_class(p, name, strlen(name))) {
            mk_fail_at(p, off, "style '%s' is defined twice", name);
            return false;
        }
    }
    vq_buf els = VQ_BUF_INIT;
    if (elements) {
        vq_buf_append_char(&els, ' ');
        char *copy = vq_xstrdup(elements);
        for (char *sp, *tok = strtok_r(copy, " \t\r\n", &sp); tok;
             tok = strtok_r(NULL, " \t\r\n", &sp)) {
            el_id el = mk_element_id(tok);
            if (el == EL_COUNT || !mk_els[el].styled) {
                if (el == EL_COUNT) {
                    char prefix[80];
                    snprintf(prefix, sizeof prefix, "element=\"%.60s\": ", elements);
                    mk_fail_unknown_element(p, off, tok, prefix);
                } else {
                    mk_fail_at(p, off, "element=\"%s\": <%s> takes no style", elements, tok);
                }
                free(copy);
                vq_buf_free(&els);
                return false;
            }
            vq_buf_printf(&els, "%s ", tok);
        }
        free(copy);
    }
    /* Check every value now, so the error points at the definition. */
    style_work w = {0};
    w.s = p->frames[0].style;
    w.parent_size = w.s.text.size;
    int count = 0;
    for (int i = 0; atts[i]; i += 2) {
        if (!mk_is_style_attr(atts[i]))
            continue;
        if (!mk_apply_style_attr(p, off, &w, atts[i], atts[i + 1])) {
            vq_buf_free(&els);
            return false;
        }
        count++;
    }
    if (p->rule_count == p->rule_cap) {
        p->rule_cap = p->rule_cap ? p->rule_cap * 2 : 8;
        p->rules = vq_xrealloc(p->rules, (size_t)p->rule_cap * sizeof *p->rules);
    }
    style_rule *r = &p->rules[p->rule_count++];
    r->name = name ? vq_arena_strdup(p->doc->arena, name) : NULL;
    r->elements = els.len ? vq_arena_strdup(p->doc->arena, els.data) : NULL;
    r->attrs = vq_arena_alloc(p->doc->arena, sizeof(char *) * 2 * (size_t)(count + 1));
    r->attr_count = 0;
    for (int i = 0; atts[i]; i += 2) {
        if (!mk_is_style_attr(atts[i]))
            continue;
        r->attrs[2 * r->attr_count] = vq_arena_strdup(p->doc->arena, atts[i]);
        r->attrs[2 * r->attr_count + 1] = vq_arena_strdup(p->doc->arena, atts[i + 1]);
        r->attr_count++;
    }
    vq_buf_free(&els);
    return true;
}
