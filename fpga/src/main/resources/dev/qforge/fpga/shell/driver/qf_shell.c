/* qforge AXI shell driver (C). See qf_shell.h. */
#include <stdlib.h>
#include <string.h>

#include "qf_shell.h"
#include "regmap.h"
#include "qf_design.h"

int qf_check(qf_platform *p) {
    if (qf_platform_read32(p, QF_ID_OFFSET) != QF_ID_VALUE) return QF_ERR_ID;
    if ((qf_platform_read32(p, QF_VERSION_OFFSET) >> 16) != (QF_VERSION_VALUE >> 16)) return QF_ERR_VERSION;
    if (qf_platform_read32(p, QF_DESIGN_ID_OFFSET) != QF_DESIGN_ID_VALUE) return QF_ERR_DESIGN;
    return QF_OK;
}

void qf_soft_reset(qf_platform *p) {
    qf_platform_write32(p, QF_CONTROL_OFFSET, QF_CONTROL_SOFT_RESET_MASK);
}

int qf_pack(const qf_stream *s, const int64_t *values, size_t beats, uint8_t *out) {
    memset(out, 0, beats * (size_t) s->bytes);
    for (size_t b = 0; b < beats; b++) {
        int at = 0;
        for (int f = 0; f < s->nfields; f++) {
            int bits = s->fields[f].bits;
            int64_t v = values[b * (size_t) s->nfields + (size_t) f];
            int64_t lo = s->fields[f].is_signed ? -((int64_t) 1 << (bits - 1)) : 0;
            int64_t hi = s->fields[f].is_signed ? ((int64_t) 1 << (bits - 1)) - 1 : (bits >= 63 ? INT64_MAX : ((int64_t) 1 << bits) - 1);
            if (v < lo || v > hi) return QF_ERR_RANGE;
            for (int i = 0; i < bits; i++, at++) {
                if (((uint64_t) v >> i) & 1u) out[b * (size_t) s->bytes + (size_t) (at / 8)] |= (uint8_t) (1u << (at % 8));
            }
        }
    }
    return QF_OK;
}

void qf_unpack(const qf_stream *s, const uint8_t *in, size_t beats, int64_t *values) {
    for (size_t b = 0; b < beats; b++) {
        int at = 0;
        for (int f = 0; f < s->nfields; f++) {
            int bits = s->fields[f].bits;
            uint64_t v = 0;
            for (int i = 0; i < bits; i++, at++) {
                v |= (uint64_t) ((in[b * (size_t) s->bytes + (size_t) (at / 8)] >> (at % 8)) & 1u) << i;
            }
            if (s->fields[f].is_signed && bits < 64 && ((v >> (bits - 1)) & 1u)) v |= ~(uint64_t) 0 << bits;
            values[b * (size_t) s->nfields + (size_t) f] = (int64_t) v;
        }
    }
}

int qf_transfer(qf_platform *p, const int64_t *const *in_values, const size_t *in_beats, int out, size_t out_beats, int64_t *out_values) {
    const qf_stream *o = &qf_streams[out];
    uint8_t *rx = calloc(out_beats, (size_t) o->bytes);
    uint8_t *tx[QF_STREAM_COUNT] = {0};
    int rc = QF_OK;
    if (!rx) return QF_ERR_DMA;
    qf_platform_write32(p, o->beats_offset, (uint32_t) out_beats);
    qf_platform_write32(p, QF_INTR_STATUS_OFFSET, QF_INTR_STATUS_DONE_MASK);
    if (qf_platform_recv(p, out, rx, out_beats * (size_t) o->bytes) != 0) rc = QF_ERR_DMA;
    for (int s = 0; rc == QF_OK && s < QF_STREAM_COUNT; s++) {
        if (!qf_streams[s].input || !in_values[s] || in_beats[s] == 0) continue;
        tx[s] = malloc(in_beats[s] * (size_t) qf_streams[s].bytes);
        if (!tx[s]) { rc = QF_ERR_DMA; break; }
        rc = qf_pack(&qf_streams[s], in_values[s], in_beats[s], tx[s]);
        if (rc == QF_OK && qf_platform_send(p, s, tx[s], in_beats[s] * (size_t) qf_streams[s].bytes) != 0) rc = QF_ERR_DMA;
    }
    for (int s = 0; s < QF_STREAM_COUNT; s++) {
        if (tx[s]) {
            if (rc == QF_OK && qf_platform_wait(p, s) < 0) rc = QF_ERR_DMA;
            free(tx[s]);
        }
    }
    if (rc == QF_OK) {
        if (qf_platform_wait(p, out) != (long) (out_beats * (size_t) o->bytes)) rc = QF_ERR_DMA;
        else qf_unpack(o, rx, out_beats, out_values);
    }
    free(rx);
    return rc;
}

#ifdef QF_STREAM_WGT
static int64_t at(const int32_t *x, int rows, int cols, int r, int c) {
    return r < rows && c < cols ? x[r * cols + c] : 0;
}

/* The config beat's field named port (cfg_m, cfg_k, cfg_n, cfg_zp, cfg_out_zp, cfg_act_min, cfg_act_max). */
static int64_t cfg_field(const char *port, int m, int k, int n, int32_t zp, const qf_requant *rq) {
    if (strcmp(port, "cfg_m") == 0) return m;
    if (strcmp(port, "cfg_k") == 0) return k;
    if (strcmp(port, "cfg_n") == 0) return n;
    if (strcmp(port, "cfg_zp") == 0) return zp;
    if (strcmp(port, "cfg_out_zp") == 0) return rq->out_zp;
    if (strcmp(port, "cfg_act_min") == 0) return rq->act_min;
    if (strcmp(port, "cfg_act_max") == 0) return rq->act_max;
    return 0;
}

int qf_gemm(qf_platform *p, int m, int k, int n, const int32_t *a, const int32_t *b, const int32_t *bias, int32_t zp, const qf_requant *rq,
            int64_t *y) {
    const int R = atoi(QF_PARAM_ROWS), C = atoi(QF_PARAM_COLS);
    const int ws = strcmp(QF_PARAM_DATAFLOW, "ws") == 0;
    const int folds = (n + C - 1) / C;
    size_t beats[QF_STREAM_COUNT] = {0};
    const int64_t *values[QF_STREAM_COUNT] = {0};
    const qf_stream *cs = &qf_streams[QF_STREAM_CFG];
    int64_t cfg[8] = {0};
    size_t wn = 0, an = 0;
    int64_t *wgt = malloc(sizeof(int64_t) * (size_t) (folds * k * C * (ws ? 1 : (m + R - 1) / R)));
    int64_t *act = malloc(sizeof(int64_t) * (size_t) (folds * R * (ws ? m * ((k + R - 1) / R) : k * ((m + R - 1) / R))));
    int64_t *out = malloc(sizeof(int64_t) * (size_t) (folds * m * C));
    int rc = QF_OK;
#ifdef QF_STREAM_QUANT
    /* per fold: C biases, C multipliers, C shifts (unused columns 0) */
    int64_t *qs = malloc(sizeof(int64_t) * (size_t) (folds * 3 * C));
    if (!rq) rc = QF_ERR_RANGE;
    for (int f = 0; rc == QF_OK && qs && f < folds; f++)
        for (int c = 0; c < C; c++) {
            int col = f * C + c;
            qs[(f * 3 + 0) * C + c] = bias && col < n ? bias[col] : 0;
            qs[(f * 3 + 1) * C + c] = col < n ? rq->mult[col] : 0;
            qs[(f * 3 + 2) * C + c] = col < n ? rq->shift[col] : 0;
        }
    values[QF_STREAM_QUANT] = qs;
    beats[QF_STREAM_QUANT] = (size_t) folds;
    if (!qs) rc = QF_ERR_DMA;
#endif
    for (int f = 0; rc == QF_OK && f < cs->nfields; f++) cfg[f] = cfg_field(cs->fields[f].port, m, k, n, zp, rq);
#ifdef QF_STREAM_BIAS
    int64_t *bs = malloc(sizeof(int64_t) * (size_t) (folds * C));
    for (int f = 0; bs && f < folds; f++)
        for (int c = 0; c < C; c++) bs[f * C + c] = bias && f * C + c < n ? bias[f * C + c] : 0;
    values[QF_STREAM_BIAS] = bs;
    beats[QF_STREAM_BIAS] = (size_t) folds;
#else
    (void) bias;
#endif
    for (int n0 = 0; n0 < n; n0 += C) {
        if (ws) {
            for (int k0 = 0; k0 < k; k0 += R) {
                for (int kk = k0; kk < k && kk < k0 + R; kk++)
                    for (int c = 0; c < C; c++) wgt[wn++] = at(b, k, n, kk, n0 + c);
                for (int mm = 0; mm < m; mm++)
                    for (int r = 0; r < R; r++) act[an++] = at(a, m, k, mm, k0 + r);
            }
        } else {
            for (int m0 = 0; m0 < m; m0 += R)
                for (int kk = 0; kk < k; kk++) {
                    for (int c = 0; c < C; c++) wgt[wn++] = at(b, k, n, kk, n0 + c);
                    for (int r = 0; r < R; r++) act[an++] = at(a, m, k, m0 + r, kk);
                }
        }
    }
    values[QF_STREAM_CFG] = cfg;
    beats[QF_STREAM_CFG] = 1;
    values[QF_STREAM_WGT] = wgt;
    beats[QF_STREAM_WGT] = wn / (size_t) C;
    values[QF_STREAM_ACT] = act;
    beats[QF_STREAM_ACT] = an / (size_t) R;
    if (rc == QF_OK && (!wgt || !act || !out)) rc = QF_ERR_DMA;
    if (rc == QF_OK) rc = qf_transfer(p, values, beats, QF_STREAM_OUT, (size_t) (folds * m), out);
    for (int i = 0; rc == QF_OK && i < folds * m; i++) {
        int n0 = (i / m) * C, mm = i % m;
        for (int c = 0; c < C && n0 + c < n; c++) y[mm * n + n0 + c] = out[i * C + c];
    }
#ifdef QF_STREAM_BIAS
    free(bs);
#endif
#ifdef QF_STREAM_QUANT
    free(qs);
#endif
    free(wgt);
    free(act);
    free(out);
    return rc;
}
#endif
