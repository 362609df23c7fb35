/* varaq — fills case data into templates and typesets it as PDF.
 * This file only dispatches to the subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <expat.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <jansson.h>
#include <unicode/uversion.h>

#include "base/buf.h"
#include "base/io.h"
#include "cli/cli.h"

static const vq_command *const commands[] = {
    &vq_cmd_render, &vq_cmd_watch, &vq_cmd_batch, &vq_cmd_serve,
    &vq_cmd_expand, &vq_cmd_text,  &vq_cmd_fonts,
};
enum { COMMAND_COUNT = sizeof commands / sizeof commands[0] };

static const vq_command *find_command(const char *name)
{
    for (int i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

/* `varaq version`: the program's version, then the libraries it runs on
 * (their run-time versions where they have one), for bug reports. */
static int print_version(void)
{
    UVersionInfo icu;
    char icu_text[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(icu);
    u_versionToString(icu, icu_text);
    printf("varaq %s\n", VQ_VERSION);
    printf("ICU %s, HarfBuzz %s, Cairo %s, FreeType %d.%d.%d, jansson %s, %s\n", icu_text,
           hb_version_string(), cairo_version_string(), FREETYPE_MAJOR, FREETYPE_MINOR,
           FREETYPE_PATCH, jansson_version_str(), XML_ExpatVersion());
    return 0;
}

static void print_main_help(FILE *out)
{
    fputs("Usage: varaq COMMAND [OPTIONS] ARGS...\n"
          "\n"
          "Fills case data into templates and typesets it as PDF in Persian, English,\n"
          "or both.\n"
          "\n"
          "Commands:\n",
          out);
    for (int i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "  %-8s %s\n", commands[i]->name, commands[i]->summary);
    fputs("  version  show the version of varaq and its libraries\n"
          "  help     show the help of a command\n"
          "\n"
          "Options:\n"
          "  -h, --help     show this help\n"
          "  --version      show the version\n"
          "\n"
          "Run 'varaq help COMMAND' for a command's options. Where a command reads\n"
          "or writes a file, '-' means standard input or output; its help says where.\n"
          "Exit status: 0 success, 1 bad input, 2 usage error, 3 input/output error.\n",
          out);
}

int vq_cli_usage(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "varaq%s%s: error: ", command ? " " : "", command ? command : "");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'varaq help%s%s'.\n", command ? " " : "", command ? command : "");
    return VQ_ERR_USAGE;
}

void vq_cli_print_error(const vq_error *err, void *user)
{
    (void)user;
    vq_error_print(err, stderr);
    vq_cli_print_excerpt(err->file, err->line, err->column, stderr);
    vq_cli_print_data_note(err->message, stderr);
}

int vq_cli_fail(const vq_error *err)
{
    vq_cli_print_error(err, NULL);
    /* Out of memory exits 1, as docs/limits.md says (the codes are 0-3). */
    return err->status == VQ_ERR_NOMEM ? VQ_ERR_INPUT : (int)err->status;
}

char *vq_cli_data_dir(void)
{
    return vq_default_data_dir();
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_main_help(stderr);
        return VQ_ERR_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
        print_main_help(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0 || strcmp(name, "version") == 0)
        return print_version();
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            print_main_help(stdout);
            return 0;
        }
        const vq_command *cmd = find_command(argv[2]);
        if (!cmd)
            return vq_cli_usage(NULL, "unknown command '%s'", argv[2]);
        fputs(cmd->help, stdout);
        return 0;
    }
    const vq_command *cmd = find_command(name);
    if (!cmd) {
        if (name[0] == '-')
            return vq_cli_usage(NULL, "unknown option '%s'", name);
        return vq_cli_usage(NULL, "unknown command '%s'", name);
    }
    /* Ctrl-C or a kill leaves no temporary output file behind. */
    vq_install_cleanup_handlers();
    return cmd->run(argc - 1, argv + 1);
}
