/* tbsim guest runtime: console over the NS16550A UART, exit through the SiFive test
 * finisher, trap frames, CSR helpers. Bare metal, M-mode, no libc. See guests/README.md. */
#ifndef TBSIM_RUNTIME_H
#define TBSIM_RUNTIME_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

/* Memory map (same as QEMU -M virt). */
#define RT_UART_BASE     0x10000000UL
#define RT_FINISHER_BASE 0x00100000UL
#define RT_CLINT_BASE    0x02000000UL
#define RT_CLINT_MSIP    (RT_CLINT_BASE + 0x0)
#define RT_CLINT_MTIMECMP (RT_CLINT_BASE + 0x4000)
#define RT_CLINT_MTIME   (RT_CLINT_BASE + 0xbff8)
#define RT_PLIC_BASE     0x0c000000UL
#define RT_RAM_BASE      0x80000000UL

/* Exit code used when the default trap handler fires (an unexpected trap). */
#define RT_EXIT_UNEXPECTED_TRAP 100

/* Console. rt_getc returns the next input byte or -1 at end of input. */
void rt_putc(int c);
void rt_puts(const char *s);          /* no newline appended */
int rt_getc(void);
void rt_put_udec(uint64_t v);
void rt_put_dec(int64_t v);
void rt_put_hex(uint64_t v, int digits); /* exactly `digits` hex digits, no prefix */
/* printf subset: %d %i %u %x %X %c %s %p %%, flags '0' '-', width, lengths l ll z. */
void rt_printf(const char *fmt, ...);
void rt_vprintf(const char *fmt, va_list ap);

/* Exit through the test finisher: 0 -> pass (0x5555), otherwise fail with `code`. */
__attribute__((noreturn)) void exit(int code);

/* What clang may emit calls to. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* Trap frame built by rt_trap_entry / rt_strap_entry (start.S). regs[i] is x_i at the
 * trap (regs[2] = interrupted sp); the handler may change regs, epc and status. */
struct rt_trap_frame {
    uint64_t regs[32];
    uint64_t epc, cause, tval, status;
};
typedef void (*rt_trap_fn)(struct rt_trap_frame *);

/* M-mode handler called by rt_trap_entry (mtvec); default prints and exits. */
extern rt_trap_fn rt_trap_handler;
/* S-mode handler called by rt_strap_entry (install with csrw stvec). */
extern rt_trap_fn rt_strap_handler;
void rt_trap_entry(void);
void rt_strap_entry(void);
void rt_default_trap(struct rt_trap_frame *f);

/* Called by _start before main: records hartid/FDT, looks for QEMU's input descriptor. */
void rt_init(uint64_t hartid, uint64_t fdt);

/* Hart id and FDT address handed over by the reset ROM. */
extern uint64_t rt_hartid, rt_fdt;

/* Linker-script symbols. */
extern char __bss_start[], __bss_end[], __stack_top[], __trap_stack_top[], _end[];
extern char __utext_start[], __utext_end[];

#define RT_CSR_READ(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define RT_CSR_WRITE(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "r"((uint64_t)(v)))
#define RT_CSR_SET(csr, v) __asm__ volatile("csrs " #csr ", %0" :: "r"((uint64_t)(v)))
#define RT_CSR_CLEAR(csr, v) __asm__ volatile("csrc " #csr ", %0" :: "r"((uint64_t)(v)))
#define RT_CSR_SWAP(csr, v) ({ uint64_t o_; __asm__ volatile("csrrw %0, " #csr ", %1" : "=r"(o_) : "r"((uint64_t)(v))); o_; })

static inline uint64_t rt_mmio_read64(uintptr_t a) { return *(volatile uint64_t *)a; }
static inline void rt_mmio_write64(uintptr_t a, uint64_t v) { *(volatile uint64_t *)a = v; }
static inline uint32_t rt_mmio_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void rt_mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

#endif
