/* What the API tests share: a scratch folder made once per program (cmocka
 * group setup and teardown), reading a file back, and a small markup
 * document that exercises every stage (headings, bidi, a link, a list, a
 * table, a second page and English hyphenation). */
#ifndef VQ_TESTS_API_FIXTURE_H
#define VQ_TESTS_API_FIXTURE_H

#include <stddef.h>

#include "varaq/varaq.h"

/* The scratch folder, made by api_scratch_setup. */
extern char api_scratch[];

int api_scratch_setup(void **state);
int api_scratch_teardown(void **state); /* removes the folder and all in it */

/* A path in the scratch folder (free it). */
char *api_scratch_path(const char *name);

/* The whole file; fails the test when it cannot be read. */
char *api_read(const char *path, size_t *len);

/* Fails the test unless the file at path holds exactly the len bytes of
 * want. */
void api_assert_file_bytes(const char *path, const void *want, size_t len);

/* Reads the JSON file at path into rec, named name, and returns its bytes
 * (free them once rec is done with); fails the test when it cannot be
 * read. */
char *api_read_record(const char *path, const char *name, vq_record *rec);

/* Writes the shared markup document into the scratch folder and returns its
 * path (free it). */
char *api_write_markup_doc(void);

#endif
