/* Sv39 virtual memory and privilege levels. M-mode builds page tables (identity map for
 * the image, devices and stacks; test pages at 0x40000000), delegates page faults and
 * U-mode ecalls to S-mode and drops to S-mode. S-mode checks hardware A/D updates, turns a
 * store page fault on a read-only page into a write (copy-on-write style), maps a missing
 * page on demand, takes an instruction page fault, tests SUM and MXR, then drops to U-mode.
 * U-mode makes system calls, touches its page, faults on a kernel page and executes a
 * privileged instruction (trapping to M-mode). The end is an ecall from S to M.
 * Assumes hardware A/D updating (as QEMU does). */
#include "runtime.h"

#define PTE_V 0x001
#define PTE_R 0x002
#define PTE_W 0x004
#define PTE_X 0x008
#define PTE_U 0x010
#define PTE_G 0x020
#define PTE_A 0x040
#define PTE_D 0x080

#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SUM (1UL << 18)
#define SSTATUS_MXR (1UL << 19)
#define MSTATUS_MPP_MASK (3UL << 11)
#define MSTATUS_MPP_S (1UL << 11)
#define MSTATUS_MPRV (1UL << 17)

#define VA_AD     0x40000000UL   /* R/W data page, A = D = 0 initially */
#define VA_RO     0x40001000UL   /* read-only page: stores fault, the handler grants W */
#define VA_LAZY   0x40002000UL   /* not mapped: loads fault, the handler maps it */
#define VA_USER   0x40003000UL   /* U-mode data and stack page */
#define VA_ALIAS  0x40004000UL   /* same frame as VA_AD */
#define VA_NOEXEC 0x40005000UL   /* R/W, not executable */
#define VA_XONLY  0x40006000UL   /* execute-only: readable from S only with MXR */

typedef uint64_t pte_t;
static pte_t root[512] __attribute__((aligned(4096)));
static pte_t l1_image[512] __attribute__((aligned(4096)));   /* 0x80000000 - 0xbfffffff */
static pte_t l0_image[512] __attribute__((aligned(4096)));   /* 0x80000000 - 0x801fffff */
static pte_t l1_test[512] __attribute__((aligned(4096)));    /* 0x40000000 - 0x7fffffff */
static pte_t l0_test[512] __attribute__((aligned(4096)));    /* 0x40000000 - 0x401fffff */
static uint64_t frame_ad[512] __attribute__((aligned(4096)));
static uint64_t frame_ro[512] __attribute__((aligned(4096)));
static uint64_t frame_lazy[512] __attribute__((aligned(4096)));
static uint64_t frame_user[512] __attribute__((aligned(4096)));
static uint64_t frame_noexec[512] __attribute__((aligned(4096)));
static uint64_t frame_xonly[512] __attribute__((aligned(4096)));
static uint8_t s_trap_stack[16384] __attribute__((aligned(16)));
static volatile uint64_t kernel_secret = 0x5ec2e7;

static pte_t leaf(const void *pa, uint64_t flags) { return ((uint64_t)(uintptr_t)pa >> 12) << 10 | flags | PTE_V; }
static pte_t table(const void *pa) { return ((uint64_t)(uintptr_t)pa >> 12) << 10 | PTE_V; }
static pte_t *test_pte(uint64_t va) { return &l0_test[(va >> 12) & 511]; }
static void sfence(void) { __asm__ volatile("sfence.vma" ::: "memory"); }

static const char *mode_name(uint64_t mpp) { return mpp == 0 ? "U" : mpp == 1 ? "S" : "M"; }

static void print_pte(const char *what, uint64_t va) {
    pte_t p = *test_pte(va);
    rt_printf("  %s: pte %c%c%c%c%c%c\n", what, p & PTE_R ? 'R' : '-', p & PTE_W ? 'W' : '-',
              p & PTE_X ? 'X' : '-', p & PTE_U ? 'U' : '-', p & PTE_A ? 'A' : '-', p & PTE_D ? 'D' : '-');
}

/* ---- U-mode code: its own page (.utext), only registers and ecalls. ---- */
extern char user_entry[];
__asm__(".pushsection .utext, \"ax\"\n"
        ".option push\n.option norvc\n"
        ".globl user_entry\n"
        "user_entry:\n"
        "  li a7, 1\n  li a0, 42\n  ecall\n"                       /* sys 1: print a0 */
        "  li t0, 0x40003000\n  ld t1, 0(t0)\n  addi t1, t1, 1\n  sd t1, 0(t0)\n"
        "  li a7, 1\n  mv a0, t1\n  ecall\n"
        "  ld t2, 0(s1)\n"                                         /* kernel page: faults */
        "  csrr t3, sstatus\n"                                     /* privileged: illegal */
        "  li a7, 2\n  ecall\n"                                    /* sys 2: done */
        "1: j 1b\n"
        ".option pop\n.popsection\n");

/* ---- S-mode ---- */
static volatile int s_faults;

static void s_handler(struct rt_trap_frame *f) {
    uint64_t cause = f->cause;
    const char *from = f->status & SSTATUS_SPP ? "S" : "U";
    if (cause == 8) {
        uint64_t sys = f->regs[17];
        if (sys == 1) {
            rt_printf("S: ecall from U, sys 1: a0=%lu\n", f->regs[10]);
            f->epc += 4;
            return;
        }
        rt_printf("S: ecall from U, sys %lu: user done\n", sys);
        rt_printf("S: user page now holds %lu\n", frame_user[0]);
        print_pte("VA_USER", VA_USER);
        __asm__ volatile("li a7, 0x10\n\tecall" ::: "a7", "memory");   /* to M: finish */
        return;
    }
    s_faults++;
    if (cause == 15 && f->tval == VA_RO) {
        rt_printf("S: store page fault from %s at stval=0x%lx, granting write\n", from, f->tval);
        *test_pte(VA_RO) |= PTE_W;
        sfence();
        return;                                  /* retry the store */
    }
    if (cause == 13 && f->tval == VA_LAZY && !(*test_pte(VA_LAZY) & PTE_V)) {
        rt_printf("S: load page fault from %s at stval=0x%lx, mapping it\n", from, f->tval);
        *test_pte(VA_LAZY) = leaf(frame_lazy, PTE_R | PTE_W | PTE_A | PTE_D);
        sfence();
        return;
    }
    if (cause == 12) {
        rt_printf("S: instruction page fault from %s at stval=0x%lx sepc=0x%lx\n", from, f->tval, f->epc);
        f->epc = f->regs[1];                     /* return to the caller */
        return;
    }
    if (cause == 13 || cause == 15) {
        rt_printf("S: %s page fault from %s at stval=0x%lx, skipping the instruction\n",
                  cause == 13 ? "load" : "store", from, f->tval);
        f->epc += 4;
        return;
    }
    rt_printf("S: unexpected scause=%lu stval=0x%lx sepc=0x%lx\n", cause, f->tval, f->epc);
    exit(3);
}

static uint64_t s_load(uint64_t va) {
    uint64_t v;
    __asm__ volatile(".option push\n.option norvc\nli %0, 0\n\tld %0, 0(%1)\n.option pop"
                     : "=&r"(v) : "r"(va) : "memory");
    return v;
}
static void s_store(uint64_t va, uint64_t v) {
    __asm__ volatile(".option push\n.option norvc\nsd %0, 0(%1)\n.option pop" :: "r"(v), "r"(va) : "memory");
}

static void s_main(void) {
    rt_printf("S: running, satp.MODE=%lu\n", RT_CSR_READ(satp) >> 60);

    rt_puts("S: A/D bits on VA_AD\n");
    print_pte("before", VA_AD);
    uint64_t v = s_load(VA_AD);
    print_pte("after load", VA_AD);
    s_store(VA_AD, v + 0x1000);
    print_pte("after store", VA_AD);
    rt_printf("S: VA_AD read 0x%lx; through VA_ALIAS 0x%lx; frame holds 0x%lx\n", v, s_load(VA_ALIAS), frame_ad[0]);

    rt_puts("S: store to read-only VA_RO\n");
    s_store(VA_RO, 0xc0ffee);
    rt_printf("S: VA_RO now 0x%lx, frame holds 0x%lx\n", s_load(VA_RO), frame_ro[0]);
    print_pte("VA_RO", VA_RO);

    rt_puts("S: load from unmapped VA_LAZY\n");
    rt_printf("S: VA_LAZY reads 0x%lx\n", s_load(VA_LAZY));

    rt_puts("S: jump to non-executable VA_NOEXEC\n");
    ((void (*)(void))VA_NOEXEC)();
    rt_puts("S: back from the instruction page fault\n");

    rt_puts("S: read U page without SUM\n");
    int before = s_faults;
    v = s_load(VA_USER);
    rt_printf("S: faulted: %s\n", s_faults > before ? "yes" : "no");
    RT_CSR_SET(sstatus, SSTATUS_SUM);
    before = s_faults;
    v = s_load(VA_USER);
    rt_printf("S: with SUM: faulted: %s, value 0x%lx\n", s_faults > before ? "yes" : "no", v);
    RT_CSR_CLEAR(sstatus, SSTATUS_SUM);

    rt_puts("S: read execute-only VA_XONLY without MXR\n");
    before = s_faults;
    v = s_load(VA_XONLY);
    rt_printf("S: faulted: %s\n", s_faults > before ? "yes" : "no");
    RT_CSR_SET(sstatus, SSTATUS_MXR);
    before = s_faults;
    v = s_load(VA_XONLY);
    rt_printf("S: with MXR: faulted: %s, value 0x%lx\n", s_faults > before ? "yes" : "no", v);
    RT_CSR_CLEAR(sstatus, SSTATUS_MXR);

    rt_puts("S: entering U-mode\n");
    RT_CSR_CLEAR(sstatus, SSTATUS_SPP);
    RT_CSR_WRITE(sepc, user_entry);
    __asm__ volatile("mv s1, %0\n\tli sp, 0x40004000\n\tsret"
                     :: "r"(&kernel_secret) : "s1", "memory");
    __builtin_unreachable();
}

/* ---- M-mode ---- */
static void m_handler(struct rt_trap_frame *f) {
    uint64_t mpp = (f->status & MSTATUS_MPP_MASK) >> 11;
    if (f->cause == 9 && f->regs[17] == 0x10) {
        rt_printf("M: ecall from %s-mode (mcause=%lu): finish\n", mode_name(mpp), f->cause);
        exit(0);
    }
    if (f->cause == 2) {
        rt_printf("M: illegal instruction from %s-mode, mtval=0x%lx, skipping\n", mode_name(mpp), f->tval);
        f->epc += 4;
        return;
    }
    rt_default_trap(f);
}

int main(void) {
    /* Identity map: devices (gigapage 0), image (4 KiB pages), stacks (a megapage). */
    root[0] = leaf((void *)0, PTE_R | PTE_W | PTE_A | PTE_D);
    root[2] = table(l1_image);
    root[1] = table(l1_test);
    l1_image[0] = table(l0_image);
    l1_image[(0x86E00000UL - 0x80000000UL) >> 21] = leaf((void *)0x86E00000UL, PTE_R | PTE_W | PTE_A | PTE_D);
    for (uintptr_t pa = 0x80000000UL; pa < (uintptr_t)_end; pa += 4096) {
        int user = pa >= (uintptr_t)__utext_start && pa < (uintptr_t)__utext_end;
        l0_image[(pa >> 12) & 511] = user ? leaf((void *)pa, PTE_R | PTE_X | PTE_U | PTE_A)
                                          : leaf((void *)pa, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    }
    if ((uintptr_t)_end > 0x80200000UL) { rt_puts("image too large for vm test\n"); return 2; }
    /* Test pages. */
    l1_test[0] = table(l0_test);
    *test_pte(VA_AD) = leaf(frame_ad, PTE_R | PTE_W);
    *test_pte(VA_RO) = leaf(frame_ro, PTE_R | PTE_A);
    *test_pte(VA_USER) = leaf(frame_user, PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
    *test_pte(VA_ALIAS) = leaf(frame_ad, PTE_R | PTE_A);
    *test_pte(VA_NOEXEC) = leaf(frame_noexec, PTE_R | PTE_W | PTE_A | PTE_D);
    *test_pte(VA_XONLY) = leaf(frame_xonly, PTE_X | PTE_A);
    frame_ad[0] = 0xad0000;
    frame_ro[0] = 0x20;
    frame_lazy[0] = 0x1a2e;
    frame_user[0] = 100;
    frame_xonly[0] = 0x0123456789abcdefULL;

    /* PMP entry 0: NAPOT over the whole address space, RWX. With PMP implemented (QEMU)
     * S- and U-mode accesses that match no entry are denied; where PMP is absent these
     * CSRs read as zero and the writes do nothing. */
    RT_CSR_WRITE(pmpaddr0, ~0UL >> 10);
    RT_CSR_WRITE(pmpcfg0, 0x1f);

    rt_trap_handler = m_handler;
    rt_strap_handler = s_handler;
    RT_CSR_WRITE(stvec, rt_strap_entry);
    RT_CSR_WRITE(sscratch, s_trap_stack + sizeof s_trap_stack);
    /* Delegate instruction/load/store page faults and ecall from U to S. */
    RT_CSR_WRITE(medeleg, (1UL << 12) | (1UL << 13) | (1UL << 15) | (1UL << 8));
    RT_CSR_WRITE(mideleg, 0);
    RT_CSR_WRITE(satp, (8UL << 60) | ((uint64_t)(uintptr_t)root >> 12));
    sfence();
    rt_printf("M: medeleg=0x%lx satp.MODE=%lu\n", RT_CSR_READ(medeleg), RT_CSR_READ(satp) >> 60);

    /* MPRV: an M-mode load translated as if from S-mode. */
    uint64_t ms = RT_CSR_READ(mstatus);
    RT_CSR_WRITE(mstatus, (ms & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S | MSTATUS_MPRV);
    uint64_t via_mprv = *(volatile uint64_t *)VA_ALIAS;
    RT_CSR_CLEAR(mstatus, MSTATUS_MPRV);
    rt_printf("M: MPRV load from VA_ALIAS: 0x%lx\n", via_mprv);

    /* Drop to S-mode at s_main. */
    ms = RT_CSR_READ(mstatus);
    RT_CSR_WRITE(mstatus, (ms & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S);
    RT_CSR_WRITE(mepc, s_main);
    __asm__ volatile("mret" ::: "memory");
    __builtin_unreachable();
}
