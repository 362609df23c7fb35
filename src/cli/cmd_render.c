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
    "                     (out-%d.png)\n"
    "  --png              write PNG pages instead of a PDF (previews)\n"
    "  --dpi N            PNG resolution, 10 to 1200 (default 96; needs --png)\n"
    "  --lenient          a missing name prints as nothing and a missing font\n"
    "                     is replaced, each with a warning\n"
    "  --spec             templates follow the Mustache specification alone:\n"
    "                     lenient without warnings, no {{@index}}/{{@number}}\n"
    "  --strict           the default (kept for old scripts)\n"
    "  --no-schema        do not check the data against schema.json\n"
    "  --font-path DIR    also look for fonts (.otf, .ttf) in DIR; repeatable,\n"
    "                     searched before $VARAQ_FONT_PATH (see 'varaq fonts')\n"
    "  --root DIR         one more folder images may come from; relative image\n"
    "                     paths in data read from stdin (DATA is -) start here\n"
    "  --max-pixels N     the most pixels (width x height) an image may have\n"
    "                     (default 50000000)\n"
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

typedef struct render_args {
    vq_cli_render_args common;
    const char *inputs[2];
    int input_count;
    bool png, dpi_given;
    double dpi;
} render_args;

static int parse_args(int argc, char **argv, render_args *a)
{
    memset(a, 0, sizeof *a);
    a->dpi = 96;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int rc;
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(HELP, stdout);
            return 0;
        } else if (vq_cli_render_option("render", "a path", argc, argv, &i, &a->common, &rc)) {
            if (rc >= 0)
                return rc;
        } else if (strcmp(s, "--png") == 0) {
            a->png = true;
        } else if (strcmp(s, "--dpi") == 0) {
            char *end = NULL;
            /* Written as !(in range) so that nan is refused too. */
            if (++i >= argc || (a->dpi = strtod(argv[i], &end), *end) ||
                !(a->dpi >= 10 && a->dpi <= 1200))
                return vq_cli_usage("render", "--dpi needs a number from 10 to 1200");
            a->dpi_given = true;
        } else if (s[0] == '-' && s[1]) {
            return vq_cli_usage("render", "unknown option '%s'", s);
        } else if (a->input_count < 2) {
            a->inputs[a->input_count++] = s;
        } else {
            return vq_cli_usage("render", "too many arguments ('%s')", s);
        }
    }
    if (a->input_count == 0)
        return vq_cli_usage("render", "missing TEMPLATE and DATA (or DOC.xml)");
    if (!a->common.output)
        return vq_cli_usage("render", "missing -o OUT.%s", a->png ? "png" : "pdf");
    if (a->dpi_given && !a->png)
        return vq_cli_usage("render", "--dpi applies to PNG pages only: add --png");
    return -1;
}

static int run(int argc, char **argv)
{
    render_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    const char *output = a.common.output;
    if (a.png && (!strstr(output, "%d") || strstr(strstr(output, "%d") + 2, "%") ||
                  strchr(output, '%') != strstr(output, "%d")))
        return vq_cli_usage("render", "with --png, -o needs a pattern with one %%d (out-%%d.png)");
    vq_error err;
    vq_engine *vq = vq_engine_create(NULL, &err);
    vq_cli_render_add_fonts(&a.common, vq);
    vq_render_options opts = {.format = a.png ? VQ_OUTPUT_PNG : VQ_OUTPUT_PDF, .dpi = a.dpi};
    vq_cli_render_apply(&a.common, &opts);
    vq_status s = vq ? VQ_OK : err.status;
    if (s == VQ_OK)
        s = a.input_count == 2
                ? vq_engine_render_file(vq, a.inputs[0], a.inputs[1], output, &opts, &err)
                : vq_engine_render_markup(vq, a.inputs[0], output, &opts, &err);
    vq_engine_destroy(vq);
    return s == VQ_OK ? 0 : vq_cli_fail(&err);
}

const vq_command vq_cmd_render = {
    "render", "typeset a template with data (or a markup file) as PDF", HELP, run};
