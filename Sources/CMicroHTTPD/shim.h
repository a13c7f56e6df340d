#ifndef MIMAMORI_CMICROHTTPD_SHIM_H
#define MIMAMORI_CMICROHTTPD_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <string.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

/// `MHD_start_daemon` is variadic: a fixed-arity wrapper with the options Mimamori uses.
/// Binds `host` (a numeric IPv4 address) and `port` (0: any free port); returns NULL on error
/// (`*bad_host` is set when the host is not a numeric IPv4 address).
static inline struct MHD_Daemon *cmhd_start(const char *host, uint16_t port, unsigned int threads,
                                            unsigned int connection_limit, unsigned int timeout_seconds,
                                            size_t memory_limit, MHD_AccessHandlerCallback handler,
                                            void *handler_cls, MHD_RequestCompletedCallback completed,
                                            void *completed_cls, int *bad_host) {
    struct sockaddr_in address;
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    *bad_host = 0;
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        *bad_host = 1;
        return NULL;
    }
    return MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC, port, NULL, NULL, handler, handler_cls,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
                            MHD_OPTION_THREAD_POOL_SIZE, threads,
                            MHD_OPTION_CONNECTION_LIMIT, connection_limit,
                            MHD_OPTION_CONNECTION_TIMEOUT, timeout_seconds,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory_limit,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
                            MHD_OPTION_END);
}

/// The port a daemon is bound to (`MHD_get_daemon_info` is variadic).
static inline uint16_t cmhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

#endif
