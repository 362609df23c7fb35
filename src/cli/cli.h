/* The varaq command-line tool: one file per subcommand (cmd_*.c). */
#ifndef VQ_CLI_H
#define VQ_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "varaq/error.h"
#include "varaq/varaq.h"

typedef struct vq_command {
    const char *name;
    const char *summary; /* one line for `varaq --help` */
    const char *help;    /* the full text for `varaq help NAME` */
    /* argv[0] is the subcommand's name; returns the exit code. */
    int (*run)(int argc, char **argv);
} vq_command;

extern const vq_command vq_cmd_expand;
extern const vq_command vq_cmd_render;
extern const vq_command vq_cmd_batch;
extern const vq_command vq_cmd_serve;
extern const vq_command vq_cmd_text;
extern const vq_command vq_cmd_fonts;
extern const vq_command vq_cmd_watch;

/* Prints "varaq NAME: error: MESSAGE" and a hint to run `varaq help NAME`;
 * returns the usage exit code (2). */
int vq_cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints err compiler style, with the source line it points at and a caret
 * under its column, and returns its exit code. */
int vq_cli_fail(const vq_error *err);
/* The same without the exit code, shaped as vq_render_options.report (each
 * of several errors). */
void vq_cli_print_error(const vq_error *err, void *user);

/* The line of file with a caret under column (nothing when the file cannot
 * be read again, is stdin, or line is 0). */
void vq_cli_print_excerpt(const char *file, int line, int column, FILE *out);

/* When message ends in "(data at FILE:LINE:COL)", a note there with the data
 * line and a caret. */
void vq_cli_print_data_note(const char *message, FILE *out);

/* The folder holding the bundled fonts/ and templates/ (beside the
 * executable, or the install prefix's share/varaq); caller frees. */
char *vq_cli_data_dir(void);

/* The options `varaq render` and `varaq batch` share (render_opts.c):
 * -o/--output, --font-path, --strict, --lenient, --spec, --no-schema,
 * --root and --max-pixels. */
enum { VQ_CLI_MAX_FONT_DIRS = 16 };
typedef struct vq_cli_render_args {
    const char *output;
    const char *font_dirs[VQ_CLI_MAX_FONT_DIRS];
    int font_dir_count;
    bool strict, lenient, spec, no_schema, untagged;
    const char *root;
    double max_pixels; /* 0: the library's default */
} vq_cli_render_args;

/* When argv[*i] is one of the shared options, takes it (and its value,
 * advancing *i) into a and returns true; *rc is then -1, or the exit code
 * of the usage error already printed. output_noun names -o's value in that
 * error ("a path", "a pattern"). Returns false for any other argument. */
bool vq_cli_render_option(const char *command, const char *output_noun, int argc, char **argv,
                          int *i, vq_cli_render_args *a, int *rc);
/* Copies the template mode, schema and image options into opts. */
void vq_cli_render_apply(const vq_cli_render_args *a, vq_render_options *opts);
/* Adds the --font-path folders to an engine (nothing when vq is NULL). */
void vq_cli_render_add_fonts(const vq_cli_render_args *a, vq_engine *vq);

/* The whole command line of `varaq render`, which `varaq watch` takes too
 * (cmd_render.c), and its options as both helps list them (after each
 * command's own -o line). */
typedef struct vq_cli_render_command {
    vq_cli_render_args common;
    const char *inputs[2]; /* TEMPLATE DATA, or DOC.xml alone */
    int input_count;
    bool png, dpi_given;
    double dpi;
} vq_cli_render_command;
#define VQ_CLI_RENDER_OPTIONS                                                                      \
    "  --png              write PNG pages instead of a PDF (previews)\n"                           \
    "  --dpi N            PNG resolution, 10 to 1200 (default 96; needs --png)\n"                  \
    "  --lenient          a missing name prints as nothing and a missing font\n"                   \
    "                     is replaced, each with a warning\n"                                      \
    "  --spec             templates follow the Mustache specification alone:\n"                    \
    "                     lenient without warnings, no {{@index}}/{{@number}}\n"                   \
    "  --strict           the default (kept for old scripts)\n"                                    \
    "  --no-schema        do not check the data against schema.json\n"                             \
    "  --untagged         a PDF without its structure tree (tagged, for screen\n"                  \
    "                     readers, is the default; see docs/architecture.md)\n"                    \
    "  --font-path DIR    also look for fonts (.otf, .ttf) in DIR; repeatable,\n"                  \
    "                     searched before $VARAQ_FONT_PATH (see 'varaq fonts')\n"                  \
    "  --root DIR         one more folder images may come from; relative image\n"                  \
    "                     paths in data read from stdin (DATA is -) start here\n"                  \
    "  --max-pixels N     the most pixels (width x height) an image may have\n"                    \
    "                     (default 50000000)\n"

/* Parses argv (argv[0] is the command) into a; prints help for -h. Returns
 * -1 to go on, else the exit code (0 after help, 2 for a usage error). */
int vq_cli_render_command_args(const char *command, const char *help, int argc, char **argv,
                               vq_cli_render_command *a);
/* The engine a asks for (its --font-path folders added), and one render of
 * a's inputs to a's output with it. */
vq_engine *vq_cli_render_engine(const vq_cli_render_command *a, vq_error *err);
vq_status vq_cli_render_once(vq_engine *vq, const vq_cli_render_command *a, vq_error *err);

#endif
