#ifndef MIMAMORI_CUPLOADS_H
#define MIMAMORI_CUPLOADS_H

// The only header Swift sees of the libraries that read uploads: libpng, libjpeg-turbo
// (TurboJPEG), libwebp and qpdf. Plain C types only; every function catches its library's
// errors (libpng's longjmp stays inside the simplified API, qpdf's C++ exceptions inside
// pdf.cpp) and answers with a status.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes allocated by this library with malloc; free them with `cuploads_buffer_free`.
typedef struct cuploads_buffer {
    uint8_t *data;
    size_t size;
} cuploads_buffer;

/// Frees a buffer's bytes (NULL-safe) and empties it.
void cuploads_buffer_free(cuploads_buffer *buffer);

// The readers below run in the server's process only when called directly (tests, tools);
// uploads reach them through `cuploads_inspect_isolated`, in a child process.

/// What reading an image came to.
typedef enum cuploads_image_status {
    /// Decoded and encoded again; `out` holds the new file.
    CUPLOADS_IMAGE_OK = 0,
    /// Not a complete, valid file of the format (truncated, corrupt, not that format at all).
    CUPLOADS_IMAGE_UNREADABLE = 1,
    /// More pixels than allowed (`width` and `height` say how many it declares).
    CUPLOADS_IMAGE_TOO_LARGE = 2,
    /// An animation (only still images are accepted).
    CUPLOADS_IMAGE_ANIMATED = 3,
    /// The encoder failed or memory ran out (not the file's fault).
    CUPLOADS_IMAGE_FAILED = 4,
} cuploads_image_status;

/// Decodes a PNG fully (every row, every chunk up to IEND) and encodes its pixels as a new PNG:
/// nothing but the pixels survives (no text, EXIF, ICC or other ancillary chunk of the original).
/// Palette images become RGB(A), 16-bit images 8-bit. Refuses more than `max_pixels`
/// pixels or a side longer than `max_side` before decoding any pixel.
cuploads_image_status cuploads_png_reencode(const uint8_t *input, size_t size, uint64_t max_pixels, uint32_t max_side,
                                            cuploads_buffer *out, uint32_t *width, uint32_t *height);

/// Decodes a JPEG fully (a warning such as a premature end is an error) and encodes its
/// pixels as a new baseline JPEG at `quality`, keeping the chroma subsampling. The EXIF
/// orientation is applied to the pixels, then every APPn segment (EXIF, XMP, ICC, comments)
/// is left behind. Progressive files with an excessive number of scans are refused.
cuploads_image_status cuploads_jpeg_reencode(const uint8_t *input, size_t size, uint64_t max_pixels, uint32_t max_side,
                                             int quality, cuploads_buffer *out, uint32_t *width, uint32_t *height);

/// Decodes a still WebP fully and encodes its pixels as a new WebP (lossless if the
/// original was lossless, else lossy at `quality`); EXIF, XMP and ICC chunks are left behind.
cuploads_image_status cuploads_webp_reencode(const uint8_t *input, size_t size, uint64_t max_pixels, uint32_t max_side,
                                             int quality, cuploads_buffer *out, uint32_t *width, uint32_t *height);

/// Encoders for pixels in memory (RGBA, 4 bytes a pixel; JPEG takes RGB, 3 bytes a pixel).
/// The re-encoders use them; tests make their images with them. Return 0 on success.
int cuploads_png_encode(const uint8_t *rgba, uint32_t width, uint32_t height, cuploads_buffer *out);
int cuploads_jpeg_encode(const uint8_t *rgb, uint32_t width, uint32_t height, int quality, cuploads_buffer *out);
int cuploads_webp_encode(const uint8_t *rgba, uint32_t width, uint32_t height, int lossless, int quality, cuploads_buffer *out);

/// What inspecting a PDF came to.
typedef enum cuploads_pdf_status {
    /// Nothing active found; `out` holds the file as qpdf wrote it again.
    CUPLOADS_PDF_OK = 0,
    /// Not a PDF qpdf can read without repairing it (`detail` says what qpdf found).
    CUPLOADS_PDF_UNREADABLE = 1,
    /// Encrypted (with or without a password to open it).
    CUPLOADS_PDF_ENCRYPTED = 2,
    /// Active content: `detail` names it (see `cuploads_pdf_active`).
    CUPLOADS_PDF_ACTIVE = 3,
    /// More structure than allowed (decoded cross-reference or object-stream data, objects).
    CUPLOADS_PDF_TOO_COMPLEX = 4,
    /// qpdf failed writing the file again (not the file's fault as far as can be told).
    CUPLOADS_PDF_FAILED = 5,
} cuploads_pdf_status;

/// The kinds of active content a PDF is refused for (the first one found is reported).
typedef enum cuploads_pdf_active {
    CUPLOADS_PDF_ACTIVE_NONE = 0,
    /// /JS, /JavaScript (a name tree or an action of type /JavaScript).
    CUPLOADS_PDF_ACTIVE_JAVASCRIPT = 1,
    /// /AA: actions that run on events (opening a page, focusing a field, closing the file).
    CUPLOADS_PDF_ACTIVE_AUTOMATIC = 2,
    /// /OpenAction with an action other than a plain /GoTo (a destination, i.e. which page to
    /// show first, is allowed, as a /GoTo action or on its own).
    CUPLOADS_PDF_ACTIVE_OPEN_ACTION = 3,
    /// An action of type /Launch (starts a program or opens a file).
    CUPLOADS_PDF_ACTIVE_LAUNCH = 4,
    /// Any other action than /GoTo, /URI (to http, https or mailto), /Named or /Thread.
    CUPLOADS_PDF_ACTIVE_OTHER_ACTION = 5,
    /// A /URI action to something else than http, https or mailto (file:, a UNC path, ...).
    CUPLOADS_PDF_ACTIVE_LOCAL_LINK = 6,
    /// Embedded files (/EmbeddedFiles, /EF, /Type /EmbeddedFile, file attachment annotations).
    CUPLOADS_PDF_ACTIVE_EMBEDDED_FILE = 7,
    /// An XFA form (/XFA), which carries its own scripts.
    CUPLOADS_PDF_ACTIVE_XFA = 8,
    /// Multimedia or 3D annotations (/RichMedia, /Screen, /Movie, /Sound, /3D).
    CUPLOADS_PDF_ACTIVE_MULTIMEDIA = 9,
} cuploads_pdf_active;

/// Reads a PDF with qpdf (no repair: a damaged cross-reference table or any warning refuses
/// it), looks at every object, compressed object streams included, and refuses active content;
/// an accepted file is written again by qpdf (only what the document reaches, no incremental
/// updates, nothing after the end). Decoding of cross-reference and object streams is
/// bounded (`CUPLOADS_PDF_TOO_COMPLEX`). `detail` receives a short English description of the
/// finding (NUL-terminated, cut to `detail_size`); `active` the kind of active content.
cuploads_pdf_status cuploads_pdf_inspect(const uint8_t *input, size_t size, cuploads_buffer *out, cuploads_pdf_active *active,
                                         char *detail, size_t detail_size);

// MARK: - Isolation

/// The reader to run.
typedef enum cuploads_kind {
    CUPLOADS_KIND_PNG = 0,
    CUPLOADS_KIND_JPEG = 1,
    CUPLOADS_KIND_WEBP = 2,
    CUPLOADS_KIND_PDF = 3,
} cuploads_kind;

/// The bounds of one inspection.
typedef struct cuploads_limits {
    uint64_t max_pixels;
    uint32_t max_side;
    int quality;
    /// Memory the child may map beyond what it inherits from the server.
    uint64_t memory_bytes;
    /// Processor time the child may use.
    uint32_t cpu_seconds;
    /// Time the server waits for the child's answer before it stops the child.
    uint32_t wall_seconds;
} cuploads_limits;

/// What the child reports: the reader's status (`cuploads_image_status` or
/// `cuploads_pdf_status`), the PDF's active content, the image's declared size, qpdf's detail.
typedef struct cuploads_report {
    int32_t status;
    int32_t active;
    uint32_t width;
    uint32_t height;
    char detail[256];
} cuploads_report;

/// How the isolated inspection ended.
typedef enum cuploads_isolation {
    /// The child answered: `report` and `out` hold its answer.
    CUPLOADS_ISOLATION_ANSWERED = 0,
    /// The child was stopped or died: out of memory or time, or a reader crashed.
    CUPLOADS_ISOLATION_STOPPED = 1,
    /// No child could be started (fork or pipe failed).
    CUPLOADS_ISOLATION_UNAVAILABLE = 2,
} cuploads_isolation;

/// Runs the reader for `kind` in a forked child process limited to `limits` (address space,
/// processor time, no core dump, no file written) and brings its answer back over a pipe.
/// The server's process never decodes an upload: a file that exhausts the limits, or crashes
/// a reader, ends as `CUPLOADS_ISOLATION_STOPPED`.
cuploads_isolation cuploads_inspect_isolated(cuploads_kind kind, const uint8_t *input, size_t size, const cuploads_limits *limits,
                                             cuploads_report *report, cuploads_buffer *out);

#ifdef __cplusplus
}
#endif

#endif
