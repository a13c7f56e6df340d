#ifndef MIMAMORI_CMALLOC_SHIM_H
#define MIMAMORI_CMALLOC_SHIM_H

// glibc's allocator: the Glibc module of Swift does not include <malloc.h>, whose
// malloc_trim gives free heap memory back to the system (ImportSession.releaseFreeHeap).
// See https://man7.org/linux/man-pages/man3/malloc_trim.3.html.
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>

/// Returns the free memory of every heap of the allocator to the system; 1 if any was.
static inline int mimamori_malloc_trim(void) { return malloc_trim(0); }
#else
static inline int mimamori_malloc_trim(void) { return 0; }
#endif

#endif
