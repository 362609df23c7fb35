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
    const char *inputs[2];
    int input_count;
    const char *output;
    const char *font_dirs[16];
    int font_dir_count;
    bool png, strict, lenient, spec, no_schema, dpi_given;
    double dpi, max_pixels;
    const char *root;
} render_args;

static int parse_args(int argc, char **argv, render_args *a)
{
    memset(a, 0, sizeof *a);
    a->dpi = 96;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(HELP, stdout);
            return 0;
        } else if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) {
            if (++i >= argc)
                return vq_cli_usage("render", "%s needs a path", s);
            a->output = argv[i];
        } else if (strncmp(s, "--output=", 9) == 0) {
            a->output = s + 9;
        } else if (strcmp(s, "--font-path") == 0) {
            if (++i >= argc)
                return vq_cli_usage("render", "--font-path needs a folder");
            if (a->font_dir_count == 16)
                return vq_cli_usage("render", "at most 16 --font-path folders");
            a->font_dirs[a->font_dir_count++] = argv[i];
        } else if (strcmp(s, "--png") == 0) {
            a->png = true;
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
        } else if (strcmp(s, "--dpi") == 0) {
            char *end = NULL;
            /* Written as !(in range) so that nan is refused too. */
            if (++i >= argc || (a->dpi = strtod(argv[i], &end), *end) ||
                !(a->dpi >= 10 && a->dpi <= 1200))
                return vq_cli_usage("render", "--dpi needs a number from 10 to 1200");
            a->dpi_given = true;
        } else if (strcmp(s, "--root") == 0) {
            if (++i >= argc)
                return vq_cli_usage("render", "--root needs a folder");
            a->root = argv[i];
        } else if (strcmp(s, "--max-pixels") == 0) {
            char *end = NULL;
            if (++i >= argc || (a->max_pixels = strtod(argv[i], &end), *end) ||
                !(a->max_pixels >= 1 && a->max_pixels <= 1e9))
                return vq_cli_usage("render", "--max-pixels needs a number from 1 to 1000000000");
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
    if (!a->output)
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
    if (a.png && (!strstr(a.output, "%d") || strstr(strstr(a.output, "%d") + 2, "%") ||
                  strchr(a.output, '%') != strstr(a.output, "%d")))
        return vq_cli_usage("render", "with --png, -o needs a pattern with one %%d (out-%%d.png)");
    vq_error err;
    vq_engine *vq = vq_engine_create(NULL, &err);
    for (int i = 0; vq && i < a.font_dir_count; i++)
        vq_engine_add_font_dir(vq, a.font_dirs[i]);
    vq_render_options opts = {.format = a.png ? VQ_OUTPUT_PNG : VQ_OUTPUT_PDF,
                              .dpi = a.dpi,
                              .strict = a.strict,
                              .lenient = a.lenient,
                              .spec_only = a.spec,
                              .skip_schema = a.no_schema,
                              .root = a.root,
                              .max_image_pixels = a.max_pixels};
    vq_status s = vq ? VQ_OK : err.status;
    if (s == VQ_OK)
        s = a.input_count == 2
                ? vq_engine_render_file(vq, a.inputs[0], a.inputs[1], a.output, &opts, &err)
                : vq_engine_render_markup(vq, a.inputs[0], a.output, &opts, &err);
    vq_engine_destroy(vq);
    return s == VQ_OK ? 0 : vq_cli_fail(&err);
}

const vq_command vq_cmd_render = {
    "render", "typeset a template with data (or a markup file) as PDF", HELP, run};
