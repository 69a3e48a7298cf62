#!/usr/bin/env python3
"""Independent model of guests/programs/intops.c from the RV64I/M definitions."""
M = (1 << 64) - 1
def s64(x): x &= M; return x - (1 << 64) if x >> 63 else x
def s32(x): x &= 0xffffffff; return x - (1 << 32) if x >> 31 else x
def sx32(x): return s32(x) & M
def trunc_div(a, b): q = abs(a) // abs(b); return q if (a < 0) == (b < 0) else -q
def div(a, b, bits, signed):
    m = (1 << bits) - 1
    if signed:
        a, b = (s64(a), s64(b)) if bits == 64 else (s32(a), s32(b))
        if b == 0: return -1
        if a == -(1 << (bits - 1)) and b == -1: return a
        return trunc_div(a, b)
    a, b = a & m, b & m
    return m if b == 0 else a // b
def rem(a, b, bits, signed):
    m = (1 << bits) - 1
    if signed:
        a, b = (s64(a), s64(b)) if bits == 64 else (s32(a), s32(b))
        if b == 0: return a
        if a == -(1 << (bits - 1)) and b == -1: return 0
        return a - b * trunc_div(a, b)
    a, b = a & m, b & m
    return a if b == 0 else a % b
OPS = {
    'add': lambda a, b: a + b, 'sub': lambda a, b: a - b,
    'sll': lambda a, b: a << (b & 63), 'srl': lambda a, b: a >> (b & 63),
    'sra': lambda a, b: s64(a) >> (b & 63), 'slt': lambda a, b: int(s64(a) < s64(b)),
    'sltu': lambda a, b: int(a < b), 'xor': lambda a, b: a ^ b, 'or': lambda a, b: a | b,
    'and': lambda a, b: a & b,
    'addw': lambda a, b: sx32(a + b), 'subw': lambda a, b: sx32(a - b),
    'sllw': lambda a, b: sx32(a << (b & 31)), 'srlw': lambda a, b: sx32((a & 0xffffffff) >> (b & 31)),
    'sraw': lambda a, b: sx32(s32(a) >> (b & 31)),
    'mul': lambda a, b: a * b, 'mulh': lambda a, b: (s64(a) * s64(b)) >> 64,
    'mulhsu': lambda a, b: (s64(a) * b) >> 64, 'mulhu': lambda a, b: (a * b) >> 64,
    'div': lambda a, b: div(a, b, 64, True), 'divu': lambda a, b: div(a, b, 64, False),
    'rem': lambda a, b: rem(a, b, 64, True), 'remu': lambda a, b: rem(a, b, 64, False),
    'mulw': lambda a, b: sx32(a * b), 'divw': lambda a, b: sx32(div(a, b, 32, True)),
    'divuw': lambda a, b: sx32(div(a, b, 32, False)), 'remw': lambda a, b: sx32(rem(a, b, 32, True)),
    'remuw': lambda a, b: sx32(rem(a, b, 32, False)),
}
ORDER = ['add', 'sub', 'sll', 'srl', 'sra', 'slt', 'sltu', 'xor', 'or', 'and', 'addw', 'subw', 'sllw',
         'srlw', 'sraw', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw',
         'divuw', 'remw', 'remuw']
VALS = [0, 1, M, 1 << 63, (1 << 63) - 1, 0x80000000, 0x7fffffff, 0xffffffff, 0xffffffff80000000,
        0x123456789abcdef0, 31, 63, M - 1]
def line(name, a, b, r): print(f"{name} a={a & M:016x} b={b & M:016x} -> {r & M:016x}")
for op in ORDER:
    for a in VALS:
        for b in VALS:
            line(op, a, b, OPS[op](a, b))
IMM = [('slli', 63, lambda a: a << 63), ('srli', 63, lambda a: a >> 63), ('srai', 63, lambda a: s64(a) >> 63),
       ('srai', 1, lambda a: s64(a) >> 1), ('slliw', 31, lambda a: sx32(a << 31)),
       ('srliw', 31, lambda a: sx32((a & 0xffffffff) >> 31)), ('sraiw', 31, lambda a: sx32(s32(a) >> 31)),
       ('srliw', 0, lambda a: sx32(a)), ('addiw', M, lambda a: sx32(a - 1)), ('addiw', 0, lambda a: sx32(a)),
       ('slti', M, lambda a: int(s64(a) < -1)), ('sltiu', M, lambda a: int(a < M)),
       ('xori', 0xfffffffffffff800, lambda a: a ^ 0xfffffffffffff800), ('andi', 2047, lambda a: a & 2047)]
for a in VALS:
    for name, imm, f in IMM:
        line(name, a, imm, f(a))
line('lui', 0x80000, 0, sx32(0x80000 << 12))
line('lui', 0x7ffff, 0, sx32(0x7ffff << 12))
mem = (0x8877665544332211).to_bytes(8, 'little') + (0xffeeddccbbaa9980).to_bytes(8, 'little')
def ld(off, n, signed): return int.from_bytes(mem[off:off + n], 'little', signed=signed)
for off in range(8):
    line('lb', off, 0, ld(off, 1, True)); line('lbu', off, 0, ld(off, 1, False))
    if off % 2 == 0:
        line('lh', off, 0, ld(off, 2, True)); line('lhu', off, 0, ld(off, 2, False))
    if off % 4 == 0:
        line('lw', off, 0, ld(off, 4, True)); line('lwu', off, 0, ld(off, 4, False))
for off in (8, 12):
    line('lw', off, 0, ld(off, 4, True)); line('lwu', off, 0, ld(off, 4, False))
