/* The varaq command-line tool: one file per subcommand (cmd_*.c). */
#ifndef VQ_CLI_H
#define VQ_CLI_H

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
extern const vq_command vq_cmd_text;
extern const vq_command vq_cmd_fonts;

/* Prints "varaq NAME: error: MESSAGE" and a hint to run `varaq help NAME`;
 * returns the usage exit code (2). */
int vq_cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints err compiler style and returns its exit code. */
int vq_cli_fail(const vq_error *err);

/* The folder holding the bundled fonts/ and templates/ (beside the
 * executable, or the install prefix's share/varaq); caller frees. */
char *vq_cli_data_dir(void);

#endif
