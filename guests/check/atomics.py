#!/usr/bin/env python3
"""Independent model of guests/programs/atomics.c from the A-extension definitions."""
M64, M32 = (1 << 64) - 1, (1 << 32) - 1
def s(x, bits):
    x &= (1 << bits) - 1
    return x - (1 << bits) if x >> (bits - 1) else x
def op(name, a, b, bits):
    m = (1 << bits) - 1
    a &= m; b &= m
    return {
        'swap': b, 'add': (a + b) & m, 'and': a & b, 'or': a | b, 'xor': a ^ b,
        'min': a if s(a, bits) < s(b, bits) else b, 'max': a if s(a, bits) > s(b, bits) else b,
        'minu': min(a, b), 'maxu': max(a, b)}[name]
def amo_d(name, init, operand):
    new = op(name.split('.')[0][3:], init, operand, 64)
    print(f"{name:<14} mem={init:016x} rs2={operand:016x} -> rd={init:016x} mem={new:016x}")
def amo_w(name, init, operand):
    init &= M32
    new = op(name.split('.')[0][3:], init, operand, 32)
    rd = s(init, 32) & M64
    print(f"{name:<14} mem={init:08x} rs2={operand:016x} -> rd={rd:016x} mem={new:08x} next=a5a5a5a5")
print("lr.d/sc.d: loaded 1111111111111111 sc=0 mem=2222222222222222")
print("lr.d/sc.d/sc.d: first sc=0 second sc failed mem=3333333333333333")
print("lr.w/sc.w: loaded ffffffff80000001 sc=0 mem=7ffffffe")
print("lr.w A/sc.w B: sc failed mem[A]=5 mem[B]=6")
print("lr/sc increment loop: 3000")
ops = ['swap', 'add', 'and', 'or', 'xor', 'min', 'max', 'minu', 'maxu']
for a, b in [(0x8000000000000005, 0x7ffffffffffffff0), (0xfffffff0, 0x10), (0x12345678, 0xffffffff87654321)]:
    for o in ops: amo_d(f"amo{o}.d", a, b)
    for o in ops: amo_w(f"amo{o}.w", a, b)
amo_d("amoadd.d.aqrl", 1, 2)
amo_w("amoor.w.aq", 0xf0, 0xf00)
amo_w("amoswap.w.rl", 0xdeadbeef, 0)
