/* libjpeg and libqrencode, loaded when a document first decodes a JPEG
 * figure (PNG pages; a PDF reads its header) or makes a QR code, rather
 * than linked: linked, the two cost every varaq process about 0.3 million
 * instructions of loading and symbol lookups before main, though few
 * documents have either. Called through the tables below, typed after
 * the libraries' own declarations. */
#ifndef VQ_LAYOUT_JPEG_LAZY_H
#define VQ_LAYOUT_JPEG_LAZY_H

#include <stdio.h> /* before jpeglib.h, which uses FILE */

#include <jpeglib.h>
#include <qrencode.h>

#define LAY_JPEG_FUNCTIONS(X)                                                                      \
    X(jpeg_std_error)                                                                              \
    X(jpeg_CreateDecompress)                                                                       \
    X(jpeg_mem_src)                                                                                \
    X(jpeg_read_header)                                                                            \
    X(jpeg_start_decompress)                                                                       \
    X(jpeg_read_scanlines)                                                                         \
    X(jpeg_finish_decompress)                                                                      \
    X(jpeg_destroy_decompress)

#define LAY_QR_FUNCTIONS(X)                                                                        \
    X(QRinput_new2)                                                                                \
    X(QRinput_appendECIheader)                                                                     \
    X(QRinput_append)                                                                              \
    X(QRcode_encodeInput)                                                                          \
    X(QRinput_free)                                                                                \
    X(QRcode_free)

#define LAY_LAZY_MEMBER(f) __typeof__(f) *f;
typedef struct lay_jpeg {
    LAY_JPEG_FUNCTIONS(LAY_LAZY_MEMBER)
} lay_jpeg;
typedef struct lay_qr {
    LAY_QR_FUNCTIONS(LAY_LAZY_MEMBER)
} lay_qr;
#undef LAY_LAZY_MEMBER

/* The library's functions, loaded once per process (thread-safe); NULL
 * when it cannot be loaded, with *name set to the file looked for. */
const lay_jpeg *lay_jpeg_get(const char **name);
const lay_qr *lay_qr_get(const char **name);

#endif
