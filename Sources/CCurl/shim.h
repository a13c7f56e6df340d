#ifndef MIMAMORI_CCURL_SHIM_H
#define MIMAMORI_CCURL_SHIM_H

// libcurl for the requests the service itself makes (webhooks). curl_easy_setopt and
// curl_easy_getinfo are variadic, which Swift cannot call: each shape of argument the service
// uses has a typed wrapper here.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

static inline CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// A string option (libcurl copies it, except CURLOPT_POSTFIELDS and CURLOPT_ERRORBUFFER).
static inline CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_headers(CURL *handle, struct curl_slist *headers) {
    return curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
}

static inline CURLcode ccurl_setopt_opensocket(CURL *handle, curl_opensocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

static inline CURLcode ccurl_setopt_prereq(CURL *handle, curl_prereq_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, callback);
}

static inline CURLcode ccurl_setopt_write(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

/// The last answer's HTTP status (0 when there was none).
static inline CURLcode ccurl_response_code(CURL *handle, long *status) {
    return curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, status);
}

/// The address inside `struct curl_sockaddr`, in place: its storage runs past
/// `sizeof(struct sockaddr)` for IPv6, so it must be read through this pointer, never copied.
static inline struct sockaddr *ccurl_sockaddr_address(struct curl_sockaddr *address) { return &address->addr; }

#endif
