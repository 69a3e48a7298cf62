#!/usr/bin/env python3
"""Independent model of guests/programs/bench_mix.c (zlib does the CRC-32)."""
import struct
import zlib

ITERATIONS, MAT, NODES, TEXT = 160, 24, 600, 4000
M32 = (1 << 32) - 1
seed = 0


def rnd():
    global seed
    seed = (seed * 1103515245 + 12345) & M32
    return seed >> 8


def matrix_part():
    a = [[0] * MAT for _ in range(MAT)]
    b = [[0] * MAT for _ in range(MAT)]
    for i in range(MAT):
        for j in range(MAT):
            a[i][j] = rnd() % 2001 - 1000
            b[i][j] = rnd() % 2001 - 1000
    c = [[sum(a[i][k] * b[k][j] for k in range(MAT)) for j in range(MAT)] for i in range(MAT)]
    for j in range(MAT):
        m = -2**31
        for i in range(MAT):
            v = (c[i][j] >> 3) ^ (i * 31 + j)
            m = max(m, v)
            c[i][j] = m
    return zlib.crc32(b''.join(struct.pack('<i', c[i][j]) for i in range(MAT) for j in range(MAT)))


def list_part():
    nodes = [(rnd() % 1000, i) for i in range(NODES)]
    lst = sorted(nodes)[::-1]
    acc = 0
    for k in range(0, 1000, 20):
        for pos, (key, _) in enumerate(lst):
            if key == k:
                acc = (acc * 33 + pos) & M32
                break
    crc = acc
    for key, value in lst:
        crc = zlib.crc32(struct.pack('<II', key, value), crc)
    return crc


def state_part():
    alphabet = "0123456789.e-+ x  "
    text = ''.join(alphabet[rnd() % len(alphabet)] for _ in range(TEXT))
    counts = [0, 0, 0, 0]
    for tok in text.split():
        state = 'START'
        for c in tok:
            d = c.isdigit()
            if state == 'START':
                state = 'INT' if d or c in '-+' else 'BAD'
            elif state == 'INT':
                state = 'INT' if d else 'FRAC' if c == '.' else 'EXPS' if c == 'e' else 'BAD'
            elif state == 'FRAC':
                state = 'FRAC' if d else 'EXPS' if c == 'e' else 'BAD'
            elif state == 'EXPS':
                state = 'EXP' if d or c in '-+' else 'BAD'
            elif state == 'EXP':
                state = 'EXP' if d else 'BAD'
        counts[{'INT': 0, 'FRAC': 1, 'EXP': 2}.get(state, 3)] += 1
    return zlib.crc32(text.encode()), counts


crc = 0
total = [0, 0, 0, 0]
for it in range(ITERATIONS):
    seed = (it * 7919 + 1) & M32
    m = matrix_part()
    l = list_part()
    s, counts = state_part()
    total = [x + y for x, y in zip(total, counts)]
    crc = zlib.crc32(struct.pack('<III', m, l, s), crc)
print(f"last iteration: matrix {m:08x} list {l:08x} text {s:08x}")
print(f"tokens: int {total[0]} frac {total[1]} exp {total[2]} bad {total[3]}")
print(f"iterations {ITERATIONS} final crc {crc:08x}")
