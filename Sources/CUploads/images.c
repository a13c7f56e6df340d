// Image re-encoding for uploads: decode with the format's maintained library, encode the
// pixels again. Only pixels cross from the upload to what is stored.

#include "cuploads.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>
#include <webp/decode.h>
#include <webp/encode.h>

void cuploads_buffer_free(cuploads_buffer *buffer) {
    if (buffer == NULL) return;
    free(buffer->data);
    buffer->data = NULL;
    buffer->size = 0;
}

/// Copies `size` bytes into a new malloc'd buffer (0 on success).
static int copy_out(const void *bytes, size_t size, cuploads_buffer *out) {
    out->data = malloc(size == 0 ? 1 : size);
    if (out->data == NULL) return -1;
    memcpy(out->data, bytes, size);
    out->size = size;
    return 0;
}

/// Whether `width` × `height` is within the limits (both at least 1).
static int within(uint64_t width, uint64_t height, uint64_t max_pixels, uint32_t max_side) {
    return width >= 1 && height >= 1 && width <= max_side && height <= max_side && width * height <= max_pixels;
}

// MARK: - PNG

int cuploads_png_encode(const uint8_t *rgba, uint32_t width, uint32_t height, cuploads_buffer *out) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = PNG_FORMAT_RGBA;
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, NULL, &size, 0, rgba, 0, NULL) || size == 0) return -1;
    out->data = malloc(size);
    if (out->data == NULL) return -1;
    if (!png_image_write_to_memory(&image, out->data, &size, 0, rgba, 0, NULL)) {
        cuploads_buffer_free(out);
        return -1;
    }
    out->size = size;
    return 0;
}

cuploads_image_status cuploads_png_reencode(const uint8_t *input, size_t size, uint64_t max_pixels, uint32_t max_side,
                                            cuploads_buffer *out, uint32_t *width, uint32_t *height) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    // Reads the signature and the chunks up to the first IDAT; no pixel yet.
    if (!png_image_begin_read_from_memory(&image, input, size)) {
        png_image_free(&image);
        return CUPLOADS_IMAGE_UNREADABLE;
    }
    *width = image.width;
    *height = image.height;
    if (!within(image.width, image.height, max_pixels, max_side)) {
        png_image_free(&image);
        return CUPLOADS_IMAGE_TOO_LARGE;
    }
    // 8-bit gray or colour, with alpha if the original has any; no palette, no 16-bit.
    image.format = image.format & (PNG_FORMAT_FLAG_ALPHA | PNG_FORMAT_FLAG_COLOR);
    size_t stride = PNG_IMAGE_ROW_STRIDE(image);
    size_t bytes = PNG_IMAGE_BUFFER_SIZE(image, stride);
    uint8_t *pixels = malloc(bytes);
    if (pixels == NULL) {
        png_image_free(&image);
        return CUPLOADS_IMAGE_FAILED;
    }
    // Every row, then the chunks after the image data up to IEND: a truncated or corrupt
    // file fails here (libpng's simplified API keeps its longjmp inside).
    if (!png_image_finish_read(&image, NULL, pixels, 0, NULL)) {
        free(pixels);
        png_image_free(&image);
        return CUPLOADS_IMAGE_UNREADABLE;
    }
    png_image written;
    memset(&written, 0, sizeof written);
    written.version = PNG_IMAGE_VERSION;
    written.width = image.width;
    written.height = image.height;
    written.format = image.format;
    png_alloc_size_t written_size = 0;
    cuploads_image_status status = CUPLOADS_IMAGE_FAILED;
    if (png_image_write_to_memory(&written, NULL, &written_size, 0, pixels, 0, NULL) && written_size > 0) {
        out->data = malloc(written_size);
        if (out->data != NULL && png_image_write_to_memory(&written, out->data, &written_size, 0, pixels, 0, NULL)) {
            out->size = written_size;
            status = CUPLOADS_IMAGE_OK;
        } else {
            cuploads_buffer_free(out);
        }
    }
    free(pixels);
    png_image_free(&written);
    return status;
}

// MARK: - JPEG

/// A big-endian or little-endian 16/32-bit number from a TIFF structure.
static uint32_t tiff_number(const uint8_t *p, int bytes, int little) {
    uint32_t value = 0;
    for (int i = 0; i < bytes; i++) value |= (uint32_t)p[little ? i : bytes - 1 - i] << (8 * i);
    return value;
}

/// The EXIF orientation (1–8) of a JPEG, or 1 when it has none or it cannot be read. Walks
/// the marker segments before the first scan; every offset is checked against the length.
static int jpeg_orientation(const uint8_t *jpeg, size_t size) {
    size_t at = 2;
    while (at + 4 <= size && jpeg[at] == 0xFF) {
        uint8_t marker = jpeg[at + 1];
        if (marker == 0xDA || marker == 0xD9) break;
        size_t length = ((size_t)jpeg[at + 2] << 8) | jpeg[at + 3];
        if (length < 2 || at + 2 + length > size) break;
        const uint8_t *segment = jpeg + at + 4;
        size_t segment_size = length - 2;
        if (marker == 0xE1 && segment_size >= 14 && memcmp(segment, "Exif\0\0", 6) == 0) {
            const uint8_t *tiff = segment + 6;
            size_t tiff_size = segment_size - 6;
            int little;
            if (memcmp(tiff, "II*\0", 4) == 0) {
                little = 1;
            } else if (memcmp(tiff, "MM\0*", 4) == 0) {
                little = 0;
            } else {
                return 1;
            }
            uint32_t ifd = tiff_number(tiff + 4, 4, little);
            if (ifd > tiff_size || tiff_size - ifd < 2) return 1;
            uint32_t count = tiff_number(tiff + ifd, 2, little);
            for (uint32_t i = 0; i < count; i++) {
                size_t entry = (size_t)ifd + 2 + (size_t)i * 12;
                if (entry + 12 > tiff_size) return 1;
                if (tiff_number(tiff + entry, 2, little) == 0x0112 && tiff_number(tiff + entry + 2, 2, little) == 3) {
                    uint32_t value = tiff_number(tiff + entry + 8, 2, little);
                    return value >= 1 && value <= 8 ? (int)value : 1;
                }
            }
            return 1;
        }
        at += 2 + length;
    }
    return 1;
}

/// Turns `pixels` (`*width` × `*height`, `channels` bytes a pixel) upright for an EXIF
/// orientation; returns the new buffer (the old one is freed) or NULL when memory ran out.
static uint8_t *apply_orientation(uint8_t *pixels, int *width, int *height, int channels, int orientation) {
    if (orientation <= 1 || orientation > 8) return pixels;
    size_t w = (size_t)*width, h = (size_t)*height;
    int swaps = orientation >= 5;
    size_t out_w = swaps ? h : w;
    uint8_t *turned = malloc(w * h * (size_t)channels);
    if (turned == NULL) {
        free(pixels);
        return NULL;
    }
    for (size_t y = 0; y < h; y++) {
        for (size_t x = 0; x < w; x++) {
            size_t nx, ny;
            switch (orientation) {
            case 2: nx = w - 1 - x; ny = y; break;
            case 3: nx = w - 1 - x; ny = h - 1 - y; break;
            case 4: nx = x; ny = h - 1 - y; break;
            case 5: nx = y; ny = x; break;
            case 6: nx = h - 1 - y; ny = x; break;
            case 7: nx = h - 1 - y; ny = w - 1 - x; break;
            default: nx = y; ny = w - 1 - x; break;  // 8
            }
            memcpy(turned + (ny * out_w + nx) * (size_t)channels, pixels + (y * w + x) * (size_t)channels, (size_t)channels);
        }
    }
    free(pixels);
    if (swaps) {
        *width = (int)h;
        *height = (int)w;
    }
    return turned;
}

/// Compresses pixels of format `pixel_format` into a new JPEG (0 on success).
static int jpeg_compress(const uint8_t *pixels, int width, int height, int pixel_format, int subsampling, int quality,
                         cuploads_buffer *out) {
    tjhandle compressor = tjInitCompress();
    if (compressor == NULL) return -1;
    unsigned char *jpeg = NULL;
    unsigned long jpeg_size = 0;
    int result = tjCompress2(compressor, pixels, width, 0, height, pixel_format, &jpeg, &jpeg_size, subsampling, quality, 0);
    if (result == 0) result = copy_out(jpeg, jpeg_size, out);
    tjFree(jpeg);
    tjDestroy(compressor);
    return result;
}

int cuploads_jpeg_encode(const uint8_t *rgb, uint32_t width, uint32_t height, int quality, cuploads_buffer *out) {
    return jpeg_compress(rgb, (int)width, (int)height, TJPF_RGB, TJSAMP_420, quality, out);
}

cuploads_image_status cuploads_jpeg_reencode(const uint8_t *input, size_t size, uint64_t max_pixels, uint32_t max_side,
                                             int quality, cuploads_buffer *out, uint32_t *width, uint32_t *height) {
    if (size > (size_t)0xFFFFFFFFUL) return CUPLOADS_IMAGE_UNREADABLE;
    tjhandle decompressor = tjInitDecompress();
    if (decompressor == NULL) return CUPLOADS_IMAGE_FAILED;
    int w = 0, h = 0, subsampling = 0, colorspace = 0;
    if (tjDecompressHeader3(decompressor, input, (unsigned long)size, &w, &h, &subsampling, &colorspace) != 0) {
        tjDestroy(decompressor);
        return CUPLOADS_IMAGE_UNREADABLE;
    }
    *width = w > 0 ? (uint32_t)w : 0;
    *height = h > 0 ? (uint32_t)h : 0;
    if (w <= 0 || h <= 0 || !within((uint64_t)w, (uint64_t)h, max_pixels, max_side)) {
        tjDestroy(decompressor);
        return w <= 0 || h <= 0 ? CUPLOADS_IMAGE_UNREADABLE : CUPLOADS_IMAGE_TOO_LARGE;
    }
    int pixel_format = TJPF_RGB;
    if (colorspace == TJCS_GRAY) {
        pixel_format = TJPF_GRAY;
        subsampling = TJSAMP_GRAY;
    } else if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
        pixel_format = TJPF_CMYK;
    }
    if (pixel_format != TJPF_GRAY && (subsampling < 0 || subsampling == TJSAMP_GRAY || subsampling >= TJ_NUMSAMP)) {
        subsampling = TJSAMP_420;
    }
    int channels = tjPixelSize[pixel_format];
    uint8_t *pixels = malloc((size_t)w * (size_t)h * (size_t)channels);
    if (pixels == NULL) {
        tjDestroy(decompressor);
        return CUPLOADS_IMAGE_FAILED;
    }
    // A warning (premature end of data, corrupt entropy data) is an error; a progressive file
    // with more than 500 scans (a CPU bomb) is refused.
    int flags = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS;
    if (tjDecompress2(decompressor, input, (unsigned long)size, pixels, w, 0, h, pixel_format, flags) != 0) {
        free(pixels);
        tjDestroy(decompressor);
        return CUPLOADS_IMAGE_UNREADABLE;
    }
    tjDestroy(decompressor);
    pixels = apply_orientation(pixels, &w, &h, channels, jpeg_orientation(input, size));
    if (pixels == NULL) return CUPLOADS_IMAGE_FAILED;
    int result = jpeg_compress(pixels, w, h, pixel_format, subsampling, quality, out);
    free(pixels);
    return result == 0 ? CUPLOADS_IMAGE_OK : CUPLOADS_IMAGE_FAILED;
}

// MARK: - WebP

int cuploads_webp_encode(const uint8_t *rgba, uint32_t width, uint32_t height, int lossless, int quality, cuploads_buffer *out) {
    uint8_t *webp = NULL;
    int stride = (int)width * 4;
    size_t webp_size = lossless ? WebPEncodeLosslessRGBA(rgba, (int)width, (int)height, stride, &webp)
                                : WebPEncodeRGBA(rgba, (int)width, (int)height, stride, (float)quality, &webp);
    int result = webp_size == 0 ? -1 : copy_out(webp, webp_size, out);
    WebPFree(webp);
    return result;
}

cuploads_image_status cuploads_webp_reencode(const uint8_t *input, size_t size, uint64_t max_pixels, uint32_t max_side,
                                             int quality, cuploads_buffer *out, uint32_t *width, uint32_t *height) {
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(input, size, &features) != VP8_STATUS_OK) return CUPLOADS_IMAGE_UNREADABLE;
    *width = features.width > 0 ? (uint32_t)features.width : 0;
    *height = features.height > 0 ? (uint32_t)features.height : 0;
    if (features.has_animation) return CUPLOADS_IMAGE_ANIMATED;
    if (features.width <= 0 || features.height <= 0) return CUPLOADS_IMAGE_UNREADABLE;
    if (!within((uint64_t)features.width, (uint64_t)features.height, max_pixels, max_side)) return CUPLOADS_IMAGE_TOO_LARGE;
    int w = 0, h = 0;
    // The whole bitstream is decoded; a truncated or corrupt one gives no pixels.
    uint8_t *pixels = WebPDecodeRGBA(input, size, &w, &h);
    if (pixels == NULL) return CUPLOADS_IMAGE_UNREADABLE;
    if (w != features.width || h != features.height) {
        WebPFree(pixels);
        return CUPLOADS_IMAGE_UNREADABLE;
    }
    int result = cuploads_webp_encode(pixels, (uint32_t)w, (uint32_t)h, features.format == 2, quality, out);
    WebPFree(pixels);
    return result == 0 ? CUPLOADS_IMAGE_OK : CUPLOADS_IMAGE_FAILED;
}
