/* varaq fonts: what the font registry found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "fonts/fonts.h"

static const char help[] =
    "Usage: varaq fonts [--font-path DIR]...\n"
    "\n"
    "Lists the font faces varaq found, one per line: family, style, weight,\n"
    "file, and the default role (default:fa, default:en). Fonts are looked\n"
    "for in the fonts folder beside the varaq binary, then in the installed\n"
    "data folder, then in each --font-path folder, then in the folders of\n"
    "$VARAQ_FONT_PATH (separated by ':'). The first face found for a family\n"
    "and style wins. The family is the name a template's font=\"...\" uses.\n"
    "It reads no input and writes to standard output.\n"
    "\n"
    "Options:\n"
    "  --font-path DIR  also look in DIR (repeatable)\n"
    "  -h, --help       show this help\n"
    "\n"
    "Examples:\n"
    "  varaq fonts\n"
    "  varaq fonts --font-path /usr/share/fonts/truetype/noto | grep Arabic\n"
    "\n"
    "Exit status: 0 done, 2 bad command line, 3 no usable font found.\n";

static int run(int argc, char **argv)
{
    const char *dirs[16];
    size_t ndirs = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(help, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--font-path")) {
            if (++i >= argc)
                return vq_cli_usage("fonts", "--font-path needs a folder");
            if (ndirs == 16)
                return vq_cli_usage("fonts", "at most 16 --font-path folders");
            dirs[ndirs++] = argv[i];
            continue;
        }
        return vq_cli_usage("fonts", "unexpected argument '%s'", argv[i]);
    }
    vq_error err;
    vq_error_clear(&err);
    char *data_dir = vq_cli_data_dir();
    vq_font_registry *reg = vq_font_registry_create_with(data_dir, dirs, ndirs, &err);
    free(data_dir);
    if (!reg)
        return vq_cli_fail(&err);
    vq_buf out = VQ_BUF_INIT;
    vq_font_registry_list(reg, &out);
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    vq_buf_free(&out);
    vq_font_registry_destroy(reg);
    return 0;
}

const vq_command vq_cmd_fonts = {"fonts", "list the fonts varaq found", help, run};
