/* tbsim guest runtime library (see runtime.h). */
#include "runtime.h"

#define UART_THR 0
#define UART_RBR 0
#define UART_LSR 5
#define LSR_DR   0x01
#define LSR_THRE 0x20

/* Optional input descriptor written only by guests/qemu-run.sh (QEMU cannot signal end of
 * input on the UART): magic, then the number of input bytes. Absent (RAM is zero) on tbsim,
 * where LSR.DR = 0 means end of input. */
#define INPUT_DESC_MAGIC 0x5455504e494d4954ULL  /* "TIMINPUT" little-endian */
extern char __input_desc[];

uint64_t rt_hartid, rt_fdt;
rt_trap_fn rt_trap_handler = rt_default_trap;
rt_trap_fn rt_strap_handler = rt_default_trap;

static int input_limited;
static uint64_t input_left;

static inline uint8_t uart_read(int reg) { return *(volatile uint8_t *)(RT_UART_BASE + reg); }
static inline void uart_write(int reg, uint8_t v) { *(volatile uint8_t *)(RT_UART_BASE + reg) = v; }

void rt_init(uint64_t hartid, uint64_t fdt) {
    rt_hartid = hartid;
    rt_fdt = fdt;
    volatile uint64_t *desc = (volatile uint64_t *)__input_desc;
    if (desc[0] == INPUT_DESC_MAGIC) {
        input_limited = 1;
        input_left = desc[1];
    }
}

void rt_putc(int c) {
    while (!(uart_read(UART_LSR) & LSR_THRE)) { }
    uart_write(UART_THR, (uint8_t)c);
}

void rt_puts(const char *s) {
    while (*s) rt_putc(*s++);
}

int rt_getc(void) {
    if (input_limited) {
        if (input_left == 0) return -1;
        input_left--;
        while (!(uart_read(UART_LSR) & LSR_DR)) { }
        return uart_read(UART_RBR);
    }
    if (!(uart_read(UART_LSR) & LSR_DR)) return -1;
    return uart_read(UART_RBR);
}

static void put_padded(const char *digits, int n, int width, char pad, int left) {
    if (!left) for (int i = n; i < width; i++) rt_putc(pad);
    for (int i = 0; i < n; i++) rt_putc(digits[i]);
    if (left) for (int i = n; i < width; i++) rt_putc(' ');
}

/* Writes v in `base` into buf (most significant first); returns the digit count. */
static int format_unsigned(char *buf, uint64_t v, unsigned base, int upper) {
    const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do { tmp[n++] = d[v % base]; v /= base; } while (v);
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    return n;
}

void rt_put_udec(uint64_t v) {
    char buf[24];
    int n = format_unsigned(buf, v, 10, 0);
    put_padded(buf, n, 0, ' ', 0);
}

void rt_put_dec(int64_t v) {
    if (v < 0) { rt_putc('-'); rt_put_udec((uint64_t)0 - (uint64_t)v); }
    else rt_put_udec((uint64_t)v);
}

void rt_put_hex(uint64_t v, int digits) {
    for (int i = digits - 1; i >= 0; i--) rt_putc("0123456789abcdef"[(v >> (4 * i)) & 15]);
}

void rt_vprintf(const char *fmt, va_list ap) {
    for (; *fmt; fmt++) {
        if (*fmt != '%') { rt_putc(*fmt); continue; }
        fmt++;
        char pad = ' ';
        int left = 0, width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '0') pad = '0';
            else if (*fmt == '-') left = 1;
            else break;
        }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z') { lng = 1; fmt++; }
        char buf[24];
        int n;
        switch (*fmt) {
        case 'd': case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            if (v < 0) { buf[0] = '-'; n = 1 + format_unsigned(buf + 1, u, 10, 0); }
            else n = format_unsigned(buf, u, 10, 0);
            put_padded(buf, n, width, pad, left);
            break;
        }
        case 'u': case 'x': case 'X': {
            uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            n = format_unsigned(buf, v, *fmt == 'u' ? 10 : 16, *fmt == 'X');
            put_padded(buf, n, width, pad, left);
            break;
        }
        case 'p': {
            uint64_t v = (uint64_t)(uintptr_t)va_arg(ap, void *);
            rt_puts("0x");
            n = format_unsigned(buf, v, 16, 0);
            put_padded(buf, n, width, pad, left);
            break;
        }
        case 'c': buf[0] = (char)va_arg(ap, int); put_padded(buf, 1, width, ' ', left); break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            int len = (int)strlen(s);
            if (!left) for (int i = len; i < width; i++) rt_putc(' ');
            rt_puts(s);
            if (left) for (int i = len; i < width; i++) rt_putc(' ');
            break;
        }
        case '%': rt_putc('%'); break;
        case 0: return;
        default: rt_putc('%'); rt_putc(*fmt); break;
        }
    }
}

void rt_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    rt_vprintf(fmt, ap);
    va_end(ap);
}

__attribute__((noreturn)) void exit(int code) {
    uint32_t v = code == 0 ? 0x5555u : (((uint32_t)code & 0xffffu) << 16) | 0x3333u;
    rt_mmio_write32(RT_FINISHER_BASE, v);
    for (;;) { }
}

void rt_default_trap(struct rt_trap_frame *f) {
    rt_printf("\n*** unexpected trap: mcause=0x%lx mepc=0x%lx mtval=0x%lx\n",
              f->cause, f->epc, f->tval);
    exit(RT_EXIT_UNEXPECTED_TRAP);
}

void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        for (; n >= 8; n -= 8, d += 8, s += 8) *(uint64_t *)d = *(const uint64_t *)s;
    }
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) { while (n--) *d++ = *s++; }
    else if (d > s) { d += n; s += n; while (n--) *--d = *--s; }
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
    return 0;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}
