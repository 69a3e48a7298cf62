#!/usr/bin/env python3
"""Independent model of guests/programs/bench_sha.c (hashlib does the hashing)."""
import hashlib
M = (1 << 64) - 1
BYTES = 1 << 20
x = 0x0123456789abcdef
out = bytearray()
for _ in range(BYTES // 8):
    x ^= (x << 13) & M; x ^= x >> 7; x ^= (x << 17) & M
    out += x.to_bytes(8, 'little')
d = hashlib.sha256(out).digest()
print("sha256(data) = " + d.hex())
for _ in range(2000):
    d = hashlib.sha256(d).digest()
print("chain(2000) = " + d.hex())
