/* M-mode traps and interrupts: ecall, illegal instructions (32- and 16-bit), ebreak and
 * c.ebreak, misaligned loads/stores (emulated here if the hart traps, so the printed values
 * do not depend on whether the hardware handles them), timer interrupts from the CLINT
 * counted to 5, and a software interrupt via msip. Every event prints mcause/mtval and
 * whether mepc pointed at the expected instruction. */
#include "runtime.h"

#define MSTATUS_MIE (1UL << 3)
#define MIE_MSIE (1UL << 3)
#define MIE_MTIE (1UL << 7)
#define TIMER_INTERVAL 500   /* mtime ticks between timer interrupts */
#define TIMER_TARGET 5

static volatile uint64_t expected_epc;
static volatile int timer_count, soft_count, misaligned_traps;

static uint64_t load_bytes(uint64_t addr, int size) {
    uint64_t v = 0;
    for (int i = 0; i < size; i++) v |= (uint64_t)((volatile uint8_t *)addr)[i] << (8 * i);
    return v;
}

static void store_bytes(uint64_t addr, uint64_t v, int size) {
    for (int i = 0; i < size; i++) ((volatile uint8_t *)addr)[i] = (uint8_t)(v >> (8 * i));
}

/* Emulates the misaligned integer load/store at f->epc (uncompressed lb..ld / sb..sd). */
static void emulate_misaligned(struct rt_trap_frame *f) {
    uint32_t insn = *(volatile uint16_t *)f->epc | (uint32_t)*(volatile uint16_t *)(f->epc + 2) << 16;
    uint32_t opcode = insn & 0x7f, funct3 = (insn >> 12) & 7;
    int size = 1 << (funct3 & 3);
    if (opcode == 0x03) {
        uint64_t v = load_bytes(f->tval, size);
        if (!(funct3 & 4) && size < 8) {             /* sign-extend lb/lh/lw */
            int shift = 64 - 8 * size;
            v = (uint64_t)((int64_t)(v << shift) >> shift);
        }
        uint32_t rd = (insn >> 7) & 31;
        if (rd) f->regs[rd] = v;
    } else if (opcode == 0x23) {
        store_bytes(f->tval, f->regs[(insn >> 20) & 31], size);
    } else {
        rt_default_trap(f);
    }
    f->epc += 4;
}

static void handler(struct rt_trap_frame *f) {
    if ((int64_t)f->cause < 0) {
        uint64_t code = f->cause & 0xff;
        if (code == 7) {
            timer_count++;
            rt_printf("timer interrupt %d: mcause=0x%lx mtval=0x%lx\n", timer_count, f->cause, f->tval);
            if (timer_count < TIMER_TARGET)
                rt_mmio_write64(RT_CLINT_MTIMECMP, rt_mmio_read64(RT_CLINT_MTIMECMP) + TIMER_INTERVAL);
            else
                rt_mmio_write64(RT_CLINT_MTIMECMP, ~0ULL);
        } else if (code == 3) {
            soft_count++;
            rt_printf("software interrupt: mcause=0x%lx mtval=0x%lx\n", f->cause, f->tval);
            rt_mmio_write32(RT_CLINT_MSIP, 0);
        } else {
            rt_default_trap(f);
        }
        return;
    }
    uint64_t cause = f->cause;
    if (cause == 4 || cause == 6) {
        misaligned_traps++;
        emulate_misaligned(f);
        return;
    }
    uint16_t low = *(volatile uint16_t *)f->epc;
    int len = (low & 3) == 3 ? 4 : 2;
    const char *name = cause == 2 ? "illegal instruction" : cause == 3 ? "breakpoint"
                     : cause == 11 ? "ecall from M" : 0;
    if (!name) rt_default_trap(f);
    rt_printf("%s: mcause=%lu mtval=0x%lx mepc %s, length %d\n", name, cause, f->tval,
              f->epc == expected_epc ? "ok" : "WRONG", len);
    if (cause == 11) f->regs[10] = f->regs[10] * 2 + 1;   /* a "system call": a0 = 2*a0+1 */
    f->epc += len;
}

/* Runs `insn_asm` with expected_epc set to its address. */
#define AT_LABEL(insn_asm)                                                          \
    do {                                                                            \
        uint64_t a_;                                                                \
        __asm__ volatile("lla %0, 1f\n\tsd %0, 0(%1)\n" ".option push\n.option norvc\n" \
                         "1: " insn_asm "\n.option pop\n"                          \
                         : "=&r"(a_) : "r"(&expected_epc) : "memory");              \
    } while (0)

int main(void) {
    rt_trap_handler = handler;

    /* ecall: the handler doubles a0 and adds one. */
    {
        register uint64_t a0 __asm__("a0") = 20;
        uint64_t tmp;
        __asm__ volatile("lla %1, 1f\n\tsd %1, 0(%2)\n1: ecall"
                         : "+r"(a0), "=&r"(tmp) : "r"(&expected_epc) : "memory");
        rt_printf("ecall returned a0=%lu\n", a0);
    }

    /* Illegal instructions: an all-ones word, a CSR that does not exist, a write to a
     * read-only CSR, and the 16-bit all-zero parcel (defined illegal). */
    AT_LABEL(".word 0xffffffff");
    AT_LABEL("csrr x0, 0x7ff");
    AT_LABEL("csrw mvendorid, x0");
    {
        uint64_t a_;
        __asm__ volatile("lla %0, 1f\n\tsd %0, 0(%1)\n1: .2byte 0x0000"
                         : "=&r"(a_) : "r"(&expected_epc) : "memory");
    }

    /* Breakpoints: ebreak and c.ebreak. */
    AT_LABEL("ebreak");
    {
        uint64_t a_;
        __asm__ volatile("lla %0, 1f\n\tsd %0, 0(%1)\n.option push\n.option rvc\n1: c.ebreak\n.option pop"
                         : "=&r"(a_) : "r"(&expected_epc) : "memory");
    }

    /* Misaligned accesses: results are the same whether hardware or the handler does them. */
    {
        static uint8_t buf[32] __attribute__((aligned(16)));
        for (int i = 0; i < 32; i++) buf[i] = (uint8_t)(0x80 + 7 * i);
        uint64_t d, w, wu, h;
        __asm__ volatile(".option push\n.option norvc\n"
                         "ld %0, 1(%4)\n\tlw %1, 3(%4)\n\tlwu %2, 5(%4)\n\tlh %3, 9(%4)\n.option pop"
                         : "=&r"(d), "=&r"(w), "=&r"(wu), "=&r"(h) : "r"(buf) : "memory");
        rt_printf("misaligned loads: ld=0x%016lx lw=0x%016lx lwu=0x%016lx lh=0x%016lx\n", d, w, wu, h);
        uint64_t val = 0x1122334455667788ULL;
        __asm__ volatile(".option push\n.option norvc\n"
                         "sd %0, 17(%1)\n\tsw %0, 27(%1)\n\tsh %0, 13(%1)\n.option pop"
                         :: "r"(val), "r"(buf) : "memory");
        rt_puts("after misaligned stores:");
        for (int i = 0; i < 32; i++) rt_printf(" %02x", buf[i]);
        rt_putc('\n');
    }

    /* Software interrupt: msip = 1 with MSIE and MIE set traps at once. */
    RT_CSR_SET(mie, MIE_MSIE);
    RT_CSR_SET(mstatus, MSTATUS_MIE);
    rt_mmio_write32(RT_CLINT_MSIP, 1);
    for (int spin = 0; soft_count == 0 && spin < 1000; spin++) { }
    RT_CSR_CLEAR(mstatus, MSTATUS_MIE);
    RT_CSR_CLEAR(mie, MIE_MSIE);
    rt_printf("software interrupts taken: %d, msip now %u\n", soft_count, rt_mmio_read32(RT_CLINT_MSIP));

    /* Timer: mtimecmp = now + interval, re-armed by the handler until TIMER_TARGET. */
    rt_mmio_write64(RT_CLINT_MTIMECMP, rt_mmio_read64(RT_CLINT_MTIME) + TIMER_INTERVAL);
    RT_CSR_SET(mie, MIE_MTIE);
    RT_CSR_SET(mstatus, MSTATUS_MIE);
    uint64_t start = rt_mmio_read64(RT_CLINT_MTIME);
    while (timer_count < TIMER_TARGET) {
        if (rt_mmio_read64(RT_CLINT_MTIME) - start > 1000000) { rt_puts("timer: no interrupt\n"); return 1; }
    }
    RT_CSR_CLEAR(mstatus, MSTATUS_MIE);
    RT_CSR_CLEAR(mie, MIE_MTIE);
    uint64_t mip = RT_CSR_READ(mip);
    rt_printf("timer interrupts taken: %d, mip.MTIP now %lu\n", timer_count, (mip >> 7) & 1);
    return 0;
}
