/* Replays a fuzz corpus through its libFuzzer target's entry point, built
 * with the ordinary compiler: every file the fuzzer ever kept must still go
 * through without a crash, a hang or (under ASan) a leak. libFuzzer itself
 * is not needed; this main stands in for it.
 *
 *   replay_NAME fuzz/corpus/NAME   (run from the source tree) */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 1;
    }
    int files = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        char *path = vq_path_join(argv[1], e->d_name);
        size_t len;
        vq_error err;
        char *bytes = vq_read_file(path, &len, &err);
        if (!bytes) {
            fprintf(stderr, "%s: %s\n", path, err.message);
            return 1;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)bytes, len);
        free(bytes);
        free(path);
        files++;
    }
    closedir(dir);
    printf("%s: %d inputs replayed\n", argv[1], files);
    /* An empty or missing corpus would pass vacuously. */
    return files > 0 ? 0 : 1;
}
