/* SHA-256 (FIPS 180-4) of all of stdin; prints the digest in hex and a newline, plus the
 * input length on a second line. */
#include "runtime.h"
#include "sha256_impl.h"

int main(void) {
    struct sha256 s;
    sha_init(&s);
    int c;
    while ((c = rt_getc()) >= 0) sha_byte(&s, (uint8_t)c);
    uint64_t n = s.total;
    uint8_t d[32];
    sha_final(&s, d);
    for (int i = 0; i < 32; i++) rt_put_hex(d[i], 2);
    rt_putc('\n');
    rt_printf("bytes: %lu\n", n);
    return 0;
}
