/* F and D extensions without libm: every arithmetic, fused, min/max, compare, classify,
 * sign-injection and conversion instruction over special and ordinary operands, under all
 * five rounding modes where rounding matters, with fflags after each operation; then
 * static rounding modes, NaN-boxing, fcsr fields, a reserved frm and mstatus.FS.
 * Line format (checked by guests/check/fp-verify.py): OP RM a=.. [b=..] [c=..] -> RESULT fflags=..
 * Single-precision values are printed as 8 hex digits, doubles and integers as 16. */
#include "runtime.h"

enum kind { FD, FS, ID };   /* operand/result kinds: double bits, single bits, integer */

#define FP_OP_RR(fn, insn, mvin, mvout)                                                   \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                              \
        uint64_t r; (void)c;                                                              \
        __asm__ volatile(mvin " ft0, %1\n\t" mvin " ft1, %2\n\t" insn " ft2, ft0, ft1\n\t" \
                         mvout " %0, ft2" : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1", "ft2"); \
        return r;                                                                         \
    }
#define FP_OP_R(fn, insn, mvin, mvout)                                                    \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                              \
        uint64_t r; (void)b; (void)c;                                                     \
        __asm__ volatile(mvin " ft0, %1\n\t" insn " ft2, ft0\n\t" mvout " %0, ft2"         \
                         : "=r"(r) : "r"(a) : "ft0", "ft2");                              \
        return r;                                                                         \
    }
#define FP_OP_RRR(fn, insn, mvin, mvout)                                                  \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                              \
        uint64_t r;                                                                       \
        __asm__ volatile(mvin " ft0, %1\n\t" mvin " ft1, %2\n\t" mvin " ft3, %3\n\t"        \
                         insn " ft2, ft0, ft1, ft3\n\t" mvout " %0, ft2"                  \
                         : "=r"(r) : "r"(a), "r"(b), "r"(c) : "ft0", "ft1", "ft2", "ft3"); \
        return r;                                                                         \
    }
/* Result in an integer register (compares, fclass, fp->int conversions). */
#define FP_OP_RR_X(fn, insn, mvin)                                                        \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                              \
        uint64_t r; (void)c;                                                              \
        __asm__ volatile(mvin " ft0, %1\n\t" mvin " ft1, %2\n\t" insn " %0, ft0, ft1"      \
                         : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1");                      \
        return r;                                                                         \
    }
#define FP_OP_R_X(fn, insn, mvin)                                                         \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                              \
        uint64_t r; (void)b; (void)c;                                                     \
        __asm__ volatile(mvin " ft0, %1\n\t" insn " %0, ft0" : "=r"(r) : "r"(a) : "ft0");  \
        return r;                                                                         \
    }
/* Integer operand, FP result (int->fp conversions). */
#define FP_OP_X_R(fn, insn, mvout)                                                        \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                              \
        uint64_t r; (void)b; (void)c;                                                     \
        __asm__ volatile(insn " ft2, %1\n\t" mvout " %0, ft2" : "=r"(r) : "r"(a) : "ft2");  \
        return r;                                                                         \
    }

#define D_IN "fmv.d.x"
#define D_OUT "fmv.x.d"
#define S_IN "fmv.w.x"
#define S_OUT "fmv.x.w"

FP_OP_RR(fadd_d, "fadd.d", D_IN, D_OUT)  FP_OP_RR(fsub_d, "fsub.d", D_IN, D_OUT)
FP_OP_RR(fmul_d, "fmul.d", D_IN, D_OUT)  FP_OP_RR(fdiv_d, "fdiv.d", D_IN, D_OUT)
FP_OP_RR(fmin_d, "fmin.d", D_IN, D_OUT)  FP_OP_RR(fmax_d, "fmax.d", D_IN, D_OUT)
FP_OP_RR(fsgnj_d, "fsgnj.d", D_IN, D_OUT) FP_OP_RR(fsgnjn_d, "fsgnjn.d", D_IN, D_OUT)
FP_OP_RR(fsgnjx_d, "fsgnjx.d", D_IN, D_OUT)
FP_OP_R(fsqrt_d, "fsqrt.d", D_IN, D_OUT)
FP_OP_RRR(fmadd_d, "fmadd.d", D_IN, D_OUT)   FP_OP_RRR(fmsub_d, "fmsub.d", D_IN, D_OUT)
FP_OP_RRR(fnmadd_d, "fnmadd.d", D_IN, D_OUT) FP_OP_RRR(fnmsub_d, "fnmsub.d", D_IN, D_OUT)
FP_OP_RR_X(feq_d, "feq.d", D_IN) FP_OP_RR_X(flt_d, "flt.d", D_IN) FP_OP_RR_X(fle_d, "fle.d", D_IN)
FP_OP_R_X(fclass_d, "fclass.d", D_IN)
FP_OP_R_X(fcvt_w_d, "fcvt.w.d", D_IN)   FP_OP_R_X(fcvt_wu_d, "fcvt.wu.d", D_IN)
FP_OP_R_X(fcvt_l_d, "fcvt.l.d", D_IN)   FP_OP_R_X(fcvt_lu_d, "fcvt.lu.d", D_IN)
FP_OP_X_R(fcvt_d_w, "fcvt.d.w", D_OUT)  FP_OP_X_R(fcvt_d_wu, "fcvt.d.wu", D_OUT)
FP_OP_X_R(fcvt_d_l, "fcvt.d.l", D_OUT)  FP_OP_X_R(fcvt_d_lu, "fcvt.d.lu", D_OUT)
FP_OP_R(fcvt_s_d, "fcvt.s.d", D_IN, S_OUT)
FP_OP_R(fcvt_d_s, "fcvt.d.s", S_IN, D_OUT)

FP_OP_RR(fadd_s, "fadd.s", S_IN, S_OUT)  FP_OP_RR(fsub_s, "fsub.s", S_IN, S_OUT)
FP_OP_RR(fmul_s, "fmul.s", S_IN, S_OUT)  FP_OP_RR(fdiv_s, "fdiv.s", S_IN, S_OUT)
FP_OP_RR(fmin_s, "fmin.s", S_IN, S_OUT)  FP_OP_RR(fmax_s, "fmax.s", S_IN, S_OUT)
FP_OP_RR(fsgnj_s, "fsgnj.s", S_IN, S_OUT) FP_OP_RR(fsgnjn_s, "fsgnjn.s", S_IN, S_OUT)
FP_OP_RR(fsgnjx_s, "fsgnjx.s", S_IN, S_OUT)
FP_OP_R(fsqrt_s, "fsqrt.s", S_IN, S_OUT)
FP_OP_RRR(fmadd_s, "fmadd.s", S_IN, S_OUT)   FP_OP_RRR(fmsub_s, "fmsub.s", S_IN, S_OUT)
FP_OP_RRR(fnmadd_s, "fnmadd.s", S_IN, S_OUT) FP_OP_RRR(fnmsub_s, "fnmsub.s", S_IN, S_OUT)
FP_OP_RR_X(feq_s, "feq.s", S_IN) FP_OP_RR_X(flt_s, "flt.s", S_IN) FP_OP_RR_X(fle_s, "fle.s", S_IN)
FP_OP_R_X(fclass_s, "fclass.s", S_IN)
FP_OP_R_X(fcvt_w_s, "fcvt.w.s", S_IN)   FP_OP_R_X(fcvt_wu_s, "fcvt.wu.s", S_IN)
FP_OP_R_X(fcvt_l_s, "fcvt.l.s", S_IN)   FP_OP_R_X(fcvt_lu_s, "fcvt.lu.s", S_IN)
FP_OP_X_R(fcvt_s_w, "fcvt.s.w", S_OUT)  FP_OP_X_R(fcvt_s_wu, "fcvt.s.wu", S_OUT)
FP_OP_X_R(fcvt_s_l, "fcvt.s.l", S_OUT)  FP_OP_X_R(fcvt_s_lu, "fcvt.s.lu", S_OUT)

typedef uint64_t (*op_fn)(uint64_t, uint64_t, uint64_t);
struct op { const char *name; op_fn fn; uint8_t nargs, in, out; };

static const char *const rm_names[5] = {"rne", "rtz", "rdn", "rup", "rmm"};

static void put_val(uint64_t v, int kind) {
    if (kind == FS) rt_put_hex(v & 0xffffffffu, 8);
    else rt_put_hex(v, 16);
}

static void run(const struct op *op, int rm, uint64_t a, uint64_t b, uint64_t c) {
    uint64_t flags, r;
    __asm__ volatile("fsrm %0\n\tfsflags x0" :: "r"((uint64_t)rm));
    r = op->fn(a, b, c);
    __asm__ volatile("frflags %0" : "=r"(flags));
    rt_printf("%s %s a=", op->name, rm_names[rm]);
    put_val(a, op->in);
    if (op->nargs > 1) { rt_puts(" b="); put_val(b, op->in); }
    if (op->nargs > 2) { rt_puts(" c="); put_val(c, op->in); }
    rt_puts(" -> ");
    put_val(r, op->out);
    rt_printf(" fflags=%02lx\n", flags);
}

#define OP(fn, n, in, out) { #fn, fn, n, in, out }

/* Doubles. */
#define D_ONE    0x3ff0000000000000ULL
#define D_TWO    0x4000000000000000ULL
#define D_THREE  0x4008000000000000ULL
#define D_PZ     0x0000000000000000ULL
#define D_NZ     0x8000000000000000ULL
#define D_PINF   0x7ff0000000000000ULL
#define D_NINF   0xfff0000000000000ULL
#define D_QNAN   0x7ff8000000000000ULL
#define D_SNAN   0x7ff0000000000001ULL
#define D_NQNANP 0xfff8000000000123ULL   /* negative quiet NaN with payload */
#define D_MAX    0x7fefffffffffffffULL
#define D_MINN   0x0010000000000000ULL
#define D_SUB    0x0000000000000001ULL
#define D_NSUB   0x800fffffffffffffULL
#define D_0_1    0x3fb999999999999aULL
#define D_0_2    0x3fc999999999999aULL
#define D_1P     0x3ff0000000000001ULL   /* 1 + 2^-52 */
#define D_1M     0x3fefffffffffffffULL   /* 1 - 2^-53 */
#define D_HULP   0x3ca0000000000000ULL   /* 2^-53 */
#define D_M1     0xbff0000000000000ULL
#define D_2_5    0x4004000000000000ULL
#define D_M2_5   0xc004000000000000ULL
#define D_3_7    0x400d99999999999aULL
#define D_M0_5   0xbfe0000000000000ULL
#define D_0_5    0x3fe0000000000000ULL
#define D_1E10   0x4202a05f20000000ULL
#define D_M1E10  0xc202a05f20000000ULL
#define D_2P31   0x41e0000000000000ULL
#define D_2P32   0x41f0000000000000ULL
#define D_2P63   0x43e0000000000000ULL
#define D_M2P63  0xc3e0000000000000ULL
#define D_2P64   0x43f0000000000000ULL
#define D_FOUR   0x4010000000000000ULL

/* Singles. */
#define S_ONE   0x3f800000u
#define S_TWO   0x40000000u
#define S_THREE 0x40400000u
#define S_PZ    0x00000000u
#define S_NZ    0x80000000u
#define S_PINF  0x7f800000u
#define S_NINF  0xff800000u
#define S_QNAN  0x7fc00000u
#define S_SNAN  0x7f800001u
#define S_NQNANP 0xffc00123u
#define S_MAX   0x7f7fffffu
#define S_MINN  0x00800000u
#define S_SUB   0x00000001u
#define S_NSUB  0x807fffffu
#define S_0_1   0x3dcccccdu
#define S_1P    0x3f800001u
#define S_HULP  0x33800000u   /* 2^-24 */
#define S_M1    0xbf800000u
#define S_2_5   0x40200000u
#define S_M2_5  0xc0200000u
#define S_M0_5  0xbf000000u
#define S_1E10  0x501502f9u
#define S_2P31  0x4f000000u
#define S_2P63  0x5f000000u
#define S_FOUR  0x40800000u

static const uint64_t d_vals[] = {
    D_ONE, D_M1, D_THREE, D_PZ, D_NZ, D_PINF, D_NINF, D_QNAN, D_SNAN, D_NQNANP, D_MAX, D_MINN,
    D_SUB, D_NSUB, D_0_1, D_1P,
};
static const uint64_t s_vals[] = {
    S_ONE, S_M1, S_THREE, S_PZ, S_NZ, S_PINF, S_NINF, S_QNAN, S_SNAN, S_NQNANP, S_MAX, S_MINN,
    S_SUB, S_NSUB, S_0_1, S_1P,
};
#define NVALS (sizeof d_vals / sizeof d_vals[0])

static const uint64_t d_pairs[][2] = {
    {D_ONE, D_THREE}, {D_0_1, D_0_2}, {D_MAX, D_TWO}, {D_MINN, D_THREE}, {D_SUB, D_M1},
    {D_ONE, D_PZ}, {D_PZ, D_PZ}, {D_PINF, D_PINF}, {D_PINF, D_NINF}, {D_PZ, D_PINF}, {D_ONE, D_HULP},
    {D_1P, D_HULP}, {D_ONE, D_M1}, {D_NZ, D_NZ}, {D_QNAN, D_ONE}, {D_SNAN, D_ONE}, {D_NZ, D_PZ},
    {D_NQNANP, D_SNAN},
};
static const uint64_t s_pairs[][2] = {
    {S_ONE, S_THREE}, {S_0_1, S_THREE}, {S_MAX, S_TWO}, {S_MINN, S_THREE}, {S_SUB, S_M1},
    {S_ONE, S_PZ}, {S_PZ, S_PZ}, {S_PINF, S_PINF}, {S_PINF, S_NINF}, {S_PZ, S_PINF}, {S_ONE, S_HULP},
    {S_1P, S_HULP}, {S_ONE, S_M1}, {S_NZ, S_NZ}, {S_QNAN, S_ONE}, {S_SNAN, S_ONE}, {S_NZ, S_PZ},
    {S_NQNANP, S_SNAN},
};
#define NPAIRS (sizeof d_pairs / sizeof d_pairs[0])

static const uint64_t d_triples[][3] = {
    {D_1P, D_1M, D_M1}, {D_0_1, D_THREE, D_0_2}, {D_PINF, D_PZ, D_QNAN}, {D_PINF, D_ONE, D_NINF},
    {D_ONE, D_ONE, D_M1}, {D_MAX, D_TWO, D_NINF}, {D_MINN, D_0_1, D_PZ}, {D_SNAN, D_ONE, D_ONE},
    {D_PZ, D_M1, D_PZ},
};
static const uint64_t s_triples[][3] = {
    {S_1P, S_1P, S_M1}, {S_0_1, S_THREE, S_ONE}, {S_PINF, S_PZ, S_QNAN}, {S_PINF, S_ONE, S_NINF},
    {S_ONE, S_ONE, S_M1}, {S_MAX, S_TWO, S_NINF}, {S_MINN, S_0_1, S_PZ}, {S_SNAN, S_ONE, S_ONE},
    {S_PZ, S_M1, S_PZ},
};
#define NTRIPLES (sizeof d_triples / sizeof d_triples[0])

/* Values for fp->int conversions, tried under all rounding modes. */
static const uint64_t d_cvt[] = {
    D_2_5, D_M2_5, D_3_7, D_M0_5, D_0_5, D_1E10, D_M1E10, D_2P31, D_2P32, D_2P63, D_M2P63, D_2P64,
    D_QNAN, D_NINF, D_PINF, D_NZ,
};
static const uint64_t s_cvt[] = {
    S_2_5, S_M2_5, S_0_1, S_M0_5, S_ONE, S_1E10, S_M1, S_2P31, S_2P63, S_QNAN, S_NINF, S_PINF,
};
/* Integers for int->fp conversions. */
static const uint64_t ints[] = {
    0, 1, 0xffffffffffffffffULL, 16777217, 0x7fffffff, 0x80000000ULL, 0xffffffff80000000ULL,
    0x7fffffffffffffffULL, 0x8000000000000000ULL, 0x20000000000001ULL, 0x123456789abcdefULL,
};

static const struct op d_arith[] = { OP(fadd_d, 2, FD, FD), OP(fsub_d, 2, FD, FD), OP(fmul_d, 2, FD, FD), OP(fdiv_d, 2, FD, FD) };
static const struct op s_arith[] = { OP(fadd_s, 2, FS, FS), OP(fsub_s, 2, FS, FS), OP(fmul_s, 2, FS, FS), OP(fdiv_s, 2, FS, FS) };
static const struct op d_cmp[] = {
    OP(fmin_d, 2, FD, FD), OP(fmax_d, 2, FD, FD), OP(feq_d, 2, FD, ID), OP(flt_d, 2, FD, ID),
    OP(fle_d, 2, FD, ID), OP(fsgnj_d, 2, FD, FD), OP(fsgnjn_d, 2, FD, FD), OP(fsgnjx_d, 2, FD, FD),
};
static const struct op s_cmp[] = {
    OP(fmin_s, 2, FS, FS), OP(fmax_s, 2, FS, FS), OP(feq_s, 2, FS, ID), OP(flt_s, 2, FS, ID),
    OP(fle_s, 2, FS, ID), OP(fsgnj_s, 2, FS, FS), OP(fsgnjn_s, 2, FS, FS), OP(fsgnjx_s, 2, FS, FS),
};
static const struct op d_fma[] = { OP(fmadd_d, 3, FD, FD), OP(fmsub_d, 3, FD, FD), OP(fnmadd_d, 3, FD, FD), OP(fnmsub_d, 3, FD, FD) };
static const struct op s_fma[] = { OP(fmadd_s, 3, FS, FS), OP(fmsub_s, 3, FS, FS), OP(fnmadd_s, 3, FS, FS), OP(fnmsub_s, 3, FS, FS) };
static const struct op d_toint[] = { OP(fcvt_w_d, 1, FD, ID), OP(fcvt_wu_d, 1, FD, ID), OP(fcvt_l_d, 1, FD, ID), OP(fcvt_lu_d, 1, FD, ID) };
static const struct op s_toint[] = { OP(fcvt_w_s, 1, FS, ID), OP(fcvt_wu_s, 1, FS, ID), OP(fcvt_l_s, 1, FS, ID), OP(fcvt_lu_s, 1, FS, ID) };
static const struct op fromint[] = {
    OP(fcvt_d_w, 1, ID, FD), OP(fcvt_d_wu, 1, ID, FD), OP(fcvt_d_l, 1, ID, FD), OP(fcvt_d_lu, 1, ID, FD),
    OP(fcvt_s_w, 1, ID, FS), OP(fcvt_s_wu, 1, ID, FS), OP(fcvt_s_l, 1, ID, FS), OP(fcvt_s_lu, 1, ID, FS),
};
static const struct op op_fsqrt_d = OP(fsqrt_d, 1, FD, FD), op_fsqrt_s = OP(fsqrt_s, 1, FS, FS);
static const struct op op_fclass_d = OP(fclass_d, 1, FD, ID), op_fclass_s = OP(fclass_s, 1, FS, ID);
static const struct op op_fcvt_s_d = OP(fcvt_s_d, 1, FD, FS), op_fcvt_d_s = OP(fcvt_d_s, 1, FS, FD);

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static volatile int frm_trapped;
static void frm_trap(struct rt_trap_frame *f) {
    rt_printf("trap: mcause=%lu mtval=0x%lx\n", f->cause, f->tval);
    frm_trapped = 1;
    f->epc += 4;
}

static void special_checks(void) {
    uint64_t r, flags;
    rt_puts("# static rounding modes (frm = rdn)\n");
    __asm__ volatile("fsrm %0" :: "r"(2ULL));
    __asm__ volatile("fsflags x0\n\tfmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\tfdiv.d ft2, ft0, ft1, rup\n\tfmv.x.d %0, ft2"
                     : "=r"(r) : "r"(D_ONE), "r"(D_THREE) : "ft0", "ft1", "ft2");
    __asm__ volatile("frflags %0" : "=r"(flags));
    rt_printf("fdiv.d,rup 1/3 -> %016lx fflags=%02lx\n", r, flags);
    __asm__ volatile("fsflags x0\n\tfmv.d.x ft0, %1\n\tfcvt.w.d %0, ft0, rne" : "=r"(r) : "r"(D_2_5) : "ft0");
    __asm__ volatile("frflags %0" : "=r"(flags));
    rt_printf("fcvt.w.d,rne 2.5 -> %016lx fflags=%02lx\n", r, flags);
    __asm__ volatile("fsflags x0\n\tfmv.d.x ft0, %1\n\tfcvt.w.d %0, ft0" : "=r"(r) : "r"(D_2_5) : "ft0");
    __asm__ volatile("frflags %0" : "=r"(flags));
    rt_printf("fcvt.w.d,dyn(rdn) 2.5 -> %016lx fflags=%02lx\n", r, flags);
    __asm__ volatile("fsflags x0\n\tfmv.w.x ft0, %1\n\tfmv.w.x ft1, %2\n\tfadd.s ft2, ft0, ft1, rmm\n\tfmv.x.w %0, ft2"
                     : "=r"(r) : "r"((uint64_t)S_ONE), "r"((uint64_t)S_HULP) : "ft0", "ft1", "ft2");
    __asm__ volatile("frflags %0" : "=r"(flags));
    rt_printf("fadd.s,rmm 1+2^-24 -> %08lx fflags=%02lx\n", r & 0xffffffff, flags);

    rt_puts("# NaN-boxing\n");
    __asm__ volatile("fmv.w.x ft0, %1\n\tfmv.x.d %0, ft0" : "=r"(r) : "r"((uint64_t)S_ONE) : "ft0");
    rt_printf("fmv.w.x 1.0f then fmv.x.d -> %016lx\n", r);
    __asm__ volatile("fsflags x0\n\tfmv.d.x ft0, %1\n\tfmv.w.x ft1, %2\n\tfadd.s ft2, ft0, ft1\n\tfmv.x.d %0, ft2"
                     : "=r"(r) : "r"(0x000000003f800000ULL), "r"((uint64_t)S_ONE) : "ft0", "ft1", "ft2");
    __asm__ volatile("frflags %0" : "=r"(flags));
    rt_printf("fadd.s of an unboxed 1.0f -> %016lx fflags=%02lx\n", r, flags);
    __asm__ volatile("fmv.d.x ft0, %1\n\tfmv.w.x ft1, %2\n\tfsgnj.s ft2, ft1, ft0\n\tfmv.x.d %0, ft2"
                     : "=r"(r) : "r"(0x00000000bf800000ULL), "r"((uint64_t)S_TWO) : "ft0", "ft1", "ft2");
    rt_printf("fsgnj.s 2.0f, unboxed -1.0f -> %016lx\n", r);
    __asm__ volatile("fmv.d.x ft0, %1\n\tfmv.x.w %0, ft0" : "=r"(r) : "r"(0x12345678cafebabeULL) : "ft0");
    rt_printf("fmv.x.w of 0x12345678cafebabe -> %016lx\n", r);
    {
        static uint64_t slot = 0x1111111111111111ULL;
        __asm__ volatile("flw ft0, 0(%1)\n\tfmv.x.d %0, ft0" : "=r"(r) : "r"(&slot) : "ft0", "memory");
        rt_printf("flw of 0x11111111 then fmv.x.d -> %016lx\n", r);
        __asm__ volatile("fmv.d.x ft0, %0\n\tfsw ft0, 0(%1)" :: "r"(0xaaaaaaaa22222222ULL), "r"(&slot) : "ft0", "memory");
        rt_printf("fsw of 0xaaaaaaaa22222222 over 0x1111111111111111 -> %016lx\n", slot);
    }

    rt_puts("# fcsr\n");
    __asm__ volatile("fscsr x0\n\tcsrw fcsr, %0" :: "r"(0xffULL));
    uint64_t fcsr, frm, ff;
    __asm__ volatile("frcsr %0\n\tfrrm %1\n\tfrflags %2" : "=r"(fcsr), "=r"(frm), "=r"(ff));
    rt_printf("fcsr=0xff -> fcsr=%02lx frm=%lx fflags=%02lx\n", fcsr, frm, ff);
    __asm__ volatile("csrw fcsr, %0" :: "r"(0xffffffffffffff00ULL | (3 << 5) | 0x15));
    __asm__ volatile("frcsr %0\n\tfrrm %1\n\tfrflags %2" : "=r"(fcsr), "=r"(frm), "=r"(ff));
    rt_printf("fcsr=~0xff|0x75 -> fcsr=%02lx frm=%lx fflags=%02lx\n", fcsr, frm, ff);
    __asm__ volatile("fsrmi %0, 4\n\tfsflagsi %1, 3\n\tfrcsr %2" : "=r"(frm), "=r"(ff), "=r"(fcsr));
    rt_printf("fsrmi 4 (old %lx), fsflagsi 3 (old %02lx) -> fcsr=%02lx\n", frm, ff, fcsr);

    rt_puts("# reserved rounding mode\n");
    rt_trap_handler = frm_trap;
    __asm__ volatile("fsrmi 5");
    __asm__ volatile(".option push\n.option norvc\nfadd.d ft2, ft0, ft1\n.option pop" ::: "ft2");
    __asm__ volatile("fsrmi 7");
    __asm__ volatile(".option push\n.option norvc\nfsqrt.s ft2, ft0\n.option pop" ::: "ft2");
    __asm__ volatile("fsrmi 0");
    rt_trap_handler = rt_default_trap;
    rt_printf("reserved frm trapped: %s\n", frm_trapped ? "yes" : "no");

    uint64_t ms = RT_CSR_READ(mstatus);
    rt_printf("mstatus.FS=%lu SD=%lu\n", (ms >> 13) & 3, ms >> 63);
}

int main(void) {
    rt_puts("# arithmetic (rne)\n");
    for (unsigned p = 0; p < NPAIRS; p++) {
        for (unsigned o = 0; o < COUNT(d_arith); o++) run(&d_arith[o], 0, d_pairs[p][0], d_pairs[p][1], 0);
        for (unsigned o = 0; o < COUNT(s_arith); o++) run(&s_arith[o], 0, s_pairs[p][0], s_pairs[p][1], 0);
    }
    rt_puts("# arithmetic under every rounding mode\n");
    for (int rm = 0; rm < 5; rm++) {
        run(&d_arith[3], rm, D_ONE, D_THREE, 0);
        run(&d_arith[3], rm, D_M1, D_THREE, 0);
        run(&d_arith[0], rm, D_ONE, D_HULP, 0);
        run(&d_arith[0], rm, D_1P, D_HULP, 0);
        run(&d_arith[1], rm, D_ONE, D_ONE, 0);
        run(&d_arith[2], rm, D_MAX, D_TWO, 0);
        run(&d_arith[2], rm, D_MAX | D_NZ, D_TWO, 0);
        run(&d_arith[3], rm, D_MINN, D_THREE, 0);
        run(&s_arith[3], rm, S_ONE, S_THREE, 0);
        run(&s_arith[3], rm, S_M1, S_THREE, 0);
        run(&s_arith[0], rm, S_ONE, S_HULP, 0);
        run(&s_arith[2], rm, S_MAX, S_TWO, 0);
        run(&s_arith[3], rm, S_MINN, S_THREE, 0);
        run(&op_fsqrt_d, rm, D_TWO, 0, 0);
        run(&op_fsqrt_s, rm, S_TWO, 0, 0);
        run(&d_fma[0], rm, D_1P, D_1M, D_M1);
        run(&s_fma[0], rm, S_1P, S_1P, S_M1);
        run(&op_fcvt_s_d, rm, D_0_1, 0, 0);
        run(&op_fcvt_s_d, rm, D_MAX, 0, 0);
    }
    rt_puts("# sqrt, classify, widen/narrow (rne)\n");
    for (unsigned i = 0; i < NVALS; i++) {
        run(&op_fsqrt_d, 0, d_vals[i], 0, 0);
        run(&op_fsqrt_s, 0, s_vals[i], 0, 0);
        run(&op_fclass_d, 0, d_vals[i], 0, 0);
        run(&op_fclass_s, 0, s_vals[i], 0, 0);
        run(&op_fcvt_s_d, 0, d_vals[i], 0, 0);
        run(&op_fcvt_d_s, 0, s_vals[i], 0, 0);
    }
    run(&op_fsqrt_d, 0, D_FOUR, 0, 0);
    run(&op_fsqrt_s, 0, S_FOUR, 0, 0);
    rt_puts("# fused multiply-add (rne)\n");
    for (unsigned t = 0; t < NTRIPLES; t++) {
        for (unsigned o = 0; o < COUNT(d_fma); o++) run(&d_fma[o], 0, d_triples[t][0], d_triples[t][1], d_triples[t][2]);
        for (unsigned o = 0; o < COUNT(s_fma); o++) run(&s_fma[o], 0, s_triples[t][0], s_triples[t][1], s_triples[t][2]);
    }
    rt_puts("# min/max, compare, sign injection\n");
    for (unsigned p = 0; p < NPAIRS; p++) {
        for (unsigned o = 0; o < COUNT(d_cmp); o++) run(&d_cmp[o], 0, d_pairs[p][0], d_pairs[p][1], 0);
        for (unsigned o = 0; o < COUNT(s_cmp); o++) run(&s_cmp[o], 0, s_pairs[p][0], s_pairs[p][1], 0);
    }
    rt_puts("# fp -> int under every rounding mode\n");
    for (int rm = 0; rm < 5; rm++) {
        for (unsigned i = 0; i < COUNT(d_cvt); i++)
            for (unsigned o = 0; o < COUNT(d_toint); o++) run(&d_toint[o], rm, d_cvt[i], 0, 0);
        for (unsigned i = 0; i < COUNT(s_cvt); i++)
            for (unsigned o = 0; o < COUNT(s_toint); o++) run(&s_toint[o], rm, s_cvt[i], 0, 0);
    }
    rt_puts("# int -> fp\n");
    for (int rm = 0; rm < 5; rm += 1)
        for (unsigned i = 0; i < COUNT(ints); i++)
            for (unsigned o = 0; o < COUNT(fromint); o++) run(&fromint[o], rm, ints[i], 0, 0);
    special_checks();
    return 0;
}
