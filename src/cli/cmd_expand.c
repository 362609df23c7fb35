/* varaq expand TEMPLATE DATA.json: the template stage alone. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "cli/cli.h"
#include "data/json.h"
#include "template/template.h"

static const char help[] =
    "Usage: varaq expand TEMPLATE DATA.json [-o FILE] [--lenient | --spec]\n"
    "\n"
    "Fills the JSON data into a Mustache template and prints the result.\n"
    "\n"
    "TEMPLATE is a template file, a folder holding main.mustache, or the\n"
    "name of a bundled template (templates/NAME/main.mustache beside the\n"
    "varaq binary or in the installed data folder). DATA.json may be '-'\n"
    "for standard input; any JSON value may be at its top.\n"
    "\n"
    "Partials {{> name}} are read from name.mustache in the folder of the\n"
    "template that includes them, then from templates/common.\n"
    "\n"
    "A name the data lacks, or a missing partial, is an error (strict mode).\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE  write to FILE instead of standard output ('-' or\n"
    "                     no -o: standard output); atomically: a failed run\n"
    "                     leaves no partial file and keeps an older one\n"
    "  --lenient          a missing name or partial prints as nothing, with\n"
    "                     a warning at its template position\n"
    "  --spec             the Mustache specification alone: lenient without\n"
    "                     warnings, no {{@index}}/{{@number}}\n"
    "  --strict           the default (kept for old scripts)\n"
    "  -h, --help         show this help\n"
    "\n"
    "Examples:\n"
    "  varaq expand handout plan.json -o plan.xml\n"
    "  varaq expand report.mustache case.json | less\n"
    "\n"
    "Exit status: 0 done, 1 bad template or data, 2 bad command line,\n"
    "3 a file could not be read or written.\n";

static int write_stdout(const vq_buf *out)
{
    if ((out->len && fwrite(out->data, 1, out->len, stdout) != out->len) || fflush(stdout) != 0) {
        fprintf(stderr, "varaq: error: cannot write to standard output: %s\n", strerror(errno));
        return VQ_ERR_IO;
    }
    return 0;
}

typedef enum mode { STRICT, LENIENT, SPEC } mode;

static int expand(const char *template_arg, const char *data_path, const char *output, mode m)
{
    vq_error err;
    vq_error_clear(&err);
    char *data_dir = vq_cli_data_dir();
    char *path = vq_template_locate(template_arg, data_dir, &err);
    char *common = vq_template_common_dir(data_dir);
    free(data_dir);
    if (!path) {
        free(common);
        return vq_cli_fail(&err);
    }
    const char *dirs[1] = {common};
    vq_template_options opts = {.strict = m == STRICT,
                                .warn_missing = m == LENIENT,
                                .spec_only = m == SPEC,
                                .partial_dirs = dirs,
                                .partial_dir_count = common ? 1 : 0};
    vq_template *t = vq_template_compile_file(path, &opts, &err);
    free(path);
    free(common);
    /* The data's text is kept so that an error a value causes can name its
     * line and column in the data file. */
    size_t text_len = 0;
    char *text = t ? vq_read_file(data_path, &text_len, &err) : NULL;
    json_t *data = text ? vq_json_load_string(text, text_len, data_path, &err) : NULL;
    vq_template_data_source src = {data_path, text, text_len};
    vq_buf out = VQ_BUF_INIT;
    int rc = 0;
    if (!t || !data || vq_template_render_ex(t, data, &src, &out, NULL, &err) != VQ_OK)
        rc = vq_cli_fail(&err);
    else if (output && strcmp(output, "-") != 0 &&
             vq_write_file_atomic(output, out.data, out.len, &err) != VQ_OK)
        rc = vq_cli_fail(&err);
    else if (!output || strcmp(output, "-") == 0)
        rc = write_stdout(&out);
    vq_buf_free(&out);
    json_decref(data);
    free(text);
    vq_template_destroy(t);
    return rc;
}

static int run(int argc, char **argv)
{
    const char *args[2] = {NULL, NULL};
    size_t nargs = 0;
    const char *output = NULL;
    mode m = STRICT;
    bool only_args = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
            if (nargs == 2)
                return vq_cli_usage("expand", "unexpected argument '%s'", a);
            args[nargs++] = a;
        } else if (strcmp(a, "--") == 0) {
            only_args = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(help, stdout);
            return 0;
        } else if (strcmp(a, "--strict") == 0) {
            m = STRICT;
        } else if (strcmp(a, "--lenient") == 0) {
            m = LENIENT;
        } else if (strcmp(a, "--spec") == 0) {
            m = SPEC;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (i + 1 == argc)
                return vq_cli_usage("expand", "option '%s' needs a file name", a);
            output = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0) {
            output = a + 9;
        } else {
            return vq_cli_usage("expand", "unknown option '%s'", a);
        }
    }
    if (nargs < 2)
        return vq_cli_usage("expand", "expected TEMPLATE and DATA.json");
    if (output && !output[0])
        return vq_cli_usage("expand", "the output file name is empty");
    return expand(args[0], args[1], output, m);
}

const vq_command vq_cmd_expand = {"expand", "fill JSON data into a Mustache template", help, run};
