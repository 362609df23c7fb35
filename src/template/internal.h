/* The compiled form of a template, shared by compile.c, partials.c and
 * render.c. */
#ifndef VQ_TEMPLATE_INTERNAL_H
#define VQ_TEMPLATE_INTERNAL_H

#include "base/arena.h"
#include "template/template.h"

typedef enum node_kind {
    NODE_TEXT,
    NODE_VALUE,   /* {{name}}: escaped */
    NODE_RAW,     /* {{{name}}}, {{& name}} */
    NODE_SECTION, /* {{#name}} */
    NODE_INVERTED,
    NODE_PARTIAL, /* {{> name}} */
    NODE_PARENT,  /* {{< name}}: a partial with block overrides */
    NODE_BLOCK,   /* {{$ name}} */
} node_kind;

typedef struct node node;
struct node {
    node_kind kind;
    int line, column;
    bool bol;         /* starts a source line (for indentation) */
    bool standalone;  /* the tag had its line to itself; the line was removed */
    bool dynamic;     /* {{>*name}}: the partial's name is a data value */
    const char *text; /* text, or the name as written */
    size_t len;
    const char **path; /* name split at dots; npath 0 is "." */
    size_t npath;
    /* Partials: the indentation of a standalone tag. Blocks: the content's
     * own indentation, which moves with it (see the spec's ~inheritance). */
    const char *indent;
    size_t indent_len;
    node *children; /* sections, blocks; a parent's block overrides */
    size_t nchildren;
};

typedef struct partial_cache partial_cache;

struct vq_template {
    vq_arena *arena;
    char *file; /* for messages */
    char *dir;  /* the folder partials are looked up in first; may be NULL */
    node *nodes;
    size_t nnodes;
    vq_template *root; /* owner of the options and the partial cache */
    /* Only in the root: */
    bool strict, warn_missing, spec_only;
    char **partial_dirs;
    size_t partial_dir_count;
    size_t max_output;
    partial_cache *cache;
};

/* Parses text into t (whose arena and file are set). */
vq_status vq_template_parse(vq_template *t, const char *text, size_t len, vq_error *err);

/* Finds and compiles partial name for a tag of `from`; *found is NULL when
 * there is no such file (not an error here). */
vq_status vq_template_partial(const vq_template *from, const char *name, size_t len,
                              const vq_template **found, vq_error *err);

#endif
