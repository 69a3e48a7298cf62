/*
 * fpvectors.c — independent oracle for SoftFloat's rounding modes and flags.
 * (Excluded from the RISCVTests target in Package.swift: it is a tool, not a test.)
 *
 * Runs each operation on the host's SSE/AVX-512 unit (x86-64: IEEE-754 with
 * tininess detected after rounding, like RISC-V) under RNE/RTZ/RDN/RUP set by
 * fesetround, reads the accrued exceptions with fetestexcept, and prints one
 * vector per line. Where x86 and RISC-V differ by definition, the RISC-V rule
 * is applied here, visibly:
 *   - any NaN result is written as the RISC-V canonical NaN;
 *   - invalid float->integer conversions are written as RISC-V's saturated
 *     values (NaN -> max positive, +big -> max, -big -> min / 0 unsigned)
 *     with only NV raised;
 *   - fma with inf*0 raises NV even when the addend is a quiet NaN.
 *
 * Build and run (once; the output is embedded in SoftFloatVectors.swift).
 * Use -O0: at higher levels GCC hoists the "pure" conversion intrinsics out of
 * their switch arms and across fesetround/feclearexcept, corrupting the flags.
 *   gcc -O0 -mavx512f -mfma -frounding-math -o /tmp/fpvectors fpvectors.c -lm
 *   /tmp/fpvectors > vectors.txt
 *
 * Line format (hex, no 0x): OP RM OPERAND... RESULT FLAGS
 *   RM is the RISC-V rm encoding (0 rne, 1 rtz, 2 rdn, 3 rup); FLAGS is the
 *   RISC-V fflags value (NV 16, DZ 8, OF 4, UF 2, NX 1). Signed integers are
 *   written as their two's-complement bit pattern of the operation's width.
 */
#include <fenv.h>
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t rngState = 0x7B5EED2026ULL;
static uint64_t rnd(void) { /* splitmix64 */
    uint64_t z = (rngState += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static uint64_t below(uint64_t n) { return rnd() % n; }

typedef struct { int frac, exp; } Fmt;
static const Fmt F32 = {23, 8}, F64 = {52, 11};
static uint64_t fracMask(Fmt f) { return (1ULL << f.frac) - 1; }
static int expMax(Fmt f) { return (1 << f.exp) - 1; }
static int bias(Fmt f) { return (1 << (f.exp - 1)) - 1; }
static uint64_t signBit(Fmt f) { return 1ULL << (f.frac + f.exp); }
static uint64_t make(Fmt f, int neg, int64_t e, uint64_t frac) {
    if (e < 0) e = 0;
    if (e > expMax(f)) e = expMax(f);
    return (neg ? signBit(f) : 0) | ((uint64_t)e << f.frac) | (frac & fracMask(f));
}
static int expOf(Fmt f, uint64_t x) { return (int)((x >> f.frac) & expMax(f)); }

/* An operand biased towards the interesting regions. */
static uint64_t gen(Fmt f) {
    int neg = (int)(rnd() & 1);
    uint64_t fr = rnd() & fracMask(f);
    int b = bias(f), m = expMax(f);
    switch (below(11)) {
    case 0: return rnd() & (signBit(f) * 2 - 1);
    case 1: {
        uint64_t sp[] = {0, 1, fracMask(f), fracMask(f) + 1, (uint64_t)b << f.frac,
                         ((uint64_t)m << f.frac) - 1, (uint64_t)m << f.frac,
                         ((uint64_t)m << f.frac) | (1ULL << (f.frac - 1)),
                         ((uint64_t)m << f.frac) | 1, ((uint64_t)(b + f.frac) << f.frac)};
        return (neg ? signBit(f) : 0) | sp[below(10)];
    }
    case 2: return make(f, neg, 0, fr >> below(f.frac));
    case 3: return make(f, neg, 1 + below(4), fr);
    case 4: return make(f, neg, m - 1 - below(4), fr);
    case 5: return make(f, neg, b - 3 + below(7), fr);
    case 6: return make(f, neg, b - 20 + below(41), fr & (fracMask(f) << below(f.frac)));
    case 7: return make(f, neg, b - 20 + below(41), fracMask(f) ^ (rnd() & 7));
    case 8: return make(f, neg, below(m), fr);
    case 9: return make(f, neg, b + below(70), fr);
    default: return make(f, neg, b - 60 + below(120), fr >> below(f.frac));
    }
}

/* ---- host execution helpers ------------------------------------------- */
static __m128d vd(uint64_t x) { return _mm_castsi128_pd(_mm_cvtsi64_si128((long long)x)); }
static __m128 vs(uint64_t x) { return _mm_castsi128_ps(_mm_cvtsi32_si128((int)x)); }
static uint64_t bd(__m128d v) { return (uint64_t)_mm_cvtsi128_si64(_mm_castpd_si128(v)); }
static uint64_t bs(__m128 v) { return (uint32_t)_mm_cvtsi128_si32(_mm_castps_si128(v)); }

static int hostFlags(void) {
    int e = fetestexcept(FE_ALL_EXCEPT), r = 0;
    if (e & FE_INEXACT) r |= 1;
    if (e & FE_UNDERFLOW) r |= 2;
    if (e & FE_OVERFLOW) r |= 4;
    if (e & FE_DIVBYZERO) r |= 8;
    if (e & FE_INVALID) r |= 16;
    return r;
}
static const int modes[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};

static int isNaNBits(Fmt f, uint64_t x) { return (x & (signBit(f) - 1)) > ((uint64_t)expMax(f) << f.frac); }
static int isInfBits(Fmt f, uint64_t x) { return (x & (signBit(f) - 1)) == ((uint64_t)expMax(f) << f.frac); }
static int isZeroBits(Fmt f, uint64_t x) { return (x & (signBit(f) - 1)) == 0; }
static uint64_t canon(Fmt f, uint64_t r) {
    return isNaNBits(f, r) ? (((uint64_t)expMax(f) << f.frac) | (1ULL << (f.frac - 1))) : r;
}

enum { ADD, SUB, MUL, DIV, SQRT, FMA };
static const char *arithName[2][6] = {{"add.s", "sub.s", "mul.s", "div.s", "sqrt.s", "fma.s"},
                                      {"add.d", "sub.d", "mul.d", "div.d", "sqrt.d", "fma.d"}};

static uint64_t runArith(int dbl, int op, uint64_t a, uint64_t b, uint64_t c, int *fl) {
    uint64_t r;
    feclearexcept(FE_ALL_EXCEPT);
    if (dbl) {
        __m128d x = vd(a), y = vd(b), z = vd(c);
        switch (op) {
        case ADD: r = bd(_mm_add_sd(x, y)); break;
        case SUB: r = bd(_mm_sub_sd(x, y)); break;
        case MUL: r = bd(_mm_mul_sd(x, y)); break;
        case DIV: r = bd(_mm_div_sd(x, y)); break;
        case SQRT: r = bd(_mm_sqrt_sd(x, x)); break;
        default: r = bd(_mm_fmadd_sd(x, y, z)); break;
        }
    } else {
        __m128 x = vs(a), y = vs(b), z = vs(c);
        switch (op) {
        case ADD: r = bs(_mm_add_ss(x, y)); break;
        case SUB: r = bs(_mm_sub_ss(x, y)); break;
        case MUL: r = bs(_mm_mul_ss(x, y)); break;
        case DIV: r = bs(_mm_div_ss(x, y)); break;
        case SQRT: r = bs(_mm_sqrt_ss(x)); break;
        default: r = bs(_mm_fmadd_ss(x, y, z)); break;
        }
    }
    *fl = hostFlags();
    return r;
}

/* A second operand chosen to stress the operation. */
static uint64_t partner(Fmt f, int op, uint64_t a) {
    int b = bias(f), ea = expOf(f, a);
    uint64_t fr = rnd() & fracMask(f);
    int neg = (int)(rnd() & 1);
    switch (below(4)) {
    case 0: return gen(f);
    case 1:
        if (op == ADD || op == SUB) /* cancellation: +-a nudged by a few ulps */
            return ((a ^ (op == ADD ? signBit(f) : 0)) + below(5) - 2) & (signBit(f) * 2 - 1);
        if (op == MUL) /* product near the underflow threshold */
            return make(f, neg, b - ea + 1 - (int)below(f.frac + 4), fr);
        if (op == DIV)
            return make(f, neg, ea + b - 1 + (int)below(f.frac + 4), fr);
        return gen(f);
    case 2:
        if (op == ADD || op == SUB) /* exponent gap around p: ties and sticky bits */
            return make(f, neg, ea - f.frac - 3 + (int)below(6), fr & (fracMask(f) << below(f.frac)));
        if (op == MUL) /* product near overflow */
            return make(f, neg, expMax(f) - 2 + b - ea + (int)below(4), fr);
        if (op == DIV)
            return make(f, neg, ea - b - expMax(f) + 3 + (int)below(4), fr);
        return gen(f);
    default: /* sparse significand: exact results and exact halves */
        return make(f, neg, ea - 2 + (int)below(5), fr & (fracMask(f) << (f.frac - below(6))));
    }
}

static void arith(int dbl, int op, int perMode) {
    Fmt f = dbl ? F64 : F32;
    int w = dbl ? 16 : 8;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < perMode; i++) {
            uint64_t a = gen(f), b = 0, c = 0;
            int fl;
            if (op == SQRT) {
                if (below(3) == 0) { /* exact squares */
                    uint64_t s = make(f, 0, bias(f) - 30 + below(60), rnd() & (fracMask(f) << (f.frac / 2 + 1)));
                    fesetround(FE_TONEAREST);
                    a = runArith(dbl, MUL, s, s, 0, &fl);
                }
            } else if (op == FMA) {
                b = gen(f);
                if (below(2) == 0) { /* addend cancelling the product */
                    fesetround(FE_TONEAREST);
                    c = runArith(dbl, MUL, a, b, 0, &fl) ^ signBit(f);
                    c = (c + below(5) - 2) & (signBit(f) * 2 - 1);
                } else if (below(2) == 0) {
                    c = partner(f, ADD, a);
                } else {
                    c = gen(f);
                }
            } else {
                b = partner(f, op, a);
            }
            if ((op == MUL || op == DIV || op == FMA) && below(4) == 0) {
                /* Exact result within a few ulps of the smallest normal (the
                 * tininess-after-rounding boundary) or of the largest finite. */
                uint64_t target = below(2) ? fracMask(f) + 1 : ((uint64_t)expMax(f) << f.frac) - 1;
                uint64_t x = make(f, (int)(rnd() & 1), bias(f) - 8 + below(16), rnd());
                fesetround(modes[below(4)]);
                uint64_t y = runArith(dbl, op == DIV ? MUL : DIV, target, x, 0, &fl);
                fesetround(FE_TONEAREST);
                if (below(2)) y = (y + below(3) - 1) & (signBit(f) * 2 - 1);
                if (op == DIV) { a = y; b = x; } else { a = x; b = y; }
                if (op == FMA) c = below(2) ? (rnd() & fracMask(f) >> below(f.frac)) | (rnd() & signBit(f)) : 0;
            }
            fesetround(modes[m]);
            uint64_t r = runArith(dbl, op, a, b, c, &fl);
            fesetround(FE_TONEAREST);
            if (op == FMA && ((isInfBits(f, a) && isZeroBits(f, b)) || (isZeroBits(f, a) && isInfBits(f, b))))
                fl |= 16;
            r = canon(f, r);
            if (op == SQRT)
                printf("%s %d %0*llx %0*llx %x\n", arithName[dbl][op], m, w, (unsigned long long)a, w, (unsigned long long)r, fl);
            else if (op == FMA)
                printf("%s %d %0*llx %0*llx %0*llx %0*llx %x\n", arithName[dbl][op], m, w, (unsigned long long)a, w,
                       (unsigned long long)b, w, (unsigned long long)c, w, (unsigned long long)r, fl);
            else
                printf("%s %d %0*llx %0*llx %0*llx %x\n", arithName[dbl][op], m, w, (unsigned long long)a, w,
                       (unsigned long long)b, w, (unsigned long long)r, fl);
        }
    }
}

/* ---- float <-> float ---------------------------------------------------- */
static void floatConversions(int perMode) {
    for (int m = 0; m < 4; m++)
        for (int i = 0; i < perMode; i++) {
            uint64_t a = gen(F64);
            /* Land in or near binary32's range about half the time. */
            if (below(2)) a = make(F64, (int)(rnd() & 1), 1023 - 160 + below(300), rnd());
            /* just below binary32's smallest normal / largest finite: tininess
             * after rounding and the overflow threshold */
            if (below(4) == 0) a = (rnd() & (1ULL << 63)) | (below(2) ? 0x380FFFFFE0000000ULL : 0x47EFFFFFE0000000ULL) | (rnd() >> (35 + below(29)));
            fesetround(modes[m]);
            feclearexcept(FE_ALL_EXCEPT);
            uint64_t r = bs(_mm_cvtsd_ss(_mm_setzero_ps(), vd(a)));
            int fl = hostFlags();
            fesetround(FE_TONEAREST);
            printf("cvt.s.d %d %016llx %08llx %x\n", m, (unsigned long long)a, (unsigned long long)canon(F32, r), fl);
        }
    for (int i = 0; i < perMode; i++) {
        uint64_t a = gen(F32);
        feclearexcept(FE_ALL_EXCEPT);
        uint64_t r = bd(_mm_cvtss_sd(_mm_setzero_pd(), vs(a)));
        int fl = hostFlags();
        printf("cvt.d.s 0 %08llx %016llx %x\n", (unsigned long long)a, (unsigned long long)canon(F64, r), fl);
    }
}

/* ---- float -> integer ---------------------------------------------------- */
/* kind: 0 w (i32), 1 wu (u32), 2 l (i64), 3 lu (u64) */
static const char *toIntName[2][4] = {{"cvt.w.s", "cvt.wu.s", "cvt.l.s", "cvt.lu.s"},
                                      {"cvt.w.d", "cvt.wu.d", "cvt.l.d", "cvt.lu.d"}};

static uint64_t floatNearInteger(int dbl, int kind) {
    /* integers around the destination bounds and small values, plus halves */
    static const double bounds[] = {0, 1, 2, 2147483648.0, 4294967296.0, 9223372036854775808.0,
                                    18446744073709551616.0, 16777216.0, 9007199254740992.0};
    double base = bounds[below(9)];
    double x;
    switch (below(4)) {
    case 0: x = base + (double)((int64_t)below(9) - 4); break;
    case 1: x = base + (double)((int64_t)below(9) - 4) + 0.5; break;
    case 2: x = (double)((int64_t)below(64) - 32) / 4.0; break;
    default: x = base * (1.0 + (double)((int64_t)below(9) - 4) * 0x1p-52); break;
    }
    if (rnd() & 1) x = -x;
    if (dbl) { uint64_t b; memcpy(&b, &x, 8); return b; }
    float s = (float)x; /* RNE at generation time; the value is the operand */
    uint32_t b; memcpy(&b, &s, 4); return b;
}

static void toInteger(int dbl, int kind, int perMode) {
    Fmt f = dbl ? F64 : F32;
    int w = dbl ? 16 : 8, ow = (kind < 2) ? 8 : 16;
    for (int m = 0; m < 4; m++)
        for (int i = 0; i < perMode; i++) {
            uint64_t a = (below(2) == 0) ? floatNearInteger(dbl, kind) : gen(f);
            uint64_t r;
            fesetround(modes[m]);
            feclearexcept(FE_ALL_EXCEPT);
            if (dbl) {
                __m128d x = vd(a);
                switch (kind) {
                case 0: r = (uint32_t)_mm_cvtsd_si32(x); break;
                case 1: r = (uint32_t)_mm_cvtsd_u32(x); break;
                case 2: r = (uint64_t)_mm_cvtsd_si64(x); break;
                default: r = (uint64_t)_mm_cvtsd_u64(x); break;
                }
            } else {
                __m128 x = vs(a);
                switch (kind) {
                case 0: r = (uint32_t)_mm_cvtss_si32(x); break;
                case 1: r = (uint32_t)_mm_cvtss_u32(x); break;
                case 2: r = (uint64_t)_mm_cvtss_si64(x); break;
                default: r = (uint64_t)_mm_cvtss_u64(x); break;
                }
            }
            int fl = hostFlags();
            fesetround(FE_TONEAREST);
            if (fl & 16) { /* RISC-V saturation instead of x86's integer indefinite */
                int nan = isNaNBits(f, a), neg = (a & signBit(f)) != 0;
                uint64_t maxv[4] = {0x7fffffffULL, 0xffffffffULL, 0x7fffffffffffffffULL, ~0ULL};
                uint64_t minv[4] = {0x80000000ULL, 0, 0x8000000000000000ULL, 0};
                r = (nan || !neg) ? maxv[kind] : minv[kind];
                fl = 16;
            }
            printf("%s %d %0*llx %0*llx %x\n", toIntName[dbl][kind], m, w, (unsigned long long)a, ow,
                   (unsigned long long)r, fl);
        }
}

/* ---- integer -> float ---------------------------------------------------- */
static const char *fromIntName[2][4] = {{"cvt.s.w", "cvt.s.wu", "cvt.s.l", "cvt.s.lu"},
                                        {"cvt.d.w", "cvt.d.wu", "cvt.d.l", "cvt.d.lu"}};

static void fromInteger(int dbl, int kind, int perMode) {
    int w = dbl ? 16 : 8, iw = (kind < 2) ? 8 : 16;
    for (int m = 0; m < 4; m++)
        for (int i = 0; i < perMode; i++) {
            uint64_t v = rnd() >> below(64);
            if (below(2) == 0) { /* halfway and near-halfway patterns for 24/53-bit significands */
                int k = 1 + (int)below(40);
                v = (v << k) | (1ULL << (k - 1)) | (below(2) ? 0 : below(2));
            }
            if ((kind == 0 || kind == 2) && (rnd() & 1)) v = (uint64_t)(-(int64_t)v);
            if (kind < 2) v &= 0xffffffffULL;
            uint64_t r;
            fesetround(modes[m]);
            feclearexcept(FE_ALL_EXCEPT);
            if (dbl) {
                __m128d z = _mm_setzero_pd();
                switch (kind) {
                case 0: r = bd(_mm_cvtsi32_sd(z, (int32_t)(uint32_t)v)); break;
                case 1: r = bd(_mm_cvtu32_sd(z, (uint32_t)v)); break;
                case 2: r = bd(_mm_cvtsi64_sd(z, (int64_t)v)); break;
                default: r = bd(_mm_cvtu64_sd(z, v)); break;
                }
            } else {
                __m128 z = _mm_setzero_ps();
                switch (kind) {
                case 0: r = bs(_mm_cvtsi32_ss(z, (int32_t)(uint32_t)v)); break;
                case 1: r = bs(_mm_cvtu32_ss(z, (uint32_t)v)); break;
                case 2: r = bs(_mm_cvtsi64_ss(z, (int64_t)v)); break;
                default: r = bs(_mm_cvtu64_ss(z, v)); break;
                }
            }
            int fl = hostFlags();
            fesetround(FE_TONEAREST);
            printf("%s %d %0*llx %0*llx %x\n", fromIntName[dbl][kind], m, iw, (unsigned long long)v, w,
                   (unsigned long long)r, fl);
        }
}

/* ---- comparisons ------------------------------------------------------- */
static void compares(int dbl, int count) {
    Fmt f = dbl ? F64 : F32;
    int w = dbl ? 16 : 8;
    const char *names[3] = {dbl ? "feq.d" : "feq.s", dbl ? "flt.d" : "flt.s", dbl ? "fle.d" : "fle.s"};
    for (int op = 0; op < 3; op++)
        for (int i = 0; i < count; i++) {
            uint64_t a = gen(f), b;
            switch (below(4)) {
            case 0: b = a; break;
            case 1: b = a ^ signBit(f); break;
            case 2: b = (a + below(3) - 1) & (signBit(f) * 2 - 1); break;
            default: b = gen(f); break;
            }
            feclearexcept(FE_ALL_EXCEPT);
            if (dbl) {
                if (op == 0) (void)_mm_ucomieq_sd(vd(a), vd(b));
                else if (op == 1) (void)_mm_comilt_sd(vd(a), vd(b));
                else (void)_mm_comile_sd(vd(a), vd(b));
            } else {
                if (op == 0) (void)_mm_ucomieq_ss(vs(a), vs(b));
                else if (op == 1) (void)_mm_comilt_ss(vs(a), vs(b));
                else (void)_mm_comile_ss(vs(a), vs(b));
            }
            int fl = hostFlags();
            int res;
            /* the boolean from C's quiet predicates (flags already captured) */
            if (dbl) {
                double x, y; memcpy(&x, &a, 8); memcpy(&y, &b, 8);
                res = op == 0 ? (!isunordered(x, y) && x == y) : op == 1 ? isless(x, y) : islessequal(x, y);
            } else {
                float x, y; uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b;
                memcpy(&x, &a32, 4); memcpy(&y, &b32, 4);
                res = op == 0 ? (!isunordered(x, y) && x == y) : op == 1 ? isless(x, y) : islessequal(x, y);
            }
            printf("%s 0 %0*llx %0*llx %x %x\n", names[op], w, (unsigned long long)a, w, (unsigned long long)b, res, fl);
        }
}

int main(void) {
    for (int dbl = 0; dbl < 2; dbl++)
        for (int op = ADD; op <= FMA; op++) arith(dbl, op, 220);
    floatConversions(200);
    for (int dbl = 0; dbl < 2; dbl++)
        for (int k = 0; k < 4; k++) toInteger(dbl, k, 60);
    for (int dbl = 0; dbl < 2; dbl++)
        for (int k = 0; k < 4; k++) fromInteger(dbl, k, 40);
    for (int dbl = 0; dbl < 2; dbl++) compares(dbl, 120);
    return 0;
}
