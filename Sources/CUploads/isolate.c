// Every upload is read in a child process with its own limits: a file built to exhaust memory
// or time (a PDF of millions of tiny objects, which qpdf holds at ~300 bytes each), or to
// trigger a bug in a decoder, stops the child, never the server.

#define _GNU_SOURCE
#include "cuploads.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/// What the child sends back before the bytes of its output.
typedef struct answer_header {
    uint32_t magic;
    cuploads_report report;
    uint64_t size;
} answer_header;

static const uint32_t answer_magic = 0x4D494D41;  // "MIMA"

/// Writes all of `bytes` (async-signal-safe; the child uses nothing else to talk).
static int write_all(int fd, const void *bytes, size_t size) {
    const uint8_t *at = bytes;
    while (size > 0) {
        ssize_t written = write(fd, at, size);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return -1;
        at += written;
        size -= (size_t)written;
    }
    return 0;
}

/// The process's virtual memory size in bytes (from /proc/self/statm, without stdio), or 0.
static uint64_t virtual_size(void) {
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char text[64];
    ssize_t length = read(fd, text, sizeof text - 1);
    close(fd);
    if (length <= 0) return 0;
    uint64_t pages = 0;
    for (ssize_t i = 0; i < length && text[i] >= '0' && text[i] <= '9'; i++) pages = pages * 10 + (uint64_t)(text[i] - '0');
    return pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

/// The child: limits first, then the work, then the answer; never returns.
static void child(cuploads_kind kind, const uint8_t *input, size_t size, const cuploads_limits *limits, int fd) {
    // Memory: what the process maps already (inherited from the server) plus the budget.
    uint64_t base = virtual_size();
    struct rlimit memory = {base + limits->memory_bytes, base + limits->memory_bytes};
    struct rlimit cpu = {limits->cpu_seconds, limits->cpu_seconds + 1};
    struct rlimit none = {0, 0};
    if (base == 0 || setrlimit(RLIMIT_AS, &memory) != 0 || setrlimit(RLIMIT_CPU, &cpu) != 0) _exit(3);
    setrlimit(RLIMIT_CORE, &none);
    setrlimit(RLIMIT_FSIZE, &none);
    // A reader that crashes ends the child quietly (not through the server's crash reporting).
    struct sigaction plain;
    memset(&plain, 0, sizeof plain);
    plain.sa_handler = SIG_DFL;
    int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGXCPU, SIGPIPE};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) sigaction(fatal[i], &plain, NULL);

    answer_header header;
    memset(&header, 0, sizeof header);
    header.magic = answer_magic;
    cuploads_buffer out = {NULL, 0};
    cuploads_report *report = &header.report;
    switch (kind) {
    case CUPLOADS_KIND_PNG:
        report->status = cuploads_png_reencode(input, size, limits->max_pixels, limits->max_side, &out, &report->width, &report->height);
        break;
    case CUPLOADS_KIND_JPEG:
        report->status = cuploads_jpeg_reencode(input, size, limits->max_pixels, limits->max_side, limits->quality, &out, &report->width,
                                                &report->height);
        break;
    case CUPLOADS_KIND_WEBP:
        report->status = cuploads_webp_reencode(input, size, limits->max_pixels, limits->max_side, limits->quality, &out, &report->width,
                                                &report->height);
        break;
    case CUPLOADS_KIND_PDF: {
        cuploads_pdf_active active = CUPLOADS_PDF_ACTIVE_NONE;
        report->status = cuploads_pdf_inspect(input, size, &out, &active, report->detail, sizeof report->detail);
        report->active = active;
        break;
    }
    }
    header.size = out.size;
    if (write_all(fd, &header, sizeof header) != 0 || (out.size > 0 && write_all(fd, out.data, out.size) != 0)) _exit(4);
    _exit(0);
}

/// Milliseconds on the monotonic clock.
static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

cuploads_isolation cuploads_inspect_isolated(cuploads_kind kind, const uint8_t *input, size_t size, const cuploads_limits *limits,
                                             cuploads_report *report, cuploads_buffer *out) {
    memset(report, 0, sizeof *report);
    out->data = NULL;
    out->size = 0;
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return CUPLOADS_ISOLATION_UNAVAILABLE;
    pid_t pid = fork();
    if (pid < 0) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return CUPLOADS_ISOLATION_UNAVAILABLE;
    }
    if (pid == 0) {
        close(pipe_fds[0]);
        child(kind, input, size, limits, pipe_fds[1]);
    }
    close(pipe_fds[1]);

    // Reads the answer as it comes (it may be larger than the pipe holds), until the child
    // closes its end or the time is up.
    int fd = pipe_fds[0];
    answer_header header;
    size_t header_read = 0;
    size_t data_read = 0;
    int complete = 0, failed = 0;
    int64_t deadline = now_ms() + (int64_t)limits->wall_seconds * 1000;
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            failed = 1;
            break;
        }
        struct pollfd ready = {fd, POLLIN, 0};
        int polled = poll(&ready, 1, (int)left);
        if (polled < 0 && errno == EINTR) continue;
        if (polled <= 0) {
            failed = 1;
            break;
        }
        ssize_t got;
        if (header_read < sizeof header) {
            got = read(fd, (uint8_t *)&header + header_read, sizeof header - header_read);
        } else {
            got = read(fd, out->data + data_read, (size_t)header.size - data_read);
        }
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;  // the child closed its end (done, or stopped)
        if (header_read < sizeof header) {
            header_read += (size_t)got;
            if (header_read == sizeof header) {
                if (header.magic != answer_magic || header.size > ((uint64_t)1 << 32)) {
                    failed = 1;
                    break;
                }
                out->data = malloc(header.size == 0 ? 1 : (size_t)header.size);
                if (out->data == NULL) {
                    failed = 1;
                    break;
                }
            }
        } else {
            data_read += (size_t)got;
        }
        if (header_read == sizeof header && data_read == header.size) {
            complete = 1;
            break;
        }
    }
    close(fd);
    if (failed || !complete) kill(pid, SIGKILL);
    int wait_status = 0;
    pid_t waited;
    do {
        waited = waitpid(pid, &wait_status, 0);
    } while (waited < 0 && errno == EINTR);
    // ECHILD (someone else reaped it) leaves the answer as the only evidence, which is complete.
    int exited_well = waited < 0 ? complete : (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
    if (!complete || failed || !exited_well) {
        cuploads_buffer_free(out);
        return CUPLOADS_ISOLATION_STOPPED;
    }
    *report = header.report;
    out->size = (size_t)header.size;
    return CUPLOADS_ISOLATION_ANSWERED;
}
