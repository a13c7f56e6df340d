#ifndef MIMAMORI_CZLIB_SHIM_H
#define MIMAMORI_CZLIB_SHIM_H

// zlib: the Store's packed case bodies (raw deflate with a preset dictionary), and the tests'
// fixtures (compressed PDF object streams, PNG chunk checksums).
#include <string.h>
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros, which Swift cannot call: these wrappers do a
// whole raw deflate (RFC 1951, windowBits -15: no zlib header or checksum) or inflate of one
// buffer with a preset dictionary. See https://www.zlib.net/manual.html.

/// Deflates `source` into `destination`; returns the bytes written, or -1 if zlib failed or
/// `capacity` was too small.
static inline long mimamori_deflate_raw(const unsigned char *source, unsigned long source_length,
                                        const unsigned char *dictionary, unsigned int dictionary_length, int level,
                                        unsigned char *destination, unsigned long capacity) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (deflateInit2(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    if (dictionary_length > 0 && deflateSetDictionary(&stream, dictionary, dictionary_length) != Z_OK) {
        deflateEnd(&stream);
        return -1;
    }
    stream.next_in = (Bytef *)source;
    stream.avail_in = (uInt)source_length;
    stream.next_out = destination;
    stream.avail_out = (uInt)capacity;
    int status = deflate(&stream, Z_FINISH);
    long produced = (long)stream.total_out;
    deflateEnd(&stream);
    return status == Z_STREAM_END ? produced : -1;
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
