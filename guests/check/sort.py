#!/usr/bin/env python3
"""Independent model of guests/programs/sort.c: prints what the guest must print."""
M = (1 << 64) - 1
N = 3000
state = 0x9e3779b97f4a7c15
def rnd():
    global state
    x = state
    x ^= x >> 12; x ^= (x << 25) & M; x ^= x >> 27
    state = x
    return (x * 0x2545f4914f6cdd1d) & M
def checksum(v):
    s, h = 0, 0xcbf29ce484222325
    for i, x in enumerate(v):
        s = (s + (i + 1) * x) & M
        for b in range(0, 64, 8):
            h ^= (x >> b) & 0xff
            h = (h * 0x100000001b3) & M
    return s ^ h
inp = [rnd() for _ in range(N)]
for i in range(100, 160):
    inp[i] = inp[99]
print(f"items {N} input checksum {checksum(inp):016x} first {inp[0]:016x} last {inp[-1]:016x}")
s = sorted(inp)
for name in ("insertion", "heap", "merge", "quick"):
    print(f"{name:<10} checksum {checksum(s):016x} sorted yes same yes")
print(f"min {s[0]:016x} median {s[N // 2]:016x} max {s[-1]:016x}")
