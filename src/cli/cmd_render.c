/* Placeholder until the render command lands; replaced by its real file. */
#include <stdio.h>

#include "cli/cli.h"

static int run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("varaq render: not built yet\n", stderr);
    return 2;
}

const vq_command vq_cmd_render = {"render", "(not built yet)", "varaq render: not built yet\n",
                                  run};
