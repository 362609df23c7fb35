/* The records of `varaq batch`: read from JSON Lines, a JSON array or a
 * folder of .json files, and each given its output name from the -o
 * pattern. */
#ifndef VQ_CLI_BATCH_RECORDS_H
#define VQ_CLI_BATCH_RECORDS_H

#include <stddef.h>

#include "varaq/varaq.h"

typedef struct vq_batch_record {
    vq_record rec;  /* the text and where it starts in its file */
    char *output;   /* the PDF it goes to (NULL when error is set) */
    vq_error error; /* a record that failed before rendering (bad JSON when
                       the pattern needs a field, a bad or repeated name) */
} vq_batch_record;

typedef struct vq_batch_records {
    vq_batch_record *items;
    size_t count;
    char *text;   /* the whole input (JSON Lines or array) */
    char **owned; /* texts of a folder's files, one per record */
} vq_batch_records;

/* path: a JSON Lines file, a file holding a JSON array, a folder of .json
 * files, or "-" (standard input, Lines or array). NULL and err when it
 * cannot be read or an array is not valid JSON. Blank lines are skipped. */
vq_batch_records *vq_batch_records_read(const char *path, vq_error *err);

/* Names every record's output from pattern ({a.b} = a field, {#} = the
 * record number). A bad pattern is an error for the whole batch (err, not
 * VQ_OK); a bad value or a repeated name fails only its record. */
vq_status vq_batch_records_name(vq_batch_records *recs, const char *pattern, vq_error *err);

void vq_batch_records_free(vq_batch_records *recs);

#endif
