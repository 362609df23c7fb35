/* libmicrohttpd, loaded by `varaq serve` when it starts rather than linked:
 * linked, it brings GnuTLS and its libraries into every varaq process and
 * GnuTLS initializes itself before main (about 8 million instructions and
 * 3 MiB of memory for every render). Include after <microhttpd.h>: the
 * calls below go through the loaded library. MHD_start_daemon returns NULL,
 * after saying why on stderr, when it cannot be loaded. */
#ifndef VQ_CLI_MHD_LAZY_H
#define VQ_CLI_MHD_LAZY_H

#include <microhttpd.h>

struct MHD_Daemon *vq_mhd_start_daemon(unsigned int flags, uint16_t port,
                                       MHD_AcceptPolicyCallback apc, void *apc_cls,
                                       MHD_AccessHandlerCallback dh, void *dh_cls, ...);
void vq_mhd_stop_daemon(struct MHD_Daemon *d);
MHD_socket vq_mhd_quiesce_daemon(struct MHD_Daemon *d);
/* Only the information types that take no further argument. */
const union MHD_DaemonInfo *vq_mhd_get_daemon_info(struct MHD_Daemon *d,
                                                   enum MHD_DaemonInfoType type);
const char *vq_mhd_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
                                           const char *key);
enum MHD_Result vq_mhd_queue_response(struct MHD_Connection *c, unsigned int status,
                                      struct MHD_Response *r);
struct MHD_Response *vq_mhd_create_response_from_buffer(size_t size, void *buffer,
                                                        enum MHD_ResponseMemoryMode mode);
void vq_mhd_destroy_response(struct MHD_Response *r);
enum MHD_Result vq_mhd_add_response_header(struct MHD_Response *r, const char *header,
                                           const char *content);

#define MHD_start_daemon vq_mhd_start_daemon
#define MHD_stop_daemon vq_mhd_stop_daemon
#define MHD_quiesce_daemon vq_mhd_quiesce_daemon
#define MHD_get_daemon_info vq_mhd_get_daemon_info
#define MHD_lookup_connection_value vq_mhd_lookup_connection_value
#define MHD_queue_response vq_mhd_queue_response
#define MHD_create_response_from_buffer vq_mhd_create_response_from_buffer
#define MHD_destroy_response vq_mhd_destroy_response
#define MHD_add_response_header vq_mhd_add_response_header

#endif
