/* Placeholder until the expand command lands; replaced by its real file. */
#include <stdio.h>

#include "cli/cli.h"

static int run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("varaq expand: not built yet\n", stderr);
    return 2;
}

const vq_command vq_cmd_expand = {"expand", "(not built yet)", "varaq expand: not built yet\n",
                                  run};
