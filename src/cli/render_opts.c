/* The options `varaq render` and `varaq batch` share, parsed in one place so
 * that both commands spell, check and explain them the same way. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The value after argv[*i], or NULL (after a usage error) when none. */
static const char *value(const char *command, int argc, char **argv, int *i, const char *need,
                         int *rc)
{
    if (++*i < argc)
        return argv[*i];
    *rc = vq_cli_usage(command, "%s needs %s", argv[*i - 1], need);
    return NULL;
}

bool vq_cli_render_option(const char *command, const char *output_noun, int argc, char **argv,
                          int *i, vq_cli_render_args *a, int *rc)
{
    const char *s = argv[*i], *v;
    *rc = -1;
    if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) {
        if (!(v = value(command, argc, argv, i, output_noun, rc)))
            return true;
        a->output = v;
    } else if (strncmp(s, "--output=", 9) == 0) {
        a->output = s + 9;
    } else if (strcmp(s, "--font-path") == 0) {
        if (!(v = value(command, argc, argv, i, "a folder", rc)))
            return true;
        if (a->font_dir_count == VQ_CLI_MAX_FONT_DIRS)
            *rc = vq_cli_usage(command, "at most %d --font-path folders", VQ_CLI_MAX_FONT_DIRS);
        else
            a->font_dirs[a->font_dir_count++] = v;
    } else if (strcmp(s, "--strict") == 0) {
        a->strict = true;
        a->lenient = a->spec = false;
    } else if (strcmp(s, "--lenient") == 0) {
        a->lenient = true;
        a->strict = a->spec = false;
    } else if (strcmp(s, "--spec") == 0) {
        a->spec = true;
        a->strict = a->lenient = false;
    } else if (strcmp(s, "--no-schema") == 0) {
        a->no_schema = true;
    } else if (strcmp(s, "--untagged") == 0) {
        a->untagged = true;
    } else if (strcmp(s, "--root") == 0) {
        if (!(v = value(command, argc, argv, i, "a folder", rc)))
            return true;
        a->root = v;
    } else if (strcmp(s, "--max-pixels") == 0) {
        char *end = NULL;
        /* Written as !(in range) so that nan is refused too. */
        if (++*i >= argc || (a->max_pixels = strtod(argv[*i], &end), *end) ||
            !(a->max_pixels >= 1 && a->max_pixels <= 1e9))
            *rc = vq_cli_usage(command, "--max-pixels needs a number from 1 to 1000000000");
    } else {
        return false;
    }
    return true;
}

void vq_cli_render_apply(const vq_cli_render_args *a, vq_render_options *opts)
{
    opts->strict = a->strict;
    opts->lenient = a->lenient;
    opts->spec_only = a->spec;
    opts->skip_schema = a->no_schema;
    opts->untagged = a->untagged;
    opts->root = a->root;
    opts->max_image_pixels = a->max_pixels;
}

void vq_cli_render_add_fonts(const vq_cli_render_args *a, vq_engine *vq)
{
    for (int i = 0; vq && i < a->font_dir_count; i++)
        vq_engine_add_font_dir(vq, a->font_dirs[i]);
}
