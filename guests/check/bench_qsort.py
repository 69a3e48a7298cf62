#!/usr/bin/env python3
"""Independent model of guests/programs/bench_qsort.c."""
N = 200000
M32, M64 = (1 << 32) - 1, (1 << 64) - 1
for rnd in (1, 2, 3):
    st = (rnd * 0x9e3779b9) & M32
    v = []
    for _ in range(N):
        st = (st * 1664525 + 1013904223) & M32
        v.append(st ^ (st >> 15))
    v.sort()
    s = 0
    for x in v:
        s = (s * 31 + x) & M64
    print(f"round {rnd}: min {v[0]:08x} median {v[N // 2]:08x} max {v[-1]:08x} checksum {s:016x} sorted yes")
