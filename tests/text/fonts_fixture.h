/* The bundled fonts (the source tree's fonts/) as the registry the
 * paragraph tests typeset with, made once per program: cmocka group setup
 * and teardown. */
#ifndef VQ_TESTS_FONTS_FIXTURE_H
#define VQ_TESTS_FONTS_FIXTURE_H

#include "fonts/fonts.h"

extern vq_font_registry *fonts;

int fonts_setup(void **state);
int fonts_teardown(void **state);

#endif
