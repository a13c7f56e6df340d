#ifndef MIMAMORI_CMICROHTTPD_SHIM_H
#define MIMAMORI_CMICROHTTPD_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <microhttpd.h>

#endif
