/* Benchmark: sieve of Eratosthenes up to 3,000,000, run twice (the second pass re-clears
 * the table), printing pi(3e6) and the sum of primes. CPU-bound, ~100+ million instructions. */
#include "runtime.h"

#define LIMIT 3000000u

static uint8_t composite[LIMIT + 1];

static uint32_t sieve(uint64_t *sum) {
    for (uint32_t i = 0; i <= LIMIT; i++) composite[i] = 0;
    composite[0] = composite[1] = 1;
    for (uint32_t i = 2; (uint64_t)i * i <= LIMIT; i++)
        if (!composite[i])
            for (uint32_t j = i * i; j <= LIMIT; j += i) composite[j] = 1;
    uint32_t count = 0;
    *sum = 0;
    for (uint32_t i = 0; i <= LIMIT; i++)
        if (!composite[i]) { count++; *sum += i; }
    return count;
}

int main(void) {
    for (int pass = 1; pass <= 2; pass++) {
        uint64_t sum;
        uint32_t count = sieve(&sum);
        rt_printf("pass %d: primes up to %u: %u, sum %lu\n", pass, LIMIT, count, sum);
    }
    return 0;
}
