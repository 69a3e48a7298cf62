#!/usr/bin/env python3
"""Expected output of guests/programs/rvc.S, derived by hand from the C-extension rules."""
M = (1 << 64) - 1


def sx32(x):
    x &= 0xffffffff
    return (x - (1 << 32)) if x >> 31 else x


rows = [
    ("c.li", -32), ("c.lui", 0x1f << 12), ("c.lui.neg", -32 << 12), ("c.addi", -1),
    ("c.addiw", sx32(0x80000000)), ("c.addiw.0", 5), ("c.addi16sp", 64), ("c.addi4spn", 8),
    ("c.slli", 1 << 63), ("c.srli", 1 << 62), ("c.srai", -(1 << 63) >> 4), ("c.andi", 0xf0),
    ("c.sub", 0xff0 - 0xff), ("c.xor", 0xff0 ^ 0xff), ("c.or", 0xff0 | 0xff), ("c.and", 0xff0 & 0xff),
    ("c.subw", 0x7fffffff), ("c.addw", sx32(0x80000000)), ("c.mv", 0x123456789), ("c.add", -1 + (1 << 32)),
    ("c.sdsp/c.ldsp", 0x8877665544332211),
    ("c.lwsp", sx32(0x88776655)),                      # upper word of the doubleword at 8(sp)
    ("c.swsp", 0xffffffff00000000 | 0xcafebabe),      # low word over an all-ones doubleword
    ("c.sd/c.lw", 0x01234567),                         # upper word of 0x0123456789abcdef
    ("c.sw/c.ld", 0x0123456780000001),                 # low word replaced
    ("c.fsdsp", 0x400921fb54442d18), ("c.fldsp", 0xc000000000000000), ("c.fsd/c.fld", 0x3ff8000000000000),
    ("c.j/c.beqz/c.bnez", 3),                          # 0 -> skip c.li 7 -> +1 -> not taken, +2 -> skips
    ("c.jalr/c.jr", 5),                                # callee +4, then +1 after the return
    ("c.nop", 0),
]
for name, v in rows:
    print(f"{name} {v & M:016x}")
