/* qforge AXI shell driver: what a platform provides (registers and one DMA channel per stream).
 * qf_uio.c implements it on Linux with UIO and u-dma-buf; a bare-metal port implements the same
 * five functions over its own memory map and DMA driver. */
#ifndef QF_PLATFORM_H
#define QF_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

typedef struct qf_platform qf_platform;

uint32_t qf_platform_read32(qf_platform *p, uint32_t offset);
void qf_platform_write32(qf_platform *p, uint32_t offset, uint32_t value);
/* Starts moving len bytes to input stream `stream` (numbered as in qf_design.h); returns 0 or -1. */
int qf_platform_send(qf_platform *p, int stream, const void *data, size_t len);
/* Starts receiving at most len bytes from output stream `stream`, up to and including TLAST. */
int qf_platform_recv(qf_platform *p, int stream, void *data, size_t len);
/* Waits for the transfer started on `stream`; returns the bytes moved, or -1. */
long qf_platform_wait(qf_platform *p, int stream);

#endif
