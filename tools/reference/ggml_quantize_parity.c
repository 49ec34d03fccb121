// Writes the golden/ggml-ref.* fixtures of GgmlQuantizerParityTest: 4096 Gaussian values (with
// occasional 4x outliers) and the bytes ggml's reference quantizers make of them. Developer-machine
// tool, not run in CI; needs a llama.cpp checkout built from source (only libggml-base is used):
//   gcc -O2 -I$LLAMA/ggml/include ggml_quantize_parity.c -L$LLAMA/build/bin -lggml-base -lm -o parity
//   LD_LIBRARY_PATH=$LLAMA/build/bin ./parity seriatim-core/src/test/resources/golden
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "ggml.h"

#define N 4096

static void write_file(const char *dir, const char *name, const void *data, size_t size) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size) { perror(path); exit(1); }
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]); return 2; }
    static float x[N];
    unsigned long long s = 12345;
    for (int i = 0; i < N; i += 2) { // Box-Muller on a 64-bit LCG
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u1 = ((s >> 11) + 1.0) / 9007199254740993.0;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u2 = (s >> 11) / 9007199254740992.0;
        double r = sqrt(-2 * log(u1));
        x[i] = (float) (r * cos(2 * M_PI * u2));
        x[i + 1] = (float) (r * sin(2 * M_PI * u2));
        if ((s >> 20) % 50 == 0) x[i] *= 4;
    }
    write_file(argv[1], "ggml-ref.input.f32", x, sizeof x);
    const enum ggml_type types[] = {GGML_TYPE_Q4_0, GGML_TYPE_Q8_0, GGML_TYPE_Q4_1, GGML_TYPE_Q5_0,
                                    GGML_TYPE_Q5_1, GGML_TYPE_Q4_K, GGML_TYPE_Q5_K, GGML_TYPE_Q6_K};
    const char *names[] = {"q4_0", "q8_0", "q4_1", "q5_0", "q5_1", "q4_k", "q5_k", "q6_k"};
    static unsigned char q[N * 2];
    for (int t = 0; t < 8; t++) {
        size_t size = ggml_quantize_chunk(types[t], x, q, 0, N / 1024, 1024, NULL);
        char name[64];
        snprintf(name, sizeof name, "ggml-ref.%s.bin", names[t]);
        write_file(argv[1], name, q, size);
    }
    return 0;
}
