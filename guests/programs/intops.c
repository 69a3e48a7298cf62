/* RV64IM register-register operations on edge-case operands (0, ±1, INT64_MIN/MAX,
 * 32-bit boundaries, shift amounts 31/32/63/64), including the division corner cases
 * (divide by zero, INT_MIN / -1), the 32-bit W forms with sign extension, immediate shifts
 * and sign/zero-extending loads. Line format (checked by guests/check/intops.py):
 * OP a=.. b=.. -> r, all 16 hex digits. */
#include "runtime.h"

#define RR(fn, insn)                                                                 \
    static uint64_t fn(uint64_t a, uint64_t b) {                                     \
        uint64_t r;                                                                  \
        __asm__ volatile(insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));             \
        return r;                                                                    \
    }
RR(op_add, "add") RR(op_sub, "sub") RR(op_sll, "sll") RR(op_srl, "srl") RR(op_sra, "sra")
RR(op_slt, "slt") RR(op_sltu, "sltu") RR(op_xor, "xor") RR(op_or, "or") RR(op_and, "and")
RR(op_addw, "addw") RR(op_subw, "subw") RR(op_sllw, "sllw") RR(op_srlw, "srlw") RR(op_sraw, "sraw")
RR(op_mul, "mul") RR(op_mulh, "mulh") RR(op_mulhsu, "mulhsu") RR(op_mulhu, "mulhu")
RR(op_div, "div") RR(op_divu, "divu") RR(op_rem, "rem") RR(op_remu, "remu")
RR(op_mulw, "mulw") RR(op_divw, "divw") RR(op_divuw, "divuw") RR(op_remw, "remw") RR(op_remuw, "remuw")

struct op { const char *name; uint64_t (*fn)(uint64_t, uint64_t); };
#define OP(n) { #n, op_##n }
static const struct op ops[] = {
    OP(add), OP(sub), OP(sll), OP(srl), OP(sra), OP(slt), OP(sltu), OP(xor), OP(or), OP(and),
    OP(addw), OP(subw), OP(sllw), OP(srlw), OP(sraw),
    OP(mul), OP(mulh), OP(mulhsu), OP(mulhu), OP(div), OP(divu), OP(rem), OP(remu),
    OP(mulw), OP(divw), OP(divuw), OP(remw), OP(remuw),
};

static const uint64_t vals[] = {
    0, 1, 0xffffffffffffffffULL, 0x8000000000000000ULL, 0x7fffffffffffffffULL,
    0x80000000ULL, 0x7fffffffULL, 0xffffffffULL, 0xffffffff80000000ULL, 0x123456789abcdef0ULL,
    31, 63, 0xfffffffffffffffeULL,
};
#define NV (sizeof vals / sizeof vals[0])

static void line(const char *name, uint64_t a, uint64_t b, uint64_t r) {
    rt_printf("%s a=%016lx b=%016lx -> %016lx\n", name, a, b, r);
}

int main(void) {
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (unsigned i = 0; i < NV; i++)
            for (unsigned j = 0; j < NV; j++) line(ops[o].name, vals[i], vals[j], ops[o].fn(vals[i], vals[j]));

    /* Immediate forms (b is the immediate). */
    for (unsigned i = 0; i < NV; i++) {
        uint64_t a = vals[i], r;
        __asm__ volatile("slli %0, %1, 63" : "=r"(r) : "r"(a)); line("slli", a, 63, r);
        __asm__ volatile("srli %0, %1, 63" : "=r"(r) : "r"(a)); line("srli", a, 63, r);
        __asm__ volatile("srai %0, %1, 63" : "=r"(r) : "r"(a)); line("srai", a, 63, r);
        __asm__ volatile("srai %0, %1, 1" : "=r"(r) : "r"(a)); line("srai", a, 1, r);
        __asm__ volatile("slliw %0, %1, 31" : "=r"(r) : "r"(a)); line("slliw", a, 31, r);
        __asm__ volatile("srliw %0, %1, 31" : "=r"(r) : "r"(a)); line("srliw", a, 31, r);
        __asm__ volatile("sraiw %0, %1, 31" : "=r"(r) : "r"(a)); line("sraiw", a, 31, r);
        __asm__ volatile("srliw %0, %1, 0" : "=r"(r) : "r"(a)); line("srliw", a, 0, r);
        __asm__ volatile("addiw %0, %1, -1" : "=r"(r) : "r"(a)); line("addiw", a, 0xffffffffffffffffULL, r);
        __asm__ volatile("addiw %0, %1, 0" : "=r"(r) : "r"(a)); line("addiw", a, 0, r);
        __asm__ volatile("slti %0, %1, -1" : "=r"(r) : "r"(a)); line("slti", a, 0xffffffffffffffffULL, r);
        __asm__ volatile("sltiu %0, %1, -1" : "=r"(r) : "r"(a)); line("sltiu", a, 0xffffffffffffffffULL, r);
        __asm__ volatile("xori %0, %1, -2048" : "=r"(r) : "r"(a)); line("xori", a, 0xfffffffffffff800ULL, r);
        __asm__ volatile("andi %0, %1, 2047" : "=r"(r) : "r"(a)); line("andi", a, 2047, r);
    }
    {
        uint64_t r;
        __asm__ volatile("lui %0, 0x80000" : "=r"(r)); line("lui", 0x80000, 0, r);
        __asm__ volatile("lui %0, 0x7ffff" : "=r"(r)); line("lui", 0x7ffff, 0, r);
    }

    /* Loads: sign and zero extension of every width at every offset of an 8-byte word. */
    static uint64_t word[2] __attribute__((aligned(16))) = {0x8877665544332211ULL, 0xffeeddccbbaa9980ULL};
    const uint8_t *p = (const uint8_t *)word;
    for (int off = 0; off < 8; off++) {
        uint64_t r;
        __asm__ volatile("lb %0, 0(%1)" : "=r"(r) : "r"(p + off)); line("lb", off, 0, r);
        __asm__ volatile("lbu %0, 0(%1)" : "=r"(r) : "r"(p + off)); line("lbu", off, 0, r);
        if (off % 2 == 0) {
            __asm__ volatile("lh %0, 0(%1)" : "=r"(r) : "r"(p + off)); line("lh", off, 0, r);
            __asm__ volatile("lhu %0, 0(%1)" : "=r"(r) : "r"(p + off)); line("lhu", off, 0, r);
        }
        if (off % 4 == 0) {
            __asm__ volatile("lw %0, 0(%1)" : "=r"(r) : "r"(p + off)); line("lw", off, 0, r);
            __asm__ volatile("lwu %0, 0(%1)" : "=r"(r) : "r"(p + off)); line("lwu", off, 0, r);
        }
    }
    for (int off = 8; off < 16; off += 4) {
        uint64_t r;
        __asm__ volatile("lw %0, 0(%1)" : "=r"(r) : "r"(p + off)); line("lw", off, 0, r);
        __asm__ volatile("lwu %0, 0(%1)" : "=r"(r) : "r"(p + off)); line("lwu", off, 0, r);
    }
    return 0;
}
