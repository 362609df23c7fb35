/* The markup parser: the XML vocabulary of docs/markup.md (expat) into a
 * vq_document with every node's style computed.
 *
 *     vq_error err;
 *     vq_document *doc = vq_markup_parse(text, len, "report.xml", NULL, ".", &err);
 *     if (!doc) vq_error_print(&err, stderr);
 *     …
 *     vq_document_destroy(doc);
 */
#ifndef VQ_MARKUP_H
#define VQ_MARKUP_H

#include <stddef.h>

#include "base/io.h"
#include "doc/doc.h"
#include "template/sourcemap.h"
#include "varaq/error.h"

/* Parses len bytes of markup. file names the text in errors when map is NULL
 * or does not cover an offset; with map, an error names the template line
 * the bad text came from. base_dir resolves relative figure paths (NULL =
 * as written). Returns NULL with err set on any error (nothing is kept):
 * the first error (vq_markup_options.report can have them all). */
vq_document *vq_markup_parse(const char *text, size_t len, const char *file,
                             const vq_source_map *map, const char *base_dir, vq_error *err);

/* Where figures come from. A figure's src is resolved against base_dir and
 * read only when it lies inside one of roots (the data file's folder, the
 * template's, --root); NULL roots = base_dir alone (the working folder
 * when base_dir is NULL). max_pixels 0 = VQ_DEFAULT_MAX_PIXELS. */
/* The parser goes on after an error where it can (the element, attribute
 * or text in error is left out) and stops at the MAX_ERRORS-th one, at XML
 * that is not well-formed, at a size limit and at a DTD. With report set
 * and more than one error, report gets each in order and err a summary
 * ("3 errors in the markup"); otherwise err gets the first. */
typedef struct vq_markup_options {
    const char *base_dir;
    const vq_roots *roots;
    double max_pixels;
    void (*report)(const vq_error *error, void *user);
    void *user;
} vq_markup_options;
vq_document *vq_markup_parse_opts(const char *text, size_t len, const char *file,
                                  const vq_source_map *map, const vq_markup_options *opts,
                                  vq_error *err);

/* The smallest edit distance (insert, delete, replace, swap) between a and b,
 * capped at limit + 1; for "did you mean" hints. */
int vq_edit_distance(const char *a, const char *b, int limit);

#endif
