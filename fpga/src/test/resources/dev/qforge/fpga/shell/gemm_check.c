/* Runs GEMMs through the C driver: reads "m k n zp", then A, B and bias, from the file argv[1];
 * writes Y for each to argv[2]. */
#include <stdio.h>
#include <stdlib.h>

#include "qf_shell.h"

qf_platform *fake_platform(void);

int main(int argc, char **argv) {
    qf_platform *p = fake_platform();
    FILE *in = fopen(argv[1], "r");
    FILE *out = fopen(argv[2], "w");
    int m, k, n, zp, rc = qf_check(p);
    if (argc != 3 || !in || !out) return 2;
    fprintf(out, "check %d\n", rc);
    while (rc == QF_OK && fscanf(in, "%d %d %d %d", &m, &k, &n, &zp) == 4) {
        int32_t *a = malloc(sizeof(int32_t) * (size_t) (m * k)), *b = malloc(sizeof(int32_t) * (size_t) (k * n));
        int32_t *bias = malloc(sizeof(int32_t) * (size_t) n);
        int64_t *y = malloc(sizeof(int64_t) * (size_t) (m * n));
        for (int i = 0; i < m * k; i++) fscanf(in, "%d", &a[i]);
        for (int i = 0; i < k * n; i++) fscanf(in, "%d", &b[i]);
        for (int i = 0; i < n; i++) fscanf(in, "%d", &bias[i]);
        rc = qf_gemm(p, m, k, n, a, b, bias, zp, y);
        fprintf(out, "gemm %d", rc);
        for (int i = 0; i < m * n; i++) fprintf(out, " %lld", (long long) y[i]);
        fprintf(out, "\n");
        free(a); free(b); free(bias); free(y);
    }
    fclose(out);
    return rc == QF_OK ? 0 : 1;
}
