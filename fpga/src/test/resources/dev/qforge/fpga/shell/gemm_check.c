/* Runs GEMMs through the C driver: reads "m k n zp requant", then A, B and bias, and with requant 1
 * also mult[n], shift[n] and "out_zp act_min act_max", from the file argv[1]; writes Y for each to argv[2]. */
#include <stdio.h>
#include <stdlib.h>

#include "qf_shell.h"

qf_platform *fake_platform(void);

static int read_ints(FILE *in, int32_t *x, int count) {
    for (int i = 0; i < count; i++)
        if (fscanf(in, "%d", &x[i]) != 1) return 0;
    return 1;
}

int main(int argc, char **argv) {
    qf_platform *p = fake_platform();
    FILE *in = argc == 3 ? fopen(argv[1], "r") : NULL;
    FILE *out = argc == 3 ? fopen(argv[2], "w") : NULL;
    int m, k, n, zp, requant, rc;
    if (!in || !out) return 2;
    rc = qf_check(p);
    fprintf(out, "check %d\n", rc);
    while (rc == QF_OK && fscanf(in, "%d %d %d %d %d", &m, &k, &n, &zp, &requant) == 5) {
        int32_t *a = malloc(sizeof(int32_t) * (size_t) (m * k)), *b = malloc(sizeof(int32_t) * (size_t) (k * n));
        int32_t *bias = malloc(sizeof(int32_t) * (size_t) n), *mult = malloc(sizeof(int32_t) * (size_t) n);
        int32_t *shift = malloc(sizeof(int32_t) * (size_t) n), clamp[3] = {0};
        int64_t *y = malloc(sizeof(int64_t) * (size_t) (m * n));
        qf_requant rq = {mult, shift, 0, 0, 0};
        if (!read_ints(in, a, m * k) || !read_ints(in, b, k * n) || !read_ints(in, bias, n)) return 2;
        if (requant && (!read_ints(in, mult, n) || !read_ints(in, shift, n) || !read_ints(in, clamp, 3))) return 2;
        rq.out_zp = clamp[0];
        rq.act_min = clamp[1];
        rq.act_max = clamp[2];
        rc = qf_gemm(p, m, k, n, a, b, bias, zp, requant ? &rq : NULL, y);
        fprintf(out, "gemm %d", rc);
        for (int i = 0; i < m * n; i++) fprintf(out, " %lld", (long long) y[i]);
        fprintf(out, "\n");
        free(a); free(b); free(bias); free(mult); free(shift); free(y);
    }
    fclose(out);
    return rc == QF_OK ? 0 : 1;
}
