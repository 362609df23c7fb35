/* varaq render: template + data (or markup alone) → PDF or PNG pages,
 * through the public API (include/varaq/varaq.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "varaq/varaq.h"

static const char HELP[] =
    "Usage: varaq render TEMPLATE DATA.json -o OUT.pdf [options]\n"
    "       varaq render DOC.xml -o OUT.pdf [options]\n"
    "\n"
    "Fills DATA.json into TEMPLATE and typesets the result as a PDF, or typesets\n"
    "a markup document (see docs/markup.md) that needs no data.\n"
    "\n"
    "TEMPLATE is a template file, a folder holding main.mustache, or the name\n"
    "of a bundled template (see templates/). DATA.json may be '-' for standard\n"
    "input. When a schema.json lies beside the template the data is checked\n"
    "against it first. A name the template uses that the data lacks is an\n"
    "error, and so is a font family the registry lacks (or its bold or italic\n"
    "face). Errors name the file, line and column they come from; on error\n"
    "nothing is written.\n"
    "\n"
    "Images (src=, a logo, an image field) are relative to the data file and\n"
    "are read only from the data file's folder, the template's folder and\n"
    "--root, or below them: a path leading elsewhere, also through a symlink,\n"
    "is refused as if it did not exist. -o must not name an input, a device or\n"
    "a FIFO; a symlink is written through. Limits: docs/limits.md.\n"
    "\n"
    "Options:\n"
    "  -o, --output PATH  the PDF to write ('-' for standard output); with\n"
    "                     --png a pattern with one %d for the page number\n"
    "                     (out-%d.png)\n" VQ_CLI_RENDER_OPTIONS
    "  -h, --help         show this help\n"
    "\n"
    "The same input gives the same bytes; the PDF's creation date is\n"
    "$SOURCE_DATE_EPOCH when it is set.\n"
    "\n"
    "Examples:\n"
    "  varaq render journal-case samples/scleromyxedema-ivig/case.json -o case.pdf\n"
    "  varaq render report.xml -o report.pdf\n"
    "  varaq render handout case.json --png -o page-%d.png\n"
    "\n"
    "Exit status: 0 done, 1 bad template, data or markup, 2 bad command line,\n"
    "3 a file could not be read or written.\n";

int vq_cli_render_command_args(const char *command, const char *help, int argc, char **argv,
                               vq_cli_render_command *a)
{
    memset(a, 0, sizeof *a);
    a->dpi = 96;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int rc;
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(help, stdout);
            return 0;
        } else if (vq_cli_render_option(command, "a path", argc, argv, &i, &a->common, &rc)) {
            if (rc >= 0)
                return rc;
        } else if (strcmp(s, "--png") == 0) {
            a->png = true;
        } else if (strcmp(s, "--dpi") == 0) {
            char *end = NULL;
            /* Written as !(in range) so that nan is refused too. */
            if (++i >= argc || (a->dpi = strtod(argv[i], &end), *end) ||
                !(a->dpi >= 10 && a->dpi <= 1200))
                return vq_cli_usage(command, "--dpi needs a number from 10 to 1200");
            a->dpi_given = true;
        } else if (s[0] == '-' && s[1]) {
            return vq_cli_usage(command, "unknown option '%s'", s);
        } else if (a->input_count < 2) {
            a->inputs[a->input_count++] = s;
        } else {
            return vq_cli_usage(command, "too many arguments ('%s')", s);
        }
    }
    if (a->input_count == 0)
        return vq_cli_usage(command, "missing TEMPLATE and DATA (or DOC.xml)");
    if (!a->common.output)
        return vq_cli_usage(command, "missing -o OUT.%s", a->png ? "png" : "pdf");
    if (a->dpi_given && !a->png)
        return vq_cli_usage(command, "--dpi applies to PNG pages only: add --png");
    const char *output = a->common.output, *d = strstr(output, "%d");
    if (a->png && (!d || strchr(d + 2, '%') || strchr(output, '%') != d))
        return vq_cli_usage(command, "with --png, -o needs a pattern with one %%d (out-%%d.png)");
    return -1;
}

vq_engine *vq_cli_render_engine(const vq_cli_render_command *a, vq_error *err)
{
    vq_engine *vq = vq_engine_create(NULL, err);
    vq_cli_render_add_fonts(&a->common, vq);
    return vq;
}

vq_status vq_cli_render_once(vq_engine *vq, const vq_cli_render_command *a, vq_error *err)
{
    vq_render_options opts = {.format = a->png ? VQ_OUTPUT_PNG : VQ_OUTPUT_PDF,
                              .dpi = a->dpi,
                              .report = vq_cli_print_error};
    vq_cli_render_apply(&a->common, &opts);
    const char *output = a->common.output;
    return a->input_count == 2
               ? vq_engine_render_file(vq, a->inputs[0], a->inputs[1], output, &opts, err)
               : vq_engine_render_markup(vq, a->inputs[0], output, &opts, err);
}

static int run(int argc, char **argv)
{
    vq_cli_render_command a;
    int rc = vq_cli_render_command_args("render", HELP, argc, argv, &a);
    if (rc >= 0)
        return rc;
    vq_error err;
    vq_engine *vq = vq_cli_render_engine(&a, &err);
    vq_status s = vq ? vq_cli_render_once(vq, &a, &err) : err.status;
    vq_engine_destroy(vq);
    return s == VQ_OK ? 0 : vq_cli_fail(&err);
}

const vq_command vq_cmd_render = {
    "render", "typeset a template with data (or a markup file) as PDF", HELP, run};
