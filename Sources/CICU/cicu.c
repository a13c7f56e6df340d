#include "cicu.h"

#include <stdio.h>
#include <unicode/uclean.h>
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
