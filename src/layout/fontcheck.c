/* A font the document asks for and does not get: unknown family, or a bold
 * or italic face the family lacks (an italic is only missed in text with
 * Latin letters: Arabic script has no italics, its upright face is right). */
#include "layout/fontcheck.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"

typedef struct checker {
    vq_font_registry *reg;
    bool strict;
    vq_error *err;
    vq_status status;
    vq_buf seen; /* "family\tweight\titalic\n" already reported */
    char *families;
} checker;

static bool has_latin_letter(const char *s)
{
    for (; *s; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
            return true;
    return false;
}

/* "Amiri, Noto Serif, Vazirmatn": every family once, in registry order. */
static char *family_list(const vq_font_registry *reg)
{
    vq_buf b = VQ_BUF_INIT;
    size_t n = vq_font_registry_face_count(reg);
    for (size_t i = 0; i < n; i++) {
        const char *f = vq_face_family(vq_font_registry_face(reg, i));
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = strcasecmp(vq_face_family(vq_font_registry_face(reg, k)), f) == 0;
        if (!dup)
            vq_buf_printf(&b, "%s%s", b.len ? ", " : "", f);
    }
    return b.data ? b.data : calloc(1, 1);
}

static bool first_time(checker *c, const char *family, int weight, bool italic)
{
    vq_buf key = VQ_BUF_INIT;
    vq_buf_printf(&key, "%s\t%d\t%d\n", family, weight, italic);
    bool first = !c->seen.data || !strstr(c->seen.data, key.data);
    if (first)
        vq_buf_append(&c->seen, key.data, key.len);
    vq_buf_free(&key);
    return first;
}

static void report(checker *c, const vq_node *n, const char *message)
{
    const char *file = n->loc.file;
    if (c->strict) {
        if (!c->status)
            c->status = vq_error_set(c->err, VQ_ERR_INPUT, file, n->loc.line, n->loc.column,
                                     "%s (--lenient draws it anyway)", message);
        return;
    }
    vq_warn(file, n->loc.line, n->loc.column, "%s", message);
}

static void check_text(checker *c, const vq_node *n)
{
    const vq_text_style *st = &n->style.text;
    if (!st->family || !n->text || !n->text[0])
        return;
    int weight = st->weight ? st->weight : 400;
    const vq_face *f = vq_font_find(c->reg, st->family, weight, st->italic);
    vq_buf msg = VQ_BUF_INIT;
    if (!f) {
        if (first_time(c, st->family, 0, false))
            vq_buf_printf(&msg, "no font family '%s'; the families are %s (see 'varaq fonts')",
                          st->family, c->families);
    } else if (weight >= 600 && vq_face_weight(f) < 600) {
        if (first_time(c, st->family, 700, st->italic))
            vq_buf_printf(&msg, "font family '%s' has no bold face; bold text is drawn in %s",
                          vq_face_family(f), vq_face_italic(f) ? "its italic" : "its regular face");
    } else if (st->italic && !vq_face_italic(f) && has_latin_letter(n->text)) {
        if (first_time(c, st->family, weight >= 600 ? 700 : 400, true))
            vq_buf_printf(&msg, "font family '%s' has no italic face; italic text is drawn upright",
                          vq_face_family(f));
    }
    if (msg.len)
        report(c, n, msg.data);
    vq_buf_free(&msg);
}

static void walk(checker *c, const vq_node *n)
{
    if (!n || c->status)
        return;
    if (n->kind == VQ_NODE_TEXT)
        check_text(c, n);
    for (const vq_node *k = n->first_child; k && !c->status; k = k->next)
        walk(c, k);
    if (n->kind == VQ_NODE_SECTION) {
        walk(c, n->section_header);
        walk(c, n->section_footer);
    }
}

vq_status vq_layout_check_fonts(const vq_document *doc, vq_font_registry *reg, bool strict,
                                vq_error *err)
{
    checker c = {.reg = reg, .strict = strict, .err = err, .seen = VQ_BUF_INIT};
    c.families = family_list(reg);
    const vq_node *extra[] = {doc->header, doc->footer, doc->first_header, doc->first_footer};
    walk(&c, doc->root);
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
        walk(&c, extra[i]);
    vq_buf_free(&c.seen);
    free(c.families);
    return c.status;
}
