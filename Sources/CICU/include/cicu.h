#ifndef MIMAMORI_CICU_H
#define MIMAMORI_CICU_H

// The only header Swift sees of ICU. It declares plain C types on purpose: a Swift
// module that could see <unicode/...> would clash with Foundation's private ICU
// ("'UErrorCode' has different definitions in different modules").

#include <stdint.h>

/// An opened ICU transliterator (`UTransliterator`), owned by the caller.
typedef struct cicu_transliterator cicu_transliterator;

/// Opens a transliterator for an ICU ID such as "Any-NFKC; Katakana-Hiragana".
/// Returns NULL and sets `*status` (an ICU `UErrorCode`, > 0 on failure) on error.
cicu_transliterator *cicu_transliterator_open(const uint16_t *id, int32_t id_length, int32_t *status);

/// Frees a transliterator opened by `cicu_transliterator_open`.
void cicu_transliterator_close(cicu_transliterator *transliterator);

/// Transliterates `text[0..<*length]` in place. `capacity` is the buffer size in UTF-16
/// units; on return `*length` holds the new length, which may exceed `capacity` (then
/// `*status` is U_BUFFER_OVERFLOW_ERROR and the caller retries with a larger buffer).
void cicu_transliterate(const cicu_transliterator *transliterator, uint16_t *text, int32_t *length,
                        int32_t capacity, int32_t *status);

/// NFKC-normalises `source` into `destination`; returns the needed length (retry on overflow).
int32_t cicu_normalize_nfkc(const uint16_t *source, int32_t length, uint16_t *destination, int32_t capacity,
                            int32_t *status);

/// The symbolic name of an ICU error code ("U_INVALID_ID", ...).
const char *cicu_error_name(int32_t status);

/// The ICU library version, e.g. "72.1".
void cicu_version(char *buffer, int32_t capacity);

/// An opened ICU converter (`UConverter`) for one charset, owned by the caller. Unlike ICU's
/// default, it substitutes nothing: a byte sequence that is not valid in the charset, or a
/// character the charset cannot hold, stops the conversion and is reported with its offset.
typedef struct cicu_converter cicu_converter;

/// Opens a converter for an ICU charset name ("windows-31j", "UTF-8").
cicu_converter *cicu_converter_open(const char *name, int32_t *status);

/// Frees a converter opened by `cicu_converter_open`.
void cicu_converter_close(cicu_converter *converter);

/// Converts `source[0..<length]` (bytes in the converter's charset) to UTF-16; returns the
/// UTF-16 length written. On an invalid or unmappable byte sequence `*status` is > 0 and
/// `*error_offset` the byte offset where the sequence starts. On U_BUFFER_OVERFLOW_ERROR the
/// caller retries with a larger buffer.
int32_t cicu_converter_to_utf16(cicu_converter *converter, const char *source, int32_t length, uint16_t *destination,
                                int32_t capacity, int32_t *error_offset, int32_t *status);

/// Converts UTF-16 to the converter's charset; returns the bytes written. On a character the
/// charset cannot hold `*status` is > 0 and `*error_offset` the UTF-16 offset of that character.
int32_t cicu_converter_from_utf16(cicu_converter *converter, const uint16_t *source, int32_t length, char *destination,
                                  int32_t capacity, int32_t *error_offset, int32_t *status);

#endif
