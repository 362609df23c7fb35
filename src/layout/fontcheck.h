/* Checking a document's fonts before layout: a family the registry does not
 * have, or a bold or italic face a family lacks, would otherwise be drawn
 * silently in another face. */
#ifndef VQ_LAYOUT_FONTCHECK_H
#define VQ_LAYOUT_FONTCHECK_H

#include <stdbool.h>

#include "doc/doc.h"
#include "fonts/fonts.h"
#include "varaq/error.h"

/* Warns (vq_warn, at the text's template or markup position) once per
 * missing family or style, naming the families that exist; with strict the
 * first one is an error instead (VQ_ERR_INPUT). */
vq_status vq_layout_check_fonts(const vq_document *doc, vq_font_registry *reg, bool strict,
                                vq_error *err);

#endif
