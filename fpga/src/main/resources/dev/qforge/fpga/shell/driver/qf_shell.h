/* qforge AXI shell driver (C): checks the design, resets, runs transfers, reads counters.
 * Build: cc -I. qf_shell.c qf_uio.c your_program.c (regmap.h and qf_design.h come with the design). */
#ifndef QF_SHELL_H
#define QF_SHELL_H

#include <stddef.h>
#include <stdint.h>

#include "qf_platform.h"

/* A beat field: bits, two's complement when is_signed; the first field in the lowest TDATA bits. */
typedef struct { const char *port; int bits; int is_signed; } qf_field;
/* beats_offset: an output stream's M_AXIS_<S>_BEATS register (0 for inputs) */
typedef struct { const char *name; const char *bus; int input; int bytes; int nfields; const qf_field *fields; uint32_t beats_offset; } qf_stream;

enum { QF_OK = 0, QF_ERR_ID = -1, QF_ERR_VERSION = -2, QF_ERR_DESIGN = -3, QF_ERR_RANGE = -4, QF_ERR_DMA = -5 };

/* 0 when the shell's constant registers (ID, VERSION major, DESIGN_ID, parameters) match this folder's design. */
int qf_check(qf_platform *p);
void qf_soft_reset(qf_platform *p);
/* Packs beats*nfields values (beat-major) into TDATA bytes; QF_ERR_RANGE when a value does not fit its field. */
int qf_pack(const qf_stream *s, const int64_t *values, size_t beats, uint8_t *out);
void qf_unpack(const qf_stream *s, const uint8_t *in, size_t beats, int64_t *values);
/* Sends every input stream's beats (values beat-major, NULL for none) and receives out_beats beats of
 * output stream `out` as one result transaction; out_values gets beats*nfields values. */
int qf_transfer(qf_platform *p, const int64_t *const *in_values, const size_t *in_beats, int out, size_t out_beats, int64_t *out_values);
/* An engine's requantization: per output column mult[n] and shift[n]; out_zp, act_min, act_max for the step. */
typedef struct { const int32_t *mult; const int32_t *shift; int32_t out_zp, act_min, act_max; } qf_requant;
/* A GEMM step on a GEMM engine design: Y[m][n] = sum_k (A[m][k] - zp) B[k][n] (+ bias[n]), requantized by rq
 * on an engine with requant (rq is then required: QF_ERR_RANGE without it; ignored on other engines).
 * zp is used where the engine has a zero point; bias may be NULL (zeros). */
int qf_gemm(qf_platform *p, int m, int k, int n, const int32_t *a, const int32_t *b, const int32_t *bias, int32_t zp, const qf_requant *rq,
            int64_t *y);

#endif
