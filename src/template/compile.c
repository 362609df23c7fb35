/* Template text → node tree, in three passes: split into tokens (tags and
 * text, honouring set-delimiter tags), find standalone lines and remove them,
 * then build the tree of sections. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "template/internal.h"

/* Sections nested deeper than this are refused, so that rendering (which
 * recurses) cannot run out of stack. */
enum { MAX_SECTION_DEPTH = 100 };

typedef struct token {
    char sigil;          /* 0 text, 'v' value, '&' raw, or one of #^/!=><$ */
    bool dynamic;        /* {{>*name}} */
    bool standalone;     /* the tag's line is removed */
    char ctx_after;      /* innermost open section sigil after this token */
    size_t start, end;   /* the whole token */
    size_t nstart, nend; /* the name, trimmed, without '*' */
    size_t rstart, rend; /* the name as written, trimmed, with '*' */
    size_t istart, iend; /* indentation (partials, parents, blocks) */
} token;

typedef struct parser {
    vq_template *t;
    const char *src;
    size_t len;
    token *toks;
    size_t ntoks, cap;
    vq_error *err;
} parser;

static vq_status fail_at(parser *p, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static vq_status fail_at(parser *p, size_t offset, const char *fmt, ...)
{
    int line, col;
    vq_text_position(p->src, offset, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    vq_error_setv(p->err, VQ_ERR_INPUT, p->t->file, line, col, fmt, ap);
    va_end(ap);
    return VQ_ERR_INPUT;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_blank(char c) /* space on a line */
{
    return c == ' ' || c == '\t';
}

static const char *find(const char *hay, size_t hay_len, const char *needle, size_t n)
{
    if (n == 0 || hay_len < n)
        return NULL;
    for (size_t i = 0; i + n <= hay_len; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

static token *push_token(parser *p, char sigil, size_t start, size_t end)
{
    if (p->ntoks == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->toks = vq_xrealloc(p->toks, p->cap * sizeof *p->toks);
    }
    token *tk = &p->toks[p->ntoks++];
    memset(tk, 0, sizeof *tk);
    tk->sigil = sigil;
    tk->start = start;
    tk->end = end;
    return tk;
}

static void trim(const char *s, size_t *a, size_t *b)
{
    while (*a < *b && is_space(s[*a]))
        (*a)++;
    while (*b > *a && is_space(s[*b - 1]))
        (*b)--;
}

/* {{=<% %>=}}: two delimiters, separated by space, neither holding space or
 * '='. */
static vq_status set_delimiters(parser *p, size_t tag, size_t a, size_t b, char *open, char *close)
{
    trim(p->src, &a, &b);
    size_t mid = a;
    while (mid < b && !is_space(p->src[mid]))
        mid++;
    size_t c = mid;
    while (c < b && is_space(p->src[c]))
        c++;
    size_t olen = mid - a, clen = b - c;
    bool ok = olen > 0 && clen > 0 && olen < 16 && clen < 16 && !memchr(p->src + a, '=', olen) &&
              !memchr(p->src + c, '=', clen);
    for (size_t i = c; ok && i < b; i++)
        ok = !is_space(p->src[i]);
    if (!ok)
        return fail_at(p, tag,
                       "bad set-delimiter tag: expected two delimiters separated by a space, "
                       "without '=' or spaces in them, as in {{=<%% %%>=}}");
    memcpy(open, p->src + a, olen);
    open[olen] = '\0';
    memcpy(close, p->src + c, clen);
    close[clen] = '\0';
    return VQ_OK;
}

static vq_status tokenize(parser *p)
{
    const char *s = p->src;
    char open[16] = "{{", close[16] = "}}";
    char stack[MAX_SECTION_DEPTH + 1];
    size_t depth = 0;
    size_t pos = 0;
    while (pos < p->len) {
        size_t olen = strlen(open), clen = strlen(close);
        const char *o = find(s + pos, p->len - pos, open, olen);
        if (!o) {
            push_token(p, 0, pos, p->len);
            break;
        }
        size_t start = (size_t)(o - s);
        if (start > pos)
            push_token(p, 0, pos, start);
        size_t q = start + olen;
        char sigil = q < p->len ? s[q] : '\0';
        size_t a, b, end;
        char want[20];
        if (sigil == '{' || sigil == '=') {
            want[0] = sigil == '{' ? '}' : '=';
            memcpy(want + 1, close, clen + 1);
            a = q + 1;
        } else {
            memcpy(want, close, clen + 1);
            a = q;
            if (sigil && strchr("#^/!>&<$", sigil))
                a++;
            else
                sigil = 'v';
        }
        const char *c = find(s + a, p->len - a, want, strlen(want));
        if (!c)
            return fail_at(p, start, "unterminated tag: no closing '%s'", want);
        b = (size_t)(c - s);
        end = b + strlen(want);
        if (sigil == '=') {
            vq_status st = set_delimiters(p, start, a, b, open, close);
            if (st)
                return st;
        }
        token *tk = push_token(p, sigil == '{' ? '&' : sigil, start, end);
        trim(s, &a, &b);
        tk->rstart = a;
        tk->rend = b;
        if ((sigil == '>' || sigil == '<') && a < b && s[a] == '*') {
            tk->dynamic = true;
            a++;
            trim(s, &a, &b);
        }
        tk->nstart = a;
        tk->nend = b;
        if (a == b && sigil != '!' && sigil != '=')
            return fail_at(p, start, "empty tag: a name is missing between '%s' and '%s'", open,
                           close);
        if (sigil == '#' || sigil == '^' || sigil == '$' || sigil == '<') {
            if (depth == MAX_SECTION_DEPTH)
                return fail_at(p, start, "sections nested deeper than %d levels",
                               MAX_SECTION_DEPTH);
            stack[depth++] = sigil;
        } else if (sigil == '/' && depth > 0) {
            depth--;
        }
        tk->ctx_after = depth ? stack[depth - 1] : 0;
        pos = end;
    }
    return VQ_OK;
}

static bool can_stand_alone(const token *tk)
{
    return tk->sigil && strchr("#^/!=><$", tk->sigil);
}

/* True when only blanks stand between the start of the line and pos;
 * *ls is then where the line starts. Scans only the blanks, so long lines
 * with many tags stay linear. */
static bool blank_before(const char *s, size_t pos, size_t *ls)
{
    while (pos > 0 && is_blank(s[pos - 1]))
        pos--;
    if (pos > 0 && s[pos - 1] != '\n')
        return false;
    *ls = pos;
    return true;
}

/* The offset just past the end of the line when only blanks follow pos on
 * it, else 0 (a line end is never at offset 0 after a tag). */
static size_t blank_rest(const char *s, size_t len, size_t pos)
{
    while (pos < len && is_blank(s[pos]))
        pos++;
    if (pos == len)
        return len;
    if (s[pos] == '\n')
        return pos + 1;
    if (s[pos] == '\r' && pos + 1 < len && s[pos + 1] == '\n')
        return pos + 2;
    return 0;
}

static bool all_blank(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (!is_blank(s[i]))
            return false;
    return true;
}

/* A line is standalone when it holds only blanks and non-value tags. More
 * than one tag qualifies only inside a parent's argument list, where text is
 * ignored anyway ({{<parent}}{{/parent}}, {{<parent}}{{$block}}). */
static void find_standalone(parser *p)
{
    const char *s = p->src;
    for (size_t i = 0; i < p->ntoks; i++) {
        token *first = &p->toks[i];
        if (!can_stand_alone(first))
            continue;
        size_t ls;
        if (!blank_before(s, first->start, &ls))
            continue;
        size_t j = i, line_end = 0;
        for (;;) {
            line_end = blank_rest(s, p->len, p->toks[j].end);
            if (line_end)
                break;
            if (p->toks[j].ctx_after != '<')
                break;
            size_t k = j + 1;
            if (k < p->ntoks && p->toks[k].sigil == 0 &&
                all_blank(s, p->toks[k].start, p->toks[k].end))
                k++;
            if (k >= p->ntoks || !can_stand_alone(&p->toks[k]))
                break;
            j = k;
        }
        if (!line_end)
            continue;
        /* Remove the line: blanks before, between and after the tags. */
        if (i > 0 && p->toks[i - 1].sigil == 0)
            p->toks[i - 1].end = ls > p->toks[i - 1].start ? ls : p->toks[i - 1].start;
        for (size_t k = i; k <= j; k++) {
            token *tk = &p->toks[k];
            if (tk->sigil == 0) {
                tk->end = tk->start;
                continue;
            }
            tk->standalone = true;
            tk->istart = ls;
            tk->iend = first->start;
            if (tk->sigil == '$') {
                /* A block's indentation is that of its first content line. */
                size_t e = line_end;
                while (e < p->len && is_blank(s[e]))
                    e++;
                tk->istart = line_end;
                tk->iend = e;
            }
        }
        if (j + 1 < p->ntoks && p->toks[j + 1].sigil == 0) {
            token *next = &p->toks[j + 1];
            next->start = line_end > next->end ? next->end : line_end;
        }
        i = j;
    }
    /* Blocks on a shared line are indented like the line, if it is blank so
     * far. */
    for (size_t i = 0; i < p->ntoks; i++) {
        token *tk = &p->toks[i];
        if (tk->sigil != '$' || tk->standalone)
            continue;
        size_t ls;
        if (blank_before(s, tk->start, &ls)) {
            tk->istart = ls;
            tk->iend = tk->start;
        }
    }
}

/* Tree building: a stack of open sections, each collecting its children. */
typedef struct frame {
    size_t tok;
    int line, column;
    node *kids;
    size_t n, cap;
} frame;

static void add_child(frame *f, char frame_sigil, const node *n)
{
    /* Inside {{<parent}}…{{/parent}} only block overrides count. */
    if (frame_sigil == '<' && n->kind != NODE_BLOCK)
        return;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->kids = vq_xrealloc(f->kids, f->cap * sizeof *f->kids);
    }
    f->kids[f->n++] = *n;
}

static void set_name(parser *p, node *n, const token *tk)
{
    vq_arena *a = p->t->arena;
    size_t len = tk->nend - tk->nstart;
    n->text = vq_arena_strndup(a, p->src + tk->nstart, len);
    n->len = len;
    if (len == 1 && n->text[0] == '.')
        return; /* the implicit iterator: npath 0 */
    size_t parts = 1;
    for (size_t i = 0; i < len; i++)
        parts += n->text[i] == '.';
    n->path = vq_arena_alloc(a, parts * sizeof *n->path);
    const char *seg = n->text;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || n->text[i] == '.') {
            n->path[n->npath++] = vq_arena_strndup(a, seg, (size_t)(n->text + i - seg));
            seg = n->text + i + 1;
        }
    }
}

static bool bad_partial_name(const char *name)
{
    return strchr(name, '/') || strchr(name, '\\') || strstr(name, "..");
}

typedef struct cursor {
    size_t offset;
    int line, column;
} cursor;

/* Positions are needed in increasing order: walk forward once. */
static void advance(const char *s, cursor *c, size_t to)
{
    for (; c->offset < to; c->offset++) {
        if (s[c->offset] == '\n') {
            c->line++;
            c->column = 1;
        } else if (((unsigned char)s[c->offset] & 0xC0) != 0x80) {
            c->column++;
        }
    }
}

static const char *open_word(char sigil)
{
    switch (sigil) {
    case '$':
        return "block";
    case '<':
        return "parent";
    case '^':
        return "inverted section";
    default:
        return "section";
    }
}

static vq_status build_tree(parser *p)
{
    const char *s = p->src;
    frame stack[MAX_SECTION_DEPTH + 1];
    size_t depth = 1;
    memset(&stack[0], 0, sizeof stack[0]);
    cursor cur = {0, 1, 1};
    vq_status st = VQ_OK;
    for (size_t i = 0; i < p->ntoks && !st; i++) {
        token *tk = &p->toks[i];
        if (tk->sigil == 0 && tk->end <= tk->start)
            continue;
        advance(s, &cur, tk->start);
        node n;
        memset(&n, 0, sizeof n);
        n.line = cur.line;
        n.column = cur.column;
        n.standalone = tk->standalone;
        n.bol = !tk->standalone && (tk->start == 0 || s[tk->start - 1] == '\n');
        n.dynamic = tk->dynamic;
        n.indent = vq_arena_strndup(p->t->arena, s + tk->istart, tk->iend - tk->istart);
        n.indent_len = tk->iend - tk->istart;
        frame *top = &stack[depth - 1];
        char top_sigil = depth > 1 ? p->toks[top->tok].sigil : 0;
        switch (tk->sigil) {
        case 0:
            n.kind = NODE_TEXT;
            n.text = vq_arena_strndup(p->t->arena, s + tk->start, tk->end - tk->start);
            n.len = tk->end - tk->start;
            add_child(top, top_sigil, &n);
            break;
        case 'v':
        case '&':
            n.kind = tk->sigil == 'v' ? NODE_VALUE : NODE_RAW;
            set_name(p, &n, tk);
            add_child(top, top_sigil, &n);
            break;
        case '!':
        case '=':
            break;
        case '>':
            n.kind = NODE_PARTIAL;
            set_name(p, &n, tk);
            if (!n.dynamic && bad_partial_name(n.text))
                st = fail_at(p, tk->start,
                             "bad partial name '%s': it may not contain '/', '\\' or '..'", n.text);
            add_child(top, top_sigil, &n);
            break;
        case '#':
        case '^':
        case '$':
        case '<':
            if (tk->sigil == '<' && !tk->dynamic) {
                set_name(p, &n, tk);
                if (bad_partial_name(n.text)) {
                    st = fail_at(p, tk->start,
                                 "bad partial name '%s': it may not contain '/', '\\' or '..'",
                                 n.text);
                    break;
                }
            }
            memset(&stack[depth], 0, sizeof stack[depth]);
            stack[depth].tok = i;
            stack[depth].line = cur.line;
            stack[depth].column = cur.column;
            depth++;
            break;
        case '/': {
            size_t len = tk->rend - tk->rstart;
            if (depth == 1) {
                st = fail_at(p, tk->start, "closing tag '%.*s' without an open section", (int)len,
                             s + tk->rstart);
                break;
            }
            const token *op = &p->toks[top->tok];
            size_t olen = op->rend - op->rstart;
            if (olen != len || memcmp(s + op->rstart, s + tk->rstart, len) != 0) {
                st = fail_at(p, tk->start,
                             "closing tag '%.*s' does not match %s '%.*s' (opened at %d:%d)",
                             (int)len, s + tk->rstart, open_word(op->sigil), (int)olen,
                             s + op->rstart, top->line, top->column);
                break;
            }
            n.kind = op->sigil == '#'   ? NODE_SECTION
                     : op->sigil == '^' ? NODE_INVERTED
                     : op->sigil == '$' ? NODE_BLOCK
                                        : NODE_PARENT;
            n.line = top->line;
            n.column = top->column;
            n.standalone = op->standalone;
            n.bol = !op->standalone && (op->start == 0 || s[op->start - 1] == '\n');
            n.dynamic = op->dynamic;
            n.indent = vq_arena_strndup(p->t->arena, s + op->istart, op->iend - op->istart);
            n.indent_len = op->iend - op->istart;
            set_name(p, &n, op);
            n.nchildren = top->n;
            if (top->n) {
                n.children = vq_arena_alloc(p->t->arena, top->n * sizeof *n.children);
                memcpy(n.children, top->kids, top->n * sizeof *n.children);
            }
            free(top->kids);
            depth--;
            frame *parent = &stack[depth - 1];
            add_child(parent, depth > 1 ? p->toks[parent->tok].sigil : 0, &n);
            break;
        }
        }
    }
    if (!st && depth > 1) {
        const frame *top = &stack[depth - 1];
        const token *op = &p->toks[top->tok];
        st = fail_at(p, p->len, "unclosed %s '%.*s' (opened at %d:%d)", open_word(op->sigil),
                     (int)(op->rend - op->rstart), s + op->rstart, top->line, top->column);
    }
    if (!st) {
        p->t->nnodes = stack[0].n;
        if (stack[0].n) {
            p->t->nodes = vq_arena_alloc(p->t->arena, stack[0].n * sizeof(node));
            memcpy(p->t->nodes, stack[0].kids, stack[0].n * sizeof(node));
        }
    }
    for (size_t d = 0; d < depth; d++)
        free(stack[d].kids);
    return st;
}

vq_status vq_template_parse(vq_template *t, const char *text, size_t len, vq_error *err)
{
    parser p = {.t = t, .src = text, .len = len, .err = err};
    size_t bad = len;
    bool valid = vq_utf8_valid(text, len, &bad);
    const char *nul = memchr(text, '\0', len);
    if (nul && (size_t)(nul - text) < bad)
        return fail_at(&p, (size_t)(nul - text), "NUL byte in template");
    if (!valid)
        return fail_at(&p, bad, "invalid UTF-8 byte sequence");
    vq_status st = tokenize(&p);
    if (!st) {
        find_standalone(&p);
        st = build_tree(&p);
    }
    free(p.toks);
    return st;
}
