/* The guest runtime's console functions on a hosted C library, so the bench guests'
 * C (guests/programs/bench_*.c) builds unchanged as a native program: the physical
 * reference `tbsim bench` times next to tbsim and QEMU. Only what those programs call;
 * the rt_printf subset (%d %i %u %x %X %c %s %p %%, '0' '-', width, l ll z) is a subset
 * of printf. Build: cc -O2 -Iguests/runtime guests/programs/bench_X.c guests/native/hosted.c */
#include <stdio.h>
#include <stdlib.h>
#include "runtime.h"

void rt_putc(int c) { putchar(c); }
void rt_puts(const char *s) { fputs(s, stdout); }
int rt_getc(void) { int c = getchar(); return c == EOF ? -1 : c; }
void rt_put_udec(uint64_t v) { printf("%llu", (unsigned long long)v); }
void rt_put_dec(int64_t v) { printf("%lld", (long long)v); }
void rt_put_hex(uint64_t v, int digits) {
    if (digits < 16) v &= (1ULL << (4 * digits)) - 1;   /* exactly `digits` digits, as the runtime */
    printf("%0*llx", digits, (unsigned long long)v);
}
void rt_vprintf(const char *fmt, va_list ap) { vprintf(fmt, ap); }
void rt_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}
