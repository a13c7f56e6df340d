#ifndef MIMAMORI_CZLIB_SHIM_H
#define MIMAMORI_CZLIB_SHIM_H

// zlib, for the tests' fixtures (compressed PDF object streams, PNG chunk checksums).
#include <zlib.h>

#endif
