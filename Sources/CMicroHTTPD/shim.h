#ifndef MIMAMORI_CMICROHTTPD_SHIM_H
#define MIMAMORI_CMICROHTTPD_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <microhttpd.h>

/// What libmicrohttpd logs while a daemon starts (why a start failed: the port is taken, the
/// certificate cannot be read, the key does not match it). Messages logged after the start
/// (a failed TLS handshake, a reset connection) are dropped.
struct cmhd_start_log {
    pthread_mutex_t lock;
    int capturing;
    char message[1024];
};

/// An `MHD_LogCallback` that appends to a `struct cmhd_start_log` while it is capturing,
/// one message after another on one line ("first; second").
static inline void cmhd_start_log_append(void *cls, const char *format, va_list arguments) {
    struct cmhd_start_log *log = (struct cmhd_start_log *)cls;
    char line[512];
    vsnprintf(line, sizeof(line), format, arguments);
    // libmicrohttpd ends its messages with a full stop and a newline: keep one line.
    for (char *c = line; *c != '\0'; c++) {
        if (*c == '\n' || *c == '\r') *c = ' ';
    }
    size_t length = strlen(line);
    while (length > 0 && (line[length - 1] == ' ' || line[length - 1] == '.')) line[--length] = '\0';
    if (length == 0) return;
    pthread_mutex_lock(&log->lock);
    if (log->capturing) {
        size_t used = strlen(log->message);
        snprintf(log->message + used, sizeof(log->message) - used, "%s%s", used > 0 ? "; " : "", line);
    }
    pthread_mutex_unlock(&log->lock);
}

/// Frees what `cmhd_start` returned in `*log`, after `MHD_stop_daemon`.
static inline void cmhd_start_log_free(struct cmhd_start_log *log) {
    if (log == NULL) return;
    pthread_mutex_destroy(&log->lock);
    free(log);
}

/// `MHD_start_daemon` is variadic: a fixed-arity wrapper with the options Mimamori uses.
/// Binds `host` (a numeric IPv4 address) and `port` (0: any free port); serves HTTPS when
/// `tls_cert_pem` and `tls_key_pem` are both given (PEM text, kept by the caller until the
/// daemon stops), plain HTTP when both are NULL. `notify` (with `notify_cls`) is told when
/// each connection starts and closes (`MHD_OPTION_NOTIFY_CONNECTION`).
///
/// Returns NULL on error: `*bad_host` is set when the host is not a numeric IPv4 address, and
/// `error` receives what libmicrohttpd said (may be empty). On success `*log` must be freed with
/// `cmhd_start_log_free` after the daemon stops.
static inline struct MHD_Daemon *cmhd_start(const char *host, uint16_t port, unsigned int threads,
                                            unsigned int connection_limit, unsigned int per_address_limit,
                                            unsigned int timeout_seconds,
                                            size_t memory_limit, const char *tls_cert_pem, const char *tls_key_pem,
                                            MHD_AccessHandlerCallback handler, void *handler_cls,
                                            MHD_RequestCompletedCallback completed, void *completed_cls,
                                            MHD_NotifyConnectionCallback notify, void *notify_cls,
                                            int *bad_host, char *error, size_t error_size,
                                            struct cmhd_start_log **log) {
    struct sockaddr_in address;
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    *bad_host = 0;
    *log = NULL;
    if (error_size > 0) error[0] = '\0';
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        *bad_host = 1;
        return NULL;
    }
    struct cmhd_start_log *start_log = (struct cmhd_start_log *)calloc(1, sizeof(struct cmhd_start_log));
    if (start_log == NULL) return NULL;
    pthread_mutex_init(&start_log->lock, NULL);
    start_log->capturing = 1;

    /* Handlers run on the application's own threads while their connection is suspended
       (`MHD_suspend_connection`, resumed from those threads through the ITC). */
    unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    const int tls = tls_cert_pem != NULL && tls_key_pem != NULL;
    if (tls) flags |= MHD_USE_TLS;
    struct MHD_OptionItem options[11];
    size_t count = 0;
    options[count++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &address};
    options[count++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)threads, NULL};
    options[count++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, (intptr_t)connection_limit, NULL};
    /* One client (one address) may hold at most this many connections; 0 means no limit. */
    options[count++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)per_address_limit, NULL};
    options[count++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)timeout_seconds, NULL};
    options[count++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)memory_limit, NULL};
    options[count++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, completed_cls};
    options[count++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)notify, notify_cls};
    if (tls) {
        options[count++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)tls_cert_pem};
        options[count++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)tls_key_pem};
    }
    options[count++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    // The logger comes first, so messages from the start itself reach it.
    struct MHD_Daemon *daemon = MHD_start_daemon(flags, port, NULL, NULL, handler, handler_cls,
                                                 MHD_OPTION_EXTERNAL_LOGGER, cmhd_start_log_append, start_log,
                                                 MHD_OPTION_ARRAY, options,
                                                 MHD_OPTION_END);
    pthread_mutex_lock(&start_log->lock);
    start_log->capturing = 0;
    if (daemon == NULL && error_size > 0) {
        strncpy(error, start_log->message, error_size - 1);
        error[error_size - 1] = '\0';
    }
    pthread_mutex_unlock(&start_log->lock);
    if (daemon == NULL) {
        cmhd_start_log_free(start_log);
        return NULL;
    }
    *log = start_log;
    return daemon;
}

/// The port a daemon is bound to (`MHD_get_daemon_info` is variadic).
static inline uint16_t cmhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/// Writes the peer's numeric IP address (IPv4 or IPv6, without the port) into `buffer` as a
/// NUL-terminated string; returns 0, or -1 (and an empty string) when it is unknown.
/// (`MHD_get_connection_info` is variadic.)
static inline int cmhd_client_address(struct MHD_Connection *connection, char *buffer, size_t size) {
    if (size == 0) return -1;
    buffer[0] = '\0';
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) return -1;
    const struct sockaddr *address = info->client_addr;
    const char *written = NULL;
    if (address->sa_family == AF_INET) {
        written = inet_ntop(AF_INET, &((const struct sockaddr_in *)address)->sin_addr, buffer, (socklen_t)size);
    } else if (address->sa_family == AF_INET6) {
        written = inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)address)->sin6_addr, buffer, (socklen_t)size);
    }
    if (written == NULL) {
        buffer[0] = '\0';
        return -1;
    }
    return 0;
}

/// The socket of a connection, or -1 (`MHD_get_connection_info` is variadic).
static inline int cmhd_connection_socket(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info == NULL ? -1 : info->connect_fd;
}

/// What the application stored in the connection's `*socket_context` when it started (from
/// `MHD_OPTION_NOTIFY_CONNECTION`), or NULL.
static inline void *cmhd_connection_context(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info == NULL ? NULL : info->socket_context;
}

/// Shuts a connection's socket down in both directions, from any thread: libmicrohttpd's
/// thread that serves it then reads the end of the stream and closes the connection itself
/// (the socket stays open, and its number unused by another, until libmicrohttpd closes it).
static inline void cmhd_shutdown_socket(int socket) {
    if (socket >= 0) shutdown(socket, SHUT_RDWR);
}

/// Milliseconds since the kernel last received data on a TCP socket (`tcpi_last_data_recv`;
/// since the connection was established when none came yet), or -1 when it cannot say.
static inline int64_t cmhd_milliseconds_since_data(int socket) {
    struct tcp_info info;
    socklen_t length = sizeof(info);
    memset(&info, 0, sizeof(info));
    if (socket < 0 || getsockopt(socket, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return -1;
    return (int64_t)info.tcpi_last_data_recv;
}

/// Writes the canonical text of the IPv6 address `text` (e.g. "::1" for "0:0:0:0:0:0:0:1") into
/// `buffer`; returns 0, or -1 when `text` is not an IPv6 address.
static inline int cmhd_canonical_ipv6(const char *text, char *buffer, size_t size) {
    struct in6_addr address;
    if (size == 0 || inet_pton(AF_INET6, text, &address) != 1) return -1;
    return inet_ntop(AF_INET6, &address, buffer, (socklen_t)size) == NULL ? -1 : 0;
}

#endif
