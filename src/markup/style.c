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

/* ---- the style attributes ---- */

typedef struct style_attr style_attr;
/* Reads value v of attribute a into w; false on a bad value (error set). */
typedef bool (*style_read_fn)(parser *p, size_t off, style_work *w, const style_attr *a,
                              const char *v);
struct style_attr {
    const char *name;
    style_read_fn read;
    size_t field; /* offset in vq_style of the field it sets (the generic readers) */
    unsigned set; /* SET_* it records when its value is good */
};

#define FIELD(type, w, a) ((type *)((char *)&(w)->s + (a)->field))

static bool read_font(parser *p, size_t off, style_work *w, const style_attr *a, const char *v)
{
    if (!*v || mk_all_ws(v, strlen(v))) {
        mk_fail_at(p, off, "font=\"%s\": expected a font family name", v);
        return false;
    }
    w->s.text.family = vq_arena_strdup(p->doc->arena, v);
    return true;
}

static bool read_font_size(parser *p, size_t off, style_work *w, const style_attr *a, const char *v)
{
    vq_length len;
    if (!vq_parse_length(v, true, &len) || len.value <= 0) {
        mk_fail_at(p, off, "%s=\"%s\": expected a length in pt, mm, cm, in or %%", a->name, v);
        return false;
    }
    double size = len.unit == VQ_LEN_PERCENT ? w->parent_size * len.value / 100 : len.value;
    w->s.text.size = size > 1000 ? 1000 : size < 1 ? 1 : size;
    return true;
}

static bool read_font_weight(parser *p, size_t off, style_work *w, const style_attr *a,
                             const char *v)
{
    int weight;
    if (strcmp(v, "normal") == 0)
        w->s.text.weight = 400;
    else if (strcmp(v, "bold") == 0)
        w->s.text.weight = 700;
    else if (vq_parse_int(v, 100, 900, &weight))
        w->s.text.weight = weight;
    else {
        mk_fail_at(p, off, "%s=\"%s\": expected normal, bold or a weight from 100 to 900", a->name,
                   v);
        return false;
    }
    return true;
}

/* An enumerated value: its index in names, or an error listing shown (the
 * names in the order the message gives them). */
static int read_enum(parser *p, size_t off, const style_attr *a, const char *v,
                     const char *const *names, const char *const *shown, int count)
{
    int e = mk_enum_value(v, names, count);
    if (e < 0)
        mk_fail_enum(p, off, a->name, v, shown, count);
    return e;
}

static bool read_font_style(parser *p, size_t off, style_work *w, const style_attr *a,
                            const char *v)
{
    static const char *const names[] = {"normal", "italic"};
    int e = read_enum(p, off, a, v, names, names, 2);
    if (e >= 0)
        w->s.text.italic = e == 1;
    return e >= 0;
}

static bool read_colour(parser *p, size_t off, style_work *w, const style_attr *a, const char *v)
{
    return parse_colour(p, off, a->name, v, FIELD(uint32_t, w, a));
}

static bool read_align(parser *p, size_t off, style_work *w, const style_attr *a, const char *v)
{
    int e = read_enum(p, off, a, v, ALIGN_NAMES, ALIGN_NAMES, 6);
    if (e >= 0)
        w->s.align = (vq_align)e;
    return e >= 0;
}

static bool read_line_height(parser *p, size_t off, style_work *w, const style_attr *a,
                             const char *v)
{
    double m;
    vq_length len;
    if (vq_parse_number(v, 0.1, 20, &m)) {
        w->s.line_height = m;
        w->lh_is_length = false;
    } else if (vq_parse_length(v, true, &len) && len.value > 0) {
        if (len.unit == VQ_LEN_PERCENT) {
            w->s.line_height = len.value / 100;
            w->lh_is_length = false;
        } else {
            w->lh_is_length = true;
            w->lh_length = len.value;
        }
    } else {
        mk_fail_at(p, off,
                   "%s=\"%s\": expected a number (a multiple of the font size), a %% or "
                   "a length",
                   a->name, v);
        return false;
    }
    return true;
}

static bool read_length(parser *p, size_t off, style_work *w, const style_attr *a, const char *v)
{
    return mk_parse_abs_length(p, off, a->name, v, FIELD(double, w, a));
}

static bool read_dir(parser *p, size_t off, style_work *w, const style_attr *a, const char *v)
{
    static const char *const shown[] = {"rtl", "ltr", "auto"};
    int e = read_enum(p, off, a, v, DIR_NAMES, shown, 3);
    if (e < 0)
        return false;
    w->s.dir = (vq_dir)e;
    return true;
}

static bool read_lang(parser *p, size_t off, style_work *w, const style_attr *a, const char *v)
{
    if (!valid_lang(v)) {
        mk_fail_at(p, off, "lang=\"%s\": expected a language tag such as fa or en", v);
        return false;
    }
    w->s.text.lang = vq_arena_strdup(p->doc->arena, v);
    return true;
}

static bool read_digits(parser *p, size_t off, style_work *w, const style_attr *a, const char *v)
{
    static const char *const shown[] = {"persian", "latin", "as-written"};
    int e = read_enum(p, off, a, v, DIGIT_NAMES, shown, 3);
    if (e < 0)
        return false;
    w->s.text.digits = (vq_digits)e;
    return true;
}

static bool read_switch(parser *p, size_t off, style_work *w, const style_attr *a, const char *v)
{
    int e = read_enum(p, off, a, v, SWITCH_NAMES, SWITCH_NAMES, 3);
    if (e >= 0)
        *FIELD(vq_switch, w, a) = (vq_switch)e;
    return e >= 0;
}

static bool read_bool(parser *p, size_t off, style_work *w, const style_attr *a, const char *v)
{
    return mk_parse_bool(p, off, a->name, v, FIELD(bool, w, a));
}

static bool read_background(parser *p, size_t off, style_work *w, const style_attr *a,
                            const char *v)
{
    vq_style *s = &w->s;
    if (strcmp(v, "none") == 0) {
        s->has_background = false;
        s->background = 0;
    } else if (vq_parse_color(v, &s->background)) {
        s->has_background = true;
    } else {
        mk_fail_at(p, off, "%s=\"%s\": expected a colour as #rgb or #rrggbb, or none", a->name, v);
        return false;
    }
    return true;
}

#define AT(field) offsetof(vq_style, field)
/* In the order "did you mean" and the lists of allowed attributes use. */
static const style_attr STYLE_ATTRS[] = {
    {"font", read_font, 0, SET_FONT},
    {"font-size", read_font_size, 0, 0},
    {"font-weight", read_font_weight, 0, 0},
    {"font-style", read_font_style, 0, 0},
    {"color", read_colour, AT(text.color), 0},
    {"align", read_align, 0, 0},
    {"line-height", read_line_height, 0, SET_LINE_HEIGHT},
    {"indent", read_length, AT(indent), 0},
    {"dir", read_dir, 0, SET_DIR},
    {"lang", read_lang, 0, SET_LANG},
    {"digits", read_digits, 0, SET_DIGITS},
    {"space-before", read_length, AT(space_before), SET_SPACE_BEFORE},
    {"space-after", read_length, AT(space_after), SET_SPACE_AFTER},
    {"margin-start", read_length, AT(margin_start), SET_MARGIN_START},
    {"margin-end", read_length, AT(margin_end), 0},
    {"keep-with-next", read_bool, AT(keep_with_next), SET_KEEP},
    {"border", read_length, AT(border_width), SET_BORDER},
    {"border-color", read_colour, AT(border_color), SET_BORDER_COLOR},
    {"background", read_background, 0, 0},
    {"padding", read_length, AT(padding), SET_PADDING},
    {"keep-together", read_bool, AT(keep_together), 0},
    {"kashida", read_switch, AT(kashida), 0},
    {"hyphenate", read_switch, AT(hyphenate), 0},
};
enum { STYLE_ATTR_COUNT = sizeof STYLE_ATTRS / sizeof STYLE_ATTRS[0] };

static const style_attr *find_style_attr(const char *name)
{
    for (int i = 0; i < STYLE_ATTR_COUNT; i++)
        if (strcmp(STYLE_ATTRS[i].name, name) == 0)
            return &STYLE_ATTRS[i];
    return NULL;
}

bool mk_is_style_attr(const char *name)
{
    return find_style_attr(name) != NULL;
}

int mk_style_attr_names(const char **names)
{
    for (int i = 0; i < STYLE_ATTR_COUNT; i++)
        names[i] = STYLE_ATTRS[i].name;
    return STYLE_ATTR_COUNT;
}

/* Applies one style attribute. Returns false on a bad value (error set). */
bool mk_apply_style_attr(parser *p, size_t off, style_work *w, const char *name, const char *v)
{
    const style_attr *a = find_style_attr(name);
    if (a && !a->read(p, off, w, a, v))
        return false;
    if (a)
        w->set |= a->set;
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

static void apply_rule(parser *p, size_t off, style_work *w, const style_rule *r)
{
    for (int i = 0; i < r->attr_count; i++)
        mk_apply_style_attr(p, off, w, r->attrs[2 * i], r->attrs[2 * i + 1]);
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

/* The element's own look, before rules and attributes. */
static void apply_look(vq_style *s, const el_look *look)
{
    if (look->size)
        s->text.size *= look->size;
    if (look->weight)
        s->text.weight = look->weight;
    if (look->italic)
        s->text.italic = true;
    if (look->on_baseline) {
        s->text.baseline_shift = 0;
        s->text.size_scale = 1;
    }
}

/* <style element="…"> rules, then classes, then the attributes; a value
 * in error is left out. */
static void apply_rules(parser *p, size_t off, el_id el, const char **atts, style_work *w)
{
    for (int i = 0; i < p->rule_count; i++) {
        const style_rule *r = &p->rules[i];
        if (r->elements && strstr(r->elements, mk_els[el].name)) {
            char key[32];
            snprintf(key, sizeof key, " %s ", mk_els[el].name);
            if (strstr(r->elements, key))
                apply_rule(p, off, w, r);
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
        if (r) {
            apply_rule(p, off, w, r);
        } else {
            char *name = vq_xstrndup(c, n);
            fail_unknown_class(p, off, name);
            free(name);
        }
        c += n;
    }
    for (int i = 0; atts[i]; i += 2)
        if (mk_is_style_attr(atts[i]))
            mk_apply_style_attr(p, off, w, atts[i], atts[i + 1]);
}

/* The element's defaults that depend on the final size, where nothing set
 * them. */
static void apply_defaults(style_work *w, const el_look *look)
{
    vq_style *s = &w->s;
    double size = s->text.size;
    if (look->space_before && !(w->set & SET_SPACE_BEFORE))
        s->space_before = look->space_before * size;
    if (look->space_after && !(w->set & SET_SPACE_AFTER))
        s->space_after = look->space_after * size;
    if (look->margin_start && !(w->set & SET_MARGIN_START))
        s->margin_start = look->margin_start * size;
    if (look->line_height && !(w->set & SET_LINE_HEIGHT))
        s->line_height = look->line_height;
    if (look->keep_with_next && !(w->set & SET_KEEP))
        s->keep_with_next = true;
    if (look->padding && !(w->set & SET_PADDING))
        s->padding = look->padding;
    if (look->border && !(w->set & SET_BORDER))
        s->border_width = look->border;
}

/* Cells take their table's grid unless they say otherwise; sup and sub
 * shift and shrink what they hold. */
static void apply_context(style_work *w, el_id el, const frame *parent)
{
    vq_style *s = &w->s;
    if (el == EL_TH || el == EL_TD) {
        const frame *table = parent - 1;
        if (table->el != EL_TABLE)
            return;
        if (!(w->set & SET_PADDING))
            s->padding = table->style.padding;
        if (!(w->set & SET_BORDER))
            s->border_width = table->style.border_width;
        if (!(w->set & SET_BORDER_COLOR))
            s->border_color = table->style.border_color;
    } else if (el == EL_SUP || el == EL_SUB) {
        double scale = s->text.size_scale > 0 ? s->text.size_scale : 1;
        double visible = s->text.size * scale;
        s->text.baseline_shift += (el == EL_SUP ? 0.33 : -0.15) * visible;
        s->text.size_scale = scale * 0.7;
    }
}

/* The computed style of element el opened under parent with atts. */
void mk_compute_style(parser *p, size_t off, el_id el, const frame *parent, const char **atts,
                      vq_style *out, bool *font_explicit, bool *dir_set, unsigned *own_set)
{
    const el_info *info = &mk_els[el];
    bool block = info->place != P_INLINE;
    style_work w = {0};
    w.s = mk_inherit(&parent->style, !block);
    w.parent_size = parent->style.text.size;
    vq_style *s = &w.s;
    static const el_look plain = {0};
    const el_look *look = info->look ? info->look : &plain;
    apply_look(s, look);
    apply_rules(p, off, el, atts, &w);
    if (w.lh_is_length)
        s->line_height = w.lh_length / s->text.size;
    apply_defaults(&w, look);
    apply_context(&w, el, parent);

    /* A block whose language changes takes that language's direction and
     * (unless a font was chosen) its default font. */
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
}

/* ---- <style> ---- */

/* <style element="…">: the styled elements it names, as " p h1 " (one
 * that is not is an error and left out). */
static void style_elements(parser *p, size_t off, const char *elements, vq_buf *els)
{
    vq_buf_append_char(els, ' ');
    char *copy = vq_xstrdup(elements);
    for (char *sp, *tok = strtok_r(copy, " \t\r\n", &sp); tok;
         tok = strtok_r(NULL, " \t\r\n", &sp)) {
        el_id el = mk_element_id(tok);
        if (el == EL_COUNT) {
            char prefix[80];
            snprintf(prefix, sizeof prefix, "element=\"%.60s\": ", elements);
            mk_fail_unknown_element(p, off, tok, prefix);
        } else if (!mk_els[el].styled) {
            mk_fail_at(p, off, "element=\"%s\": <%s> takes no style", elements, tok);
        } else {
            vq_buf_printf(els, "%s ", tok);
        }
    }
    free(copy);
}

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
    if (elements)
        style_elements(p, off, elements, &els);
    if (p->rule_count == p->rule_cap) {
        p->rule_cap = p->rule_cap ? p->rule_cap * 2 : 8;
        p->rules = vq_xrealloc(p->rules, (size_t)p->rule_cap * sizeof *p->rules);
    }
    style_rule *r = &p->rules[p->rule_count++];
    r->name = name ? vq_arena_strdup(p->doc->arena, name) : NULL;
    r->elements = els.len ? vq_arena_strdup(p->doc->arena, els.data) : NULL;
    vq_buf_free(&els);
    int count = 0;
    for (int i = 0; atts[i]; i += 2)
        count += mk_is_style_attr(atts[i]);
    r->attrs = vq_arena_alloc(p->doc->arena, sizeof(char *) * 2 * (size_t)(count + 1));
    r->attr_count = 0;
    /* Check every value now, so the error points at the definition; one
     * in error is left out of the rule. */
    style_work w = {0};
    w.s = p->frames[0].style;
    w.parent_size = w.s.text.size;
    for (int i = 0; atts[i]; i += 2) {
        if (!mk_is_style_attr(atts[i]) || !mk_apply_style_attr(p, off, &w, atts[i], atts[i + 1]))
            continue;
        r->attrs[2 * r->attr_count] = vq_arena_strdup(p->doc->arena, atts[i]);
        r->attrs[2 * r->attr_count + 1] = vq_arena_strdup(p->doc->arena, atts[i + 1]);
        r->attr_count++;
    }
    return true;
}
