/* See fonts_fixture.h. */
#include "fonts_fixture.h"

#include <stdlib.h>

#include "base/io.h"

vq_font_registry *fonts;

int fonts_setup(void **state)
{
    (void)state;
    char *dir = vq_path_join(VQ_SOURCE_DIR, "fonts");
    const char *dirs[] = {dir};
    vq_error err;
    fonts = vq_font_registry_create_from(dirs, 1, &err);
    free(dir);
    return fonts ? 0 : -1;
}

int fonts_teardown(void **state)
{
    (void)state;
    vq_font_registry_destroy(fonts);
    return 0;
}
