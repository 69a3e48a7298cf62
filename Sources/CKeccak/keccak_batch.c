// keccak-f[1600] over several states at once (one state per vector lane), for hashing
// independent 64-byte tree nodes together. Written once over a generic vector type and
// compiled three times: AVX-512 with 8 and with 4 lanes (vprolq rotates, vpternlogq for
// χ), and AVX2 with 4 lanes; `tbsim_keccak_batch_width` picks from the CPU at run time.
// The permutation is FIPS 202's: θ, ρ, π, χ, ι written per lane from the standard's
// tables, so it is easy to read against the spec; the tests pin it to the Swift one.
#include "ckeccak.h"

#include <stdlib.h>

#if defined(__x86_64__) && defined(__clang__)

static const uint64_t round_constants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROL(x, n) (((x) << (n)) | ((x) >> (64 - (n))))

// One round: A (25 lanes) → A, via B. The lane at (x, y) is index x + 5y; ρ's offset and
// π's destination for each source lane are written out (FIPS 202 §3.2.2, §3.2.3).
#define ROUND(rc)                                                                              \
    do {                                                                                       \
        V c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20, c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;                      \
        V c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22, c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;                      \
        V c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;                                                      \
        V d0 = c4 ^ ROL(c1, 1), d1 = c0 ^ ROL(c2, 1), d2 = c1 ^ ROL(c3, 1);                    \
        V d3 = c2 ^ ROL(c4, 1), d4 = c3 ^ ROL(c0, 1);                                          \
        V b0 = a0 ^ d0;                                                                        \
        V b10 = ROL(a1 ^ d1, 1), b20 = ROL(a2 ^ d2, 62), b5 = ROL(a3 ^ d3, 28);                \
        V b15 = ROL(a4 ^ d4, 27), b16 = ROL(a5 ^ d0, 36), b1 = ROL(a6 ^ d1, 44);               \
        V b11 = ROL(a7 ^ d2, 6), b21 = ROL(a8 ^ d3, 55), b6 = ROL(a9 ^ d4, 20);                \
        V b7 = ROL(a10 ^ d0, 3), b17 = ROL(a11 ^ d1, 10), b2 = ROL(a12 ^ d2, 43);              \
        V b12 = ROL(a13 ^ d3, 25), b22 = ROL(a14 ^ d4, 39), b23 = ROL(a15 ^ d0, 41);           \
        V b8 = ROL(a16 ^ d1, 45), b18 = ROL(a17 ^ d2, 15), b3 = ROL(a18 ^ d3, 21);             \
        V b13 = ROL(a19 ^ d4, 8), b14 = ROL(a20 ^ d0, 18), b24 = ROL(a21 ^ d1, 2);             \
        V b9 = ROL(a22 ^ d2, 61), b19 = ROL(a23 ^ d3, 56), b4 = ROL(a24 ^ d4, 14);             \
        a0 = b0 ^ (~b1 & b2) ^ (rc); a1 = b1 ^ (~b2 & b3); a2 = b2 ^ (~b3 & b4);               \
        a3 = b3 ^ (~b4 & b0); a4 = b4 ^ (~b0 & b1);                                            \
        a5 = b5 ^ (~b6 & b7); a6 = b6 ^ (~b7 & b8); a7 = b7 ^ (~b8 & b9);                      \
        a8 = b8 ^ (~b9 & b5); a9 = b9 ^ (~b5 & b6);                                            \
        a10 = b10 ^ (~b11 & b12); a11 = b11 ^ (~b12 & b13); a12 = b12 ^ (~b13 & b14);          \
        a13 = b13 ^ (~b14 & b10); a14 = b14 ^ (~b10 & b11);                                    \
        a15 = b15 ^ (~b16 & b17); a16 = b16 ^ (~b17 & b18); a17 = b17 ^ (~b18 & b19);          \
        a18 = b18 ^ (~b19 & b15); a19 = b19 ^ (~b15 & b16);                                    \
        a20 = b20 ^ (~b21 & b22); a21 = b21 ^ (~b22 & b23); a22 = b22 ^ (~b23 & b24);          \
        a23 = b23 ^ (~b24 & b20); a24 = b24 ^ (~b20 & b21);                                    \
    } while (0)

// A function hashing up to W node pairs (n ≤ W) with W-lane vectors of type V.
#define DEFINE_BLOCK(name, W, target_features)                                                 \
    typedef uint64_t name##_v __attribute__((vector_size(8 * (W))));                           \
    __attribute__((target(target_features))) static void name(const uint64_t *in, uint64_t *out, size_t n) { \
        typedef name##_v V;                                                                    \
        V in_lanes[8];                                                                         \
        for (int j = 0; j < 8; j++) {                                                          \
            for (int k = 0; k < (W); k++) in_lanes[j][k] = (size_t)k < n ? in[8 * k + j] : 0;  \
        }                                                                                      \
        V zero = {0};                                                                          \
        V a0 = in_lanes[0], a1 = in_lanes[1], a2 = in_lanes[2], a3 = in_lanes[3];              \
        V a4 = in_lanes[4], a5 = in_lanes[5], a6 = in_lanes[6], a7 = in_lanes[7];              \
        V a8 = zero + 0x01, a9 = zero, a10 = zero, a11 = zero, a12 = zero, a13 = zero;         \
        V a14 = zero, a15 = zero, a16 = zero + 0x8000000000000000ULL, a17 = zero, a18 = zero;  \
        V a19 = zero, a20 = zero, a21 = zero, a22 = zero, a23 = zero, a24 = zero;              \
        for (int r = 0; r < 24; r++) ROUND(round_constants[r]);                                \
        for (int k = 0; (size_t)k < n; k++) {                                                  \
            out[4 * k] = a0[k]; out[4 * k + 1] = a1[k]; out[4 * k + 2] = a2[k]; out[4 * k + 3] = a3[k]; \
        }                                                                                      \
    }

DEFINE_BLOCK(block8_avx512, 8, "avx512f")
DEFINE_BLOCK(block4_avx512, 4, "avx512f,avx512vl")
DEFINE_BLOCK(block4_avx2, 4, "avx2")

// 0 = not decided yet, then 1 + the width.
static int chosen;

int tbsim_keccak_batch_width(void) {
    int c = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (c == 0) {
        // TBSIM_KECCAK_VECTOR=0 keeps to the scalar permutation (for comparing the two;
        // the hashes are the same either way).
        const char *setting = getenv("TBSIM_KECCAK_VECTOR");
        __builtin_cpu_init();
        if (setting && setting[0] == '0') c = 1;
        else if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) c = 9;
        else if (__builtin_cpu_supports("avx2")) c = 5;
        else c = 1;
        __atomic_store_n(&chosen, c, __ATOMIC_RELAXED);
    }
    return c - 1;
}

void tbsim_keccak_node_pairs(const uint64_t *in, uint64_t *out, size_t n) {
    int width = tbsim_keccak_batch_width();
    if (width == 8) {
        while (n >= 5) {
            size_t m = n < 8 ? n : 8;
            block8_avx512(in, out, m);
            in += 8 * m; out += 4 * m; n -= m;
        }
        if (n > 0) block4_avx512(in, out, n);
    } else if (width == 4) {
        while (n > 0) {
            size_t m = n < 4 ? n : 4;
            block4_avx2(in, out, m);
            in += 8 * m; out += 4 * m; n -= m;
        }
    }
}

int tbsim_keccak_node_pairs_variant(int variant, const uint64_t *in, uint64_t *out, size_t n) {
    __builtin_cpu_init();
    int avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
    if (variant == 1 && !__builtin_cpu_supports("avx2")) return 0;
    if ((variant == 2 || variant == 3) && !avx512) return 0;
    if (variant < 1 || variant > 3) return 0;
    size_t width = variant == 3 ? 8 : 4;
    while (n > 0) {
        size_t m = n < width ? n : width;
        if (variant == 1) block4_avx2(in, out, m);
        else if (variant == 2) block4_avx512(in, out, m);
        else block8_avx512(in, out, m);
        in += 8 * m; out += 4 * m; n -= m;
    }
    return 1;
}

#else

int tbsim_keccak_batch_width(void) { return 0; }

int tbsim_keccak_node_pairs_variant(int variant, const uint64_t *in, uint64_t *out, size_t n) {
    (void)variant; (void)in; (void)out; (void)n;
    return 0;
}

void tbsim_keccak_node_pairs(const uint64_t *in, uint64_t *out, size_t n) {
    (void)in; (void)out; (void)n;
}

#endif
