/* A extension: lr/sc (.w and .d; success, failure after the reservation is used up, sc
 * to another address), every AMO in .w and .d with values that tell signed from unsigned
 * and show sign-extension of .w results, and aq/rl variants. Prints old value, new memory. */
#include "runtime.h"

static uint64_t mem64[2] __attribute__((aligned(16)));
static uint32_t mem32[4] __attribute__((aligned(16)));

#define AMO_D(op, init, operand)                                                        \
    do {                                                                                \
        uint64_t old_;                                                                  \
        mem64[0] = (init);                                                              \
        __asm__ volatile(op " %0, %2, (%1)" : "=r"(old_) : "r"(mem64), "r"((uint64_t)(operand)) : "memory"); \
        rt_printf("%-14s mem=%016lx rs2=%016lx -> rd=%016lx mem=%016lx\n", op, (uint64_t)(init), \
                  (uint64_t)(operand), old_, mem64[0]);                                   \
    } while (0)

#define AMO_W(op, init, operand)                                                        \
    do {                                                                                \
        uint64_t old_;                                                                  \
        mem32[0] = (init);                                                              \
        mem32[1] = 0xa5a5a5a5u;                                                         \
        __asm__ volatile(op " %0, %2, (%1)" : "=r"(old_) : "r"(mem32), "r"((uint64_t)(operand)) : "memory"); \
        rt_printf("%-14s mem=%08x rs2=%016lx -> rd=%016lx mem=%08x next=%08x\n", op, (uint32_t)(init), \
                  (uint64_t)(operand), old_, mem32[0], mem32[1]);                        \
    } while (0)

static void amo_all(uint64_t a, uint64_t b) {
    AMO_D("amoswap.d", a, b);
    AMO_D("amoadd.d", a, b);
    AMO_D("amoand.d", a, b);
    AMO_D("amoor.d", a, b);
    AMO_D("amoxor.d", a, b);
    AMO_D("amomin.d", a, b);
    AMO_D("amomax.d", a, b);
    AMO_D("amominu.d", a, b);
    AMO_D("amomaxu.d", a, b);
    AMO_W("amoswap.w", a, b);
    AMO_W("amoadd.w", a, b);
    AMO_W("amoand.w", a, b);
    AMO_W("amoor.w", a, b);
    AMO_W("amoxor.w", a, b);
    AMO_W("amomin.w", a, b);
    AMO_W("amomax.w", a, b);
    AMO_W("amominu.w", a, b);
    AMO_W("amomaxu.w", a, b);
}

int main(void) {
    uint64_t v, rc, rc2;

    /* lr.d / sc.d succeeding: rc = 0. */
    mem64[0] = 0x1111111111111111ULL;
    __asm__ volatile("lr.d %0, (%2)\n\tsc.d %1, %3, (%2)"
                     : "=&r"(v), "=&r"(rc) : "r"(mem64), "r"(0x2222222222222222ULL) : "memory");
    rt_printf("lr.d/sc.d: loaded %016lx sc=%lu mem=%016lx\n", v, rc, mem64[0]);

    /* A second sc without a new lr fails (the first sc used up the reservation). */
    __asm__ volatile("lr.d %0, (%3)\n\tsc.d %1, %4, (%3)\n\tsc.d %2, %5, (%3)"
                     : "=&r"(v), "=&r"(rc), "=&r"(rc2)
                     : "r"(mem64), "r"(0x3333333333333333ULL), "r"(0x4444444444444444ULL) : "memory");
    rt_printf("lr.d/sc.d/sc.d: first sc=%lu second sc %s mem=%016lx\n", rc, rc2 ? "failed" : "SUCCEEDED",
              mem64[0]);

    /* lr.w sign-extends; sc.w succeeds. */
    mem32[0] = 0x80000001u;
    __asm__ volatile("lr.w %0, (%2)\n\tsc.w %1, %3, (%2)"
                     : "=&r"(v), "=&r"(rc) : "r"(mem32), "r"(0x7ffffffeULL) : "memory");
    rt_printf("lr.w/sc.w: loaded %016lx sc=%lu mem=%08x\n", v, rc, mem32[0]);

    /* sc.w to an address other than the reserved one must not store. */
    mem32[0] = 5; mem32[2] = 6;
    __asm__ volatile("lr.w %0, (%2)\n\tsc.w %1, %3, (%4)"
                     : "=&r"(v), "=&r"(rc) : "r"(&mem32[0]), "r"(7ULL), "r"(&mem32[2]) : "memory");
    rt_printf("lr.w A/sc.w B: sc %s mem[A]=%u mem[B]=%u\n", rc ? "failed" : "succeeded", mem32[0], mem32[2]);

    /* A plain lr/sc retry loop: atomic increment 1000 times. */
    mem64[1] = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t tmp, fail;
        __asm__ volatile("1: lr.d.aq %0, (%2)\n\taddi %0, %0, 3\n\tsc.d.rl %1, %0, (%2)\n\tbnez %1, 1b"
                         : "=&r"(tmp), "=&r"(fail) : "r"(&mem64[1]) : "memory");
    }
    rt_printf("lr/sc increment loop: %lu\n", mem64[1]);

    amo_all(0x8000000000000005ULL, 0x7ffffffffffffff0ULL);
    amo_all(0x00000000fffffff0ULL, 0x0000000000000010ULL);
    amo_all(0x0000000012345678ULL, 0xffffffff87654321ULL);
    AMO_D("amoadd.d.aqrl", 1, 2);
    AMO_W("amoor.w.aq", 0x0f0, 0xf00);
    AMO_W("amoswap.w.rl", 0xdeadbeef, 0);
    return 0;
}
