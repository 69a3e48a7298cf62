#!/usr/bin/env python3
"""Independent model of guests/programs/primes.c: prints what the guest must print."""
LIMIT = 2000000
comp = bytearray(LIMIT + 1)
comp[0] = comp[1] = 1
i = 2
while i * i <= LIMIT:
    if not comp[i]:
        comp[i * i::i] = b'\x01' * len(range(i * i, LIMIT + 1, i))
    i += 1
primes = [n for n in range(LIMIT + 1) if not comp[n]]
for k in range(1, 7):
    print(f"primes below {10**k}: {sum(1 for p in primes if p < 10**k)}")
print(f"primes up to {LIMIT}: {len(primes)}")
print(f"sum of primes up to {LIMIT}: {sum(primes)}")
print("last ten: " + " ".join(map(str, primes[-10:])))
