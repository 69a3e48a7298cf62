#!/usr/bin/env python3
"""Independent model of guests/programs/bench_primes.c."""
LIMIT = 3000000
comp = bytearray(LIMIT + 1)
comp[0] = comp[1] = 1
i = 2
while i * i <= LIMIT:
    if not comp[i]:
        comp[i * i::i] = b'\x01' * len(range(i * i, LIMIT + 1, i))
    i += 1
primes = [n for n in range(LIMIT + 1) if not comp[n]]
for p in (1, 2):
    print(f"pass {p}: primes up to {LIMIT}: {len(primes)}, sum {sum(primes)}")
