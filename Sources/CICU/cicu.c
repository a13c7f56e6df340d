#include "cicu.h"

#include <stdio.h>
#include <unicode/uclean.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

cicu_transliterator *cicu_transliterator_open(const uint16_t *id, int32_t id_length, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    UParseError parse_error;
    UTransliterator *transliterator =
        utrans_openU((const UChar *)id, id_length, UTRANS_FORWARD, NULL, 0, &parse_error, &error);
    *status = (int32_t)error;
    if (U_FAILURE(error)) {
        return NULL;
    }
    return (cicu_transliterator *)transliterator;
}

void cicu_transliterator_close(cicu_transliterator *transliterator) {
    if (transliterator != NULL) {
        utrans_close((UTransliterator *)transliterator);
    }
}

void cicu_transliterate(const cicu_transliterator *transliterator, uint16_t *text, int32_t *length,
                        int32_t capacity, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    int32_t limit = *length;
    utrans_transUChars((const UTransliterator *)transliterator, (UChar *)text, length, capacity, 0, &limit,
                       &error);
    *status = (int32_t)error;
}

int32_t cicu_normalize_nfkc(const uint16_t *source, int32_t length, uint16_t *destination, int32_t capacity,
                            int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&error);
    if (U_FAILURE(error)) {
        *status = (int32_t)error;
        return 0;
    }
    int32_t needed = unorm2_normalize(nfkc, (const UChar *)source, length, (UChar *)destination, capacity, &error);
    *status = (int32_t)error;
    return needed;
}

const char *cicu_error_name(int32_t status) {
    return u_errorName((UErrorCode)status);
}

void cicu_version(char *buffer, int32_t capacity) {
    UVersionInfo version;
    char formatted[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(version);
    u_versionToString(version, formatted);
    snprintf(buffer, (size_t)capacity, "%s", formatted);
}

cicu_converter *cicu_converter_open(const char *name, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    UConverter *converter = ucnv_open(name, &error);
    if (U_SUCCESS(error)) {
        ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &error);
    }
    if (U_SUCCESS(error)) {
        ucnv_setFromUCallBack(converter, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &error);
    }
    *status = (int32_t)error;
    if (U_FAILURE(error)) {
        if (converter != NULL) {
            ucnv_close(converter);
        }
        return NULL;
    }
    return (cicu_converter *)converter;
}

void cicu_converter_close(cicu_converter *converter) {
    if (converter != NULL) {
        ucnv_close((UConverter *)converter);
    }
}

int32_t cicu_converter_to_utf16(cicu_converter *converter, const char *source, int32_t length, uint16_t *destination,
                                int32_t capacity, int32_t *error_offset, int32_t *status) {
    UConverter *cnv = (UConverter *)converter;
    UErrorCode error = U_ZERO_ERROR;
    ucnv_resetToUnicode(cnv);
    const char *input = source;
    UChar *output = (UChar *)destination;
    ucnv_toUnicode(cnv, &output, output + capacity, &input, source + length, NULL, 1, &error);
    *error_offset = -1;
    if (error == U_ILLEGAL_CHAR_FOUND || error == U_INVALID_CHAR_FOUND || error == U_TRUNCATED_CHAR_FOUND) {
        char invalid[32];
        int8_t invalid_length = sizeof(invalid);
        UErrorCode ignored = U_ZERO_ERROR;
        ucnv_getInvalidChars(cnv, invalid, &invalid_length, &ignored);
        *error_offset = (int32_t)(input - source) - (U_SUCCESS(ignored) ? invalid_length : 0);
    }
    *status = (int32_t)error;
    return (int32_t)(output - (UChar *)destination);
}

int32_t cicu_converter_from_utf16(cicu_converter *converter, const uint16_t *source, int32_t length, char *destination,
                                  int32_t capacity, int32_t *error_offset, int32_t *status) {
    UConverter *cnv = (UConverter *)converter;
    UErrorCode error = U_ZERO_ERROR;
    ucnv_resetFromUnicode(cnv);
    const UChar *input = (const UChar *)source;
    char *output = destination;
    ucnv_fromUnicode(cnv, &output, destination + capacity, &input, input + length, NULL, 1, &error);
    *error_offset = -1;
    if (error == U_ILLEGAL_CHAR_FOUND || error == U_INVALID_CHAR_FOUND || error == U_TRUNCATED_CHAR_FOUND) {
        UChar invalid[8];
        int8_t invalid_length = 8;
        UErrorCode ignored = U_ZERO_ERROR;
        ucnv_getInvalidUChars(cnv, invalid, &invalid_length, &ignored);
        *error_offset = (int32_t)(input - (const UChar *)source) - (U_SUCCESS(ignored) ? invalid_length : 0);
    }
    *status = (int32_t)error;
    return (int32_t)(output - destination);
}
