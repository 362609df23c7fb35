/* A program built against an installed varaq: renders one handout.
 *
 *     cc example.c $(pkg-config --cflags --libs --static varaq)
 *     ./a.out handout.json handout.pdf [DATA_DIR]
 *
 * Without DATA_DIR the engine finds the fonts and templates beside the
 * executable or, as here, under the install prefix's share/varaq. */
#include <stdio.h>

#include <varaq/varaq.h>

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s DATA.json OUT.pdf [DATA_DIR]\n", argv[0]);
        return 2;
    }
    vq_error err;
    vq_engine *vq = vq_engine_create(argc == 4 ? argv[3] : NULL, &err);
    vq_status s =
        vq ? vq_engine_render_file(vq, "handout", argv[1], argv[2], NULL, &err) : err.status;
    if (s != VQ_OK)
        vq_error_print(&err, stderr);
    vq_engine_destroy(vq);
    return s == VQ_OK ? 0 : 1;
}
