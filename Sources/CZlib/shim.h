#ifndef MIMAMORI_CZLIB_SHIM_H
#define MIMAMORI_CZLIB_SHIM_H

// zlib: the Store's packed case bodies (raw deflate with a preset dictionary), and the tests'
// fixtures (compressed PDF object streams, PNG chunk checksums).
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros, which Swift cannot call: these wrappers make a
// raw deflate stream (RFC 1951, windowBits -15: no zlib header or checksum) and deflate
// buffers with it, or inflate one buffer, with a preset dictionary. See https://www.zlib.net/manual.html.

/// A raw deflate stream (windowBits -15) at `level`, to pack many buffers one after another
/// with `mimamori_deflater_run`; NULL if zlib failed. Kept across buffers because
/// `deflateInit2` allocates about 256 KiB and `deflateEnd` frees it, which cost more than
/// deflating one small case body (measured: 89 against 32 µs per body at level 6).
static inline z_stream *mimamori_deflater_create(int level) {
    z_stream *stream = calloc(1, sizeof *stream);
    if (stream == NULL) return NULL;
    if (deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(stream);
        return NULL;
    }
    return stream;
}

/// Deflates `source` into `destination` with `stream` reset and primed with `dictionary`:
/// the very bytes a new stream of the same parameters gives. Returns the bytes written, or
/// -1 if zlib failed or `capacity` was too small.
static inline long mimamori_deflater_run(z_stream *stream, const unsigned char *source, unsigned long source_length,
                                         const unsigned char *dictionary, unsigned int dictionary_length,
                                         unsigned char *destination, unsigned long capacity) {
    if (deflateReset(stream) != Z_OK) return -1;
    if (dictionary_length > 0 && deflateSetDictionary(stream, dictionary, dictionary_length) != Z_OK) return -1;
    stream->next_in = (Bytef *)source;
    stream->avail_in = (uInt)source_length;
    stream->next_out = destination;
    stream->avail_out = (uInt)capacity;
    int status = deflate(stream, Z_FINISH);
    return status == Z_STREAM_END ? (long)stream->total_out : -1;
}

/// Frees a stream of `mimamori_deflater_create`.
static inline void mimamori_deflater_destroy(z_stream *stream) {
    deflateEnd(stream);
    free(stream);
}

/// Inflates `source` into `destination`, which must be exactly `capacity` bytes of output;
/// returns the bytes written, or -1 if the data is corrupt, longer or shorter.
static inline long mimamori_inflate_raw(const unsigned char *source, unsigned long source_length,
                                        const unsigned char *dictionary, unsigned int dictionary_length,
                                        unsigned char *destination, unsigned long capacity) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, -15) != Z_OK) return -1;
    if (dictionary_length > 0 && inflateSetDictionary(&stream, dictionary, dictionary_length) != Z_OK) {
        inflateEnd(&stream);
        return -1;
    }
    stream.next_in = (Bytef *)source;
    stream.avail_in = (uInt)source_length;
    stream.next_out = destination;
    stream.avail_out = (uInt)capacity;
    int status = inflate(&stream, Z_FINISH);
    long produced = (long)stream.total_out;
    inflateEnd(&stream);
    return status == Z_STREAM_END && (unsigned long)produced == capacity ? produced : -1;
}

#endif
