/* qforge AXI shell driver: the Linux platform. The shell's registers and each stream's AXI DMA
 * (simple mode, one channel per stream) are UIO devices; DMA buffers come from one u-dma-buf
 * device (physically contiguous, its physical address in sysfs). Not yet run on a board. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qf_shell.h"
#include "qf_design.h"

/* AXI DMA (PG021) simple-mode registers, from a channel's base: MM2S at 0x00, S2MM at 0x30 */
enum { MM2S = 0x00, S2MM = 0x30, DMACR = 0x00, DMASR = 0x04, ADDR = 0x18, ADDR_MSB = 0x1C, LENGTH = 0x28 };
enum { DMACR_RS = 1u, DMASR_HALTED = 1u, DMASR_IDLE = 2u, DMASR_ERRORS = 0x70u };

struct qf_platform {
    volatile uint32_t *regs;
    volatile uint32_t *dma[QF_STREAM_COUNT];
    uint8_t *buf;
    uint64_t phys;
    size_t size;
    size_t offset[QF_STREAM_COUNT];
    void *dest[QF_STREAM_COUNT];
    size_t used;
};

static volatile uint32_t *map_uio(const char *dev, size_t len) {
    int fd = open(dev, O_RDWR | O_SYNC);
    if (fd < 0) return NULL;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : (volatile uint32_t *) p;
}

/* shell_uio: "/dev/uio0"; dma_uio[s]: the DMA of stream s (input k and output k share dma<k> in the
 * Vivado kit: give its device for both); udmabuf: "udmabuf0". NULL on failure. */
qf_platform *qf_uio_open(const char *shell_uio, const char *const dma_uio[QF_STREAM_COUNT], const char *udmabuf) {
    qf_platform *p = calloc(1, sizeof *p);
    char path[256];
    FILE *f;
    int fd;
    if (!p) return NULL;
    p->regs = map_uio(shell_uio, 1u << QF_ADDRESS_BITS);
    for (int s = 0; s < QF_STREAM_COUNT; s++) p->dma[s] = map_uio(dma_uio[s], 0x10000);
    snprintf(path, sizeof path, "/sys/class/u-dma-buf/%s/phys_addr", udmabuf);
    f = fopen(path, "r");
    if (!f || fscanf(f, "%lx", (unsigned long *) &p->phys) != 1) { if (f) fclose(f); free(p); return NULL; }
    fclose(f);
    snprintf(path, sizeof path, "/sys/class/u-dma-buf/%s/size", udmabuf);
    f = fopen(path, "r");
    if (!f || fscanf(f, "%zu", &p->size) != 1) { if (f) fclose(f); free(p); return NULL; }
    fclose(f);
    snprintf(path, sizeof path, "/dev/%s", udmabuf);
    fd = open(path, O_RDWR | O_SYNC);
    if (fd < 0) { free(p); return NULL; }
    p->buf = mmap(NULL, p->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p->buf == MAP_FAILED || !p->regs) { free(p); return NULL; }
    return p;
}

uint32_t qf_platform_read32(qf_platform *p, uint32_t offset) { return p->regs[offset / 4]; }

void qf_platform_write32(qf_platform *p, uint32_t offset, uint32_t value) { p->regs[offset / 4] = value; }

/* Buffer space for one stream of a transfer; qf_transfer starts with the receive, which starts the buffer over. */
static int reserve(qf_platform *p, int stream, size_t len, int first) {
    if (first) p->used = 0;
    if (p->used + len > p->size || !p->dma[stream]) return -1;
    p->offset[stream] = p->used;
    p->used += (len + 63u) & ~(size_t) 63u;
    return 0;
}

/* Starts a channel on len bytes at buffer offset `offset`. */
static void start(qf_platform *p, int stream, uint32_t channel, size_t offset, size_t len) {
    volatile uint32_t *d = p->dma[stream] + channel / 4;
    uint64_t a = p->phys + offset;
    d[DMACR / 4] = DMACR_RS;
    d[ADDR / 4] = (uint32_t) a;
    d[ADDR_MSB / 4] = (uint32_t) (a >> 32);
    d[LENGTH / 4] = (uint32_t) len;
}

int qf_platform_send(qf_platform *p, int stream, const void *data, size_t len) {
    if (reserve(p, stream, len, 0) != 0) return -1;
    memcpy(p->buf + p->offset[stream], data, len);
    start(p, stream, MM2S, p->offset[stream], len);
    return 0;
}

int qf_platform_recv(qf_platform *p, int stream, void *data, size_t len) {
    if (reserve(p, stream, len, 1) != 0) return -1;
    p->dest[stream] = data;
    start(p, stream, S2MM, p->offset[stream], len);
    return 0;
}

long qf_platform_wait(qf_platform *p, int stream) {
    int input = qf_streams[stream].input;
    volatile uint32_t *d = p->dma[stream] + (input ? MM2S : S2MM) / 4;
    uint32_t v;
    while (!((v = d[DMASR / 4]) & (DMASR_IDLE | DMASR_HALTED | DMASR_ERRORS))) { }
    if (v & (DMASR_ERRORS | DMASR_HALTED)) return -1;
    long got = (long) d[LENGTH / 4]; /* simple mode: after completion, the bytes moved (S2MM: up to TLAST) */
    if (!input) memcpy(p->dest[stream], p->buf + p->offset[stream], (size_t) got);
    return got;
}
