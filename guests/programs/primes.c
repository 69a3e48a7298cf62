/* Sieve of Eratosthenes up to 2,000,000: prints pi(10^k) for k = 1..6, pi(2e6), the last
 * ten primes below 2e6 and a checksum (sum of all primes). */
#include "runtime.h"

#define LIMIT 2000000u

static uint8_t composite[LIMIT + 1];

int main(void) {
    composite[0] = composite[1] = 1;
    for (uint32_t i = 2; (uint64_t)i * i <= LIMIT; i++)
        if (!composite[i])
            for (uint32_t j = i * i; j <= LIMIT; j += i) composite[j] = 1;

    uint32_t count = 0, next = 10;
    uint64_t sum = 0;
    for (uint32_t i = 0; i <= LIMIT; i++) {
        if (i == next) {
            rt_printf("primes below %u: %u\n", next, count);
            next = next < 1000000 ? next * 10 : 0;
        }
        if (!composite[i]) { count++; sum += i; }
    }
    rt_printf("primes up to %u: %u\n", LIMIT, count);
    rt_printf("sum of primes up to %u: %lu\n", LIMIT, sum);
    rt_puts("last ten:");
    uint32_t shown = 0, last[10];
    for (uint32_t i = LIMIT; i > 1 && shown < 10; i--)
        if (!composite[i]) last[shown++] = i;
    for (int k = (int)shown - 1; k >= 0; k--) rt_printf(" %u", last[k]);
    rt_putc('\n');
    return 0;
}
