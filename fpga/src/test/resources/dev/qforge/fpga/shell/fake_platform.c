/* The qf_platform of the C driver's tests: every register access and DMA transfer goes, one text
 * line each, over stdout to the simulated shell, and the answer comes back on stdin (the protocol
 * of the fake pynq). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qf_shell.h"
#include "qf_design.h"

struct qf_platform { void *dest[QF_STREAM_COUNT]; size_t len[QF_STREAM_COUNT]; };

static char answer[1 << 20];
static qf_platform the_platform;

qf_platform *fake_platform(void) { return &the_platform; }

static const char *call(const char *line) {
    fputs(line, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    if (!fgets(answer, sizeof answer, stdin)) exit(3);
    answer[strcspn(answer, "\n")] = 0;
    return answer;
}

uint32_t qf_platform_read32(qf_platform *p, uint32_t offset) {
    char line[64];
    (void) p;
    snprintf(line, sizeof line, "R %u", offset);
    return (uint32_t) strtoul(call(line), NULL, 10);
}

void qf_platform_write32(qf_platform *p, uint32_t offset, uint32_t value) {
    char line[64];
    (void) p;
    snprintf(line, sizeof line, "W %u %u", offset, value);
    call(line);
}

int qf_platform_send(qf_platform *p, int stream, const void *data, size_t len) {
    char *line = malloc(2 * len + 64);
    int n = sprintf(line, "S %s ", qf_streams[stream].name);
    (void) p;
    for (size_t i = 0; i < len; i++) n += sprintf(line + n, "%02x", ((const unsigned char *) data)[i]);
    int rc = strcmp(call(line), "OK") == 0 ? 0 : -1;
    free(line);
    return rc;
}

int qf_platform_recv(qf_platform *p, int stream, void *data, size_t len) {
    p->dest[stream] = data;
    p->len[stream] = len;
    return 0;
}

long qf_platform_wait(qf_platform *p, int stream) {
    char line[128];
    if (qf_streams[stream].input) return 0;
    snprintf(line, sizeof line, "G %s %zu", qf_streams[stream].name, p->len[stream]);
    const char *hex = call(line);
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n && i < p->len[stream]; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        ((unsigned char *) p->dest[stream])[i] = (unsigned char) v;
    }
    return (long) n;
}
