/* Counter CSRs: the minstret/mcycle deltas across fixed instruction sequences (loops of
 * exactly known length written in assembly), writes to minstret/mcycle, and the user-level
 * aliases instret/cycle. The sequences contain no traps, so every executed instruction
 * retires and the deltas are exact. */
#include "runtime.h"

/* instret delta across `n` iterations of a 2-instruction loop (addi, bnez), read by csrr
 * before and after: a csrr sees the count of instructions before it, so the delta is
 * 1 (first csrr) + 1 (mv) + 2n. */
static uint64_t instret_loop(uint64_t n) {
    uint64_t before, after, count;
    __asm__ volatile(".option push\n.option norvc\n"
                     "csrr %0, minstret\n\t"
                     "mv %2, %3\n"
                     "1:\taddi %2, %2, -1\n\t"
                     "bnez %2, 1b\n\t"
                     "csrr %1, minstret\n.option pop"
                     : "=&r"(before), "=&r"(after), "=&r"(count) : "r"(n));
    return after - before;
}

static uint64_t cycle_loop(uint64_t n) {
    uint64_t before, after, count;
    __asm__ volatile(".option push\n.option norvc\n"
                     "csrr %0, mcycle\n\t"
                     "mv %2, %3\n"
                     "1:\taddi %2, %2, -1\n\t"
                     "bnez %2, 1b\n\t"
                     "csrr %1, mcycle\n.option pop"
                     : "=&r"(before), "=&r"(after), "=&r"(count) : "r"(n));
    return after - before;
}

/* The same with compressed instructions (c.addi, c.bnez) and the rdinstret alias. */
static uint64_t instret_loop_rvc(uint64_t n) {
    uint64_t before, after;
    register uint64_t count __asm__("a5");
    __asm__ volatile(".option push\n.option rvc\n"
                     "rdinstret %0\n\t"
                     "mv %2, %3\n"
                     "1:\tc.addi %2, -1\n\t"
                     "c.bnez %2, 1b\n\t"
                     "rdinstret %1\n.option pop"
                     : "=&r"(before), "=&r"(after), "=&r"(count) : "r"(n));
    return after - before;
}

/* Straight-line block of 100 mixed instructions (ALU, M, loads/stores, FP): delta 101. */
static uint64_t instret_block(void) {
    static uint64_t scratch[4];
    uint64_t before, after, t0 = 0, t1 = 0;
    __asm__ volatile(".option push\n.option norvc\n"
                     "csrr %0, minstret\n"
                     ".rept 20\n\t"
                     "addi %2, %2, 3\n\t"
                     "mul %3, %2, %2\n\t"
                     "sd %3, 0(%4)\n\t"
                     "ld %3, 0(%4)\n\t"
                     "fcvt.d.l ft0, %3\n"
                     ".endr\n\t"
                     "csrr %1, minstret\n.option pop"
                     : "=&r"(before), "=&r"(after), "+r"(t0), "+r"(t1) : "r"(scratch) : "ft0", "memory");
    return after - before;
}

int main(void) {
    static const uint64_t sizes[] = {1, 10, 1000, 100000};
    for (int i = 0; i < 4; i++)
        rt_printf("loop %6lu: instret delta %lu\n", sizes[i], instret_loop(sizes[i]));
    for (int i = 0; i < 4; i++)
        rt_printf("rvc loop %6lu: instret delta %lu\n", sizes[i], instret_loop_rvc(sizes[i]));
    rt_printf("100-instruction block: instret delta %lu\n", instret_block());
    /* mcycle: QEMU (-icount shift=0) and tbsim both tick it once per instruction. */
    rt_printf("loop   1000: mcycle delta %lu\n", cycle_loop(1000));

    /* Not tested here: csrw minstret/mcycle. The Zicsr rule is that such a write replaces
     * the increment of the writing instruction (csrw minstret, X; csrr -> X), but QEMU 7.2
     * still counts the csrw (it reads X + 1), so QEMU cannot be the oracle for it. tbsim
     * follows Zicsr; CSRTests.counterWriteReplacesTheIncrement checks it on every engine. */
    return 0;
}
