/* Rendering a compiled template with JSON data.
 *
 * Indentation is the subtle part. A standalone partial is indented as a
 * whole, and a block override moves to the indentation of the block it
 * replaces (the spec's ~inheritance). Both are one transformation applied
 * at each line start of template text: drop `strip` (the content's own
 * indentation) and write `add` (the indentation where it lands). Data
 * values are never reindented. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "data/json.h"
#include "data/schema.h"
#include "template/internal.h"

typedef struct chain_link {
    const vq_template *owner;
    const node *blocks;
    size_t n;
} chain_link;

/* One context of the stack, and how it was reached (for naming a value's
 * place in the data file): the value of the name `via` looked up from
 * frame `from`, or item `index` of that value when it is a list. */
typedef struct frame {
    const json_t *v;
    const node *via; /* NULL for the data's top */
    size_t from;
    size_t index;        /* SIZE_MAX: not a list item */
    json_t *row_numbers; /* list items: [@index, @number] */
} frame;

typedef struct renderer {
    vq_buf *out;
    vq_source_map *map;
    vq_error *err;
    const vq_template_data_source *src;
    bool strict, warn_missing, extensions;
    frame *ctx; /* the context stack; the top is last */
    size_t nctx, capctx;
    chain_link *chain; /* block overrides, outermost first */
    size_t nchain, capchain;
    int nesting; /* partials, parents and block overrides being rendered */
    const char *strip, *add;
    size_t strip_len, add_len;
    int force_bol; /* -1: a node's own; 0/1: the next line start is (not) one */
    size_t budget, limit;
    vq_status status;
} renderer;

static void render_list(renderer *r, const vq_template *owner, const node *nodes, size_t n);

static void fail(renderer *r, const vq_template *owner, const node *n, vq_status status,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void fail(renderer *r, const vq_template *owner, const node *n, vq_status status,
                 const char *fmt, ...)
{
    if (r->status)
        return;
    va_list ap;
    va_start(ap, fmt);
    vq_error_setv(r->err, status, owner->file, n->line, n->column, fmt, ap);
    va_end(ap);
    r->status = status;
}

static bool spend(renderer *r, const vq_template *owner, const node *n, size_t cost)
{
    if (cost > r->budget) {
        fail(r, owner, n, VQ_ERR_INPUT,
             "the expansion grows past %zu bytes (or steps); is a section or partial "
             "repeating without end?",
             r->limit);
        r->budget = 0;
        return false;
    }
    r->budget -= cost;
    return true;
}

/* Appends s; value: the data value it came from (NULL: the template). */
static void emit_from(renderer *r, const vq_template *owner, const node *n, int line, int column,
                      bool text, const json_t *value, const char *s, size_t len)
{
    /* The source map's entry (32 bytes) is paid for too: a million
     * one-byte pieces cost 33 MB, not 1 MB. */
    if (!len || !spend(r, owner, n, len + (r->map ? VQ_SOURCE_MAP_ENTRY_COST : 0)))
        return;
    if (r->map && value)
        vq_source_map_add_value(r->map, r->out->len, owner->file, line, column, value);
    else if (r->map)
        vq_source_map_add(r->map, r->out->len, owner->file, line, column, text);
    vq_buf_append(r->out, s, len);
}

static void emit(renderer *r, const vq_template *owner, const node *n, int line, int column,
                 bool text, const char *s, size_t len)
{
    emit_from(r, owner, n, line, column, text, NULL, s, len);
}

static bool take_bol(renderer *r, const node *n)
{
    int f = r->force_bol;
    r->force_bol = -1;
    return f >= 0 ? f : n->bol;
}

static void emit_indent(renderer *r, const vq_template *owner, const node *n)
{
    emit(r, owner, n, n->line, n->column, false, r->add, r->add_len);
}

static void emit_text(renderer *r, const vq_template *owner, const node *n)
{
    const char *p = n->text;
    size_t len = n->len;
    int line = n->line, column = n->column;
    bool add_here = take_bol(r, n), strip_here = n->bol;
    if (!r->add_len && !r->strip_len) {
        emit(r, owner, n, line, column, true, p, len);
        return;
    }
    while (len && !r->status) {
        if (add_here)
            emit(r, owner, n, line, column, false, r->add, r->add_len);
        if (strip_here) {
            size_t k = 0;
            while (k < r->strip_len && k < len && p[k] == r->strip[k])
                k++;
            p += k;
            len -= k;
            column += (int)k;
        }
        const char *nl = memchr(p, '\n', len);
        size_t seg = nl ? (size_t)(nl - p) + 1 : len;
        emit(r, owner, n, line, column, true, p, seg);
        p += seg;
        len -= seg;
        if (nl) {
            line++;
            column = 1;
        }
        add_here = strip_here = true;
    }
}

static void push_context(renderer *r, const json_t *v, const node *via, size_t from, size_t index)
{
    if (r->nctx == r->capctx) {
        r->capctx = r->capctx ? r->capctx * 2 : 16;
        r->ctx = vq_xrealloc(r->ctx, r->capctx * sizeof *r->ctx);
    }
    r->ctx[r->nctx++] = (frame){v, via, from, index, NULL};
}

static void pop_context(renderer *r)
{
    r->nctx--;
    json_decref(r->ctx[r->nctx].row_numbers);
}

/* {{@index}} (0, 1, …) and {{@number}} (1, 2, …): the position of the
 * innermost list item being rendered. An extension beyond the spec, off
 * with spec_only. */
static const json_t *row_number(renderer *r, const node *n)
{
    if (!r->extensions || n->npath != 1 || n->path[0][0] != '@')
        return NULL;
    int which = strcmp(n->path[0], "@index") == 0 ? 0 : strcmp(n->path[0], "@number") == 0 ? 1 : -1;
    if (which < 0)
        return NULL;
    for (size_t i = r->nctx; i-- > 0;) {
        frame *f = &r->ctx[i];
        if (f->index == SIZE_MAX)
            continue;
        if (!f->row_numbers)
            f->row_numbers = json_pack("[II]", (json_int_t)f->index, (json_int_t)f->index + 1);
        return json_array_get(f->row_numbers, (size_t)which);
    }
    return NULL;
}

/* The first part of a dotted name is searched down the context stack; the
 * rest only inside what it found. NULL: no such name. *level receives the
 * frame the first part was found in. */
static const json_t *lookup(renderer *r, const node *n, size_t *level)
{
    *level = r->nctx ? r->nctx - 1 : 0;
    if (n->npath == 0)
        return r->nctx ? r->ctx[r->nctx - 1].v : NULL;
    const json_t *v = row_number(r, n);
    if (v)
        return v;
    for (size_t i = r->nctx; i-- > 0 && !v;) {
        if (json_is_object(r->ctx[i].v)) {
            v = json_object_get(r->ctx[i].v, n->path[0]);
            *level = i;
        }
    }
    for (size_t k = 1; v && k < n->npath; k++)
        v = json_is_object(v) ? json_object_get(v, n->path[k]) : NULL;
    return v;
}

/* The JSON pointer of frame i ("/authors/2"). */
static void frame_pointer(const renderer *r, size_t i, vq_buf *b)
{
    const frame *f = &r->ctx[i];
    if (!f->via)
        return;
    frame_pointer(r, f->from, b);
    for (size_t k = 0; k < f->via->npath; k++)
        vq_json_pointer_append(b, f->via->path[k]);
    if (f->index != SIZE_MAX)
        vq_buf_printf(b, "/%zu", f->index);
}

/* " (data at case.json:14:22)" for the value name n found from frame level,
 * or "" when the data's text is unknown. */
static void data_place(const renderer *r, const node *n, size_t level, vq_buf *out)
{
    vq_buf_append_str(out, "");
    if (!r->src || !r->src->text || !r->src->name || !r->nctx)
        return;
    vq_buf ptr = VQ_BUF_INIT;
    frame_pointer(r, level, &ptr);
    for (size_t k = 0; k < n->npath; k++)
        vq_json_pointer_append(&ptr, n->path[k]);
    size_t offset;
    if (vq_json_pointer_offset(r->src->text, r->src->len, ptr.data ? ptr.data : "", &offset,
                               NULL)) {
        int line, col;
        vq_text_position(r->src->text, offset, &line, &col);
        vq_buf_printf(out, " (data at %s:%d:%d)", r->src->name, line, col);
    }
    vq_buf_free(&ptr);
}

static const json_t *lookup_or_fail(renderer *r, const vq_template *owner, const node *n,
                                    size_t *level)
{
    const json_t *v = lookup(r, n, level);
    if (!v && r->strict)
        fail(r, owner, n, VQ_ERR_INPUT, "no value for '%s'", n->text);
    else if (!v && r->warn_missing)
        vq_warn(owner->file, n->line, n->column, "no value for '%s' (left empty: --lenient)",
                n->text);
    return v;
}

static bool truthy(const json_t *v)
{
    if (!v || json_is_false(v) || json_is_null(v))
        return false;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    return true;
}

static void append_escaped(vq_buf *b, const char *s, size_t len)
{
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        default:
            continue;
        }
        vq_buf_append(b, s + from, i - from);
        vq_buf_append_str(b, rep);
        from = i + 1;
    }
    vq_buf_append(b, s + from, len - from);
}

static void render_value(renderer *r, const vq_template *owner, const node *n)
{
    if (take_bol(r, n))
        emit_indent(r, owner, n);
    size_t level;
    const json_t *v = lookup_or_fail(r, owner, n, &level);
    if (!v)
        return;
    vq_buf text = VQ_BUF_INIT;
    if (json_is_string(v)) {
        if (n->kind == NODE_VALUE)
            append_escaped(&text, json_string_value(v), json_string_length(v));
        else
            vq_buf_append(&text, json_string_value(v), json_string_length(v));
    } else if (json_is_number(v)) {
        vq_json_format_number(v, &text);
    } else if (json_is_boolean(v)) {
        vq_buf_append_str(&text, json_is_true(v) ? "true" : "false");
    } else if (!json_is_null(v) && r->strict) {
        data_place(r, n, level, &text);
        fail(r, owner, n, VQ_ERR_INPUT, "'%s' is %s, not a value that can be printed%s", n->text,
             json_is_array(v) ? "a list" : "an object", text.data);
        text.len = 0;
    }
    emit_from(r, owner, n, n->line, n->column, false, v, text.data, text.len);
    vq_buf_free(&text);
}

static void render_section(renderer *r, const vq_template *owner, const node *n)
{
    if (!n->standalone && take_bol(r, n))
        emit_indent(r, owner, n);
    size_t level;
    const json_t *v = lookup_or_fail(r, owner, n, &level);
    if (r->status)
        return;
    if (n->kind == NODE_INVERTED) {
        if (!truthy(v))
            render_list(r, owner, n->children, n->nchildren);
        return;
    }
    if (!truthy(v))
        return;
    const node *via = n->npath ? n : NULL; /* {{#.}} stays where it is */
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v) && !r->status; i++) {
            /* Each element is a step even when the body is empty: nested
             * empty sections over long lists would otherwise loop for ever
             * at no cost. */
            if (!spend(r, owner, n, 1))
                return;
            push_context(r, json_array_get(v, i), via, level, i);
            render_list(r, owner, n->children, n->nchildren);
            pop_context(r);
        }
    } else {
        push_context(r, v, via, level, SIZE_MAX);
        render_list(r, owner, n->children, n->nchildren);
        pop_context(r);
    }
}

/* Where the content lands: the current `add`, plus the indentation written
 * in this template less what the current transformation strips. */
static char *landing_indent(const renderer *r, const char *indent, size_t len, size_t *out_len)
{
    size_t k = 0;
    while (k < r->strip_len && k < len && indent[k] == r->strip[k])
        k++;
    size_t total = r->add_len + len - k;
    char *s = vq_xmalloc(total + 1);
    memcpy(s, r->add, r->add_len);
    memcpy(s + r->add_len, indent + k, len - k);
    s[total] = '\0';
    *out_len = total;
    return s;
}

static bool bad_partial_name(const char *name)
{
    return !name[0] || strchr(name, '/') || strchr(name, '\\') || strstr(name, "..");
}

/* The indentation a partial or block changes while it renders: what to add
 * at each line start and what to strip from its own lines. */
typedef struct indent_state {
    const char *add, *strip;
    size_t add_len, strip_len;
} indent_state;

static indent_state save_indent(const renderer *r)
{
    return (indent_state){r->add, r->strip, r->add_len, r->strip_len};
}

static void restore_indent(renderer *r, indent_state saved, char *allocated_add)
{
    free(allocated_add);
    r->add = saved.add;
    r->add_len = saved.add_len;
    r->strip = saved.strip;
    r->strip_len = saved.strip_len;
    r->force_bol = -1;
}

static void render_partial(renderer *r, const vq_template *owner, const node *n)
{
    if (!n->standalone && take_bol(r, n))
        emit_indent(r, owner, n);
    const char *name = n->text;
    size_t name_len = n->len;
    if (n->dynamic) {
        size_t level;
        const json_t *v = lookup_or_fail(r, owner, n, &level);
        if (!v)
            return;
        if (!json_is_string(v)) {
            if (r->strict) {
                vq_buf place = VQ_BUF_INIT;
                data_place(r, n, level, &place);
                fail(r, owner, n, VQ_ERR_INPUT, "'%s' is not a partial name%s", n->text,
                     place.data);
                vq_buf_free(&place);
            }
            return;
        }
        name = json_string_value(v);
        name_len = json_string_length(v);
        if (bad_partial_name(name) || strlen(name) != name_len) {
            fail(r, owner, n, VQ_ERR_INPUT,
                 "bad partial name '%s' (from '%s'): it may not contain '/', '\\' or '..'", name,
                 n->text);
            return;
        }
    }
    const vq_template *p;
    vq_status st = vq_template_partial(owner, name, name_len, &p, r->err);
    if (st) {
        r->status = st;
        return;
    }
    if (!p) {
        if (r->strict)
            fail(r, owner, n, VQ_ERR_INPUT, "partial '%.*s' not found", (int)name_len, name);
        else if (r->warn_missing)
            vq_warn(owner->file, n->line, n->column,
                    "partial '%.*s' not found (left empty: --lenient)", (int)name_len, name);
        return;
    }
    if (r->nesting >= VQ_TEMPLATE_MAX_PARTIAL_DEPTH) {
        fail(r, owner, n, VQ_ERR_INPUT, "partials nested deeper than %d levels",
             VQ_TEMPLATE_MAX_PARTIAL_DEPTH);
        return;
    }
    indent_state saved = save_indent(r);
    char *add = NULL;
    if (n->standalone) {
        add = landing_indent(r, n->indent, n->indent_len, &r->add_len);
        r->add = add;
    } else {
        r->add = "";
        r->add_len = 0;
    }
    r->strip = "";
    r->strip_len = 0;
    r->force_bol = -1;
    if (n->kind == NODE_PARENT) {
        if (r->nchain == r->capchain) {
            r->capchain = r->capchain ? r->capchain * 2 : 8;
            r->chain = vq_xrealloc(r->chain, r->capchain * sizeof *r->chain);
        }
        r->chain[r->nchain++] = (chain_link){owner, n->children, n->nchildren};
    }
    r->nesting++;
    render_list(r, p, p->nodes, p->nnodes);
    r->nesting--;
    if (n->kind == NODE_PARENT)
        r->nchain--;
    restore_indent(r, saved, add);
}

/* The outermost override wins: a template's choice beats its parent's. */
static const node *find_override(const renderer *r, const node *n, const vq_template **owner)
{
    for (size_t i = 0; i < r->nchain; i++) {
        const chain_link *l = &r->chain[i];
        for (size_t k = 0; k < l->n; k++) {
            if (l->blocks[k].len == n->len && memcmp(l->blocks[k].text, n->text, n->len) == 0) {
                *owner = l->owner;
                return &l->blocks[k];
            }
        }
    }
    return NULL;
}

static void render_block(renderer *r, const vq_template *owner, const node *n)
{
    if (!n->standalone && take_bol(r, n))
        emit_indent(r, owner, n);
    const vq_template *o_owner = NULL;
    const node *o = find_override(r, n, &o_owner);
    if (!o) {
        render_list(r, owner, n->children, n->nchildren);
        return;
    }
    if (r->nesting >= VQ_TEMPLATE_MAX_PARTIAL_DEPTH) {
        fail(r, owner, n, VQ_ERR_INPUT, "blocks nested deeper than %d levels",
             VQ_TEMPLATE_MAX_PARTIAL_DEPTH);
        return;
    }
    indent_state saved = save_indent(r);
    char *add = landing_indent(r, n->indent, n->indent_len, &r->add_len);
    r->add = add;
    r->strip = o->indent;
    r->strip_len = o->indent_len;
    r->force_bol = n->standalone ? 1 : 0;
    r->nesting++;
    render_list(r, o_owner, o->children, o->nchildren);
    r->nesting--;
    restore_indent(r, saved, add);
}

static void render_list(renderer *r, const vq_template *owner, const node *nodes, size_t n)
{
    for (size_t i = 0; i < n && !r->status; i++) {
        const node *nd = &nodes[i];
        if (!spend(r, owner, nd, 1))
            return;
        switch (nd->kind) {
        case NODE_TEXT:
            emit_text(r, owner, nd);
            break;
        case NODE_VALUE:
        case NODE_RAW:
            render_value(r, owner, nd);
            break;
        case NODE_SECTION:
        case NODE_INVERTED:
            render_section(r, owner, nd);
            break;
        case NODE_PARTIAL:
        case NODE_PARENT:
            render_partial(r, owner, nd);
            break;
        case NODE_BLOCK:
            render_block(r, owner, nd);
            break;
        }
    }
}

vq_status vq_template_render(const vq_template *t, const json_t *data, vq_buf *out,
                             vq_source_map *map, vq_error *err)
{
    return vq_template_render_ex(t, data, NULL, out, map, err);
}

vq_status vq_template_render_ex(const vq_template *t, const json_t *data,
                                const vq_template_data_source *src, vq_buf *out, vq_source_map *map,
                                vq_error *err)
{
    renderer r = {
        .out = out,
        .map = map,
        .err = err,
        .src = src,
        .strict = t->root->strict,
        .warn_missing = t->root->warn_missing,
        .extensions = !t->root->spec_only,
        .strip = "",
        .add = "",
        .force_bol = -1,
        .budget = t->root->max_output,
        .limit = t->root->max_output,
    };
    vq_buf_reserve(out, 1); /* out->data is a string even when nothing is added */
    out->data[out->len] = '\0';
    if (data)
        push_context(&r, data, NULL, 0, SIZE_MAX);
    render_list(&r, t, t->nodes, t->nnodes);
    while (r.nctx)
        pop_context(&r);
    free(r.ctx);
    free(r.chain);
    if (map) {
        vq_source_map_set_output(map, out->data, out->len);
        vq_source_map_set_data(map, data, src ? src->name : NULL, src ? src->text : NULL,
                               src ? src->len : 0);
    }
    return r.status;
}
