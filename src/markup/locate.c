/* Markup errors: byte offsets to template lines and columns (through the
 * source map), attribute positions, the error itself. */
#include "markup/parser.h"

static void offset_position(parser *p, size_t offset, int *line, int *col)
{
    if (offset > p->len)
        offset = p->len;
    if (offset < p->cur_off) {
        p->cur_off = 0;
        p->cur_line = 1;
        p->cur_col = 1;
    }
    for (size_t i = p->cur_off; i < offset; i++) {
        unsigned char c = (unsigned char)p->text[i];
        if (c == '\n') {
            p->cur_line++;
            p->cur_col = 1;
        } else if ((c & 0xC0) != 0x80) {
            p->cur_col++;
        }
    }
    p->cur_off = offset;
    *line = p->cur_line;
    *col = p->cur_col;
}

void mk_locate(parser *p, size_t offset, const char **file, int *line, int *col)
{
    if (p->map && vq_source_map_lookup(p->map, offset, file, line, col))
        return;
    *file = p->file;
    offset_position(p, offset, line, col);
}

vq_source_loc mk_node_loc(parser *p, size_t offset)
{
    vq_source_loc loc;
    const char *file;
    mk_locate(p, offset, &file, &loc.line, &loc.column);
    /* Nodes keep their own copy of the name (the map may go first). */
    if (!file) {
        loc.file = NULL;
    } else if (file == p->last_map_file ||
               (p->last_arena_file && strcmp(file, p->last_arena_file) == 0)) {
        loc.file = p->last_arena_file;
    } else {
        p->last_arena_file = vq_arena_strdup(p->doc->arena, file);
        loc.file = p->last_arena_file;
    }
    p->last_map_file = file;
    return loc;
}

bool mk_is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The offset of attribute name inside the start tag at tag, or tag when it
 * is not found. */
static size_t attribute_offset(const parser *p, size_t tag, const char *name, size_t name_len)
{
    const char *s = p->text, *end = p->text + p->len;
    const char *c = s + tag + 1;
    while (c < end && !mk_is_ws(*c) && *c != '>' && *c != '/')
        c++; /* the element's name */
    while (c < end) {
        while (c < end && mk_is_ws(*c))
            c++;
        if (c >= end || *c == '>' || *c == '/')
            break;
        const char *a = c;
        while (c < end && !mk_is_ws(*c) && *c != '=' && *c != '>')
            c++;
        if ((size_t)(c - a) == name_len && memcmp(a, name, name_len) == 0)
            return (size_t)(a - s);
        while (c < end && (mk_is_ws(*c) || *c == '='))
            c++;
        if (c < end && (*c == '"' || *c == '\'')) {
            char q = *c++;
            while (c < end && *c != q)
                c++;
            c++;
        }
    }
    return tag;
}

/* " (data at case.json:14:22)" when part of the value of the attribute at
 * offset at (name_len bytes of name) came from a data value, else NULL. */
static const char *value_data_place(parser *p, size_t at, size_t name_len)
{
    if (!p->map)
        return NULL;
    const char *s = p->text, *end = p->text + p->len, *c = s + at + name_len;
    while (c < end && (mk_is_ws(*c) || *c == '='))
        c++;
    if (c >= end || (*c != '"' && *c != '\''))
        return NULL;
    /* The first byte of the value that came from the data
     * (src="img/{{case.figure}}"). */
    char q = *c++;
    const char *file = NULL;
    int line, col;
    for (; c < end && *c != q; c++)
        if (vq_source_map_data_place(p->map, (size_t)(c - s), &file, &line, &col))
            break;
    if (!file)
        return NULL;
    char where[VQ_ERROR_FILE_MAX + 64];
    snprintf(where, sizeof where, " (data at %s:%d:%d)", file, line, col);
    return vq_arena_strdup(p->doc->arena, where);
}

const char *mk_attribute_data_place(parser *p, size_t tag, const char *name)
{
    size_t n = strlen(name), at = attribute_offset(p, tag, name, n);
    return at == tag ? NULL : value_data_place(p, at, n);
}

void mk_stop(parser *p)
{
    if (p->stopped)
        return;
    p->stopped = true;
    if (p->parsing)
        XML_StopParser(p->xml, XML_FALSE);
}

/* Keeps one more error; one more than MAX_ERRORS stops the parse. */
static void add_error(parser *p, const char *file, int line, int col, const char *fmt, va_list ap)
{
    if (p->stopped)
        return;
    if (p->error_count == MAX_ERRORS) {
        p->too_many = true;
        mk_stop(p);
        return;
    }
    p->failed = true;
    p->errors = vq_xrealloc(p->errors, (size_t)(p->error_count + 1) * sizeof *p->errors);
    vq_error_setv(&p->errors[p->error_count++], VQ_ERR_INPUT, file, line, col, fmt, ap);
}

static void add_error_f(parser *p, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void add_error_f(parser *p, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_error(p, file, line, col, fmt, ap);
    va_end(ap);
}

/* The errors of one start tag come in the order of the checks (unknown
 * attributes, then values): put them in the order of their columns. */
void mk_sort_errors(parser *p, int from)
{
    for (int i = from + 1; i < p->error_count; i++)
        if (strcmp(p->errors[i].file, p->errors[from].file) != 0)
            return; /* a tag split across files: leave it */
    for (int i = from + 1; i < p->error_count; i++) {
        vq_error e = p->errors[i];
        int k = i;
        for (; k > from && (p->errors[k - 1].line > e.line || (p->errors[k - 1].line == e.line &&
                                                               p->errors[k - 1].column > e.column));
             k--)
            p->errors[k] = p->errors[k - 1];
        p->errors[k] = e;
    }
}

/* Appends data_at to msg, cutting msg (at a character's start) when both do
 * not fit: the place in the data must survive a long value quoted in the message. */
static void append_place(char *msg, size_t size, const char *data_at)
{
    size_t len = strlen(msg), add = strlen(data_at);
    if (add + 4 >= size)
        return;
    if (len + add >= size) {
        len = size - add - 4; /* room for "…" */
        while (len > 0 && ((unsigned char)msg[len] & 0xC0) == 0x80)
            len--;
        memcpy(msg + len, "\u2026", 3);
        len += 3;
    }
    memcpy(msg + len, data_at, add + 1);
}

void mk_fail_at(parser *p, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mk_fail_at(parser *p, size_t offset, const char *fmt, ...)
{
    if (p->stopped)
        return;
    char msg[VQ_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* A message about an attribute of the tag being opened ("size=\"…\": …",
     * "unknown attribute 'x'") points at that attribute; one about its value
     * names the value's place in the data too when the value came from it. */
    if (offset == p->tag_off && offset < p->len && p->text[offset] == '<') {
        size_t n = strspn(msg, "abcdefghijklmnopqrstuvwxyz-");
        if (n && msg[n] == '=' && msg[n + 1] == '"') {
            size_t at = attribute_offset(p, offset, msg, n);
            const char *data_at = at == offset ? NULL : value_data_place(p, at, n);
            if (data_at)
                append_place(msg, sizeof msg, data_at);
            offset = at;
        } else if (strncmp(msg, "unknown attribute '", 19) == 0)
            offset = attribute_offset(p, offset, msg + 19, strcspn(msg + 19, "'"));
    }
    const char *file;
    int line, col;
    mk_locate(p, offset, &file, &line, &col);
    add_error_f(p, file, line, col, "%s", msg);
}

/* An error at a node already built (its location is known). */
void mk_fail_node(parser *p, const vq_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mk_fail_node(parser *p, const vq_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_error(p, n->loc.file, n->loc.line, n->loc.column, fmt, ap);
    va_end(ap);
}

size_t mk_here(parser *p)
{
    XML_Index i = XML_GetCurrentByteIndex(p->xml);
    return i < 0 ? 0 : (size_t)i;
}
