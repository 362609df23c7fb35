/* The varaq command-line tool: one file per subcommand (cmd_*.c). */
#ifndef VQ_CLI_H
#define VQ_CLI_H

#include <stdio.h>

#include "varaq/error.h"

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

/* Prints "varaq NAME: error: MESSAGE" and a hint to run `varaq help NAME`;
 * returns the usage exit code (2). */
int vq_cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints err compiler style, with the source line it points at and a caret
 * under its column, and returns its exit code. */
int vq_cli_fail(const vq_error *err);

/* The line of file with a caret under column (nothing when the file cannot
 * be read again, is stdin, or line is 0). */
void vq_cli_print_excerpt(const char *file, int line, int column, FILE *out);

/* When message ends in "(data at FILE:LINE:COL)", a note there with the data
 * line and a caret. */
void vq_cli_print_data_note(const char *message, FILE *out);

/* The folder holding the bundled fonts/ and templates/ (beside the
 * executable, or the install prefix's share/varaq); caller frees. */
char *vq_cli_data_dir(void);

#endif
